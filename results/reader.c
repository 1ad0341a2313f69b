// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errname.h"
#include "escape.h"
#include "reader.h"
#include "reader_int.h"
#include "record.h"

void rs_format_size(long long bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int u = -1;

	while (bytes >= 1024 && bytes % 1024 == 0 && u < 3) {
		bytes /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%lld", bytes);
	else
		snprintf(buf, len, "%lld%c", bytes, units[u]);
}

/* "32M thp to-dev": values in recorded order, the size made readable. */
static char *params_label(json_t *params)
{
	char buf[256] = "", item[96];
	const char *k;
	json_t *v;
	size_t used = 0;

	json_object_foreach(params, k, v) {
		if (json_is_integer(v) && !strcmp(k, "size"))
			rs_format_size(json_integer_value(v), item, sizeof(item));
		else if (json_is_string(v))
			snprintf(item, sizeof(item), "%s", json_string_value(v));
		else if (json_is_integer(v))
			snprintf(item, sizeof(item), "%s=%lld", k,
				 (long long)json_integer_value(v));
		else
			snprintf(item, sizeof(item), "%s=?", k);
		used += snprintf(buf + used, sizeof(buf) - used, "%s%s",
				 used ? " " : "", item);
		if (used >= sizeof(buf))
			break;
	}
	return strdup(buf[0] ? buf : "-");
}

static char *params_key(json_t *params)
{
	return json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

struct rs_group *rs_find_group(struct rs_run *run, const char *bench,
			       const char *key, const char *metric)
{
	for (size_t i = 0; i < run->ngroups; i++) {
		struct rs_group *g = &run->groups[i];

		if (!strcmp(g->bench, bench) && !strcmp(g->metric, metric) &&
		    !strcmp(g->key, key))
			return g;
	}
	return NULL;
}

static struct rs_group *new_group(struct rs_run *run, const char *bench,
				  json_t *params, const char *key,
				  const char *metric)
{
	struct rs_group *g, *groups;

	groups = realloc(run->groups, (run->ngroups + 1) * sizeof(*groups));
	if (!groups)
		return NULL;
	run->groups = groups;
	g = &groups[run->ngroups];
	memset(g, 0, sizeof(*g));
	g->bench = strdup(bench);
	g->metric = strdup(metric);
	g->key = strdup(key);
	g->label = params_label(params);
	g->params = json_incref(params);
	run->ngroups++;
	if (!g->bench || !g->metric || !g->key || !g->label)
		return NULL;
	return g;
}

int rs_group_add(struct rs_group *g, const double *x, size_t n)
{
	if (g->n + n > g->cap) {
		size_t cap = (g->n + n) * 2;
		double *nx = realloc(g->x, cap * sizeof(*nx));

		if (!nx)
			return -1;
		g->x = nx;
		g->cap = cap;
	}
	memcpy(g->x + g->n, x, n * sizeof(*x));
	g->n += n;
	return 0;
}

/* Bench and params of a sample or unsupported record, checked. */
static int bench_params(struct load_ctx *c, json_t *rec, size_t line,
			const char **bench, json_t **params)
{
	*bench = json_string_value(json_object_get(rec, "bench"));
	*params = json_object_get(rec, "params");
	if (!*bench)
		return rd_bad(c, line, "record has no string \"bench\"");
	if (*params && !json_is_object(*params))
		return rd_bad(c, line, "\"params\" is not an object");
	return 0;
}

static void count_evidence(struct rs_group *g, json_t *rec)
{
	json_t *snap = json_object_get(rec, "snapshot");
	/* a fault sample: what the device held before the CPU faulted it back */
	if (!snap)
		snap = json_object_get(rec, "snapshot_before");
	json_t *whole = json_object_get(snap, "whole_pmds");
	json_t *att = json_object_get(rec, "pmds_attempted");
	json_t *split = json_object_get(rec, "pmds_split");
	json_t *faults = json_object_get(rec, "faults");
	json_t *back = json_object_get(rec, "pages_back");

	if (json_is_integer(whole)) {
		g->snap_samples++;
		if (json_integer_value(whole) > 0)
			g->pmd_samples++;
	}
	if (json_is_integer(att) && json_integer_value(att) > 0)
		g->pmds_attempted += json_integer_value(att);
	if (json_is_integer(split) && json_integer_value(split) > 0)
		g->pmds_split += json_integer_value(split);
	if (json_is_integer(faults) && json_is_integer(back) &&
	    json_integer_value(faults) >= 0 && json_integer_value(back) > 0) {
		g->faults += json_integer_value(faults);
		g->pages_back += json_integer_value(back);
	}
}

/* Latencies a sample lists one by one, or as histogram buckets. */
#define MAX_EXPANDED 10000000

static int add_latency(struct rs_group *g, json_t *rec)
{
	json_t *raw = json_object_get(rec, "latency_ns"), *v;
	json_t *buckets = json_object_get(json_object_get(rec, "latency_hist"), "buckets");
	size_t i;

	/* every number here was checked by rd_check_sample() */
	if (json_is_array(raw)) {
		json_array_foreach(raw, i, v) {
			double x = json_number_value(v);

			if (rs_group_add(g, &x, 1))
				return -1;
		}
		return 0;
	}
	/* [low, width, count]: each count stands at its bucket's middle */
	json_array_foreach(buckets, i, v) {
		double x = json_number_value(json_array_get(v, 0)) +
			   json_number_value(json_array_get(v, 1)) / 2;
		json_int_t k = json_integer_value(json_array_get(v, 2));

		while (k-- > 0 && g->n < MAX_EXPANDED)
			if (rs_group_add(g, &x, 1))
				return -1;
	}
	return 0;
}

static int has_latency(json_t *rec)
{
	return json_is_array(json_object_get(rec, "latency_ns")) ||
	       json_is_object(json_object_get(rec, "latency_hist"));
}

/* The group of @metric for this sample, created on first sight. */
static struct rs_group *sample_group(struct load_ctx *c, const char *bench,
				     json_t *params, const char *key,
				     const char *metric)
{
	struct rs_group *g = rs_find_group(c->run, bench, key, metric);

	return g ? g : new_group(c->run, bench, params, key, metric);
}

static int add_latencies(struct load_ctx *c, json_t *rec, size_t line,
			 const char *bench, json_t *params, const char *key,
			 int warmup)
{
	const char *metric = strcmp(bench, "fault") ? "latency" : "fault_latency";
	json_t *values = json_object_get(rec, "values");
	struct rs_group *g;

	if (!has_latency(rec) || json_object_get(values, metric))
		return 0;
	g = sample_group(c, bench, params, key, metric);
	if (g && warmup) {
		g->warmups++;
		return 0;
	}
	if (g)
		count_evidence(g, rec);
	if (!g || add_latency(g, rec)) {
		snprintf(c->err, c->errlen, "%s:%zu: out of memory", c->path, line);
		return -ENOMEM;
	}
	return 0;
}

static int add_sample(struct load_ctx *c, json_t *rec, size_t line)
{
	json_t *params, *values, *v, *empty = json_object();
	int warmup = json_is_true(json_object_get(rec, "warmup"));
	const char *bench, *metric;
	char *key = NULL;
	int ret;

	ret = bench_params(c, rec, line, &bench, &params);
	values = json_object_get(rec, "values");
	if (!ret && !json_is_object(values))
		ret = rd_bad(c, line, "sample has no \"values\" object");
	if (!ret)
		ret = rd_check_sample(c, rec, line);
	if (ret)
		goto out;
	if (!params)
		params = empty;
	key = params_key(params);
	json_object_foreach(values, metric, v) {
		struct rs_group *g;
		double x = json_number_value(v);

		g = sample_group(c, bench, params, key, metric);
		if (!g || (!warmup && rs_group_add(g, &x, 1))) {
			ret = -ENOMEM;
			snprintf(c->err, c->errlen, "%s:%zu: out of memory", c->path, line);
			break;
		}
		if (warmup)
			g->warmups++;
		else
			count_evidence(g, rec);
	}
	if (!ret)
		ret = add_latencies(c, rec, line, bench, params, key, warmup);
	if (!ret && !warmup)
		c->run->samples++;
out:
	free(key);
	json_decref(empty);
	return ret;
}

static int add_unsupported(struct load_ctx *c, json_t *rec, size_t line)
{
	struct rs_unsupported *u, *all;
	const char *bench, *cap, *why;
	json_t *params, *empty = json_object();
	int ret = bench_params(c, rec, line, &bench, &params);

	if (ret)
		goto out;
	if (!params)
		params = empty;
	cap = json_string_value(json_object_get(rec, "capability"));
	why = json_string_value(json_object_get(rec, "reason"));
	all = realloc(c->run->unsup, (c->run->nunsup + 1) * sizeof(*all));
	if (!all) {
		ret = -ENOMEM;
		goto out;
	}
	c->run->unsup = all;
	u = &all[c->run->nunsup++];
	u->bench = strdup(bench);
	u->capability = strdup(cap ? cap : "unknown capability");
	u->reason = strdup(why ? why : "no reason recorded");
	u->key = params_key(params);
	u->label = params_label(params);
	u->params = json_incref(params);
out:
	json_decref(empty);
	return ret;
}

int rs_stress_add(struct rs_run *run, const struct rs_stress *st)
{
	struct rs_stress *all = realloc(run->stress, (run->nstress + 1) * sizeof(*all));
	struct rs_stress *d;

	if (!all)
		return -1;
	run->stress = all;
	d = &all[run->nstress++];
	*d = *st;
	d->scenario = strdup(st->scenario);
	d->status = strdup(st->status);
	d->reason = strdup(st->reason);
	return d->scenario && d->status && d->reason ? 0 : -1;
}

static long long int_of(json_t *rec, const char *key)
{
	json_t *v = json_object_get(rec, key);

	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* {"exclusive": {"EFAULT": 2}, ...}: every failed call, summed. */
static long long count_errors(json_t *errors)
{
	long long n = 0;
	const char *k, *e;
	json_t *by, *v;

	json_object_foreach(errors, k, by)
		json_object_foreach(by, e, v)
			if (json_is_integer(v) && json_integer_value(v) > 0)
				n += json_integer_value(v);
	return n;
}

static int add_stress(struct load_ctx *c, json_t *rec, size_t line)
{
	const char *scenario = json_string_value(json_object_get(rec, "scenario"));
	const char *status = json_string_value(json_object_get(rec, "status"));
	const char *reason = json_string_value(json_object_get(rec, "reason"));
	struct rs_stress st = {
		(char *)scenario, (char *)status, (char *)(reason ? reason : ""),
		int_of(rec, "ops"), count_errors(json_object_get(rec, "errors")),
		int_of(rec, "integrity_errors"), int_of(rec, "kernel_reports"),
		int_of(rec, "hangs"),
	};
	int ret;

	if (!scenario || !status)
		return rd_bad(c, line, "stress record has no string \"scenario\" and \"status\"");
	if ((ret = rd_check_stress(c, rec, line)))
		return ret;
	if (rs_stress_add(c->run, &st)) {
		snprintf(c->err, c->errlen, "%s:%zu: out of memory", c->path, line);
		return -ENOMEM;
	}
	return 0;
}

static int visit(json_t *rec, size_t line, void *arg)
{
	struct load_ctx *c = arg;
	struct rs_run *run = c->run;
	const char *type, *status;

	if (rd_printable(rec)) {
		snprintf(c->err, c->errlen, "%s:%zu: out of memory", c->path, line);
		return -ENOMEM;
	}
	type = json_string_value(json_object_get(rec, "type"));
	run->records++;
	if (!strcmp(type, "meta")) {
		if (run->meta)
			return rd_bad(c, line, "a second \"meta\" record; one run per records.jsonl");
		run->meta = json_incref(rec);
		return 0;
	}
	/*
	 * Without it nothing says which kernel, host or settings the samples
	 * are of, and hmmbench writes it first: not one run's records.
	 */
	if (!run->meta)
		return rd_badf(c, line, "a \"%.40s\" record before any \"meta\" record: the kernel and "
			    "settings of these records are unknown (hmmbench writes \"meta\" on "
			    "line 1); restore that line, or move the file out of the results tree",
			    type);
	if (!strcmp(type, "sample"))
		return add_sample(c, rec, line);
	if (!strcmp(type, "unsupported"))
		return add_unsupported(c, rec, line);
	if (!strcmp(type, "stress"))
		return add_stress(c, rec, line);
	if (!strcmp(type, "end")) {
		status = json_string_value(json_object_get(rec, "status"));
		free(run->status);
		run->status = strdup(status ? status : "unknown");
		run->complete = status && !strcmp(status, "complete");
		return 0;
	}
	return rd_other_type(c, type, line);
}

/* The parent directory's name of @dir: the release in DIR/<release>/<run>. */
static char *parent_name(const char *dir)
{
	char *copy = strdup(dir), *slash, *name;

	if (!copy)
		return NULL;
	while ((slash = strrchr(copy, '/')) && slash[1] == '\0' && slash != copy)
		*slash = '\0';
	slash = strrchr(copy, '/');
	if (slash)
		*slash = '\0';
	name = strrchr(copy, '/');
	name = strdup(slash ? (name ? name + 1 : copy) : "unknown");
	free(copy);
	return name;
}

static void finish_run(struct rs_run *run)
{
	const char *rel = rs_meta_str(run, "kernel.release");
	const char *label = rs_meta_str(run, "kernel.label");
	char *dir = rel ? NULL : parent_name(run->dir);

	/* a directory name is not ours either */
	run->release = rel ? strdup(rel) : dir ? esc_term_dup(dir) : NULL;
	free(dir);
	run->kernel_label = label && *label ? strdup(label) : NULL;
	if (!run->status) {
		run->status = strdup("incomplete");
		snprintf(run->incomplete_why, sizeof(run->incomplete_why), "%s",
			 run->cut_off ? "last line cut off and no end record: the run died mid-way"
			 : run->records ? "no end record: the run died mid-way"
			 : "empty records file");
	} else if (!run->complete) {
		snprintf(run->incomplete_why, sizeof(run->incomplete_why),
			 "ended with status \"%s\"", run->status);
	}
}

int rs_load_file(const char *path, const char *dir, struct rs_run *run,
		 char *err, size_t errlen)
{
	struct load_ctx c = { run, path, err, errlen };
	struct stat st;
	int ret;

	memset(run, 0, sizeof(*run));
	run->path = strdup(path);
	run->dir = strdup(dir);
	ret = rec_read_file(path, visit, &c, err, errlen);
	if (ret == -ENODATA) {
		run->cut_off = 1;	/* keep what came before */
		ret = 0;
	}
	if (!ret && stat(path, &st) == 0) {
		run->dev = st.st_dev;
		run->ino = st.st_ino;
		run->size = st.st_size;
	}
	if (!ret)
		finish_run(run);
	if (!ret && (!run->path || !run->dir || !run->release || !run->status)) {
		snprintf(err, errlen, "%s: out of memory", path);
		ret = -ENOMEM;
	}
	if (ret)
		rs_run_free(run);
	return ret;
}

static int has_records(const char *dir, char *path, size_t len)
{
	struct stat st;

	snprintf(path, len, "%s/records.jsonl", dir);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int add_run(struct rs_set *set, const char *dir, const char *path,
		   char *err, size_t errlen)
{
	struct rs_run *runs = realloc(set->runs, (set->nruns + 1) * sizeof(*runs));
	int ret;

	if (!runs) {
		snprintf(err, errlen, "out of memory loading '%s'", path);
		return -ENOMEM;
	}
	set->runs = runs;
	ret = rs_load_file(path, dir, &runs[set->nruns], err, errlen);
	if (ret)
		return ret;
	for (size_t i = 0; i < set->nruns; i++) {
		char a[PATH_MAX], b[PATH_MAX];

		if (!rs_same_run(&runs[i], &runs[set->nruns]))
			continue;
		snprintf(err, errlen, "'%s' is the run '%s' again (the same records): its "
			 "samples would count twice; give each run once",
			 esc_term_buf(a, sizeof(a), path), esc_term_buf(b, sizeof(b), runs[i].path));
		rs_run_free(&runs[set->nruns]);
		return -EEXIST;
	}
	set->nruns++;
	return 0;
}

static int only_dirs(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Loads @dir if it is a run, else its subdirectories to @depth levels. */
static int scan(struct rs_set *set, const char *dir, int depth,
		char *err, size_t errlen)
{
	char path[PATH_MAX], sub[PATH_MAX];
	struct dirent **names;
	struct stat st;
	int n, ret = 0;

	if (has_records(dir, path, sizeof(path)))
		return add_run(set, dir, path, err, errlen);
	if (depth == 0)
		return 0;
	n = scandir(dir, &names, only_dirs, alphasort);
	if (n < 0)
		return 0;
	for (int i = 0; i < n; i++) {
		if (!ret && (size_t)snprintf(sub, sizeof(sub), "%s/%s", dir,
					     names[i]->d_name) < sizeof(sub) &&
		    stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			ret = scan(set, sub, depth - 1, err, errlen);
		free(names[i]);
	}
	free(names);
	return ret;
}

int rs_load_tree(const char *dir, struct rs_set *set, char *err, size_t errlen)
{
	size_t before = set->nruns;
	struct stat st;
	int ret;

	if (stat(dir, &st) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open results directory '%s': %s (%s)",
			 dir, errno_name(-ret), strerror(-ret));
		return ret;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen,
			 "'%s' is not a directory; give a results directory (the -o DIR of 'hmmbench run')",
			 dir);
		return -ENOTDIR;
	}
	ret = scan(set, dir, 2, err, errlen);
	if (!ret && set->nruns == before) {
		snprintf(err, errlen,
			 "no runs under '%s': expected %s/<kernel-release>/<run-id>/records.jsonl",
			 dir, dir);
		ret = -ENOENT;
	}
	return ret;
}

void rs_run_free(struct rs_run *run)
{
	for (size_t i = 0; i < run->ngroups; i++) {
		struct rs_group *g = &run->groups[i];

		free(g->bench);
		free(g->metric);
		free(g->key);
		free(g->label);
		free(g->x);
		json_decref(g->params);
	}
	for (size_t i = 0; i < run->nunsup; i++) {
		struct rs_unsupported *u = &run->unsup[i];

		free(u->bench);
		free(u->capability);
		free(u->reason);
		free(u->key);
		free(u->label);
		json_decref(u->params);
	}
	for (size_t i = 0; i < run->nstress; i++) {
		free(run->stress[i].scenario);
		free(run->stress[i].status);
		free(run->stress[i].reason);
	}
	for (size_t i = 0; i < run->nwarnings; i++)
		free(run->warnings[i]);
	free(run->warnings);
	free(run->stress);
	free(run->groups);
	free(run->unsup);
	free(run->dir);
	free(run->path);
	free(run->release);
	free(run->kernel_label);
	free(run->status);
	json_decref(run->meta);
	memset(run, 0, sizeof(*run));
}

void rs_set_free(struct rs_set *set)
{
	for (size_t i = 0; i < set->nruns; i++)
		rs_run_free(&set->runs[i]);
	free(set->runs);
	set->runs = NULL;
	set->nruns = 0;
}

static json_t *meta_get(const struct rs_run *run, const char *path)
{
	char buf[128], *tok, *save;
	json_t *v = run->meta;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && v; tok = strtok_r(NULL, ".", &save))
		v = json_object_get(v, tok);
	return v;
}

const char *rs_meta_str(const struct rs_run *run, const char *path)
{
	return json_string_value(meta_get(run, path));
}

long long rs_meta_int(const struct rs_run *run, const char *path)
{
	json_t *v = meta_get(run, path);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}
