// SPDX-License-Identifier: GPL-2.0
/*
 * bench=fault as a job: its keys, one case per size, page mode and thread
 * count, and each case's summary records and rows (bench/fault.c measures).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_ops.h"
#include "fault.h"
#include "summary.h"

static json_t *percentiles_extra(const uint64_t *x, size_t n,
				 struct latency_summary *s)
{
	uint64_t *sorted = malloc((n ? n : 1) * sizeof(*sorted));
	json_t *j;

	if (!sorted)
		return NULL;
	memcpy(sorted, x, n * sizeof(*x));
	j = latency_summarise(sorted, n, SUMMARY_CI_LEVEL, s) ? json_null() :
	    latency_summary_json(s);
	free(sorted);
	return j;
}

int fault_summarise(struct rec_writer *w, const struct fault_job *job,
		    const struct fault_result *res, struct latency_summary *lat,
		    struct sample_stats *tput)
{
	struct latency_summary cont;
	struct sample_stats s;
	double *d;
	json_t *extra;
	int ret;

	memset(lat, 0, sizeof(*lat));
	ret = summary_record(w, "fault", fault_params(job), "fault_throughput",
			     "pages/s", res->pages_per_s, res->n,
			     json_pack("{s:I, s:I}", "pages_back", (json_int_t)res->pages_back,
				       "kernel_faults", (json_int_t)res->kernel_faults), tput);
	if (!res->nlat)
		return ret;
	d = malloc(res->nlat * sizeof(*d));
	if (!d)
		return -1;
	for (size_t i = 0; i < res->nlat; i++)
		d[i] = res->latency_ns[i];
	extra = json_pack("{s:o}", "percentiles", percentiles_extra(res->latency_ns, res->nlat, lat));
	if (res->ncontended)
		json_object_set_new(extra, "contended_percentiles",
				    percentiles_extra(res->contended_ns, res->ncontended, &cont));
	ret = summary_record(w, "fault", fault_params(job), "fault_latency", "ns",
			     d, res->nlat, extra, &s);
	free(d);
	return ret;
}

/* Case @i: sizes outer, then page modes, then thread counts. */
static struct fault_job case_job(const struct job *j, unsigned int i)
{
	const struct fault_opts *o = j->opts;
	unsigned int nt = o->threads.n, np = mask_count(j->pages_mask);

	return (struct fault_job){
		.size = j->sizes.v[i / (nt * np)], .mode = mask_nth(j->pages_mask, i / nt % np),
		.threads = o->threads.v[i % nt], .access = o->access, .pattern = o->pattern,
		.stride = o->stride, .sharing = o->sharing, .warmup = j->warmup,
		.iterations = reps_count(&j->reps),
	};
}

static int fault_run_case(struct bench_ctx *ctx, const struct job *j, unsigned int i,
			  const char **skip)
{
	struct fault_job job = case_job(j, i);
	struct fault_result res;
	struct latency_summary lat;
	struct sample_stats tput;
	char *text = NULL, note[32];
	size_t len = 0;
	FILE *mem;
	int ret = bench_fault(ctx, &job, &res);

	(void)skip;
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

static unsigned int fault_cases(const struct job *j)
{
	const struct fault_opts *o = j->opts;

	return j->sizes.n * mask_count(j->pages_mask) * o->threads.n;
}

static void fault_label(const struct job *j, unsigned int i, char *buf, size_t len)
{
	struct fault_job job = case_job(j, i);
	char sz[24];

	snprintf(buf, len, "fault %s %s T=%u", size_str(job.size, sz, sizeof(sz)),
		 page_mode_name(job.mode), job.threads);
}

static const struct job_key fault_key_threads = {
	.name = "threads", .type = KEY_UINTS, .in_opts = 1,
	.off = offsetof(struct fault_opts, threads), .def = "1", .min = 1, .max = 1024,
	.help = "CPU threads faulting the buffer back, one case each",
};
static const struct job_key fault_key_access = {
	.name = "access", .type = KEY_CHOICE, .in_opts = 1,
	.off = offsetof(struct fault_opts, access), .def = "read",
	.choices = fault_access_choices,
	.help = "how each page is touched",
};
static const struct job_key fault_key_pattern = {
	.name = "pattern", .type = KEY_CHOICE, .in_opts = 1,
	.off = offsetof(struct fault_opts, pattern), .def = "seq",
	.choices = fault_pattern_choices,
	.help = "the order each thread touches its pages in",
};
static const struct job_key fault_key_stride = {
	.name = "stride", .type = KEY_UINT, .in_opts = 1,
	.off = offsetof(struct fault_opts, stride), .def = "16", .min = 1, .max = 4096,
	.help = "pattern=strided: pages between touches",
};
static const struct job_key fault_key_ranges = {
	.name = "ranges", .type = KEY_CHOICE, .in_opts = 1,
	.off = offsetof(struct fault_opts, sharing), .def = "disjoint",
	.choices = fault_sharing_choices,
	.help = "each thread its own part of the buffer, or every thread all of it",
};

static const struct job_key *const fault_keys[] = {
	&key_sizes, &key_pages, &fault_key_threads, &fault_key_access, &fault_key_pattern,
	&fault_key_stride, &fault_key_ranges, &key_warmup, &key_repetitions, &key_min_samples,
	NULL,
};

static const struct metric_info fault_metrics[] = {
	{ "fault_latency", "ns", BETTER_LOWER, METRIC_TIME,
	  "time of one CPU access that faulted a page back from the device" },
	{ "fault_throughput", "pages/s", BETTER_HIGHER, METRIC_THROUGHPUT,
	  "pages faulted back per second until the whole range was back" },
	{ NULL, NULL, 0, 0, NULL },
};

static struct bench_ops fault_ops = {
	.name = "fault",
	.describe = "concurrent CPU fault-back of device-private memory: latency and throughput",
	.keys = fault_keys,
	.opts_size = sizeof(struct fault_opts),
	.cases = fault_cases,
	.case_label = fault_label,
	.run_case = fault_run_case,
	.metrics = fault_metrics,
};
BENCH_REGISTER(fault_ops)
