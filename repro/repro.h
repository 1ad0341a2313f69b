/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stress run as a standalone reproducer. hmmbench stress records what
 * each thread did up to a failure into repro.json (this model); from it
 * repro_write_c() writes repro.c, one C file that replays the same
 * operations with the same threads and ordering points and needs nothing
 * but a C library (gcc -static -pthread repro.c). hmmbench repro try,
 * minimize and report work on the model.
 */
#ifndef HMMBENCH_REPRO_H
#define HMMBENCH_REPRO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#define REPRO_SCHEMA "hmmbench-repro/1"
#define REPRO_MAX_CHUNKS 64
#define REPRO_MAX_THREADS 64

/* One stress operation as it ran (see stress/stress.h, struct stress_op). */
struct repro_op {
	uint8_t kind;		/* enum stress_op_kind */
	uint8_t solo;		/* it ran while no other operation did */
	uint32_t first, npages;
	uint64_t arg;
};

struct repro_thread {
	struct repro_op *ops;
	size_t n, cap;
	uint64_t per_round;	/* operations the recorded thread ran */
};

struct repro {
	char scenario[64];
	uint64_t seed;
	unsigned int nchunks;
	uint8_t thp[REPRO_MAX_CHUNKS];	/* 1: the chunk is MADV_HUGEPAGE */
	int evict_on_close;		/* close the device with pages on it */
	int keep_open;			/* one open for all rounds, closed at exit */
	int serial_injection;		/* FAIL_ALLOC injected alone */
	int page_checks;		/* 0: touch one word per page, check nothing */
	unsigned int seconds;		/* default -t of the program */
	unsigned int watchdog_s;
	unsigned int nthreads;
	struct repro_thread *threads;
	json_t *failure;	/* what the recorded run saw: kind, summary, report text */
	json_t *origin;		/* where it was recorded: kernel, command, time */
	json_t *steps;		/* minimization steps, oldest first */
	json_t *written;	/* a string when a person wrote the operations */
};

void repro_init(struct repro *r);
void repro_free(struct repro *r);
int repro_copy(struct repro *dst, const struct repro *src);
/* Appends @op to thread @t's list; -ENOMEM. */
int repro_add_op(struct repro *r, unsigned int t, const struct repro_op *op);
size_t repro_total_ops(const struct repro *r);
/* The size minimize started from ("4 threads, 43 operations, 16 MiB"), or NULL. */
const char *repro_minimized_from(const struct repro *r);
/* Drops empty threads, and operations outside the region (after a size cut). */
void repro_tidy(struct repro *r);

/* "migrate-to-dev 512+512 0x1234abcd solo" and back; 0 or -EINVAL. */
char *repro_op_str(const struct repro_op *op, char *buf, size_t len);
int repro_op_parse(const char *s, struct repro_op *op);

json_t *repro_to_json(const struct repro *r);
/* 0, or -1 with a one-line reason in @err. */
int repro_from_json(json_t *j, struct repro *r, char *err, size_t len);
int repro_save(const struct repro *r, const char *path, char *err, size_t len);
int repro_load(const char *path, struct repro *r, char *err, size_t len);

/* The standalone C program. 0, or -errno. */
int repro_write_c(const struct repro *r, FILE *f);
int repro_write_c_file(const struct repro *r, const char *path, char *err, size_t len);
/* The three parts of the program's body, generated from repro/skel-*.c. */
extern const char repro_skel_base[], repro_skel_ops[], repro_skel_main[];

#endif
