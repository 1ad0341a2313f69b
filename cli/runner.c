// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ktap.h"
#include "meta.h"
#include "runner_int.h"
#include "summary.h"

const char *row_prefix(const struct runner *r)
{
	return r->ktap ? "# " : "";
}

/*
 * A progress line needs a terminal that understands "\r\033[K": not a
 * pipe or file, not TERM=dumb (serial consoles, scripts/vm-run guests).
 */
static int progress_wanted(void)
{
	const char *term = getenv("TERM");

	return isatty(STDERR_FILENO) && term && *term && strcmp(term, "dumb");
}

/* One progress line on a terminal's stderr; nothing when it is not one. */
static void show_progress(void *arg, size_t n)
{
	struct runner *r = arg;
	double elapsed = (now_ns() - r->start_ns) / 1e9;
	double left = r->case_no > 1 ? elapsed / (r->case_no - 1) * (r->cases - r->case_no + 1) : 0;

	if (!r->tty)
		return;
	fprintf(stderr, "\r\033[K[%u/%u] %s: %zu samples, %.0fs elapsed", r->case_no,
		r->cases, r->label, n, elapsed);
	if (left > 0)
		fprintf(stderr, ", ~%.0fs left", left);
	fflush(stderr);
}

static void clear_progress(const struct runner *r)
{
	if (r->tty)
		fprintf(stderr, "\r\033[K");
}

/*
 * A case's result: its KTAP line, or in text mode the line that says why
 * it was skipped; and the first failure kept. A failed case does not end
 * the run: the others still measure (the driver error or data mismatch was
 * reported, the case is "not ok" in KTAP), and the run exits non-zero.
 */
static void case_done(struct runner *r, int ret, const char *skip)
{
	clear_progress(r);
	if (r->ktap)
		ktap_result(stdout, r->case_no, !ret, r->label, skip);
	else if (skip)
		printf("%-26s unsupported: %s\n", r->label, skip);
	fflush(stdout);
	if (ret && !r->first_err)
		r->first_err = ret;
}

void print_row(struct runner *r, const char *bench, json_t *params,
	       const char *metric, const char *label, const char *unit,
	       const double *x, size_t n, const char *note, enum stop_reason stop)
{
	struct sample_stats s;
	json_t *extra = json_pack("{s:s}", "stop", stop_reason_name(stop));
	char full[96];

	/* compare and report must be able to tell rounds from runs in a row. */
	if (r->interleaved)
		json_object_set_new(extra, "interleaved", json_true());

	if (summary_record(r->ctx.out, bench, params, metric, unit, x, n, extra, &s))
		return;
	snprintf(full, sizeof(full), "%s %s", stop_reason_short(stop), note ? note : "");
	summary_print_row(stdout, row_prefix(r), label, unit, &s, full);
	fflush(stdout);
}

/* 33554432 -> "32M", 524288 -> "512K". */
static const char *size_str(size_t size, char *buf, size_t len)
{
	if (size >= (1UL << 30) && !(size % (1UL << 30)))
		snprintf(buf, len, "%zuG", size >> 30);
	else if (size >= (1UL << 20) && !(size % (1UL << 20)))
		snprintf(buf, len, "%zuM", size >> 20);
	else
		snprintf(buf, len, "%zuK", size >> 10);
	return buf;
}

static unsigned int popcount(unsigned int x)
{
	return __builtin_popcount(x);
}

static unsigned int job_cases(const struct job *j)
{
	switch (j->bench) {
	case BENCH_MIGRATE: return j->nsizes * popcount(j->pages_mask);
	case BENCH_SPLIT: return j->nsizes * (j->fragmented ? j->npressure : popcount(j->dir_mask));
	case BENCH_FAULT: return j->nsizes * popcount(j->pages_mask) * j->nthreads;
	case BENCH_COPYCEIL: return j->nsizes;
	}
	return 0;
}

static void begin_phase(struct runner *r)
{
	show_progress(r, 0);
	json_decref(r->phase_counters);
	r->phase_counters = meta_counters();
	if (r->perf)
		perfctr_start(r->perf);
}

static void begin_case(struct runner *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void begin_case(struct runner *r, const char *fmt, ...)
{
	va_list ap;

	r->case_no++;
	va_start(ap, fmt);
	vsnprintf(r->label, sizeof(r->label), fmt, ap);
	va_end(ap);
	begin_phase(r);
}

/*
 * Every case is a measured phase: its THP and migration counter deltas
 * (and perf counters with --events) go into a "phase" record.
 */
static void end_phase(struct runner *r)
{
	json_t *rec = rec_new("phase"), *after = meta_counters();

	json_object_set_new(rec, "case", json_string(r->label));
	json_object_set_new(rec, "counters_delta", meta_counter_delta(r->phase_counters, after));
	if (r->perf)
		json_object_set_new(rec, "perf", perfctr_stop_read(r->perf));
	json_decref(after);
	rec_write(r->ctx.out, rec);
}

/* Prints @text line by line with the table's prefix. */
void print_prefixed(const struct runner *r, const char *text)
{
	const char *nl;

	for (; *text; text = nl + 1) {
		nl = strchr(text, '\n');
		if (!nl)
			nl = text + strlen(text) - 1;
		printf("%s%.*s\n", row_prefix(r), (int)(nl - text + (*nl != '\n')), text);
	}
}

/* Ends a case that ran on its own: its phase record, then its result. */
static void finish_case(struct runner *r, int ret, const char *skip)
{
	end_phase(r);
	case_done(r, ret, skip);
}

/*
 * interleave=true: the job's cases measure together, so one phase record
 * covers them all (their counters cannot be told apart); each case still
 * gets its own summary rows and KTAP result, when the job ends.
 */
static void run_migrate_rounds(struct runner *r, const struct job *j)
{
	struct migrate_job jobs[JOB_MAX_LIST * 2];
	struct migrate_result res[JOB_MAX_LIST * 2];
	int rets[JOB_MAX_LIST * 2];
	unsigned int n = 0, first = r->case_no;
	char sz[24];

	for (unsigned int s = 0; s < j->nsizes; s++)
		for (int m = 0; m < 2; m++)
			if (j->pages_mask & 1u << m)
				jobs[n++] = (struct migrate_job){ j->sizes[s], m, j->warmup, j->reps };
	r->case_no = first + 1;
	snprintf(r->label, sizeof(r->label), "migrate [%.40s] interleaved", j->name);
	begin_phase(r);
	bench_migrate_rounds(&r->ctx, jobs, n, res, rets);
	end_phase(r);
	r->case_no = first;
	r->interleaved = 1;
	for (unsigned int i = 0; i < n; i++) {
		/* Not begin_case(): the phase above already measured it. */
		r->case_no++;
		snprintf(r->label, sizeof(r->label), "migrate %s %s",
			 size_str(jobs[i].size, sz, sizeof(sz)), page_mode_name(jobs[i].mode));
		print_migrate_rows(r, j, jobs[i].size, jobs[i].mode, &res[i]);
		case_done(r, rets[i], NULL);
		migrate_result_free(&res[i]);
	}
	r->interleaved = 0;
}

static void run_job(struct runner *r, const struct job *j)
{
	const volatile sig_atomic_t *stop = r->ctx.stop;

	if (j->bench == BENCH_MIGRATE && j->interleave) {
		run_migrate_rounds(r, j);
		return;
	}

	for (unsigned int s = 0; s < j->nsizes && !*stop; s++) {
		size_t size = j->sizes[s];
		char sz[24];

		size_str(size, sz, sizeof(sz));
		for (int m = 0; m < 2 && !*stop && j->bench == BENCH_MIGRATE; m++) {
			if (!(j->pages_mask & 1u << m))
				continue;
			begin_case(r, "migrate %s %s", sz, page_mode_name(m));
			finish_case(r, run_migrate_case(r, j, size, m), NULL);
		}
		for (unsigned int l = 0; l < j->npressure && !*stop && j->bench == BENCH_SPLIT &&
		     j->fragmented; l++) {
			const char *skip = NULL;
			int ret;

			begin_case(r, "split %s %u%%", sz, j->pressure[l]);
			ret = run_split_real_case(r, size, j->pressure[l], &j->reps, &skip);
			finish_case(r, ret, skip);
		}
		for (int d = 0; d < NR_DIRS && !*stop && j->bench == BENCH_SPLIT && !j->fragmented; d++) {
			const char *skip = NULL;
			int ret;

			if (!(j->dir_mask & 1u << d))
				continue;
			begin_case(r, "split %s %s", sz, migrate_dir_name(d));
			ret = run_split_case(r, size, d, &j->reps, &skip);
			finish_case(r, ret, skip);
		}
		for (int m = 0; m < 2 && !*stop && j->bench == BENCH_FAULT; m++) {
			if (!(j->pages_mask & 1u << m))
				continue;
			for (unsigned int t = 0; t < j->nthreads && !*stop; t++) {
				begin_case(r, "fault %s %s T=%u", sz, page_mode_name(m), j->threads[t]);
				finish_case(r, run_fault_case(r, j, size, m, j->threads[t]), NULL);
			}
		}
		if (j->bench == BENCH_COPYCEIL) {
			begin_case(r, "copy %s", sz);
			finish_case(r, run_copyceil_case(r, j, size), NULL);
		}
	}
}

int run_jobs(struct hmm_dev *dev, struct rec_writer *w,
	     const struct job_list *jobs, const struct run_opts *o,
	     const volatile sig_atomic_t *stop)
{
	struct runner r = {
		.ctx = { .dev = dev, .out = w, .stop = stop, .seed = o->seed,
			 .on_sample = show_progress },
		.ktap = !strcmp(o->format, "ktap"),
		.start_ns = now_ns(),
		.tty = progress_wanted(),
	};
	r.ctx.on_sample_arg = &r;
	r.perf = o->perf;
	for (size_t i = 0; i < jobs->n; i++)
		r.cases += job_cases(&jobs->jobs[i]);
	if (r.ktap) {
		/* A case line per summary and per case, for CI monitors (LAVA). */
		ktap_cases_to(stdout);
		ktap_header(stdout, r.cases);
	}
	summary_print_header(stdout, row_prefix(&r));
	for (size_t i = 0; i < jobs->n && !*stop; i++)
		run_job(&r, &jobs->jobs[i]);
	summary_print_footer(stdout, row_prefix(&r));
	json_decref(r.phase_counters);
	if (r.have_ceiling)
		copyceil_result_free(&r.ceiling);
	return r.first_err;
}
