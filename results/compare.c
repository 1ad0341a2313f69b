// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_int.h"

/* Adds @g's samples and evidence to @m, creating the group there. */
static int merge_group(struct rs_run *m, const struct rs_group *g)
{
	struct rs_group *d = rs_find_group(m, g->bench, g->key, g->metric);

	if (!d) {
		struct rs_group *all = realloc(m->groups, (m->ngroups + 1) * sizeof(*all));

		if (!all)
			return -1;
		m->groups = all;
		d = &all[m->ngroups++];
		memset(d, 0, sizeof(*d));
		d->bench = strdup(g->bench);
		d->metric = strdup(g->metric);
		d->key = strdup(g->key);
		d->label = strdup(g->label);
		d->params = json_incref(g->params);
		if (!d->bench || !d->metric || !d->key || !d->label)
			return -1;
	}
	d->warmups += g->warmups;
	d->snap_samples += g->snap_samples;
	d->pmd_samples += g->pmd_samples;
	d->pmds_attempted += g->pmds_attempted;
	d->pmds_split += g->pmds_split;
	d->faults += g->faults;
	d->pages_back += g->pages_back;
	return g->n ? rs_group_add(d, g->x, g->n) : 0;
}

static int merge_unsupported(struct rs_run *m, const struct rs_unsupported *u)
{
	struct rs_unsupported *all;

	for (size_t i = 0; i < m->nunsup; i++)
		if (!strcmp(m->unsup[i].bench, u->bench) && !strcmp(m->unsup[i].key, u->key))
			return 0;
	all = realloc(m->unsup, (m->nunsup + 1) * sizeof(*all));
	if (!all)
		return -1;
	m->unsup = all;
	all[m->nunsup] = (struct rs_unsupported){
		strdup(u->bench), strdup(u->capability), strdup(u->reason),
		strdup(u->key), strdup(u->label), json_incref(u->params),
	};
	m->nunsup++;
	return 0;
}

static int side_add(struct cmp_side *s, struct rs_run *run)
{
	struct rs_run **runs = realloc(s->runs, (s->nruns + 1) * sizeof(*runs));

	if (!runs)
		return -1;
	s->runs = runs;
	runs[s->nruns++] = run;
	for (size_t i = 0; i < run->ngroups; i++)
		if (merge_group(&s->merged, &run->groups[i]))
			return -1;
	for (size_t i = 0; i < run->nunsup; i++)
		if (merge_unsupported(&s->merged, &run->unsup[i]))
			return -1;
	for (size_t i = 0; i < run->nstress; i++)
		if (rs_stress_add(&s->merged, &run->stress[i]))
			return -1;
	s->merged.samples += run->samples;
	s->merged.records += run->records;
	return 0;
}

static int by_version(const void *a, const void *b)
{
	const struct cmp_side *x = a, *y = b;
	int c = strverscmp(x->kernel_release, y->kernel_release);

	return c ? c : strverscmp(x->release, y->release);
}

/* What a run's side is called: its label, else its release. */
static const char *side_name(const struct rs_run *run)
{
	return run->kernel_label ? run->kernel_label : run->release;
}

int cmp_sides(struct rs_set *set, const char *origin,
	      struct cmp_side **sides, size_t *nsides)
{
	struct cmp_side *s = NULL;
	size_t n = 0;

	for (size_t i = 0; i < set->nruns; i++) {
		struct rs_run *run = &set->runs[i];
		size_t j;

		for (j = 0; j < n && strcmp(s[j].release, side_name(run)); j++)
			;
		if (j == n) {
			struct cmp_side *more = realloc(s, (n + 1) * sizeof(*s));

			if (!more)
				goto fail;
			s = more;
			memset(&s[n], 0, sizeof(*s));
			s[n].release = strdup(side_name(run));
			s[n].kernel_release = strdup(run->release);
			s[n].origin = strdup(origin);
			n++;
		}
		if (side_add(&s[j], run))
			goto fail;
	}
	if (n > 1)
		qsort(s, n, sizeof(*s), by_version);
	*sides = s;
	*nsides = n;
	return 0;
fail:
	cmp_sides_free(s, n);
	return -1;
}

void cmp_side_title(const struct cmp_side *s, char *buf, size_t len)
{
	if (!s->kernel_release || !strcmp(s->release, s->kernel_release))
		snprintf(buf, len, "%s", s->release);
	else
		snprintf(buf, len, "%s (release %s)", s->release, s->kernel_release);
}

void cmp_sides_free(struct cmp_side *sides, size_t nsides)
{
	for (size_t i = 0; i < nsides; i++) {
		free(sides[i].release);
		free(sides[i].kernel_release);
		free(sides[i].origin);
		free(sides[i].runs);
		rs_run_free(&sides[i].merged);
	}
	free(sides);
}

static const struct rs_unsupported *find_unsup(const struct cmp_side *s,
					       const char *bench, const char *key)
{
	for (size_t i = 0; i < s->merged.nunsup; i++)
		if (!strcmp(s->merged.unsup[i].bench, bench) &&
		    !strcmp(s->merged.unsup[i].key, key))
			return &s->merged.unsup[i];
	return NULL;
}

/* Whether @a and @b have the same keys and differ in exactly one value. */
static int differ_in_one(json_t *a, json_t *b)
{
	const char *k;
	json_t *v;
	int differ = 0;

	if (json_object_size(a) != json_object_size(b))
		return 0;
	json_object_foreach(a, k, v) {
		json_t *w = json_object_get(b, k);

		if (!w)
			return 0;
		differ += !json_equal(v, w);
	}
	return differ == 1;
}

/*
 * The unsupported job @g belongs to on @s: a split job measures with and
 * without injection, so the "none" half was not run either when the
 * "injected" half is unsupported.
 */
static const struct rs_unsupported *related_unsup(const struct cmp_side *s,
						  const struct rs_group *g)
{
	const struct rs_unsupported *u = find_unsup(s, g->bench, g->key);

	for (size_t i = 0; !u && i < s->merged.nunsup; i++)
		if (!strcmp(s->merged.unsup[i].bench, g->bench) &&
		    differ_in_one(s->merged.unsup[i].params, g->params))
			return &s->merged.unsup[i];
	return u;
}

struct cmp_row *cmp_add_row(struct cmp_table *t, enum cmp_state state,
			    const struct rs_group *g)
{
	struct cmp_row *rows = realloc(t->rows, (t->nrows + 1) * sizeof(*rows));
	struct cmp_row *r;

	if (!rows)
		return NULL;
	t->rows = rows;
	r = &rows[t->nrows++];
	memset(r, 0, sizeof(*r));
	r->state = state;
	r->rel = r->rel_low = r->rel_high = NAN;
	/* judged only when compared (judge_all) */
	r->vd.state = VD_SKIPPED;
	r->vd.p = r->vd.p_adj = r->vd.change = r->vd.mde = NAN;
	if (g) {
		r->bench = g->bench;
		r->metric = g->metric;
		r->label = g->label;
		r->info = metric_find(g->metric);
	}
	return r;
}

static int compare_group(struct cmp_table *t, const struct rs_group *g)
{
	struct rs_group *n = rs_find_group((struct rs_run *)&t->new->merged,
					   g->bench, g->key, g->metric);
	const struct rs_unsupported *u = find_unsup(t->new, g->bench, g->key);
	struct cmp_row *r;

	if (!n || !n->n || !g->n) {
		r = cmp_add_row(t, u ? CMP_UNSUPPORTED_NEW : CMP_ONLY_BASE, g);
		if (!r)
			return -1;
		r->base = g;
		r->unsup = u ? u : related_unsup(t->new, g);
		stats_summarise(g->x, g->n, CMP_CI_LEVEL, &r->sb);
		return 0;
	}
	r = cmp_add_row(t, CMP_COMPARED, g);
	if (!r)
		return -1;
	r->base = g;
	r->new = n;
	stats_summarise(g->x, g->n, CMP_CI_LEVEL, &r->sb);
	stats_summarise(n->x, n->n, CMP_CI_LEVEL, &r->sn);
	r->unit_differs = cmp_unit_differs(r);
	return cmp_test_inputs(r, t);
}

static int new_only(struct cmp_table *t, const struct rs_group *g)
{
	struct rs_group *b = rs_find_group((struct rs_run *)&t->base->merged,
					   g->bench, g->key, g->metric);
	const struct rs_unsupported *u = find_unsup(t->base, g->bench, g->key);
	struct cmp_row *r;

	if (b && b->n)
		return 0;
	r = cmp_add_row(t, u ? CMP_UNSUPPORTED_BASE : CMP_ONLY_NEW, g);
	if (!r)
		return -1;
	r->new = g;
	r->unsup = u ? u : related_unsup(t->base, g);
	stats_summarise(g->x, g->n, CMP_CI_LEVEL, &r->sn);
	return 0;
}

/* Whether some group of @s has @bench and @key. */
static int has_key(const struct cmp_side *s, const char *bench, const char *key)
{
	for (size_t i = 0; i < s->merged.ngroups; i++)
		if (!strcmp(s->merged.groups[i].bench, bench) &&
		    !strcmp(s->merged.groups[i].key, key))
			return 1;
	return 0;
}

/* Unsupported on one side with nothing measured on the other either. */
static int lone_unsupported(struct cmp_table *t, const struct cmp_side *s,
			    const struct cmp_side *other, enum cmp_state state)
{
	for (size_t i = 0; i < s->merged.nunsup; i++) {
		const struct rs_unsupported *u = &s->merged.unsup[i];
		const struct rs_unsupported *ou = find_unsup(other, u->bench, u->key);
		struct cmp_row *r;

		if (has_key(other, u->bench, u->key))
			continue;
		if (ou && state == CMP_UNSUPPORTED_NEW)
			continue;	/* added once, from the base side */
		r = cmp_add_row(t, ou ? CMP_UNSUPPORTED_BOTH : state, NULL);
		if (!r)
			return -1;
		r->bench = u->bench;
		r->metric = "-";
		r->label = u->label;
		r->unsup = u;
	}
	return 0;
}

static int status_rank(const char *status)
{
	static const char *const order[] = { "skip", "pass", "interrupted", "fail" };

	for (int i = 0; i < 4; i++)
		if (!strcmp(status, order[i]))
			return i;
	return 3;	/* a status this reader does not know is not a pass */
}

const struct rs_stress *cmp_stress_outcome(const struct cmp_side *s, const char *scenario)
{
	const struct rs_stress *worst = NULL;

	for (size_t i = 0; i < s->merged.nstress; i++) {
		const struct rs_stress *st = &s->merged.stress[i];

		if (!strcmp(st->scenario, scenario) &&
		    (!worst || status_rank(st->status) > status_rank(worst->status)))
			worst = st;
	}
	return worst;
}

/* A scenario that passed on every base run and failed on a new one. */
static void judge_stress(struct cmp_table *t)
{
	for (size_t i = 0; i < t->new->merged.nstress; i++) {
		const char *sc = t->new->merged.stress[i].scenario;
		const struct rs_stress *b = cmp_stress_outcome(t->base, sc);
		const struct rs_stress *n = cmp_stress_outcome(t->new, sc);

		if (n != &t->new->merged.stress[i])
			continue;	/* each scenario once, at its worst run */
		if (b)
			t->stress_compared++;
		if (b && !strcmp(b->status, "pass") && !strcmp(n->status, "fail"))
			t->stress_regressed++;
	}
}

int cmp_build(const struct cmp_side *base, const struct cmp_side *new,
	      const struct cmp_opts *o, struct cmp_table *t)
{
	memset(t, 0, sizeof(*t));
	t->base = base;
	t->new = new;
	for (size_t i = 0; i < base->merged.ngroups; i++)
		if (compare_group(t, &base->merged.groups[i]))
			return -1;
	if (cmp_add_count_rows(t) || cmp_judge_all(t, o))
		return -1;
	for (size_t i = 0; i < new->merged.ngroups; i++)
		if (new_only(t, &new->merged.groups[i]))
			return -1;
	if (lone_unsupported(t, base, new, CMP_UNSUPPORTED_BASE) ||
	    lone_unsupported(t, new, base, CMP_UNSUPPORTED_NEW))
		return -1;
	judge_stress(t);
	return cmp_notes_build(t);
}

void cmp_table_free(struct cmp_table *t)
{
	for (size_t i = 0; i < t->nrows; i++)
		free(t->rows[i].run_medians);
	for (size_t i = 0; i < t->nnotes; i++)
		free(t->notes[i]);
	free(t->notes);
	for (size_t i = 0; i < t->nunfair; i++)
		free(t->unfair[i]);
	free(t->unfair);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

const char *cmp_verdict_name(enum cmp_verdict v)
{
	static const char *const names[] = { "", "better", "WORSE", "changed" };

	return names[v];
}

void cmp_pmd_evidence(const struct rs_group *g, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!g)
		return;
	if (g->snap_samples)
		snprintf(buf, len, "whole PMDs in %zu/%zu samples",
			 g->pmd_samples, g->snap_samples);
	else if (g->pmds_attempted)
		snprintf(buf, len, "%zu of %zu PMDs split",
			 g->pmds_split, g->pmds_attempted);
}
