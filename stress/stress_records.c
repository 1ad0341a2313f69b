// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "errname.h"
#include "integrity.h"
#include "metrics.h"
#include "pagestate.h"
#include "repro_console.h"
#include "stress_records.h"
#include "summary.h"

/* What the stress records measure, for compare and report. */
static const struct metric_info stress_metrics[] = {
	{ "ops_per_s", "ops/s", BETTER_HIGHER, METRIC_THROUGHPUT, "stress operations per second" },
	{ NULL, NULL, 0, 0, NULL },
};
METRICS_REGISTER(stress_metrics)

void stress_totals(struct stress_shared *sh, uint64_t ops[OP_KIND_COUNT],
		   uint64_t *pages_verified)
{
	memset(ops, 0, sizeof(uint64_t) * OP_KIND_COUNT);
	*pages_verified = 0;
	for (unsigned int t = 0; t < sh->nthreads; t++) {
		for (int k = 0; k < OP_KIND_COUNT; k++)
			ops[k] += atomic_load(&sh->threads[t].ops[k]);
		*pages_verified += atomic_load(&sh->threads[t].pages_verified);
	}
}

static int grow(struct stress_windows *win)
{
	size_t cap = win->cap ? 2 * win->cap : 64;
	double *p = realloc(win->rate, cap * sizeof(double));

	if (!p)
		return -1;
	win->rate = p;
	for (int k = 0; k < OP_KIND_COUNT; k++) {
		p = realloc(win->kind_rate[k], cap * sizeof(double));
		if (!p)
			return -1;
		win->kind_rate[k] = p;
	}
	win->cap = cap;
	return 0;
}

void report_window(struct stress_env *env, const struct stress_config *cfg,
		   struct stress_windows *win, uint64_t now_ns)
{
	uint64_t ops[OP_KIND_COUNT], pages, total = 0;
	double secs = (now_ns - win->last_ns) / 1e9;
	json_t *r, *by_kind = json_object();

	stress_totals(cfg->sh, ops, &pages);
	if (win->n == win->cap && grow(win)) {
		json_decref(by_kind);
		return;
	}
	for (int k = 0; k < OP_KIND_COUNT; k++) {
		uint64_t d = ops[k] - win->last_ops[k];

		total += d;
		win->kind_rate[k][win->n] = d / secs;
		if (d)
			json_object_set_new(by_kind, stress_op_name(k), json_real(d / secs));
		win->last_ops[k] = ops[k];
	}
	win->rate[win->n] = total / secs;
	r = rec_new("sample");
	json_object_set_new(r, "bench", json_string("stress"));
	json_object_set_new(r, "params", json_pack("{s:s, s:I}", "scenario", cfg->sc->name,
						   "threads", (json_int_t)cfg->threads));
	json_object_set_new(r, "iter", json_integer((json_int_t)win->n));
	json_object_set_new(r, "ns", json_integer((json_int_t)(now_ns - win->last_ns)));
	json_object_set_new(r, "values", json_pack("{s:f}", "ops_per_s", total / secs));
	json_object_set_new(r, "ops_by_kind", by_kind);
	rec_write(env->w, r);
	win->n++;
	win->last_ns = now_ns;
}

void stress_windows_free(struct stress_windows *win)
{
	free(win->rate);
	for (int k = 0; k < OP_KIND_COUNT; k++)
		free(win->kind_rate[k]);
	memset(win, 0, sizeof(*win));
}

void report_summaries(struct stress_env *env, const struct stress_config *cfg,
		      struct stress_windows *win, struct stress_result *res)
{
	struct sample_stats s;

	if (!win->n)
		return;
	if (!summary_record(env->w, "stress", json_pack("{s:s, s:I}", "scenario", cfg->sc->name,
							"threads", (json_int_t)cfg->threads),
			    "ops_per_s", "ops/s", win->rate, win->n, NULL, &res->rate))
		res->have_rate = 1;
	for (int k = 0; k < OP_KIND_COUNT; k++) {
		if (!res->ops_by_kind[k])
			continue;
		summary_record(env->w, "stress", json_pack("{s:s, s:I, s:s}", "scenario",
							   cfg->sc->name, "threads",
							   (json_int_t)cfg->threads, "op",
							   stress_op_name(k)),
			       "ops_per_s", "ops/s", win->kind_rate[k], win->n, NULL, &s);
	}
}

/* The line that made it a report (the text may start with context). */
static const char *report_line(const char *text, char *buf, size_t len)
{
	const char *line = text;

	while (*line) {
		size_t n = strcspn(line, "\n");

		snprintf(buf, len, "%.*s", (int)n, line);
		if (kmsg_classify(buf) != KMSG_NONE)
			return buf;
		line += n + (line[n] == '\n');
	}
	snprintf(buf, len, "%.*s", (int)strcspn(text, "\n"), text);
	return buf;
}

void stress_in_flight(struct stress_shared *sh, char *buf, size_t len)
{
	uint64_t now = now_ns();
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int t = 0; t < sh->nthreads && used < len; t++) {
		struct stress_slot *s = &sh->threads[t].wd;
		uint64_t start = atomic_load(&s->start_ns);

		if (!start)
			continue;
		used += snprintf(buf + used, len - used, "%sthread %u (tid %d): %s pages %u+%u (op #%llu) for %llu ms",
				 used ? "; " : "", t, (int)atomic_load(&s->tid),
				 stress_op_name(atomic_load(&s->kind)),
				 atomic_load(&s->first), atomic_load(&s->npages),
				 (unsigned long long)atomic_load(&s->index),
				 (unsigned long long)((now - start) / 1000000));
	}
}

void report_kernel(struct stress_env *env, const struct stress_config *cfg,
		   struct stress_result *res)
{
	unsigned int n = env->kmsg ? kmsg_watch_count(env->kmsg) : 0;

	for (unsigned int i = env->kmsg_seen; i < n; i++) {
		struct kmsg_report kr;
		char path[PATH_MAX + 64], first[300];
		json_t *r;
		FILE *f;

		res->kernel_reports++;
		if (kmsg_watch_get(env->kmsg, i, 2000, &kr))
			continue;	/* beyond KMSG_MAX_REPORTS: counted only */
		snprintf(path, sizeof(path), "%s/kernel-report-%u.txt", env->w->dir, i + 1);
		f = fopen(path, "w");
		if (f) {
			fputs(kr.text, f);
			fclose(f);
		}
		report_line(kr.text, first, sizeof(first));
		if (!res->report_file[0]) {
			json_t *fns = repro_report_functions(kr.text);

			snprintf(res->report_kind, sizeof(res->report_kind), "%s", kmsg_kind_name(kr.kind));
			snprintf(res->report_file, sizeof(res->report_file), "%s", path);
			if (!repro_key_function(fns, res->report_function, sizeof(res->report_function)))
				res->report_function[0] = '\0';
			json_decref(fns);
			/*
			 * A lockup or stall stops the thread on the stuck CPU,
			 * so the watchdog may see the hang before the kernel-log
			 * thread, starved behind it, passes the report on. The
			 * report is the cause: it names the failure, and the
			 * hang stays in its own record and in the counts.
			 */
			if (!res->first_failure[0] || res->hangs)
				snprintf(res->first_failure, sizeof(res->first_failure),
					 "kernel %s in %s: %.120s", kmsg_kind_name(kr.kind),
					 cfg->sc->name, first);
		}
		fprintf(stderr, "hmmbench: kernel report (%s) during %s: %s\n  full text: %s\n%s%s%s",
			kmsg_kind_name(kr.kind), cfg->sc->name, first, path,
			res->in_flight[0] ? "  operations in flight when it was seen: " : "",
			res->in_flight, res->in_flight[0] ? "\n" : "");
		r = rec_new("kernel-report");
		json_object_set_new(r, "scenario", json_string(cfg->sc->name));
		json_object_set_new(r, "kind", json_string(kmsg_kind_name(kr.kind)));
		json_object_set_new(r, "first_line", json_string(first));
		json_object_set_new(r, "kernel_usec", json_integer((json_int_t)kr.usec));
		json_object_set_new(r, "text", json_string(kr.text));
		json_object_set_new(r, "file", json_string(path));
		json_object_set_new(r, "in_flight", json_string(res->in_flight));
		rec_write(env->w, r);
		free(kr.text);
	}
	env->kmsg_seen = n;
}

static json_t *op_json(const struct stress_op *op)
{
	char buf[96];

	return json_string(stress_op_str(op, buf, sizeof(buf)));
}

void report_failure(struct stress_env *env, const struct stress_config *cfg,
		    struct stress_result *res)
{
	struct stress_failure *f = &cfg->sh->failure;
	char hex[32], state[64] = "unknown", opstr[96];
	json_t *r;

	if (!atomic_load(&cfg->sh->failure_claimed) || f->kind == FAIL_NONE)
		return;
	r = rec_new(f->kind == FAIL_INTEGRITY ? "integrity-error" : "stress-failure");
	json_object_set_new(r, "scenario", json_string(cfg->sc->name));
	json_object_set_new(r, "thread", json_integer(f->thread));
	json_object_set_new(r, "op", op_json(&f->op));
	json_object_set_new(r, "message", json_string(f->message));
	if (f->kind == FAIL_INTEGRITY) {
		if (f->state_known)
			hmm_page_state_str(f->state, state, sizeof(state));
		json_object_set_new(r, "after", json_string(f->after));
#define HEX(v) (snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)(v)), json_string(hex))
		json_object_set_new(r, "address", HEX(f->addr));
		json_object_set_new(r, "page_address", HEX(f->page_addr));
		json_object_set_new(r, "expected", HEX(f->expected));
		json_object_set_new(r, "found", HEX(f->found));
#undef HEX
		json_object_set_new(r, "region_page", json_integer(f->page_index));
		json_object_set_new(r, "offset", json_integer(f->offset));
		json_object_set_new(r, "generation", json_integer(f->generation & STRESS_GEN_MASK));
		json_object_set_new(r, "zero_expected", json_boolean(f->generation & STRESS_GEN_ZERO));
		json_object_set_new(r, "page_state", json_string(state));
	} else if (f->kind == FAIL_SIGNAL) {
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)f->addr);
		json_object_set_new(r, "address", json_string(hex));
	}
	rec_write(env->w, r);
	if (f->kind == FAIL_INTEGRITY)
		snprintf(res->integrity, sizeof(res->integrity),
			 "region page %ld, byte offset %ld (address 0x%llx in page 0x%llx): expected 0x%016llx, found 0x%016llx; thread %d, %s, checked after %s; page state %s",
			 f->page_index, f->offset, (unsigned long long)f->addr,
			 (unsigned long long)f->page_addr, (unsigned long long)f->expected,
			 (unsigned long long)f->found, f->thread,
			 stress_op_str(&f->op, opstr, sizeof(opstr)), f->after, state);
	if (!res->first_failure[0])
		snprintf(res->first_failure, sizeof(res->first_failure), "%.160s in %s",
			 f->message, cfg->sc->name);
}

void report_hang(struct stress_env *env, const struct stress_config *cfg,
		 struct stress_result *res, const struct wd_hang *hang, pid_t pid)
{
	char path[PATH_MAX + 64], opstr[96];
	json_t *stacks, *r;
	int got;

	snprintf(path, sizeof(path), "%s/hang-%s-stacks.txt", env->w->dir, cfg->sc->name);
	got = wd_save_stacks(pid, path, &stacks);
	stress_op_str(&hang->op, opstr, sizeof(opstr));
	fprintf(stderr, "hmmbench: hang: thread %u (tid %d) has been inside operation #%llu (%.60s) for %.1f s, over the %.1f s watchdog limit; %d kernel stack(s) saved to %s\n",
		hang->thread, (int)hang->tid, (unsigned long long)hang->index, opstr,
		hang->elapsed_ns / 1e9, cfg->watchdog_ms / 1e3, got, path);
	res->hangs++;
	if (!res->hang[0])
		snprintf(res->hang, sizeof(res->hang),
			 "thread %u (tid %d) inside its operation %llu (%.60s) for %.1f s, over the %.1f s watchdog limit; %d kernel stack(s) in %.160s",
			 hang->thread, (int)hang->tid, (unsigned long long)hang->index, opstr,
			 hang->elapsed_ns / 1e9, cfg->watchdog_ms / 1e3, got, path);
	snprintf(res->first_failure, sizeof(res->first_failure),
		 "hang in %s: thread %u inside %s for %.1f s", cfg->sc->name, hang->thread,
		 stress_op_name(hang->op.kind), hang->elapsed_ns / 1e9);
	r = rec_new("hang");
	json_object_set_new(r, "scenario", json_string(cfg->sc->name));
	json_object_set_new(r, "thread", json_integer(hang->thread));
	json_object_set_new(r, "tid", json_integer(hang->tid));
	json_object_set_new(r, "op", op_json(&hang->op));
	json_object_set_new(r, "op_index", json_integer((json_int_t)hang->index));
	json_object_set_new(r, "elapsed_s", json_real(hang->elapsed_ns / 1e9));
	json_object_set_new(r, "limit_s", json_real(cfg->watchdog_ms / 1e3));
	json_object_set_new(r, "stacks_read", json_integer(got));
	json_object_set_new(r, "stacks", stacks);
	json_object_set_new(r, "file", json_string(path));
	rec_write(env->w, r);
}

/* {"migrate-to-dev": {"ENOENT": 12}} and the same as one printable line. */
static json_t *errors_json(struct stress_shared *sh, char *line, size_t len)
{
	json_t *all = json_object();
	size_t used = 0;

	line[0] = '\0';
	for (int k = 0; k < OP_KIND_COUNT; k++) {
		json_t *by_name = json_object();

		for (int e = 0; e < STRESS_ERRNO_SLOTS; e++) {
			uint64_t n = 0;
			const char *name = e ? errno_name(e) : "other";

			for (unsigned int t = 0; t < sh->nthreads; t++)
				n += atomic_load(&sh->threads[t].errors[k][e]);
			if (!n)
				continue;
			json_object_set_new(by_name, name, json_integer((json_int_t)n));
			if (used < len)
				used += snprintf(line + used, len - used, "%s%s %s %llu",
						 used ? ", " : "", stress_op_name(k), name,
						 (unsigned long long)n);
		}
		if (json_object_size(by_name))
			json_object_set_new(all, stress_op_name(k), by_name);
		else
			json_decref(by_name);
	}
	return all;
}

/* Device accesses skipped because a page stayed in system memory. */
static json_t *skipped_json(struct stress_shared *sh, char *line, size_t len)
{
	json_t *all = json_object();
	size_t used = strlen(line);

	for (int k = 0; k < OP_KIND_COUNT; k++) {
		uint64_t n = 0;

		for (unsigned int t = 0; t < sh->nthreads; t++)
			n += atomic_load(&sh->threads[t].skipped[k]);
		if (!n)
			continue;
		json_object_set_new(all, stress_op_name(k), json_integer((json_int_t)n));
		if (used < len)
			used += snprintf(line + used, len - used, "%s%s not-on-device %llu",
					 used ? ", " : "", stress_op_name(k), (unsigned long long)n);
	}
	return all;
}

/* Time inside each kind of operation: mean and longest, in ms. */
static json_t *op_times_json(struct stress_shared *sh)
{
	json_t *all = json_object();

	for (int k = 0; k < OP_KIND_COUNT; k++) {
		uint64_t n = 0, ns = 0, max = 0;

		for (unsigned int t = 0; t < sh->nthreads; t++) {
			n += atomic_load(&sh->threads[t].ops[k]);
			ns += atomic_load(&sh->threads[t].ns[k]);
			if (atomic_load(&sh->threads[t].max_ns[k]) > max)
				max = atomic_load(&sh->threads[t].max_ns[k]);
		}
		if (n)
			json_object_set_new(all, stress_op_name(k), json_pack("{s:f, s:f}",
					    "mean", ns / 1e6 / n, "max", max / 1e6));
	}
	return all;
}

static json_t *first_ops_json(const struct stress_config *cfg)
{
	json_t *all = json_array();

	for (unsigned int t = 0; t < cfg->threads; t++) {
		const struct stress_thread_stats *st = &cfg->sh->threads[t];
		json_t *ops = json_array();

		for (uint32_t i = 0; i < st->nfirst; i++)
			json_array_append_new(ops, op_json(&st->first[i]));
		json_array_append_new(all, ops);
	}
	return all;
}

void report_scenario(struct stress_env *env, const struct stress_config *cfg,
		     struct stress_result *res, const char *notes, json_t *counters_delta)
{
	json_t *r = rec_new("stress"), *by_kind = json_object();

	for (int k = 0; k < OP_KIND_COUNT; k++)
		if (res->ops_by_kind[k])
			json_object_set_new(by_kind, stress_op_name(k),
					    json_integer((json_int_t)res->ops_by_kind[k]));
	json_object_set_new(r, "scenario", json_string(cfg->sc->name));
	json_object_set_new(r, "describe", json_string(cfg->sc->describe));
	json_object_set_new(r, "status", json_string(stress_status_name(res->status)));
	if (res->reason[0])
		json_object_set_new(r, "reason", json_string(res->reason));
	json_object_set_new(r, "seed", json_integer((json_int_t)cfg->seed));
	if (!cfg->sh) {		/* skipped before anything ran */
		json_decref(by_kind);
		rec_write(env->w, r);
		return;
	}
	json_object_set_new(r, "threads", json_integer(cfg->threads));
	json_object_set_new(r, "duration_s", json_real(res->seconds));
	json_object_set_new(r, "ops", json_integer((json_int_t)res->ops));
	json_object_set_new(r, "ops_by_kind", by_kind);
	json_object_set_new(r, "op_ms", op_times_json(cfg->sh));
	json_object_set_new(r, "values", json_pack("{s:f}", "ops_per_s",
						   res->seconds > 0 ? res->ops / res->seconds : 0.0));
	json_object_set_new(r, "errors", errors_json(cfg->sh, res->errors, sizeof(res->errors)));
	json_object_set_new(r, "device_access_skipped",
			    skipped_json(cfg->sh, res->errors, sizeof(res->errors)));
	json_object_set_new(r, "pages_verified", json_integer((json_int_t)res->pages_verified));
	json_object_set_new(r, "integrity_errors", json_integer((json_int_t)res->integrity_errors));
	json_object_set_new(r, "kernel_reports", json_integer((json_int_t)res->kernel_reports));
	json_object_set_new(r, "kernel_log_watched", json_boolean(env->kmsg != NULL));
	json_object_set_new(r, "hangs", json_integer((json_int_t)res->hangs));
	json_object_set_new(r, "forks", json_integer((json_int_t)res->forks));
	json_object_set_new(r, "child_pages_left_on_device",
			    json_integer((json_int_t)atomic_load(&cfg->sh->child_pages_on_device)));
	json_object_set_new(r, "oom_kills", json_integer((json_int_t)res->oom_kills));
	json_object_set_new(r, "watchdog_s", json_real(cfg->watchdog_ms / 1e3));
	if (notes && *notes)
		json_object_set_new(r, "notes", json_string(notes));
	/* /proc/vmstat and THP split counters that moved: FAIL_ALLOC splits show here. */
	if (counters_delta)
		json_object_set(r, "counters_delta", counters_delta);
	json_object_set_new(r, "first_ops", first_ops_json(cfg));
	if (res->repro_dir[0])
		json_object_set_new(r, "repro", json_string(res->repro_dir));
	rec_write(env->w, r);
}

void report_skip(struct stress_env *env, const struct stress_config *cfg,
		 struct stress_result *res, const char *capability)
{
	json_t *r = rec_new("unsupported");

	json_object_set_new(r, "bench", json_string("stress"));
	json_object_set_new(r, "params", json_pack("{s:s}", "scenario", cfg->sc->name));
	json_object_set_new(r, "capability", json_string(capability));
	json_object_set_new(r, "reason", json_string(res->reason));
	rec_write(env->w, r);
}
