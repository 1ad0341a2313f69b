// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "kcidb.h"
#include "ktap.h"
#include "record.h"

int kcidb_origin_ok(const char *origin)
{
	if (!origin || !*origin)
		return 0;
	for (const char *p = origin; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

/* @root's value at the dotted @path ("kernel.config.sha256"), or NULL. */
static json_t *at(json_t *root, const char *path)
{
	char key[64];

	while (root && *path) {
		size_t len = strcspn(path, ".");

		if (len >= sizeof(key))
			return NULL;
		memcpy(key, path, len);
		key[len] = '\0';
		root = json_object_get(root, key);
		path += len + (path[len] == '.');
	}
	return root;
}

static const char *str_at(json_t *root, const char *path)
{
	return json_string_value(at(root, path));
}

/* Sets @key to a copy of @v in @obj when @v is not NULL / JSON null. */
static void set_if(json_t *obj, const char *key, json_t *v)
{
	if (v && !json_is_null(v))
		json_object_set_new(obj, key, json_deep_copy(v));
}

static int is_hex(const char *s, size_t len)
{
	if (!s || strlen(s) != len)
		return 0;
	return strspn(s, "0123456789abcdef") == len;
}

/* "+patches:1a2b3c4d5e6f-..." from the first 12 hex digits of each patch. */
static void patches_tag(json_t *patches, char *buf, size_t len)
{
	size_t used = 0, i;
	json_t *p;

	buf[0] = '\0';
	json_array_foreach(patches, i, p) {
		const char *sha = str_at(p, "sha256");

		if (used < len)
			used += snprintf(buf + used, len - used, "%s%.12s",
					 i ? "-" : "+patches:", sha ? sha : "unknown");
	}
}

/* The checkout of @run: where its kernel's source came from. */
static json_t *checkout_of(const struct rs_run *run, const char *origin,
			   char *id, size_t idlen)
{
	json_t *k = at(run->meta, "kernel"), *src = at(k, "source");
	json_t *patches = at(k, "build.patches"), *c, *misc = json_object();
	const char *sid = str_at(src, "id"), *kind = str_at(src, "kind");
	char tag[256];

	patches_tag(patches, tag, sizeof(tag));
	if (sid)
		snprintf(id, idlen, "%s:%s%s", origin, sid, tag);
	else
		snprintf(id, idlen, "%s:release:%s%s", origin, run->release, tag);
	c = json_pack("{s:s, s:s, s:b}", "id", id, "origin", origin, "valid", 1);
	if (kind && !strcmp(kind, "git")) {
		const char *head = str_at(src, "head");

		if (is_hex(head, 40))
			json_object_set_new(c, "git_commit_hash", json_string(head));
		set_if(c, "git_commit_name", at(src, "describe"));
	} else if (kind && !strcmp(kind, "debian")) {
		json_object_set_new(c, "tree_name", json_string("debian"));
	}
	if (!json_array_size(patches) && at(k, "build.source"))
		json_object_set_new(c, "patchset_hash", json_string(""));
	set_if(misc, "source", src);
	set_if(misc, "patches", patches);
	if (!sid)
		json_object_set_new(misc, "source_unknown", json_string(
			str_at(src, "why") ? str_at(src, "why")
			: "the run's metadata names no kernel source (recorded before hmmbench kept it)"));
	json_object_set_new(c, "misc", misc);
	return c;
}

/* The build of @run: its checkout and its config. */
static json_t *build_of(const struct rs_run *run, const char *origin,
			const char *checkout_id, char *id, size_t idlen)
{
	json_t *k = at(run->meta, "kernel"), *b, *misc = json_object();
	const char *sha = str_at(k, "config.sha256");
	const char *inputs = str_at(k, "build.config_inputs.sha256");
	const char *arch = str_at(k, "machine");
	const char *describe = str_at(k, "build.config_inputs.describe");
	const char *flavour = str_at(k, "build.flavour");

	if (sha)
		snprintf(id, idlen, "%s:config:%s", checkout_id, sha);
	else if (inputs)
		snprintf(id, idlen, "%s:config-inputs:%s", checkout_id, inputs);
	else
		snprintf(id, idlen, "%s:config:unknown", checkout_id);
	b = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "origin", origin,
		      "checkout_id", checkout_id, "status", "PASS");
	if (arch && strspn(arch, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(arch))
		json_object_set_new(b, "architecture", json_string(arch));
	set_if(b, "compiler", at(k, "build.compiler"));
	if (describe)
		json_object_set_new(b, "config_name", json_pack("s++", describe,
			flavour && strcmp(flavour, "default") ? " " : "",
			flavour && strcmp(flavour, "default") ? flavour : ""));
	json_object_set_new(misc, "release", json_string(run->release));
	set_if(misc, "label", at(k, "label"));
	set_if(misc, "config", at(k, "config"));
	set_if(misc, "config_inputs", at(k, "build.config_inputs"));
	set_if(misc, "cache_key", at(k, "build.cache_key"));
	if (!sha)
		json_object_set_new(misc, "config_unknown", json_string(
			str_at(k, "config.why") ? str_at(k, "config.why")
			: "the run's metadata holds no config hash (recorded before hmmbench kept it)"));
	json_object_set_new(b, "misc", misc);
	return b;
}

/* "7.2.13/2026-...-smoke-59-box-123": the run directory, last two parts. */
static const char *run_name(const struct rs_run *run)
{
	const char *d = run->dir, *last = strrchr(d, '/'), *p;

	if (!last)
		return d;
	for (p = last - 1; p > d && *p != '/'; p--)
		;
	return *p == '/' ? p + 1 : p;
}

/* A KCIDB path component: [a-zA-Z0-9_-]+, anything else as '_'. */
static void path_clean(char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
			*s = '_';
}

/* Whatever every test of @run shares: build, origin, start, environment. */
static json_t *test_base(const struct rs_run *run, const char *origin,
			 const char *build_id)
{
	json_t *m = run->meta, *t, *env;
	const char *start = str_at(m, "start"), *host = str_at(m, "host");
	const char *cpu = str_at(m, "cpu.model");
	long long ncpu = json_integer_value(at(m, "cpu.count"));
	long long mem = json_integer_value(at(m, "memory_kib"));
	char comment[256];

	t = json_pack("{s:s, s:s}", "build_id", build_id, "origin", origin);
	if (start)
		json_object_set_new(t, "start_time", json_string(start));
	snprintf(comment, sizeof(comment), "host %s: %s, %lld CPUs, %lld MiB",
		 host ? host : "unknown", cpu ? cpu : "unknown CPU", ncpu, mem / 1024);
	env = json_pack("{s:s, s:{}}", "comment", comment, "misc");
	set_if(json_object_get(env, "misc"), "host", at(m, "host"));
	set_if(json_object_get(env, "misc"), "cpu", at(m, "cpu"));
	set_if(json_object_get(env, "misc"), "memory_kib", at(m, "memory_kib"));
	set_if(json_object_get(env, "misc"), "thp", at(m, "thp"));
	set_if(json_object_get(env, "misc"), "cmdline", at(m, "kernel.cmdline"));
	json_object_set_new(t, "environment", env);
	return t;
}

struct test_ctx {
	const struct rs_run *run;
	const char *origin, *build_id;
	json_t *tests;
};

static void add_test(struct test_ctx *c, const char *case_id, const char *status,
		     json_t *number, json_t *misc)
{
	json_t *t = test_base(c->run, c->origin, c->build_id);
	char id[512], path[300];

	snprintf(id, sizeof(id), "%s:%s:%s", c->origin, run_name(c->run), case_id);
	snprintf(path, sizeof(path), "hmmbench.%s", case_id);
	path_clean(path);
	json_object_set_new(t, "id", json_string(id));
	json_object_set_new(t, "path", json_string(path));
	json_object_set_new(t, "status", json_string(status));
	if (number)
		json_object_set_new(t, "number", number);
	json_object_set_new(misc, "run", json_string(run_name(c->run)));
	set_if(misc, "hmmbench", at(c->run->meta, "hmmbench"));
	json_object_set_new(t, "misc", misc);
	json_array_append_new(c->tests, t);
}

/* One test per summary record: the row hmmbench printed, as measured. */
static int visit_summary(json_t *rec, size_t line, void *arg)
{
	struct test_ctx *c = arg;
	const char *bench = str_at(rec, "bench"), *metric = str_at(rec, "metric");
	const char *unit = str_at(rec, "unit");
	json_t *stats = at(rec, "stats"), *median = at(stats, "median"), *number;
	char case_id[256];

	(void)line;
	if (strcmp(str_at(rec, "type") ? str_at(rec, "type") : "", "summary") ||
	    !bench || !metric || !json_is_number(median))
		return 0;
	ktap_case_id(bench, at(rec, "params"), metric, case_id, sizeof(case_id));
	number = json_pack("{s:f}", "value", json_number_value(median));
	if (unit && *unit)
		json_object_set_new(number, "unit", json_string(unit));
	add_test(c, case_id, "DONE", number, json_pack("{s:O*, s:O*, s:O*}", "stats", stats,
			"params", at(rec, "params"), "stop", at(rec, "stop")));
	return 0;
}

static const char *stress_status(const char *s)
{
	return !strcmp(s, "pass") ? "PASS" : !strcmp(s, "fail") ? "FAIL"
	     : !strcmp(s, "skip") ? "SKIP" : "ERROR";
}

static int run_tests(struct test_ctx *c, char *err, size_t errlen)
{
	const struct rs_run *run = c->run;
	char case_id[256];
	int ret;

	ret = rec_read_file(run->path, visit_summary, c, err, errlen);
	/* A run cut off mid-line still exports what came before (as compare reads it). */
	if (ret && !run->cut_off)
		return -1;
	for (size_t i = 0; i < run->nunsup; i++) {
		const struct rs_unsupported *u = &run->unsup[i];

		ktap_case_id(u->bench, u->params, "unsupported", case_id, sizeof(case_id));
		add_test(c, case_id, "SKIP", NULL, json_pack("{s:s, s:s}", "capability",
			 u->capability, "reason", u->reason));
	}
	for (size_t i = 0; i < run->nstress; i++) {
		const struct rs_stress *s = &run->stress[i];

		snprintf(case_id, sizeof(case_id), "stress.%s", s->scenario);
		add_test(c, case_id, stress_status(s->status), json_pack("{s:I, s:s}", "value",
			 (json_int_t)s->ops, "unit", "operations"),
			 json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "status", s->status,
				   "reason", s->reason, "errors", (json_int_t)s->errors,
				   "integrity_errors", (json_int_t)s->integrity_errors,
				   "kernel_reports", (json_int_t)s->kernel_reports,
				   "hangs", (json_int_t)s->hangs));
	}
	return 0;
}

/* Appends @obj to @list unless an object with its id is there already. */
static void add_unique(json_t *list, json_t *obj)
{
	const char *id = str_at(obj, "id");
	size_t i;
	json_t *o;

	json_array_foreach(list, i, o)
		if (!strcmp(str_at(o, "id"), id)) {
			json_decref(obj);
			return;
		}
	json_array_append_new(list, obj);
}

json_t *kcidb_export(const struct rs_set *set, const char *origin, char *err,
		     size_t errlen)
{
	json_t *doc = json_pack("{s:{s:i, s:i}, s:[], s:[], s:[]}", "version",
				"major", KCIDB_MAJOR, "minor", KCIDB_MINOR,
				"checkouts", "builds", "tests");

	for (size_t i = 0; i < set->nruns; i++) {
		const struct rs_run *run = &set->runs[i];
		char cid[512], bid[700];
		struct test_ctx c = { run, origin, bid, json_object_get(doc, "tests") };

		add_unique(json_object_get(doc, "checkouts"),
			   checkout_of(run, origin, cid, sizeof(cid)));
		add_unique(json_object_get(doc, "builds"),
			   build_of(run, origin, cid, bid, sizeof(bid)));
		if (run_tests(&c, err, errlen)) {
			json_decref(doc);
			return NULL;
		}
	}
	return doc;
}
