/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HMMBENCH_STATS_H
#define HMMBENCH_STATS_H

#include <stddef.h>

/* How a set of samples is summarised everywhere hmmbench prints a number. */
struct sample_stats {
	size_t n;
	double median, mean, sd, min, max, p25, p75;
	/*
	 * Distribution-free confidence interval of the median from order
	 * statistics: [x(l), x(n-l+1)] with the binomial(n, 1/2) coverage
	 * @ci_level actually achieved (>= the level asked for, when n allows).
	 */
	double ci_low, ci_high, ci_level;
};

/* Returns -1 when @n is 0; @x is not modified. */
int stats_summarise(const double *x, size_t n, double level,
		    struct sample_stats *s);

/*
 * The 1-based order statistic index l of the median's interval on @n
 * samples, and its coverage; the widest interval (l = 1) when even the
 * extremes cannot reach @level.
 */
size_t stats_median_ci_rank(size_t n, double level, double *coverage);

#endif
