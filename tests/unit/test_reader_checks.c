// SPDX-License-Identifier: GPL-2.0
/*
 * What the reader refuses, warns about or cleans (results/reader.h): values
 * no run can write (negative throughputs, times and counts, more PMDs split
 * than attempted), records before the "meta" record, record types it does
 * not know, the same run loaded twice, and strings carrying control
 * characters, which reach no output as they are.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>

#include "escape.h"
#include "reader.h"
#include "test_results_util.h"

TestSuite(reader_checks, .init = tu_make_tmp, .fini = tu_remove_tmp);

#define META "{\"schema\":1,\"type\":\"meta\",\"kernel\":{\"release\":\"7.2.13\"}}\n"
#define END "{\"schema\":1,\"type\":\"end\",\"status\":\"complete\"}\n"
#define SAMPLE(values, extra) "{\"schema\":1,\"type\":\"sample\",\"bench\":\"migrate\"," \
	"\"params\":{\"size\":4096,\"pages\":\"4k\",\"direction\":\"to-dev\"},\"values\":" \
	values extra "}\n"

/* Writes @text as @name/records.jsonl in tu_tmp; the path into @path. */
static void write_run(const char *name, const char *text, char *path, size_t len)
{
	char dir[PATH_MAX];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/%s", tu_tmp, name);
	cr_assert(mkdir(dir, 0755) == 0 || errno == EEXIST);
	snprintf(path, len, "%s/records.jsonl", dir);
	f = fopen(path, "w");
	cr_assert(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

/* @text fails to load, one line naming line @line and saying @what. */
static void refused(const char *text, size_t line, const char *what)
{
	char path[PATH_MAX + 32], err[PATH_MAX + 512], at[PATH_MAX + 64];
	struct rs_run run;
	int ret;

	write_run("bad", text, path, sizeof(path));
	ret = rs_load_file(path, tu_tmp, &run, err, sizeof(err));
	cr_assert_eq(ret, -EINVAL, "should be refused (%s), got %d: %s", what, ret, err);
	snprintf(at, sizeof(at), "%s:%zu: ", path, line);
	cr_assert(strstr(err, at) == err, "the error names the line %s: %s", at, err);
	cr_assert(strstr(err, what), "the error says '%s': %s", what, err);
	cr_assert_null(strchr(err, '\n'), "one line: %s", err);
}

static void loads(const char *text, struct rs_run *run)
{
	char path[PATH_MAX + 32], err[PATH_MAX + 512];

	write_run("good", text, path, sizeof(path));
	cr_assert_eq(rs_load_file(path, tu_tmp, run, err, sizeof(err)), 0, "%s", err);
}

Test(reader_checks, negative_throughput_is_an_error)
{
	refused(META SAMPLE("{\"throughput\":-5}", "") END, 2,
		"throughput is -5, but a throughput (MB/s) is never negative");
	refused(META SAMPLE("{\"throughput\":100,\"time\":-0.5}", "") END, 2, "time is -0.5");
	/* with the way to fix it */
	refused(META SAMPLE("{\"throughput\":-5}", "") END, 2, "correct or delete the line");
}

Test(reader_checks, an_unknown_metric_may_be_negative)
{
	struct rs_run run;

	loads(META SAMPLE("{\"drift\":-5}", "") END, &run);
	cr_assert_eq(run.ngroups, 1);
	cr_assert_float_eq(run.groups[0].x[0], -5, 0);
	rs_run_free(&run);
}

Test(reader_checks, numbers_beyond_double_are_an_error)
{
	/* JSON has no NaN or infinity; jansson refuses what overflows a double */
	refused(META SAMPLE("{\"throughput\":1e999}", "") END, 2, "not valid JSON");
	refused(META SAMPLE("{\"throughput\":NaN}", "") END, 2, "not valid JSON");
	refused(META SAMPLE("{\"throughput\":\"fast\"}", "") END, 2, "is not a number");
}

Test(reader_checks, negative_times_and_counts_are_an_error)
{
	refused(META SAMPLE("{\"fault_throughput\":1}", ",\"latency_ns\":[100,-3]") END, 2,
		"a \"latency_ns\" entry is -3");
	refused(META SAMPLE("{\"fault_throughput\":1}",
			    ",\"latency_hist\":{\"buckets\":[[6000,100,-2]]}") END, 2,
		"count is negative");
	refused(META SAMPLE("{\"fault_throughput\":1}",
			    ",\"latency_hist\":{\"buckets\":[[-6000,100,2]]}") END, 2,
		"low end is -6000");
	refused(META SAMPLE("{\"fault_throughput\":1}",
			    ",\"latency_hist\":{\"buckets\":[[6000,100]]}") END, 2,
		"not [low, width, count]");
	refused(META SAMPLE("{\"time\":1}", ",\"pmds_attempted\":-4") END, 2,
		"\"pmds_attempted\" is -4, a negative count");
	refused(META SAMPLE("{\"time\":1}", ",\"pmds_attempted\":4,\"pmds_split\":5") END, 2,
		"\"pmds_split\" is more than \"pmds_attempted\"");
	refused(META SAMPLE("{\"time\":1}", ",\"snapshot\":{\"whole_pmds\":-1}") END, 2,
		"\"whole_pmds\" is -1");
	refused(META "{\"schema\":1,\"type\":\"stress\",\"scenario\":\"fork\",\"status\":\"pass\","
		"\"ops\":-10}\n" END, 2, "\"ops\" is -10");
	refused(META "{\"schema\":1,\"type\":\"stress\",\"scenario\":\"fork\",\"status\":\"pass\","
		"\"hangs\":\"none\"}\n" END, 2, "\"hangs\" is not an integer count");
	refused(META "{\"schema\":1,\"type\":\"stress\",\"scenario\":\"fork\",\"status\":\"pass\","
		"\"errors\":{\"exclusive\":{\"EBUSY\":-2}}}\n" END, 2, "\"EBUSY\" is -2");
}

Test(reader_checks, records_before_meta_are_an_error)
{
	refused(SAMPLE("{\"throughput\":5}", "") END, 1,
		"a \"sample\" record before any \"meta\" record");
	refused(SAMPLE("{\"throughput\":5}", "") META END, 1, "restore that line");
	refused(END, 1, "a \"end\" record before any \"meta\"");
}

Test(reader_checks, an_empty_file_is_an_incomplete_run_not_an_error)
{
	struct rs_run run;

	loads("", &run);
	cr_assert_not(run.complete);
	cr_assert_str_eq(run.incomplete_why, "empty records file");
	rs_run_free(&run);
}

Test(reader_checks, unknown_record_types_are_skipped_with_one_warning_each)
{
	struct rs_run run;

	loads(META "{\"schema\":1,\"type\":\"smaple\",\"values\":{\"throughput\":1}}\n"
	      "{\"schema\":1,\"type\":\"smaple\"}\n"
	      "{\"schema\":1,\"type\":\"boot\"}\n"
	      "{\"schema\":1,\"type\":\"summary\"}\n{\"schema\":1,\"type\":\"phase\"}\n"
	      SAMPLE("{\"throughput\":5}", "") END, &run);
	cr_assert_eq(run.samples, 1);
	cr_assert_eq(run.nwarnings, 2, "one per unknown type, none for summary and phase");
	cr_assert(strstr(run.warnings[0], "records.jsonl:2: record type \"smaple\" is unknown"),
		  "%s", run.warnings[0]);
	cr_assert(strstr(run.warnings[0], "skipped"), "%s", run.warnings[0]);
	cr_assert(strstr(run.warnings[1], ":4: record type \"boot\""), "%s", run.warnings[1]);
	rs_run_free(&run);
}

Test(reader_checks, strings_are_printable_once_read)
{
	struct rs_run run;
	const char *caps_key;
	json_t *caps, *v;

	/* a NUL would cut a C string short: jansson refuses it */
	refused(META "{\"schema\":1,\"type\":\"sample\",\"bench\":\"b\\u0000c\",\"values\":{}}\n",
		2, "not valid JSON");
	loads("{\"schema\":1,\"type\":\"meta\",\"kernel\":{\"release\":\"7.2\\u001b[31m\\n\"},"
	      "\"host\":\"h\\u009b2J\",\"device\":{\"caps\":{\"fail\\u0007\":\"why\\r\"}}}\n"
	      "{\"schema\":1,\"type\":\"sample\",\"bench\":\"b\\u001b\",\"params\":"
	      "{\"pages\\t\":\"thp\\u202e\"},\"values\":{\"time\\u0001\":1}}\n" END, &run);
	cr_assert_str_eq(run.release, "7.2\\x1b[31m\\n");
	cr_assert_str_eq(rs_meta_str(&run, "host"), "h\\u009b2J");
	caps = json_object_get(json_object_get(run.meta, "device"), "caps");
	cr_assert_eq(json_object_size(caps), 1);
	json_object_foreach(caps, caps_key, v)
		cr_assert_str_eq(caps_key, "fail\\x07");
	cr_assert_eq(run.ngroups, 1);
	cr_assert_str_eq(run.groups[0].bench, "b\\x1b");
	cr_assert_str_eq(run.groups[0].metric, "time\\x01");
	cr_assert_str_eq(run.groups[0].label, "thp\\u202e");
	cr_assert_not(esc_term_needed(run.groups[0].key), "%s", run.groups[0].key);
	cr_assert(strstr(run.groups[0].key, "pages\\\\t"), "%s", run.groups[0].key);
	rs_run_free(&run);
}

Test(reader_checks, a_directory_name_is_shown_printable)
{
	char dir[PATH_MAX], run_dir[PATH_MAX + 16], path[PATH_MAX + 32], err[PATH_MAX + 512];
	struct rs_run run;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/7.2\x1b[31m", tu_tmp);
	cr_assert_eq(mkdir(dir, 0755), 0);
	snprintf(run_dir, sizeof(run_dir), "%s/run", dir);
	cr_assert_eq(mkdir(run_dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/records.jsonl", run_dir);
	f = fopen(path, "w");
	cr_assert(f);
	fclose(f);	/* empty: no meta, so the release is the directory's name */
	cr_assert_eq(rs_load_file(path, run_dir, &run, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(run.release, "7.2\\x1b[31m");
	rs_run_free(&run);
}

Test(reader_checks, the_same_run_twice_is_an_error)
{
	char path[PATH_MAX + 32], copy[PATH_MAX + 32], other[PATH_MAX + 32], err[PATH_MAX + 512];
	struct rs_run a, b, c, d;
	struct rs_set set = { 0 };
	const char *text = META SAMPLE("{\"throughput\":5}", "") END;

	write_run("a", text, path, sizeof(path));
	write_run("b", text, copy, sizeof(copy));
	write_run("c", META SAMPLE("{\"throughput\":6}", "") END, other, sizeof(other));
	cr_assert_eq(rs_load_file(path, tu_tmp, &a, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rs_load_file(path, tu_tmp, &b, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rs_load_file(copy, tu_tmp, &c, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rs_load_file(other, tu_tmp, &d, err, sizeof(err)), 0, "%s", err);
	cr_assert(rs_same_run(&a, &b), "one file twice");
	cr_assert(rs_same_run(&a, &c), "a byte-identical copy");
	cr_assert_not(rs_same_run(&a, &d), "another run of the same size");
	rs_run_free(&a);
	rs_run_free(&b);
	rs_run_free(&c);
	rs_run_free(&d);
	/* a tree given twice: its samples would count twice */
	snprintf(path, sizeof(path), "%s/a", tu_tmp);
	cr_assert_eq(rs_load_tree(path, &set, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rs_load_tree(path, &set, err, sizeof(err)), -EEXIST);
	cr_assert(strstr(err, "is the run") && strstr(err, "count twice"), "%s", err);
	cr_assert_eq(set.nruns, 1);
	rs_set_free(&set);
}
