// SPDX-License-Identifier: GPL-2.0
/*
 * The console reader of import-lava (results/lava_log.h): files a guest of
 * scripts/initramfs --results console wrote between markers (gzip, base64),
 * read from a plain console log and from a LAVA job log, and every way a
 * copy can arrive damaged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <zlib.h>

#include "lava_log.h"

/* --- what the guest writes (scripts/vm-init's stream_results) ----------- */

static size_t gzip_buf(const char *in, unsigned char *out, size_t cap)
{
	z_stream z = { .next_in = (unsigned char *)in, .avail_in = strlen(in),
		       .next_out = out, .avail_out = cap };

	cr_assert_eq(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return cap - z.avail_out;
}

static void base64(const unsigned char *in, size_t len, char *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, n = 0;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned long v = in[i] << 16 | in[i + 1] << 8 | in[i + 2];

		out[n++] = a[v >> 18];
		out[n++] = a[v >> 12 & 63];
		out[n++] = a[v >> 6 & 63];
		out[n++] = a[v & 63];
	}
	if (i < len) {
		unsigned long v = in[i] << 16 | (i + 1 < len ? in[i + 1] << 8 : 0);

		out[n++] = a[v >> 18];
		out[n++] = a[v >> 12 & 63];
		out[n++] = i + 1 < len ? a[v >> 6 & 63] : '=';
		out[n++] = '=';
	}
	out[n] = '\0';
}

/*
 * Appends to @f the markers for @path holding @text, data lines of 76
 * characters, each line wrapped by @fmt ("%s\n" for a plain console).
 */
static void put_file(FILE *f, const char *fmt, const char *path, const char *text)
{
	unsigned char gz[8192];
	char b64[12000], line[200];
	size_t gzlen = gzip_buf(text, gz, sizeof(gz)), len;

	base64(gz, gzlen, b64);
	snprintf(line, sizeof(line), "HMMBENCH_FILE_BEGIN %s %zu", path, strlen(text));
	fprintf(f, fmt, line);
	len = strlen(b64);
	for (size_t i = 0; i < len; i += 76) {
		snprintf(line, sizeof(line), "HMMBENCH_FILE: %.76s", b64 + i);
		fprintf(f, fmt, line);
		/* a kernel message between two data lines does no harm */
		if (!i)
			fprintf(f, fmt, "[   12.345678] random: crng init done");
	}
	snprintf(line, sizeof(line), "HMMBENCH_FILE_END %s", path);
	fprintf(f, fmt, line);
}

static const char records[] =
	"{\"schema\":1,\"type\":\"meta\",\"kernel\":{\"release\":\"7.2.13\"}}\n"
	"{\"schema\":1,\"type\":\"sample\",\"bench\":\"migrate\",\"values\":{\"throughput\":1}}\n"
	"{\"schema\":1,\"type\":\"end\",\"status\":\"complete\"}\n";
static const char probe[] = "{\"devices\": []}\n";

/* A whole guest session: start, two files, the count and the status. */
static char *session(const char *fmt, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	fprintf(f, fmt, "HMMBENCH_VM_START kernel=7.2.13 cpus=2");
	fprintf(f, fmt, "# hmmbench-case: migrate.32M-thp-to-dev.throughput pass 108.6 MB/s");
	put_file(f, fmt, "7.2.13/2026-12-04T20:16:57Z-smoke-59/records.jsonl", records);
	put_file(f, fmt, "probe.json", probe);
	fprintf(f, fmt, "HMMBENCH_FILES_DONE 2");
	fprintf(f, fmt, "HMMBENCH_VM_EXIT=0");
	fclose(f);
	return buf;
}

/* Reads @text into @c; returns lava_capture_read()'s result, error in @err. */
static int read_text(const char *text, struct lava_capture *c, char *err, size_t errlen)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	ret = lava_capture_read(f, "log", c, err, errlen);
	fclose(f);
	return ret;
}

static void assert_whole(const struct lava_capture *c)
{
	cr_assert_eq(c->nfiles, 2);
	cr_assert_str_eq(c->files[0].path, "7.2.13/2026-12-04T20:16:57Z-smoke-59/records.jsonl");
	cr_assert_eq(c->files[0].len, strlen(records));
	cr_assert_str_eq((char *)c->files[0].data, records);
	cr_assert_str_eq(c->files[1].path, "probe.json");
	cr_assert_str_eq((char *)c->files[1].data, probe);
	cr_assert_eq(c->files_done, 2);
	cr_assert_eq(c->exit_status, 0);
}

Test(lava_log, a_plain_console_log_with_carriage_returns_and_prefixes)
{
	struct lava_capture c;
	char err[512];
	size_t len;
	/* a serial capture may end lines in \r\n and prefix each with a stamp */
	char *text = session("[ttyS0] %s\r\n", &len);

	cr_assert_eq(read_text(text, &c, err, sizeof(err)), 0, "%s", err);
	assert_whole(&c);
	cr_assert_not(c.lava);
	lava_capture_free(&c);
	free(text);
}

Test(lava_log, lava_run_stderr_and_server_output_yaml)
{
	static const char *const fmts[] = {
		"{\"dt\": \"2026-12-04T20:24:58.669525\", \"lvl\": \"target\", \"msg\": \"%s\"}\n",
		"- {\"dt\": \"2026-12-04T20:24:58.669525\", \"lvl\": \"target\", \"msg\": \"%s\"}\n",
	};

	for (size_t i = 0; i < 2; i++) {
		struct lava_capture c;
		char err[512], *text, *all = NULL;
		size_t len, alen;
		FILE *f = open_memstream(&all, &alen);

		/* what else a LAVA log holds: other levels, results, a traceback */
		fprintf(f, "{\"dt\": \"x\", \"lvl\": \"info\", \"msg\": \"HMMBENCH_VM_EXIT=7\"}\n");
		fprintf(f, "{\"dt\": \"x\", \"lvl\": \"results\", \"msg\": {\"case\": \"file-download\", "
			"\"extra\": {\"size\": ! \"2802688\", \"l\": [\"a\", \"}\"]}, \"result\": \"pass\"}}\n");
		fprintf(f, "Traceback (most recent call last): HMMBENCH_FILES_DONE 9\n");
		text = session(fmts[i], &len);
		fputs(text, f);
		fclose(f);
		cr_assert_eq(read_text(all, &c, err, sizeof(err)), 0, "%s", err);
		assert_whole(&c);
		cr_assert(c.lava);
		lava_capture_free(&c);
		free(text);
		free(all);
	}
}

Test(lava_log, yaml_double_quoted_escapes)
{
	char out[64];

	cr_assert_eq(lava_log_target("{\"dt\": \"x\", \"lvl\": \"target\", "
				     "\"msg\": \"a\\\"b\\\\c\\x41\\u00e9\\e\\t\"}", out, sizeof(out)), 1);
	cr_assert_str_eq(out, "a\"b\\cA\xc3\xa9\x1b\t");
	cr_assert_eq(lava_log_target("{\"dt\": \"x\", \"lvl\": \"debug\", \"msg\": \"m\"}",
				     out, sizeof(out)), 0);
	cr_assert_eq(lava_log_target("HMMBENCH_FILE: abc", out, sizeof(out)), -1);
	cr_assert_eq(lava_log_target("{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"cut",
				     out, sizeof(out)), -1);
}

/* Reads @text and expects an error containing @what. */
static void assert_refused(const char *text, const char *what)
{
	struct lava_capture c;
	char err[512];

	cr_assert_eq(read_text(text, &c, err, sizeof(err)), -1, "accepted; wanted '%s'", what);
	cr_assert(strstr(err, what), "error '%s' does not say '%s'", err, what);
	lava_capture_free(&c);
}

/* @text with the first occurrence of @from replaced by @to. */
static char *replaced(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	char *out = malloc(strlen(text) + strlen(to) + 1);

	cr_assert(at, "'%s' not in the session", from);
	sprintf(out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return out;
}

Test(lava_log, a_damaged_copy_is_refused_naming_the_file)
{
	size_t len;
	char *text = session("%s\n", &len), *bad;
	char *data = strstr(text, "HMMBENCH_FILE: ") + strlen("HMMBENCH_FILE: ") + 20;
	char saved = *data;

	/* one character of the gzip data changed: the CRC no longer matches */
	*data = saved == 'A' ? 'B' : 'A';
	assert_refused(text, "records.jsonl' was damaged on the way");
	*data = saved;

	/* a data line lost */
	bad = replaced(text, "HMMBENCH_FILE: ", "lost: ");
	assert_refused(bad, "damaged on the way");
	free(bad);

	/* a kernel message inside a data line */
	*data = '\0';
	bad = malloc(len + 64);
	sprintf(bad, "%s[ 1.0] oops%c%s", text, saved, data + 1);
	assert_refused(bad, "damaged on the way");
	free(bad);
	*data = saved;

	/* the length announced is not the length that came */
	{
		char from[64], to[64];

		snprintf(from, sizeof(from), "records.jsonl %zu", strlen(records));
		snprintf(to, sizeof(to), "records.jsonl %zu", strlen(records) + 1);
		bad = replaced(text, from, to);
		assert_refused(bad, "length is not the one announced");
		free(bad);
	}
	free(text);
}

Test(lava_log, a_cut_off_or_odd_session_is_refused)
{
	size_t len;
	char *text = session("%s\n", &len), *bad;

	/* cut before the first file's end marker */
	*strstr(text, "HMMBENCH_FILE_END") = '\0';
	assert_refused(text, "was cut off");
	free(text);

	text = session("%s\n", &len);
	bad = replaced(text, "HMMBENCH_FILE_END 7.2.13", "HMMBENCH_FILE_BEGIN x 1\nX");
	assert_refused(bad, "has no end marker");
	free(bad);
	bad = replaced(text, "7.2.13/2026", "../../etc/2026");
	assert_refused(bad, "is not a path under the results directory");
	free(bad);
	bad = replaced(text, "probe.json", "7.2.13/2026-12-04T20:16:57Z-smoke-59/records.jsonl");
	/* only the begin marker was renamed: the end marker is the file's end */
	assert_refused(bad, "appears twice");
	free(bad);
	free(text);
}

Test(lava_log, a_session_without_files_reads_as_empty)
{
	struct lava_capture c;
	char err[256];

	cr_assert_eq(read_text("HMMBENCH_VM_ERROR: cannot mount a tmpfs on /results\n", &c,
			       err, sizeof(err)), 0);
	cr_assert_eq(c.nfiles, 0);
	cr_assert_eq(c.files_done, -1);
	cr_assert_eq(c.exit_status, -1);
	cr_assert_str_eq(c.vm_error, "cannot mount a tmpfs on /results");
	lava_capture_free(&c);
}

Test(lava_log, base64)
{
	unsigned char out[16];

	cr_assert_eq(lava_base64_decode("aGVs\nbG8=", 9, out), 5);
	cr_assert_eq(memcmp(out, "hello", 5), 0);
	cr_assert_eq(lava_base64_decode("aGVs*G8=", 8, out), -1);
	cr_assert_eq(lava_base64_decode("aG==bG8=", 8, out), -1);
}
