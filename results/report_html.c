// SPDX-License-Identifier: GPL-2.0
/* index.html: one file, no external resources, figures as data: URIs. */
#include <math.h>
#include <stdarg.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report.h"

static const char style[] =
	"body{font-family:sans-serif;margin:2em;max-width:80em;color:#222}"
	"table{border-collapse:collapse;margin:1em 0;font-size:90%}"
	"td,th{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}"
	"tr.worse td{background:#fdd}tr.better td{background:#dfd}"
	"tr.other td{color:#555;font-style:italic}.incomplete{color:#a00;font-weight:bold}"
	".note{color:#a50}figure{margin:1.5em 0}img{max-width:100%}"
	"figcaption{max-width:60em;font-size:90%}pre{font-size:85%}";

/* Everything but the markup itself goes through here (results/escape.h). */
static void esc(FILE *f, const char *s)
{
	esc_html(f, s);
}

static void cell(FILE *f, const char *s)
{
	fputs("<td>", f);
	esc(f, s);
	fputs("</td>", f);
}

static void num_cell(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void num_cell(FILE *f, const char *fmt, ...)
{
	va_list ap;

	fputs("<td class=n>", f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputs("</td>", f);
}

/* Writes @path as base64 (RFC 4648); -1 if it cannot be read. */
static int base64_file(FILE *out, const char *path)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char in[3];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	while ((n = fread(in, 1, 3, f)) > 0) {
		unsigned int v = in[0] << 16 | (n > 1 ? in[1] << 8 : 0) | (n > 2 ? in[2] : 0);

		fputc(tab[v >> 18 & 63], out);
		fputc(tab[v >> 12 & 63], out);
		fputc(n > 1 ? tab[v >> 6 & 63] : '=', out);
		fputc(n > 2 ? tab[v & 63] : '=', out);
	}
	fclose(f);
	return 0;
}

static void meta_cell(FILE *f, const struct rs_run *run, const char *path)
{
	const char *s = rs_meta_str(run, path);
	long long v = rs_meta_int(run, path);
	char buf[32];

	if (!s && v >= 0) {
		snprintf(buf, sizeof(buf), "%lld", v);
		s = buf;
	}
	cell(f, s ? s : "?");
}

/* What the reader skipped, and why (an unknown record type). */
static void warnings(FILE *f, const struct report *r)
{
	int any = 0;

	for (size_t i = 0; i < r->nsides; i++)
		for (size_t j = 0; j < r->sides[i].nruns; j++)
			for (size_t k = 0; k < r->sides[i].runs[j]->nwarnings; k++) {
				fputs(any++ ? "<li>warning: " : "<ul class=note><li>warning: ", f);
				esc(f, r->sides[i].runs[j]->warnings[k]);
				fputs("</li>", f);
			}
	if (any)
		fputs("</ul>\n", f);
}

static void runs_table(FILE *f, const struct report *r)
{
	fputs("<h2>Runs</h2><table><tr><th>kernel</th><th>run</th><th>start</th><th>suite</th>"
	      "<th>status</th><th>samples</th><th>host</th><th>CPU</th><th>CPUs</th>"
	      "<th>memory KiB</th><th>THP enabled</th><th>THP defrag</th>"
	      "<th>kernel command line</th><th>hmmbench</th></tr>\n", f);
	for (size_t i = 0; i < r->nsides; i++)
		for (size_t j = 0; j < r->sides[i].nruns; j++) {
			const struct rs_run *run = r->sides[i].runs[j];

			fputs("<tr>", f);
			cell(f, run->release);
			cell(f, run->dir);
			meta_cell(f, run, "start");
			meta_cell(f, run, "suite");
			fprintf(f, "<td%s>", run->complete ? "" : " class=incomplete");
			esc(f, run->status);
			if (!run->complete) {
				fputs(": ", f);
				esc(f, run->incomplete_why);
			}
			fputs("</td>", f);
			num_cell(f, "%zu", run->samples);
			meta_cell(f, run, "host");
			meta_cell(f, run, "cpu.model");
			meta_cell(f, run, "cpu.count");
			meta_cell(f, run, "memory_kib");
			meta_cell(f, run, "thp.enabled");
			meta_cell(f, run, "thp.defrag");
			meta_cell(f, run, "kernel.cmdline");
			fputs("<td>", f);
			esc(f, rs_meta_str(run, "hmmbench.version"));
			fputs(" ", f);
			esc(f, rs_meta_str(run, "hmmbench.commit"));
			fputs("</td></tr>\n", f);
		}
	fputs("</table>\n", f);
	warnings(f, r);
}

static void pct_cell(FILE *f, const struct cmp_row *r)
{
	if (isnan(r->rel))
		num_cell(f, r->vd.center_n == r->vd.center_b ? "0" : "from 0");
	else if (isnan(r->rel_low))
		num_cell(f, "%+.1f%%", r->rel * 100);
	else
		num_cell(f, "%+.1f%% [%+.1f%%, %+.1f%%]", r->rel * 100, r->rel_low * 100,
			 r->rel_high * 100);
}

/* The runs and centre of each side (times), or the counts (counts). */
static void sides_cells(FILE *f, const struct cmp_row *r)
{
	if (r->vd.kind == VD_COUNT) {
		num_cell(f, "counts");
		num_cell(f, "%zu / %zu", r->vd.hb, r->vd.tb);
		num_cell(f, "%zu / %zu", r->vd.hn, r->vd.tn);
		return;
	}
	num_cell(f, "%zu / %zu runs", r->runs_b, r->runs_n);
	num_cell(f, "%.4g", r->vd.center_b);
	num_cell(f, "%.4g", r->vd.center_n);
}

static void test_cell(FILE *f, const struct cmp_row *r)
{
	if (r->vd.state != VD_TESTED)
		cell(f, "-");
	else if (r->vd.kind == VD_COUNT)
		num_cell(f, "%.3g (%.3g, Fisher)", r->vd.p_adj, r->vd.p);
	else
		num_cell(f, "%.3g (%.3g, moderated t); MDE %.0f%%", r->vd.p_adj, r->vd.p,
			 r->vd.mde * 100);
}

static void other_text(FILE *f, const struct cmp_table *t, const struct cmp_row *r)
{
	const struct rs_group *g = r->base ? r->base : r->new;

	if (r->state == CMP_ONLY_BASE || r->state == CMP_ONLY_NEW) {
		fputs("only on ", f);
		esc(f, r->state == CMP_ONLY_BASE ? t->base->release : t->new->release);
		fprintf(f, " (%zu samples), not run on ", g->n);
		esc(f, r->state == CMP_ONLY_BASE ? t->new->release : t->base->release);
		if (r->unsup) {
			fputs(", whose job stopped at ", f);
			esc(f, r->unsup->capability);
			fputs(" unsupported", f);
		}
		return;
	}
	fputs("unsupported on ", f);
	esc(f, r->state == CMP_UNSUPPORTED_BOTH ? "either kernel" :
	       r->state == CMP_UNSUPPORTED_BASE ? t->base->release : t->new->release);
	fputs(" (", f);
	esc(f, r->unsup->capability);
	fputs("): ", f);
	esc(f, r->unsup->reason);
}

static void compare_row(FILE *f, const struct cmp_table *t, const struct cmp_row *r)
{
	const struct metric_info *mi = r->info;
	char eb[64], en[64];

	fprintf(f, "<tr class=%s>", r->state != CMP_COMPARED ? "other" :
		r->verdict == CMP_REGRESSED ? "worse" : r->verdict == CMP_IMPROVED ? "better" : "same");
	cell(f, r->bench);
	cell(f, r->metric);
	cell(f, r->label);
	cell(f, mi ? mi->unit : "");
	if (r->state != CMP_COMPARED) {
		fputs("<td colspan=7>", f);
		other_text(f, t, r);
		fputs("</td></tr>\n", f);
		return;
	}
	sides_cells(f, r);
	pct_cell(f, r);
	test_cell(f, r);
	if (r->unit_differs)
		cell(f, "not judged: whole-PMD faults against 4 KiB faults");
	else if (r->vd.state == VD_UNCONFIRMED)
		fprintf(f, "<td>unconfirmed (%zu and %zu runs; %zu needed)</td>", r->runs_b,
			r->runs_n, t->min_runs);
	else
		cell(f, cmp_verdict_name(r->verdict));
	cmp_pmd_evidence(r->base, eb, sizeof(eb));
	cmp_pmd_evidence(r->new, en, sizeof(en));
	fputs("<td>", f);
	if (eb[0] || en[0]) {
		esc(f, t->base->release);
		fprintf(f, ": %s<br>", eb[0] ? eb : "-");
		esc(f, t->new->release);
		fprintf(f, ": %s", en[0] ? en : "-");
	}
	fputs("</td></tr>\n", f);
}

static void compare_table(FILE *f, const struct report *r, const struct cmp_table *t)
{
	fputs("<h3>", f);
	esc(f, t->new->release);
	fputs(" against ", f);
	esc(f, t->base->release);
	fprintf(f, " (base)</h3>\n<p>%zu compared: %zu worse, %zu better (%s-adjusted p "
		"&lt; %g over the %zu rows tested, and |change| &gt; %g%%), %zu unconfirmed "
		"(times with fewer than %zu runs a side); %zu not comparable.", t->compared,
		t->regressed, t->improved, p_adjust_name(r->opts.adjust), r->opts.alpha,
		t->vd.family, r->opts.threshold * 100, t->unconfirmed, t->min_runs,
		t->nrows - t->compared);
	if (t->stress_compared)
		fprintf(f, " Stress: %zu of %zu scenarios run on both fail on the new kernel "
			"and passed on the base.", t->stress_regressed, t->stress_compared);
	fputs("</p>\n", f);
	if (t->nnotes) {
		fputs("<ul class=note>", f);
		for (size_t i = 0; i < t->nnotes; i++) {
			fputs("<li>", f);
			esc(f, t->notes[i]);
			fputs("</li>", f);
		}
		fputs("</ul>\n", f);
	}
	fputs("<table><tr><th>benchmark</th><th>metric</th><th>parameters</th><th>unit</th>"
	      "<th>runs base / new</th><th>base</th><th>new</th>"
	      "<th>change [95% CI]</th><th>p adjusted (p, test)</th><th>verdict</th><th>PMD evidence</th></tr>\n", f);
	for (size_t i = 0; i < t->nrows; i++)
		compare_row(f, t, &t->rows[i]);
	fputs("</table>\n", f);
}

static void figures(FILE *f, const struct report *r)
{
	fputs("<h2>Figures</h2>\n", f);
	for (size_t i = 0; i < r->plots.n; i++) {
		const struct plot_fig *p = &r->plots.figs[i];
		char path[PATH_MAX];

		if (!p->drawn)
			continue;
		snprintf(path, sizeof(path), "%s/%s.svg", r->outdir, p->name);
		fputs("<figure><img alt=\"", f);
		esc(f, p->title);
		fputs("\" src=\"data:image/svg+xml;base64,", f);
		base64_file(f, path);
		fputs("\"><figcaption><b>", f);
		esc(f, p->title);
		fputs(".</b> ", f);
		esc(f, p->caption);
		fprintf(f, " (%s.svg, %s.png; data %s.dat, script %s.gp)</figcaption></figure>\n",
			p->name, p->name, p->name, p->name);
	}
	if (r->plots.absent[0] || r->plots.error[0]) {
		fputs("<p class=note>", f);
		esc(f, r->plots.absent);
		fputs(" ", f);
		esc(f, r->plots.error);
		fputs("</p>\n", f);
	}
}

/* The probed capabilities the kernel's device lacks (meta "device"."caps"). */
static void caps_rows(FILE *f, const struct cmp_side *side)
{
	const char *cap[REPORT_CAPS_MAX], *why[REPORT_CAPS_MAX];
	size_t n = report_missing_caps(side, cap, why, REPORT_CAPS_MAX);

	for (size_t i = 0; i < n; i++) {
		fputs("<tr class=other>", f);
		cell(f, side->release);
		cell(f, "probe");
		cell(f, "-");
		cell(f, cap[i]);
		fputs("<td colspan=6>not available: ", f);
		esc(f, why[i]);
		fputs("</td></tr>\n", f);
	}
}

static void results_table(FILE *f, const struct report *r)
{
	fputs("<h2>Results per kernel</h2><p>Warm-ups excluded. A kernel of several runs "
	      "(boots): the geometric mean of the runs' medians, the smallest and largest "
	      "run median and their sd (relative): the spread between boots, which compare "
	      "tests against. A kernel of one run: its median and the 95% CI of that median "
	      "from order statistics, with the coverage it really has for n; it says "
	      "nothing of other boots.</p>"
	      "<table><tr><th>kernel</th><th>benchmark</th><th>metric</th><th>parameters</th>"
	      "<th>unit</th><th>runs / samples</th><th>median</th>"
	      "<th>run medians, or 95% CI of one run</th><th>run sd, or coverage</th>"
	      "<th>evidence</th></tr>\n", f);
	for (size_t i = 0; i < r->nsides; i++) {
		const struct rs_run *m = &r->sides[i].merged;

		for (size_t j = 0; j < m->ngroups; j++) {
			const struct rs_group *g = &m->groups[j];
			const struct metric_info *mi = metric_find(g->metric);
			struct sample_stats s;
			struct cmp_spread sp;
			char ev[64];

			if (!cmp_side_stats(&r->sides[i], g, &s) || !s.n)
				continue;
			cmp_run_spread(&r->sides[i], g, &sp);
			cmp_pmd_evidence(g, ev, sizeof(ev));
			fputs("<tr>", f);
			cell(f, r->sides[i].release);
			cell(f, g->bench);
			cell(f, g->metric);
			cell(f, g->label);
			cell(f, mi ? mi->unit : "?");
			num_cell(f, "%zu / %zu", sp.runs, s.n);
			num_cell(f, "%.4g", s.median);
			num_cell(f, "[%.4g, %.4g]", s.ci_low, s.ci_high);
			if (sp.runs > 1)
				num_cell(f, isnan(sp.sd) ? "-" : "%.1f%%", sp.sd * 100);
			else
				num_cell(f, "%.1f%% coverage", s.ci_level * 100);
			cell(f, ev);
			fputs("</tr>\n", f);
		}
		for (size_t j = 0; j < m->nunsup; j++) {
			fputs("<tr class=other>", f);
			cell(f, r->sides[i].release);
			cell(f, m->unsup[j].bench);
			cell(f, "-");
			cell(f, m->unsup[j].label);
			fputs("<td colspan=6>unsupported (", f);
			esc(f, m->unsup[j].capability);
			fputs("): ", f);
			esc(f, m->unsup[j].reason);
			fputs("</td></tr>\n", f);
		}
		caps_rows(f, &r->sides[i]);
	}
	fputs("</table>\n", f);
}

static void stress_table(FILE *f, const struct report *r)
{
	int any = 0;

	for (size_t i = 0; i < r->nsides; i++)
		for (size_t j = 0; j < r->sides[i].merged.nstress; j++) {
			const struct rs_stress *st = &r->sides[i].merged.stress[j];

			if (!any++)
				fputs("<h2>Stress scenarios</h2><p>One row per scenario and run; "
				      "a failure on a newer kernel where the base passed counts as "
				      "a regression in the comparisons.</p><table><tr><th>kernel</th>"
				      "<th>scenario</th><th>status</th><th>operations</th>"
				      "<th>failed calls</th><th>integrity errors</th>"
				      "<th>kernel reports</th><th>hangs</th><th>reason</th></tr>\n", f);
			/* a failure is worse; a skip or an interruption says nothing */
			fprintf(f, "<tr%s>", strcmp(st->status, "fail") ? "" : " class=worse");
			cell(f, r->sides[i].release);
			cell(f, st->scenario);
			cell(f, st->status);
			num_cell(f, "%lld", st->ops);
			num_cell(f, "%lld", st->errors);
			num_cell(f, "%lld", st->integrity_errors);
			num_cell(f, "%lld", st->kernel_reports);
			num_cell(f, "%lld", st->hangs);
			cell(f, st->reason);
			fputs("</tr>\n", f);
		}
	if (any)
		fputs("</table>\n", f);
}

int report_html(const struct report *r, FILE *f)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
		"<title>hmmbench report</title><style>%s</style></head><body>\n"
		"<h1>hmmbench report</h1><p>Generated %s from ", style, r->generated);
	esc(f, r->sources);
	fprintf(f, ". Times and throughputs are replicated by runs (boots): each run's "
		"median is one replicate; the change is the ratio of the geometric means of "
		"the runs' medians, tested by a moderated t test on the runs (limma's "
		"empirical Bayes), only with at least 3 runs a side (else unconfirmed). "
		"Counts (samples that moved whole PMDs, PMDs split, faults per page) are "
		"tested by Fisher's exact test. The p-values of one comparison are "
		"Holm-adjusted together. MDE: the change a row finds 80%% of the time.</p>\n");
	runs_table(f, r);
	fputs("<h2>Comparisons</h2>\n", f);
	if (!r->ntables)
		fputs("<p>One kernel only: nothing to compare.</p>\n", f);
	for (size_t i = 0; i < r->ntables; i++)
		compare_table(f, r, &r->tables[i]);
	figures(f, r);
	results_table(f, r);
	stress_table(f, r);
	fputs("<h2>Plain-text summary</h2><pre>", f);
	esc(f, r->summary);
	fputs("</pre>\n</body></html>\n", f);
	return ferror(f) ? -1 : 0;
}
