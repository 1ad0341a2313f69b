// SPDX-License-Identifier: GPL-2.0
/* Strings from elsewhere as inert text, one escaper per output language. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "escape.h"

/*
 * The code point of the UTF-8 sequence at @p and its length, or 0 when
 * it is not well-formed (a stray continuation byte, a cut sequence, an
 * overlong form, a surrogate, beyond U+10FFFF).
 */
static size_t utf8_char(const unsigned char *p, unsigned int *cp)
{
	size_t n;
	unsigned int min;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, *cp = p[0] & 0x1f, min = 0x80;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, *cp = p[0] & 0x0f, min = 0x800;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, *cp = p[0] & 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (p[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/* C1 controls, and the bidirectional embeddings, overrides and isolates. */
static int hidden_code_point(unsigned int cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * The visible form of the character at @p, or NULL when it is printable
 * as it is; *@len is the number of bytes it takes.
 */
static const char *term_unit(const char *s, char buf[12], size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned int cp;
	size_t n;

	*len = 1;
	if (p[0] < 0x20 || p[0] == 0x7f) {
		switch (p[0]) {
		case '\n': return "\\n";
		case '\t': return "\\t";
		case '\r': return "\\r";
		}
		snprintf(buf, 12, "\\x%02x", p[0]);
		return buf;
	}
	if (p[0] < 0x80)
		return NULL;
	n = utf8_char(p, &cp);
	if (!n) {
		snprintf(buf, 12, "\\x%02x", p[0]);
		return buf;
	}
	*len = n;
	if (!hidden_code_point(cp))
		return NULL;
	snprintf(buf, 12, "\\u%04x", cp);
	return buf;
}

void esc_term(FILE *f, const char *s)
{
	char buf[12];
	size_t n;

	for (; s && *s; s += n) {
		const char *e = term_unit(s, buf, &n);

		if (e)
			fputs(e, f);
		else
			fwrite(s, 1, n, f);
	}
}

char *esc_term_buf(char *buf, size_t len, const char *s)
{
	size_t used = 0, n;
	char tmp[12];

	if (!len)
		return buf;
	for (; s && *s; s += n) {
		const char *e = term_unit(s, tmp, &n);
		size_t w = e ? strlen(e) : n;

		if (used + w >= len)
			break;	/* cut between characters, never inside one */
		memcpy(buf + used, e ? e : s, w);
		used += w;
	}
	buf[used] = '\0';
	return buf;
}

char *esc_term_dup(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	esc_term(f, s);
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}

int esc_term_needed(const char *s)
{
	char buf[12];
	size_t n;

	for (; s && *s; s += n)
		if (term_unit(s, buf, &n))
			return 1;
	return 0;
}

json_t *esc_json(const char *s)
{
	char *t = s ? esc_term_dup(s) : NULL;
	json_t *j = t ? json_string(t) : NULL;

	free(t);
	return j ? j : json_null();
}

void esc_gnuplot(FILE *f, const char *s)
{
	char buf[12];
	size_t n;

	fputc('\'', f);
	for (; s && *s; s += n) {
		const char *e = term_unit(s, buf, &n);

		if (*s == '\n')
			fputs("'.\"\\n\".'", f);
		else if (*s == '\'')
			fputs("'.\"'\".'", f);
		else if (e)
			fputs(e, f);
		else
			fwrite(s, 1, n, f);
	}
	fputc('\'', f);
}

void esc_html(FILE *f, const char *s)
{
	char buf[12];
	size_t n;

	for (; s && *s; s += n) {
		const char *e = term_unit(s, buf, &n);

		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\n':
		case '\t': fputc(*s, f); break;
		default:
			if (e)
				fputs(e, f);
			else
				fwrite(s, 1, n, f);
		}
	}
}

/*
 * Control characters are escaped first (esc_term), so a field never
 * spans lines; what is left needs quotes only for commas and quotes.
 */
void esc_csv(FILE *f, const char *s)
{
	char *t = esc_term_dup(s ? s : "");
	const char *p = t ? t : "";
	int formula = strchr("=+-@", p[0]) && p[0];

	if (formula || strpbrk(p, ",\"")) {
		fputc('"', f);
		if (formula)
			fputc('\'', f);
		for (; *p; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	} else {
		fputs(p, f);
	}
	free(t);
}

void esc_shell(FILE *f, const char *s)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789_-./=:,%+@";

	if (s && *s && !s[strspn(s, plain)]) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (; s && *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

char *esc_shell_dup(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	esc_shell(f, s);
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}
