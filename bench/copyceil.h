/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench/copyceil: this machine's memory copy bandwidth, measured in the
 * same run as the migrations it is a ceiling for. test_hmm's device copy
 * is a CPU copy (the kernel's copy_page: "rep movsq" where the CPU has
 * REP_GOOD, else an unrolled loop of 64-bit moves), so no migration can
 * beat the fastest way this CPU copies memory. Under TCG glibc's vector
 * memcpy is emulated more slowly than the kernel's copy, so the ceiling is
 * the best of several methods, not memcpy alone (see NOTES.md).
 *
 * Methods: "memcpy" (glibc) everywhere; on x86-64 also "rep-movsb",
 * "rep-movsq" and "movq-loop" (copy_page's two code paths). Each method
 * first copies once into a freshly mapped destination ("first pass": page
 * faults included, recorded as a warm-up with "first_pass": true), then
 * takes @samples timed copies between pre-faulted PMD-aligned THP buffers,
 * the methods interleaved so drift hits all alike. Every copy is a sample
 * record: {"bench": "copyceil", "params": {"size", "method"}, "iter",
 * "ns", "bytes", "values": {"throughput": MB/s}}. MB/s is 10^6 bytes
 * copied per second (bytes read and written once each).
 *
 * Each size is two cases: "copy SIZE", the CPU's methods above, and
 * "copy SIZE bus", the backend's pinned copies across a GPU's bus
 * (copyceil_bus_case() below), unsupported where the backend has none.
 */
#ifndef HMMBENCH_COPYCEIL_H
#define HMMBENCH_COPYCEIL_H

#include "bench.h"
#include "stats.h"

#define COPYCEIL_MAX_METHODS 4

struct copyceil_job {
	size_t size;		/* bytes, a multiple of 4 KiB */
	unsigned int samples;	/* timed copies per method after the first pass */
};

struct copyceil_method {
	const char *name;
	double first_pass_mbps;	/* into a fresh mapping: page faults included */
	double *mbps;		/* the timed samples */
	size_t n;
	struct sample_stats stats;	/* of mbps[], when n > 0 */
};

struct copyceil_result {
	size_t nmethods;
	struct copyceil_method method[COPYCEIL_MAX_METHODS];
	int best;		/* the method with the highest median; -1 if none */
	double ceiling_mbps;	/* its median */
};

/*
 * Measures every method; ctx->dev is not used (may be NULL). Stops early,
 * keeping what it measured, when *ctx->stop is set. Returns 0, -ENOMEM,
 * -EIO if a method copied wrong data (a bug here, reported on stderr), or
 * a record write error.
 */
int copyceil_measure(struct bench_ctx *ctx, const struct copyceil_job *job,
		     struct copyceil_result *res);
void copyceil_result_free(struct copyceil_result *res);
/*
 * Writes one "summary" record per method (metric "throughput", MB/s) with
 * "first_pass_mbps" and "ceiling": true on the best one.
 */
int copyceil_summarise(struct rec_writer *w, const struct copyceil_job *job,
		       const struct copyceil_result *res);
/* @mbps as a fraction of the ceiling (the "copy_fraction" metric); 0 if none. */
double copyceil_fraction(const struct copyceil_result *res, double mbps);

/* The params of every copyceil record, samples and summaries: {"size", "method"}. */
json_t *copyceil_params(const struct copyceil_job *job, const char *method);
/* One copy's sample record (warm-up and "first_pass" when @first); 0 or the write error. */
int copyceil_write_sample(struct bench_ctx *ctx, const struct copyceil_job *job,
			  const char *method, unsigned int iter, int first, uint64_t ns);
/*
 * The bus case (bench/copyceil_bus.c): @job->samples pinned copies each
 * way by the backend's engine (hmm_dev_copy_bus()), methods "bus-to-dev"
 * and "bus-to-sys", their medians kept in ctx->bus_mbps[]. Where the
 * backend has no bus copy: an "unsupported" record, *@skip the backend's
 * reason, 0. Otherwise 0 or the failure (reported).
 */
int copyceil_bus_case(struct bench_ctx *ctx, const struct copyceil_job *job, const char **skip);

#endif
