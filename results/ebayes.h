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
	/* filled by mt_row_fit */
	double diff;		/* mean(b) - mean(a) */
	double s2, df;		/* pooled variance, na + nb - 2 */
	double unscaled;	/* sqrt(1/na + 1/nb) */
	/* filled by mt_test */
	double s2post, dftotal, se, t, p;
};

/* Means, the pooled variance and its degrees of freedom of one row. */
void mt_row_fit(struct mt_row *r);

/*
 * Fits every row, the prior over them all (unless @prior_in is given),
 * then each row's moderated t and two-sided p. The prior used goes to
 * @prior_out when not NULL. -1 without memory.
 */
int mt_test(struct mt_row *rows, size_t n, const struct eb_prior *prior_in,
	    struct eb_prior *prior_out);

/* The t quantile with @df degrees of freedom (INFINITY: normal). */
double mt_tquantile(double p, double df);

#endif
