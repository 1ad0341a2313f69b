// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats.h"

size_t stats_median_ci_rank(size_t n, double level, double *coverage)
{
	double alpha_half = (1.0 - level) / 2.0;
	size_t l = 1;

	/* Largest l with P(B <= l-1) <= alpha/2, B ~ Binomial(n, 1/2). */
	while (l < (n + 1) / 2 &&
	       gsl_cdf_binomial_P(l, 0.5, n) <= alpha_half)
		l++;
	if (coverage)
		*coverage = n ? 1.0 - 2.0 * gsl_cdf_binomial_P(l - 1, 0.5, n) : 0;
	return l;
}

int stats_summarise(const double *x, size_t n, double level,
		    struct sample_stats *s)
{
	double *sorted;
	size_t l;

	memset(s, 0, sizeof(*s));
	if (!n)
		return -1;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return -1;
	memcpy(sorted, x, n * sizeof(*sorted));
	gsl_sort(sorted, 1, n);

	s->n = n;
	s->median = gsl_stats_median_from_sorted_data(sorted, 1, n);
	s->mean = gsl_stats_mean(sorted, 1, n);
	s->sd = n > 1 ? gsl_stats_sd_m(sorted, 1, n, s->mean) : 0.0;
	s->min = sorted[0];
	s->max = sorted[n - 1];
	s->p25 = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.25);
	s->p75 = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 0.75);
	l = stats_median_ci_rank(n, level, &s->ci_level);
	s->ci_low = sorted[l - 1];
	s->ci_high = sorted[n - l];
	free(sorted);
	return 0;
}
