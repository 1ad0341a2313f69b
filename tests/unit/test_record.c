// SPDX-License-Identifier: GPL-2.0
/*
 * The result record format (results/record.h): creating a run directory,
 * writing JSON Lines, and reading them back with errors that name the file
 * and line. Reader inputs are hand-written golden files in tests/fixtures/
 * (see tests/fixtures/README), found through $HMMBENCH_SRCDIR (set by
 * make check) or, failing that, relative to this source file.
 */
#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "record.h"

static char tmp[PATH_MAX];

static void make_tmp(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmp, sizeof(tmp), "%s/hmmbench-unit-XXXXXX", t && *t ? t : "/tmp");
	cr_assert(mkdtemp(tmp), "mkdtemp(%s) should work: %s", tmp, strerror(errno));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void remove_tmp(void)
{
	if (tmp[0])
		nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(record, .init = make_tmp, .fini = remove_tmp);

static void fixture(const char *name, char *out, size_t len)
{
	const char *src = getenv("HMMBENCH_SRCDIR");

	if (src && *src) {
		snprintf(out, len, "%s/tests/fixtures/%s", src, name);
	} else {
		char here[PATH_MAX];

		snprintf(here, sizeof(here), "%s", __FILE__);
		snprintf(out, len, "%s/../fixtures/%s", dirname(here), name);
	}
	cr_assert(access(out, R_OK) == 0,
		  "fixture %s should be readable (set HMMBENCH_SRCDIR to the source tree): %s",
		  out, strerror(errno));
}

/* What rec_read_file handed to the visitor. */
struct visits {
	size_t n;
	size_t line[16];
	char type[16][16];
};

static int visit(json_t *rec, size_t line, void *arg)
{
	struct visits *v = arg;

	if (v->n < 16) {
		v->line[v->n] = line;
		snprintf(v->type[v->n], sizeof(v->type[0]), "%s",
			 json_string_value(json_object_get(rec, "type")));
	}
	v->n++;
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert(f, "cannot create %s", path);
	fputs(text, f);
	fclose(f);
}

static int is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

/* Runs rec_read_file on fixture @name; @err gets the message, @path the file. */
static int read_fixture(const char *name, struct visits *v, char *path,
			char *err, size_t errlen)
{
	fixture(name, path, PATH_MAX);
	memset(v, 0, sizeof(*v));
	err[0] = '\0';
	return rec_read_file(path, visit, v, err, errlen);
}

/*
 * The message names "FILE:LINE:" and fits on one line. Returns the words
 * after that prefix, where wording checks look: the fixtures' own names
 * contain "object", "schema", "newer" and "truncated".
 */
static const char *check_names_line(const char *err, const char *path, size_t line)
{
	char where[PATH_MAX + 32];
	const char *at;

	snprintf(where, sizeof(where), "%s:%zu:", path, line);
	at = strstr(err, where);
	cr_assert(at, "the error should name \"%s\", got \"%s\"", where, err);
	cr_assert(!strchr(err, '\n'), "the error should be one line: \"%s\"", err);
	return at + strlen(where);
}

Test(record, open_run_creates_nested_dirs)
{
	struct rec_writer w;
	char out[PATH_MAX + 16], want[PATH_MAX + 80], err[PATH_MAX + 128] = "";
	struct stat st;
	int ret;

	snprintf(out, sizeof(out), "%s/not/yet", tmp);
	ret = rec_open_run(&w, out, "7.2.13-test", "2026-11-24T23:10:59Z-smoke-42",
			   err, sizeof(err));
	cr_assert(ret == 0, "rec_open_run under a missing %s should create it, got %d: %s",
		  out, ret, err);
	snprintf(want, sizeof(want), "%s/7.2.13-test/2026-11-24T23:10:59Z-smoke-42/records.jsonl", out);
	cr_assert(!strcmp(w.path, want), "records path should be %s, got %s", want, w.path);
	snprintf(want, sizeof(want), "%s/7.2.13-test/2026-11-24T23:10:59Z-smoke-42", out);
	cr_assert(!strcmp(w.dir, want), "run dir should be %s, got %s", want, w.dir);
	cr_assert(is_dir(want), "%s should be a directory", want);
	cr_assert(!stat(w.path, &st) && S_ISREG(st.st_mode) && st.st_size == 0,
		  "%s should be a new empty file", w.path);
	cr_assert(rec_close(&w) == 0, "rec_close should succeed");
}

Test(record, open_run_refuses_existing)
{
	struct rec_writer w;
	char err[PATH_MAX + 128] = "", path[PATH_MAX + 32];
	struct visits v = { 0 };
	int ret;

	cr_assert(rec_open_run(&w, tmp, "rel", "run", err, sizeof(err)) == 0,
		  "the first rec_open_run should succeed: %s", err);
	cr_assert(rec_write(&w, rec_new("meta")) == 0, "rec_write should succeed");
	rec_close(&w);

	err[0] = '\0';
	ret = rec_open_run(&w, tmp, "rel", "run", err, sizeof(err));
	cr_assert(ret == -EEXIST, "opening the same run again should be -EEXIST (%d), got %d",
		  -EEXIST, ret);
	cr_assert(strstr(err, "rel/run/records.jsonl"),
		  "the error should name the existing file, got \"%s\"", err);
	cr_assert(w.f == NULL, "no FILE should be left open after a refusal");

	/* The first run's records are untouched. */
	snprintf(path, sizeof(path), "%s/rel/run/records.jsonl", tmp);
	cr_assert(rec_read_file(path, visit, &v, err, sizeof(err)) == 0 && v.n == 1,
		  "the existing file should still hold its 1 record, has %zu", v.n);
}

Test(record, open_run_under_regular_file_fails)
{
	struct rec_writer w;
	char file[PATH_MAX + 16], err[PATH_MAX + 128] = "";
	int ret;

	snprintf(file, sizeof(file), "%s/plain", tmp);
	write_file(file, "x\n");
	ret = rec_open_run(&w, file, "rel", "run", err, sizeof(err));
	cr_assert(ret == -ENOTDIR, "a regular file as outdir should fail with -ENOTDIR (%d), got %d",
		  -ENOTDIR, ret);
	cr_assert(strstr(err, file), "the error should name %s, got \"%s\"", file, err);
	cr_assert(!strchr(err, '\n'), "the error should be one line: \"%s\"", err);
}

Test(record, open_run_under_proc_fails)
{
	struct rec_writer w;
	char err[PATH_MAX + 128] = "";
	int ret;

	ret = rec_open_run(&w, "/proc/hmmbench-unit-test", "rel", "run", err, sizeof(err));
	cr_assert(ret < 0, "creating a directory in /proc should fail, got %d", ret);
	cr_assert(strstr(err, "/proc/hmmbench-unit-test"),
		  "the error should name the path, got \"%s\"", err);
}

Test(record, open_run_path_too_long)
{
	struct rec_writer w;
	static char out[PATH_MAX + 100];
	char err[256] = "";
	int ret;

	memset(out, 'a', sizeof(out) - 1);
	out[0] = '/';
	ret = rec_open_run(&w, out, "rel", "run", err, sizeof(err));
	cr_assert(ret == -ENAMETOOLONG, "a %zu-char outdir should be -ENAMETOOLONG, got %d",
		  strlen(out), ret);
	cr_assert(err[0], "the error text should say why");
}

/*
 * The run directory fits in PATH_MAX but "<dir>/records.jsonl" does not:
 * rec_open_run still must explain its failure in @err (record.h: "On
 * failure returns -errno and writes a one-line reason into @err").
 */
Test(record, open_run_records_path_too_long_explains)
{
	struct rec_writer w;
	static char out[PATH_MAX];
	char comp[201], run_id[256], err[256] = "";
	size_t len, dirlen;
	int ret;

	memset(comp, 'd', 200);
	comp[200] = '\0';
	len = snprintf(out, sizeof(out), "%s", tmp);
	/* Components of 200 until "/rel/" + a run id of 1..201 chars makes 4090. */
	while (4090 - 5 - len > 201)
		len += snprintf(out + len, sizeof(out) - len, "/%s", comp);
	dirlen = len + strlen("/rel/");
	memset(run_id, 'r', 4090 - dirlen);
	run_id[4090 - dirlen] = '\0';
	cr_assert(4090 - dirlen >= 1 && 4090 - dirlen < 255,
		  "the run id should be a legal name (%zu chars)", 4090 - dirlen);

	ret = rec_open_run(&w, out, "rel", run_id, err, sizeof(err));
	cr_assert(ret == -ENAMETOOLONG,
		  "a 4090-char dir leaves no room for /records.jsonl: -ENAMETOOLONG, got %d", ret);
	cr_assert(err[0] != '\0',
		  "rec_open_run returned %d but left the error text empty", ret);
}

Test(record, written_lines_are_json_with_schema_and_type)
{
	struct rec_writer w;
	char err[PATH_MAX + 128] = "", *line = NULL;
	size_t cap = 0, n = 0;
	const char *types[] = { "meta", "sample", "end" };
	json_t *r;
	ssize_t len;
	FILE *f;

	cr_assert(rec_open_run(&w, tmp, "rel", "run", err, sizeof(err)) == 0, "open: %s", err);
	r = rec_new("meta");
	json_object_set_new(r, "text", json_string("two\nlines and \"quotes\""));
	cr_assert(rec_write(&w, r) == 0, "rec_write of meta should succeed");
	r = rec_new("sample");
	json_object_set_new(r, "mbps", json_real(1234.5));
	cr_assert(rec_write(&w, r) == 0, "rec_write of sample should succeed");
	cr_assert(rec_write(&w, rec_new("end")) == 0, "rec_write of end should succeed");
	cr_assert(rec_close(&w) == 0, "rec_close should succeed");

	f = fopen(w.path, "r");
	cr_assert(f, "%s should exist", w.path);
	while ((len = getline(&line, &cap, f)) > 0) {
		json_error_t je;
		json_t *rec;

		cr_assert(n < 3, "there should be exactly 3 lines, found more");
		cr_assert(line[len - 1] == '\n', "line %zu should end in a newline", n + 1);
		rec = json_loads(line, JSON_REJECT_DUPLICATES, &je);
		cr_assert(rec, "line %zu should be valid JSON: %s: %s", n + 1, je.text, line);
		cr_assert(json_is_object(rec), "line %zu should be an object", n + 1);
		cr_assert(json_integer_value(json_object_get(rec, "schema")) == RECORD_SCHEMA &&
			  json_is_integer(json_object_get(rec, "schema")),
			  "line %zu should carry \"schema\": %d", n + 1, RECORD_SCHEMA);
		cr_assert(json_is_string(json_object_get(rec, "type")) &&
			  !strcmp(json_string_value(json_object_get(rec, "type")), types[n]),
			  "line %zu should have \"type\": \"%s\"", n + 1, types[n]);
		json_decref(rec);
		n++;
	}
	cr_assert(n == 3, "there should be 3 lines (the embedded newline escaped), found %zu", n);
	free(line);
	fclose(f);
}

Test(record, write_flushes_each_line)
{
	struct rec_writer w;
	char err[PATH_MAX + 128] = "", buf[256] = "";
	FILE *f;

	cr_assert(rec_open_run(&w, tmp, "rel", "run", err, sizeof(err)) == 0, "open: %s", err);
	cr_assert(rec_write(&w, rec_new("meta")) == 0, "rec_write should succeed");
	f = fopen(w.path, "r");	/* before rec_close */
	cr_assert(f && fgets(buf, sizeof(buf), f), "the record should be in the file before rec_close");
	cr_assert(strchr(buf, '\n'), "the whole line should be flushed, read \"%s\"", buf);
	fclose(f);
	rec_close(&w);
}

/* record.h: rec_write "Stamps the schema" -- also on a record not made by rec_new. */
Test(record, write_stamps_schema)
{
	struct rec_writer w;
	char err[PATH_MAX + 128] = "", buf[256] = "";
	json_t *rec;
	FILE *f;

	cr_assert(rec_open_run(&w, tmp, "rel", "run", err, sizeof(err)) == 0, "open: %s", err);
	cr_assert(rec_write(&w, json_pack("{s:s}", "type", "sample")) == 0,
		  "rec_write should succeed");
	rec_close(&w);
	f = fopen(w.path, "r");
	cr_assert(f && fgets(buf, sizeof(buf), f), "one line should have been written");
	fclose(f);
	rec = json_loads(buf, 0, NULL);
	cr_assert(rec, "the line should be JSON: %s", buf);
	cr_assert(json_integer_value(json_object_get(rec, "schema")) == RECORD_SCHEMA,
		  "rec_write should stamp \"schema\": %d, the line is %s", RECORD_SCHEMA, buf);
	json_decref(rec);
}

Test(record, read_back_what_was_written)
{
	struct rec_writer w;
	char err[PATH_MAX + 128] = "";
	struct visits v = { 0 };
	int ret;

	cr_assert(rec_open_run(&w, tmp, "rel", "run", err, sizeof(err)) == 0, "open: %s", err);
	rec_write(&w, rec_new("meta"));
	rec_write(&w, rec_new("sample"));
	rec_close(&w);
	ret = rec_read_file(w.path, visit, &v, err, sizeof(err));
	cr_assert(ret == 0, "reading our own file should succeed, got %d: %s", ret, err);
	cr_assert(v.n == 2 && v.line[0] == 1 && v.line[1] == 2,
		  "both records should be visited with lines 1, 2; got %zu records", v.n);
}

Test(record, read_good_fixture)
{
	static const char *const types[] = { "meta", "sample", "end" };
	char path[PATH_MAX], err[PATH_MAX + 128];
	struct visits v;
	int ret = read_fixture("records-good.jsonl", &v, path, err, sizeof(err));

	cr_assert(ret == 0, "%s should read cleanly, got %d: %s", path, ret, err);
	cr_assert(v.n == 3, "%s has 3 records, visited %zu", path, v.n);
	for (size_t i = 0; i < 3; i++) {
		cr_assert(v.line[i] == i + 1, "record %zu should be on line %zu, got %zu",
			  i, i + 1, v.line[i]);
		cr_assert(!strcmp(v.type[i], types[i]), "record %zu should be \"%s\", got \"%s\"",
			  i, types[i], v.type[i]);
	}
}

Test(record, read_invalid_json_line_3)
{
	char path[PATH_MAX], err[PATH_MAX + 128];
	struct visits v;
	int ret = read_fixture("records-corrupt.jsonl", &v, path, err, sizeof(err));

	cr_assert(ret < 0, "a corrupt line should fail the read, got %d", ret);
	cr_assert(strstr(check_names_line(err, path, 3), "JSON"),
		  "the error should say the line is not JSON: \"%s\"", err);
	cr_assert(v.n == 2 && v.line[0] == 1 && v.line[1] == 2,
		  "lines 1 and 2 should have been visited before the bad line, got %zu", v.n);
}

Test(record, read_not_an_object)
{
	char path[PATH_MAX], err[PATH_MAX + 128];
	struct visits v;
	int ret = read_fixture("records-not-object.jsonl", &v, path, err, sizeof(err));

	cr_assert(ret < 0, "an array line should fail the read, got %d", ret);
	cr_assert(strstr(check_names_line(err, path, 2), "object"),
		  "the error should say it is not an object: \"%s\"", err);
	cr_assert(v.n == 1, "only line 1 should have been visited, got %zu", v.n);
}

Test(record, read_no_schema)
{
	char path[PATH_MAX], err[PATH_MAX + 128];
	struct visits v;
	int ret = read_fixture("records-no-schema.jsonl", &v, path, err, sizeof(err));

	cr_assert(ret < 0, "a record without schema should fail the read, got %d", ret);
	cr_assert(strstr(check_names_line(err, path, 2), "schema"),
		  "the error should mention the schema: \"%s\"", err);
	cr_assert(v.n == 1, "only line 1 should have been visited, got %zu", v.n);
}

Test(record, read_newer_schema)
{
	char path[PATH_MAX], err[PATH_MAX + 128];
	struct visits v;
	int ret = read_fixture("records-newer-schema.jsonl", &v, path, err, sizeof(err));
	const char *msg;

	cr_assert(ret < 0, "schema 99 should fail the read, got %d", ret);
	msg = check_names_line(err, path, 2);
	cr_assert(strstr(msg, "99"), "the error should give the schema 99: \"%s\"", err);
	cr_assert(strstr(msg, "newer"), "the error should say a newer hmmbench is needed: \"%s\"", err);
	cr_assert(v.n == 1, "only line 1 should have been visited, got %zu", v.n);
}

Test(record, read_truncated_last_line)
{
	char path[PATH_MAX], err[PATH_MAX + 128];
	struct visits v;
	int ret = read_fixture("records-truncated.jsonl", &v, path, err, sizeof(err));
	const char *msg;

	cr_assert(ret < 0, "a cut-off last line should be reported, got %d", ret);
	msg = check_names_line(err, path, 3);
	cr_assert(strstr(msg, "cut off") || strstr(msg, "truncated"),
		  "the error should say the last record is cut off, not just bad JSON: \"%s\"", err);
	cr_assert(v.n == 2 && v.line[0] == 1 && v.line[1] == 2,
		  "the 2 complete records should have been visited first, got %zu", v.n);
}

/*
 * The cut-off message counts the complete records kept; a blank line is
 * skipped by the reader and is not a record.
 */
Test(record, truncated_message_counts_records_not_lines)
{
	char path[PATH_MAX + 32], err[PATH_MAX + 128] = "";
	struct visits v = { 0 };
	int ret;

	snprintf(path, sizeof(path), "%s/blank.jsonl", tmp);
	write_file(path, "{\"schema\":1,\"type\":\"meta\"}\n\n"
			 "{\"schema\":1,\"type\":\"end\"}\n{\"schema\":1,\"ty");
	ret = rec_read_file(path, visit, &v, err, sizeof(err));
	cr_assert(ret < 0 && v.n == 2, "2 records then a cut: got ret %d, %zu visited", ret, v.n);
	cr_assert(strstr(check_names_line(err, path, 4), " 2 complete record"),
		  "2 records were kept, the message should say 2: \"%s\"", err);
}

Test(record, read_missing_file)
{
	char path[PATH_MAX + 32], err[PATH_MAX + 128] = "";
	struct visits v = { 0 };
	int ret;

	snprintf(path, sizeof(path), "%s/absent.jsonl", tmp);
	ret = rec_read_file(path, visit, &v, err, sizeof(err));
	cr_assert(ret == -ENOENT, "a missing file should be -ENOENT, got %d", ret);
	cr_assert(strstr(err, path), "the error should name %s: \"%s\"", path, err);
	cr_assert(v.n == 0, "nothing should be visited");
}
