// SPDX-License-Identifier: GPL-2.0
/*
 * The comparison as JSON (schema "hmmbench-compare/1"), for scripts that
 * want more than the TSV's flat lines: the same rows, typed, with null
 * for what a row does not have. The README's "Machine-readable output"
 * documents every field; tests/unit/test_compare_json.c holds the output
 * to it. A field is never removed or changes meaning within a schema
 * version; new fields may be added.
 */
#include <math.h>
#include <string.h>

#include "compare.h"
#include "escape.h"

/* A number, or null when it is undefined (NAN) or infinite. */
static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *count(size_t n)
{
	return json_integer((json_int_t)n);
}

/* Sets @key of @o to @v (which it takes); a NULL @v (no memory) as null. */
static void set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v ? v : json_null());
}

static json_t *side_json(const struct cmp_side *s)
{
	json_t *o = json_object(), *dirs = json_array();
	int labelled = s->nruns && s->runs[0]->kernel_label;

	for (size_t i = 0; dirs && i < s->nruns; i++)
		json_array_append_new(dirs, esc_json(s->runs[i]->dir));
	set(o, "name", esc_json(s->release));
	set(o, "release", esc_json(s->kernel_release ? s->kernel_release : s->release));
	set(o, "label", labelled ? esc_json(s->release) : json_null());
	set(o, "origin", esc_json(s->origin));
	set(o, "runs", count(s->nruns));
	set(o, "samples", count(s->merged.samples));
	set(o, "run_dirs", dirs);
	return o;
}

static const char *test_state_name(enum vd_state s)
{
	static const char *const names[] = {
		"tested", "unconfirmed", "no-spread", "not-positive", "forced", "not-judged",
	};

	return names[s];
}

static const char *adjust_name(enum p_adjust a)
{
	static const char *const names[] = { "holm", "bh", "none" };

	return names[a];
}

/*
 * One side of a row: its own samples pooled (null for a count compare
 * derives, which has no samples of its own), the runs and their centre
 * (time rows), the hits and trials (count rows).
 */
static json_t *row_side(const struct cmp_row *r, int base)
{
	const struct rs_group *g = base ? r->base : r->new;
	const struct sample_stats *st = base ? &r->sb : &r->sn;
	int c = r->state == CMP_COMPARED;
	int time = c && r->vd.kind == VD_TIME, counts = c && r->vd.kind == VD_COUNT;
	int own = strcmp(r->metric, g ? g->metric : "") == 0;
	size_t hits = base ? r->vd.hb : r->vd.hn, trials = base ? r->vd.tb : r->vd.tn;
	json_t *o;

	if (!g)
		return json_null();
	o = json_object();
	set(o, "samples", own ? count(st->n) : json_null());
	set(o, "warmups", own ? count(g->warmups) : json_null());
	set(o, "median", own && st->n ? num(st->median) : json_null());
	set(o, "ci_low", own && st->n ? num(st->ci_low) : json_null());
	set(o, "ci_high", own && st->n ? num(st->ci_high) : json_null());
	set(o, "ci_level", own && st->n ? num(st->ci_level) : json_null());
	set(o, "runs", time ? count(base ? r->runs_b : r->runs_n) : json_null());
	set(o, "centre", time ? num(base ? r->vd.center_b : r->vd.center_n) : json_null());
	set(o, "hits", counts ? count(hits) : json_null());
	set(o, "trials", counts ? count(trials) : json_null());
	set(o, "fraction", counts && trials ? num((double)hits / trials) : json_null());
	return o;
}

static json_t *unsupported_json(const struct rs_unsupported *u)
{
	json_t *o;

	if (!u)
		return json_null();
	o = json_object();
	set(o, "capability", esc_json(u->capability));
	set(o, "reason", esc_json(u->reason));
	return o;
}

static json_t *row_json(const struct cmp_table *t, const struct cmp_row *r)
{
	const struct rs_group *g = r->base ? r->base : r->new;
	json_t *params = g ? g->params : r->unsup ? r->unsup->params : NULL;
	int c = r->state == CMP_COMPARED, tested = c && r->vd.state == VD_TESTED;
	const struct metric_info *mi = r->info;
	char note[128];
	const char *nt = cmp_row_note(t, r, note, sizeof(note));
	json_t *o = json_object();

	set(o, "bench", esc_json(r->bench));
	set(o, "metric", esc_json(r->metric));
	set(o, "label", esc_json(r->label ? r->label : ""));
	/* the reader made every string of the params printable already */
	set(o, "params", params ? json_deep_copy(params) : json_object());
	set(o, "unit", mi ? esc_json(mi->unit) : json_null());
	set(o, "kind", mi ? json_string(metric_kind_name(mi->kind)) : json_null());
	set(o, "better", mi ? json_string(mi->better == BETTER_HIGHER ? "higher" : "lower")
			    : json_null());
	set(o, "state", json_string(cmp_state_name(r)));
	set(o, "base", row_side(r, 1));
	set(o, "new", row_side(r, 0));
	set(o, "test", c ? json_string(r->vd.kind == VD_COUNT ? "fisher" : "moderated-t")
			 : json_null());
	set(o, "test_state", c ? json_string(test_state_name(r->vd.state)) : json_null());
	set(o, "change", c ? num(r->rel) : json_null());
	set(o, "change_low", c ? num(r->rel_low) : json_null());
	set(o, "change_high", c ? num(r->rel_high) : json_null());
	set(o, "p", tested ? num(r->vd.p) : json_null());
	set(o, "p_adj", tested ? num(r->vd.p_adj) : json_null());
	set(o, "mde", c ? num(r->vd.mde) : json_null());
	set(o, "verdict", !c ? json_null() : json_string(r->verdict == CMP_SAME ? "same" :
				cmp_verdict_name(r->verdict)));
	set(o, "note", strcmp(nt, "-") ? esc_json(nt) : json_null());
	set(o, "unsupported", unsupported_json(r->unsup));
	return o;
}

static json_t *outcome_json(const struct cmp_side *s, const struct rs_stress *st)
{
	json_t *o;

	if (!st)
		return json_null();
	o = json_object();
	set(o, "status", esc_json(st->status));
	set(o, "reason", st->reason && st->reason[0] ? esc_json(st->reason) : json_null());
	set(o, "runs", count(cmp_stress_runs(s, st->scenario)));
	set(o, "ops", json_integer(st->ops));
	set(o, "errors", json_integer(st->errors));
	set(o, "integrity_errors", json_integer(st->integrity_errors));
	set(o, "kernel_reports", json_integer(st->kernel_reports));
	set(o, "hangs", json_integer(st->hangs));
	return o;
}

/* One entry per scenario run on either side, base's first (as the TSV). */
static json_t *stress_json(const struct cmp_table *t)
{
	const struct cmp_side *sides[] = { t->base, t->new };
	json_t *all = json_array();

	for (int k = 0; all && k < 2; k++)
		for (size_t i = 0; i < sides[k]->merged.nstress; i++) {
			const char *sc = sides[k]->merged.stress[i].scenario;
			const struct rs_stress *b = cmp_stress_outcome(t->base, sc);
			const struct rs_stress *n = cmp_stress_outcome(t->new, sc);
			json_t *o;

			if ((k == 0 ? b : n) != &sides[k]->merged.stress[i] || (k == 1 && b))
				continue;	/* once per scenario */
			o = json_object();
			set(o, "scenario", esc_json(sc));
			set(o, "state", json_string(b && n ? "compared" : b ? "only-base" : "only-new"));
			set(o, "base", outcome_json(t->base, b));
			set(o, "new", outcome_json(t->new, n));
			set(o, "verdict", !(b && n) ? json_null() :
			    json_string(!strcmp(b->status, "pass") && !strcmp(n->status, "fail") ?
					"WORSE" : "same"));
			json_array_append_new(all, o);
		}
	return all;
}

static json_t *strings_json(char *const *s, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, esc_json(s[i]));
	return a;
}

static json_t *totals_json(const struct cmp_table *t)
{
	json_t *o = json_object();

	set(o, "rows", count(t->nrows));
	set(o, "compared", count(t->compared));
	set(o, "worse", count(t->regressed));
	set(o, "better", count(t->improved));
	set(o, "unconfirmed", count(t->unconfirmed));
	set(o, "not_comparable", count(t->nrows - t->compared));
	set(o, "tested", count(t->vd.family));
	set(o, "min_runs", count(t->min_runs));
	set(o, "stress_compared", count(t->stress_compared));
	set(o, "stress_worse", count(t->stress_regressed));
	return o;
}

json_t *cmp_table_json(const struct cmp_table *t, const char *status)
{
	int refused = !strcmp(status, "refused");
	json_t *o = json_object(), *rows = json_array();

	if (!o || !rows) {
		json_decref(o);
		json_decref(rows);
		return NULL;
	}
	for (size_t i = 0; !refused && i < t->nrows; i++)
		json_array_append_new(rows, row_json(t, &t->rows[i]));
	set(o, "base", side_json(t->base));
	set(o, "new", side_json(t->new));
	set(o, "status", json_string(status));
	set(o, "regressed", json_boolean(!refused && (t->regressed || t->stress_regressed)));
	set(o, "differences", strings_json(t->unfair, t->nunfair));
	set(o, "notes", strings_json(t->notes, t->nnotes));
	set(o, "rows", rows);
	set(o, "stress", refused ? json_array() : stress_json(t));
	set(o, "totals", refused ? json_null() : totals_json(t));
	return o;
}

json_t *cmp_opts_json(const struct cmp_opts *o, int allow_differences)
{
	json_t *j = json_object();

	set(j, "threshold", num(o->threshold));
	set(j, "alpha", num(o->alpha));
	set(j, "adjust", json_string(adjust_name(o->adjust)));
	set(j, "min_runs", count(o->min_runs ? o->min_runs : VD_MIN_RUNS));
	set(j, "allow_differences", json_boolean(allow_differences));
	return j;
}
