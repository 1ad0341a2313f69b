// SPDX-License-Identifier: GPL-2.0
/* Job files: INI (inih) into struct job, with errors naming file, line and key. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "job_int.h"
#include "migrate.h"
#include "parse.h"

struct parse_state {
	struct job_list *out;
	struct job global;
	struct job *cur;	/* NULL before the first section */
	int in_global;
	char section[64];	/* the section entries currently belong to */
	char msg[256];		/* the first error, without file:line */
};

void job_defaults(struct job *j)
{
	memset(j, 0, sizeof(*j));
	j->bench = BENCH_MIGRATE;
	snprintf(j->backend, sizeof(j->backend), "test_hmm");
	j->sizes[0] = 32UL << 20;
	j->nsizes = 1;
	j->pages_mask = 1u << PAGES_THP | 1u << PAGES_4K;
	j->dir_mask = 1u << TO_DEV | 1u << TO_SYS;
	j->threads[0] = 1;
	j->nthreads = 1;
	j->stride = 16;
	j->warmup = 1;
	memcpy(j->pressure, (unsigned int[]){ 0, 50, 90, 100 }, 4 * sizeof(j->pressure[0]));
	j->npressure = 4;
	j->reps = (struct reps){ .min_samples = 5, .max_samples = 50,
				 .target_ci = 0.02, .max_time_s = 30 };
}

static int set_bench(const char *v, struct job *j)
{
	static const char *const names[] = { "migrate", "split", "fault", "copyceil" };

	for (unsigned int i = 0; i < 4; i++)
		if (!strcmp(v, names[i])) {
			j->bench = i;
			return 0;
		}
	return -1;
}

static int set_key(struct job *j, const char *key, const char *v, const char **hint)
{
	if (!strcmp(key, "bench")) {
		*hint = "one of migrate, split, fault, copyceil";
		return set_bench(v, j);
	}
	if (!strcmp(key, "backend")) {
		*hint = "a backend name, e.g. test_hmm";
		return snprintf(j->backend, sizeof(j->backend), "%s", v) >= (int)sizeof(j->backend);
	}
	if (!strcmp(key, "device")) {
		*hint = "a device path";
		return snprintf(j->device, sizeof(j->device), "%s", v) >= (int)sizeof(j->device);
	}
	if (!strcmp(key, "sizes") || !strcmp(key, "size")) {
		*hint = "4 KiB multiples like 512K,2M,16M or a range 2M-64M";
		j->nsizes = 0;
		return strchr(v, '-') && !strchr(v, ',') ? job_parse_size_range(v, j)
							 : job_for_each_item(v, job_add_size, j);
	}
	if (!strcmp(key, "pages")) {
		*hint = "thp, 4k, or thp,4k";
		j->pages_mask = 0;
		return job_for_each_item(v, job_add_pages, j);
	}
	if (!strcmp(key, "direction")) {
		*hint = "to-dev, to-sys or roundtrip";
		j->dir_mask = 0;
		return job_for_each_item(v, job_add_direction, j);
	}
	if (!strcmp(key, "threads")) {
		*hint = "a list of thread counts like 1,2,4";
		j->nthreads = 0;
		return job_for_each_item(v, job_add_threads, j);
	}
	if (!strcmp(key, "access")) {
		*hint = "read or write";
		if (!strcmp(v, "read") || !strcmp(v, "write")) {
			j->access = !strcmp(v, "write") ? ACCESS_WRITE : ACCESS_READ;
			return 0;
		}
		return -1;
	}
	if (!strcmp(key, "pattern")) {
		*hint = "seq, random or strided";
		if (!strcmp(v, "seq"))
			j->pattern = PATTERN_SEQ;
		else if (!strcmp(v, "random"))
			j->pattern = PATTERN_RANDOM;
		else if (!strcmp(v, "strided"))
			j->pattern = PATTERN_STRIDED;
		else
			return -1;
		return 0;
	}
	if (!strcmp(key, "stride")) {
		unsigned int s;

		*hint = "pages between accesses, 1..4096";
		if (job_parse_uint(v, 4096, &s) || !s)
			return -1;
		j->stride = s;
		return 0;
	}
	if (!strcmp(key, "ranges")) {
		*hint = "disjoint or overlap";
		if (strcmp(v, "disjoint") && strcmp(v, "overlap"))
			return -1;
		j->overlap = !strcmp(v, "overlap");
		return 0;
	}
	if (!strcmp(key, "failure")) {
		*hint = "injected, fragmented or none";
		if (strcmp(v, "injected") && strcmp(v, "fragmented") && strcmp(v, "none"))
			return -1;
		j->inject = !strcmp(v, "injected");
		j->fragmented = !strcmp(v, "fragmented");
		return 0;
	}
	if (!strcmp(key, "pressure")) {
		*hint = "percentages of the free 2 MiB blocks, 0..100, like 0,50,90,100";
		j->npressure = 0;
		return job_for_each_item(v, job_add_pressure, j) || !j->npressure;
	}
	if (!strcmp(key, "warmup")) {
		*hint = "a number of unrecorded iterations, 0..100";
		return job_parse_uint(v, 100, &j->warmup);
	}
	if (!strcmp(key, "interleave")) {
		*hint = "true, false, 1 or 0";
		if (parse_bool(v, &j->interleave))
			return -1;
		/* Caught here when bench= came first, for the line number. */
		*hint = "interleave=false; only bench=migrate interleaves its cases";
		return j->interleave && j->bench != BENCH_MIGRATE;
	}
	if (!strcmp(key, "repetitions")) {
		*hint = "a fixed number of samples, 1..100000 (turns adaptation off)";
		return job_parse_uint(v, 100000, &j->reps.fixed) || !j->reps.fixed;
	}
	if (!strcmp(key, "min_samples")) {
		*hint = "at least 2";
		return job_parse_uint(v, 100000, &j->reps.min_samples) || j->reps.min_samples < 2;
	}
	if (!strcmp(key, "max_samples")) {
		*hint = "at least 2";
		return job_parse_uint(v, 100000, &j->reps.max_samples) || j->reps.max_samples < 2;
	}
	if (!strcmp(key, "target_ci")) {
		*hint = "a fraction like 2% or 0.02";
		return parse_fraction(v, &j->reps.target_ci);
	}
	if (!strcmp(key, "max_time")) {
		*hint = "a duration like 30s, 2m";
		return parse_duration(v, &j->reps.max_time_s) || j->reps.max_time_s <= 0;
	}
	*hint = NULL;
	return -1;
}

static int on_entry(void *user, const char *section, const char *key,
		    const char *value)
{
	struct parse_state *st = user;
	const char *hint = NULL;
	struct job *j;

	if (st->msg[0])
		return 0;	/* report the first error only */
	if (!*section) {
		snprintf(st->msg, sizeof(st->msg), "key '%s' before any [section]", key);
		return 0;
	}
	if (strcmp(section, st->section)) {	/* entering a new section */
		snprintf(st->section, sizeof(st->section), "%s", section);
		if (!strcmp(section, "global")) {
			st->in_global = 1;
			return key ? on_entry(user, section, key, value) : 1;
		}
		j = realloc(st->out->jobs, (st->out->n + 1) * sizeof(*j));
		if (!j) {
			snprintf(st->msg, sizeof(st->msg), "out of memory");
			return 0;
		}
		st->out->jobs = j;
		st->cur = &j[st->out->n++];
		*st->cur = st->global;
		snprintf(st->cur->name, sizeof(st->cur->name), "%s", section);
		st->in_global = 0;
	}
	if (!key)		/* inih built to announce sections */
		return 1;
	j = st->in_global ? &st->global : st->cur;
	if (set_key(j, key, value, &hint) == 0)
		return 1;
	if (!hint)
		snprintf(st->msg, sizeof(st->msg), "unknown key '%s' in [%s]", key, section);
	else
		snprintf(st->msg, sizeof(st->msg), "key '%s': bad value '%s'; expected %s",
			 key, value, hint);
	return 0;
}

static int check_jobs(struct job_list *l, const char *name, char *err, size_t errlen)
{
	for (size_t i = 0; i < l->n; i++) {
		struct job *j = &l->jobs[i];

		if (!j->reps.fixed && j->reps.min_samples > j->reps.max_samples) {
			snprintf(err, errlen, "%s: [%s]: min_samples %u is above max_samples %u",
				 name, j->name, j->reps.min_samples, j->reps.max_samples);
			return -1;
		}
		if (j->interleave && j->bench != BENCH_MIGRATE) {
			snprintf(err, errlen, "%s: [%s]: key 'interleave': only bench=migrate interleaves its cases, this job is bench=%s; drop interleave=true",
				 name, j->name, bench_kind_name(j->bench));
			return -1;
		}
		if (!j->pages_mask || !j->dir_mask) {
			snprintf(err, errlen, "%s: [%s]: pages and direction must name at least one value",
				 name, j->name);
			return -1;
		}
	}
	if (!l->n) {
		snprintf(err, errlen, "%s: no job sections; add one like [my-job] with bench=migrate", name);
		return -1;
	}
	return 0;
}

static int finish_parse(int line, struct parse_state *st, const char *name,
			struct job_list *out, char *err, size_t errlen)
{
	if (line == -1)
		snprintf(err, errlen, "%s: cannot open job file: %s", name, strerror(errno));
	else if (line > 0 && st->msg[0])
		snprintf(err, errlen, "%s:%d: %s", name, line, st->msg);
	else if (line > 0)
		snprintf(err, errlen, "%s:%d: not INI syntax; expected [section] or key=value", name, line);
	if (line || check_jobs(out, name, err, errlen)) {
		job_list_free(out);
		return -1;
	}
	return 0;
}

int job_parse_file(const char *path, struct job_list *out, char *err, size_t errlen)
{
	struct parse_state st = { .out = out };

	memset(out, 0, sizeof(*out));
	job_defaults(&st.global);
	return finish_parse(ini_parse(path, on_entry, &st), &st, path, out, err, errlen);
}

int job_parse_string(const char *name, const char *text, struct job_list *out,
		     char *err, size_t errlen)
{
	struct parse_state st = { .out = out };

	memset(out, 0, sizeof(*out));
	job_defaults(&st.global);
	return finish_parse(ini_parse_string(text, on_entry, &st), &st, name, out, err, errlen);
}

void job_list_free(struct job_list *l)
{
	free(l->jobs);
	l->jobs = NULL;
	l->n = 0;
}

const char *bench_kind_name(enum bench_kind k)
{
	static const char *const names[] = { "migrate", "split", "fault", "copyceil" };

	return names[k];
}
