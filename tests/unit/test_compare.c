// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-against-kernel comparison (results/compare.h): verdicts on the
 * golden trees in tests/fixtures/results-*, planted shifts written as
 * records over several runs and found again, and the rules that keep
 * single runs from raising alarms. The statistics themselves are checked
 * against R in test_verdict.c; their error rates in test_calibrate.c.
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

/*
 * Runs of one group for base ("7.2.13") and new ("7.2.14"): run i of a
 * side has 20 samples around @mb[i] or @mn[i], sd @sd.
 */
static struct rs_set runs_of(const char *metric, const double *mb, size_t kb,
			     const double *mn, size_t kn, double sd, unsigned long seed)
{
	struct rs_set set = { calloc(kb + kn, sizeof(struct rs_run)), kb + kn };
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double x[20];

	gsl_rng_set(r, seed);
	for (size_t i = 0; i < kb + kn; i++) {
		normal_sample(r, x, 20, i < kb ? mb[i] : mn[i - kb], sd);
		make_run(&set.runs[i], i < kb ? "7.2.13" : "7.2.14", metric, x, 20);
	}
	gsl_rng_free(r);
	return set;
}

/* Builds the comparison of @set's two kernels; the row goes to @out. */
static enum cmp_verdict verdict_in(struct rs_set *set, struct cmp_row *out)
{
	struct cmp_side *sides;
	struct cmp_table t;
	size_t nsides;
	enum cmp_verdict v;

	cr_assert_eq(cmp_sides(set, "synthetic", &sides, &nsides), 0);
	cr_assert_eq(nsides, 2);
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	cr_assert_geq(t.nrows, 1);
	cr_assert_eq(t.rows[0].state, CMP_COMPARED);
	v = t.rows[0].verdict;
	if (out) {
		*out = t.rows[0];
		out->run_medians = NULL;	/* freed with the table */
	}
	cmp_table_free(&t);
	cmp_sides_free(sides, nsides);
	rs_set_free(set);
	return v;
}

static enum cmp_verdict verdict_of(const char *metric, const double *mb, size_t kb,
				   const double *mn, size_t kn, double sd,
				   struct cmp_row *out)
{
	struct rs_set set = runs_of(metric, mb, kb, mn, kn, sd, 42);

	return verdict_in(&set, out);
}

/* Writes a run of @n throughput samples drawn around @mean into tu_tmp. */
static void write_run(const char *release, const char *id, gsl_rng *r, size_t n,
		      double mean)
{
	struct rec_writer w;
	char err[256];
	json_t *meta = rec_new("meta");

	json_object_set_new(meta, "kernel", json_pack("{s:s}", "release", release));
	cr_assert_eq(rec_open_run(&w, tu_tmp, release, id, err, sizeof(err)), 0, "%s", err);
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

/*
 * Three boots a side, written as records: each boot's level moves by a
 * few percent (the boot effect), and the new kernel is 20% slower. The
 * row is a regression with a CI around -20%; the first boot of each side
 * alone is "unconfirmed", whatever its 20 samples say.
 */
Test(compare, planted_drop_over_three_boots_is_a_regression)
{
	static const double boot[] = { 1.00, 1.04, 0.97 };
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	struct rs_set set = { 0 };
	struct cmp_side *sides;
	struct cmp_table t;
	size_t n;
	char err[PATH_MAX + 256], id[16];

	gsl_rng_set(r, 42);
	for (int i = 0; i < 3; i++) {
		snprintf(id, sizeof(id), "run-%d", i);
		write_run("7.2.13", id, r, 20, 1000 * boot[i]);
		write_run("7.2.14", id, r, 20, 800 * boot[2 - i]);	/* 20% less throughput */
	}
	cr_assert_eq(rs_load_tree(tu_tmp, &set, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(cmp_sides(&set, tu_tmp, &sides, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_eq(sides[0].nruns, 3);
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	cr_assert_eq(t.compared, 1);
	cr_assert_eq(t.rows[0].vd.state, VD_TESTED);
	cr_assert_eq(t.rows[0].runs_b, 3);
	cr_assert_eq(t.regressed, 1, "p adj %g", t.rows[0].vd.p_adj);
	cr_assert_eq(t.rows[0].verdict, CMP_REGRESSED);
	cr_assert(t.rows[0].rel_low < -0.20 + 0.05 && t.rows[0].rel_high > -0.20 - 0.05,
		  "the CI [%g, %g] should lie around -20%%", t.rows[0].rel_low, t.rows[0].rel_high);
	cr_assert(t.rows[0].rel_low <= t.rows[0].rel && t.rows[0].rel <= t.rows[0].rel_high);
	cr_assert(t.rows[0].vd.mde > 0.05 && t.rows[0].vd.mde < 0.25, "MDE %g", t.rows[0].vd.mde);
	cmp_table_free(&t);
	cmp_sides_free(sides, n);
	rs_set_free(&set);
	gsl_rng_free(r);
}

Test(compare, direction_comes_from_the_metric_table)
{
	static const double b[] = { 100, 101, 99 }, n[] = { 110, 111, 109 };

	cr_assert_eq(verdict_of("throughput", b, 3, n, 3, 2, NULL), CMP_IMPROVED,
		     "more throughput is better");
	cr_assert_eq(verdict_of("time", b, 3, n, 3, 2, NULL), CMP_REGRESSED,
		     "more time is worse");
	cr_assert_eq(verdict_of("no_such_metric", b, 3, n, 3, 2, NULL), CMP_CHANGED,
		     "an unknown metric has no direction: changed, never a regression");
}

Test(compare, below_threshold_or_not_significant_is_not_marked)
{
	static const double b[] = { 100, 100.2, 99.8 }, n2[] = { 98, 98.2, 97.8 };
	static const double wide[] = { 100, 60, 140 }, down[] = { 80, 50, 115 };
	struct cmp_row row;

	/* a clear 2% shift: beneath the 5% threshold */
	cr_assert_eq(verdict_of("throughput", b, 3, n2, 3, 0.2, &row), CMP_SAME);
	cr_assert(row.vd.significant && !row.vd.beyond, "p %g rel %g", row.vd.p_adj, row.rel);
	/* a 20% drop within runs that disagree by 40%: beyond, never significant */
	cr_assert_eq(verdict_of("throughput", wide, 3, down, 3, 1, &row), CMP_SAME);
	cr_assert(!row.vd.significant && row.vd.beyond, "p %g", row.vd.p_adj);
	cr_assert_gt(row.vd.mde, 0.5, "and it says it could only have seen a large change: %g",
		     row.vd.mde);
}

/*
 * The false alarm of issue 16: two boots of one kernel, 20 samples each,
 * levels 26% apart. Within each run the samples are tight, so any test on
 * samples calls it certain; one run a side is never marked.
 */
Test(compare, one_run_a_side_is_unconfirmed_however_many_samples)
{
	static const double b[] = { 100 }, n[] = { 74 };
	struct cmp_row row;

	cr_assert_eq(verdict_of("throughput", b, 1, n, 1, 0.5, &row), CMP_SAME);
	cr_assert_eq(row.vd.state, VD_UNCONFIRMED);
	cr_assert_float_eq(row.rel, -0.26, 0.01, "the change is still shown: %g", row.rel);
	cr_assert(isnan(row.vd.p_adj));
}

Test(compare, unconfirmed_rows_say_so_in_text_and_tsv)
{
	static const double b[] = { 100, 104 }, n[] = { 74, 70 };
	struct rs_set set = runs_of("throughput", b, 2, n, 2, 0.5, 1);
	struct cmp_side *sides;
	struct cmp_table t;
	size_t nsides, len = 0;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_eq(cmp_sides(&set, "synthetic", &sides, &nsides), 0);
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	cr_assert_eq(t.unconfirmed, 1);
	cr_assert_eq(t.regressed, 0, "never exit 1");
	cmp_print(f, &t, &opts);
	cmp_print_tsv(f, &t, 0);
	fclose(f);
	cr_assert(strstr(buf, "unconfirmed (2 runs per side; 3 needed)"), "%s", buf);
	cr_assert(strstr(buf, "\tunconfirmed (2 runs per side; 3 needed)\t"), "%s", buf);
	free(buf);
	cmp_table_free(&t);
	cmp_sides_free(sides, nsides);
	rs_set_free(&set);
}

Test(compare, planted_shift_power)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double b[3], n[3];
	int found = 0;

	/* a 20% drop, runs that vary by 3% (sd): t about 10 on 4 df */
	for (int t = 0; t < 100; t++) {
		gsl_rng_set(r, 1000 + t);
		for (int i = 0; i < 3; i++) {
			b[i] = 100 * exp(gsl_ran_gaussian(r, 0.03));
			n[i] = 80 * exp(gsl_ran_gaussian(r, 0.03));
		}
		found += verdict_of("throughput", b, 3, n, 3, 1, NULL) == CMP_REGRESSED;
	}
	cr_log_info("planted 20%% drop, 3+3 runs, between-run sd 3%%: found in %d of 100", found);
	cr_assert_geq(found, 95, "a 20%% drop should be found in >= 95%% of trials: %d/100", found);
	gsl_rng_free(r);
}

/* The golden two-kernel tree: capability and PMD differences, not zeros. */
Test(compare, golden_two_kernels)
{
	struct rs_set set = { 0 };
	struct cmp_side *sides;
	struct cmp_table t;
	size_t n, unsupported = 0, only = 0;
	char path[PATH_MAX], err[PATH_MAX + 256], eb[64], en[64];
	const struct cmp_row *thp = NULL, *pmds = NULL;

	tu_fixture("results-two-kernels", path, sizeof(path));
	cr_assert_eq(rs_load_tree(path, &set, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(cmp_sides(&set, path, &sides, &n), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(sides[0].release, "6.12.117", "the older kernel is the base");
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	for (size_t i = 0; i < t.nrows; i++) {
		const struct cmp_row *r = &t.rows[i];

		if (r->state == CMP_COMPARED && !strcmp(r->label, "32M thp to-dev"))
			*(strcmp(r->metric, "whole_pmds") ? &thp : &pmds) = r;
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
	cr_assert_eq(t.compared, 3, "migrate thp and 4k to-dev, thp's whole PMDs");
	cr_assert_eq(unsupported, 2, "split time and split_rate with injection");
	cr_assert_eq(only, 2, "split time and split_rate without injection");
	cr_assert(thp && pmds);
	/* x = 60..80 step 5, y = 100..140 step 10, see the fixture: one run each */
	cr_assert_eq(thp->vd.state, VD_UNCONFIRMED);
	cr_assert_eq(thp->verdict, CMP_SAME);
	cr_assert_float_eq(thp->rel, 120.0 / 70 - 1, 1e-12, "the run medians 70 and 120");
	/* but 0 of 5 samples moved whole PMDs on 6.12, 5 of 5 on 7.2: certain */
	cr_assert_eq(pmds->verdict, CMP_IMPROVED);
	cr_assert_float_eq(pmds->vd.p, 2.0 / 252, 1e-12, "Fisher: 2 tables of C(10,5)");
	cr_assert_float_eq(pmds->vd.p_adj, 2.0 / 252, 1e-12, "the only test");
	cr_assert_eq(t.vd.family, 1);
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
	cr_assert_eq(t.compared, 2, "the three samples written before the crash count "
		     "(throughput, whole PMDs)");
	for (size_t i = 0; i < t.nnotes; i++)
		noted |= strstr(t.notes[i], "is incomplete") != NULL;
	cr_assert(noted, "the comparison says a run is incomplete");
	cmp_table_free(&t);
	cmp_sides_free(sa, na);
	cmp_sides_free(sb, nb);
	rs_set_free(&a);
	rs_set_free(&b);
}

/*
 * One kernel faulted each THP back as a whole PMD (a few slow faults),
 * the other page by page (many fast ones): per-fault latencies of
 * different events are shown but not judged, and not counted as tests.
 */
Test(compare, fault_latency_of_pmd_and_page_faults_is_not_judged)
{
	struct rs_set set = { calloc(6, sizeof(struct rs_run)), 6 };
	double pages[20], pmds[5];
	struct cmp_side *sides;
	struct cmp_table t;
	size_t n;

	for (int i = 0; i < 20; i++)
		pages[i] = 30000 + i;
	for (int i = 0; i < 5; i++)
		pmds[i] = 16e6 + i;
	for (int k = 0; k < 3; k++) {
		make_run(&set.runs[k], "6.12.117", "fault_latency", pages, 20);
		make_run(&set.runs[3 + k], "7.2.13", "fault_latency", pmds, 5);
		set.runs[k].groups[0].snap_samples = 5;	/* no whole PMD on 6.12 */
		set.runs[3 + k].groups[0].snap_samples = 5;
		set.runs[3 + k].groups[0].pmd_samples = 5;	/* all whole PMDs on 7.2 */
		pages[0] += 1000;	/* some spread between runs */
		pmds[0] += 1e5;
	}
	cr_assert_eq(cmp_sides(&set, "synthetic", &sides, &n), 0);
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	cr_assert(t.rows[0].unit_differs);
	cr_assert_eq(t.rows[0].vd.state, VD_SKIPPED);
	cr_assert_eq(t.rows[0].verdict, CMP_SAME);
	cr_assert_eq(t.nrows, 2, "the latency row and the whole-PMD count row");
	cr_assert_str_eq(t.rows[1].metric, "whole_pmds");
	cr_assert_eq(t.rows[1].verdict, CMP_IMPROVED, "0/15 to 15/15 whole PMDs: p adj %g",
		     t.rows[1].vd.p_adj);
	cr_assert_eq(t.vd.family, 1, "only the count is a test");
	cr_assert_eq(t.regressed, 0);
	cmp_table_free(&t);
	cmp_sides_free(sides, n);
	rs_set_free(&set);
}

/*
 * Every returning THP split: the samples that moved whole PMDs drop from
 * all to none. A count, so one run a side is enough; the time row beside
 * it stays unconfirmed.
 */
Test(compare, whole_pmd_samples_gate_from_one_run)
{
	struct rs_set set = { calloc(2, sizeof(struct rs_run)), 2 };
	double x[20];
	struct cmp_side *sides;
	struct cmp_table t;
	size_t n;

	for (int i = 0; i < 20; i++)
		x[i] = 1000 + i;
	make_run(&set.runs[0], "7.2.13", "throughput", x, 20);
	make_run(&set.runs[1], "7.2.14", "throughput", x, 20);
	set.runs[0].groups[0].snap_samples = set.runs[0].groups[0].pmd_samples = 20;
	set.runs[1].groups[0].snap_samples = 20;
	cr_assert_eq(cmp_sides(&set, "synthetic", &sides, &n), 0);
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	cr_assert_eq(t.nrows, 2);
	cr_assert_eq(t.rows[0].vd.state, VD_UNCONFIRMED);
	cr_assert_eq(t.rows[1].vd.kind, VD_COUNT);
	cr_assert_eq(t.rows[1].verdict, CMP_REGRESSED);
	cr_assert_eq(t.regressed, 1);
	cr_assert_float_eq(t.rows[1].vd.p, 2.0 / 137846528820.0, 1e-20,
			   "one table of C(40, 20) = 137846528820 at each end");
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
			 "compared\t1\t1\tpass\t-\t-\tfail\t-\t-\t-\t-\t-\t-\t-\tWORSE\t-"
			 "\t-\t-\t-\t-\t-\t-\n"),
		  "%s", buf);
	cr_assert(strstr(buf, "\tstress\tstatus\tvma-churn\tvma-churn\t-\tonly-base\t1\t0\t"
			 "pass\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\n"),
		  "%s", buf);
	cr_assert(strstr(buf, "\tstress\tstatus\tfork\tfork\t-\tonly-new\t0\t1\t"
			 "-\t-\t-\tpass\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\n"),
		  "%s", buf);
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
		"change_high\tp\ttest\tverdict\tnote\tp_adj\tmde\truns_base\truns_new\t"
		"center_base\tcenter_new\n";
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
			 "0.714286\t-\t-\t-\t-\t-\tunconfirmed (1 run per side; 3 needed)\t"
			 "-\t-\t1\t1\t70\t120\n"),
		  "%s", buf);
	/* the count beside it: samples that moved whole PMDs, Fisher's p */
	cr_assert(strstr(buf, "6.12.117\t7.2.13\tmigrate\twhole_pmds\t32M thp to-dev\t"
			 "{\"direction\":\"to-dev\",\"pages\":\"thp\",\"size\":33554432}\tsamples\t"
			 "compared\t5\t5\t0\t-\t-\t1\t-\t-\t-\t-\t-\t"
			 "0.00793651\tfisher\tbetter\t-\t0.00793651\t-\t-\t-\t0\t1\n"),
		  "%s", buf);
	cr_assert(strstr(buf, "\tsplit_rate\t8M to-dev injected\t"
			 "{\"direction\":\"to-dev\",\"failure\":\"injected\","
			 "\"size\":8388608}\tratio\tunsupported-base\t0\t3\t-\t-\t-\t"
			 "0.25\t0.25\t0.25\t-\t-\t-\t-\t-\t-\tfail-alloc\t"
			 "-\t-\t-\t-\t-\t-\n"),
		  "%s", buf);
	cr_assert(!strstr(buf, "\tstress\tstatus\t"), "no stress scenario was run: %s", buf);
	free(buf);
	cmp_table_free(&t);
	cmp_sides_free(sides, n);
	rs_set_free(&set);
}

/*
 * Faults per page brought back: a THP comes back with one fault, a split
 * one with 512. A count, judged from one run a side; lower is better.
 */
Test(compare, faults_per_page_back_gate_from_one_run)
{
	struct rs_set set = { calloc(2, sizeof(struct rs_run)), 2 };
	double x[5] = { 1, 2, 3, 4, 5 };
	struct cmp_side *sides;
	struct cmp_table t;
	size_t n, found = 0;

	make_run(&set.runs[0], "7.2.13", "fault_throughput", x, 5);
	make_run(&set.runs[1], "7.2.14", "fault_throughput", x, 5);
	set.runs[0].groups[0].faults = 5 * 8;	/* 8 PMDs of a 16 MiB buffer */
	set.runs[0].groups[0].pages_back = 5 * 4096;
	set.runs[1].groups[0].faults = 5 * 4096;	/* every page on its own */
	set.runs[1].groups[0].pages_back = 5 * 4096;
	cr_assert_eq(cmp_sides(&set, "synthetic", &sides, &n), 0);
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	for (size_t i = 0; i < t.nrows; i++) {
		if (strcmp(t.rows[i].metric, "faults"))
			continue;
		found++;
		cr_assert_eq(t.rows[i].vd.kind, VD_COUNT);
		cr_assert_eq(t.rows[i].verdict, CMP_REGRESSED, "p adj %g", t.rows[i].vd.p_adj);
		cr_assert_float_eq(t.rows[i].rel, 511, 1e-9, "512 times the faults");
	}
	cr_assert_eq(found, 1);
	cr_assert_eq(t.regressed, 1);
	cmp_table_free(&t);
	cmp_sides_free(sides, n);
	rs_set_free(&set);
}

/* A tested row prints its CI, adjusted p and MDE within 80 columns. */
Test(compare, tested_rows_print_adjusted_p_and_mde)
{
	static const double b[] = { 1000, 1040, 970 }, n[] = { 500, 520, 485 };
	struct rs_set set = runs_of("throughput", b, 3, n, 3, 2, 7);
	struct cmp_side *sides;
	struct cmp_table t;
	size_t nsides, len = 0;
	char *buf = NULL, *line, *save;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_eq(cmp_sides(&set, "synthetic", &sides, &nsides), 0);
	cr_assert_eq(cmp_build(&sides[0], &sides[1], &opts, &t), 0);
	cmp_print(f, &t, &opts);
	fclose(f);
	cr_assert(strstr(buf, "p adj   MDE result"), "%s", buf);
	cr_assert(strstr(buf, "  32M thp            3/3    1003   501.6  -50.0% "), "%s", buf);
	cr_assert(strstr(buf, "WORSE\n"), "%s", buf);
	cr_assert(strstr(buf, "Holm over the 1 row tested"), "%s", buf);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		cr_assert_leq(strlen(line), 80, "line wider than 80 columns: '%s'", line);
	free(buf);
	cmp_table_free(&t);
	cmp_sides_free(sides, nsides);
	rs_set_free(&set);
}
