// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "exact.h"

/* P(X = k) for the hits of base, X hypergeometric given the margins. */
static double table_prob(size_t k, size_t hits, size_t nb, size_t nn)
{
	/* gsl: k of n1 "successes" (base's trials) in t draws (all hits) */
	return gsl_ran_hypergeometric_pdf(k, nb, nn, hits);
}

double fisher_exact_p(size_t hb, size_t nb, size_t hn, size_t nn)
{
	size_t hits = hb + hn, lo, hi;
	double obs, p = 0;

	if (hb > nb || hn > nn)
		return NAN;
	lo = hits > nn ? hits - nn : 0;
	hi = hits < nb ? hits : nb;
	obs = table_prob(hb, hits, nb, nn);
	for (size_t k = lo; k <= hi; k++) {
		double q = table_prob(k, hits, nb, nn);

		if (q <= obs * (1 + 1e-7))
			p += q;
	}
	return fmin(1, p);
}

double fisher_min_p(size_t hb, size_t nb, size_t hn, size_t nn)
{
	size_t hits = hb + hn, lo, hi;

	if (hb > nb || hn > nn)
		return NAN;
	lo = hits > nn ? hits - nn : 0;
	hi = hits < nb ? hits : nb;
	if (lo == hi)
		return 1;
	/* the most extreme tables are the least likely: one of the ends */
	return fmin(fisher_exact_p(lo, nb, hits - lo, nn), fisher_exact_p(hi, nb, hits - hi, nn));
}

struct ranked {
	double p;
	size_t i;
};

static int by_p(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->p, y = ((const struct ranked *)b)->p;

	return x < y ? -1 : x > y;
}

int p_adjust(const double *p, double *adj, size_t n, enum p_adjust how)
{
	struct ranked *r = malloc((n + 1) * sizeof(*r));
	size_t m = 0;
	double run;

	if (!r)
		return -1;
	for (size_t i = 0; i < n; i++) {
		adj[i] = p[i];
		if (!isnan(p[i]))
			r[m++] = (struct ranked){ p[i], i };
	}
	if (how == P_ADJUST_NONE || !m)
		goto out;
	qsort(r, m, sizeof(*r), by_p);
	if (how == P_ADJUST_HOLM) {
		/* step down: (m - j) p(j), never below an earlier one */
		run = 0;
		for (size_t j = 0; j < m; j++) {
			run = fmax(run, fmin(1, (m - j) * r[j].p));
			adj[r[j].i] = run;
		}
	} else {
		/* step up: m p(j) / j, never above a later one */
		run = 1;
		for (size_t j = m; j-- > 0;) {
			run = fmin(run, (double)m * r[j].p / (j + 1));
			adj[r[j].i] = run;
		}
	}
out:
	free(r);
	return 0;
}

const char *p_adjust_name(enum p_adjust how)
{
	static const char *const names[] = { "Holm", "Benjamini-Hochberg", "none" };

	return names[how];
}
