// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ktap.h"

void ktap_header(FILE *f, int planned)
{
	fprintf(f, "KTAP version 1\n1..%d\n", planned < 0 ? 0 : planned);
	fflush(f);
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
