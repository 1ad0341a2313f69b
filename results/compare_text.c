// SPDX-License-Identifier: GPL-2.0
/* What makes a comparison unfair, and the comparison as 80-column text. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "escape.h"

#define WIDTH 80

static void config_text(const struct rs_run *run, char *buf, size_t len);

/*
 * Metadata that must match for timings to compare. A difference between
 * base and new in a key that refuses makes compare refuse (unless told
 * otherwise); the others, and differences within a side, are notes.
 */
static const struct {
	const char *path, *what;
	double tolerance;	/* numeric: relative spread allowed */
	int refuse;
	void (*text)(const struct rs_run *run, char *buf, size_t len);
} unfair_keys[] = {
	{ "kernel.config", "kernel config", 0, 1, config_text },
	{ "thp.enabled", "THP enabled", 0, 1 },
	{ "thp.defrag", "THP defrag", 0, 1 },
	{ "kernel.cmdline", "kernel command line" },
	{ "memory_kib", "memory (KiB)", 0.02, 1 },
	{ "cpu.count", "CPU count", 0, 1 },
	{ "cpu.model", "CPU model", 0, 1 },
	{ "hmmbench.version", "hmmbench version" },
	{ "hmmbench.commit", "hmmbench commit" },
	{ "host", "host", 0, 1 },
};

static int add_note(struct cmp_table *t, const char *fmt, ...)
{
	char **notes = realloc(t->notes, (t->nnotes + 1) * sizeof(*notes));
	va_list ap;
	int ret;

	if (!notes)
		return -1;
	t->notes = notes;
	va_start(ap, fmt);
	ret = vasprintf(&notes[t->nnotes], fmt, ap);
	va_end(ap);
	if (ret < 0)
		return -1;
	t->nnotes++;
	return 0;
}

/* One metadata value as text ("?" when absent). */
static void meta_text(const struct rs_run *run, const char *path,
		      char *buf, size_t len)
{
	const char *s = rs_meta_str(run, path);
	long long v = rs_meta_int(run, path);

	if (s)
		snprintf(buf, len, "%s", s[0] ? s : "(empty)");
	else if (v >= 0)
		snprintf(buf, len, "%lld", v);
	else
		snprintf(buf, len, "?");
}

/*
 * A kernel's config as compare judges it: what scripts/kernel-build made
 * it from (its config inputs: base and fragments, so 6.12 and 7.2 built
 * alike compare, and a label or patch does not count), else the hash of
 * its options (bare metal), else "?" (records from before either).
 */
static void config_text(const struct rs_run *run, char *buf, size_t len)
{
	const char *how = rs_meta_str(run, "kernel.build.config_inputs.describe");
	const char *ci = rs_meta_str(run, "kernel.build.config_inputs.sha256");
	const char *sha = rs_meta_str(run, "kernel.config.sha256");

	if (how && ci)
		snprintf(buf, len, "%s, inputs %.12s", how, ci);
	else if (sha)
		snprintf(buf, len, "options sha256 %.12s", sha);
	else
		snprintf(buf, len, "?");
}

/* The distinct values of key @k over the runs of @s: "'a', 'b'". */
static void side_values(const struct cmp_side *s, size_t k,
			char *buf, size_t len, size_t *distinct)
{
	size_t used = 0;

	buf[0] = '\0';
	*distinct = 0;
	for (size_t i = 0; i < s->nruns; i++) {
		char v[512], quoted[520];

		if (unfair_keys[k].text)
			unfair_keys[k].text(s->runs[i], v, sizeof(v));
		else
			meta_text(s->runs[i], unfair_keys[k].path, v, sizeof(v));
		snprintf(quoted, sizeof(quoted), "'%s'", v);
		if (strstr(buf, quoted))
			continue;
		used += snprintf(buf + used, len > used ? len - used : 0, "%s%s",
				 *distinct ? ", " : "", quoted);
		(*distinct)++;
	}
}

/* Whether the numbers at @path over both sides spread beyond @tol. */
static int numbers_differ(const struct cmp_table *t, const char *path, double tol)
{
	const struct cmp_side *sides[] = { t->base, t->new };
	double lo = INFINITY, hi = -INFINITY;

	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < sides[k]->nruns; i++) {
			double v = rs_meta_int(sides[k]->runs[i], path);

			lo = fmin(lo, v);
			hi = fmax(hi, v);
		}
	return hi > 0 && (hi - lo) / hi > tol;
}

/* Whether the value lists @a and @b (side_values) hold the same values. */
static int same_values(const char *a, size_t na, const char *b, size_t nb)
{
	const char *p = a;

	if (na != nb)
		return 0;
	while ((p = strchr(p, '\''))) {
		const char *end = strstr(p + 1, "'");
		char one[520];

		if (!end || (size_t)(end - p + 1) >= sizeof(one))
			return !strcmp(a, b);
		snprintf(one, sizeof(one), "%.*s", (int)(end - p + 1), p);
		if (!strstr(b, one))
			return 0;
		p = end + 1;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return 1;
}

static int add_unfair(struct cmp_table *t, const char *what, const char *b,
		      const char *n)
{
	char **all = realloc(t->unfair, (t->nunfair + 1) * sizeof(*all));

	if (!all)
		return -1;
	t->unfair = all;
	if (asprintf(&all[t->nunfair], "%s (%s on %s vs %s on %s)", what, b,
		     t->base->release, n, t->new->release) < 0)
		return -1;
	t->nunfair++;
	return 0;
}

static int key_notes(struct cmp_table *t, size_t k)
{
	char b[1024], n[1024];
	size_t db, dn;
	const char *what = unfair_keys[k].what;

	side_values(t->base, k, b, sizeof(b), &db);
	side_values(t->new, k, n, sizeof(n), &dn);
	if (db > 1 && add_note(t, "%s differs between the runs of %s (base): %s",
			       what, t->base->release, b))
		return -1;
	if (t->new != t->base && dn > 1 &&
	    add_note(t, "%s differs between the runs of %s (new): %s",
		     what, t->new->release, n))
		return -1;
	if (same_values(b, db, n, dn))
		return 0;
	if (unfair_keys[k].tolerance > 0 &&
	    !numbers_differ(t, unfair_keys[k].path, unfair_keys[k].tolerance))
		return 0;
	/* Unknown on one side ("?", older records): said, not refused. */
	if (unfair_keys[k].refuse && !strstr(b, "'?'") && !strstr(n, "'?'") &&
	    add_unfair(t, what, b, n))
		return -1;
	return add_note(t, "%s differs: %s on %s (base), %s on %s",
			what, b, t->base->release, n, t->new->release);
}

/* Paths are the file system's: printable only once escaped. */
static int run_notes(struct cmp_table *t, const struct cmp_side *s)
{
	for (size_t i = 0; i < s->nruns; i++) {
		const struct rs_run *r = s->runs[i];
		char where[PATH_MAX];

		if (!r->meta && add_note(t, "%s has no metadata record",
					 esc_term_buf(where, sizeof(where), r->path)))
			return -1;
		if (!r->complete &&
		    add_note(t, "%s is incomplete (%s); its %zu samples are used",
			     esc_term_buf(where, sizeof(where), r->dir), r->incomplete_why,
			     r->samples))
			return -1;
	}
	return 0;
}

int cmp_notes_build(struct cmp_table *t)
{
	for (size_t k = 0; k < sizeof(unfair_keys) / sizeof(unfair_keys[0]); k++)
		if (key_notes(t, k))
			return -1;
	if (run_notes(t, t->base) || (t->new != t->base && run_notes(t, t->new)))
		return -1;
	return 0;
}

void cmp_put_wrapped(FILE *f, const char *first, const char *indent,
		     const char *text)
{
	size_t col = strlen(first), ind = strlen(indent);
	const char *p = text;

	fputs(first, f);
	while (*p) {
		size_t w = strcspn(p, " ");

		if (col > ind && col + 1 + w > WIDTH) {
			fprintf(f, "\n%s", indent);
			col = ind;
		} else if (p != text) {
			fputc(' ', f);
			col++;
		}
		/* a word wider than the line (a long path) is cut */
		while (col + w > WIDTH && WIDTH > col + 1) {
			size_t room = WIDTH - col;

			fprintf(f, "%.*s\n%s", (int)room, p, indent);
			p += room;
			w -= room;
			col = ind;
		}
		fprintf(f, "%.*s", (int)w, p);
		col += w;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

static void fmt_pct(double v, char *buf, size_t len, int tight)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else if (fabs(v) >= 9.995)
		snprintf(buf, len, "%s", v > 0 ? (tight ? ">999" : ">+999") : "<-999");
	else
		snprintf(buf, len, tight && fabs(v) >= 0.0995 ? "%+.0f" : "%+.1f",
			 v * 100);
}

/* A number in at most 7 columns. */
static void fmt_num7(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (fabs(v) >= 9999999.5)
		snprintf(buf, len, "%.1e", v);
	else if (fabs(v) >= 1000)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.4g", v);
}

static void fmt_p(double p, char *buf, size_t len)
{
	if (isnan(p))
		snprintf(buf, len, "-");
	else if (p < 0.001)
		snprintf(buf, len, "<.001");
	else
		snprintf(buf, len, "%.3f", p);
}

/* The change and its CI: "-12.3%" "[-20,-4]"; "from 0" without a base. */
static void fmt_change(const struct cmp_row *r, char *ch, size_t chlen,
		       char *ci, size_t cilen)
{
	char lo[16], hi[16];

	ci[0] = '\0';
	if (isnan(r->rel)) {
		snprintf(ch, chlen, r->vd.center_n == r->vd.center_b ? "0" : "from 0");
		return;
	}
	fmt_pct(r->rel, ch, chlen - 1, 0);
	strcat(ch, "%");
	if (isnan(r->rel_low))
		return;
	fmt_pct(r->rel_low, lo, sizeof(lo), 1);
	fmt_pct(r->rel_high, hi, sizeof(hi), 1);
	snprintf(ci, cilen, "[%s,%s]", lo, hi);
}

/* What the result column says of a row that was not tested. */
static const char *untested_text(const struct cmp_row *r)
{
	switch (r->vd.state) {
	case VD_UNCONFIRMED:
		return "unconfirmed";
	case VD_NO_SPREAD:
	case VD_NOT_POSITIVE:
		return "not judged";
	default:
		return "";
	}
}

#define TIME_COLS "  %-16s %5s %7s %7s %7s %-11s %5s %5s %s"
#define COUNT_COLS "  %-16s %11s %11s %7s %-11s %5s %s"

static void time_row(const struct cmp_row *r, char *row, size_t len)
{
	char runs[24], b[24], nw[24], ch[16], ci[40], p[16], mde[16];

	snprintf(runs, sizeof(runs), "%zu/%zu", r->runs_b, r->runs_n);
	fmt_num7(r->vd.center_b, b, sizeof(b));
	fmt_num7(r->vd.center_n, nw, sizeof(nw));
	fmt_change(r, ch, sizeof(ch), ci, sizeof(ci));
	if (r->vd.state != VD_TESTED) {
		snprintf(row, len, "  %-16s %5s %7s %7s %7s %s", strlen(r->label) > 16 ? "" :
			 r->label, runs, b, nw, ch, untested_text(r));
		return;
	}
	fmt_p(r->vd.p_adj, p, sizeof(p));
	if (r->vd.mde >= 9.995)
		snprintf(mde, sizeof(mde), ">999%%");
	else
		snprintf(mde, sizeof(mde), "%.0f%%", r->vd.mde * 100);
	snprintf(row, len, TIME_COLS, strlen(r->label) > 16 ? "" : r->label, runs, b, nw,
		 ch, ci, p, mde, cmp_verdict_name(r->verdict));
}

static void count_row(const struct cmp_row *r, char *row, size_t len)
{
	char b[32], nw[32], ch[16], ci[40], p[16];

	snprintf(b, sizeof(b), "%zu/%zu", r->vd.hb, r->vd.tb);
	snprintf(nw, sizeof(nw), "%zu/%zu", r->vd.hn, r->vd.tn);
	fmt_change(r, ch, sizeof(ch), ci, sizeof(ci));
	fmt_p(r->vd.p_adj, p, sizeof(p));
	snprintf(row, len, COUNT_COLS, strlen(r->label) > 16 ? "" : r->label, b, nw, ch,
		 "", p, cmp_verdict_name(r->verdict));
}

static void compared_row(FILE *f, const struct cmp_row *r)
{
	char row[256];

	if (r->vd.kind == VD_COUNT)
		count_row(r, row, sizeof(row));
	else
		time_row(r, row, sizeof(row));
	if (strlen(r->label) > 16)
		fprintf(f, "  %s\n", r->label);
	/* no trailing blanks where the result column is empty */
	for (size_t n = strlen(row); n && row[n - 1] == ' '; n--)
		row[n - 1] = '\0';
	fprintf(f, "%.*s\n", WIDTH, row);
}

static void evidence_line(FILE *f, const struct cmp_table *t, const struct cmp_row *r)
{
	char eb[64], en[64], line[256];

	cmp_pmd_evidence(r->base, eb, sizeof(eb));
	cmp_pmd_evidence(r->new, en, sizeof(en));
	if (!strcmp(eb, en))
		return;
	snprintf(line, sizeof(line), "%s: %s; %s: %s", t->base->release,
		 eb[0] ? eb : "-", t->new->release, en[0] ? en : "-");
	cmp_put_wrapped(f, "      ", "      ", line);
}

static void note_line(FILE *f, const struct cmp_table *t, const struct cmp_row *r)
{
	char line[256];

	if (r->unit_differs)
		snprintf(line, sizeof(line), "not marked: one fault brought back a whole PMD "
			 "on %s and a 4 KiB page on %s; compare fault_throughput",
			 r->base->pmd_samples ? t->base->release : t->new->release,
			 r->base->pmd_samples ? t->new->release : t->base->release);
	else if (r->vd.state == VD_NO_SPREAD)
		snprintf(line, sizeof(line), "not judged: every run gave the same median, "
			 "so there is no spread between runs to test against");
	else if (r->vd.state == VD_NOT_POSITIVE)
		snprintf(line, sizeof(line), "not judged: a run's median is not positive "
			 "(changes are judged as ratios)");
	else
		return;
	cmp_put_wrapped(f, "      ", "      ", line);
}

static void other_row(FILE *f, const struct cmp_table *t, const struct cmp_row *r)
{
	char line[512];
	const struct rs_group *g = r->base ? r->base : r->new;
	const char *on = r->state == CMP_UNSUPPORTED_BASE ? t->base->release
						       : t->new->release;

	switch (r->state) {
	case CMP_ONLY_BASE:
	case CMP_ONLY_NEW:
		snprintf(line, sizeof(line), "%s: only on %s (%zu samples), not run on %s%s%s%s",
			 r->label, r->state == CMP_ONLY_BASE ? t->base->release : t->new->release,
			 g->n, r->state == CMP_ONLY_BASE ? t->new->release : t->base->release,
			 r->unsup ? ", whose job stopped at " : "",
			 r->unsup ? r->unsup->capability : "",
			 r->unsup ? " unsupported" : "");
		break;
	case CMP_UNSUPPORTED_BOTH:
		on = "either kernel";
		/* fall through */
	default:
		snprintf(line, sizeof(line), "%s: unsupported on %s (%s): %s",
			 r->label, on, r->unsup->capability, r->unsup->reason);
	}
	cmp_put_wrapped(f, "  ", "      ", line);
}

static void section(FILE *f, const struct cmp_table *t, const struct cmp_row *first)
{
	const char *bench = first->bench, *metric = first->metric;
	/* the row's own: compare derives metrics of its own (whole_pmds) */
	const struct metric_info *mi = first->info;
	char head[160];

	if (!strcmp(metric, "-"))
		snprintf(head, sizeof(head), "%s: not measured", bench);
	else if (mi)
		snprintf(head, sizeof(head), "%s %s (%s, %s is better)", bench, metric,
			 mi->unit, mi->better == BETTER_HIGHER ? "higher" : "lower");
	else
		snprintf(head, sizeof(head), "%s %s (unknown metric: no direction)",
			 bench, metric);
	fprintf(f, "\n%s\n", head);
	if (!strcmp(metric, "-"))
		;
	else if (mi && (mi->kind == METRIC_COUNT || mi->kind == METRIC_RATIO))
		fprintf(f, COUNT_COLS "\n", "parameters", "base", "new", "change", "",
			"p adj", "result");
	else
		fprintf(f, TIME_COLS "\n", "parameters", "runs", "base", "new", "change",
			"95% CI", "p adj", "MDE", "result");
	for (size_t i = 0; i < t->nrows; i++) {
		const struct cmp_row *r = &t->rows[i];

		if (strcmp(r->bench, bench) || strcmp(r->metric, metric))
			continue;
		if (r->state == CMP_COMPARED) {
			compared_row(f, r);
			if (r->vd.kind == VD_TIME)
				evidence_line(f, t, r);
			note_line(f, t, r);
		} else {
			other_row(f, t, r);
		}
	}
}

static int seen_before(const struct cmp_table *t, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (!strcmp(t->rows[j].bench, t->rows[i].bench) &&
		    !strcmp(t->rows[j].metric, t->rows[i].metric))
			return 1;
	return 0;
}

static void side_line(FILE *f, const char *role, const struct cmp_side *s)
{
	char line[1024], from[512], title[300];

	cmp_side_title(s, title, sizeof(title));
	snprintf(line, sizeof(line), "%s %s: %zu run%s, %zu samples, from %s", role,
		 title, s->nruns, s->nruns == 1 ? "" : "s", s->merged.samples,
		 esc_term_buf(from, sizeof(from), s->origin));
	cmp_put_wrapped(f, "", "    ", line);
}

static void stress_outcome(const struct rs_stress *st, const char *release,
			   char *buf, size_t len)
{
	if (!st)
		snprintf(buf, len, "not run on %s", release);
	else
		snprintf(buf, len, "%s on %s (%lld ops, %lld failed calls, %lld integrity "
			 "errors, %lld kernel reports, %lld hangs)%s%s", st->status, release,
			 st->ops, st->errors, st->integrity_errors, st->kernel_reports,
			 st->hangs, st->reason[0] ? ": " : "", st->reason);
}

/* Each stress scenario's outcome on both kernels; a new failure is marked. */
static void stress_section(FILE *f, const struct cmp_table *t)
{
	const struct cmp_side *sides[] = { t->base, t->new };
	int header = 0;

	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < sides[k]->merged.nstress; i++) {
			const char *sc = sides[k]->merged.stress[i].scenario;
			const struct rs_stress *b = cmp_stress_outcome(t->base, sc);
			const struct rs_stress *n = cmp_stress_outcome(t->new, sc);
			char line[1024], ob[480], on[480];

			if ((k == 0 ? b : n) != &sides[k]->merged.stress[i] || (k == 1 && b))
				continue;	/* once per scenario */
			if (!header++)
				fprintf(f, "\nstress scenarios (a failure on new that passed on base is WORSE)\n");
			stress_outcome(b, t->base->release, ob, sizeof(ob));
			stress_outcome(n, t->new->release, on, sizeof(on));
			snprintf(line, sizeof(line), "%s%s: %s; %s",
				 b && n && !strcmp(b->status, "pass") && !strcmp(n->status, "fail")
				 ? "WORSE " : "", sc, ob, on);
			cmp_put_wrapped(f, "  ", "      ", line);
		}
}

/* "1 run per side", "3 and 1 runs": the runs of the sides. */
static void runs_text(const struct cmp_table *t, char *buf, size_t len)
{
	if (t->base->nruns == t->new->nruns)
		snprintf(buf, len, "%zu run%s per side", t->base->nruns,
			 t->base->nruns == 1 ? "" : "s");
	else
		snprintf(buf, len, "%zu and %zu runs", t->base->nruns, t->new->nruns);
}

/* How to read the table: what is tested how, and at what level. */
static void legend_text(FILE *f, const struct cmp_table *t, const struct cmp_opts *o)
{
	char text[1024], runs[64];
	size_t used;

	used = snprintf(text, sizeof(text),
			"Times and throughputs: one replicate per run (boot), its median; "
			"base and new are the geometric means of the runs' medians, change "
			"is their ratio");
	if (t->vd.time_rows)
		used += snprintf(text + used, sizeof(text) - used, " with its 95%% CI from "
				 "a moderated t test on the runs (variances shrunk over "
				 "this table's %zu such row%s, prior df %.3g)", t->vd.time_rows,
				 t->vd.time_rows == 1 ? "" : "s", t->vd.mt.prior.d0);
	if (t->vd.time_rows && t->vd.mt.rows_eff < t->vd.time_rows - 0.05)
		used += snprintf(text + used, sizeof(text) - used, "; rows of one boot move "
				 "together, so they count as %.1f independent ones: at most "
				 "%.3g df", t->vd.mt.rows_eff, t->vd.mt.cap_df);
	snprintf(text + used, sizeof(text) - used, ". Counts: Fisher's exact test, from "
		 "any number of runs. p adj: %s over the %zu row%s tested; WORSE or "
		 "better only when p adj < %g and |change| > %g%%. MDE: the change a "
		 "row finds 80%% of the time when it is the only one.",
		 p_adjust_name(o->adjust), t->vd.family, t->vd.family == 1 ? "" : "s",
		 o->alpha, o->threshold * 100);
	cmp_put_wrapped(f, "", "", text);
	if (!t->unconfirmed)
		return;
	runs_text(t, runs, sizeof(runs));
	snprintf(text, sizeof(text), "%zu time rows unconfirmed (%s; %zu needed): their "
		 "change is shown, never marked, and never sets the exit status. Between "
		 "boots a kernel's times move by more than within one boot; only runs "
		 "measure that (scripts/matrix --repeat, or more runs in the same "
		 "directory).", t->unconfirmed, runs, t->min_runs);
	cmp_put_wrapped(f, "", "", text);
}

void cmp_unconfirmed_note(const struct cmp_table *t, char *buf, size_t len)
{
	char runs[64];

	runs_text(t, runs, sizeof(runs));
	snprintf(buf, len, "unconfirmed (%s; %zu needed)", runs, t->min_runs);
}

void cmp_print(FILE *f, const struct cmp_table *t, const struct cmp_opts *o)
{
	char legend[512];
	size_t used;

	side_line(f, "base", t->base);
	side_line(f, "new ", t->new);
	for (size_t i = 0; i < t->nnotes; i++)
		cmp_put_wrapped(f, "note: ", "      ", t->notes[i]);
	legend_text(f, t, o);
	for (size_t i = 0; i < t->nrows; i++)
		if (!seen_before(t, i))
			section(f, t, &t->rows[i]);
	stress_section(f, t);
	used = snprintf(legend, sizeof(legend), "%zu compared: %zu worse, %zu better, "
			"%zu unconfirmed; %zu not comparable; %zu tests, %s-adjusted",
			t->compared, t->regressed, t->improved, t->unconfirmed,
			t->nrows - t->compared, t->vd.family, p_adjust_name(o->adjust));
	if (t->stress_compared)
		snprintf(legend + used, sizeof(legend) - used,
			 "; stress: %zu of %zu scenarios newly failing",
			 t->stress_regressed, t->stress_compared);
	fputc('\n', f);
	cmp_put_wrapped(f, "", "", legend);
}
