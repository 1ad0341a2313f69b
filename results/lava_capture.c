// SPDX-License-Identifier: GPL-2.0
/* The console protocol of scripts/vm-init --results console (lava_log.h). */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "lava_log.h"

/* Inflates gzip @in into a fresh buffer; -1 with the reason in @why. */
static long gunzip(const unsigned char *in, size_t len, unsigned char **out,
		   const char **why)
{
	size_t cap = len * 4 + 1024, n = 0;
	unsigned char *buf = malloc(cap + 1);
	z_stream z = { .next_in = (unsigned char *)in, .avail_in = len };
	int ret;

	if (!buf || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		free(buf);
		*why = "out of memory";
		return -1;
	}
	do {
		if (n == cap) {
			unsigned char *bigger = realloc(buf, cap * 2 + 1);

			if (!bigger) {
				ret = Z_MEM_ERROR;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
		z.next_out = buf + n;
		z.avail_out = cap - n;
		ret = inflate(&z, Z_NO_FLUSH);
		n = cap - z.avail_out;
	} while (ret == Z_OK);
	inflateEnd(&z);
	if (ret != Z_STREAM_END || z.avail_in) {
		*why = ret == Z_DATA_ERROR ? "not valid gzip or its CRC does not match"
		     : ret == Z_MEM_ERROR ? "out of memory"
		     : z.avail_in ? "data after the gzip stream" : "the gzip stream is cut short";
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*out = buf;
	return n;
}

/* --- the console protocol ----------------------------------------------- */

struct open_file {
	char *path;
	long declared;
	size_t begin_line;
	char *b64;
	size_t len, cap;
};

static int fail(char *err, size_t errlen, const char *name, size_t line,
		const char *fmt, const char *what, const char *why)
{
	int n = snprintf(err, errlen, "%s: line %zu: ", name, line);

	if (n >= 0 && (size_t)n < errlen)
		snprintf(err + n, errlen - n, fmt, what, why);
	return -1;
}

static int add_data(struct open_file *o, const char *s)
{
	size_t len = strcspn(s, " \t\r\n");

	if (o->len + len + 1 > o->cap) {
		size_t cap = (o->len + len + 1) * 2;
		char *p = realloc(o->b64, cap);

		if (!p)
			return -1;
		o->b64 = p;
		o->cap = cap;
	}
	memcpy(o->b64 + o->len, s, len);
	o->len += len;
	return 0;
}

static int close_file(struct lava_capture *c, struct open_file *o,
		      const char *name, size_t line, char *err, size_t errlen)
{
	unsigned char *gz = malloc(o->len * 3 / 4 + 4), *data = NULL;
	const char *why = "";
	long gzlen = gz ? lava_base64_decode(o->b64 ? o->b64 : "", o->len, gz) : -1;
	long len = gzlen < 0 ? -1 : gunzip(gz, gzlen, &data, &why);
	struct lava_file *files;

	free(gz);
	if (gzlen < 0)
		why = "its data is not base64";
	if (len >= 0 && len != o->declared) {
		why = "its length is not the one announced";
		free(data);
		len = -1;
	}
	if (len < 0)
		return fail(err, errlen, name, line, "'%s' was damaged on the way: %s; run the job again",
			    o->path, why);
	for (size_t i = 0; i < c->nfiles; i++)
		if (!strcmp(c->files[i].path, o->path)) {
			free(data);
			return fail(err, errlen, name, line, "'%s' appears twice%s", o->path,
				    "; give one job's log at a time");
		}
	files = realloc(c->files, (c->nfiles + 1) * sizeof(*files));
	if (!files) {
		free(data);
		return fail(err, errlen, name, line, "%s%s", "out of memory", "");
	}
	c->files = files;
	c->files[c->nfiles++] = (struct lava_file){ o->path, data, len };
	o->path = NULL;
	free(o->b64);
	o->b64 = NULL;
	o->len = o->cap = 0;
	return 0;
}

/* HMMBENCH_FILE_BEGIN <path> <bytes>: the path may hold spaces. */
static int open_file(struct open_file *o, const char *arg, size_t line)
{
	const char *sp = strrchr(arg, ' ');
	char *end;
	long bytes;

	if (!sp || sp == arg)
		return -1;
	bytes = strtol(sp + 1, &end, 10);
	if (end == sp + 1 || (*end && *end != '\r' && *end != '\n') || bytes < 0)
		return -1;
	o->path = strndup(arg, sp - arg);
	o->declared = bytes;
	o->begin_line = line;
	return o->path ? 0 : -1;
}

/* Whether @path may be written under an output directory. */
static int safe_path(const char *path)
{
	if (!*path || *path == '/')
		return 0;
	for (const char *p = path; *p; p = strchr(p, '/') ? strchr(p, '/') + 1 : p + strlen(p))
		if (!strncmp(p, "..", 2) && (p[2] == '/' || !p[2]))
			return 0;
	return 1;
}

static int console_line(struct lava_capture *c, struct open_file *o, const char *s,
			size_t line, const char *name, char *err, size_t errlen)
{
	const char *m;

	if ((m = strstr(s, LAVA_FILE_DATA))) {
		if (o->path && add_data(o, m + strlen(LAVA_FILE_DATA)))
			return fail(err, errlen, name, line, "%s%s", "out of memory", "");
		return 0;
	}
	if ((m = strstr(s, LAVA_FILE_BEGIN))) {
		if (o->path)
			return fail(err, errlen, name, line, "'%s' has no end marker%s", o->path,
				    " before the next file began");
		if (open_file(o, m + strlen(LAVA_FILE_BEGIN), line))
			return fail(err, errlen, name, line, "%s%s",
				    "a file's begin marker lacks its path or length", "");
		if (!safe_path(o->path))
			return fail(err, errlen, name, line, "'%s' is not a path%s", o->path,
				    " under the results directory");
		return 0;
	}
	if ((m = strstr(s, LAVA_FILE_END))) {
		if (!o->path)
			return fail(err, errlen, name, line, "%s%s",
				    "a file's end marker without its begin marker", "");
		return close_file(c, o, name, line, err, errlen);
	}
	if ((m = strstr(s, LAVA_FILES_DONE)))
		c->files_done = strtol(m + strlen(LAVA_FILES_DONE), NULL, 10);
	else if ((m = strstr(s, "HMMBENCH_VM_EXIT=")))
		c->exit_status = atoi(m + strlen("HMMBENCH_VM_EXIT="));
	else if ((m = strstr(s, "HMMBENCH_VM_ERROR: ")))
		snprintf(c->vm_error, sizeof(c->vm_error), "%.*s",
			 (int)strcspn(m + 19, "\r\n"), m + 19);
	return 0;
}

/* The whole of @f, NUL-terminated; NULL without memory. */
static char *slurp(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap + 1), *p;

	*len = 0;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			p = realloc(buf, cap * 2 + 1);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
			cap *= 2;
		}
	}
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

int lava_capture_read(FILE *f, const char *name, struct lava_capture *c,
		      char *err, size_t errlen)
{
	struct open_file o = { 0 };
	size_t len, file_line = 0;
	char *text = slurp(f, &len), *line, *next, *msg = malloc(len + 1);
	int ret = 0;

	c->files_done = -1;
	c->exit_status = -1;
	if (!text || !msg) {
		free(text);
		free(msg);
		return fail(err, errlen, name, 0, "%s%s", "out of memory", "");
	}
	/*
	 * A LAVA log may hold other text too (a Python traceback): then only
	 * its log lines of level "target" are the console.
	 */
	for (line = text; line && !c->lava; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		c->lava = lava_log_target(line, msg, len + 1) >= 0;
	for (line = text; !ret && line && *line; line = next) {
		int kind;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		file_line++;
		kind = lava_log_target(line, msg, len + 1);
		if (c->lava ? kind <= 0 : 0)
			continue;
		c->lines++;
		ret = console_line(c, &o, c->lava ? msg : line, file_line, name, err, errlen);
	}
	if (!ret && o.path)
		ret = fail(err, errlen, name, o.begin_line,
			   "'%s' was cut off: its end marker never came%s", o.path,
			   " (the job ended or timed out while writing it)");
	free(o.path);
	free(o.b64);
	free(text);
	free(msg);
	return ret;
}

void lava_capture_free(struct lava_capture *c)
{
	for (size_t i = 0; i < c->nfiles; i++) {
		free(c->files[i].path);
		free(c->files[i].data);
	}
	free(c->files);
	memset(c, 0, sizeof(*c));
}
