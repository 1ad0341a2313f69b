/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the job runner: cli/runner.c runs the cases (progress, KTAP,
 * phase records), cli/runner_cases.c turns each benchmark's result into
 * summary rows.
 */
#ifndef HMMBENCH_RUNNER_INT_H
#define HMMBENCH_RUNNER_INT_H

#include "copyceil.h"
#include "fault.h"
#include "job.h"
#include "migrate.h"
#include "perfctr.h"
#include "runner.h"
#include "split.h"
#include "split_real.h"

struct runner {
	struct bench_ctx ctx;
	int ktap;
	unsigned int case_no, cases;
	uint64_t start_ns;
	char label[64];
	int tty;
	struct copyceil_result ceiling;	/* from a copyceil job, if one ran */
	int have_ceiling;
	struct perfctr_set *perf;	/* --events, or NULL */
	json_t *phase_counters;		/* /proc/vmstat at the case's start */
	int first_err;			/* of the first failed case */
	int interleaved;		/* rows come from interleaved cases */
};

/* "# " in KTAP mode, where every table line is a comment. */
const char *row_prefix(const struct runner *r);
/* Records a summary of @x and prints it as one table row. */
void print_row(struct runner *r, const char *bench, json_t *params,
	       const char *metric, const char *label, const char *unit,
	       const double *x, size_t n, const char *note, enum stop_reason stop);
/* Prints @text line by line with the table's prefix. */
void print_prefixed(const struct runner *r, const char *text);

int run_migrate_case(struct runner *r, const struct job *j, size_t size,
		     enum page_mode mode);
/* A migrate case's summary rows (and copy fractions, with a ceiling). */
void print_migrate_rows(struct runner *r, const struct job *j, size_t size,
			enum page_mode mode, const struct migrate_result *res);
/*
 * 0 with *skip set when the kernel cannot inject: the case is a skip, and
 * the runner prints why.
 */
int run_split_case(struct runner *r, size_t size, enum migrate_dir d,
		   const struct reps *reps, const char **skip);
/* failure=fragmented: one case per pressure level, to-sys and fault-back rows. */
int run_split_real_case(struct runner *r, size_t size, unsigned int level,
			const struct reps *reps, const char **skip);
int run_fault_case(struct runner *r, const struct job *j, size_t size,
		   enum page_mode mode, unsigned int threads);
int run_copyceil_case(struct runner *r, const struct job *j, size_t size);

#endif
