// SPDX-License-Identifier: GPL-2.0
/* Each benchmark's case: run it, then print its result as summary rows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "runner_int.h"
#include "summary.h"

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

/* "PMD 30/30, 8 bufs": the samples rotated among 8 buffers (bench/migrate.h). */
static void migrate_pmd_note(char *note, size_t len, const struct migrate_result *res)
{
	int n = snprintf(note, len, "PMD %zu/%zu", res->samples_whole_pmd, res->n);

	if (res->buffers > 1 && n > 0 && (size_t)n < len)
		snprintf(note + n, len - n, ", %u bufs", res->buffers);
}

void print_migrate_rows(struct runner *r, const struct job *j, size_t size,
			enum page_mode mode, const struct migrate_result *res)
{
	for (int d = 0; d < NR_DIRS; d++) {
		char label[96], note[32] = "";

		if (!(j->dir_mask & 1u << d))
			continue;
		if (mode == PAGES_THP && size >= PMD_SZ)
			migrate_pmd_note(note, sizeof(note), res);
		snprintf(label, sizeof(label), "%s %s", r->label, migrate_dir_name(d));
		print_row(r, "migrate", migrate_params(size, mode, d), "throughput",
			  label, "MB/s", res->mbps[d], res->n, note, res->stop);
		if (r->have_ceiling)
			record_copy_fraction(r, size, mode, d, res);
	}
}

int run_migrate_case(struct runner *r, const struct job *j, size_t size,
		     enum page_mode mode)
{
	struct migrate_job job = { size, mode, j->warmup, j->reps };
	struct migrate_result res;
	int ret = bench_migrate(&r->ctx, &job, &res);

	print_migrate_rows(r, j, size, mode, &res);
	migrate_result_free(&res);
	return ret;
}

static json_t *split_params(size_t size, enum migrate_dir d)
{
	return json_pack("{s:I, s:s, s:s}", "size", (json_int_t)size,
			 "direction", migrate_dir_name(d), "failure", "injected");
}

int run_split_case(struct runner *r, size_t size, enum migrate_dir d,
		   const struct reps *reps, const char **skip)
{
	struct split_job job = { size, d, *reps };
	struct split_result res;
	char label[96], note[48];
	int ret = bench_split(&r->ctx, &job, &res);

	if (ret == -EOPNOTSUPP) {
		*skip = hmm_cap_reason(r->ctx.dev, HMM_CAP_FAIL_ALLOC);
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

/* failure=fragmented: one case per pressure level, to-sys and fault-back rows. */
int run_split_real_case(struct runner *r, size_t size, unsigned int level,
			const struct reps *reps, const char **skip)
{
	struct split_real_job job = { size, level, reps->fixed ? reps->fixed : reps->min_samples };
	struct split_real_result res;
	int ret = bench_split_real(&r->ctx, &job, &res);

	if (ret == -EOPNOTSUPP) {
		*skip = res.unsupported;
		split_real_result_free(&res);
		return 0;
	}
	for (int m = 0; m < NR_REAL_METHODS; m++) {
		const char *name = m == REAL_TO_SYS ? "to-sys" : "fault";
		char label[96], note[64];

		snprintf(note, sizeof(note), "%zu/%zu split; %ld->%ld free 2M", res.pmds_split[m],
			 res.pmds_attempted[m], res.blocks_before, res.blocks_after);
		snprintf(label, sizeof(label), "%s %s rate", r->label, name);
		print_row(r, "split", split_real_params(&job, m), "split_rate", label,
			  "ratio", res.split_rate[m], res.n[m], note, res.stop);
		snprintf(label, sizeof(label), "%s %s time", r->label, name);
		print_row(r, "split", split_real_params(&job, m), "time", label, "ms",
			  res.ms[m], res.n[m], "", res.stop);
	}
	split_real_result_free(&res);
	return ret;
}

int run_fault_case(struct runner *r, const struct job *j, size_t size,
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

int run_copyceil_case(struct runner *r, const struct job *j, size_t size)
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
