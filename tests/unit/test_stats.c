// SPDX-License-Identifier: GPL-2.0
/*
 * stats_summarise() and stats_median_ci_rank() (results/stats.h) against
 * numbers worked out by hand (in the comments) and against an exact
 * integer binomial computed here, not by GSL.
 *
 * Conventions the expectations follow:
 *  - sd is the sample standard deviation, divisor n - 1.
 *  - Quartiles are GSL's gsl_stats_quantile_from_sorted_data(): for
 *    fraction f on sorted x[0..n-1], i = f * (n - 1), then
 *    q = (1 - d) * x[floor(i)] + d * x[floor(i) + 1] with d = i - floor(i)
 *    (the GSL manual, "Median and Percentiles"; R's type 7).
 *  - The median CI is [x(l), x(n-l+1)] (1-based order statistics) with
 *    l the largest rank with P(B <= l-1) <= (1-level)/2, B ~ Bin(n, 1/2),
 *    l >= 1, and coverage 1 - 2 P(B <= l-1).
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "stats.h"

#define EPS 1e-12

static int close_to(double a, double b)
{
	return fabs(a - b) <= EPS * (fabs(b) > 1 ? fabs(b) : 1);
}

/* P(B <= k) for B ~ Bin(n, 1/2), n <= 60, from exact integer C(n, i). */
static double binom_cdf_half(unsigned int k, unsigned int n)
{
	unsigned long long c = 1, sum = 0;

	for (unsigned int i = 0; i <= k && i <= n; i++) {
		sum += c;
		c = c * (n - i) / (i + 1);	/* C(n, i+1), exact */
	}
	return ldexp((double)sum, -(int)n);
}

/*
 * x = {1..9} (given shuffled): sorted 1 2 3 4 5 6 7 8 9.
 * median x[4] = 5; mean 45/9 = 5;
 * squared deviations 16+9+4+1+0+1+4+9+16 = 60, sd = sqrt(60/8) = sqrt(7.5);
 * p25: i = 0.25*8 = 2 -> x[2] = 3; p75: i = 6 -> x[6] = 7.
 * CI, level 0.95, alpha/2 = 0.025: Bin(9, 1/2) cumulative counts
 * (of 512): P(B<=0) = 1, P(B<=1) = 1+9 = 10, P(B<=2) = 10+36 = 46.
 * 10/512 = 0.0195 <= 0.025 but 46/512 = 0.0898 > 0.025, so l = 2:
 * [x(2), x(8)] = [2, 8], coverage 1 - 2*10/512 = 0.9609375.
 */
Test(stats, one_to_nine)
{
	const double x[] = { 9, 1, 8, 2, 7, 3, 6, 4, 5 };
	struct sample_stats s;
	int ret = stats_summarise(x, 9, 0.95, &s);

	cr_assert(ret == 0, "stats_summarise of 9 samples should return 0, got %d", ret);
	cr_assert(s.n == 9, "n should be 9, got %zu", s.n);
	cr_assert(close_to(s.median, 5), "median should be 5, got %.17g", s.median);
	cr_assert(close_to(s.mean, 5), "mean should be 5, got %.17g", s.mean);
	cr_assert(close_to(s.sd, sqrt(7.5)), "sd should be sqrt(7.5) = %.17g, got %.17g",
		  sqrt(7.5), s.sd);
	cr_assert(s.min == 1 && s.max == 9, "min/max should be 1/9, got %g/%g", s.min, s.max);
	cr_assert(close_to(s.p25, 3), "p25 (GSL) should be 3, got %.17g", s.p25);
	cr_assert(close_to(s.p75, 7), "p75 (GSL) should be 7, got %.17g", s.p75);
	cr_assert(s.ci_low == 2 && s.ci_high == 8, "95%% CI should be [2, 8], got [%g, %g]",
		  s.ci_low, s.ci_high);
	cr_assert(close_to(s.ci_level, 1.0 - 20.0 / 512),
		  "CI coverage should be 1 - 20/512 = 0.9609375, got %.17g", s.ci_level);
}

/*
 * x = {1..10}: median (5 + 6)/2 = 5.5; mean 55/10 = 5.5;
 * squared deviations 2*(0.25+2.25+6.25+12.25+20.25) = 82.5, sd = sqrt(82.5/9);
 * p25: i = 0.25*9 = 2.25 -> 0.75*3 + 0.25*4 = 3.25;
 * p75: i = 6.75 -> 0.25*7 + 0.75*8 = 7.75.
 * CI: l = 2 (see median_ci_rank_n10): [x(2), x(9)] = [2, 9].
 */
Test(stats, one_to_ten_even_n)
{
	const double x[] = { 10, 3, 7, 1, 5, 9, 2, 8, 4, 6 };
	struct sample_stats s;

	cr_assert(stats_summarise(x, 10, 0.95, &s) == 0, "10 samples should summarise");
	cr_assert(close_to(s.median, 5.5), "even-n median should be 5.5, got %.17g", s.median);
	cr_assert(close_to(s.mean, 5.5), "mean should be 5.5, got %.17g", s.mean);
	cr_assert(close_to(s.sd, sqrt(82.5 / 9)), "sd should be sqrt(82.5/9) = %.17g, got %.17g",
		  sqrt(82.5 / 9), s.sd);
	cr_assert(close_to(s.p25, 3.25), "p25 (GSL) should be 3.25, got %.17g", s.p25);
	cr_assert(close_to(s.p75, 7.75), "p75 (GSL) should be 7.75, got %.17g", s.p75);
	cr_assert(s.ci_low == 2 && s.ci_high == 9, "95%% CI should be [2, 9], got [%g, %g]",
		  s.ci_low, s.ci_high);
	cr_assert(close_to(s.ci_level, 0.978515625),
		  "CI coverage should be 1 - 22/1024 = 0.978515625, got %.17g", s.ci_level);
}

/*
 * n = 10, Bin(10, 1/2) cumulative counts of 1024: P(B<=0) = 1,
 * P(B<=1) = 11, P(B<=2) = 56. 11/1024 = 0.0107 <= 0.025, 56/1024 = 0.0547 > 0.025:
 * l = 2, coverage 1 - 2*11/1024 = 0.978515625.
 */
Test(stats, median_ci_rank_n10)
{
	double cov = -1;
	size_t l = stats_median_ci_rank(10, 0.95, &cov);

	cr_assert(l == 2, "n=10, 95%%: l should be 2, got %zu", l);
	cr_assert(close_to(cov, 0.978515625), "n=10: coverage should be 0.978515625, got %.17g", cov);
}

/*
 * n = 8, of 256: P(B<=0) = 1, P(B<=1) = 9. 9/256 = 0.035 > 0.025, so
 * l = 1 (the extremes), coverage 1 - 2/256 = 0.9921875.
 */
Test(stats, median_ci_rank_n8)
{
	double cov = -1;
	size_t l = stats_median_ci_rank(8, 0.95, &cov);

	cr_assert(l == 1, "n=8, 95%%: l should be 1, got %zu", l);
	cr_assert(close_to(cov, 1.0 - 2.0 / 256), "n=8: coverage should be 1 - 2/256, got %.17g", cov);
}

/*
 * n = 20, of 2^20 = 1048576: C(20,0..5) = 1, 20, 190, 1140, 4845, 15504,
 * P(B<=5) = 21700/1048576 = 0.0207 <= 0.025; C(20,6) = 38760,
 * P(B<=6) = 60460/1048576 = 0.0577 > 0.025. l = 6,
 * coverage 1 - 43400/1048576 = 0.95861053466796875.
 */
Test(stats, median_ci_rank_n20)
{
	double cov = -1;
	size_t l = stats_median_ci_rank(20, 0.95, &cov);

	cr_assert(l == 6, "n=20, 95%%: l should be 6, got %zu", l);
	cr_assert(close_to(cov, 1.0 - 43400.0 / 1048576),
		  "n=20: coverage should be 0.95861053466796875, got %.17g", cov);
}

/*
 * n = 5: P(B<=0) = 1/32 = 0.03125 > 0.025, so even [x(1), x(5)] covers
 * only 1 - 2/32 = 0.9375 < 0.95: l = 1, and the coverage says so.
 */
Test(stats, median_ci_rank_small_n_cannot_reach_level)
{
	double cov = -1;
	size_t l = stats_median_ci_rank(5, 0.95, &cov);

	cr_assert(l == 1, "n=5, 95%%: l should be 1 (widest), got %zu", l);
	cr_assert(close_to(cov, 0.9375), "n=5: coverage should be 0.9375, got %.17g", cov);
}

/* The definition checked for every n up to 60 against the exact binomial. */
Test(stats, median_ci_rank_matches_exact_binomial)
{
	const double levels[] = { 0.90, 0.95, 0.99 };

	for (size_t li = 0; li < 3; li++) {
		double half = (1.0 - levels[li]) / 2;

		for (unsigned int n = 1; n <= 60; n++) {
			size_t want = 1, l;
			double cov;

			/* Largest l <= (n+1)/2 with P(B <= l-1) <= alpha/2. */
			while (want + 1 <= (n + 1) / 2 && binom_cdf_half(want, n) <= half)
				want++;
			l = stats_median_ci_rank(n, levels[li], &cov);
			cr_assert(l == want, "n=%u level %.2f: l should be %zu, got %zu",
				  n, levels[li], want, l);
			cr_assert(fabs(cov - (1 - 2 * binom_cdf_half(want - 1, n))) < 1e-12,
				  "n=%u level %.2f: coverage should be %.17g, got %.17g", n,
				  levels[li], 1 - 2 * binom_cdf_half(want - 1, n), cov);
		}
	}
}

/*
 * One sample: median = mean = min = max = p25 = p75 = 42, sd 0 (no spread
 * defined; the header's choice), CI [42, 42]. Its coverage is
 * 1 - 2 P(B<=0 | n=1) = 1 - 2*0.5 = 0: a point cannot cover a continuous median.
 */
Test(stats, one_sample)
{
	const double x[] = { 42 };
	struct sample_stats s;

	cr_assert(stats_summarise(x, 1, 0.95, &s) == 0, "one sample should summarise");
	cr_assert(s.n == 1 && s.median == 42 && s.mean == 42 && s.min == 42 && s.max == 42,
		  "n=1: every location should be 42: median %g mean %g min %g max %g",
		  s.median, s.mean, s.min, s.max);
	cr_assert(s.sd == 0, "n=1: sd should be 0, got %g", s.sd);
	cr_assert(s.p25 == 42 && s.p75 == 42, "n=1: quartiles should be 42, got %g %g",
		  s.p25, s.p75);
	cr_assert(s.ci_low == 42 && s.ci_high == 42, "n=1: CI should be [42, 42], got [%g, %g]",
		  s.ci_low, s.ci_high);
	cr_assert(s.ci_level == 0, "n=1: coverage should be 0, got %g", s.ci_level);
}

Test(stats, zero_samples)
{
	const double x[] = { 1 };
	struct sample_stats s;

	memset(&s, 0x55, sizeof(s));
	cr_assert(stats_summarise(x, 0, 0.95, &s) == -1, "n=0 should return -1");
	cr_assert(s.n == 0, "n=0: s.n should be 0, got %zu", s.n);
}

Test(stats, input_not_modified)
{
	double x[] = { 5, 3, 9, 1, 7, 2, 8 };
	double copy[sizeof(x) / sizeof(x[0])];
	struct sample_stats s;

	memcpy(copy, x, sizeof(x));
	stats_summarise(x, 7, 0.95, &s);
	cr_assert(!memcmp(x, copy, sizeof(x)), "stats_summarise must not reorder its input");
	cr_assert(s.median == 5, "median of {1,2,3,5,7,8,9} should be 5, got %g", s.median);
}

/* Pseudo-random samples (a fixed LCG): the CI always brackets the median. */
Test(stats, ci_contains_median)
{
	double x[80];
	unsigned long long r = 12345;

	for (size_t n = 1; n <= 80; n++) {
		struct sample_stats s;

		for (size_t i = 0; i < n; i++) {
			r = r * 6364136223846793005ULL + 1442695040888963407ULL;
			x[i] = (double)(r >> 11) / 9007199254740992.0 * 1000.0;
		}
		cr_assert(stats_summarise(x, n, 0.95, &s) == 0, "n=%zu should summarise", n);
		cr_assert(s.ci_low <= s.median && s.median <= s.ci_high,
			  "n=%zu: CI [%g, %g] should contain the median %g",
			  n, s.ci_low, s.ci_high, s.median);
		cr_assert(s.min <= s.p25 && s.p25 <= s.median && s.median <= s.p75 &&
			  s.p75 <= s.max,
			  "n=%zu: min <= p25 <= median <= p75 <= max should hold: %g %g %g %g %g",
			  n, s.min, s.p25, s.median, s.p75, s.max);
		/* l = 1 covers 1 - 2^(1-n) >= 0.95 from n = 6; l > 1 only when it covers. */
		if (n >= 6)
			cr_assert(s.ci_level >= 0.95,
				  "n=%zu: coverage %g should reach 0.95 (n >= 6 can)", n, s.ci_level);
	}
}
