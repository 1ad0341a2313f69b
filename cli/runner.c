// SPDX-License-Identifier: GPL-2.0
/*
 * The job runner: a loop over jobs and their cases that knows no
 * benchmark. Each case is a measured phase (counter deltas, perf counters
 * into a "phase" record), a progress line on a terminal, and a KTAP
 * result; the benchmark behind the job (bench_ops) measures it, writes
 * its records and prints its rows.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_ops.h"
#include "ktap.h"
#include "meta.h"
#include "perfctr.h"
#include "runner.h"
#include "summary.h"

struct runner {
	struct bench_ctx ctx;
	int ktap;
	unsigned int case_no, cases;
	uint64_t start_ns;
	int tty;
	struct perfctr_set *perf;	/* --events, or NULL */
	json_t *phase_counters;		/* /proc/vmstat at the phase's start */
	int first_err;			/* of the first failed case */
	const struct job *job;		/* the job whose cases run */
	unsigned int group_first;	/* case_no before a group's first case */
};

static struct runner *runner_of(struct bench_ctx *ctx)
{
	return (struct runner *)((char *)ctx - offsetof(struct runner, ctx));
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
		r->cases, r->ctx.label, n, elapsed);
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
		ktap_result(stdout, r->case_no, !ret, r->ctx.label, skip);
	else if (skip)
		printf("%-26s unsupported: %s\n", r->ctx.label, skip);
	fflush(stdout);
	if (ret && !r->first_err)
		r->first_err = ret;
}

static void begin_phase(struct runner *r)
{
	show_progress(r, 0);
	json_decref(r->phase_counters);
	r->phase_counters = meta_counters();
	if (r->perf)
		perfctr_start(r->perf);
}

/*
 * Every case is a measured phase: its THP and migration counter deltas
 * (and perf counters with --events) go into a "phase" record.
 */
static void end_phase(struct runner *r)
{
	json_t *rec = rec_new("phase"), *after = meta_counters();

	json_object_set_new(rec, "case", json_string(r->ctx.label));
	json_object_set_new(rec, "counters_delta", meta_counter_delta(r->phase_counters, after));
	if (r->perf)
		json_object_set_new(rec, "perf", perfctr_stop_read(r->perf));
	json_decref(after);
	rec_write(r->ctx.out, rec);
}

static void label_case(struct runner *r, unsigned int i)
{
	r->job->bench->case_label(r->job, i, r->ctx.label, sizeof(r->ctx.label));
}

/* The group's samples are taken: one phase record covers all its cases. */
static void group_measured(struct bench_ctx *ctx)
{
	struct runner *r = runner_of(ctx);

	end_phase(r);
	r->case_no = r->group_first;
	ctx->interleaved = 1;
}

/* Not a phase of its own: the group's phase measured it. */
static void group_case_begin(struct bench_ctx *ctx, unsigned int i)
{
	struct runner *r = runner_of(ctx);

	r->case_no++;
	label_case(r, i);
}

static void group_case_end(struct bench_ctx *ctx, unsigned int i, int ret, const char *skip)
{
	(void)i;
	case_done(runner_of(ctx), ret, skip);
}

static const struct bench_group group_hooks = {
	.measured = group_measured,
	.case_begin = group_case_begin,
	.case_end = group_case_end,
};

/*
 * A job whose cases measure together (interleave=true): one phase record
 * covers them all (their counters cannot be told apart); each case still
 * gets its own summary rows and KTAP result, when the job ends.
 */
static void run_group(struct runner *r, const struct job *j)
{
	r->group_first = r->case_no;
	r->case_no++;
	snprintf(r->ctx.label, sizeof(r->ctx.label), "%s [%.40s] interleaved", j->bench->name,
		 j->name);
	begin_phase(r);
	j->bench->run_group(&r->ctx, j, &group_hooks);
	r->ctx.interleaved = 0;
}

static void run_job(struct runner *r, const struct job *j)
{
	const struct bench_ops *b = j->bench;
	unsigned int n = b->cases(j);

	r->job = j;
	if (b->grouped && b->grouped(j)) {
		run_group(r, j);
		return;
	}
	for (unsigned int i = 0; i < n && !*r->ctx.stop; i++) {
		const char *skip = NULL;
		int ret;

		r->case_no++;
		label_case(r, i);
		begin_phase(r);
		ret = b->run_case(&r->ctx, j, i, &skip);
		end_phase(r);
		case_done(r, ret, skip);
	}
}

int run_jobs(struct hmm_dev *dev, struct rec_writer *w,
	     const struct job_list *jobs, const struct run_opts *o,
	     const volatile sig_atomic_t *stop)
{
	struct runner r = {
		.ctx = { .dev = dev, .out = w, .stop = stop, .seed = o->seed,
			 .on_sample = show_progress, .table = stdout },
		.ktap = !strcmp(o->format, "ktap"),
		.start_ns = now_ns(),
		.tty = progress_wanted(),
	};

	r.ctx.on_sample_arg = &r;
	r.ctx.row_prefix = r.ktap ? "# " : "";
	r.perf = o->perf;
	for (size_t i = 0; i < jobs->n; i++)
		r.cases += jobs->jobs[i].bench->cases(&jobs->jobs[i]);
	if (r.ktap) {
		/* A case line per summary and per case, for CI monitors (LAVA). */
		ktap_cases_to(stdout);
		ktap_header(stdout, r.cases);
	}
	summary_print_header(stdout, r.ctx.row_prefix);
	for (size_t i = 0; i < jobs->n && !*stop; i++)
		run_job(&r, &jobs->jobs[i]);
	summary_print_footer(stdout, r.ctx.row_prefix);
	json_decref(r.phase_counters);
	return r.first_err;
}
