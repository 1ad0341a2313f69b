// SPDX-License-Identifier: GPL-2.0
/*
 * The cases of benchmarks not yet behind their own bench_ops file
 * (bench/legacy.h): run it, then print its result as summary rows. Each
 * benchmark moves into its own file; then this goes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "legacy.h"
#include "migrate.h"
#include "runner.h"
#include "split.h"
#include "split_real.h"
#include "summary.h"

static json_t *split_params(size_t size, enum migrate_dir d)
{
	return json_pack("{s:I, s:s, s:s}", "size", (json_int_t)size,
			 "direction", migrate_dir_name(d), "failure", "injected");
}

static int run_split_case(struct bench_ctx *ctx, size_t size, enum migrate_dir d,
			  const struct reps *reps, const char **skip)
{
	struct split_job job = { size, d, *reps };
	struct split_result res;
	char note[48];
	int ret = bench_split(ctx, &job, &res);

	if (ret == -EOPNOTSUPP) {
		*skip = hmm_cap_reason(ctx->dev, HMM_CAP_FAIL_ALLOC);
		split_result_free(&res);
		return 0;
	}
	snprintf(note, sizeof(note), "%zu/%zu split", res.pmds_split, res.pmds_attempted);
	bench_row(ctx, "split", split_params(size, d), "split_rate", "rate", res.split_rate,
		  res.n, note, res.stop);
	bench_row(ctx, "split", split_params(size, d), "time", "injected", res.ms_injected,
		  res.n, "injected", res.stop);
	bench_row(ctx, "split-baseline", split_params(size, d), "time", "plain", res.ms_plain,
		  res.n, "baseline", res.stop);
	split_result_free(&res);
	return ret;
}

/* failure=fragmented: one case per pressure level, to-sys and fault-back rows. */
static int run_split_real_case(struct bench_ctx *ctx, size_t size, unsigned int level,
			       const struct reps *reps, const char **skip)
{
	struct split_real_job job = { size, level, reps->fixed ? reps->fixed : reps->min_samples };
	struct split_real_result res;
	int ret = bench_split_real(ctx, &job, &res);

	if (ret == -EOPNOTSUPP) {
		*skip = res.unsupported;
		split_real_result_free(&res);
		return 0;
	}
	for (int m = 0; m < NR_REAL_METHODS; m++) {
		const char *name = m == REAL_TO_SYS ? "to-sys" : "fault";
		char suffix[32], note[64];

		snprintf(note, sizeof(note), "%zu/%zu split; %ld->%ld free 2M", res.pmds_split[m],
			 res.pmds_attempted[m], res.blocks_before, res.blocks_after);
		snprintf(suffix, sizeof(suffix), "%s rate", name);
		bench_row(ctx, "split", split_real_params(&job, m), "split_rate", suffix,
			  res.split_rate[m], res.n[m], note, res.stop);
		snprintf(suffix, sizeof(suffix), "%s time", name);
		bench_row(ctx, "split", split_real_params(&job, m), "time", suffix, res.ms[m],
			  res.n[m], "", res.stop);
	}
	split_real_result_free(&res);
	return ret;
}

static int run_split(struct bench_ctx *ctx, const struct job *j, unsigned int i,
		     const char **skip)
{
	const struct split_opts *o = j->opts;
	unsigned int per = o->failure == SPLIT_FRAGMENTED ? o->pressure.n : mask_count(j->dir_mask);
	size_t size = j->sizes.v[i / per];

	if (o->failure == SPLIT_FRAGMENTED)
		return run_split_real_case(ctx, size, o->pressure.v[i % per], &j->reps, skip);
	return run_split_case(ctx, size, mask_nth(j->dir_mask, i % per), &j->reps, skip);
}

static int run_fault_case(struct bench_ctx *ctx, const struct job *j, unsigned int i)
{
	const struct fault_opts *o = j->opts;
	unsigned int nt = o->threads.n, np = mask_count(j->pages_mask);
	struct fault_job job = {
		.size = j->sizes.v[i / (nt * np)], .mode = mask_nth(j->pages_mask, i / nt % np),
		.threads = o->threads.v[i % nt], .access = o->access, .pattern = o->pattern,
		.stride = o->stride, .sharing = o->sharing, .warmup = j->warmup,
		.iterations = j->reps.fixed ? j->reps.fixed : j->reps.min_samples,
	};
	struct fault_result res;
	struct latency_summary lat;
	struct sample_stats tput;
	char *text = NULL, note[32];
	size_t len = 0;
	FILE *mem;
	int ret = bench_fault(ctx, &job, &res);

	if (!fault_summarise(ctx->out, &job, &res, &lat, &tput)) {
		snprintf(note, sizeof(note), "%zu faults", res.faults);
		bench_print_row(ctx, ctx->label, "pg/s", &tput, note);
		mem = open_memstream(&text, &len);
		if (mem) {
			latency_summary_print(mem, ctx->label, &lat);
			fclose(mem);
			bench_print_text(ctx, text);
			free(text);
		}
	}
	fault_result_free(&res);
	return ret;
}

int legacy_run_case(struct bench_ctx *ctx, const struct job *j, unsigned int i, const char **skip)
{
	const char *name = j->bench->name;

	if (!strcmp(name, "split"))
		return run_split(ctx, j, i, skip);
	return run_fault_case(ctx, j, i);
}
