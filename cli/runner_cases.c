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

	return run_fault_case(ctx, j, i);
}
