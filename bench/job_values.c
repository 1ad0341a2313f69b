// SPDX-License-Identifier: GPL-2.0
/*
 * Job-key values by type (struct job_key): each type's grammar comes from
 * common/parse.c, each key's range and choices from its table entry, and
 * the hint an error shows is made from the same entry.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench_ops.h"
#include "parse.h"

void *job_key_field(const struct job *j, const struct job_key *key)
{
	return (char *)(key->in_opts ? j->opts : (void *)j) + key->off;
}

int job_takes(const struct job *j, const char *key)
{
	return j->bench && bench_key(j->bench, key) != NULL;
}

/* Splits a comma list into trimmed items; -1 on an empty item or too many. */
static int split_list(const char *v, char *buf, size_t len, char **items, unsigned int *n)
{
	char *save, *tok;

	snprintf(buf, len, "%s", v);
	*n = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end = tok + strlen(tok);

		while (isspace((unsigned char)*tok))
			tok++;
		while (end > tok && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (!*tok || *n == JOB_MAX_LIST)
			return -1;
		items[(*n)++] = tok;
	}
	/* "a,,b" and "a," leave an empty item strtok_r would skip. */
	return *n && !strstr(v, ",,") && v[strlen(v) - 1] != ',' ? 0 : -1;
}

int key_choice_find(const struct key_choice *choices, const char *s, unsigned int *out)
{
	for (const struct key_choice *c = choices; s && c->name; c++) {
		if (!strcmp(s, c->name)) {
			*out = c->value;
			return 0;
		}
	}
	return -1;
}

static int one_size(const char *s, size_t *out)
{
	return parse_size(s, out) || *out % PAGE_SZ ? -1 : 0;
}

/* "2M-64M": doubling from the first to the last. */
static int size_range(const char *v, struct size_list *l)
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
	if (one_size(lo, &a) || one_size(dash + 1, &b) || a > b)
		return -1;
	for (l->n = 0; a <= b && l->n < JOB_MAX_LIST; a *= 2)
		l->v[l->n++] = a;
	return a <= b ? -1 : 0;
}

static int size_list(const char *v, struct size_list *out)
{
	struct size_list l = { 0 };
	char buf[512], *items[JOB_MAX_LIST];

	if (strchr(v, '-') && !strchr(v, ',')) {
		if (size_range(v, &l))
			return -1;
	} else {
		if (split_list(v, buf, sizeof(buf), items, &l.n))
			return -1;
		for (unsigned int i = 0; i < l.n; i++)
			if (one_size(items[i], &l.v[i]))
				return -1;
	}
	*out = l;
	return 0;
}

static int uint_list(const struct job_key *key, const char *v, struct uint_list *out)
{
	struct uint_list l = { 0 };
	char buf[512], *items[JOB_MAX_LIST];

	if (split_list(v, buf, sizeof(buf), items, &l.n))
		return -1;
	for (unsigned int i = 0; i < l.n; i++) {
		size_t len = strlen(items[i]);
		unsigned long long x;

		if (key->percent && items[i][len - 1] == '%')
			items[i][len - 1] = '\0';
		if (parse_uint(items[i], key->max, &x) || x < key->min)
			return -1;
		l.v[i] = x;
	}
	*out = l;
	return 0;
}

static int choice_set(const struct job_key *key, const char *v, unsigned int *out)
{
	char buf[256], *items[JOB_MAX_LIST];
	unsigned int n, mask = 0, bits;

	if (split_list(v, buf, sizeof(buf), items, &n))
		return -1;
	for (unsigned int i = 0; i < n; i++) {
		if (key_choice_find(key->choices, items[i], &bits))
			return -1;
		mask |= bits;
	}
	*out = mask;
	return 0;
}

static int set_value(void *field, const struct job_key *key, const char *v)
{
	unsigned long long x;
	double d;

	switch (key->type) {
	case KEY_UINT:
		if (parse_uint(v, key->max, &x) || x < key->min)
			return -1;
		*(unsigned int *)field = x;
		return 0;
	case KEY_BOOL:
		return parse_bool(v, field) ? -1 : 0;
	case KEY_FRACTION:
		return parse_fraction(v, field) ? -1 : 0;
	case KEY_DURATION:
		if (parse_duration(v, &d) || !(d > 0))
			return -1;
		*(double *)field = d;
		return 0;
	case KEY_CHOICE:
		return key_choice_find(key->choices, v, field);
	case KEY_SET:
		return choice_set(key, v, field);
	case KEY_SIZES:
		return size_list(v, field);
	case KEY_UINTS:
		return uint_list(key, v, field);
	case KEY_STRING:
		if (!*v || strlen(v) > key->max)
			return -1;
		memcpy(field, v, strlen(v) + 1);
		return 0;
	}
	return -1;
}

int job_key_set(struct job *j, const struct job_key *key, const char *value, char *err,
		size_t errlen)
{
	char hint[200];

	if (!set_value(job_key_field(j, key), key, value))
		return 0;
	snprintf(err, errlen, "bad value '%s'; expected %s", value,
		 job_key_hint(key, hint, sizeof(hint)));
	return -1;
}

/* "a, b or c" */
static void choice_names(const struct job_key *key, char *buf, size_t len)
{
	size_t n = 0;

	while (key->choices[n].name)
		n++;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			 !i ? "" : i + 1 == n ? " or " : ", ", key->choices[i].name);
}

const char *job_key_hint(const struct job_key *key, char *buf, size_t len)
{
	char names[160];

	switch (key->type) {
	case KEY_UINT:
		snprintf(buf, len, "a whole number from %llu to %llu", key->min, key->max);
		break;
	case KEY_BOOL:
		snprintf(buf, len, "true, false, 1 or 0");
		break;
	case KEY_FRACTION:
		snprintf(buf, len, "a fraction like 2%% or 0.02");
		break;
	case KEY_DURATION:
		snprintf(buf, len, "a duration like 30s, 2m or 500ms");
		break;
	case KEY_CHOICE:
		choice_names(key, buf, len);
		break;
	case KEY_SET:
		choice_names(key, names, sizeof(names));
		snprintf(buf, len, "%s, or a comma list of them", names);
		break;
	case KEY_SIZES:
		snprintf(buf, len, "4 KiB multiples like 512K,2M,16M, or a doubling range like 2M-64M (at most %d)",
			 JOB_MAX_LIST);
		break;
	case KEY_UINTS:
		snprintf(buf, len, "a comma list of whole numbers from %llu to %llu%s", key->min,
			 key->max, key->percent ? ", each may end in %" : "");
		break;
	case KEY_STRING:
		snprintf(buf, len, "text of at most %llu characters", key->max);
		break;
	}
	return buf;
}
