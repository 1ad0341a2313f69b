// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	int hex = s && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	unsigned long long v;
	char *end;

	/* strtoull skips blanks and negates "-3": digits only. */
	if (!s || !(hex ? isxdigit((unsigned char)*digits) : isdigit((unsigned char)*digits)))
		return -EINVAL;
	errno = 0;
	v = strtoull(digits, &end, hex ? 16 : 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/*
 * "1.5" and the rest after it: digits, optionally a point and digits. No
 * sign, blank, exponent, "inf" or "nan" gets through to strtod.
 */
static int parse_decimal(const char *s, double *v, const char **rest)
{
	const char *p = s;
	char *end;

	if (!s || !isdigit((unsigned char)*p))
		return -EINVAL;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		if (!isdigit((unsigned char)p[1]))
			return -EINVAL;
		for (p++; isdigit((unsigned char)*p); p++)
			;
	}
	*v = strtod(s, &end);
	if (end != p)
		return -EINVAL;
	*rest = p;
	return 0;
}

int parse_size(const char *s, size_t *out)
{
	static const struct { const char *suffix; double scale; } units[] = {
		{ "", 1 }, { "B", 1 },
		{ "K", 1024.0 }, { "KB", 1024.0 }, { "KiB", 1024.0 },
		{ "M", 1048576.0 }, { "MB", 1048576.0 }, { "MiB", 1048576.0 },
		{ "G", 1073741824.0 }, { "GB", 1073741824.0 }, { "GiB", 1073741824.0 },
	};
	const char *rest;
	double v;

	if (parse_decimal(s, &v, &rest))
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(rest, units[i].suffix))
			continue;
		v *= units[i].scale;
		if (v != floor(v))
			return -EINVAL;		/* not a whole number of bytes */
		if (v <= 0 || v > (double)PARSE_SIZE_MAX)
			return -ERANGE;
		*out = (size_t)v;
		return 0;
	}
	return -EINVAL;
}

int parse_duration(const char *s, double *seconds)
{
	static const struct { const char *suffix; double scale; } units[] = {
		{ "", 1 }, { "ms", 1e-3 }, { "s", 1 }, { "m", 60 }, { "h", 3600 },
	};
	const char *rest;
	double v;

	if (parse_decimal(s, &v, &rest))
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!strcmp(rest, units[i].suffix)) {
			*seconds = v * units[i].scale;
			return 0;
		}
	}
	return -EINVAL;
}

int parse_duration_ms(const char *s, unsigned long long max_ms, unsigned long long *ms)
{
	double sec, v;

	if (parse_duration(s, &sec))
		return -EINVAL;
	v = round(sec * 1000);
	if (v < 1)
		return -EINVAL;
	if (v > (double)max_ms)
		return -ERANGE;
	*ms = (unsigned long long)v;
	return 0;
}

int parse_fraction(const char *s, double *out)
{
	const char *rest;
	double v;

	if (parse_decimal(s, &v, &rest))
		return -EINVAL;
	if (*rest == '%') {
		v /= 100.0;
		rest++;
	}
	if (*rest)
		return -EINVAL;
	if (!(v > 0) || v >= 1)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_bool(const char *s, int *out)
{
	if (s && (!strcmp(s, "true") || !strcmp(s, "1")))
		*out = 1;
	else if (s && (!strcmp(s, "false") || !strcmp(s, "0")))
		*out = 0;
	else
		return -EINVAL;
	return 0;
}
