// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "copyceil.h"
#include "ktap.h"
#include "fault.h"
#include "meta.h"
#include "migrate.h"
#include "perfctr.h"
#include "runner.h"
#include "split.h"
#include "split_real.h"
#include "summary.h"

struct runner {
	struct bench_ctx ctx;
	int ktap;
	unsigned int case_no, cases;
	uint64_t start_ns;
	char label[64];
	int tty;
	struct copyceil_result ceiling;	/* from a copyceil job, if one ran */
	int have_ceiling;
	struct perfctr_set *perf;	/* --events, or NULL */
	json_t *phase_counters;		/* /proc/vmstat at the case's start */
	int first_err;			/* of the first failed case */
};

static const char *row_prefix(const struct runner *r)
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
	double elapsed = (bench_now_ns() - r->start_ns) / 1e9;
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

static void case_result(struct runner *r, int ret, const char *skip)
{
	clear_progress(r);
	if (!r->ktap)
		return;
	ktap_result(stdout, r->case_no, !ret, r->label, skip);
	fflush(stdout);
}

static void print_row(struct runner *r, const char *bench, json_t *params,
		      const char *metric, const char *label, const char *unit,
		      const double *x, size_t n, const char *note,
		      enum stop_reason stop)
{
	struct sample_stats s;
	json_t *extra = json_pack("{s:s}", "stop", stop_reason_name(stop));
	char full[96];

	if (summary_record(r->ctx.out, bench, params, metric, unit, x, n, extra, &s))
		return;
	snprintf(full, sizeof(full), "%s %s", stop_reason_short(stop), note ? note : "");
	summary_print_row(stdout, row_prefix(r), label, unit, &s, full);
	fflush(stdout);
}

static json_t *migrate_params(size_t size, enum page_mode mode, enum migrate_dir d)
{
	return json_pack("{s:I, s:s, s:s}", "size", (json_int_t)size,
			 "pages", page_mode_name(mode), "direction", migrate_dir_name(d));
}

/*
 * test_hmm's device copy is a CPU copy, so this machine's best copy
 * bandwidth bounds every migration: record each sample as a fraction of it
 * and print it as a row of its own.
 */
static void record_copy_fraction(struct runner *r, size_t size, enum page_mode mode,
				 enum migrate_dir d, const struct migrate_result *res)
{
	double frac[res->n ? res->n : 1];
	char label[96];

	for (size_t i = 0; i < res->n; i++)
		frac[i] = copyceil_fraction(&r->ceiling, res->mbps[d][i]);
	snprintf(label, sizeof(label), "%s %s /copy", r->label, migrate_dir_name(d));
	print_row(r, "migrate", migrate_params(size, mode, d), "copy_fraction", label,
		  "ratio", frac, res->n, "of ceiling", res->stop);
}

static int run_migrate_case(struct runner *r, const struct job *j, size_t size,
			    enum page_mode mode)
{
	struct migrate_job job = { size, mode, j->warmup, j->reps };
	struct migrate_result res;
	int ret = bench_migrate(&r->ctx, &job, &res);

	for (int d = 0; d < NR_DIRS; d++) {
		char label[96], note[32] = "";

		if (!(j->dir_mask & 1u << d))
			continue;
		if (mode == PAGES_THP && size >= PMD_SZ)
			snprintf(note, sizeof(note), "PMD %zu/%zu", res.samples_whole_pmd, res.n);
		snprintf(label, sizeof(label), "%s %s", r->label, migrate_dir_name(d));
		print_row(r, "migrate", migrate_params(size, mode, d), "throughput",
			  label, "MB/s", res.mbps[d], res.n, note, res.stop);
		if (r->have_ceiling)
			record_copy_fraction(r, size, mode, d, &res);
	}
	migrate_result_free(&res);
	return ret;
}

static json_t *split_params(size_t size, enum migrate_dir d)
{
	return json_pack("{s:I, s:s, s:s}", "size", (json_int_t)size,
			 "direction", migrate_dir_name(d), "failure", "injected");
}

static int run_split_case(struct runner *r, size_t size, enum migrate_dir d,
			  const struct reps *reps, const char **skip)
{
	struct split_job job = { size, d, *reps };
	struct split_result res;
	char label[96], note[48];
	int ret = bench_split(&r->ctx, &job, &res);

	if (ret == -EOPNOTSUPP) {
		*skip = hmm_cap_reason(r->ctx.dev, HMM_CAP_FAIL_ALLOC);
		if (!r->ktap)
			printf("%-26s unsupported: %s\n", r->label, *skip);
		split_result_free(&res);
		return 0;
	}
	snprintf(note, sizeof(note), "%zu/%zu split", res.pmds_split, res.pmds_attempted);
	snprintf(label, sizeof(label), "%s rate", r->label);
	print_row(r, "split", split_params(size, d), "split_rate", label, "ratio",
		  res.split_rate, res.n, note, res.stop);
	snprintf(label, sizeof(label), "%s injected", r->label);
	print_row(r, "split", split_params(size, d), "time", label, "ms",
		  res.ms_injected, res.n, "injected", res.stop);
	snprintf(label, sizeof(label), "%s plain", r->label);
	print_row(r, "split-baseline", split_params(size, d), "time", label, "ms",
		  res.ms_plain, res.n, "baseline", res.stop);
	split_result_free(&res);
	return ret;
}

static json_t *split_real_params(size_t size, enum split_real_method m, unsigned int level)
{
	return json_pack("{s:I, s:s, s:s, s:i}", "size", (json_int_t)size, "direction",
			 split_real_method_name(m), "failure", "fragmented", "pressure", (int)level);
}

/* failure=fragmented: one case per pressure level, to-sys and fault-back rows. */
static int run_split_real_case(struct runner *r, size_t size, unsigned int level,
			       const struct reps *reps, const char **skip)
{
	struct split_real_job job = { size, level, reps->fixed ? reps->fixed : reps->min_samples };
	struct split_real_result res;
	int ret = bench_split_real(&r->ctx, &job, &res);

	if (ret == -EOPNOTSUPP) {
		*skip = res.unsupported;
		if (!r->ktap)
			printf("%-26s unsupported: %s\n", r->label, *skip);
		split_real_result_free(&res);
		return 0;
	}
	for (int m = 0; m < NR_REAL_METHODS; m++) {
		const char *name = m == REAL_TO_SYS ? "to-sys" : "fault";
		char label[96], note[64];

		snprintf(note, sizeof(note), "%zu/%zu split; %ld->%ld free 2M", res.pmds_split[m],
			 res.pmds_attempted[m], res.blocks_before, res.blocks_after);
		snprintf(label, sizeof(label), "%s %s rate", r->label, name);
		print_row(r, "split", split_real_params(size, m, level), "split_rate", label,
			  "ratio", res.split_rate[m], res.n[m], note, res.stop);
		snprintf(label, sizeof(label), "%s %s time", r->label, name);
		print_row(r, "split", split_real_params(size, m, level), "time", label, "ms",
			  res.ms[m], res.n[m], "", res.stop);
	}
	split_real_result_free(&res);
	return ret;
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

static void begin_case(struct runner *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void begin_case(struct runner *r, const char *fmt, ...)
{
	va_list ap;

	r->case_no++;
	va_start(ap, fmt);
	vsnprintf(r->label, sizeof(r->label), fmt, ap);
	va_end(ap);
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
static void end_case(struct runner *r, int ret, const char *skip)
{
	json_t *rec = rec_new("phase"), *after = meta_counters();

	json_object_set_new(rec, "case", json_string(r->label));
	json_object_set_new(rec, "counters_delta", meta_counter_delta(r->phase_counters, after));
	if (r->perf)
		json_object_set_new(rec, "perf", perfctr_stop_read(r->perf));
	json_decref(after);
	rec_write(r->ctx.out, rec);
	case_result(r, ret, skip);
}

/* Prints @text line by line with the table's prefix. */
static void print_prefixed(const struct runner *r, const char *text)
{
	const char *nl;

	for (; *text; text = nl + 1) {
		nl = strchr(text, '\n');
		if (!nl)
			nl = text + strlen(text) - 1;
		printf("%s%.*s\n", row_prefix(r), (int)(nl - text + (*nl != '\n')), text);
	}
}

static int run_fault_case(struct runner *r, const struct job *j, size_t size,
			  enum page_mode mode, unsigned int threads)
{
	struct fault_job job = {
		.size = size, .mode = mode, .threads = threads,
		.access = j->access == ACCESS_WRITE ? FAULT_WRITE : FAULT_READ,
		.pattern = j->pattern == PATTERN_RANDOM ? FAULT_RANDOM
			 : j->pattern == PATTERN_STRIDED ? FAULT_STRIDED : FAULT_SEQ,
		.stride = j->stride,
		.sharing = j->overlap ? FAULT_OVERLAP : FAULT_DISJOINT,
		.warmup = j->warmup,
		.iterations = j->reps.fixed ? j->reps.fixed : j->reps.min_samples,
	};
	struct fault_result res;
	struct latency_summary lat;
	struct sample_stats tput;
	char *text = NULL, note[32];
	size_t len = 0;
	FILE *mem;
	int ret = bench_fault(&r->ctx, &job, &res);

	if (!fault_summarise(r->ctx.out, &job, &res, &lat, &tput)) {
		snprintf(note, sizeof(note), "%zu faults", res.faults);
		summary_print_row(stdout, row_prefix(r), r->label, "pg/s", &tput, note);
		mem = open_memstream(&text, &len);
		if (mem) {
			latency_summary_print(mem, r->label, &lat);
			fclose(mem);
			print_prefixed(r, text);
			free(text);
		}
	}
	fault_result_free(&res);
	return ret;
}

static int run_copyceil_case(struct runner *r, const struct job *j, size_t size)
{
	struct copyceil_job job = {
		.size = size,
		.samples = j->reps.fixed ? j->reps.fixed : j->reps.min_samples,
	};
	int ret;

	if (r->have_ceiling)
		copyceil_result_free(&r->ceiling);
	ret = copyceil_measure(&r->ctx, &job, &r->ceiling);
	r->have_ceiling = !ret && r->ceiling.best >= 0;
	if (copyceil_summarise(r->ctx.out, &job, &r->ceiling))
		return ret;
	for (size_t m = 0; m < r->ceiling.nmethods; m++) {
		const struct copyceil_method *cm = &r->ceiling.method[m];
		char label[96];

		if (!cm->n)
			continue;
		snprintf(label, sizeof(label), "%s %s", r->label, cm->name);
		summary_print_row(stdout, row_prefix(r), label, "MB/s", &cm->stats,
				  (int)m == r->ceiling.best ? "ceiling" : "");
	}
	return ret;
}

/*
 * Ends a case and keeps the first failure. A failed case does not end the
 * run: the others still measure (the driver error or data mismatch was
 * reported, the case is "not ok" in KTAP), and the run exits non-zero.
 */
static void finish_case(struct runner *r, int ret, const char *skip)
{
	end_case(r, ret, skip);
	if (ret && !r->first_err)
		r->first_err = ret;
}

static void run_job(struct runner *r, const struct job *j)
{
	const volatile sig_atomic_t *stop = r->ctx.stop;

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
		.start_ns = bench_now_ns(),
		.tty = progress_wanted(),
	};
	r.ctx.on_sample_arg = &r;
	r.perf = o->perf;
	for (size_t i = 0; i < jobs->n; i++)
		r.cases += job_cases(&jobs->jobs[i]);
	if (r.ktap)
		ktap_header(stdout, r.cases);
	summary_print_header(stdout, row_prefix(&r));
	for (size_t i = 0; i < jobs->n && !*stop; i++)
		run_job(&r, &jobs->jobs[i]);
	summary_print_footer(stdout, row_prefix(&r));
	json_decref(r.phase_counters);
	if (r.have_ceiling)
		copyceil_result_free(&r.ceiling);
	return r.first_err;
}
