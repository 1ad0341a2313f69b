// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_ops.h"
#include "copyceil.h"
#include "summary.h"

typedef void (*copy_fn)(void *dst, const void *src, size_t n);

static void copy_memcpy(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
	/* The copy is the measurement: never let it be optimised away. */
	__asm__ __volatile__("" : : "r"(dst) : "memory");
}

#ifdef __x86_64__
static void copy_rep_movsb(void *dst, const void *src, size_t n)
{
	__asm__ __volatile__("rep movsb"
			     : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

/* The kernel's copy_page on CPUs with X86_FEATURE_REP_GOOD. */
static void copy_rep_movsq(void *dst, const void *src, size_t n)
{
	size_t words = n / 8;

	__asm__ __volatile__("rep movsq"
			     : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
}

/* copy_page_regs: 64-bit moves, a cache line per iteration; n % 64 == 0. */
static void copy_movq_loop(void *dst, const void *src, size_t n)
{
	__asm__ __volatile__(
		"1:\n\t"
		"movq 0(%[s]), %%rax\n\t"
		"movq 8(%[s]), %%rdx\n\t"
		"movq 16(%[s]), %%r8\n\t"
		"movq 24(%[s]), %%r9\n\t"
		"movq %%rax, 0(%[d])\n\t"
		"movq %%rdx, 8(%[d])\n\t"
		"movq %%r8, 16(%[d])\n\t"
		"movq %%r9, 24(%[d])\n\t"
		"movq 32(%[s]), %%rax\n\t"
		"movq 40(%[s]), %%rdx\n\t"
		"movq 48(%[s]), %%r8\n\t"
		"movq 56(%[s]), %%r9\n\t"
		"movq %%rax, 32(%[d])\n\t"
		"movq %%rdx, 40(%[d])\n\t"
		"movq %%r8, 48(%[d])\n\t"
		"movq %%r9, 56(%[d])\n\t"
		"addq $64, %[s]\n\t"
		"addq $64, %[d]\n\t"
		"subq $64, %[n]\n\t"
		"jnz 1b"
		: [d] "+r"(dst), [s] "+r"(src), [n] "+r"(n)
		: : "rax", "rdx", "r8", "r9", "cc", "memory");
}
#endif

static const struct {
	const char *name;
	copy_fn fn;
} methods[] = {
	{ "memcpy", copy_memcpy },
#ifdef __x86_64__
	{ "rep-movsb", copy_rep_movsb },
	{ "rep-movsq", copy_rep_movsq },
	{ "movq-loop", copy_movq_loop },
#endif
};
#define NR_METHODS (sizeof(methods) / sizeof(methods[0]))
_Static_assert(NR_METHODS <= COPYCEIL_MAX_METHODS, "raise COPYCEIL_MAX_METHODS");

static double mbps(size_t bytes, uint64_t ns)
{
	return ns ? bytes / (ns / 1e3) : 0;
}

static uint64_t timed_copy(copy_fn fn, void *dst, const void *src, size_t n)
{
	uint64_t t0 = now_ns();

	fn(dst, src, n);
	return now_ns() - t0;
}

json_t *copyceil_params(const struct copyceil_job *job, const char *method)
{
	return json_pack("{s:I, s:s}", "size", (json_int_t)job->size, "method", method);
}

int copyceil_write_sample(struct bench_ctx *ctx, const struct copyceil_job *job,
			  const char *method, unsigned int iter, int first, uint64_t ns)
{
	json_t *r = rec_new("sample");
	int ret;

	json_object_set_new(r, "bench", json_string("copyceil"));
	json_object_set_new(r, "params", copyceil_params(job, method));
	json_object_set_new(r, "iter", json_integer(iter));
	if (first) {
		json_object_set_new(r, "warmup", json_true());
		json_object_set_new(r, "first_pass", json_true());
	}
	json_object_set_new(r, "ns", json_integer((json_int_t)ns));
	json_object_set_new(r, "bytes", json_integer((json_int_t)job->size));
	json_object_set_new(r, "values", json_pack("{s:f}", "throughput",
			    mbps(job->size, ns)));
	ret = rec_write(ctx->out, r);
	if (ret)
		fprintf(stderr, "hmmbench: cannot write %s: %s\n", ctx->out->path,
			strerror(-ret));
	return ret;
}

/* One copy of @src into a fresh mapping per method, checked byte for byte. */
static int first_passes(struct bench_ctx *ctx, const struct copyceil_job *job,
			const struct test_buf *src, struct copyceil_result *res)
{
	for (size_t m = 0; m < NR_METHODS && !*ctx->stop; m++) {
		struct test_buf dst;
		uint64_t ns;
		int ret = buf_alloc(&dst, job->size, PAGES_THP);

		if (ret)
			return ret;
		ns = timed_copy(methods[m].fn, dst.addr, src->addr, job->size);
		if (memcmp(dst.addr, src->addr, job->size)) {
			fprintf(stderr, "hmmbench: copyceil: method %s copied wrong data\n",
				methods[m].name);
			buf_free(&dst);
			return -EIO;
		}
		buf_free(&dst);
		res->method[m].first_pass_mbps = mbps(job->size, ns);
		ret = copyceil_write_sample(ctx, job, methods[m].name, 0, 1, ns);
		if (ret)
			return ret;
	}
	return 0;
}

static int timed_samples(struct bench_ctx *ctx, const struct copyceil_job *job,
			 const struct test_buf *src, struct test_buf *dst,
			 struct copyceil_result *res)
{
	for (unsigned int i = 1; i <= job->samples && !*ctx->stop; i++) {
		for (size_t k = 0; k < NR_METHODS; k++) {
			/* Rotate the order so no method always runs first. */
			size_t m = (k + i) % NR_METHODS;
			struct copyceil_method *cm = &res->method[m];
			uint64_t ns = timed_copy(methods[m].fn, dst->addr,
						 src->addr, job->size);
			int ret = copyceil_write_sample(ctx, job, cm->name, i, 0, ns);

			if (ret)
				return ret;
			cm->mbps[cm->n++] = mbps(job->size, ns);
		}
	}
	return 0;
}

static void pick_best(struct copyceil_result *res)
{
	res->best = -1;
	res->ceiling_mbps = 0;
	for (size_t m = 0; m < res->nmethods; m++) {
		struct copyceil_method *cm = &res->method[m];

		if (stats_summarise(cm->mbps, cm->n, SUMMARY_CI_LEVEL, &cm->stats))
			continue;
		if (res->best < 0 || cm->stats.median > res->ceiling_mbps) {
			res->best = m;
			res->ceiling_mbps = cm->stats.median;
		}
	}
}

int copyceil_measure(struct bench_ctx *ctx, const struct copyceil_job *job,
		     struct copyceil_result *res)
{
	struct test_buf src = { 0 }, dst = { 0 };
	int ret;

	memset(res, 0, sizeof(*res));
	res->best = -1;
	res->nmethods = NR_METHODS;
	for (size_t m = 0; m < NR_METHODS; m++) {
		res->method[m].name = methods[m].name;
		res->method[m].mbps = calloc(job->samples ? job->samples : 1, sizeof(double));
		if (!res->method[m].mbps)
			return -ENOMEM;
	}
	ret = buf_alloc(&src, job->size, PAGES_THP);
	if (ret || (ret = buf_alloc(&dst, job->size, PAGES_THP)))
		goto out;
	pattern_fill(src.addr, src.npages, ctx->seed, 0);
	ret = first_passes(ctx, job, &src, res);
	if (ret)
		goto out;
	memset(dst.addr, 0, dst.size);		/* pre-fault */
	ret = timed_samples(ctx, job, &src, &dst, res);
out:
	buf_free(&src);
	buf_free(&dst);
	pick_best(res);
	return ret;
}

void copyceil_result_free(struct copyceil_result *res)
{
	for (size_t m = 0; m < res->nmethods; m++)
		free(res->method[m].mbps);
	memset(res, 0, sizeof(*res));
	res->best = -1;
}

int copyceil_summarise(struct rec_writer *w, const struct copyceil_job *job,
		       const struct copyceil_result *res)
{
	for (size_t m = 0; m < res->nmethods; m++) {
		const struct copyceil_method *cm = &res->method[m];
		struct sample_stats s;

		if (!cm->n)
			continue;
		summary_record(w, "copyceil", copyceil_params(job, cm->name), "throughput", "MB/s", cm->mbps, cm->n,
			       json_pack("{s:f, s:b}", "first_pass_mbps",
					 cm->first_pass_mbps, "ceiling", (int)m == res->best),
			       &s);
	}
	return 0;
}

double copyceil_fraction(const struct copyceil_result *res, double mbps)
{
	return res->best >= 0 && res->ceiling_mbps > 0 ? mbps / res->ceiling_mbps : 0;
}

/* The CPU case of a size: every method measured, the ceiling kept for the migrations after it. */
static int copyceil_cpu_case(struct bench_ctx *ctx, const struct copyceil_job *job)
{
	struct copyceil_result res;
	int ret = copyceil_measure(ctx, job, &res);

	ctx->copy_ceiling_mbps = !ret && res.best >= 0 ? res.ceiling_mbps : 0;
	if (!copyceil_summarise(ctx->out, job, &res)) {
		for (size_t m = 0; m < res.nmethods; m++) {
			const struct copyceil_method *cm = &res.method[m];
			char label[96];

			if (!cm->n)
				continue;
			snprintf(label, sizeof(label), "%s %s", ctx->label, cm->name);
			bench_print_row(ctx, label, "MB/s", &cm->stats,
					(int)m == res.best ? "ceiling" : "");
		}
	}
	copyceil_result_free(&res);
	return ret;
}

/* Two cases per size: the CPU's copies ("copy 32M"), then the bus's ("copy 32M bus"). */
static int copyceil_run_case(struct bench_ctx *ctx, const struct job *j, unsigned int i,
			     const char **skip)
{
	struct copyceil_job job = { .size = j->sizes.v[i / 2], .samples = reps_count(&j->reps) };

	if (i % 2)
		return copyceil_bus_case(ctx, &job, skip);
	return copyceil_cpu_case(ctx, &job);
}

static unsigned int copyceil_cases(const struct job *j)
{
	return j->sizes.n * 2;
}

static void copyceil_label(const struct job *j, unsigned int i, char *buf, size_t len)
{
	char sz[24];

	snprintf(buf, len, "copy %s%s", size_str(j->sizes.v[i / 2], sz, sizeof(sz)),
		 i % 2 ? " bus" : "");
}

static const struct job_key *const copyceil_keys[] = {
	&key_sizes, &key_repetitions, &key_min_samples, NULL,
};

static const struct metric_info copyceil_metrics[] = {
	{ "throughput", "MB/s", BETTER_HIGHER, METRIC_THROUGHPUT,
	  "bytes moved per second: the buffer over the migration call or the copy, 10^6 B/s" },
	{ NULL, NULL, 0, 0, NULL },
};

static struct bench_ops copyceil_ops = {
	.name = "copyceil",
	.describe = "this machine's memory copy bandwidth, and a GPU's pinned copies across its bus: the ceilings of a migration",
	.keys = copyceil_keys,
	.cases = copyceil_cases,
	.case_label = copyceil_label,
	.run_case = copyceil_run_case,
	.metrics = copyceil_metrics,
};
BENCH_REGISTER(copyceil_ops)
