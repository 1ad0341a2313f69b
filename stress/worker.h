/* SPDX-License-Identifier: GPL-2.0 */
/* The worker side of a stress run: its threads, the operation table. */
#ifndef HMMBENCH_STRESS_WORKER_H
#define HMMBENCH_STRESS_WORKER_H

#include <setjmp.h>
#include <signal.h>

#include "integrity.h"
#include "pagestate.h"
#include "stress.h"

/* An operation that found corruption or lost the region: the run ends. */
#define STRESS_FATAL (-100000)

struct stress_ctx {
	const struct stress_config *cfg;
	struct stress_shared *sh;
	struct hmm_dev dev;
	int dev_open;
	struct stress_region rg;
	/*
	 * Operations that must run alone (device READ/WRITE, serial
	 * FAIL_ALLOC) hold it for writing, all others for reading.
	 */
	pthread_rwlock_t solo;
	uint8_t *sink;		/* one page whose migration consumes a left-over FAIL_ALLOC */
};

struct stress_worker {
	struct stress_ctx *ctx;
	unsigned int id;
	struct stress_thread_stats *st;
	struct stress_rng rng;
	uint8_t *bounce;	/* two chunks: test_hmm copies through it */
	uint8_t *state;		/* SNAPSHOT bytes for two chunks */
	uint8_t *scratch;	/* PROT_NONE reservation mremap moves pages into */
	size_t scratch_len;
	uint64_t index;		/* operations started */
	sigjmp_buf jb;
	volatile sig_atomic_t in_op;
	volatile int sig;
	void *volatile sig_addr;
};

enum stress_lock { SLOCK_NONE, SLOCK_READ, SLOCK_WRITE };

/*
 * Which locks the dispatcher takes over the op's chunks: @move (shared by
 * migrations, exclusive for device READ/WRITE), then @content (shared by
 * checkers, exclusive by writers of content and VMA changes).
 */
struct stress_op_desc {
	enum stress_lock move, content;
	int (*run)(struct stress_worker *w, const struct stress_op *op);
	/*
	 * Moved onto the nearest 4 KiB chunk: in THP chunks PMD splits and
	 * khugepaged can drop test_hmm's mirror entries of device pages
	 * behind our locks, and a device READ/WRITE then oopses (see
	 * on_device() in op_mem.c; seen once in 60 s on a THP chunk).
	 */
	int small_pages_only;
	/*
	 * Runs while no other operation does. Even on a range migrated whole
	 * to the device, under every chunk lock, on 4 KiB chunks, device
	 * WRITE still oopsed in dmirror_write once in 60 s of 4 threads
	 * (7.2): something else in flight drops or changes a mirror entry,
	 * and the driver's fault path then stores device-private pages.
	 */
	int solo;
};

extern const struct stress_op_desc stress_op_table[OP_KIND_COUNT];

static inline uint8_t *stress_page(struct stress_worker *w, size_t page)
{
	return w->ctx->rg.addr + page * PAGE_SZ;
}

/* Counts @err (negative or positive errno) against @op's kind. */
void stress_count_error(struct stress_worker *w, const struct stress_op *op, int err);
/* Checks the operation's own pages where they are. */
int stress_check_home(struct stress_worker *w, const struct stress_op *op,
		      const char *after);
/*
 * Checks pages [first, first+n) as read from @data (the pages themselves,
 * a bounce copy, or where mremap put them) against their generations.
 * @where is the address the data was read at, for the report.
 */
int stress_check(struct stress_worker *w, const struct stress_op *op,
		 const uint8_t *data, size_t first, size_t n, const char *after,
		 const uint8_t *where);
/* Same, where each page may also read as zeroes (MADV_FREE). */
int stress_check_or_zero(struct stress_worker *w, const struct stress_op *op,
			 size_t first, size_t n, const char *after);
/* Writes the next generation into pages [first, first+n) by CPU. */
void stress_fill(struct stress_worker *w, size_t first, size_t n);
/* Reports a mismatch (see struct stress_failure); returns STRESS_FATAL. */
int stress_mismatch(struct stress_worker *w, const struct stress_op *op,
		    const char *after, const uint8_t *where, size_t page,
		    long off, uint64_t expected, uint64_t found, uint32_t gen);
/* A harness failure that leaves the region unusable; STRESS_FATAL. */
int stress_harness_fail(struct stress_worker *w, const struct stress_op *op,
			const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Operations (op_mem.c, op_vma.c, op_fork.c). */
int stress_op_migrate_to_dev(struct stress_worker *w, const struct stress_op *op);
int stress_op_migrate_to_sys(struct stress_worker *w, const struct stress_op *op);
int stress_op_cpu_read(struct stress_worker *w, const struct stress_op *op);
int stress_op_cpu_write(struct stress_worker *w, const struct stress_op *op);
int stress_op_dev_read(struct stress_worker *w, const struct stress_op *op);
int stress_op_dev_write(struct stress_worker *w, const struct stress_op *op);
int stress_op_exclusive(struct stress_worker *w, const struct stress_op *op);
int stress_op_snapshot(struct stress_worker *w, const struct stress_op *op);
int stress_op_fail_alloc(struct stress_worker *w, const struct stress_op *op);
int stress_op_munmap(struct stress_worker *w, const struct stress_op *op);
int stress_op_mremap(struct stress_worker *w, const struct stress_op *op);
int stress_op_mremap_dontunmap(struct stress_worker *w, const struct stress_op *op);
int stress_op_mprotect(struct stress_worker *w, const struct stress_op *op);
int stress_op_madv_dontneed(struct stress_worker *w, const struct stress_op *op);
int stress_op_madv_free(struct stress_worker *w, const struct stress_op *op);
int stress_op_fork(struct stress_worker *w, const struct stress_op *op);

/*
 * Migrates the op's range to the device and checks the device's copy;
 * @locked: the caller holds the range's write locks. STRESS_FATAL, 0 when
 * the range moved, 1 when the migration failed (its errno counted).
 */
int stress_to_dev(struct stress_worker *w, const struct stress_op *op, int locked);
/* The test-only corruption (--inject-corruption), after a migration. */
int stress_hook_corrupt(struct stress_worker *w, const struct stress_op *op);

#endif
