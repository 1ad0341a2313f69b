/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Simulated comparisons for calibrating compare's decision rule
 * (results/verdict.h): kernels measured in runs (boots), each run a
 * handful of samples. A sample's log is the row's level, plus the run's
 * boot effect, plus within-run noise. The boot effect of a row is the
 * sum of a part shared by every row of that boot (the whole guest ran
 * slow) and a part of its own, with variances shared * sd_between^2 and
 * (1 - shared) * sd_between^2. Each run's median is what compare tests.
 */
#ifndef HMMBENCH_CALIB_SIM_H
#define HMMBENCH_CALIB_SIM_H

#include <stddef.h>

#include "verdict.h"

struct sim_model {
	size_t rows, runs, samples;	/* rows per compare, runs per side, samples per run */
	double sd_between, sd_within;	/* on the log scale: 0.2 is "20%" */
	double shared;			/* fraction of the boot variance shared by rows */
	double shift;			/* relative change planted on row 0 of new: 0.3 */
	size_t shifted_rows;		/* rows that carry it (1 unless told) */
};

struct sim_result {
	size_t trials;
	size_t any_marked;	/* comparisons with any row marked (either way) */
	size_t any_worse;	/* ... with a row marked slower (what WORSE is for a time) */
	size_t found;		/* ... where row 0 was marked in the planted direction */
	size_t false_rows;	/* unshifted rows marked, over all comparisons */
	double mean_mde;	/* over the tested rows */
};

/* Runs @trials comparisons from @seed under @o. -1 without memory. */
int sim_run(const struct sim_model *m, const struct vd_opts *o, size_t trials,
	    unsigned long seed, struct sim_result *r);

/*
 * The power of an oracle that knows every variance (a z test on the mean
 * of the run medians, row 0 alone shifted) at per-row level @a: the bound
 * no test on the same runs can beat. Holm's first step has a = alpha/rows.
 */
double sim_oracle_power(const struct sim_model *m, double a);

/* The standard error of a run median's log, by simulation of the model. */
double sim_median_sd(const struct sim_model *m, size_t draws, unsigned long seed);

#endif
