// SPDX-License-Identifier: GPL-2.0
/*
 * repro.json: the reproducer's model. Operations are kept as short
 * strings ("mprotect 4096+1024 0x5e1f solo") so the file stays readable
 * and a 100 000-operation recording stays a few megabytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagestate.h"
#include "repro.h"
#include "stress.h"

void repro_init(struct repro *r)
{
	memset(r, 0, sizeof(*r));
	r->seconds = 60;
	r->watchdog_s = 60;
	r->page_checks = 1;
}

void repro_free(struct repro *r)
{
	for (unsigned int t = 0; t < r->nthreads; t++)
		free(r->threads[t].ops);
	free(r->threads);
	json_decref(r->failure);
	json_decref(r->origin);
	json_decref(r->steps);
	json_decref(r->written);
	repro_init(r);
}

int repro_copy(struct repro *dst, const struct repro *src)
{
	*dst = *src;
	dst->threads = calloc(src->nthreads ? src->nthreads : 1, sizeof(*dst->threads));
	if (!dst->threads)
		return -ENOMEM;
	for (unsigned int t = 0; t < src->nthreads; t++) {
		const struct repro_thread *s = &src->threads[t];
		struct repro_thread *d = &dst->threads[t];

		*d = *s;
		d->cap = s->n ? s->n : 1;
		d->ops = malloc(d->cap * sizeof(*d->ops));
		if (!d->ops) {
			dst->nthreads = t;
			repro_free(dst);
			return -ENOMEM;
		}
		memcpy(d->ops, s->ops, s->n * sizeof(*d->ops));
	}
	dst->failure = json_deep_copy(src->failure);
	dst->origin = json_deep_copy(src->origin);
	dst->steps = json_deep_copy(src->steps);
	dst->written = json_deep_copy(src->written);
	return 0;
}

int repro_add_op(struct repro *r, unsigned int t, const struct repro_op *op)
{
	struct repro_thread *th = &r->threads[t];

	if (th->n == th->cap) {
		size_t cap = th->cap ? 2 * th->cap : 256;
		struct repro_op *p = realloc(th->ops, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		th->ops = p;
		th->cap = cap;
	}
	th->ops[th->n++] = *op;
	return 0;
}

const char *repro_minimized_from(const struct repro *r)
{
	return json_string_value(json_object_get(json_array_get(r->steps, 0), "before"));
}

size_t repro_total_ops(const struct repro *r)
{
	size_t n = 0;

	for (unsigned int t = 0; t < r->nthreads; t++)
		n += r->threads[t].n;
	return n;
}

void repro_tidy(struct repro *r)
{
	size_t npages = (size_t)r->nchunks * PAGES_PER_PMD;
	unsigned int kept = 0;

	for (unsigned int t = 0; t < r->nthreads; t++) {
		struct repro_thread *th = &r->threads[t];
		size_t n = 0;

		for (size_t i = 0; i < th->n; i++) {
			struct repro_op op = th->ops[i];

			if (op.first >= npages || !op.npages)
				continue;
			if (op.first + op.npages > npages)
				op.npages = (uint32_t)(npages - op.first);
			th->ops[n++] = op;
		}
		th->n = n;
		if (!n) {
			free(th->ops);
			continue;
		}
		r->threads[kept++] = *th;
	}
	r->nthreads = kept;
}

char *repro_op_str(const struct repro_op *op, char *buf, size_t len)
{
	snprintf(buf, len, "%s %" PRIu32 "+%" PRIu32 " 0x%" PRIx64 "%s",
		 stress_op_name(op->kind), op->first, op->npages, op->arg,
		 op->solo ? " solo" : "");
	return buf;
}

int repro_op_parse(const char *s, struct repro_op *op)
{
	char name[32], solo[8] = "";
	unsigned long long arg;
	unsigned int first, npages;
	int n;

	memset(op, 0, sizeof(*op));
	n = sscanf(s, "%31s %u+%u 0x%llx %7s", name, &first, &npages, &arg, solo);
	if (n < 4 || (n == 5 && strcmp(solo, "solo")) || !npages ||
	    npages > 2 * PAGES_PER_PMD)
		return -EINVAL;
	for (unsigned int k = 0; k < OP_KIND_COUNT; k++) {
		if (strcmp(name, stress_op_name(k)))
			continue;
		op->kind = (uint8_t)k;
		op->first = first;
		op->npages = npages;
		op->arg = arg;
		op->solo = n == 5;
		return 0;
	}
	return -EINVAL;
}

static json_t *thread_json(const struct repro_thread *th)
{
	json_t *ops = json_array();
	char buf[96];

	for (size_t i = 0; i < th->n; i++)
		json_array_append_new(ops, json_string(repro_op_str(&th->ops[i], buf, sizeof(buf))));
	return json_pack("{s:I, s:o}", "per_round", (json_int_t)th->per_round, "ops", ops);
}

json_t *repro_to_json(const struct repro *r)
{
	json_t *j = json_object(), *thp = json_array(), *threads = json_array();
	char seed[24];

	snprintf(seed, sizeof(seed), "%" PRIu64, r->seed);
	for (unsigned int c = 0; c < r->nchunks; c++)
		json_array_append_new(thp, json_integer(r->thp[c]));
	for (unsigned int t = 0; t < r->nthreads; t++)
		json_array_append_new(threads, thread_json(&r->threads[t]));
	json_object_set_new(j, "schema", json_string(REPRO_SCHEMA));
	json_object_set_new(j, "scenario", json_string(r->scenario));
	/* A string: seeds use all 64 bits, JSON readers only 53. */
	json_object_set_new(j, "seed", json_string(seed));
	json_object_set_new(j, "chunks", json_integer(r->nchunks));
	json_object_set_new(j, "thp", thp);
	json_object_set_new(j, "evict_on_close", json_boolean(r->evict_on_close));
	if (r->keep_open)	/* set by hand; stress never records it */
		json_object_set_new(j, "keep_open", json_true());
	json_object_set_new(j, "serial_injection", json_boolean(r->serial_injection));
	json_object_set_new(j, "page_checks", json_boolean(r->page_checks));
	json_object_set_new(j, "seconds", json_integer(r->seconds));
	json_object_set_new(j, "watchdog_s", json_integer(r->watchdog_s));
	json_object_set_new(j, "ops_total", json_integer((json_int_t)repro_total_ops(r)));
	if (r->failure)
		json_object_set(j, "failure", r->failure);
	if (r->origin)
		json_object_set(j, "origin", r->origin);
	if (r->written)	/* set by hand; stress never writes it */
		json_object_set(j, "written", r->written);
	if (r->steps)
		json_object_set(j, "minimize_steps", r->steps);
	json_object_set_new(j, "threads", threads);
	return j;
}

static int load_threads(json_t *arr, struct repro *r, char *err, size_t len)
{
	size_t t;
	json_t *th;

	if (!json_is_array(arr) || !json_array_size(arr) ||
	    json_array_size(arr) > REPRO_MAX_THREADS) {
		snprintf(err, len, "\"threads\" must be an array of 1 to %d threads", REPRO_MAX_THREADS);
		return -1;
	}
	r->threads = calloc(json_array_size(arr), sizeof(*r->threads));
	if (!r->threads) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	json_array_foreach(arr, t, th) {
		json_t *ops = json_object_get(th, "ops"), *op;
		size_t i;

		r->nthreads = (unsigned int)t + 1;
		r->threads[t].per_round = json_integer_value(json_object_get(th, "per_round"));
		if (!json_is_array(ops)) {
			snprintf(err, len, "thread %zu has no \"ops\" array", t);
			return -1;
		}
		json_array_foreach(ops, i, op) {
			struct repro_op o;

			if (!json_is_string(op) || repro_op_parse(json_string_value(op), &o)) {
				snprintf(err, len, "thread %zu operation %zu is not like \"migrate-to-dev 512+512 0x1f\"", t, i);
				return -1;
			}
			if (repro_add_op(r, (unsigned int)t, &o)) {
				snprintf(err, len, "out of memory");
				return -1;
			}
		}
	}
	return 0;
}

int repro_from_json(json_t *j, struct repro *r, char *err, size_t len)
{
	const char *schema = json_string_value(json_object_get(j, "schema"));
	const char *seed = json_string_value(json_object_get(j, "seed"));
	json_t *thp = json_object_get(j, "thp");
	json_int_t chunks = json_integer_value(json_object_get(j, "chunks"));

	repro_init(r);
	if (!schema || strcmp(schema, REPRO_SCHEMA)) {
		snprintf(err, len, "not a reproducer model (schema \"%s\", expected \"%s\")",
			 schema ? schema : "none", REPRO_SCHEMA);
		return -1;
	}
	if (chunks < 1 || chunks > REPRO_MAX_CHUNKS || !json_is_array(thp) ||
	    json_array_size(thp) != (size_t)chunks) {
		snprintf(err, len, "\"chunks\" must be 1 to %d with one \"thp\" entry each",
			 REPRO_MAX_CHUNKS);
		return -1;
	}
	snprintf(r->scenario, sizeof(r->scenario), "%s",
		 json_string_value(json_object_get(j, "scenario")) ?: "unknown");
	r->seed = seed ? strtoull(seed, NULL, 0) : 0;
	r->nchunks = (unsigned int)chunks;
	for (unsigned int c = 0; c < r->nchunks; c++)
		r->thp[c] = json_integer_value(json_array_get(thp, c)) != 0;
	r->evict_on_close = json_is_true(json_object_get(j, "evict_on_close"));
	r->keep_open = json_is_true(json_object_get(j, "keep_open"));
	r->serial_injection = json_is_true(json_object_get(j, "serial_injection"));
	r->page_checks = !json_is_false(json_object_get(j, "page_checks"));
	if (json_integer_value(json_object_get(j, "seconds")) > 0)
		r->seconds = (unsigned int)json_integer_value(json_object_get(j, "seconds"));
	if (json_integer_value(json_object_get(j, "watchdog_s")) > 0)
		r->watchdog_s = (unsigned int)json_integer_value(json_object_get(j, "watchdog_s"));
	r->failure = json_incref(json_object_get(j, "failure"));
	r->origin = json_incref(json_object_get(j, "origin"));
	r->steps = json_incref(json_object_get(j, "minimize_steps"));
	r->written = json_object_get(j, "written");
	if (r->written && !json_is_string(r->written)) {
		r->written = NULL;
		repro_free(r);
		snprintf(err, len, "\"written\" must be a string: who wrote the operations by hand, and why");
		return -1;
	}
	json_incref(r->written);
	if (load_threads(json_object_get(j, "threads"), r, err, len)) {
		repro_free(r);
		return -1;
	}
	return 0;
}

int repro_save(const struct repro *r, const char *path, char *err, size_t len)
{
	json_t *j = repro_to_json(r);
	int ret = json_dump_file(j, path, JSON_INDENT(1) | JSON_PRESERVE_ORDER);

	json_decref(j);
	if (ret)
		snprintf(err, len, "cannot write %s: %s", path, strerror(errno));
	return ret ? -1 : 0;
}

int repro_load(const char *path, struct repro *r, char *err, size_t len)
{
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);
	int ret;

	if (!j) {
		snprintf(err, len, "cannot read %s: %s (line %d)", path, je.text, je.line);
		return -1;
	}
	ret = repro_from_json(j, r, err, len);
	json_decref(j);
	return ret;
}
