/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Mann-Whitney U (Wilcoxon rank-sum) test of two independent samples,
 * with the Hodges-Lehmann estimate of the shift between them and its
 * confidence interval, as R's wilcox.test(y, x, conf.int = TRUE) reports
 * them.
 *
 * Exact null distribution when both samples have fewer than 50 values
 * and there are no ties (R's rule); otherwise the normal approximation
 * with the tie correction of the variance and a continuity correction.
 * The result says which was used.
 */
#ifndef HMMBENCH_MWU_H
#define HMMBENCH_MWU_H

#include <stddef.h>

enum mwu_method { MWU_EXACT, MWU_NORMAL };

struct mwu_result {
	enum mwu_method method;
	double u;		/* pairs (x, y) with y > x, ties counting 1/2 */
	double p;		/* two-sided */
	double shift;		/* Hodges-Lehmann: median of all y - x */
	double shift_low, shift_high;	/* confidence interval of the shift */
	double ci_level;	/* coverage the interval really has (exact), */
				/* or the level asked for (normal) */
};

/*
 * Tests base @x (@nx values) against new @y (@ny values) at confidence
 * @level (e.g. 0.95). Returns -1 if a sample is empty or memory runs out.
 */
int mwu_test(const double *x, size_t nx, const double *y, size_t ny,
	     double level, struct mwu_result *r);

/* "exact" or "normal approximation, ties corrected" */
const char *mwu_method_name(enum mwu_method m);

/*
 * P(U <= u) under the null hypothesis for samples of @m and @n values
 * without ties; exposed for the tests.
 */
double mwu_exact_cdf(double u, size_t m, size_t n);

#endif
