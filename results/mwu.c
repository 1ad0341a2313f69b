// SPDX-License-Identifier: GPL-2.0
/*
 * Mann-Whitney U and Hodges-Lehmann, following R's wilcox.test():
 *  - U counts the pairs with y > x (ties 1/2); under the null hypothesis
 *    it is symmetric about m*n/2.
 *  - Exact: the distribution of U is counted over all C(m+n, m) ways to
 *    place the m ranks; p = 2 * min(P(U <= u), P(U >= u)), capped at 1.
 *  - Normal: z = (u - mn/2 - sign * 1/2) / sigma with
 *    sigma^2 = mn/12 * ((N + 1) - sum(t^3 - t) / (N (N - 1))), t the size
 *    of each group of tied values (GSL's gaussian distribution).
 *  - The shift is the median of all m*n differences y - x; its interval
 *    is [d(k), d(mn - k + 1)] of the sorted differences, k the lower
 *    alpha/2 quantile of U (exact, R's qwilcox), or in the normal case
 *    k = floor(mn/2 - z(1 - alpha/2) * sigma), the large-sample rank of
 *    Hollander & Wolfe, "Nonparametric Statistical Methods", ch. 4.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "mwu.h"

#define EXACT_BELOW 50
/* Above this many pairs the differences are taken between quantiles. */
#define MAX_PAIRS 4000000
#define THIN_TO 2000

const char *mwu_method_name(enum mwu_method m)
{
	return m == MWU_EXACT ? "exact" : "normal approximation, ties corrected";
}

/*
 * P(U = u) for u = 0..m*n: counts the m-subsets of the ranks 1..m+n by
 * their rank sum s (U = s - m(m+1)/2), dividing by C(m+n, m).
 */
static double *exact_pmf(size_t m, size_t n)
{
	size_t N = m + n, base = m * (m + 1) / 2;
	size_t smax = m * N - m * (m - 1) / 2;
	double *dp = calloc((m + 1) * (smax + 1), sizeof(*dp));
	double *pmf = calloc(m * n + 1, sizeof(*pmf));
	double total;

	if (!dp || !pmf) {
		free(dp);
		free(pmf);
		return NULL;
	}
	dp[0] = 1;
	for (size_t i = 1; i <= N; i++)
		for (size_t k = (i < m ? i : m); k >= 1; k--)
			for (size_t s = smax; s >= i; s--)
				dp[k * (smax + 1) + s] += dp[(k - 1) * (smax + 1) + s - i];
	/* the counts sum to C(N, m) */
	total = 0;
	for (size_t u = 0; u <= m * n; u++)
		total += dp[m * (smax + 1) + base + u];
	for (size_t u = 0; u <= m * n; u++)
		pmf[u] = dp[m * (smax + 1) + base + u] / total;
	free(dp);
	return pmf;
}

static double pmf_cdf(const double *pmf, size_t mn, double u)
{
	double p = 0;

	for (size_t v = 0; v <= mn && v <= u; v++)
		p += pmf[v];
	return p < 1 ? p : 1;
}

double mwu_exact_cdf(double u, size_t m, size_t n)
{
	double *pmf, p;

	if (u < 0)
		return 0;
	pmf = exact_pmf(m, n);
	if (!pmf)
		return NAN;
	p = pmf_cdf(pmf, m * n, u);
	free(pmf);
	return p;
}

struct ranked {
	double v;
	int from_y;
};

static int cmp_ranked(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->v, y = ((const struct ranked *)b)->v;

	return (x > y) - (x < y);
}

/* U for y, and sum(t^3 - t) over groups of ties; -1 without memory. */
static int rank_u(const double *x, size_t nx, const double *y, size_t ny,
		  double *u, double *ties)
{
	size_t N = nx + ny;
	struct ranked *r = malloc(N * sizeof(*r));
	double ysum = 0;

	if (!r)
		return -1;
	for (size_t i = 0; i < nx; i++)
		r[i] = (struct ranked){ x[i], 0 };
	for (size_t j = 0; j < ny; j++)
		r[nx + j] = (struct ranked){ y[j], 1 };
	qsort(r, N, sizeof(*r), cmp_ranked);
	*ties = 0;
	for (size_t i = 0; i < N; ) {
		size_t j = i;

		while (j < N && r[j].v == r[i].v)
			j++;
		/* ranks i+1..j share their average */
		for (size_t k = i; k < j; k++)
			if (r[k].from_y)
				ysum += (i + 1 + j) / 2.0;
		*ties += pow(j - i, 3) - (double)(j - i);
		i = j;
	}
	*u = ysum - ny * (ny + 1) / 2.0;
	free(r);
	return 0;
}

/* @n evenly spaced quantiles of @v (sorted in place) into @out. */
static void thin(double *v, size_t nv, double *out, size_t n)
{
	gsl_sort(v, 1, nv);
	for (size_t i = 0; i < n; i++)
		out[i] = gsl_stats_quantile_from_sorted_data(v, 1, nv,
				n > 1 ? (double)i / (n - 1) : 0.5);
}

/*
 * The sorted differences y - x; thinned to quantiles of each sample when
 * there would be more than MAX_PAIRS of them. Returns their count.
 */
static size_t differences(const double *x, size_t nx, const double *y,
			  size_t ny, double **out)
{
	double *xs = malloc(nx * sizeof(*xs)), *ys = malloc(ny * sizeof(*ys));
	size_t mx = nx, my = ny;
	double *d;

	if (!xs || !ys)
		goto fail;
	memcpy(xs, x, nx * sizeof(*xs));
	memcpy(ys, y, ny * sizeof(*ys));
	if (nx * ny > MAX_PAIRS) {
		mx = nx < THIN_TO ? nx : THIN_TO;
		my = ny < THIN_TO ? ny : THIN_TO;
		thin(xs, nx, xs, mx);
		thin(ys, ny, ys, my);
	}
	d = malloc(mx * my * sizeof(*d));
	if (!d)
		goto fail;
	for (size_t i = 0; i < mx; i++)
		for (size_t j = 0; j < my; j++)
			d[i * my + j] = ys[j] - xs[i];
	gsl_sort(d, 1, mx * my);
	free(xs);
	free(ys);
	*out = d;
	return mx * my;
fail:
	free(xs);
	free(ys);
	return 0;
}

/* 1-based lower rank k of the interval, for @mn differences. */
static size_t exact_rank(const double *pmf, size_t mn, double alpha,
			 double *level)
{
	size_t q = 0;
	double c = pmf[0];

	while (q < mn && c < alpha / 2)
		c += pmf[++q];
	if (q == 0)
		q = 1;
	*level = 1 - 2 * pmf_cdf(pmf, mn, q - 1.0);
	return q;
}

static void exact_test(struct mwu_result *r, size_t nx, size_t ny,
		       double level, size_t *k)
{
	double *pmf = exact_pmf(nx, ny);
	double mn = (double)nx * ny, lower;

	if (!pmf) {
		r->p = NAN;
		*k = 1;
		return;
	}
	/* as R: the tail on the side of u, P(U >= u) = P(U <= mn - u) */
	lower = r->u > mn / 2 ? pmf_cdf(pmf, nx * ny, mn - r->u)
			      : pmf_cdf(pmf, nx * ny, r->u);
	r->p = fmin(1, 2 * lower);
	*k = exact_rank(pmf, nx * ny, 1 - level, &r->ci_level);
	free(pmf);
}

static void normal_test(struct mwu_result *r, size_t nx, size_t ny,
			double ties, double level, size_t *k)
{
	double N = nx + ny, mn = (double)nx * ny;
	double sigma = sqrt(mn / 12 * ((N + 1) - ties / (N * (N - 1))));
	double z = r->u - mn / 2, zq = gsl_cdf_ugaussian_Qinv((1 - level) / 2);
	double kk = floor(mn / 2 - zq * sigma);

	if (sigma > 0) {
		z = (z - (z > 0 ? 0.5 : z < 0 ? -0.5 : 0)) / sigma;
		r->p = fmin(1, 2 * fmin(gsl_cdf_ugaussian_P(z), gsl_cdf_ugaussian_Q(z)));
	} else {
		r->p = 1;	/* every value equal: no evidence of a shift */
	}
	*k = kk < 1 ? 1 : (size_t)kk;
	r->ci_level = level;
}

int mwu_test(const double *x, size_t nx, const double *y, size_t ny,
	     double level, struct mwu_result *r)
{
	double ties, *d, frac;
	size_t k, nd;

	memset(r, 0, sizeof(*r));
	if (!nx || !ny || rank_u(x, nx, y, ny, &r->u, &ties))
		return -1;
	if (nx < EXACT_BELOW && ny < EXACT_BELOW && ties == 0) {
		r->method = MWU_EXACT;
		exact_test(r, nx, ny, level, &k);
	} else {
		r->method = MWU_NORMAL;
		normal_test(r, nx, ny, ties, level, &k);
	}
	nd = differences(x, nx, y, ny, &d);
	if (!nd)
		return -1;
	r->shift = gsl_stats_median_from_sorted_data(d, 1, nd);
	/* k is a 1-based rank among nx*ny; map it if they were thinned */
	if (nd == nx * ny) {
		k--;
	} else {
		frac = (k - 1.0) / ((double)nx * ny);
		k = (size_t)(frac * nd);
	}
	if (k > (nd - 1) / 2)
		k = (nd - 1) / 2;
	r->shift_low = d[k];
	r->shift_high = d[nd - 1 - k];
	free(d);
	return 0;
}
