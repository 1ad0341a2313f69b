/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Jobs: what to measure, described the way fio describes I/O workloads.
 * An INI file holds one section per job; [global] sets defaults for the
 * sections after it. A job's lists (sizes, pages, directions, threads)
 * expand into cases, each measured on its own.
 *
 *   [global]
 *   device=/dev/hmm_dmirror0
 *   [thp-vs-4k]
 *   bench=migrate
 *   sizes=2M,16M,64M        ; or a range: 2M-64M (doubling)
 *   pages=thp,4k
 *   direction=roundtrip     ; to-dev, to-sys, or both
 *   min_samples=5
 *   target_ci=2%
 *   max_time=20s
 */
#ifndef HMMBENCH_JOB_H
#define HMMBENCH_JOB_H

#include <stddef.h>

#include "buffer.h"

enum bench_kind { BENCH_MIGRATE, BENCH_SPLIT, BENCH_FAULT, BENCH_COPYCEIL };

#define JOB_MAX_LIST 16

/* When to stop repeating a case (bench/adaptive.h decides). */
struct reps {
	unsigned int fixed;		/* repetitions=N: exactly N, no adaptation */
	unsigned int min_samples;
	unsigned int max_samples;
	double target_ci;		/* CI half-width over the median, e.g. 0.02 */
	double max_time_s;		/* per case */
};

enum job_access { ACCESS_READ, ACCESS_WRITE };
enum job_pattern { PATTERN_SEQ, PATTERN_RANDOM, PATTERN_STRIDED };

struct job {
	char name[64];
	enum bench_kind bench;
	char backend[32];
	char device[64];
	size_t sizes[JOB_MAX_LIST];
	unsigned int nsizes;
	unsigned int pages_mask;	/* 1 << PAGES_THP | 1 << PAGES_4K */
	unsigned int dir_mask;		/* 1 << TO_DEV | 1 << TO_SYS */
	unsigned int threads[JOB_MAX_LIST];
	unsigned int nthreads;
	enum job_access access;
	enum job_pattern pattern;
	size_t stride;
	int overlap;
	int inject;			/* split: FAIL_ALLOC */
	int fragmented;			/* split: real failure, bench/frag.c */
	unsigned int pressure[JOB_MAX_LIST];	/* percent of free 2 MiB blocks */
	unsigned int npressure;
	unsigned int warmup;
	int interleave;			/* migrate: cases take turns, bench/rounds.h */
	struct reps reps;
};

struct job_list {
	struct job *jobs;
	size_t n;
};

/*
 * Parses a job file; on error returns -1 with "FILE:LINE: key 'k': why"
 * in @err. Defaults come from job_defaults().
 */
int job_parse_file(const char *path, struct job_list *out, char *err,
		   size_t errlen);
int job_parse_string(const char *name, const char *text,
		     struct job_list *out, char *err, size_t errlen);
void job_list_free(struct job_list *l);
void job_defaults(struct job *j);

/* The built-in suites: smoke, default, full. */
int suite_load(const char *suite, struct job_list *out, char *err,
	       size_t errlen);
const char *suite_names(void);
const char *bench_kind_name(enum bench_kind k);

#endif
