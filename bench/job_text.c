// SPDX-License-Identifier: GPL-2.0
/*
 * A job file's text, fed to inih line by line and counted, so that errors
 * name the line they are about. inih (Debian's libinih, INI_MAX_LINE 200)
 * silently cuts longer lines into two and goes on past a syntax error; the
 * reader refuses the first and finish_parse() in job.c names the second.
 * Section headers are recognised the way inih's ini_parse_stream() does
 * (leading blanks, inline ';' comments, indented lines continuing a value),
 * so that a duplicate job name is caught where it appears.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job_int.h"

/* Job files are a few dozen lines; anything this big is not one. */
#define JOB_FILE_MAX (1 << 20)

void job_text_init(struct job_text *t, const char *text, size_t len)
{
	memset(t, 0, sizeof(*t));
	t->start = t->next = text;
	t->end = text + len;
}

void job_text_free(struct job_text *t)
{
	free(t->headers);
	t->headers = NULL;
	t->nheaders = 0;
}

static void __attribute__((format(printf, 2, 3)))
text_error(struct job_text *t, const char *fmt, ...)
{
	va_list ap;

	if (t->msg[0])
		return;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	t->msg_line = t->line;
}

static const char *lskip(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return s;
}

/* inih's find_chars_or_comment(): the first of @chars, or an inline ';' comment. */
static const char *find_chars_or_comment(const char *s, const char *chars)
{
	int was_space = 0;

	while (*s && !strchr(chars, *s) && !(was_space && *s == ';')) {
		was_space = isspace((unsigned char)*s);
		s++;
	}
	return s;
}

static void note_header(struct job_text *t, const char *name, size_t len)
{
	struct job_header *h;

	if (len >= sizeof(h->name)) {
		text_error(t, "section name '%.20s...' is longer than %zu characters",
			   name, sizeof(h->name) - 1);
		return;
	}
	t->key_seen = 0;
	/* [global] may come back: it sets the defaults of the jobs after it. */
	if (len == 6 && !memcmp(name, "global", 6))
		return;
	for (size_t i = 0; i < t->nheaders; i++)
		if (strlen(t->headers[i].name) == len && !memcmp(t->headers[i].name, name, len)) {
			text_error(t, "duplicate section [%.*s] (first at line %d); give each job a name of its own",
				   (int)len, name, t->headers[i].line);
			return;
		}
	h = realloc(t->headers, (t->nheaders + 1) * sizeof(*h));
	if (!h) {
		text_error(t, "out of memory");
		return;
	}
	t->headers = h;
	h += t->nheaders++;
	memcpy(h->name, name, len);
	h->name[len] = '\0';
	h->line = t->line;
}

/* What inih will make of @line: only headers and keys matter here. */
static void classify(struct job_text *t, const char *line)
{
	const char *start, *end;

	if (t->line == 1 && !strncmp(line, "\xEF\xBB\xBF", 3))
		line += 3;	/* inih skips a UTF-8 BOM */
	start = lskip(line);
	if (!*start || *start == ';' || *start == '#')
		return;
	if (t->key_seen && start > line)
		return;		/* continues the previous key's value */
	if (*start == '[') {
		end = find_chars_or_comment(start + 1, "]");
		if (*end == ']')
			note_header(t, start + 1, end - start - 1);
		return;		/* unclosed: inih reports the line, job.c names it */
	}
	end = find_chars_or_comment(start, "=:");
	if (*end == '=' || *end == ':')
		t->key_seen = 1;
}

char *job_text_read(char *buf, int size, void *stream)
{
	struct job_text *t = stream;
	const char *nl;
	size_t len;

	if (t->msg[0] || t->next >= t->end)
		return NULL;
	nl = memchr(t->next, '\n', t->end - t->next);
	len = nl ? (size_t)(nl - t->next) + 1 : (size_t)(t->end - t->next);
	t->line++;
	if (memchr(t->next, '\0', len)) {
		text_error(t, "a NUL byte; a job file is text");
		return NULL;
	}
	if (len >= (size_t)size) {
		text_error(t, "line is longer than %d characters", size - 2);
		return NULL;
	}
	memcpy(buf, t->next, len);
	buf[len] = '\0';
	t->next += len;
	classify(t, buf);
	return t->msg[0] ? NULL : buf;
}

static const char *line_start(const struct job_text *t, int line)
{
	const char *p = t->start;

	while (--line > 0 && p < t->end) {
		const char *nl = memchr(p, '\n', t->end - p);

		if (!nl)
			return NULL;
		p = nl + 1;
	}
	return p < t->end ? p : NULL;
}

int job_text_is_header(const struct job_text *t, int line)
{
	const char *p = line_start(t, line);

	while (p && p < t->end && (*p == ' ' || *p == '\t'))
		p++;
	return p && p < t->end && *p == '[';
}

const char *job_text_trimmed(struct job_text *t, int line)
{
	const char *p = line_start(t, line), *e;
	size_t n;

	t->scratch[0] = '\0';
	if (!p)
		return t->scratch;
	e = memchr(p, '\n', t->end - p);
	if (!e)
		e = t->end;
	while (p < e && isspace((unsigned char)*p))
		p++;
	while (e > p && isspace((unsigned char)e[-1]))
		e--;
	n = (size_t)(e - p) < sizeof(t->scratch) - 1 ? (size_t)(e - p) : sizeof(t->scratch) - 1;
	memcpy(t->scratch, p, n);
	t->scratch[n] = '\0';
	return t->scratch;
}

int job_text_load(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	ssize_t n = 0;
	char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*text = NULL;
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "%s: cannot open job file: %s", path, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory, not a job file; give an INI file such as bench/jobs/crosscheck.ini",
			 path);
		goto fail;
	}
	buf = malloc(JOB_FILE_MAX + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	*len = 0;
	while (*len <= JOB_FILE_MAX &&
	       (n = read(fd, buf + *len, JOB_FILE_MAX + 1 - *len)) > 0)
		*len += n;
	if (n < 0) {
		snprintf(err, errlen, "%s: cannot read job file: %s", path, strerror(errno));
		goto fail;
	}
	if (*len > JOB_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d KiB; a job file is a short INI text",
			 path, JOB_FILE_MAX >> 10);
		goto fail;
	}
	buf[*len] = '\0';
	close(fd);
	*text = buf;
	return 0;
fail:
	free(buf);
	if (fd >= 0)
		close(fd);
	return -1;
}
