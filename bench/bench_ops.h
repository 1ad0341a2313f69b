/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A benchmark behind one table, as fio's engines are behind struct
 * ioengine_ops: its name, the job keys it takes, how a job expands into
 * cases, how one case runs, and the metrics it records. A benchmark
 * registers itself from its own file (BENCH_REGISTER), so adding one is
 * one file in bench/, a line in bench/registry.c's list (so a static link
 * keeps it) and nothing in cli/: the runner
 * (cli/runner.c) only loops over jobs and cases.
 *
 * A case's run_case measures, writes every sample record as it is
 * measured, then its summary records, and prints its rows (bench_row()).
 */
#ifndef HMMBENCH_BENCH_OPS_H
#define HMMBENCH_BENCH_OPS_H

#include <stddef.h>

#include "bench.h"
#include "job.h"
#include "metrics.h"

/*
 * The runner's side of a job whose cases run together (interleave=true):
 * the bench calls measured() once every case's samples are taken, then
 * case_begin() and case_end() around each case's rows.
 */
struct bench_group {
	void (*measured)(struct bench_ctx *ctx);
	void (*case_begin)(struct bench_ctx *ctx, unsigned int i);
	void (*case_end)(struct bench_ctx *ctx, unsigned int i, int ret, const char *skip);
};

struct bench_ops {
	const char *name;
	const char *describe;		/* one line */
	/* The keys it takes, shared (job.h) and its own; NULL-terminated. */
	const struct job_key *const *keys;
	size_t opts_size;		/* its own options struct, job->opts */
	/* Checks across keys after parsing: 0, or -1 with @err ("key 'k': why"). */
	int (*check)(const struct job *j, char *err, size_t len);
	unsigned int (*cases)(const struct job *j);
	/* "migrate 32M thp": case @i's label in rows, KTAP and phase records. */
	void (*case_label)(const struct job *j, unsigned int i, char *buf, size_t len);
	/*
	 * Measures case @i: 0, a negative errno (reported; -EIO: data
	 * mismatch), or 0 with *@skip saying why it cannot run here.
	 */
	int (*run_case)(struct bench_ctx *ctx, const struct job *j, unsigned int i,
			const char **skip);
	/* Optional: when it says so for @j, run_group() runs all of @j's cases. */
	int (*grouped)(const struct job *j);
	void (*run_group)(struct bench_ctx *ctx, const struct job *j, const struct bench_group *g);
	const struct metric_info *metrics;	/* ends with name == NULL */
	const struct bench_ops *next;		/* the registry's */
};

void bench_register(struct bench_ops *ops);
#define BENCH_REGISTER(ops) \
	static void __attribute__((constructor)) register_##ops(void) { bench_register(&(ops)); } \
	const void *const bench_anchor_##ops = &(ops);

const struct bench_ops *bench_find(const char *name);
/* The registered benchmarks in name order: first, then ->next. */
const struct bench_ops *bench_first(void);
/* "copyceil, fault, migrate, split" */
const char *bench_names(void);
/* The key @name (or its alias) that @ops takes, or NULL. */
const struct job_key *bench_key(const struct bench_ops *ops, const char *name);

/*
 * Case index helpers for benchmarks whose cases are a product of lists:
 * the @k-th set bit of @mask (pages=, direction=), and the count of them.
 */
unsigned int mask_count(unsigned int mask);
unsigned int mask_nth(unsigned int mask, unsigned int k);

#endif
