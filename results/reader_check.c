// SPDX-License-Identifier: GPL-2.0
/*
 * What the reader refuses, warns about and cleans before it uses a
 * record: impossible numbers, unknown record types, control characters;
 * and which runs are one and the same.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "metrics.h"
#include "reader_int.h"

int rd_bad(struct load_ctx *c, size_t line, const char *what)
{
	snprintf(c->err, c->errlen, "%s:%zu: %s", c->path, line, what);
	return -EINVAL;
}

int rd_badf(struct load_ctx *c, size_t line, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return rd_bad(c, line, what);
}

/* What no measurement can produce: the record is corrupt or was edited. */
#define IMPOSSIBLE "; no run writes that, so the record is corrupt or was edited: correct or delete the line"

/* @key of @obj, when present, is a count: an integer >= 0. */
static int check_count(struct load_ctx *c, size_t line, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return 0;
	if (!json_is_integer(v))
		return rd_badf(c, line, "\"%s\" is not an integer count" IMPOSSIBLE, key);
	if (json_integer_value(v) < 0)
		return rd_badf(c, line, "\"%s\" is %lld, a negative count" IMPOSSIBLE, key,
			    (long long)json_integer_value(v));
	return 0;
}

/* A time, latency or bucket bound: a finite number >= 0. */
static int check_nonneg(struct load_ctx *c, size_t line, json_t *v, const char *what)
{
	if (!json_is_number(v))
		return rd_badf(c, line, "%s is not a number" IMPOSSIBLE, what);
	if (!isfinite(json_number_value(v)) || json_number_value(v) < 0)
		return rd_badf(c, line, "%s is %g, below zero" IMPOSSIBLE, what,
			    json_number_value(v));
	return 0;
}

/* The PMD counts and latencies of a sample, before any is used. */
static int check_sample_numbers(struct load_ctx *c, json_t *rec, size_t line)
{
	json_t *snap = json_object_get(rec, "snapshot");
	json_t *raw = json_object_get(rec, "latency_ns"), *v;
	json_t *buckets = json_object_get(json_object_get(rec, "latency_hist"), "buckets");
	size_t i;
	int ret;

	if (!snap)
		snap = json_object_get(rec, "snapshot_before");
	if ((ret = check_count(c, line, snap, "whole_pmds")) ||
	    (ret = check_count(c, line, rec, "pmds_attempted")) ||
	    (ret = check_count(c, line, rec, "pmds_split")))
		return ret;
	if (json_integer_value(json_object_get(rec, "pmds_split")) >
	    json_integer_value(json_object_get(rec, "pmds_attempted")))
		return rd_bad(c, line, "\"pmds_split\" is more than \"pmds_attempted\"" IMPOSSIBLE);
	json_array_foreach(raw, i, v)
		if ((ret = check_nonneg(c, line, v, "a \"latency_ns\" entry")))
			return ret;
	json_array_foreach(buckets, i, v) {
		if (!json_is_array(v) || json_array_size(v) != 3 ||
		    !json_is_integer(json_array_get(v, 2)))
			return rd_bad(c, line, "a \"latency_hist\" bucket is not [low, width, count]" IMPOSSIBLE);
		if ((ret = check_nonneg(c, line, json_array_get(v, 0), "a latency bucket's low end")) ||
		    (ret = check_nonneg(c, line, json_array_get(v, 1), "a latency bucket's width")))
			return ret;
		if (json_integer_value(json_array_get(v, 2)) < 0)
			return rd_bad(c, line, "a latency bucket's count is negative" IMPOSSIBLE);
	}
	return 0;
}

/* A sample value: finite, and never negative for a metric this hmmbench knows. */
static int check_value(struct load_ctx *c, size_t line, const char *metric, json_t *v)
{
	const struct metric_info *mi = metric_find(metric);
	double x = json_number_value(v);

	if (!json_is_number(v))
		return rd_badf(c, line, "sample value \"%.64s\" is not a number" IMPOSSIBLE, metric);
	if (!isfinite(x))
		return rd_badf(c, line, "sample value \"%.64s\" is not a finite number" IMPOSSIBLE, metric);
	if (mi && x < 0)
		return rd_badf(c, line, "%s is %g, but a %s (%s) is never negative" IMPOSSIBLE,
			    metric, x, metric_kind_name(mi->kind), mi->unit);
	return 0;
}

int rd_check_stress(struct load_ctx *c, json_t *rec, size_t line)
{
	static const char *const counts[] = { "ops", "integrity_errors", "kernel_reports", "hangs" };
	json_t *errors = json_object_get(rec, "errors"), *by, *n;
	const char *op, *e;
	int ret;

	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if ((ret = check_count(c, line, rec, counts[i])))
			return ret;
	if (errors && !json_is_object(errors))
		return rd_bad(c, line, "\"errors\" is not {operation: {errno: count}}" IMPOSSIBLE);
	json_object_foreach(errors, op, by) {
		if (!json_is_object(by))
			return rd_bad(c, line, "\"errors\" is not {operation: {errno: count}}" IMPOSSIBLE);
		json_object_foreach(by, e, n)
			if ((ret = check_count(c, line, by, e)))
				return ret;
	}
	return 0;
}

/* Puts the value of each key of @v that esc_term() changes under its escaped form. */
static int printable_keys(json_t *v)
{
	json_t *keys = json_array(), *item, *k;
	const char *key;
	size_t i;
	int ret = !keys;

	json_object_foreach(v, key, item)
		if (!ret && esc_term_needed(key))
			ret = json_array_append_new(keys, json_string(key));
	json_array_foreach(keys, i, k) {
		char *t = esc_term_dup(json_string_value(k));

		key = json_string_value(k);
		ret = ret || !t || json_object_set(v, t, json_object_get(v, key)) ||
		      json_object_del(v, key);
		free(t);
	}
	json_decref(keys);
	return ret ? -1 : 0;
}

/*
 * Makes every string in @v printable (esc_term()): values in place, object
 * keys by putting their value back under the escaped key. -1 without memory.
 */
int rd_printable(json_t *v)
{
	const char *k;
	json_t *item;
	size_t i;
	char *t;
	int ret;

	if (json_is_string(v)) {
		if (!esc_term_needed(json_string_value(v)))
			return 0;
		t = esc_term_dup(json_string_value(v));
		ret = t ? json_string_set(v, t) : -1;
		free(t);
		return ret;
	}
	json_array_foreach(v, i, item)
		if (rd_printable(item))
			return -1;
	json_object_foreach(v, k, item)
		if (rd_printable(item))
			return -1;
	return json_is_object(v) ? printable_keys(v) : 0;
}

/* The record types hmmbench writes that the reader has no use for. */
static int known_unused_type(const char *type)
{
	static const char *const types[] = { "summary", "hang", "knobs", "phase", "pressure" };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(type, types[i]))
			return 1;
	return 0;
}

static int add_warning(struct rs_run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int add_warning(struct rs_run *run, const char *fmt, ...)
{
	char **all = realloc(run->warnings, (run->nwarnings + 1) * sizeof(*all));
	char *w, *t;
	va_list ap;
	int ret;

	if (!all)
		return -1;
	run->warnings = all;
	va_start(ap, fmt);
	ret = vasprintf(&w, fmt, ap);
	va_end(ap);
	if (ret < 0)
		return -1;
	t = esc_term_dup(w);	/* the path is the file system's, not ours */
	free(w);
	if (!t)
		return -1;
	all[run->nwarnings++] = t;
	return 0;
}

/* A type this hmmbench does not know: skipped, said once per type and run. */
static int unknown_type(struct load_ctx *c, const char *type, size_t line)
{
	char needle[160];

	snprintf(needle, sizeof(needle), "record type \"%.100s\" ", type);
	for (size_t i = 0; i < c->run->nwarnings; i++)
		if (strstr(c->run->warnings[i], needle))
			return 0;
	if (add_warning(c->run, "%s:%zu: %sis unknown to this hmmbench; skipped, with any "
			"more of it in this file (a newer hmmbench wrote it, or the file was edited)",
			c->path, line, needle)) {
		snprintf(c->err, c->errlen, "%s:%zu: out of memory", c->path, line);
		return -ENOMEM;
	}
	return 0;
}

/* Whether the files at @a and @b hold the same bytes (their sizes are equal). */
static int same_bytes(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	char ba[8192], bb[8192];
	size_t na, nb;
	int same = fa && fb;

	while (same) {
		na = fread(ba, 1, sizeof(ba), fa);
		nb = fread(bb, 1, sizeof(bb), fb);
		same = na == nb && !memcmp(ba, bb, na);
		if (na < sizeof(ba))
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

int rs_same_run(const struct rs_run *a, const struct rs_run *b)
{
	if (a->ino && a->dev == b->dev && a->ino == b->ino)
		return 1;	/* 0: stat() failed, nothing known */
	return a->size == b->size && a->size > 0 && same_bytes(a->path, b->path);
}

void rs_print_warnings(FILE *f, const struct rs_set *set)
{
	for (size_t i = 0; i < set->nruns; i++)
		for (size_t j = 0; j < set->runs[i].nwarnings; j++)
			fprintf(f, "hmmbench: warning: %s\n", set->runs[i].warnings[j]);
}

int rd_check_sample(struct load_ctx *c, json_t *rec, size_t line)
{
	json_t *values = json_object_get(rec, "values"), *v;
	const char *metric;
	int ret = check_sample_numbers(c, rec, line);

	json_object_foreach(values, metric, v)
		if (!ret)
			ret = check_value(c, line, metric, v);
	return ret;
}

int rd_other_type(struct load_ctx *c, const char *type, size_t line)
{
	/* summaries are recomputed from the samples */
	return known_unused_type(type) ? 0 : unknown_type(c, type, line);
}
