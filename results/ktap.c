// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "escape.h"
#include "ktap.h"
#include "reader.h"

/* Where case lines go (NULL: nowhere), and when the last case ended. */
static FILE *cases_out;
static struct timespec last_mark;

static void mark_now(void)
{
	clock_gettime(CLOCK_MONOTONIC, &last_mark);
}

static double seconds_since_mark(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - last_mark.tv_sec) + (now.tv_nsec - last_mark.tv_nsec) / 1e9;
}

void ktap_cases_to(FILE *f)
{
	cases_out = f;
	mark_now();
}

FILE *ktap_cases_stream(void)
{
	return cases_out;
}

/* A word of a case line: no spaces, nothing a pattern could trip on. */
static void put_word(FILE *f, const char *s)
{
	if (!s || !*s) {
		fputc('-', f);
		return;
	}
	for (; *s; s++)
		fputc((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._+=/%-", *s) ? *s : '_', f);
}

void ktap_case_line(FILE *f, const char *id, const char *result, double value,
		    const char *unit)
{
	fputs(KTAP_CASE_TAG, f);
	put_word(f, id);
	fprintf(f, " %s %.6g ", result, value);
	put_word(f, unit);
	fputc('\n', f);
	fflush(f);
}

void ktap_case_id(const char *bench, json_t *params, const char *metric,
		  char *buf, size_t len)
{
	size_t used;
	const char *k;
	json_t *v;
	char item[96];
	int first = 1;

	used = snprintf(buf, len, "%s.", bench);
	json_object_foreach(params, k, v) {
		if (json_is_integer(v) && !strcmp(k, "size"))
			rs_format_size(json_integer_value(v), item, sizeof(item));
		else if (json_is_string(v))
			snprintf(item, sizeof(item), "%s", json_string_value(v));
		else if (json_is_integer(v))
			snprintf(item, sizeof(item), "%s=%lld", k, (long long)json_integer_value(v));
		else if (json_is_real(v))
			snprintf(item, sizeof(item), "%s=%g", k, json_real_value(v));
		else if (json_is_boolean(v))
			snprintf(item, sizeof(item), "%s=%s", k, json_is_true(v) ? "true" : "false");
		else
			snprintf(item, sizeof(item), "%s=?", k);
		if (used < len)
			used += snprintf(buf + used, len - used, "%s%s", first ? "" : "-", item);
		first = 0;
	}
	if (first && used < len)
		used += snprintf(buf + used, len - used, "-");
	if (used < len)
		snprintf(buf + used, len - used, ".%s", metric);
	for (char *p = buf; *p; p++)
		if (*p == ' ')
			*p = '_';
}

void ktap_header(FILE *f, int planned)
{
	fprintf(f, "KTAP version 1\n1..%d\n", planned < 0 ? 0 : planned);
	fflush(f);
	mark_now();
}

/* @s with '#' and line breaks written as spaces. */
static void put_clean(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc(*s == '#' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

void ktap_result(FILE *f, int n, int ok, const char *desc,
		 const char *skip_reason)
{
	fprintf(f, "%s %d ", ok || skip_reason ? "ok" : "not ok", n);
	put_clean(f, desc);
	if (skip_reason) {
		fputs(" # SKIP ", f);
		put_clean(f, skip_reason);
	}
	fputc('\n', f);
	fflush(f);
	if (cases_out) {
		char id[128];

		snprintf(id, sizeof(id), "%s", desc ? desc : "");
		for (char *p = id; *p; p++)
			if (*p == ' ')
				*p = '-';
		ktap_case_line(cases_out, id, skip_reason ? "skip" : ok ? "pass" : "fail",
			       seconds_since_mark(), "s");
		mark_now();
	}
}

void ktap_diag(FILE *f, const char *fmt, ...)
{
	char *msg = NULL, *line, *next;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	for (line = msg; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (next && !*next)
			next = NULL;	/* no empty line after a final newline */
		fprintf(f, "# %s\n", line);
	}
	free(msg);
	fflush(f);
}

void ktap_diag_line(FILE *f, const char *key, const char *text)
{
	char *t = esc_term_dup(text ? text : "");

	fputs("# ", f);
	put_clean(f, key);
	fputs(": ", f);
	put_clean(f, t ? t : "(out of memory)");
	fputc('\n', f);
	free(t);
	fflush(f);
}
