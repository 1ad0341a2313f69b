// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>

#include "verdict.h"

size_t vd_min_runs(const struct vd_opts *o)
{
	return o->min_runs ? o->min_runs : VD_MIN_RUNS;
}

/* Logs of @n run summaries into @out; 0 when one is not positive. */
static int logs_of(const double *x, size_t n, double *out)
{
	for (size_t i = 0; i < n; i++) {
		if (!(x[i] > 0))
			return 0;
		out[i] = log(x[i]);
	}
	return 1;
}

static double mean_of(const double *x, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	return n ? s / n : NAN;
}

/*
 * The centres and change of a time row from its runs' summaries; the
 * logs go to @lb and @ln. Returns whether the row can be tested.
 */
static int time_centres(struct vd_row *r, size_t need, double *lb, double *ln)
{
	if (!logs_of(r->xb, r->nb, lb) || !logs_of(r->xn, r->nn, ln)) {
		r->state = VD_NOT_POSITIVE;
		r->center_b = mean_of(r->xb, r->nb);
		r->center_n = mean_of(r->xn, r->nn);
		r->change = r->center_b > 0 ? r->center_n / r->center_b - 1 : NAN;
		return 0;
	}
	r->center_b = exp(mean_of(lb, r->nb));
	r->center_n = exp(mean_of(ln, r->nn));
	r->change = r->center_n / r->center_b - 1;
	if (r->skip)
		r->state = VD_SKIPPED;
	else if (r->nb < need || r->nn < need)
		r->state = VD_UNCONFIRMED;
	else
		return 1;
	return 0;
}

static void count_row(struct vd_row *r)
{
	double rb = r->tb ? (double)r->hb / r->tb : NAN;
	double rn = r->tn ? (double)r->hn / r->tn : NAN;

	r->center_b = rb;
	r->center_n = rn;
	r->change = rb > 0 ? rn / rb - 1 : NAN;
	if (r->skip) {
		r->state = VD_SKIPPED;
	} else if (fisher_min_p(r->hb, r->tb, r->hn, r->tn) >= 1) {
		r->state = VD_FORCED;
	} else {
		r->state = VD_TESTED;
		r->p = fisher_exact_p(r->hb, r->tb, r->hn, r->tn);
	}
}

/* Moderated t over the testable time rows; @idx maps them to @rows. */
static int time_tests(struct vd_row *rows, struct mt_row *mt, const size_t *idx,
		      size_t k, struct vd_summary *s)
{
	if (mt_test(mt, k, NULL, &s->mt))
		return -1;
	for (size_t j = 0; j < k; j++) {
		struct vd_row *r = &rows[idx[j]];
		double q;

		if (isnan(mt[j].p)) {
			r->state = VD_NO_SPREAD;
			continue;
		}
		r->state = VD_TESTED;
		r->p = mt[j].p;
		r->df = mt[j].dftotal;
		q = mt_tquantile(0.975, r->df) * mt[j].se;
		r->low = exp(mt[j].diff - q) - 1;
		r->high = exp(mt[j].diff + q) - 1;
		r->mde = mt[j].se;	/* scaled once the family is known */
	}
	return 0;
}

/*
 * The smallest change that a row of standard error @se (in logs) on @df
 * degrees of freedom finds with probability VD_POWER when it is the only
 * change among @m rows: it must reach p < alpha/m under Holm or
 * Benjamini-Hochberg (their first step), alpha without adjustment.
 */
static double detectable(double se, double df, size_t m, const struct vd_opts *o)
{
	double a = o->adjust == P_ADJUST_NONE ? o->alpha : o->alpha / m;
	double z = mt_tquantile(1 - a / 2, df) + mt_tquantile(VD_POWER, df);

	return fmax(o->threshold, exp(z * se) - 1);
}

static void decide(struct vd_row *r, const struct vd_opts *o, size_t m)
{
	double diff = r->center_n - r->center_b;

	if (r->state != VD_TESTED)
		return;
	if (r->kind == VD_TIME)
		r->mde = detectable(r->mde, r->df, m, o);
	r->significant = r->p_adj < o->alpha;
	r->beyond = isnan(r->change) ? diff != 0 : fabs(r->change) > o->threshold;
	if (r->significant && r->beyond)
		r->call = diff > 0 ? VD_UP : VD_DOWN;
}

static void reset(struct vd_row *r)
{
	r->state = VD_SKIPPED;
	r->center_b = r->center_n = r->change = r->low = r->high = NAN;
	r->p = r->p_adj = r->mde = r->df = NAN;
	r->significant = r->beyond = 0;
	r->call = VD_SAME;
}

int vd_judge(struct vd_row *rows, size_t n, const struct vd_opts *o,
	     struct vd_summary *s)
{
	struct mt_row *mt = calloc(n + 1, sizeof(*mt));
	size_t *idx = calloc(n + 1, sizeof(*idx)), k = 0, runs = 0, need = vd_min_runs(o);
	double *logs, *p = calloc(n + 1, sizeof(*p)), *adj = calloc(n + 1, sizeof(*adj));
	int ret = -1;

	for (size_t i = 0; i < n; i++) {
		reset(&rows[i]);
		if (rows[i].kind == VD_TIME)
			runs += rows[i].nb + rows[i].nn;
	}
	s->family = s->time_rows = 0;
	s->mt = (struct mt_summary){ { 0, NAN }, 0, 0, 0 };
	logs = calloc(runs + 1, sizeof(*logs));
	if (!mt || !idx || !logs || !p || !adj)
		goto out;
	runs = 0;
	for (size_t i = 0; i < n; i++) {
		struct vd_row *r = &rows[i];

		if (r->kind == VD_COUNT) {
			count_row(r);
			continue;
		}
		if (!time_centres(r, need, logs + runs, logs + runs + r->nb)) {
			runs += r->nb + r->nn;
			continue;
		}
		mt[k] = (struct mt_row){ .a = logs + runs, .na = r->nb,
					 .b = logs + runs + r->nb, .nb = r->nn,
					 .aligned = r->aligned };
		runs += r->nb + r->nn;
		idx[k++] = i;
	}
	if (k && time_tests(rows, mt, idx, k, s))
		goto out;
	for (size_t i = 0; i < n; i++) {
		p[i] = rows[i].state == VD_TESTED ? rows[i].p : NAN;
		s->family += rows[i].state == VD_TESTED;
		s->time_rows += rows[i].state == VD_TESTED && rows[i].kind == VD_TIME;
	}
	if (p_adjust(p, adj, n, o->adjust))
		goto out;
	for (size_t i = 0; i < n; i++) {
		rows[i].p_adj = adj[i];
		decide(&rows[i], o, s->family);
	}
	ret = 0;
out:
	free(mt);
	free(idx);
	free(logs);
	free(p);
	free(adj);
	return ret;
}
