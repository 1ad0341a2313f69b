// SPDX-License-Identifier: GPL-2.0
/*
 * Loading result trees (results/reader.h) from the golden trees in
 * tests/fixtures/results-* (see tests/fixtures/results-README): grouping,
 * warm-ups, PMD evidence, unsupported capabilities, a run that died
 * mid-way, and every kind of bad input with its one-line error. Also
 * replays the fuzz corpus and every input the fuzzer ever crashed on.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>

#include "reader.h"
#include "test_results_util.h"

TestSuite(reader, .init = tu_make_tmp, .fini = tu_remove_tmp);

static struct rs_group *group(struct rs_run *run, const char *label, const char *metric)
{
	for (size_t i = 0; i < run->ngroups; i++)
		if (!strcmp(run->groups[i].label, label) && !strcmp(run->groups[i].metric, metric))
			return &run->groups[i];
	return NULL;
}

static double median5(const struct rs_group *g)
{
	double v[5];

	cr_assert_eq(g->n, 5);
	memcpy(v, g->x, sizeof(v));
	for (int i = 0; i < 5; i++)
		for (int j = i + 1; j < 5; j++)
			if (v[j] < v[i]) {
				double t = v[i];

				v[i] = v[j];
				v[j] = t;
			}
	return v[2];
}

Test(reader, two_kernels)
{
	struct rs_set set = { 0 };
	char path[PATH_MAX], err[PATH_MAX + 256];
	struct rs_run *a, *b;
	struct rs_group *g;

	tu_fixture("results-two-kernels", path, sizeof(path));
	cr_assert_eq(rs_load_tree(path, &set, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(set.nruns, 2);
	a = &set.runs[0];	/* 6.12.117/run-a sorts first */
	b = &set.runs[1];
	cr_assert_str_eq(a->release, "6.12.117");
	cr_assert_str_eq(b->release, "7.2.13");
	cr_assert(a->complete && b->complete);
	cr_assert_str_eq(a->status, "complete");
	cr_assert_eq(a->samples, 10, "warm-ups are not samples");
	cr_assert_eq(b->samples, 16);
	cr_assert_eq(a->ngroups, 2);
	cr_assert_eq(b->ngroups, 6, "migrate thp/4k, split time/split_rate x none/injected");

	g = group(a, "32M thp to-dev", "throughput");
	cr_assert(g);
	cr_assert_eq(g->warmups, 1);
	cr_assert_float_eq(median5(g), 70, 0, "60 65 70 75 80, warm-up 40 excluded");
	cr_assert_eq(g->snap_samples, 5);
	cr_assert_eq(g->pmd_samples, 0, "6.12 moved no whole PMD");
	g = group(b, "32M thp to-dev", "throughput");
	cr_assert(g);
	cr_assert_eq(g->pmd_samples, 5);
	cr_assert_str_eq(g->key, "{\"direction\":\"to-dev\",\"pages\":\"thp\",\"size\":33554432}");

	g = group(b, "8M to-dev injected", "split_rate");
	cr_assert(g);
	cr_assert_eq(g->n, 3);
	cr_assert_eq(g->pmds_attempted, 12);
	cr_assert_eq(g->pmds_split, 3);

	cr_assert_eq(a->nunsup, 1);
	cr_assert_str_eq(a->unsup[0].capability, "fail-alloc");
	cr_assert_str_eq(a->unsup[0].label, "8M to-dev injected");
	cr_assert_str_eq(rs_meta_str(a, "thp.defrag"), "always");
	cr_assert_eq(rs_meta_int(a, "cpu.count"), 2);
	cr_assert_null(rs_meta_str(a, "no.such.key"));
	rs_set_free(&set);
}

Test(reader, a_run_that_died_keeps_what_it_wrote)
{
	struct rs_set set = { 0 };
	char path[PATH_MAX], err[PATH_MAX + 256];
	struct rs_group *g;

	tu_fixture("results-incomplete", path, sizeof(path));
	cr_assert_eq(rs_load_tree(path, &set, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(set.nruns, 1);
	cr_assert_not(set.runs[0].complete);
	cr_assert(set.runs[0].cut_off);
	cr_assert_str_eq(set.runs[0].status, "incomplete");
	cr_assert(strstr(set.runs[0].incomplete_why, "cut off"), "%s", set.runs[0].incomplete_why);
	g = group(&set.runs[0], "32M thp to-dev", "throughput");
	cr_assert(g);
	cr_assert_eq(g->n, 3, "105 115 125 were written before the crash");
	rs_set_free(&set);
}

static void expect_error(const char *fixture, int want, const char *needle)
{
	struct rs_set set = { 0 };
	char path[PATH_MAX], err[PATH_MAX + 256] = "";
	int ret;

	tu_fixture(fixture, path, sizeof(path));
	ret = rs_load_tree(path, &set, err, sizeof(err));
	cr_assert_eq(ret, want, "%s: got %d (%s)", fixture, ret, err);
	cr_assert(strstr(err, needle), "error '%s' should contain '%s'", err, needle);
	cr_assert_null(strchr(err, '\n'), "one line: '%s'", err);
	cr_assert_eq(set.nruns, 0);
	rs_set_free(&set);
}

Test(reader, bad_input_is_one_line_naming_file_and_line)
{
	expect_error("results-newer-schema", -EPROTO, "run-d/records.jsonl:3: record schema 2");
	expect_error("results-corrupt", -EINVAL, "run-e/records.jsonl:4: not valid JSON");
}

Test(reader, empty_and_missing_directories)
{
	struct rs_set set = { 0 };
	char path[PATH_MAX + 64], err[PATH_MAX + 256];

	cr_assert_eq(rs_load_tree(tu_tmp, &set, err, sizeof(err)), -ENOENT);
	cr_assert(strstr(err, "no runs under"), "%s", err);
	snprintf(path, sizeof(path), "%s/missing", tu_tmp);
	cr_assert_eq(rs_load_tree(path, &set, err, sizeof(err)), -ENOENT);
	cr_assert(strstr(err, "ENOENT"), "%s", err);
	/* a run directory with an empty records file: an incomplete run */
	snprintf(path, sizeof(path), "%s/6.1.0", tu_tmp);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/6.1.0/run", tu_tmp);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/6.1.0/run/records.jsonl", tu_tmp);
	fclose(fopen(path, "w"));
	cr_assert_eq(rs_load_tree(tu_tmp, &set, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(set.nruns, 1);
	cr_assert_str_eq(set.runs[0].release, "6.1.0", "no metadata: the release is the directory");
	cr_assert_not(set.runs[0].complete);
	cr_assert_str_eq(set.runs[0].incomplete_why, "empty records file");
	rs_set_free(&set);
}

Test(reader, latencies_from_raw_arrays_and_histograms)
{
	struct rs_set set = { 0 };
	char path[PATH_MAX], err[PATH_MAX + 256];
	struct rs_group *g;

	tu_fixture("results-fault", path, sizeof(path));
	cr_assert_eq(rs_load_tree(path, &set, err, sizeof(err)), 0, "%s", err);
	g = group(&set.runs[0], "2M thp threads=2 read seq disjoint", "fault_latency");
	cr_assert(g, "raw latency_ns arrays become the fault_latency group");
	/* 3 + 2 raw, 2 + 1 from buckets at their middles; the warm-up's 2 left out */
	cr_assert_eq(g->n, 8);
	cr_assert_float_eq(g->x[0], 1000, 0);
	cr_assert_float_eq(g->x[5], 6050, 0, "bucket [6000, +100) stands at 6050");
	cr_assert_float_eq(g->x[7], 8100, 0);
	cr_assert_eq(g->warmups, 1);
	g = group(&set.runs[0], "2M thp threads=2 read seq disjoint", "fault_throughput");
	cr_assert(g);
	cr_assert_eq(g->n, 3);
	rs_set_free(&set);
}

Test(reader, sizes_are_readable)
{
	char buf[32];

	rs_format_size(33554432, buf, sizeof(buf));
	cr_assert_str_eq(buf, "32M");
	rs_format_size(4096, buf, sizeof(buf));
	cr_assert_str_eq(buf, "4K");
	rs_format_size(1073741824, buf, sizeof(buf));
	cr_assert_str_eq(buf, "1G");
	rs_format_size(1000, buf, sizeof(buf));
	cr_assert_str_eq(buf, "1000");
}

/* Every file under tests/fixtures/@dir loads or fails with a message. */
static size_t replay(const char *dir)
{
	char path[PATH_MAX], file[PATH_MAX + 256], err[PATH_MAX + 256];
	struct dirent *d;
	size_t n = 0;
	DIR *dp;

	tu_fixture(dir, path, sizeof(path));
	dp = opendir(path);
	cr_assert(dp, "%s: %s", path, strerror(errno));
	while ((d = readdir(dp))) {
		struct rs_run run;
		int ret;

		if (d->d_name[0] == '.' || !strcmp(d->d_name, "README"))
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, d->d_name);
		err[0] = '\0';
		ret = rs_load_file(file, path, &run, err, sizeof(err));
		if (ret)
			cr_assert(err[0] && !strchr(err, '\n'), "%s: failed (%d) without a one-line reason",
				  file, ret);
		else
			rs_run_free(&run);
		n++;
	}
	closedir(dp);
	return n;
}

Test(reader, fuzz_corpus_and_crashers_replay)
{
	cr_assert_gt(replay("fuzz-corpus"), 0, "the corpus should not be empty");
	replay("fuzz-regress");
}

Test(reader, stress_outcomes_are_counts)
{
	struct rs_set set = { 0 };
	char path[PATH_MAX], err[PATH_MAX + 256];
	const struct rs_stress *st;

	tu_fixture("results-stress", path, sizeof(path));
	cr_assert_eq(rs_load_tree(path, &set, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(set.runs[0].nstress, 2);
	st = &set.runs[0].stress[0];
	cr_assert_str_eq(st->scenario, "migrate-fault");
	cr_assert_str_eq(st->status, "pass");
	cr_assert_eq(st->errors, 5, "2 EFAULT + 3 EBUSY");
	cr_assert_eq(st->ops, 630);
	st = &set.runs[1].stress[0];
	cr_assert_str_eq(st->status, "fail");
	cr_assert_eq(st->hangs, 1);
	cr_assert_eq(st->kernel_reports, 1);
	cr_assert(strstr(st->reason, "hang in migrate-fault"));
	cr_assert_eq(set.runs[1].samples, 2, "the windows are samples; the outcome is not");
	cr_assert_str_eq(set.runs[1].status, "failed");
	rs_set_free(&set);
}
