/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Adaptive repetitions: at least min_samples, then more until the 95%
 * confidence interval of the median of every measured series is within
 * target_ci of it, or max_samples or max_time runs out. The reason the
 * loop ended is recorded with the summary, so a wide interval is never
 * mistaken for a converged one.
 */
#ifndef HMMBENCH_ADAPTIVE_H
#define HMMBENCH_ADAPTIVE_H

#include <stddef.h>
#include <stdint.h>

#include "job.h"

enum stop_reason {
	STOP_NOT_YET,
	STOP_FIXED,		/* repetitions=N reached */
	STOP_CI,		/* every series within target_ci */
	STOP_MAX_SAMPLES,
	STOP_MAX_TIME,
	STOP_INTERRUPTED,
};

/* Upper bound on samples a case can take, to size sample arrays. */
size_t reps_capacity(const struct reps *r);
/*
 * The samples of a benchmark that does not adapt: repetitions= when set,
 * else min_samples.
 */
unsigned int reps_count(const struct reps *r);
/*
 * @series holds @nseries arrays of @n samples each; @elapsed_ns is the
 * case's time so far.
 */
enum stop_reason reps_check(const struct reps *r, const double *const *series,
			    size_t nseries, size_t n, uint64_t elapsed_ns,
			    int interrupted);
/* Half the 95% CI's width of the median, over the median. */
double median_ci_rel_halfwidth(const double *x, size_t n);
const char *stop_reason_name(enum stop_reason why);
/* A few letters for the table: fixed, ci, time, max-n, intr. */
const char *stop_reason_short(enum stop_reason why);

#endif
