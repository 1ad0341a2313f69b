// SPDX-License-Identifier: GPL-2.0
/*
 * compare --format json and ls --format json, parsed back with jansson:
 * every object holds exactly the fields the README's "Machine-readable
 * output" lists for it (read from README.md itself, so the two cannot
 * drift apart), with the golden trees' values, null for what is
 * undefined, and hostile records giving valid JSON whose strings decode
 * to printable text.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "cli.h"
#include "test_results_util.h"

TestSuite(compare_json, .init = tu_make_tmp, .fini = tu_remove_tmp);

static char *readme;

static void load_readme(void)
{
	char path[PATH_MAX];
	FILE *f;
	long n;

	tu_fixture("../../README.md", path, sizeof(path));
	f = fopen(path, "r");
	cr_assert(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	readme = calloc(1, n + 1);
	cr_assert_eq(fread(readme, 1, n, f), (size_t)n);
	fclose(f);
}

/*
 * The fields the README documents for @object: under the line
 * "**`@object`**", each bullet's `names` followed by ':', ',' or ';'.
 */
static json_t *documented(const char *object)
{
	char marker[128];
	const char *p;
	json_t *keys = json_object();

	if (!readme)
		load_readme();
	snprintf(marker, sizeof(marker), "\n**`%s`**", object);
	p = strstr(readme, marker);
	cr_assert(p, "the README documents %s", object);
	p = strchr(p + 1, '\n') + 1;
	while (!strncmp(p, "- ", 2)) {
		const char *end = strchr(p, '\n');

		for (const char *q = p; q < end; q++) {
			size_t n = strspn(q + 1, "abcdefghijklmnopqrstuvwxyz_");
			char key[64];

			if (*q != '`' || !n || q[n + 1] != '`' || !strchr(":,;", q[n + 2]))
				continue;
			snprintf(key, sizeof(key), "%.*s", (int)n, q + 1);
			json_object_set_new(keys, key, json_true());
			q += n + 1;
		}
		p = end + 1;
	}
	cr_assert_gt(json_object_size(keys), 0, "fields listed under %s", object);
	return keys;
}

/* @o has exactly the fields documented for @object. */
static void assert_documented(json_t *o, const char *object)
{
	json_t *keys = documented(object), *v;
	const char *k;

	cr_assert(json_is_object(o), "%s is an object", object);
	json_object_foreach(o, k, v)
		cr_assert(json_object_get(keys, k), "%s.%s is in the README", object, k);
	json_object_foreach(keys, k, v)
		cr_assert(json_object_get(o, k), "%s has the README's %s", object, k);
	json_decref(keys);
}

/* Runs @cmd with @argv, its stdout parsed as one JSON document. */
static json_t *run_json(int (*cmd)(int, char **), char **argv, int *rc)
{
	FILE *out = tmpfile();
	int saved = dup(1), saved_err = dup(2), devnull = open("/dev/null", O_WRONLY);
	json_error_t e;
	json_t *doc;
	int argc = 0;

	while (argv[argc])
		argc++;
	cr_assert(out && saved >= 0 && devnull >= 0);
	fflush(stdout);
	dup2(fileno(out), 1);
	dup2(devnull, 2);	/* warnings and the one-line error */
	*rc = cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved, 1);
	dup2(saved_err, 2);
	close(saved);
	close(saved_err);
	close(devnull);
	rewind(out);
	doc = json_loadf(out, 0, &e);
	cr_assert(doc, "stdout is one JSON document: %s (line %d)", e.text, e.line);
	fclose(out);
	return doc;
}

static json_t *compare_json(const char *tree, const char *base, const char *new, int *rc)
{
	char b[PATH_MAX + 32], n[PATH_MAX + 32], path[PATH_MAX];
	char *argv[] = { "compare", "--format", "json", "--allow-differences", b, n, NULL };

	tu_fixture(tree, path, sizeof(path));
	snprintf(b, sizeof(b), "%s/%s", path, base);
	snprintf(n, sizeof(n), "%s/%s", path, new);
	return run_json(cmd_compare, argv, rc);
}

static json_t *row_of(json_t *rows, const char *metric, const char *label)
{
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r)
		if (!strcmp(json_string_value(json_object_get(r, "metric")), metric) &&
		    !strcmp(json_string_value(json_object_get(r, "label")), label))
			return r;
	cr_assert_fail("no %s row '%s'", metric, label);
	return NULL;
}

static double num(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	if (b)
		v = json_object_get(v, b);
	cr_assert(json_is_number(v), "%s%s%s is a number", a, b ? "." : "", b ? b : "");
	return json_number_value(v);
}

static int is_null(json_t *o, const char *a)
{
	return json_is_null(json_object_get(o, a));
}

/* Every object of a compare document against the README. */
static void assert_compare_documented(json_t *doc)
{
	json_t *c, *r, *s;
	size_t i, j;

	assert_documented(doc, "compare");
	assert_documented(json_object_get(doc, "options"), "compare.options");
	json_array_foreach(json_object_get(doc, "comparisons"), i, c) {
		assert_documented(c, "compare.comparisons[]");
		assert_documented(json_object_get(c, "base"), "compare.comparisons[].base");
		assert_documented(json_object_get(c, "new"), "compare.comparisons[].base");
		if (!is_null(c, "totals"))
			assert_documented(json_object_get(c, "totals"), "compare.comparisons[].totals");
		json_array_foreach(json_object_get(c, "rows"), j, r) {
			assert_documented(r, "compare.comparisons[].rows[]");
			if (!is_null(r, "base"))
				assert_documented(json_object_get(r, "base"), "compare.comparisons[].rows[].base");
			if (!is_null(r, "new"))
				assert_documented(json_object_get(r, "new"), "compare.comparisons[].rows[].base");
		}
		json_array_foreach(json_object_get(c, "stress"), j, s) {
			assert_documented(s, "compare.comparisons[].stress[]");
			if (!is_null(s, "base"))
				assert_documented(json_object_get(s, "base"), "compare.comparisons[].stress[].base");
			if (!is_null(s, "new"))
				assert_documented(json_object_get(s, "new"), "compare.comparisons[].stress[].base");
		}
	}
}

Test(compare_json, the_golden_comparison_as_documented)
{
	int rc;
	json_t *doc = compare_json("results-two-kernels", "6.12.117", "7.2.13", &rc);
	json_t *c, *rows, *thp, *pmds, *split;

	cr_assert_eq(rc, 0);
	assert_compare_documented(doc);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "schema")), "hmmbench-compare/1");
	cr_assert_eq(num(doc, "exit_status", NULL), 0);
	cr_assert(is_null(doc, "error"));
	cr_assert(json_is_false(json_object_get(doc, "regressed")));
	cr_assert_float_eq(num(doc, "options", "threshold"), 0.05, 1e-12);
	cr_assert_eq(json_array_size(json_object_get(doc, "comparisons")), 1);
	c = json_array_get(json_object_get(doc, "comparisons"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(c, "status")), "compared");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(c, "base"), "name")), "6.12.117");
	cr_assert_eq(json_array_size(json_object_get(c, "differences")), 1, "THP defrag, allowed");
	cr_assert(strstr(json_string_value(json_array_get(json_object_get(c, "notes"), 0)),
			 "THP defrag differs"));
	rows = json_object_get(c, "rows");
	cr_assert_eq(num(c, "totals", "rows"), json_array_size(rows));
	cr_assert_eq(num(c, "totals", "compared"), 3);
	cr_assert_eq(num(c, "totals", "better"), 1);

	/* a time row from one run a side: the change, nothing tested, no CI */
	thp = row_of(rows, "throughput", "32M thp to-dev");
	cr_assert_str_eq(json_string_value(json_object_get(thp, "test")), "moderated-t");
	cr_assert_str_eq(json_string_value(json_object_get(thp, "test_state")), "unconfirmed");
	cr_assert_float_eq(num(thp, "change", NULL), 120.0 / 70 - 1, 1e-12);
	cr_assert(is_null(thp, "change_low") && is_null(thp, "p") && is_null(thp, "p_adj"));
	cr_assert_str_eq(json_string_value(json_object_get(thp, "verdict")), "same");
	cr_assert_str_eq(json_string_value(json_object_get(thp, "note")),
			 "unconfirmed (1 run per side; 3 needed)");
	cr_assert_float_eq(num(thp, "base", "median"), 70, 1e-12);
	cr_assert_float_eq(num(thp, "base", "ci_low"), 60, 1e-12);
	cr_assert_float_eq(num(thp, "new", "centre"), 120, 1e-12);
	cr_assert_eq(num(thp, "new", "runs"), 1);
	cr_assert(is_null(json_object_get(thp, "new"), "hits"));

	/* the count beside it: 0 of 5 against 5 of 5, Fisher */
	pmds = row_of(rows, "whole_pmds", "32M thp to-dev");
	cr_assert_str_eq(json_string_value(json_object_get(pmds, "test")), "fisher");
	cr_assert_str_eq(json_string_value(json_object_get(pmds, "test_state")), "tested");
	cr_assert_float_eq(num(pmds, "p", NULL), 2.0 / 252, 1e-12);
	cr_assert_float_eq(num(pmds, "p_adj", NULL), 2.0 / 252, 1e-12);
	cr_assert_str_eq(json_string_value(json_object_get(pmds, "verdict")), "better");
	cr_assert_eq(num(pmds, "base", "hits"), 0);
	cr_assert_eq(num(pmds, "new", "hits"), 5);
	cr_assert_eq(num(pmds, "new", "trials"), 5);
	cr_assert(is_null(json_object_get(pmds, "base"), "samples"), "no samples of its own");
	cr_assert(is_null(pmds, "change"), "from 0: no ratio, and never NaN");

	/* a capability 6.12 lacks: nothing on base, and why */
	split = row_of(rows, "split_rate", "8M to-dev injected");
	cr_assert_str_eq(json_string_value(json_object_get(split, "state")), "unsupported-base");
	cr_assert(is_null(split, "base") && is_null(split, "verdict") && is_null(split, "test"));
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(split, "unsupported"),
							    "capability")), "fail-alloc");
	cr_assert_eq(num(split, "new", "samples"), 3);
	json_decref(doc);
}

Test(compare_json, stress_scenarios_and_a_new_failure)
{
	int rc;
	json_t *doc = compare_json("results-stress", "6.12.117", "7.2.13", &rc);
	json_t *c, *st, *s;
	size_t i;
	int seen = 0;

	cr_assert_eq(rc, 1, "migrate-fault newly fails");
	assert_compare_documented(doc);
	cr_assert_eq(num(doc, "exit_status", NULL), 1);
	cr_assert(json_is_true(json_object_get(doc, "regressed")));
	c = json_array_get(json_object_get(doc, "comparisons"), 0);
	cr_assert_eq(num(c, "totals", "stress_worse"), 1);
	st = json_object_get(c, "stress");
	cr_assert_eq(json_array_size(st), 3);
	json_array_foreach(st, i, s) {
		const char *sc = json_string_value(json_object_get(s, "scenario"));

		if (!strcmp(sc, "migrate-fault")) {
			seen++;
			cr_assert_str_eq(json_string_value(json_object_get(s, "verdict")), "WORSE");
			cr_assert_str_eq(json_string_value(json_object_get(json_object_get(s, "new"),
									    "status")), "fail");
			cr_assert_eq(num(s, "new", "hangs"), 1);
			cr_assert(strstr(json_string_value(json_object_get(json_object_get(s, "new"),
									    "reason")), "hang in migrate-fault"));
		} else if (!strcmp(sc, "fork")) {
			seen++;
			cr_assert_str_eq(json_string_value(json_object_get(s, "state")), "only-new");
			cr_assert(is_null(s, "base") && is_null(s, "verdict"));
		}
	}
	cr_assert_eq(seen, 2);
	json_decref(doc);
}

Test(compare_json, a_refusal_is_a_document_too)
{
	char b[PATH_MAX + 32], n[PATH_MAX + 32], path[PATH_MAX];
	char *argv[] = { "compare", "--format", "json", b, n, NULL };
	json_t *doc, *c;
	int rc;

	tu_fixture("results-two-kernels", path, sizeof(path));
	snprintf(b, sizeof(b), "%s/6.12.117", path);
	snprintf(n, sizeof(n), "%s/7.2.13", path);
	doc = run_json(cmd_compare, argv, &rc);
	cr_assert_eq(rc, 2);
	assert_compare_documented(doc);
	cr_assert_eq(num(doc, "exit_status", NULL), 2);
	cr_assert(strstr(json_string_value(json_object_get(doc, "error")), "refusing to compare"));
	c = json_array_get(json_object_get(doc, "comparisons"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(c, "status")), "refused");
	cr_assert(strstr(json_string_value(json_array_get(json_object_get(c, "differences"), 0)),
			 "THP defrag"));
	cr_assert_eq(json_array_size(json_object_get(c, "rows")), 0, "nothing judged");
	cr_assert(is_null(c, "totals"));
	json_decref(doc);

	/* bad input: still one document, with the error */
	snprintf(n, sizeof(n), "%s/no-such-kernel", path);
	doc = run_json(cmd_compare, argv, &rc);
	cr_assert_eq(rc, 2);
	cr_assert_eq(json_array_size(json_object_get(doc, "comparisons")), 0);
	cr_assert(strstr(json_string_value(json_object_get(doc, "error")), "no-such-kernel"));
	json_decref(doc);
}

Test(compare_json, ls_one_object_per_run_as_documented)
{
	char path[PATH_MAX];
	char *argv[] = { "ls", "--format", "json", path, NULL };
	json_t *doc, *run, *g, *found = NULL;
	size_t i, j;
	int rc;

	tu_fixture("results-two-kernels", path, sizeof(path));
	doc = run_json(cmd_ls, argv, &rc);
	cr_assert_eq(rc, 0);
	assert_documented(doc, "ls");
	cr_assert_str_eq(json_string_value(json_object_get(doc, "schema")), "hmmbench-ls/1");
	cr_assert_eq(json_array_size(json_object_get(doc, "runs")), 2);
	json_array_foreach(json_object_get(doc, "runs"), i, run) {
		assert_documented(run, "ls.runs[]");
		json_array_foreach(json_object_get(run, "groups"), j, g) {
			assert_documented(g, "ls.runs[].groups[]");
			if (!strcmp(json_string_value(json_object_get(g, "label")), "8M to-dev injected") &&
			    !strcmp(json_string_value(json_object_get(g, "metric")), "time"))
				found = g;
		}
		json_array_foreach(json_object_get(run, "unsupported"), j, g)
			assert_documented(g, "ls.runs[].unsupported[]");
	}
	/* the TSV's line: 7.2.13 7.2.13/run-b complete split time 8M to-dev injected ... ms 3 0 */
	cr_assert(found, "the split time group of 7.2.13");
	run = json_array_get(json_object_get(doc, "runs"), 1);
	cr_assert_str_eq(json_string_value(json_object_get(run, "kernel")), "7.2.13");
	cr_assert_str_eq(json_string_value(json_object_get(run, "run")), "7.2.13/run-b");
	cr_assert_str_eq(json_string_value(json_object_get(run, "status")), "complete");
	cr_assert_str_eq(json_string_value(json_object_get(found, "bench")), "split");
	cr_assert_str_eq(json_string_value(json_object_get(found, "unit")), "ms");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(found, "params"), "failure")),
			 "injected");
	cr_assert_eq(num(found, "samples", NULL), 3);
	cr_assert_eq(num(found, "warmups", NULL), 0);
	run = json_array_get(json_object_get(doc, "runs"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(
		json_object_get(run, "unsupported"), 0), "capability")), "fail-alloc");
	json_decref(doc);

	/* a stress run lists its scenarios */
	tu_fixture("results-stress", path, sizeof(path));
	doc = run_json(cmd_ls, argv, &rc);
	run = json_array_get(json_object_get(doc, "runs"), 0);
	json_array_foreach(json_object_get(run, "stress"), j, g)
		assert_documented(g, "ls.runs[].stress[]");
	cr_assert_eq(json_array_size(json_object_get(run, "stress")), 2);
	json_decref(doc);
}

/* Whether a decoded string holds a byte a terminal acts on. */
static int has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 1;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return 1;	/* C1, e.g. the one-byte CSI */
		if (p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
				     (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
			return 1;	/* bidirectional overrides */
	}
	return 0;
}

/* Every string (and key) of @v is printable; returns how many strings. */
static size_t assert_printable(json_t *v)
{
	size_t n = 0, i;
	const char *k;
	json_t *x;

	if (json_is_string(v)) {
		cr_assert(!has_control(json_string_value(v)), "control character in '%s'",
			  json_string_value(v));
		return 1;
	}
	if (json_is_array(v))
		json_array_foreach(v, i, x)
			n += assert_printable(x);
	if (json_is_object(v))
		json_object_foreach(v, k, x) {
			cr_assert(!has_control(k), "control character in key '%s'", k);
			n += assert_printable(x);
		}
	return n;
}

/* A copy of @fixture as DIR/@rel/@run/records.jsonl. */
static void copy_run(const char *fixture, const char *rel, const char *run)
{
	char src[PATH_MAX], dst[3 * PATH_MAX], cmd[8 * PATH_MAX];

	tu_fixture(fixture, src, sizeof(src));
	snprintf(dst, sizeof(dst), "%s/hostile/%s", tu_tmp, rel);
	mkdir(dst, 0755);
	snprintf(dst, sizeof(dst), "%s/hostile/%s/%s", tu_tmp, rel, run);
	cr_assert_eq(mkdir(dst, 0755), 0, "mkdir %s", dst);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s/records.jsonl'", src, dst);
	cr_assert_eq(system(cmd), 0);
}

/*
 * tests/fixtures/hostile: every string of two runs carries quotes,
 * backslashes, control characters, escape sequences, invalid UTF-8, in
 * run directories whose names do too. The documents parse, and every
 * string decodes to printable text that still shows what was there.
 */
Test(compare_json, hostile_records_give_valid_printable_json)
{
	static const char odd[] = "run-\x1b[31m\"q\\\x07\xff";
	char base[PATH_MAX * 2 + 8], new[PATH_MAX * 2 + 8], top[PATH_MAX * 2];
	char *cargv[] = { "compare", "--format", "json", "--allow-differences", base, new, NULL };
	char *largv[] = { "ls", "--format", "json", top, NULL };
	json_t *doc;
	char *text;
	int rc;

	snprintf(top, sizeof(top), "%s/hostile", tu_tmp);
	cr_assert_eq(mkdir(top, 0755), 0);
	copy_run("hostile/records-base.jsonl", "6.1", odd);
	copy_run("hostile/records-new.jsonl", "7.2", odd);
	snprintf(base, sizeof(base), "%s/6.1", top);
	snprintf(new, sizeof(new), "%s/7.2", top);

	doc = run_json(cmd_compare, cargv, &rc);
	cr_assert_lt(rc, 2, "compared (exit %d): %s", rc,
		     json_string_value(json_object_get(doc, "error")));
	assert_compare_documented(doc);
	cr_assert_gt(assert_printable(doc), 100);
	text = json_dumps(doc, JSON_COMPACT);
	cr_assert(strstr(text, "\\\\x1b[31mRED"), "the release's escape shown as text");
	cr_assert(strstr(text, "run-\\\\x1b[31m\\\"q\\\\\\\\x07\\\\xff"),
		  "the run directory as text, quote and backslash kept: %s", text);
	free(text);
	json_decref(doc);

	doc = run_json(cmd_ls, largv, &rc);
	cr_assert_eq(rc, 0);
	cr_assert_eq(json_array_size(json_object_get(doc, "runs")), 2);
	cr_assert_gt(assert_printable(doc), 50);
	json_decref(doc);
}
