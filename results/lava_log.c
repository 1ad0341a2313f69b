// SPDX-License-Identifier: GPL-2.0
/* A LAVA job log's lines, and base64: what import-lava reads first. */
#include <stdlib.h>
#include <string.h>

#include "lava_log.h"

/* --- LAVA log lines ------------------------------------------------------ */

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Code point @cp as UTF-8 into @out (room for 4 bytes); the byte count. */
static size_t put_utf8(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | cp >> 6;
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | cp >> 12;
		out[1] = 0x80 | (cp >> 6 & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | cp >> 18;
	out[1] = 0x80 | (cp >> 12 & 0x3f);
	out[2] = 0x80 | (cp >> 6 & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* A YAML escape's character: "\n" -> '\n', ...; 0 if it has none. */
static int simple_escape(char c, unsigned long *cp)
{
	static const char from[] = "0abtnvfre \"/\\N_LP";
	static const unsigned long to[] = { 0, 7, 8, 9, 10, 11, 12, 13, 27, ' ', '"',
					    '/', '\\', 0x85, 0xa0, 0x2028, 0x2029 };
	const char *at = c ? strchr(from, c) : NULL;

	if (!at)
		return 0;
	*cp = to[at - from];
	return 1;
}

/*
 * Parses the YAML double-quoted scalar at @p (at its opening quote) into
 * @out (NULL: only skip it). Returns the position after the closing quote,
 * or NULL if it does not end on this line.
 */
static const char *yaml_dquoted(const char *p, char *out, size_t outlen)
{
	size_t n = 0;
	char u8[4];

	for (p++; *p && *p != '"'; p++) {
		unsigned long cp = (unsigned char)*p;
		size_t len = 1;

		if (*p == '\\') {
			int digits = p[1] == 'x' ? 2 : p[1] == 'u' ? 4 : p[1] == 'U' ? 8 : 0;

			if (digits) {
				cp = 0;
				for (int i = 0; i < digits; i++) {
					int h = hexval(p[2 + i]);

					if (h < 0)
						return NULL;
					cp = cp << 4 | h;
				}
				p += 1 + digits;
			} else if (simple_escape(p[1], &cp)) {
				p++;
			} else {
				return NULL;
			}
			len = put_utf8(cp, u8);
		} else {
			u8[0] = *p;
		}
		if (out && n + len < outlen) {
			memcpy(out + n, u8, len);
			n += len;
		}
	}
	if (out && outlen)
		out[n < outlen ? n : outlen - 1] = '\0';
	return *p == '"' ? p + 1 : NULL;
}

/* Skips one flow value: a quoted scalar (maybe tagged), mapping or list. */
static const char *skip_value(const char *p)
{
	int depth = 0;

	if (*p == '!') {
		p += strcspn(p, " ");
		p = skip_space(p);
	}
	if (*p == '"')
		return yaml_dquoted(p, NULL, 0);
	if (*p != '{' && *p != '[') {
		p += strcspn(p, ",}");
		return *p ? p : NULL;
	}
	for (; *p; ) {
		if (*p == '"') {
			p = yaml_dquoted(p, NULL, 0);
			if (!p)
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && !--depth)
			return p + 1;
		p++;
	}
	return NULL;
}

int lava_log_target(const char *line, char *out, size_t outlen)
{
	const char *p = skip_space(line);
	char key[16], lvl[16] = "";
	int have_msg = 0;

	if (p[0] == '-' && p[1] == ' ')
		p = skip_space(p + 2);
	if (strncmp(p, "{\"dt\": ", 7))
		return -1;
	for (p++; *p && *p != '}'; ) {
		p = skip_space(p);
		if (*p != '"' || !(p = yaml_dquoted(p, key, sizeof(key))))
			return -1;
		p = skip_space(p);
		if (*p++ != ':')
			return -1;
		p = skip_space(p);
		if (*p == '"' && !strcmp(key, "lvl"))
			p = yaml_dquoted(p, lvl, sizeof(lvl));
		else if (*p == '"' && !strcmp(key, "msg"))
			p = yaml_dquoted(p, out, outlen), have_msg = 1;
		else
			p = skip_value(p);
		if (!p)
			return -1;
		p = skip_space(p);
		if (*p == ',')
			p++;
	}
	if (*p != '}')
		return -1;
	return have_msg && !strcmp(lvl, "target");
}

/* --- base64 and gzip ----------------------------------------------------- */

long lava_base64_decode(const char *in, size_t len, unsigned char *out)
{
	unsigned long acc = 0;
	int bits = 0, pad = 0;
	long n = 0;

	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		int v;

		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad)
			return -1;	/* data after padding */
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+')
			v = 62;
		else if (c == '/')
			v = 63;
		else
			return -1;
		acc = (acc << 6 | v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = acc >> bits & 0xff;
		}
	}
	return pad > 2 ? -1 : n;
}
