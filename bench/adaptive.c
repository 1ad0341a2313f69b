// SPDX-License-Identifier: GPL-2.0
#include <math.h>

#include "adaptive.h"
#include "stats.h"

size_t reps_capacity(const struct reps *r)
{
	return r->fixed ? r->fixed : r->max_samples;
}

unsigned int reps_count(const struct reps *r)
{
	return r->fixed ? r->fixed : r->min_samples;
}

double median_ci_rel_halfwidth(const double *x, size_t n)
{
	struct sample_stats s;

	if (stats_summarise(x, n, 0.95, &s) || s.median == 0 || s.ci_level < 0.95)
		return INFINITY;
	return (s.ci_high - s.ci_low) / 2.0 / fabs(s.median);
}

enum stop_reason reps_check(const struct reps *r, const double *const *series,
			    size_t nseries, size_t n, uint64_t elapsed_ns,
			    int interrupted)
{
	if (interrupted)
		return STOP_INTERRUPTED;
	if (r->fixed)
		return n >= r->fixed ? STOP_FIXED : STOP_NOT_YET;
	/* min_samples is a floor that even max_time does not lower. */
	if (n < r->min_samples)
		return STOP_NOT_YET;
	if (n >= r->max_samples)
		return STOP_MAX_SAMPLES;
	if (elapsed_ns / 1e9 >= r->max_time_s)
		return STOP_MAX_TIME;
	for (size_t i = 0; i < nseries; i++)
		if (median_ci_rel_halfwidth(series[i], n) > r->target_ci)
			return STOP_NOT_YET;
	return STOP_CI;
}

const char *stop_reason_name(enum stop_reason why)
{
	static const char *const names[] = {
		"running", "repetitions", "target_ci", "max_samples", "max_time",
		"interrupted",
	};

	return names[why];
}

const char *stop_reason_short(enum stop_reason why)
{
	static const char *const names[] = {
		"run", "fixed", "ci", "max-n", "time", "intr",
	};

	return names[why];
}
