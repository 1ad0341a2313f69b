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

static void fmt_num(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (fabs(v) >= 1e8)
		snprintf(buf, len, "%.3g", v);
	else if (fabs(v) >= 1000)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.4g", v);
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

/* 20480 as "20k": fault latencies come by the ten thousand. */
static void fmt_count(size_t n, char *buf, size_t len)
{
	if (n >= 10000)
		snprintf(buf, len, "%zuk", (n + 500) / 1000);
	else
		snprintf(buf, len, "%zu", n);
}

static void compared_row(FILE *f, const struct cmp_row *r)
{
	char n[64], nb[24], nn[24], b[24], nw[24], ch[16], lo[16], hi[16], ci[40], p[16], row[256];

	fmt_count(r->sb.n, nb, sizeof(nb));
	fmt_count(r->sn.n, nn, sizeof(nn));
	snprintf(n, sizeof(n), "%s/%s", nb, nn);
	fmt_num(r->sb.median, b, sizeof(b));
	fmt_num(r->sn.median, nw, sizeof(nw));
	if (isnan(r->rel)) {
		snprintf(ch, sizeof(ch), "from 0");
		ci[0] = '\0';
	} else {
		fmt_pct(r->rel, ch, sizeof(ch), 0);
		strcat(ch, "%");
		fmt_pct(r->rel_low, lo, sizeof(lo), 1);
		fmt_pct(r->rel_high, hi, sizeof(hi), 1);
		snprintf(ci, sizeof(ci), "[%s,%s]", lo, hi);
	}
	snprintf(p, sizeof(p), "%.3f%s", r->test.p,
		 r->test.method == MWU_EXACT ? " " : "*");
	snprintf(row, sizeof(row), "  %-18s %7s %8s %8s %7s %-11s %6s %s",
		 strlen(r->label) > 18 ? "" : r->label, n, b, nw, ch, ci, p,
		 cmp_verdict_name(r->verdict));
	if (strlen(r->label) > 18)
		fprintf(f, "  %s\n", r->label);
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

static void noise_line(FILE *f, const struct cmp_table *t, const struct cmp_row *r)
{
	char line[256];

	if (r->unit_differs)
		snprintf(line, sizeof(line), "not marked: one fault brought back a whole PMD "
			 "on %s and a 4 KiB page on %s; compare fault_throughput",
			 r->base->pmd_samples ? t->base->release : t->new->release,
			 r->base->pmd_samples ? t->new->release : t->base->release);
	else if (r->within_noise)
		snprintf(line, sizeof(line), "not marked: within the run-to-run spread of %.0f%% "
			 "(medians of runs of one kernel)", r->noise * 100);
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

static void section(FILE *f, const struct cmp_table *t, const char *bench,
		    const char *metric)
{
	const struct metric_info *mi = metric_find(metric);
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
	if (strcmp(metric, "-"))
		fprintf(f, "  %-18s %7s %8s %8s %7s %-11s %6s %s\n", "parameters", "n",
			"base", "new", "change", "95% CI", "p", "result");
	for (size_t i = 0; i < t->nrows; i++) {
		const struct cmp_row *r = &t->rows[i];

		if (strcmp(r->bench, bench) || strcmp(r->metric, metric))
			continue;
		if (r->state == CMP_COMPARED) {
			compared_row(f, r);
			evidence_line(f, t, r);
			noise_line(f, t, r);
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

void cmp_print(FILE *f, const struct cmp_table *t, const struct cmp_opts *o)
{
	char legend[512];
	size_t used;

	side_line(f, "base", t->base);
	side_line(f, "new ", t->new);
	for (size_t i = 0; i < t->nnotes; i++)
		cmp_put_wrapped(f, "note: ", "      ", t->notes[i]);
	snprintf(legend, sizeof(legend),
		 "Medians of each side; change is the Hodges-Lehmann shift over the "
		 "base median with its 95%% CI; p from the Mann-Whitney U test (* normal "
		 "approximation with tie correction, else exact). WORSE or better only "
		 "when p < %g and |change| > %g%%.", o->alpha, o->threshold * 100);
	cmp_put_wrapped(f, "", "", legend);
	if (t->base->nruns == 1 || t->new->nruns == 1)
		cmp_put_wrapped(f, "", "", "A side of one run: p sees only the spread within "
				"that run, not between runs (boot, host load); more runs per "
				"kernel in the same directory measure it, and changes within "
				"it are not marked.");
	for (size_t i = 0; i < t->nrows; i++)
		if (!seen_before(t, i))
			section(f, t, t->rows[i].bench, t->rows[i].metric);
	stress_section(f, t);
	used = snprintf(legend, sizeof(legend), "%zu compared: %zu worse, %zu better; "
			"%zu not comparable", t->compared, t->regressed, t->improved,
			t->nrows - t->compared);
	if (t->stress_compared)
		snprintf(legend + used, sizeof(legend) - used,
			 "; stress: %zu of %zu scenarios newly failing",
			 t->stress_regressed, t->stress_compared);
	fputc('\n', f);
	cmp_put_wrapped(f, "", "", legend);
}

static const char *state_name(const struct cmp_row *r)
{
	static const char *const names[] = {
		"compared", "only-base", "only-new", "unsupported-base",
		"unsupported-new", "unsupported-both",
	};

	return names[r->state];
}

/* The row's note: why it was not judged, or the capability it lacks. */
static const char *row_note(const struct cmp_row *r)
{
	if (r->unit_differs)
		return "pmd-vs-4k-faults";
	if (r->within_noise)
		return "within-run-spread";
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

static size_t stress_runs(const struct cmp_side *s, const char *scenario)
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
				"%s\t-\t-\t%s\t-\t-\t-\t-\t-\t-\t-\t%s\t-\n",
				t->base->release, t->new->release, sc, sc,
				b && n ? "compared" : b ? "only-base" : "only-new",
				stress_runs(t->base, sc), stress_runs(t->new, sc),
				b ? b->status : "-", n ? n->status : "-",
				worse ? "WORSE" : "-");
		}
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
		      "change\tchange_low\tchange_high\tp\ttest\tverdict\tnote\n", f);
	for (size_t i = 0; i < t->nrows; i++) {
		const struct cmp_row *r = &t->rows[i];
		const struct rs_group *g = r->base ? r->base : r->new;
		int c = r->state == CMP_COMPARED;

		fprintf(f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%zu\t%zu\t", t->base->release,
			t->new->release, r->bench, r->metric,
			r->label && r->label[0] ? r->label : "-",
			g ? g->key : r->unsup->key,
			r->info ? r->info->unit : "-", state_name(r), r->sb.n, r->sn.n);
		tsv_median(f, &r->sb);
		tsv_median(f, &r->sn);
		if (c && !isnan(r->rel))
			fprintf(f, "%.6g\t%.6g\t%.6g\t", r->rel, r->rel_low, r->rel_high);
		else
			fputs("-\t-\t-\t", f);
		if (c)
			fprintf(f, "%.6g\t%s\t", r->test.p,
				r->test.method == MWU_EXACT ? "exact" : "normal");
		else
			fputs("-\t-\t", f);
		fprintf(f, "%s\t%s\n", c && r->verdict != CMP_SAME ?
			cmp_verdict_name(r->verdict) : "-", row_note(r));
	}
	tsv_stress(f, t);
}
