// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_ops.h"
#include "meta.h"
#include "split.h"
#include "split_real.h"

struct split_sample {
	uint64_t ns;
	size_t whole_before, whole_after;
	json_t *counters;	/* THP counter deltas over the migration */
};

/* A fresh THP buffer, filled, faulted in and summarised. */
static int fresh_thp_buffer(struct bench_ctx *ctx, struct test_buf *b,
			    size_t size, uint8_t *state, uint64_t gen,
			    struct hmm_snapshot_summary *sum)
{
	int ret = buf_alloc(b, size, PAGES_THP);

	if (ret)
		return ret;
	pattern_fill(b->addr, b->npages, ctx->seed, gen);
	return bench_snapshot(ctx->dev, b, state, sum);
}

/* One timed migration in @dir, optionally with FAIL_ALLOC armed first. */
static int timed_migrate(struct bench_ctx *ctx, struct test_buf *b,
			 enum migrate_dir dir, void *bounce, int inject,
			 uint64_t *ns)
{
	struct hmm_dev *dev = ctx->dev;
	uint64_t t0;
	int ret;

	if (inject) {
		ret = hmm_dev_inject_fail_alloc(dev);
		if (ret)
			return bench_dev_error(ret);
	}
	t0 = now_ns();
	if (dir == TO_DEV)
		ret = hmm_dev_migrate_to_dev(dev, b->addr, b->npages, bounce, NULL);
	else
		ret = hmm_dev_migrate_to_sys(dev, b->addr, b->npages, NULL);
	*ns = now_ns() - t0;
	if (ret)
		return bench_dev_error(ret);
	return 0;
}

/*
 * Measures one migration of a fresh THP buffer in @dir. For to-sys the
 * buffer first goes to the device without injection, so the PMDs that
 * count as attempted are those that reached the device whole.
 */
static int measure_once(struct bench_ctx *ctx, const struct split_job *job,
			int inject, uint64_t gen, uint8_t *state, void *bounce,
			struct split_sample *out)
{
	struct hmm_snapshot_summary sum;
	json_t *before, *after;
	struct test_buf b;
	uint64_t ns, want, got;
	long off;
	int ret;

	ret = fresh_thp_buffer(ctx, &b, job->size, state, gen, &sum);
	if (ret)
		goto out;
	if (job->dir == TO_SYS) {
		ret = timed_migrate(ctx, &b, TO_DEV, bounce, 0, &ns);
		if (ret || (ret = bench_snapshot(ctx->dev, &b, state, &sum)))
			goto out;
	}
	out->whole_before = sum.whole_pmds;
	before = meta_counters();
	ret = timed_migrate(ctx, &b, job->dir, bounce, inject, &out->ns);
	after = meta_counters();
	out->counters = meta_counter_delta(before, after);
	json_decref(before);
	json_decref(after);
	if (ret || (ret = bench_snapshot(ctx->dev, &b, state, &sum)))
		goto out;
	out->whole_after = sum.whole_pmds;

	/* Whatever was split, the data must have survived. */
	if (job->dir == TO_DEV) {
		ret = bench_check_device_copy(ctx, &b, bounce, gen,
					      "in device memory after a split");
		if (ret)
			goto out;
		ret = timed_migrate(ctx, &b, TO_SYS, bounce, 0, &ns);
	}
	off = pattern_check(b.addr, b.npages, ctx->seed, gen, &want, &got);
	if (!ret && off >= 0)
		ret = bench_mismatch(ctx->dev, &b, "after a split migration", off, want, got);
out:
	buf_free(&b);
	return ret;
}

/* The params of every injected-split record: samples, unsupported, summaries. */
static json_t *split_params(const struct split_job *job, int inject)
{
	return json_pack("{s:I, s:s, s:s}", "size", (json_int_t)job->size,
			 "direction", migrate_dir_name(job->dir),
			 "failure", inject ? "injected" : "none");
}

static json_t *split_record(const struct bench_ctx *ctx, const struct split_job *job,
			    unsigned int iter, int inject, struct split_sample *s)
{
	json_t *r = rec_new("sample");

	json_object_set_new(r, "bench", json_string("split"));
	json_object_set_new(r, "params", split_params(job, inject));
	json_object_set_new(r, "iter", json_integer(iter));
	json_object_set_new(r, "ns", json_integer((json_int_t)s->ns));
	json_object_set_new(r, "pmds_attempted", json_integer((json_int_t)s->whole_before));
	json_object_set_new(r, "pmds_split", json_integer((json_int_t)
			    split_count(s->whole_before, s->whole_after)));
	json_object_set_new(r, "values", json_pack("{s:f}", "time", s->ns / 1e6));
	if (s->whole_before)
		json_object_set_new(json_object_get(r, "values"), "split_rate",
				    json_real((double)split_count(s->whole_before, s->whole_after)
					      / s->whole_before));
	json_object_set_new(r, "counters_delta", s->counters);
	s->counters = NULL;
	if (job->dir == TO_DEV)
		bench_note_device_check(ctx, r);
	return r;
}

static int write_unsupported(struct bench_ctx *ctx, const struct split_job *job)
{
	json_t *r = rec_new("unsupported");

	json_object_set_new(r, "bench", json_string("split"));
	json_object_set_new(r, "params", split_params(job, 1));
	json_object_set_new(r, "capability", json_string(hmm_cap_name(HMM_CAP_FAIL_ALLOC)));
	json_object_set_new(r, "reason", json_string(hmm_cap_reason(ctx->dev, HMM_CAP_FAIL_ALLOC)));
	rec_write(ctx->out, r);
	return -EOPNOTSUPP;
}

void split_result_free(struct split_result *res)
{
	free(res->split_rate);
	free(res->ms_injected);
	free(res->ms_plain);
	memset(res, 0, sizeof(*res));
}

int bench_split(struct bench_ctx *ctx, const struct split_job *job,
		struct split_result *res)
{
	size_t n = reps_capacity(&job->reps);
	const double *series[1];
	uint64_t start = now_ns();
	uint8_t *state = malloc(job->size / PAGE_SZ);
	void *bounce = malloc(job->size);
	int ret = 0;

	memset(res, 0, sizeof(*res));
	res->split_rate = calloc(n, sizeof(double));
	res->ms_injected = calloc(n, sizeof(double));
	res->ms_plain = calloc(n, sizeof(double));
	if (!state || !bounce || !res->split_rate || !res->ms_injected || !res->ms_plain) {
		ret = -ENOMEM;
		goto out;
	}
	if (!hmm_dev_can(ctx->dev, HMM_CAP_FAIL_ALLOC)) {
		ret = write_unsupported(ctx, job);
		goto out;
	}
	series[0] = res->ms_injected;
	for (unsigned int i = 0; res->stop == STOP_NOT_YET; i++) {
		struct split_sample plain = { 0 }, hit = { 0 };
		size_t split;

		if (*ctx->stop) {
			res->stop = STOP_INTERRUPTED;
			break;
		}
		ret = measure_once(ctx, job, 0, 2 * i + 1, state, bounce, &plain);
		if (!ret)
			rec_write(ctx->out, split_record(ctx, job, i, 0, &plain));
		if (!ret)
			ret = measure_once(ctx, job, 1, 2 * i + 2, state, bounce, &hit);
		json_decref(plain.counters);
		if (ret) {
			json_decref(hit.counters);
			break;
		}
		split = split_count(hit.whole_before, hit.whole_after);
		rec_write(ctx->out, split_record(ctx, job, i, 1, &hit));
		/* No whole PMD to split (THP did not form or never moved whole). */
		if (!hit.whole_before) {
			if (i >= reps_capacity(&job->reps))
				res->stop = STOP_MAX_SAMPLES;
			continue;
		}
		res->pmds_attempted += hit.whole_before;
		res->pmds_split += split;
		res->split_rate[res->n] = (double)split / hit.whole_before;
		res->ms_injected[res->n] = hit.ns / 1e6;
		res->ms_plain[res->n] = plain.ns / 1e6;
		res->n++;
		bench_sampled(ctx, res->n);
		res->stop = reps_check(&job->reps, series, 1, res->n,
				       now_ns() - start, *ctx->stop);
	}
out:
	free(state);
	free(bounce);
	return ret;
}

/* failure=injected: the split rate, the injected migration's time and its plain baseline. */
static int injected_case(struct bench_ctx *ctx, const struct job *j, size_t size,
			 enum migrate_dir d, const char **skip)
{
	struct split_job job = { size, d, j->reps };
	struct split_result res;
	char note[48];
	int ret = bench_split(ctx, &job, &res);

	if (ret == -EOPNOTSUPP) {
		*skip = hmm_cap_reason(ctx->dev, HMM_CAP_FAIL_ALLOC);
		split_result_free(&res);
		return 0;
	}
	snprintf(note, sizeof(note), "%zu/%zu split", res.pmds_split, res.pmds_attempted);
	bench_row(ctx, "split", split_params(&job, 1), "split_rate", "rate", res.split_rate,
		  res.n, note, res.stop);
	bench_row(ctx, "split", split_params(&job, 1), "time", "injected", res.ms_injected,
		  res.n, "injected", res.stop);
	bench_row(ctx, "split-baseline", split_params(&job, 1), "time", "plain", res.ms_plain,
		  res.n, "baseline", res.stop);
	split_result_free(&res);
	return ret;
}

/* failure=fragmented: one case per pressure level, to-sys and fault-back rows. */
static int fragmented_case(struct bench_ctx *ctx, const struct job *j, size_t size,
			   unsigned int level, const char **skip)
{
	struct split_real_job job = { size, level, reps_count(&j->reps) };
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

/* Cases per size: a pressure level each (fragmented), else a direction each. */
static unsigned int per_size(const struct job *j)
{
	const struct split_opts *o = j->opts;

	return o->failure == SPLIT_FRAGMENTED ? o->pressure.n : mask_count(j->dir_mask);
}

static int split_run_case(struct bench_ctx *ctx, const struct job *j, unsigned int i,
			  const char **skip)
{
	const struct split_opts *o = j->opts;
	unsigned int per = per_size(j);
	size_t size = j->sizes.v[i / per];

	if (o->failure == SPLIT_FRAGMENTED)
		return fragmented_case(ctx, j, size, o->pressure.v[i % per], skip);
	return injected_case(ctx, j, size, mask_nth(j->dir_mask, i % per), skip);
}

static unsigned int split_cases(const struct job *j)
{
	return j->sizes.n * per_size(j);
}

static void split_label(const struct job *j, unsigned int i, char *buf, size_t len)
{
	const struct split_opts *o = j->opts;
	unsigned int per = per_size(j);
	char sz[24];

	size_str(j->sizes.v[i / per], sz, sizeof(sz));
	if (o->failure == SPLIT_FRAGMENTED)
		snprintf(buf, len, "split %s %u%%", sz, o->pressure.v[i % per]);
	else
		snprintf(buf, len, "split %s %s", sz, migrate_dir_name(mask_nth(j->dir_mask, i % per)));
}

static const struct key_choice failure_choices[] = {
	{ "injected", SPLIT_INJECTED }, { "fragmented", SPLIT_FRAGMENTED }, { NULL, 0 },
};

static const struct job_key split_key_failure = {
	.name = "failure", .type = KEY_CHOICE, .in_opts = 1,
	.off = offsetof(struct split_opts, failure), .def = "injected", .choices = failure_choices,
	.help = "how the large allocation fails: injected (FAIL_ALLOC, Linux 6.19+) or fragmented (free memory made unusable for 2 MiB, needs root)",
};

static const struct job_key split_key_pressure = {
	.name = "pressure", .type = KEY_UINTS, .in_opts = 1,
	.off = offsetof(struct split_opts, pressure), .def = "0,50,90,100", .min = 0, .max = 100,
	.percent = 1,
	.help = "failure=fragmented: percentages of the free 2 MiB blocks made unusable, one case each",
};

static const struct job_key *const split_keys[] = {
	&key_sizes, &key_direction, &split_key_failure, &split_key_pressure, &key_repetitions,
	&key_min_samples, &key_max_samples, &key_target_ci, &key_max_time, NULL,
};

static const struct metric_info split_metrics[] = {
	{ "split_rate", "ratio", BETTER_LOWER, METRIC_RATIO,
	  "PMDs split over PMDs attempted in one migration" },
	{ "time", "ms", BETTER_LOWER, METRIC_TIME, "time of one migration call" },
	{ NULL, NULL, 0, 0, NULL },
};

static struct bench_ops split_ops = {
	.name = "split",
	.describe = "THP migrations whose large allocation fails: split rate and cost",
	.keys = split_keys,
	.opts_size = sizeof(struct split_opts),
	.cases = split_cases,
	.case_label = split_label,
	.run_case = split_run_case,
	.metrics = split_metrics,
};
BENCH_REGISTER(split_ops)
