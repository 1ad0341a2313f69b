// SPDX-License-Identifier: GPL-2.0
/*
 * From a failed stress scenario to a standalone reproducer: the operation
 * logs up to the failure, the region's layout and what the failure was
 * become DIR/repro-SCENARIO/repro.json and repro.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "gitversion.h"
#include "integrity.h"
#include "meta.h"
#include "pagestate.h"
#include "repro.h"
#include "repro_console.h"
#include "stress_repro.h"

void stress_oplog_freeze(struct stress_shared *sh)
{
	if (atomic_exchange(&sh->oplog_frozen, 1))
		return;
	for (unsigned int t = 0; t < sh->nthreads; t++)
		sh->oplog_at_failure[t] = atomic_load(&oplog_of(&sh->oplog, t)->n);
}

static int add_thread_ops(struct repro *r, struct stress_shared *sh, unsigned int t)
{
	const struct oplog *log = oplog_of(&sh->oplog, t);
	uint64_t n = sh->oplog_at_failure[t], kept = oplog_kept(log, n);

	r->threads[t].per_round = kept;
	for (uint64_t i = 0; i < kept; i++) {
		const struct oplog_entry *e = oplog_get(log, n, i);
		struct repro_op op = { e->kind, e->flags & OPLOG_SOLO, e->first, e->npages, e->arg };

		if (repro_add_op(r, t, &op))
			return -ENOMEM;
	}
	return 0;
}

static const char *fail_kind(const struct stress_config *cfg, const struct stress_result *res)
{
	if (res->kernel_reports)
		return "kernel-report";
	if (res->hangs)
		return "hang";
	switch (atomic_load(&cfg->sh->failure_claimed) ? cfg->sh->failure.kind : FAIL_NONE) {
	case FAIL_INTEGRITY: return "integrity";
	case FAIL_SIGNAL: return "signal";
	case FAIL_HARNESS: return "harness";
	default: return res->status == STRESS_FAIL ? "other" : "none";
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static json_t *failure_json(const struct stress_config *cfg, const struct stress_result *res)
{
	json_t *f = json_object();

	json_object_set_new(f, "kind", json_string(fail_kind(cfg, res)));
	json_object_set_new(f, "summary", json_string(res->status == STRESS_FAIL ?
			    res->first_failure[0] ? res->first_failure : res->reason : "none"));
	if (res->report_kind[0])
		json_object_set_new(f, "report_kind", json_string(res->report_kind));
	if (res->report_file[0]) {
		char *text = slurp(res->report_file);

		if (text) {
			json_t *fns = repro_report_functions(text);
			char key[128];

			json_object_set_new(f, "report", json_string(text));
			if (repro_key_function(fns, key, sizeof(key)))
				json_object_set_new(f, "function", json_string(key));
			json_object_set_new(f, "functions", fns);
			free(text);
		}
	}
	if (res->in_flight[0])
		json_object_set_new(f, "in_flight", json_string(res->in_flight));
	return f;
}

static json_t *origin_json(const struct stress_config *cfg, const struct repro *r)
{
	struct utsname u;
	char when[32];

	uname(&u);
	meta_utc_now(when, sizeof(when));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:i, s:s}",
			 "kernel_release", u.release, "kernel_version", u.version,
			 "machine", u.machine, "command", cfg->command ? cfg->command : "",
			 "recorded_at", when, "recorded_ops", (json_int_t)repro_total_ops(r),
			 "recorded_threads", (int)r->nthreads, "hmmbench", HMMBENCH_GIT_COMMIT);
}

int stress_build_repro(const struct stress_config *cfg, const struct stress_result *res,
		       struct repro *r)
{
	struct stress_shared *sh = cfg->sh;

	repro_init(r);
	stress_oplog_freeze(sh);
	snprintf(r->scenario, sizeof(r->scenario), "%s", cfg->sc->name);
	r->seed = cfg->seed;
	r->nchunks = cfg->sc->chunks;
	for (unsigned int c = 0; c < r->nchunks && c < REPRO_MAX_CHUNKS; c++)
		r->thp[c] = stress_chunk_is_thp(cfg->seed, c);
	r->evict_on_close = cfg->sc->evict_on_close;
	r->serial_injection = cfg->sc->serial_injection;
	r->seconds = (unsigned int)((cfg->duration_ms + 999) / 1000);
	r->watchdog_s = (unsigned int)((cfg->watchdog_ms + 999) / 1000);
	r->nthreads = cfg->threads;
	r->threads = calloc(cfg->threads, sizeof(*r->threads));
	if (!r->threads)
		return -ENOMEM;
	for (unsigned int t = 0; t < cfg->threads; t++)
		if (add_thread_ops(r, sh, t))
			return -ENOMEM;
	r->failure = failure_json(cfg, res);
	r->origin = origin_json(cfg, r);
	return 0;
}

int stress_repro_from_seed(const struct stress_scenario *sc, unsigned int sc_index,
			   uint64_t seed, unsigned int threads, unsigned int nops,
			   struct repro *r)
{
	repro_init(r);
	snprintf(r->scenario, sizeof(r->scenario), "%s", sc->name);
	r->seed = seed;
	r->nchunks = sc->chunks;
	for (unsigned int c = 0; c < r->nchunks && c < REPRO_MAX_CHUNKS; c++)
		r->thp[c] = (uint8_t)stress_chunk_is_thp(seed, c);
	r->evict_on_close = sc->evict_on_close;
	r->serial_injection = sc->serial_injection;
	r->nthreads = threads;
	r->threads = calloc(threads, sizeof(*r->threads));
	if (!r->threads)
		return -ENOMEM;
	for (unsigned int t = 0; t < threads; t++) {
		struct stress_rng rng;

		stress_rng_init(&rng, seed, sc_index, t, 0);
		r->threads[t].per_round = nops;
		for (unsigned int i = 0; i < nops; i++) {
			struct stress_op op;
			struct repro_op ro;

			stress_next_op(&rng, sc->weights, sc->chunks, &op);
			stress_place_op(sc, r->thp, r->nchunks, &op);
			ro = (struct repro_op){ (uint8_t)op.kind,
						(uint8_t)stress_op_runs_solo(sc, op.kind),
						op.first, op.npages, op.arg };
			if (repro_add_op(r, t, &ro))
				return -ENOMEM;
		}
	}
	r->failure = json_pack("{s:s, s:s}", "kind", "none", "summary",
			       "drawn from the seed, not recorded from a run");
	r->origin = json_pack("{s:s, s:I, s:i, s:s}", "drawn_from", "seed",
			      "recorded_ops", (json_int_t)repro_total_ops(r),
			      "recorded_threads", (int)threads, "hmmbench", HMMBENCH_GIT_COMMIT);
	return 0;
}

int stress_write_repro(const struct stress_env *env, const struct stress_config *cfg,
		       struct stress_result *res)
{
	char dir[PATH_MAX + 80], path[PATH_MAX + 100], err[PATH_MAX + 160];
	struct repro r;
	int ret;

	if (cfg->write_repro == REPRO_NEVER ||
	    (cfg->write_repro == REPRO_ON_FAIL && res->status != STRESS_FAIL) ||
	    !cfg->sh || !cfg->sh->oplog.base)
		return 0;
	snprintf(dir, sizeof(dir), "%s/repro-%s", env->w->dir, cfg->sc->name);
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "hmmbench: cannot create %s: %s; no reproducer written\n",
			dir, strerror(errno));
		return -1;
	}
	ret = stress_build_repro(cfg, res, &r);
	if (!ret) {
		snprintf(path, sizeof(path), "%s/repro.json", dir);
		ret = repro_save(&r, path, err, sizeof(err));
	}
	if (!ret) {
		snprintf(path, sizeof(path), "%s/repro.c", dir);
		ret = repro_write_c_file(&r, path, err, sizeof(err));
	}
	if (ret) {
		fprintf(stderr, "hmmbench: no reproducer written: %s\n", ret == -ENOMEM ?
			"out of memory" : err);
	} else {
		fprintf(stderr, "hmmbench: reproducer of %s: %s (%zu operations in %u threads; build: gcc -static -pthread %s/repro.c; shrink: hmmbench repro minimize %s --kernel BZIMAGE)\n",
			cfg->sc->name, path, repro_total_ops(&r), r.nthreads, dir, dir);
		snprintf(res->repro_dir, sizeof(res->repro_dir), "%s", dir);
	}
	repro_free(&r);
	return ret ? -1 : 0;
}
