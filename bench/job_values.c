// SPDX-License-Identifier: GPL-2.0
/*
 * The values of job-file keys: sizes, fractions, durations, numbers,
 * booleans and comma lists. Each returns 0, or -1 for a bad value, which
 * bench/job.c turns into an error naming the file, line and key.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job_int.h"
#include "migrate.h"

int job_parse_size(const char *s, size_t *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v <= 0)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case 'K': v *= 1024; end++; break;
	case 'M': v *= 1024 * 1024; end++; break;
	case 'G': v *= 1024.0 * 1024 * 1024; end++; break;
	}
	if (toupper((unsigned char)*end) == 'I' && toupper((unsigned char)end[1]) == 'B')
		end += 2;
	else if (toupper((unsigned char)*end) == 'B')
		end++;
	if (*end || v != floor(v) || v > (double)(1ULL << 40))
		return -1;
	*out = (size_t)v;
	return 0;
}

int job_parse_fraction(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s)
		return -1;
	if (*end == '%') {
		v /= 100.0;
		end++;
	}
	if (*end || !(v > 0) || v >= 1)
		return -1;
	*out = v;
	return 0;
}

int job_parse_duration(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || !(v >= 0))
		return -1;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		v *= 60, end++;
	else if (*end == 'h')
		v *= 3600, end++;
	if (*end)
		return -1;
	*out = v;
	return 0;
}

int job_parse_uint(const char *s, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || v > max)
		return -1;
	*out = v;
	return 0;
}

int job_parse_bool(const char *s, int *out)
{
	if (!strcmp(s, "true") || !strcmp(s, "1"))
		*out = 1;
	else if (!strcmp(s, "false") || !strcmp(s, "0"))
		*out = 0;
	else
		return -1;
	return 0;
}

/* "2M-64M": doubling from the first to the last. */
int job_parse_size_range(const char *v, struct job *j)
{
	char lo[32], *dash;
	size_t a, b;

	/* Cut short, the '-' may be lost: such a value is no size anyway. */
	if (snprintf(lo, sizeof(lo), "%s", v) >= (int)sizeof(lo))
		return -1;
	dash = strchr(lo, '-');
	if (!dash)
		return -1;
	*dash = '\0';
	/* Doubling keeps a 4 KiB multiple one: the first size must be one. */
	if (job_parse_size(lo, &a) || job_parse_size(dash + 1, &b) || a > b || a % 4096)
		return -1;
	for (j->nsizes = 0; a <= b && j->nsizes < JOB_MAX_LIST; a *= 2)
		j->sizes[j->nsizes++] = a;
	return a <= b ? -1 : 0;
}

/*
 * Splits a comma list and calls @one on each item; -1 on any failure, and
 * for a list with no item at all (a job with no size would measure nothing).
 */
int job_for_each_item(const char *v, int (*one)(const char *, struct job *),
		      struct job *j)
{
	char buf[512], *save, *tok;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save), n++) {
		while (isspace((unsigned char)*tok))
			tok++;
		if (!*tok || one(tok, j))
			return -1;
	}
	return n ? 0 : -1;
}

int job_add_size(const char *s, struct job *j)
{
	if (j->nsizes == JOB_MAX_LIST || job_parse_size(s, &j->sizes[j->nsizes]))
		return -1;
	if (j->sizes[j->nsizes] % 4096)
		return -1;
	j->nsizes++;
	return 0;
}

int job_add_pages(const char *s, struct job *j)
{
	if (!strcmp(s, "thp"))
		j->pages_mask |= 1u << PAGES_THP;
	else if (!strcmp(s, "4k"))
		j->pages_mask |= 1u << PAGES_4K;
	else
		return -1;
	return 0;
}

int job_add_direction(const char *s, struct job *j)
{
	if (!strcmp(s, "to-dev"))
		j->dir_mask |= 1u << TO_DEV;
	else if (!strcmp(s, "to-sys"))
		j->dir_mask |= 1u << TO_SYS;
	else if (!strcmp(s, "roundtrip"))
		j->dir_mask |= 1u << TO_DEV | 1u << TO_SYS;
	else
		return -1;
	return 0;
}

int job_add_threads(const char *s, struct job *j)
{
	if (j->nthreads == JOB_MAX_LIST ||
	    job_parse_uint(s, 1024, &j->threads[j->nthreads]) || !j->threads[j->nthreads])
		return -1;
	j->nthreads++;
	return 0;
}

/* "90" or "90%": a pressure level in percent. */
int job_add_pressure(const char *s, struct job *j)
{
	char buf[16];
	size_t len = strlen(s);

	if (len && s[len - 1] == '%')
		len--;
	if (len >= sizeof(buf) || j->npressure == JOB_MAX_LIST)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return job_parse_uint(buf, 100, &j->pressure[j->npressure++]);
}
