// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-against-kernel comparison (results/compare.h): verdicts on the
 * golden trees in tests/fixtures/results-*, a planted shift written as
 * records and found again, and the false-positive rate on identical
 * distributions.
 *
 * Measured false-positive rates on identical distributions (normal, two
 * samples from different seeds, alpha 0.05, threshold 5%):
 *   n = 8 per side, sd 10% of the mean (the smoke suite's n and about
 *   its spread under TCG): in this test's 2000 trials p < 0.05 in 5.75%
 *   and marked WORSE in 2.65%; over 20000 trials 4.85% and 2.46%.
 *   n = 20 per side, sd 5%: 5.45% and 0.00% here; 5.05% and 0.08% over
 *   20000 trials.
 * So a WORSE is false about alpha/2 of the time when the noise is as
 * large as the threshold (a shift that reaches p < 0.05 on 8 noisy
 * samples is already beyond 5%), and far less when the threshold is
 * several standard errors wide. The bounds below are alpha (or alpha/2)
 * plus three Monte Carlo standard errors of 2000 trials. Power on a
 * planted 10% drop, n = 20, sd 5%: 200 of 200.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "compare.h"
#include "record.h"
#include "test_results_util.h"

static const struct cmp_opts opts = { .threshold = 0.05, .alpha = 0.05 };

TestSuite(compare, .init = tu_make_tmp, .fini = tu_remove_tmp);

/* A run of one group, built in memory like the reader builds it. */
static void make_run(struct rs_run *run, const char *release, const char *metric,
		     const double *x, size_t n)
{
	struct rs_group *g;

	memset(run, 0, sizeof(*run));
	run->dir = strdup("synthetic");
	run->path = strdup("synthetic/records.jsonl");
	run->release = strdup(release);
	run->status = strdup("complete");
	run->complete = 1;
	run->meta = json_pack("{s:{s:s}}", "kernel", "release", release);
	run->groups = g = calloc(1, sizeof(*g));
	run->ngroups = 1;
	g->bench = strdup("migrate");
	g->metric = strdup(metric);
	g->params = json_pack("{s:i, s:s}", "size", 1 << 25, "pages", "thp");
	g->key = json_dumps(g->params, JSON_COMPACT | JSON_SORT_KEYS);
	g->label = strdup("32M thp");
	cr_assert_eq(rs_group_add(g, x, n), 0);
}

static void normal_sample(gsl_rng *r, double *x, size_t n, double mean, double sd)
{
	for (size_t i = 0; i < n; i++)
		x[i] = mean + gsl_ran_gaussian(r, sd);
}

/* Compares @y against @x (metric @metric) and returns the row's verdict. */
static enum cmp_verdict verdict_of(const char *metric, const double *x, size_t nx,
				   const double *y, size_t ny, struct cmp_row *out)
{
	struct rs_set set = { calloc(2, sizeof(struct rs_run)), 2 };
	struct cmp_side *sides;
	struct cmp_table t;
	size_t nsides;
	enum cmp_verdict v;

	make_run(&set.runs[0], "7.2.13", metric, x, nx);
	make_run(&set.runs[1], "7.2.14", metric, y, ny);
	cr_assert_eq(cmp_sides(&set, "synthetic", &sides, &nsides), 0);
	cr_assert_eq(nsides, 2);
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	cr_assert_eq(t.nrows, 1);
	cr_assert_eq(t.rows[0].state, CMP_COMPARED);
	v = t.rows[0].verdict;
	if (out)
		*out = t.rows[0];
	cmp_table_free(&t);
	cmp_sides_free(sides, nsides);
	rs_set_free(&set);
	return v;
}

/* Writes a run of @n throughput samples drawn around @mean into tu_tmp. */
static void write_run(const char *release, gsl_rng *r, size_t n, double mean)
{
	struct rec_writer w;
	char err[256];
	json_t *meta = rec_new("meta");

	json_object_set_new(meta, "kernel", json_pack("{s:s}", "release", release));
	cr_assert_eq(rec_open_run(&w, tu_tmp, release, "run-1", err, sizeof(err)), 0, "%s", err);
	rec_write(&w, meta);
	for (size_t i = 0; i < n; i++) {
		json_t *s = rec_new("sample");

		json_object_set_new(s, "bench", json_string("migrate"));
		json_object_set_new(s, "params", json_pack("{s:i, s:s, s:s}", "size", 1 << 25,
							   "pages", "thp", "direction", "to-dev"));
		json_object_set_new(s, "values", json_pack("{s:f}", "throughput",
							   mean + gsl_ran_gaussian(r, mean * 0.05)));
		rec_write(&w, s);
	}
	rec_write(&w, json_pack("{s:i, s:s, s:s}", "schema", 1, "type", "end", "status", "complete"));
	rec_close(&w);
}

Test(compare, planted_ten_percent_drop_in_records_is_a_regression)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	struct rs_set set = { 0 };
	struct cmp_side *sides;
	struct cmp_table t;
	size_t n;
	char err[PATH_MAX + 256];

	gsl_rng_set(r, 42);
	write_run("7.2.13", r, 20, 1000);
	write_run("7.2.14", r, 20, 900);	/* 10% less throughput */
	cr_assert_eq(rs_load_tree(tu_tmp, &set, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(cmp_sides(&set, tu_tmp, &sides, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	cr_assert_eq(t.compared, 1);
	cr_assert_eq(t.regressed, 1, "a 10%% drop in throughput is a regression");
	cr_assert_eq(t.rows[0].verdict, CMP_REGRESSED);
	cr_assert(t.rows[0].rel_low < -0.10 + 0.03 && t.rows[0].rel_high > -0.10 - 0.03,
		  "the CI [%g, %g] should lie around -10%%", t.rows[0].rel_low, t.rows[0].rel_high);
	cr_assert(t.rows[0].rel_low <= t.rows[0].rel && t.rows[0].rel <= t.rows[0].rel_high);
	cmp_table_free(&t);
	cmp_sides_free(sides, n);
	rs_set_free(&set);
	gsl_rng_free(r);
}

Test(compare, direction_comes_from_the_metric_table)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double x[20], y[20];

	gsl_rng_set(r, 7);
	normal_sample(r, x, 20, 100, 5);
	normal_sample(r, y, 20, 110, 5);
	cr_assert_eq(verdict_of("throughput", x, 20, y, 20, NULL), CMP_IMPROVED,
		     "more throughput is better");
	cr_assert_eq(verdict_of("time", x, 20, y, 20, NULL), CMP_REGRESSED,
		     "more time is worse");
	cr_assert_eq(verdict_of("split_rate", x, 20, y, 20, NULL), CMP_REGRESSED,
		     "a higher split rate is worse");
	cr_assert_eq(verdict_of("no_such_metric", x, 20, y, 20, NULL), CMP_CHANGED,
		     "an unknown metric has no direction: changed, never a regression");
	gsl_rng_free(r);
}

Test(compare, below_threshold_or_not_significant_is_not_marked)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double x[40], y[40];
	struct cmp_row row;

	gsl_rng_set(r, 11);
	/* a significant 2% shift: beneath the 5% threshold */
	normal_sample(r, x, 40, 100, 0.5);
	normal_sample(r, y, 40, 98, 0.5);
	cr_assert_eq(verdict_of("throughput", x, 40, y, 40, &row), CMP_SAME);
	cr_assert(row.significant && !row.beyond, "p %g rel %g", row.test.p, row.rel);
	/* a 20% drop on 2 samples each: beyond the threshold, never significant */
	cr_assert_eq(verdict_of("throughput", (double[]){ 100, 101 }, 2,
				(double[]){ 80, 81 }, 2, &row), CMP_SAME);
	cr_assert(!row.significant && row.beyond, "p %g", row.test.p);
	gsl_rng_free(r);
}

Test(compare, planted_shift_power)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double x[20], y[20];
	int found = 0;

	for (int t = 0; t < 200; t++) {
		gsl_rng_set(r, 1000 + t);
		normal_sample(r, x, 20, 100, 5);
		normal_sample(r, y, 20, 90, 5);
		found += verdict_of("throughput", x, 20, y, 20, NULL) == CMP_REGRESSED;
	}
	cr_log_info("planted 10%% drop, n=20, sd 5%%: found in %d of 200", found);
	cr_assert_geq(found, 190, "a 10%% drop should be found in >= 95%% of trials: %d/200", found);
	gsl_rng_free(r);
}

/* Trials of two samples from one distribution; rates of p < alpha and WORSE. */
static void false_positives(size_t n, double sd, int trials, double *sig, double *worse)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double x[64], y[64];
	int s = 0, w = 0;

	for (int t = 0; t < trials; t++) {
		struct cmp_row row;

		gsl_rng_set(r, 2 * t + 1);
		normal_sample(r, x, n, 100, sd);
		gsl_rng_set(r, 2 * t + 2);
		normal_sample(r, y, n, 100, sd);
		w += verdict_of("throughput", x, n, y, n, &row) == CMP_REGRESSED;
		s += row.significant;
	}
	*sig = (double)s / trials;
	*worse = (double)w / trials;
	gsl_rng_free(r);
}

Test(compare, identical_distributions_rarely_regress, .timeout = 120)
{
	double sig, worse;

	/* 3 standard errors of a rate near 0.05 (0.025) over 2000 trials */
	false_positives(8, 10, 2000, &sig, &worse);
	cr_log_info("n=8 sd 10%%: p<0.05 in %.2f%%, WORSE in %.2f%%", sig * 100, worse * 100);
	cr_assert_leq(sig, 0.05 + 0.0146, "the U test's size should be alpha: %g", sig);
	cr_assert_leq(worse, 0.025 + 0.0105, "false regressions beyond alpha/2: %g", worse);
	false_positives(20, 5, 2000, &sig, &worse);
	cr_log_info("n=20 sd 5%%: p<0.05 in %.2f%%, WORSE in %.2f%%", sig * 100, worse * 100);
	cr_assert_leq(sig, 0.05 + 0.0146, "the U test's size should be alpha: %g", sig);
	cr_assert_leq(worse, 0.005, "a 5%% threshold of 3 standard errors: %g", worse);
}

/* The golden two-kernel tree: capability and PMD differences, not zeros. */
Test(compare, golden_two_kernels)
{
	struct rs_set set = { 0 };
	struct cmp_side *sides;
	struct cmp_table t;
	size_t n, unsupported = 0, only = 0;
	char path[PATH_MAX], err[PATH_MAX + 256], eb[64], en[64];
	const struct cmp_row *thp = NULL;

	tu_fixture("results-two-kernels", path, sizeof(path));
	cr_assert_eq(rs_load_tree(path, &set, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(cmp_sides(&set, path, &sides, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(sides[0].release, "6.12.117", "the older kernel is the base");
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	for (size_t i = 0; i < t.nrows; i++) {
		const struct cmp_row *r = &t.rows[i];

		if (r->state == CMP_COMPARED && !strcmp(r->label, "32M thp to-dev"))
			thp = r;
		if (r->state == CMP_UNSUPPORTED_BASE) {
			unsupported++;
			cr_assert_str_eq(r->unsup->capability, "fail-alloc");
			cr_assert_eq(r->sb.n, 0, "nothing measured on 6.12, not zeros");
		}
		if (r->state == CMP_ONLY_NEW) {
			only++;
			cr_assert(r->unsup, "the 'none' half of the split job: its job was unsupported");
		}
		cr_assert(r->state == CMP_COMPARED || r->verdict == CMP_SAME);
	}
	cr_assert_eq(t.compared, 2, "migrate thp and 4k to-dev");
	cr_assert_eq(unsupported, 2, "split time and split_rate with injection");
	cr_assert_eq(only, 2, "split time and split_rate without injection");
	cr_assert(thp);
	/* x = 60..80 step 5, y = 100..140 step 10, see the fixture */
	cr_assert_eq(thp->verdict, CMP_IMPROVED);
	cr_assert_float_eq(thp->test.p, 2.0 / 252, 1e-12, "U = 25 of 25: p = 2/C(10,5)");
	cr_assert_float_eq(thp->rel, 50.0 / 70, 1e-12, "HL 50 over the base median 70");
	cr_assert_float_eq(thp->rel_low, 30.0 / 70, 1e-12, "d(3) = 30 of the 25 differences");
	cr_assert_float_eq(thp->rel_high, 70.0 / 70, 1e-12, "d(23) = 70");
	cmp_pmd_evidence(thp->base, eb, sizeof(eb));
	cmp_pmd_evidence(thp->new, en, sizeof(en));
	cr_assert_str_eq(eb, "whole PMDs in 0/5 samples");
	cr_assert_str_eq(en, "whole PMDs in 5/5 samples");
	cr_assert_eq(t.nnotes, 1);
	cr_assert(strstr(t.notes[0], "THP defrag differs"), "%s", t.notes[0]);
	cmp_table_free(&t);
	cmp_sides_free(sides, n);
	rs_set_free(&set);
}

Test(compare, text_fits_80_columns_and_names_what_is_missing)
{
	struct rs_set set = { 0 };
	struct cmp_side *sides;
	struct cmp_table t;
	size_t n, len = 0;
	char path[PATH_MAX], err[PATH_MAX + 256], *buf = NULL, *line, *save;
	FILE *f = open_memstream(&buf, &len);

	tu_fixture("results-two-kernels", path, sizeof(path));
	cr_assert_eq(rs_load_tree(path, &set, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(cmp_sides(&set, path, &sides, &n), 0);
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	cmp_print(f, &t, &opts);
	fclose(f);
	cr_assert(strstr(buf, "unsupported on 6.12.117 (fail-alloc)"), "%s", buf);
	cr_assert(strstr(buf, "only on 7.2.13 (3 samples), not run on 6.12.117"), "%s", buf);
	cr_assert(strstr(buf, "6.12.117: whole PMDs in 0/5 samples; 7.2.13: whole PMDs in 5/5"),
		  "%s", buf);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		cr_assert_leq(strlen(line), 80, "line wider than 80 columns: '%s'", line);
	free(buf);
	cmp_table_free(&t);
	cmp_sides_free(sides, n);
	rs_set_free(&set);
}

Test(compare, nothing_in_common_compares_nothing)
{
	struct rs_set a = { 0 }, b = { 0 };
	struct cmp_side *sa, *sb;
	struct cmp_table t;
	size_t na, nb;
	char path[PATH_MAX], err[PATH_MAX + 256];

	tu_fixture("results-two-kernels/7.2.13", path, sizeof(path));
	cr_assert_eq(rs_load_tree(path, &a, err, sizeof(err)), 0, "%s", err);
	tu_fixture("results-fault", path, sizeof(path));
	cr_assert_eq(rs_load_tree(path, &b, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(cmp_sides(&a, "a", &sa, &na), 0);
	cr_assert_eq(cmp_sides(&b, "b", &sb, &nb), 0);
	cr_assert_eq(cmp_build(&sa[0], &sb[0], &opts, &t), 0);
	cr_assert_eq(t.compared, 0, "migrate/split against fault: no common group");
	cr_assert_gt(t.nrows, 0, "each side's groups are still listed");
	cmp_table_free(&t);
	cmp_sides_free(sa, na);
	cmp_sides_free(sb, nb);
	rs_set_free(&a);
	rs_set_free(&b);
}

Test(compare, incomplete_run_is_noted_and_used)
{
	struct rs_set a = { 0 }, b = { 0 };
	struct cmp_side *sa, *sb;
	struct cmp_table t;
	size_t na, nb;
	char path[PATH_MAX], err[PATH_MAX + 256];
	int noted = 0;

	tu_fixture("results-two-kernels/7.2.13", path, sizeof(path));
	cr_assert_eq(rs_load_tree(path, &a, err, sizeof(err)), 0, "%s", err);
	tu_fixture("results-incomplete", path, sizeof(path));
	cr_assert_eq(rs_load_tree(path, &b, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(cmp_sides(&a, "a", &sa, &na), 0);
	cr_assert_eq(cmp_sides(&b, "b", &sb, &nb), 0);
	cr_assert_eq(cmp_build(&sa[0], &sb[0], &opts, &t), 0);
	cr_assert_eq(t.compared, 1, "the three samples written before the crash count");
	for (size_t i = 0; i < t.nnotes; i++)
		noted |= strstr(t.notes[i], "is incomplete") != NULL;
	cr_assert(noted, "the comparison says a run is incomplete");
	cmp_table_free(&t);
	cmp_sides_free(sa, na);
	cmp_sides_free(sb, nb);
	rs_set_free(&a);
	rs_set_free(&b);
}

/* Base: two runs of one kernel around 100 and 130; new: one run around @at. */
static struct cmp_row spread_row(double at)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	struct rs_set set = { calloc(3, sizeof(struct rs_run)), 3 };
	double a[20], b[20], c[20];
	struct cmp_side *sides;
	struct cmp_table t;
	struct cmp_row row;
	size_t n;

	gsl_rng_set(r, 5);
	normal_sample(r, a, 20, 100, 1);
	normal_sample(r, b, 20, 130, 1);
	normal_sample(r, c, 20, at, 1);
	make_run(&set.runs[0], "7.2.13", "throughput", a, 20);
	make_run(&set.runs[1], "7.2.13", "throughput", b, 20);
	make_run(&set.runs[2], "7.2.14", "throughput", c, 20);
	cr_assert_eq(cmp_sides(&set, "synthetic", &sides, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(sides[0].nruns, 2);
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	row = t.rows[0];
	cmp_table_free(&t);
	cmp_sides_free(sides, n);
	rs_set_free(&set);
	gsl_rng_free(r);
	return row;
}

/*
 * The base's runs disagree by about 30 over a pooled median of about 115
 * (26%): a new kernel at 90 (about -22%) is significant and beyond 5%, but
 * no further from the base than its own runs are from each other. At 60
 * (about -48%) it is.
 */
Test(compare, changes_within_run_to_run_spread_are_not_marked)
{
	struct cmp_row row = spread_row(90);

	cr_assert(row.significant && row.beyond, "p %g rel %g", row.test.p, row.rel);
	cr_assert_float_eq(row.noise, 0.26, 0.03, "run spread %g", row.noise);
	cr_assert(row.within_noise);
	cr_assert_eq(row.verdict, CMP_SAME);
	row = spread_row(60);
	cr_assert_not(row.within_noise, "rel %g noise %g", row.rel, row.noise);
	cr_assert_eq(row.verdict, CMP_REGRESSED);
}

/*
 * One kernel faulted each THP back as a whole PMD (a few slow faults),
 * the other page by page (many fast ones): per-fault latencies of
 * different events are shown but not judged.
 */
Test(compare, fault_latency_of_pmd_and_page_faults_is_not_judged)
{
	struct rs_set set = { calloc(2, sizeof(struct rs_run)), 2 };
	double pages[20], pmds[5];
	struct cmp_side *sides;
	struct cmp_table t;
	size_t n;

	for (int i = 0; i < 20; i++)
		pages[i] = 30000 + i;
	for (int i = 0; i < 5; i++)
		pmds[i] = 16e6 + i;
	make_run(&set.runs[0], "6.12.117", "fault_latency", pages, 20);
	make_run(&set.runs[1], "7.2.13", "fault_latency", pmds, 5);
	set.runs[0].groups[0].snap_samples = 5;	/* no whole PMD on 6.12 */
	set.runs[1].groups[0].snap_samples = 5;
	set.runs[1].groups[0].pmd_samples = 5;	/* all whole PMDs on 7.2 */
	cr_assert_eq(cmp_sides(&set, "synthetic", &sides, &n), 0);
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	cr_assert(t.rows[0].significant && t.rows[0].beyond);
	cr_assert(t.rows[0].unit_differs);
	cr_assert_eq(t.rows[0].verdict, CMP_SAME);
	cr_assert_eq(t.regressed, 0);
	cmp_table_free(&t);
	cmp_sides_free(sides, n);
	rs_set_free(&set);
}

/*
 * results-stress: migrate-fault passed on 6.12 and failed on 7.2 (a hang
 * and a kernel report): a regression even with no metric judged; vma-churn
 * ran on 6.12 only and fork on 7.2 only, so they are listed, not judged.
 */
Test(compare, a_stress_scenario_newly_failing_is_a_regression)
{
	struct rs_set set = { 0 };
	struct cmp_side *sides;
	struct cmp_table t;
	size_t n, len = 0;
	char path[PATH_MAX], err[PATH_MAX + 256], *buf = NULL;
	FILE *f = open_memstream(&buf, &len);

	tu_fixture("results-stress", path, sizeof(path));
	cr_assert_eq(rs_load_tree(path, &set, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(cmp_sides(&set, path, &sides, &n), 0);
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	cr_assert_eq(t.stress_compared, 1, "migrate-fault ran on both");
	cr_assert_eq(t.stress_regressed, 1);
	cmp_print(f, &t, &opts);
	fclose(f);
	cr_assert(strstr(buf, "WORSE migrate-fault: pass on 6.12.117"), "%s", buf);
	cr_assert(strstr(buf, "vma-churn: pass on 6.12.117"), "%s", buf);
	cr_assert(strstr(buf, "fork: not run on 6.12.117; pass on 7.2.13"), "%s", buf);
	free(buf);

	/* the TSV has the outcomes the exit status counts, one line each */
	buf = NULL;
	f = open_memstream(&buf, &len);
	cmp_print_tsv(f, &t, 0);
	fclose(f);
	cr_assert(strstr(buf, "6.12.117\t7.2.13\tstress\tstatus\tmigrate-fault\tmigrate-fault\t-\t"
			 "compared\t1\t1\tpass\t-\t-\tfail\t-\t-\t-\t-\t-\t-\t-\tWORSE\t-\n"),
		  "%s", buf);
	cr_assert(strstr(buf, "\tstress\tstatus\tvma-churn\tvma-churn\t-\tonly-base\t1\t0\t"
			 "pass\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\n"), "%s", buf);
	cr_assert(strstr(buf, "\tstress\tstatus\tfork\tfork\t-\tonly-new\t0\t1\t"
			 "-\t-\t-\tpass\t-\t-\t-\t-\t-\t-\t-\t-\t-\n"), "%s", buf);
	free(buf);
	cmp_table_free(&t);
	cmp_sides_free(sides, n);
	rs_set_free(&set);
}

Test(compare, tsv_has_one_line_per_row)
{
	static const char header[] = "base\tnew\tbench\tmetric\tlabel\tparams\tunit\t"
		"state\tn_base\tn_new\tmedian_base\tci_low_base\tci_high_base\t"
		"median_new\tci_low_new\tci_high_new\tchange\tchange_low\t"
		"change_high\tp\ttest\tverdict\tnote\n";
	struct rs_set set = { 0 };
	struct cmp_side *sides;
	struct cmp_table t;
	size_t n, len = 0, lines = 0;
	char path[PATH_MAX], err[PATH_MAX + 256], *buf = NULL;
	FILE *f = open_memstream(&buf, &len);

	tu_fixture("results-two-kernels", path, sizeof(path));
	cr_assert_eq(rs_load_tree(path, &set, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(cmp_sides(&set, path, &sides, &n), 0);
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	cmp_print_tsv(f, &t, 1);
	fclose(f);
	for (char *p = buf; (p = strchr(p, '\n')); p++)
		lines++;
	cr_assert_eq(lines, 1 + t.nrows, "a header and one line per row, no stress");
	cr_assert(!strncmp(buf, header, strlen(header)), "%s", buf);
	/* medians with each side's CI of the median next to them */
	cr_assert(strstr(buf, "6.12.117\t7.2.13\tmigrate\tthroughput\t32M thp to-dev\t"
			 "{\"direction\":\"to-dev\",\"pages\":\"thp\",\"size\":33554432}\tMB/s\t"
			 "compared\t5\t5\t70\t60\t80\t120\t100\t140\t"
			 "0.714286\t0.428571\t1\t0.00793651\texact\tbetter\t-\n"),
		  "%s", buf);
	cr_assert(strstr(buf, "\tsplit_rate\t8M to-dev injected\t"
			 "{\"direction\":\"to-dev\",\"failure\":\"injected\","
			 "\"size\":8388608}\tratio\tunsupported-base\t0\t3\t-\t-\t-\t"
			 "0.25\t0.25\t0.25\t-\t-\t-\t-\t-\t-\tfail-alloc\n"),
		  "%s", buf);
	cr_assert(!strstr(buf, "\tstress\tstatus\t"), "no stress scenario was run: %s", buf);
	free(buf);
	cmp_table_free(&t);
	cmp_sides_free(sides, n);
	rs_set_free(&set);
}
