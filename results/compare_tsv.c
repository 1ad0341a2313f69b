// SPDX-License-Identifier: GPL-2.0
/* The comparison as tab-separated values, for scripts (bisect, CI). */
#include <math.h>
#include <string.h>

#include "compare.h"

const char *cmp_state_name(const struct cmp_row *r)
{
	static const char *const names[] = {
		"compared", "only-base", "only-new", "unsupported-base",
		"unsupported-new", "unsupported-both",
	};

	return names[r->state];
}

const char *cmp_row_note(const struct cmp_table *t, const struct cmp_row *r,
			 char *buf, size_t len)
{
	if (r->unit_differs)
		return "pmd-vs-4k-faults";
	if (r->state == CMP_COMPARED) {
		switch (r->vd.state) {
		case VD_UNCONFIRMED:
			cmp_unconfirmed_note(t, buf, len);
			return buf;
		case VD_NO_SPREAD:
			return "no-spread-between-runs";
		case VD_NOT_POSITIVE:
			return "median-not-positive";
		case VD_FORCED:
			return "counts-allow-one-table";
		default:
			break;
		}
	}
	if (r->unsup)
		return r->unsup->capability;
	return "-";
}

/* A median and its CI: three fields, '-' for what the side lacks. */
static void tsv_median(FILE *f, const struct sample_stats *s)
{
	if (s->n)
		fprintf(f, "%.6g\t", s->median);
	else
		fputs("-\t", f);
	if (s->n && !isnan(s->ci_low) && !isnan(s->ci_high))
		fprintf(f, "%.6g\t%.6g\t", s->ci_low, s->ci_high);
	else
		fputs("-\t-\t", f);
}

size_t cmp_stress_runs(const struct cmp_side *s, const char *scenario)
{
	size_t n = 0;

	for (size_t i = 0; i < s->merged.nstress; i++)
		n += !strcmp(s->merged.stress[i].scenario, scenario);
	return n;
}

/*
 * One line per stress scenario, as in the text's stress section: the
 * worst status of each side where the medians go, WORSE for a scenario
 * that passed on base and failed on new (what the exit status counts).
 */
static void tsv_stress(FILE *f, const struct cmp_table *t)
{
	const struct cmp_side *sides[] = { t->base, t->new };

	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < sides[k]->merged.nstress; i++) {
			const char *sc = sides[k]->merged.stress[i].scenario;
			const struct rs_stress *b = cmp_stress_outcome(t->base, sc);
			const struct rs_stress *n = cmp_stress_outcome(t->new, sc);
			int worse = b && n && !strcmp(b->status, "pass") &&
				    !strcmp(n->status, "fail");

			if ((k == 0 ? b : n) != &sides[k]->merged.stress[i] || (k == 1 && b))
				continue;	/* once per scenario */
			fprintf(f, "%s\t%s\tstress\tstatus\t%s\t%s\t-\t%s\t%zu\t%zu\t"
				"%s\t-\t-\t%s\t-\t-\t-\t-\t-\t-\t-\t%s\t-"
				"\t-\t-\t-\t-\t-\t-\n",
				t->base->release, t->new->release, sc, sc,
				b && n ? "compared" : b ? "only-base" : "only-new",
				cmp_stress_runs(t->base, sc), cmp_stress_runs(t->new, sc),
				b ? b->status : "-", n ? n->status : "-",
				worse ? "WORSE" : "-");
		}
}

/* "%.6g", or '-' for NAN; then a tab. */
static void tsv_num(FILE *f, double v)
{
	if (isnan(v))
		fputs("-\t", f);
	else
		fprintf(f, "%.6g\t", v);
}

/* n, median and CI of both sides: samples, or the counts of a count row. */
static void tsv_sides(FILE *f, const struct cmp_row *r)
{
	if (r->state == CMP_COMPARED && r->vd.kind == VD_COUNT) {
		fprintf(f, "%zu\t%zu\t", r->vd.tb, r->vd.tn);
		tsv_num(f, r->vd.center_b);
		fputs("-\t-\t", f);
		tsv_num(f, r->vd.center_n);
		fputs("-\t-\t", f);
		return;
	}
	fprintf(f, "%zu\t%zu\t", r->sb.n, r->sn.n);
	tsv_median(f, &r->sb);
	tsv_median(f, &r->sn);
}

/* p_adj, mde, runs_base, runs_new, center_base, center_new. */
static void tsv_test(FILE *f, const struct cmp_row *r)
{
	int c = r->state == CMP_COMPARED;

	tsv_num(f, c ? r->vd.p_adj : NAN);
	tsv_num(f, c ? r->vd.mde : NAN);
	if (c && r->vd.kind == VD_TIME)
		fprintf(f, "%zu\t%zu\t", r->runs_b, r->runs_n);
	else
		fputs("-\t-\t", f);
	tsv_num(f, c ? r->vd.center_b : NAN);
	fprintf(f, c && !isnan(r->vd.center_n) ? "%.6g\n" : "-\n", r->vd.center_n);
}

/*
 * No field holds a tab or a newline: the reader made every string of the
 * records printable (esc_term()), and paths are not printed here.
 */
void cmp_print_tsv(FILE *f, const struct cmp_table *t, int header)
{
	if (header)
		fputs("base\tnew\tbench\tmetric\tlabel\tparams\tunit\tstate\tn_base\tn_new\t"
		      "median_base\tci_low_base\tci_high_base\t"
		      "median_new\tci_low_new\tci_high_new\t"
		      "change\tchange_low\tchange_high\tp\ttest\tverdict\tnote\t"
		      "p_adj\tmde\truns_base\truns_new\tcenter_base\tcenter_new\n", f);
	for (size_t i = 0; i < t->nrows; i++) {
		const struct cmp_row *r = &t->rows[i];
		const struct rs_group *g = r->base ? r->base : r->new;
		int c = r->state == CMP_COMPARED, tested = c && r->vd.state == VD_TESTED;
		char note[128];

		fprintf(f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t", t->base->release,
			t->new->release, r->bench, r->metric,
			r->label && r->label[0] ? r->label : "-",
			g ? g->key : r->unsup->key,
			r->info ? r->info->unit : "-", cmp_state_name(r));
		tsv_sides(f, r);
		if (c && !isnan(r->rel)) {
			fprintf(f, "%.6g\t", r->rel);
			tsv_num(f, r->rel_low);
			tsv_num(f, r->rel_high);
		} else {
			fputs("-\t-\t-\t", f);
		}
		if (tested)
			fprintf(f, "%.6g\t%s\t", r->vd.p,
				r->vd.kind == VD_COUNT ? "fisher" : "moderated-t");
		else
			fputs("-\t-\t", f);
		fprintf(f, "%s\t%s\t", c && r->verdict != CMP_SAME ?
			cmp_verdict_name(r->verdict) : "-", cmp_row_note(t, r, note, sizeof(note)));
		tsv_test(f, r);
	}
	tsv_stress(f, t);
}
