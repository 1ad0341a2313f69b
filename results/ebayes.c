// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_psi.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "ebayes.h"

double eb_trigamma_inverse(double x)
{
	double y;

	if (!(x > 0))
		return NAN;
	if (x > 1e7)
		return 1 / sqrt(x);
	if (x < 1e-6)
		return 1 / x;
	/* Newton's method from limma: trigamma is convex and decreasing */
	y = 0.5 + 1 / x;
	for (int i = 0; i < 50; i++) {
		double tri = gsl_sf_psi_1(y);
		double dif = tri * (1 - tri / x) / gsl_sf_psi_n(2, y);

		y += dif;
		if (-dif / y < 1e-8)
			break;
	}
	return y;
}

/*
 * The rows fitFDist keeps, into @x (variances) and @d (their degrees of
 * freedom), with zero variances offset away from zero as limma does.
 */
static size_t usable(const double *s2, const double *df, size_t n,
		     double *x, double *d, double *scratch)
{
	size_t k = 0;
	double m;

	for (size_t i = 0; i < n; i++)
		if (isfinite(df[i]) && df[i] > 1e-15 && isfinite(s2[i]) && s2[i] > -1e-15) {
			x[k] = fmax(s2[i], 0);
			d[k++] = df[i];
		}
	if (k < 2)
		return k;
	memcpy(scratch, x, k * sizeof(*x));
	gsl_sort(scratch, 1, k);
	m = gsl_stats_median_from_sorted_data(scratch, 1, k);
	if (m == 0)
		m = 1;	/* limma: "more than half of the variances are zero" */
	for (size_t i = 0; i < k; i++)
		x[i] = fmax(x[i], 1e-5 * m);
	return k;
}

/* log s^2 - E[log(chi^2_d / d)]: unbiased for log s0^2 under the prior. */
static double centred_log(double s2, double d)
{
	return log(s2) - gsl_sf_psi(d / 2) + log(d / 2);
}

void eb_fit_prior(const double *s2, const double *df, size_t n, struct eb_prior *p)
{
	double *x = malloc((n + 1) * sizeof(*x)), *d = malloc((n + 1) * sizeof(*d));
	double *scratch = malloc((n + 1) * sizeof(*scratch));
	double emean = 0, evar = 0, tri = 0;
	size_t k;

	p->d0 = 0;
	p->s0sq = NAN;
	if (!x || !d || !scratch)
		goto out;
	k = usable(s2, df, n, x, d, scratch);
	if (k < 2) {
		if (k == 1)
			p->s0sq = x[0];
		goto out;
	}
	for (size_t i = 0; i < k; i++)
		emean += centred_log(x[i], d[i]);
	emean /= k;
	for (size_t i = 0; i < k; i++) {
		double e = centred_log(x[i], d[i]) - emean;

		evar += e * e;
		tri += gsl_sf_psi_1(d[i] / 2);
	}
	/* what the spread of log s^2 has beyond the sampling of chi^2_d */
	evar = evar / (k - 1) - tri / k;
	if (evar > 0) {
		p->d0 = 2 * eb_trigamma_inverse(evar);
		p->s0sq = exp(emean + gsl_sf_psi(p->d0 / 2) - log(p->d0 / 2));
	} else {
		/* no more spread than chance: one variance, their mean */
		p->d0 = INFINITY;
		p->s0sq = gsl_stats_mean(x, 1, k);
	}
out:
	free(x);
	free(d);
	free(scratch);
}

void mt_row_fit(struct mt_row *r)
{
	double ma = gsl_stats_mean(r->a, 1, r->na), mb = gsl_stats_mean(r->b, 1, r->nb);
	double ss = 0;

	for (size_t i = 0; i < r->na; i++)
		ss += (r->a[i] - ma) * (r->a[i] - ma);
	for (size_t i = 0; i < r->nb; i++)
		ss += (r->b[i] - mb) * (r->b[i] - mb);
	r->diff = mb - ma;
	r->df = (double)r->na + r->nb - 2;
	r->s2 = r->df > 0 ? ss / r->df : NAN;
	r->unscaled = sqrt(1.0 / r->na + 1.0 / r->nb);
}

double mt_tquantile(double p, double df)
{
	return isinf(df) ? gsl_cdf_ugaussian_Pinv(p) : gsl_cdf_tdist_Pinv(p, df);
}

/* Two-sided p of @t on @df degrees of freedom. */
static double t_two_sided(double t, double df)
{
	double q = isinf(df) ? gsl_cdf_ugaussian_Q(fabs(t)) : gsl_cdf_tdist_Q(fabs(t), df);

	return fmin(1, 2 * q);
}

/* @r's residuals (values less their side's mean), scaled to length 1, into @z. */
static int unit_residuals(const struct mt_row *r, double *z)
{
	double ma = gsl_stats_mean(r->a, 1, r->na), mb = gsl_stats_mean(r->b, 1, r->nb);
	double norm = 0;
	size_t l = r->na + r->nb;

	for (size_t i = 0; i < l; i++) {
		z[i] = i < r->na ? r->a[i] - ma : r->b[i - r->na] - mb;
		norm += z[i] * z[i];
	}
	if (!(norm > 0))
		return 0;
	for (size_t i = 0; i < l; i++)
		z[i] /= sqrt(norm);
	return 1;
}

double mt_shared_rho2(const struct mt_row *rows, size_t n)
{
	const struct mt_row *shape = NULL;
	double *m = NULL, *z = NULL, frob = 0, r2, chance;
	size_t l = 0, g = 0;

	for (size_t i = 0; i < n && !shape; i++)
		if (rows[i].aligned)
			shape = &rows[i];
	if (!shape)
		return 0;
	l = shape->na + shape->nb;
	if (l < 4)
		return 1;
	m = calloc(l * l, sizeof(*m));
	z = calloc(l, sizeof(*z));
	if (!m || !z) {
		free(m);
		free(z);
		return 1;
	}
	/* sum over rows of z z^T: its squared norm sums every (z_i . z_j)^2 */
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].aligned || rows[i].na != shape->na || rows[i].nb != shape->nb ||
		    !unit_residuals(&rows[i], z))
			continue;
		for (size_t j = 0; j < l; j++)
			for (size_t k = 0; k < l; k++)
				m[j * l + k] += z[j] * z[k];
		g++;
	}
	for (size_t j = 0; j < l * l; j++)
		frob += m[j] * m[j];
	free(m);
	free(z);
	if (g < 2)
		return 0;
	/* mean over pairs i != j; independent rows give 1/m on m = l - 2 df */
	r2 = (frob - g) / ((double)g * (g - 1));
	chance = 1.0 / (l - 2);
	return fmax(0, fmin(1, (r2 - chance) / (1 - chance)));
}

int mt_test(struct mt_row *rows, size_t n, const struct eb_prior *prior_in,
	    struct mt_summary *sum)
{
	double *s2 = calloc(n + 1, sizeof(*s2)), *df = calloc(n + 1, sizeof(*df));
	double pooled = 0, rho2, rows_eff, cap;
	struct eb_prior prior = { 0, NAN };

	if (!s2 || !df) {
		free(s2);
		free(df);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		mt_row_fit(&rows[i]);
		s2[i] = rows[i].s2;
		df[i] = rows[i].df;
		pooled += rows[i].df;
	}
	if (prior_in)
		prior = *prior_in;
	else
		eb_fit_prior(s2, df, n, &prior);
	rho2 = mt_shared_rho2(rows, n);
	rows_eff = n / (1 + (n - 1.0) * rho2);
	cap = n ? pooled * rows_eff / n : 0;
	for (size_t i = 0; i < n; i++) {
		struct mt_row *r = &rows[i];

		if (isinf(prior.d0))
			r->s2post = prior.s0sq;
		else if (prior.d0 > 0)
			r->s2post = (r->df * r->s2 + prior.d0 * prior.s0sq) / (r->df + prior.d0);
		else
			r->s2post = r->s2;
		/*
		 * limma: never more degrees of freedom than all rows have
		 * together; fewer when they share their boots
		 */
		r->dftotal = fmax(r->df, fmin(r->df + prior.d0, cap));
		r->se = sqrt(r->s2post) * r->unscaled;
		r->t = r->diff / r->se;
		/* no spread at all between the runs: nothing to test against */
		r->p = r->se > 0 ? t_two_sided(r->t, r->dftotal) : NAN;
	}
	if (sum)
		*sum = (struct mt_summary){ prior, rho2, rows_eff, cap };
	free(s2);
	free(df);
	return 0;
}
