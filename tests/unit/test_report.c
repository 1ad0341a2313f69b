// SPDX-License-Identifier: GPL-2.0
/*
 * The report (results/report.h) of the golden trees: the files it writes,
 * results.csv row by row, summary.txt within 80 columns, and index.html
 * with no external resource (no script, stylesheet link or remote URL;
 * every image a data: URI). Drawing needs gnuplot: without it the test is
 * skipped, saying so.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "report.h"
#include "test_results_util.h"

TestSuite(report, .init = tu_make_tmp, .fini = tu_remove_tmp);

static char *slurp(const char *dir, const char *name)
{
	char path[PATH_MAX + 64];
	char *s = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	cr_assert(f, "%s should exist", path);
	cr_assert_geq(getdelim(&s, &len, '\0', f), 0);
	fclose(f);
	return s;
}

static void need_gnuplot(void)
{
	if (system("gnuplot --version >/dev/null 2>&1"))
		cr_skip_test("gnuplot is not installed (apt-get install gnuplot-nox)");
}

/* Loads the fixture trees @a (and @b) and writes their report to tu_tmp/out. */
static void make_report(struct report *r, struct rs_set *set, const char *a, const char *b)
{
	char path[PATH_MAX], out[PATH_MAX + 8], err[PATH_MAX + 256];
	static char outdir[PATH_MAX + 8];

	tu_fixture(a, path, sizeof(path));
	cr_assert_eq(rs_load_tree(path, set, err, sizeof(err)), 0, "%s", err);
	if (b) {
		tu_fixture(b, path, sizeof(path));
		cr_assert_eq(rs_load_tree(path, set, err, sizeof(err)), 0, "%s", err);
	}
	snprintf(out, sizeof(out), "%s/out", tu_tmp);
	memcpy(outdir, out, sizeof(outdir));
	memset(r, 0, sizeof(*r));
	r->outdir = outdir;
	r->sources = a;
	r->opts = (struct cmp_opts){ 0.05, 0.05 };
	cr_assert_eq(report_write(r, set, err, sizeof(err)), 0, "%s", err);
}

Test(report, two_kernels)
{
	struct report r;
	struct rs_set set = { 0 };
	char *csv, *txt, *html, *p, *save, *line;
	size_t rows = 0, imgs = 0;

	need_gnuplot();
	make_report(&r, &set, "results-two-kernels", "results-incomplete");
	csv = slurp(r.outdir, "results.csv");
	cr_assert(strstr(csv, "kernel,benchmark,metric,parameters,unit,n,median,ci_low,ci_high\n") == csv);
	/* n = 5 at 95%: the interval is the extremes (Bin(5, 1/2): l = 1) */
	cr_assert(strstr(csv, "\n6.12.117,migrate,throughput,size=33554432;pages=thp;direction=to-dev,MB/s,5,70,60,80\n"),
		  "%s", csv);
	cr_assert(strstr(csv, "\n7.2.13,split,split_rate,size=8388608;direction=to-dev;failure=injected,ratio,3,0.25,0.25,0.25\n"),
		  "%s", csv);
	for (p = csv; (p = strchr(p, '\n')); p++)
		rows++;
	cr_assert_eq(rows, 1 + 2 + 6, "header, 2 groups of 6.12 and 6 of 7.2 (both 7.2 runs merged)");

	txt = slurp(r.outdir, "summary.txt");
	cr_assert(strstr(txt, "7.2.13 against 6.12.117 (base)"), "%s", txt);
	cr_assert(strstr(txt, "incomplete"), "the died run is marked");
	/* 6.12's probed device: what it lacks, with why; not what it is */
	cr_assert(strstr(txt, "not available: thp-pmd: a THP was split on migration"), "%s", txt);
	cr_assert_null(strstr(txt, "dev-coherent"), "%s", txt);
	cr_assert_null(strstr(txt, "not available: migrate-to-dev"), "%s", txt);
	for (line = strtok_r(txt, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		cr_assert_leq(strlen(line), 80, "summary line wider than 80 columns: '%s'", line);

	html = slurp(r.outdir, "index.html");
	cr_assert_null(strstr(html, "<script"), "no scripts");
	cr_assert_null(strstr(html, "<link"), "no linked stylesheets");
	cr_assert_null(strstr(html, "url("), "no CSS URLs");
	cr_assert_null(strstr(html, "http:"), "no remote URLs");
	cr_assert_null(strstr(html, "https:"), "no remote URLs");
	for (p = html; (p = strstr(p, "src=")); p += 4) {
		cr_assert(!strncmp(p, "src=\"data:image/svg+xml;base64,", 31), "%.60s", p);
		imgs++;
	}
	cr_assert_eq(imgs, 3, "throughput to-dev, THP vs 4 KiB, split rate: %zu", imgs);
	cr_assert(strstr(html, "unsupported on 6.12.117 (fail-alloc)"));
	cr_assert(strstr(html, "class=incomplete"));
	cr_assert(strstr(html, "<td>thp-pmd</td><td colspan=6>not available: a THP was split on migration"));
	cr_assert_null(strstr(html, "dev-coherent"));
	cr_assert_null(strstr(html, "<td>migrate-to-dev</td><td colspan=6>"));
	free(csv);
	free(txt);
	free(html);
	for (size_t i = 0; i < r.plots.n; i++) {
		char path[PATH_MAX + 128];

		cr_assert(r.plots.figs[i].drawn, "%s drawn", r.plots.figs[i].name);
		snprintf(path, sizeof(path), "%s/%s.png", r.outdir, r.plots.figs[i].name);
		cr_assert_eq(access(path, R_OK), 0, "%s", path);
	}
	report_free(&r);
	rs_set_free(&set);
}

Test(report, fault_latency_figure)
{
	struct report r;
	struct rs_set set = { 0 };
	int found = 0;

	need_gnuplot();
	make_report(&r, &set, "results-fault", NULL);
	for (size_t i = 0; i < r.plots.n; i++)
		found |= !strcmp(r.plots.figs[i].name, "fault-latency") && r.plots.figs[i].drawn;
	cr_assert(found, "fault samples with latencies give the percentile figure");
	cr_assert(strstr(r.plots.absent, "no throughput figures") || strstr(r.plots.absent, "No migrate"),
		  "%s", r.plots.absent);
	report_free(&r);
	rs_set_free(&set);
}

Test(report, stress_figures_and_table)
{
	struct report r;
	struct rs_set set = { 0 };
	int ops = 0, errs = 0;
	char *html;

	need_gnuplot();
	make_report(&r, &set, "results-stress", NULL);
	for (size_t i = 0; i < r.plots.n; i++) {
		ops |= !strcmp(r.plots.figs[i].name, "stress") && r.plots.figs[i].drawn;
		errs |= !strcmp(r.plots.figs[i].name, "stress-errors") && r.plots.figs[i].drawn;
	}
	cr_assert(ops && errs, "operations and errors figures");
	html = slurp(r.outdir, "index.html");
	cr_assert(strstr(html, "<h2>Stress scenarios</h2>"));
	cr_assert(strstr(html, "Stress: 1 of 1 scenarios run on both fail on the new kernel"));
	free(html);
	report_free(&r);
	rs_set_free(&set);
}

/* Only a failure is shaded worse: a skip is not a regression. */
Test(report, stress_skip_is_not_worse)
{
	struct report r;
	struct rs_set set = { 0 };
	char *html, *skip, *fail;

	need_gnuplot();
	make_report(&r, &set, "results-stress-skip", NULL);
	html = slurp(r.outdir, "index.html");
	skip = strstr(html, "<td>fail-alloc</td><td>skip</td>");
	fail = strstr(html, "<td>migrate-fault</td><td>fail</td>");
	cr_assert(skip && fail, "%s", html);
	cr_assert(!strncmp(skip - strlen("<tr><td>6.12.117</td>"), "<tr><td>", 8), "%.80s",
		  skip - 40);
	cr_assert(!strncmp(fail - strlen("<tr class=worse><td>6.12.117</td>"), "<tr class=worse>", 16),
		  "%.80s", fail - 40);
	free(html);
	report_free(&r);
	rs_set_free(&set);
}
