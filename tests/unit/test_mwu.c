// SPDX-License-Identifier: GPL-2.0
/*
 * Mann-Whitney U and Hodges-Lehmann (results/mwu.h) against values
 * computed independently of results/mwu.c:
 *  - R's documented example (?wilcox.test, data from Hollander & Wolfe
 *    1973, p. 69): wilcox.test(x, y, alternative = "greater") gives
 *    W = 35, p-value = 0.1272. The two-sided p, the estimate and the
 *    interval were enumerated with a separate Python script over all
 *    C(15, 5) = 3003 rank sets: P(W >= 35) = 382/3003, two-sided
 *    764/3003 = 0.254412; Hodges-Lehmann 0.305 (median of the 50
 *    differences x - y); qwilcox(0.025, 5, 10) = 9 with
 *    P(W <= 8) = 60/3003, so the interval is [d(9), d(42)] =
 *    [-0.15, 0.76] with coverage 1 - 120/3003 = 0.960040.
 *  - Small cases worked by hand in the comments.
 *  - The exact distribution against a brute-force count over bitmasks
 *    done here.
 */
#include <math.h>
#include <stdlib.h>

#include <criterion/criterion.h>

#include "mwu.h"

#define EPS 1e-9

static int close_to(double a, double b, double eps)
{
	return fabs(a - b) <= eps;
}

Test(mwu, r_documented_example)
{
	/* base = y, new = x: U counts x > y, which is R's W for (x, y) */
	const double x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
	const double y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
	struct mwu_result r;

	cr_assert_eq(mwu_test(y, 5, x, 10, 0.95, &r), 0);
	cr_assert_eq(r.method, MWU_EXACT, "no ties and n < 50: exact");
	cr_assert(close_to(r.u, 35, 0), "U = %g, want 35", r.u);
	cr_assert(close_to(r.p, 764.0 / 3003, EPS), "p = %.9f, want %.9f", r.p, 764.0 / 3003);
	cr_assert(close_to(r.shift, 0.305, EPS), "shift = %.9f, want 0.305", r.shift);
	cr_assert(close_to(r.shift_low, -0.15, EPS), "low = %.9f, want -0.15", r.shift_low);
	cr_assert(close_to(r.shift_high, 0.76, EPS), "high = %.9f, want 0.76", r.shift_high);
	cr_assert(close_to(r.ci_level, 1 - 120.0 / 3003, EPS), "coverage %.9f", r.ci_level);
	/* R's one-sided p from its documentation, as a cross-check of the tail */
	cr_assert(close_to(1 - mwu_exact_cdf(34, 5, 10), 0.1272, 5e-5));
}

/*
 * x = {1, 2, 3}, y = {4, 5, 6}: every y exceeds every x, U = 9. Of the
 * C(6, 3) = 20 equally likely rank sets only {4, 5, 6} gives U = 9, so
 * p = 2 / 20 = 0.1. The 9 differences y - x are 1 2 2 3 3 3 4 4 5,
 * median 3. P(U <= 0) = 1/20 = 0.05 >= 0.025, so qwilcox gives 0, which
 * R raises to 1: the interval is [d(1), d(9)] = [1, 5] with coverage
 * 1 - 2 * P(U <= 0) = 0.9.
 */
Test(mwu, three_against_three_by_hand)
{
	const double x[] = { 2, 1, 3 }, y[] = { 6, 4, 5 };
	struct mwu_result r;

	cr_assert_eq(mwu_test(x, 3, y, 3, 0.95, &r), 0);
	cr_assert_eq(r.method, MWU_EXACT);
	cr_assert(close_to(r.u, 9, 0));
	cr_assert(close_to(r.p, 0.1, EPS), "p = %g", r.p);
	cr_assert(close_to(r.shift, 3, EPS));
	cr_assert(close_to(r.shift_low, 1, EPS) && close_to(r.shift_high, 5, EPS),
		  "[%g, %g]", r.shift_low, r.shift_high);
	cr_assert(close_to(r.ci_level, 0.9, EPS));
	/* swapping the sides mirrors everything */
	cr_assert_eq(mwu_test(y, 3, x, 3, 0.95, &r), 0);
	cr_assert(close_to(r.u, 0, 0) && close_to(r.p, 0.1, EPS) && close_to(r.shift, -3, EPS));
}

/*
 * Ties: x = {1, 2, 2}, y = {2, 3, 3}. Sorted: 1x 2x 2x 2y 3y 3y; the 2s
 * share rank (2+3+4)/3 = 3, the 3s (5+6)/2 = 5.5. y's rank sum is
 * 3 + 5.5 + 5.5 = 14, U = 14 - 3*4/2 = 8; mn/2 = 4.5. Tie groups of 1, 3
 * and 2: sum(t^3 - t) = 0 + 24 + 6 = 30. sigma^2 = 9/12 * (7 - 30/30)
 * = 4.5. z = (8 - 4.5 - 0.5) / sqrt(4.5) = sqrt(2) = 1.4142136;
 * p = 2 * (1 - Phi(sqrt 2)) = 2 * 0.0786496035 = 0.157299207.
 */
Test(mwu, ties_use_the_corrected_normal_approximation)
{
	const double x[] = { 1, 2, 2 }, y[] = { 2, 3, 3 };
	struct mwu_result r;

	cr_assert_eq(mwu_test(x, 3, y, 3, 0.95, &r), 0);
	cr_assert_eq(r.method, MWU_NORMAL, "ties force the normal approximation");
	cr_assert(close_to(r.u, 8, 0), "U = %g", r.u);
	cr_assert(close_to(r.p, 0.157299207, 1e-8), "p = %.9f", r.p);
}

Test(mwu, identical_values_give_p_one_and_no_shift)
{
	const double x[] = { 0.25, 0.25, 0.25, 0.25 }, y[] = { 0.25, 0.25, 0.25 };
	struct mwu_result r;

	cr_assert_eq(mwu_test(x, 4, y, 3, 0.95, &r), 0);
	cr_assert(close_to(r.p, 1, 0) && close_to(r.shift, 0, 0));
	cr_assert(close_to(r.shift_low, 0, 0) && close_to(r.shift_high, 0, 0));
}

Test(mwu, empty_sample_is_refused)
{
	const double x[] = { 1 };
	struct mwu_result r;

	cr_assert_eq(mwu_test(x, 1, x, 0, 0.95, &r), -1);
	cr_assert_eq(mwu_test(x, 0, x, 1, 0.95, &r), -1);
}

/* P(U <= u) by counting every way to pick the m ranks of the first sample. */
static double brute_cdf(unsigned int u, unsigned int m, unsigned int n)
{
	unsigned long long hit = 0, all = 0;

	for (unsigned int mask = 0; mask < 1u << (m + n); mask++) {
		unsigned int bits = __builtin_popcount(mask), ranks = 0;

		if (bits != n)
			continue;
		for (unsigned int i = 0; i < m + n; i++)
			if (mask & 1u << i)
				ranks += i + 1;
		all++;
		hit += ranks - n * (n + 1) / 2 <= u;
	}
	return (double)hit / all;
}

Test(mwu, exact_distribution_matches_brute_force)
{
	const unsigned int sizes[][2] = { { 1, 1 }, { 2, 3 }, { 4, 6 }, { 7, 5 }, { 8, 8 } };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned int m = sizes[i][0], n = sizes[i][1];

		for (unsigned int u = 0; u <= m * n; u++)
			cr_assert(close_to(mwu_exact_cdf(u, m, n), brute_cdf(u, m, n), 1e-12),
				  "P(U <= %u) for m=%u n=%u: %.12f, counted %.12f", u, m, n,
				  mwu_exact_cdf(u, m, n), brute_cdf(u, m, n));
	}
}

/*
 * 3000 against 3000 values is 9 million differences: the estimate is
 * taken between quantiles. y = x + 5 exactly, so the quantiles of y are
 * those of x plus 5 and the median difference is 5.
 * The interval, worked out from the continuous limit: x is uniform on
 * [100, 200) (a = 100 wide), so y - x - 5 is triangular on [-a, a].
 * sigma_U = sqrt(mn (N + 1) / 12) = sqrt(9e6 * 6001 / 12) = 67082.0;
 * k / mn = 1/2 - 1.959964 * 67082.0 / 9e6 = 0.485391. The triangular
 * quantile there: (a + t)^2 / (2 a^2) = 0.485391 gives
 * t = a (sqrt(0.970782) - 1) = -1.4717, so [3.528, 6.472]; the grid of
 * x (steps of 1/30) and the quantile thinning move it by well under 0.1.
 */
Test(mwu, large_samples_recover_a_constant_shift)
{
	size_t n = 3000;
	double *x = malloc(n * sizeof(*x)), *y = malloc(n * sizeof(*y));
	struct mwu_result r;

	cr_assert(x && y);
	for (size_t i = 0; i < n; i++) {
		x[i] = 100 + (double)((i * 7919) % n) / 30;
		y[i] = x[i] + 5;
	}
	cr_assert_eq(mwu_test(x, n, y, n, 0.95, &r), 0);
	cr_assert_eq(r.method, MWU_NORMAL);
	cr_assert(close_to(r.shift, 5, 1e-9), "shift %g", r.shift);
	cr_assert(close_to(r.shift_low, 3.528, 0.1) && close_to(r.shift_high, 6.472, 0.1),
		  "[%g, %g], want about [3.528, 6.472]", r.shift_low, r.shift_high);
	cr_assert(r.p < 1e-6, "p %g", r.p);
	free(x);
	free(y);
}
