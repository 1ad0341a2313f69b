// SPDX-License-Identifier: GPL-2.0
/*
 * How compare judges its rows: the runs' medians of a time, the counts
 * of a count, a whole-PMD count row per job, and all of them tested
 * together (results/verdict.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_int.h"

/*
 * The median of each run of @s that has samples of @g's group, into
 * @out (room for s->nruns). Returns how many.
 */
static size_t run_medians(const struct cmp_side *s, const struct rs_group *g,
			  double *out)
{
	size_t k = 0;

	for (size_t i = 0; i < s->nruns; i++) {
		struct rs_group *rg = rs_find_group(s->runs[i], g->bench, g->key, g->metric);
		struct sample_stats st;

		if (rg && !stats_summarise(rg->x, rg->n, CMP_CI_LEVEL, &st))
			out[k++] = st.median;
	}
	return k;
}

int cmp_run_spread(const struct cmp_side *s, const struct rs_group *g,
		   struct cmp_spread *out)
{
	double *m = malloc((s->nruns + 1) * sizeof(*m)), sum = 0, ss = 0;
	size_t k = m ? run_medians(s, g, m) : 0;
	int positive = 1;

	*out = (struct cmp_spread){ k, NAN, NAN, NAN, NAN };
	if (!k) {
		free(m);
		return -1;
	}
	out->lo = out->hi = m[0];
	for (size_t i = 0; i < k; i++) {
		out->lo = fmin(out->lo, m[i]);
		out->hi = fmax(out->hi, m[i]);
		positive &= m[i] > 0;
		sum += positive ? log(m[i]) : 0;
	}
	if (positive) {
		out->centre = exp(sum / k);
		for (size_t i = 0; k > 1 && i < k; i++)
			ss += (log(m[i]) - sum / k) * (log(m[i]) - sum / k);
		out->sd = k > 1 ? sqrt(ss / (k - 1)) : NAN;
	}
	free(m);
	return 0;
}

size_t cmp_side_stats(const struct cmp_side *s, const struct rs_group *g,
		      struct sample_stats *st)
{
	struct rs_group *mg = rs_find_group((struct rs_run *)&s->merged, g->bench, g->key,
					    g->metric);
	struct cmp_spread sp;

	memset(st, 0, sizeof(*st));
	if (cmp_run_spread(s, g, &sp))
		return 0;
	if (sp.runs == 1 || isnan(sp.centre)) {
		if (mg)
			stats_summarise(mg->x, mg->n, CMP_CI_LEVEL, st);
		return sp.runs;
	}
	if (mg)
		stats_summarise(mg->x, mg->n, CMP_CI_LEVEL, st);
	st->median = sp.centre;
	st->ci_low = sp.lo;
	st->ci_high = sp.hi;
	st->ci_level = NAN;	/* a range of runs, not a confidence interval */
	return sp.runs;
}

/* Every sample moved whole PMDs (1), none did (0), or mixed/unknown (-1). */
static int pmd_kind(const struct rs_group *g)
{
	if (!g->snap_samples)
		return -1;
	return g->pmd_samples == g->snap_samples ? 1 : g->pmd_samples == 0 ? 0 : -1;
}

/* Per-event metrics whose event is one fault: a PMD or a 4 KiB page. */
int cmp_unit_differs(const struct cmp_row *r)
{
	int b = pmd_kind(r->base), n = pmd_kind(r->new);

	return (!strcmp(r->metric, "fault_latency") || !strcmp(r->metric, "latency")) &&
	       b >= 0 && n >= 0 && b != n;
}

/* A ratio of counts with its counts recorded (split_rate: PMDs split). */
static int judged_on_counts(const struct cmp_row *r)
{
	return r->info && (r->info->kind == METRIC_COUNT || r->info->kind == METRIC_RATIO) &&
	       r->base->pmds_attempted && r->new->pmds_attempted;
}

/* The test's inputs: the runs' medians, or the counts. */
int cmp_test_inputs(struct cmp_row *r, const struct cmp_table *t)
{
	struct vd_row *v = &r->vd;

	if (judged_on_counts(r)) {
		*v = (struct vd_row){ .kind = VD_COUNT,
				      .hb = r->base->pmds_split, .tb = r->base->pmds_attempted,
				      .hn = r->new->pmds_split, .tn = r->new->pmds_attempted };
		return 0;
	}
	r->run_medians = malloc((t->base->nruns + t->new->nruns + 1) * sizeof(double));
	if (!r->run_medians)
		return -1;
	r->runs_b = run_medians(t->base, r->base, r->run_medians);
	r->runs_n = run_medians(t->new, r->new, r->run_medians + r->runs_b);
	*v = (struct vd_row){ .kind = VD_TIME, .skip = r->unit_differs,
			      .xb = r->run_medians, .nb = r->runs_b,
			      .xn = r->run_medians + r->runs_b, .nn = r->runs_n,
			      /* every run has it: its values line up with other rows' */
			      .aligned = r->runs_b == t->base->nruns &&
					 r->runs_n == t->new->nruns };
	return 0;
}

/*
 * Counts of their own that compare derives from every job's records, so
 * described here, not in results/metrics.c: events out of trials, nearly
 * noise-free, judged exactly from one run.
 */
struct derived_count {
	struct metric_info info;
	/* the events and trials of @g; 0 when the job has none to count */
	int (*count)(const struct rs_group *g, size_t *hits, size_t *trials);
};

/* Samples that moved (or held) whole PMDs, of the samples with a SNAPSHOT. */
static int whole_pmds(const struct rs_group *g, size_t *hits, size_t *trials)
{
	*hits = g->pmd_samples;
	*trials = g->snap_samples;
	return g->snap_samples > 0;
}

/* CPU faults taken, of the pages they brought back (fault jobs). */
static int faults(const struct rs_group *g, size_t *hits, size_t *trials)
{
	*hits = g->faults;
	*trials = g->pages_back;
	return g->pages_back > 0 && g->faults <= g->pages_back;
}

static const struct derived_count derived[] = {
	{ { "whole_pmds", "samples", BETTER_HIGHER, METRIC_COUNT,
	    "samples whose SNAPSHOT showed whole PMDs, of the samples with a SNAPSHOT" },
	  whole_pmds },
	{ { "faults", "per page back", BETTER_LOWER, METRIC_COUNT,
	    "CPU faults taken, of the pages they brought back from the device" },
	  faults },
};

#define NR_DERIVED (sizeof(derived) / sizeof(derived[0]))

/* Whether an earlier row already holds @g's job's count @d. */
static int derived_exists(const struct cmp_table *t, const struct derived_count *d,
			  const struct rs_group *g)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].info == &d->info &&
		    !strcmp(t->rows[i].bench, g->bench) && !strcmp(t->rows[i].base->key, g->key))
			return 1;
	return 0;
}

/*
 * The row of count @d for the job of compared row @i, when both sides
 * have it and some event happened on either (jobs of 4 KiB pages move
 * no whole PMD on either side: nothing to say).
 */
static int derived_row(struct cmp_table *t, size_t i, const struct derived_count *d)
{
	const struct cmp_row *c = &t->rows[i];
	const struct rs_group *b = c->base, *n = c->new;
	size_t hb, tb, hn, tn;
	struct cmp_row *r;

	if (c->state != CMP_COMPARED || !d->count(b, &hb, &tb) || !d->count(n, &hn, &tn) ||
	    (!hb && !hn) || derived_exists(t, d, b))
		return 0;
	for (size_t k = 0; k < NR_DERIVED; k++)
		if (c->info == &derived[k].info)
			return 0;
	r = cmp_add_row(t, CMP_COMPARED, b);
	if (!r)
		return -1;
	r->base = b;
	r->new = n;
	r->metric = d->info.name;
	r->info = &d->info;
	r->vd = (struct vd_row){ .kind = VD_COUNT, .hb = hb, .tb = tb, .hn = hn, .tn = tn };
	return 0;
}

int cmp_add_count_rows(struct cmp_table *t)
{
	size_t n = t->nrows;

	for (size_t k = 0; k < NR_DERIVED; k++)
		for (size_t i = 0; i < n; i++)
			if (derived_row(t, i, &derived[k]))
				return -1;
	return 0;
}

static enum cmp_verdict verdict_of(const struct cmp_row *r)
{
	if (r->vd.call == VD_SAME)
		return CMP_SAME;
	if (!r->info)
		return CMP_CHANGED;
	return (r->vd.call == VD_UP) == (r->info->better == BETTER_HIGHER) ?
	       CMP_IMPROVED : CMP_REGRESSED;
}

/* All compared rows judged together: one family of tests. */
int cmp_judge_all(struct cmp_table *t, const struct cmp_opts *o)
{
	struct vd_opts vo = { o->threshold, o->alpha, o->adjust, o->min_runs };
	struct vd_row *v = calloc(t->nrows + 1, sizeof(*v));
	size_t k = 0;

	if (!v)
		return -1;
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].state == CMP_COMPARED)
			v[k++] = t->rows[i].vd;
	if (vd_judge(v, k, &vo, &t->vd)) {
		free(v);
		return -1;
	}
	t->min_runs = vd_min_runs(&vo);
	k = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		struct cmp_row *r = &t->rows[i];

		if (r->state != CMP_COMPARED)
			continue;
		r->vd = v[k++];
		r->rel = r->vd.change;
		r->rel_low = r->vd.low;
		r->rel_high = r->vd.high;
		r->verdict = verdict_of(r);
		t->compared++;
		t->unconfirmed += r->vd.state == VD_UNCONFIRMED;
		t->improved += r->verdict == CMP_IMPROVED;
		t->regressed += r->verdict == CMP_REGRESSED;
	}
	free(v);
	return 0;
}
