/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The moderated two-sample t test of Smyth (2004), "Linear models and
 * empirical Bayes methods for assessing differential expression in
 * microarray experiments", Stat. Appl. Genet. Mol. Biol. 3(1): the answer
 * to "few replicates, many rows" that R's limma gives (lmFit with a
 * two-group design, then eBayes without trend or robust).
 *
 * Each row has a handful of replicates per side (here: one summary per
 * boot). Its own variance estimate s^2 on d degrees of freedom is too
 * rough to test on; the s^2 of all rows together tell how variable
 * variances are. A scaled inverse chi-square prior (s0^2, d0) is fitted
 * to them by moments of log s^2 (limma's fitFDist), each row's variance
 * is shrunk towards s0^2: (d0 s0^2 + d s^2) / (d0 + d), and the t
 * statistic on it has d0 + d degrees of freedom (at most the sum of all
 * rows' d). d0 = 0 is the ordinary pooled t test; d0 = infinity (rows
 * all alike) tests with the common variance.
 */
#ifndef HMMBENCH_EBAYES_H
#define HMMBENCH_EBAYES_H

#include <stddef.h>

struct eb_prior {
	double d0;	/* prior degrees of freedom: 0, finite, or INFINITY */
	double s0sq;	/* prior variance */
};

/*
 * Fits the prior to the variances @s2 of @n rows on @df degrees of
 * freedom each, as limma's fitFDist(s2, df) does; rows with df <= 0 or a
 * non-finite s2 are left out. Fewer than two rows: d0 = 0.
 */
void eb_fit_prior(const double *s2, const double *df, size_t n, struct eb_prior *p);

/* The y with trigamma(y) = @x (limma's trigammaInverse), x > 0. */
double eb_trigamma_inverse(double x);

/* One row of a two-sample comparison: values of base @a and new @b. */
struct mt_row {
	const double *a, *b;
	size_t na, nb;		/* both >= 2 */
	/*
	 * One value per run, in the same order of runs as every other
	 * aligned row: rows measured in the same boots, whose boot effects
	 * may be shared (a slow boot slows every row).
	 */
	int aligned;
	/* filled by mt_row_fit */
	double diff;		/* mean(b) - mean(a) */
	double s2, df;		/* pooled variance, na + nb - 2 */
	double unscaled;	/* sqrt(1/na + 1/nb) */
	/* filled by mt_test */
	double s2post, dftotal, se, t, p;
};

/* Means, the pooled variance and its degrees of freedom of one row. */
void mt_row_fit(struct mt_row *r);

struct mt_summary {
	struct eb_prior prior;
	/*
	 * Rows measured in the same boots are not independent: when a boot
	 * is slow for every row, their variances all see the same few boots
	 * and together hold far less than the sum of their degrees of
	 * freedom. rho2 is the mean squared correlation between the aligned
	 * rows' residuals (run values less their side's mean), beyond what
	 * independent rows show (1/m on m residual df); rows_eff = G / (1 +
	 * (G - 1) rho2) is how many independent rows they are worth for
	 * estimating a variance. limma caps a row's degrees of freedom at the
	 * sum over all rows; here at that sum times rows_eff / G (@cap_df).
	 * Without aligned rows rho2 is 0: limma's cap.
	 */
	double rho2, rows_eff, cap_df;
};

/*
 * Fits every row, the prior over them all (unless @prior_in is given),
 * then each row's moderated t and two-sided p. What was fitted goes to
 * @sum when not NULL. -1 without memory.
 */
int mt_test(struct mt_row *rows, size_t n, const struct eb_prior *prior_in,
	    struct mt_summary *sum);

/*
 * The mean squared correlation between aligned rows beyond chance (see
 * struct mt_summary), from rows already fitted. 0 with fewer than two
 * aligned rows of one shape; 1 (the worst case) when one residual df
 * leaves nothing to estimate it from.
 */
double mt_shared_rho2(const struct mt_row *rows, size_t n);

/* The t quantile with @df degrees of freedom (INFINITY: normal). */
double mt_tquantile(double p, double df);

#endif
