// SPDX-License-Identifier: GPL-2.0
/*
 * The values of job-file keys: sizes, fractions, durations, numbers,
 * booleans and comma lists. Each returns 0, or -1 for a bad value, which
 * bench/job.c turns into an error naming the file, line and key.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job_int.h"
#include "parse.h"
#include "migrate.h"

int job_parse_uint(const char *s, unsigned int max, unsigned int *out)
{
	unsigned long long v;

	if (parse_uint(s, max, &v))
		return -1;
	*out = v;
	return 0;
}

/* "2M-64M": doubling from the first to the last. */
int job_parse_size_range(const char *v, struct job *j)
{
	char lo[32], *dash;
	size_t a, b;

	snprintf(lo, sizeof(lo), "%s", v);
	dash = strchr(lo, '-');
	*dash = '\0';
	if (parse_size(lo, &a) || parse_size(dash + 1, &b) || a > b)
		return -1;
	for (j->nsizes = 0; a <= b && j->nsizes < JOB_MAX_LIST; a *= 2)
		j->sizes[j->nsizes++] = a;
	return a <= b ? -1 : 0;
}

/* Splits a comma list and calls @one on each item; -1 on any failure. */
int job_for_each_item(const char *v, int (*one)(const char *, struct job *),
		      struct job *j)
{
	char buf[512], *save, *tok;

	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok))
			tok++;
		if (!*tok || one(tok, j))
			return -1;
	}
	return 0;
}

int job_add_size(const char *s, struct job *j)
{
	if (j->nsizes == JOB_MAX_LIST || parse_size(s, &j->sizes[j->nsizes]))
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
