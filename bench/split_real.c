// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errname.h"
#include "frag.h"
#include "meta.h"
#include "split.h"
#include "split_real.h"
#include "sysknob.h"

/*
 * What the measurement changes, and why. Compaction must not migrate the
 * kept (mlocked, so unevictable) pages away and rebuild the blocks; it
 * should not run proactively in the background either; khugepaged should
 * not compact to collapse THPs while the level is held.
 */
static const struct { const char *path, *value; } knobs[] = {
	{ "/proc/sys/vm/compact_unevictable_allowed", "0" },
	{ "/proc/sys/vm/compaction_proactiveness", "0" },
	{ "/sys/kernel/mm/transparent_hugepage/khugepaged/defrag", "0" },
};

struct real_sample {
	uint64_t ns;
	size_t whole_before, whole_after;
	long free_blocks;		/* at the sample's start */
	json_t *counters;
};

const char *split_real_method_name(enum split_real_method m)
{
	return m == REAL_TO_SYS ? "to-sys" : "fault-back";
}

json_t *split_real_params(const struct split_real_job *job, enum split_real_method m)
{
	json_t *p = json_pack("{s:I}", "size", (json_int_t)job->size);

	if (m < NR_REAL_METHODS)
		json_object_set_new(p, "direction", json_string(split_real_method_name(m)));
	json_object_set_new(p, "failure", json_string("fragmented"));
	json_object_set_new(p, "pressure", json_integer(job->level));
	return p;
}

static int unsupported(struct bench_ctx *ctx, const struct split_real_job *job,
		       const char *cap, const char *reason, struct split_real_result *res)
{
	json_t *r = rec_new("unsupported");

	json_object_set_new(r, "bench", json_string("split"));
	json_object_set_new(r, "params", split_real_params(job, REAL_TO_SYS));
	json_object_set_new(r, "capability", json_string(cap));
	json_object_set_new(r, "reason", json_string(reason));
	rec_write(ctx->out, r);
	res->unsupported = reason;
	return -EOPNOTSUPP;
}

static int set_knobs(struct sysknob_set *s)
{
	int ret = sysknob_guard(s);

	if (ret) {
		fprintf(stderr, "hmmbench: cannot fork the process that restores system settings: %s\n",
			errno_name(-ret));
		return ret;
	}
	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		ret = sysknob_set(s, knobs[i].path, knobs[i].value);
		if (ret < 0) {
			fprintf(stderr, "hmmbench: cannot set %s to %s: %s (run as root)\n",
				knobs[i].path, knobs[i].value, errno_name(-ret));
			return ret;
		}
	}
	return 0;
}

/* A THP buffer, filled and moved to the device; the PMDs that got there whole. */
static int to_device(struct bench_ctx *ctx, struct test_buf *b, size_t size, uint64_t gen,
		     void *bounce, uint8_t *state, size_t *whole)
{
	struct hmm_snapshot_summary sum;
	int ret = buf_alloc(b, size, PAGES_THP);

	if (ret)
		return ret;
	pattern_fill(b->addr, b->npages, ctx->seed, gen);
	ret = hmm_dev_migrate_to_dev(ctx->dev, b->addr, b->npages, bounce, NULL);
	if (ret)
		return bench_dev_error(ret);
	ret = bench_snapshot(ctx->dev, b, state, &sum);
	*whole = sum.whole_pmds;
	return ret;
}

/* Brings @b back by @m, timed; the device held @s->whole_before PMDs. */
static int measure(struct bench_ctx *ctx, struct test_buf *b, enum split_real_method m,
		   uint64_t gen, uint8_t *state, struct real_sample *s)
{
	struct hmm_snapshot_summary sum;
	json_t *before = meta_counters(), *after;
	uint64_t t0 = now_ns(), want, got;
	long off;
	int ret = 0;

	if (m == REAL_TO_SYS)
		ret = hmm_dev_migrate_to_sys(ctx->dev, b->addr, b->npages, NULL);
	else
		for (size_t o = 0; o < b->size; o += PMD_SZ)
			(void)*(volatile uint8_t *)(b->addr + o);
	s->ns = now_ns() - t0;
	after = meta_counters();
	s->counters = meta_counter_delta(before, after);
	json_decref(before);
	json_decref(after);
	if (ret)
		return bench_dev_error(ret);
	ret = bench_snapshot(ctx->dev, b, state, &sum);
	if (ret)
		return ret;
	s->whole_after = sum.whole_pmds;
	off = pattern_check(b->addr, b->npages, ctx->seed, gen, &want, &got);
	return off < 0 ? 0 : bench_mismatch(ctx->dev, b, "after a split under fragmentation",
					    off, want, got);
}

static void write_sample(struct bench_ctx *ctx, const struct split_real_job *job,
			 enum split_real_method m, unsigned int iter, struct real_sample *s)
{
	json_t *r = rec_new("sample");
	size_t split = split_count(s->whole_before, s->whole_after);

	json_object_set_new(r, "bench", json_string("split"));
	json_object_set_new(r, "params", split_real_params(job, m));
	json_object_set_new(r, "iter", json_integer(iter));
	json_object_set_new(r, "ns", json_integer((json_int_t)s->ns));
	json_object_set_new(r, "pmds_attempted", json_integer((json_int_t)s->whole_before));
	json_object_set_new(r, "pmds_split", json_integer((json_int_t)split));
	json_object_set_new(r, "free_blocks", json_integer(s->free_blocks));
	json_object_set_new(r, "values", json_pack("{s:f}", "time", s->ns / 1e6));
	if (s->whole_before)
		json_object_set_new(json_object_get(r, "values"), "split_rate",
				    json_real((double)split / s->whole_before));
	json_object_set_new(r, "counters_delta", s->counters);
	s->counters = NULL;
	rec_write(ctx->out, r);
}

static void keep_sample(struct split_real_result *res, enum split_real_method m,
			const struct real_sample *s)
{
	size_t split = split_count(s->whole_before, s->whole_after);

	if (!s->whole_before)	/* no THP reached the device whole: nothing to split */
		return;
	res->pmds_attempted[m] += s->whole_before;
	res->pmds_split[m] += split;
	res->split_rate[m][res->n[m]] = (double)split / s->whole_before;
	res->ms[m][res->n[m]++] = s->ns / 1e6;
}

/* The evidence that the pressure is real: free 2 MiB blocks before and after. */
static void write_pressure(struct bench_ctx *ctx, const struct split_real_job *job,
			   const struct frag *f, const struct sysknob_set *k)
{
	json_t *r = rec_new("pressure");

	json_object_set_new(r, "bench", json_string("split"));
	json_object_set_new(r, "params", split_real_params(job, NR_REAL_METHODS));
	json_object_set_new(r, "free_blocks_before", json_integer(f->blocks_before));
	json_object_set_new(r, "free_blocks_target", json_integer(f->target_left));
	json_object_set_new(r, "free_blocks_after", json_integer(f->blocks_after));
	json_object_set_new(r, "blocks_poisoned", json_integer((json_int_t)f->poisoned));
	json_object_set_new(r, "blocks_plugged", json_integer((json_int_t)f->plugged));
	json_object_set_new(r, "partial_blocks_pinned", json_integer((json_int_t)f->pinned_partial));
	json_object_set_new(r, "populated_bytes", json_integer((json_int_t)f->populated));
	json_object_set_new(r, "buddyinfo_before", json_string(f->buddy_before));
	json_object_set_new(r, "buddyinfo_after", json_string(f->buddy_after));
	json_object_set_new(r, "knobs_set", sysknob_json(k));
	rec_write(ctx->out, r);
}

static void write_knobs(struct bench_ctx *ctx, const struct split_real_job *job,
			const struct sysknob_set *k)
{
	json_t *r = rec_new("knobs");
	char list[512];

	json_object_set_new(r, "bench", json_string("split"));
	json_object_set_new(r, "params", split_real_params(job, NR_REAL_METHODS));
	json_object_set_new(r, "knobs", sysknob_json(k));
	rec_write(ctx->out, r);
	if (k->n)
		fprintf(stderr, "hmmbench: restored %s\n", sysknob_restored_str(k, list, sizeof(list)));
}

static int alloc_result(struct split_real_result *res, size_t n)
{
	memset(res, 0, sizeof(*res));
	for (int m = 0; m < NR_REAL_METHODS; m++) {
		res->split_rate[m] = calloc(n, sizeof(double));
		res->ms[m] = calloc(n, sizeof(double));
		if (!res->split_rate[m] || !res->ms[m])
			return -ENOMEM;
	}
	return 0;
}

void split_real_result_free(struct split_real_result *res)
{
	for (int m = 0; m < NR_REAL_METHODS; m++) {
		free(res->split_rate[m]);
		free(res->ms[m]);
	}
	memset(res, 0, sizeof(*res));
}

/*
 * 2 x samples buffers wait on the device while a level is held, each
 * taking its size in system RAM (test_hmm backs device pages with it; the
 * buffer's own THPs were freed): refuse what cannot fit with room to
 * spare, rather than meet the OOM killer halfway through.
 */
static int check_room(const struct split_real_job *job)
{
	long kib = meta_meminfo_kib("MemAvailable:");
	size_t avail = kib > 0 ? (size_t)kib << 10 : 0;
	size_t need = 2 * (size_t)job->samples * job->size;

	if (!avail || need <= avail / 2)
		return 0;
	fprintf(stderr, "hmmbench: split failure=fragmented with size %zu MiB and %u samples needs %zu MiB on the device, more than half of the %zu MiB available; lower sizes or repetitions\n",
		job->size >> 20, job->samples, need >> 20, avail >> 20);
	return -E2BIG;
}

struct real_bufs {
	struct test_buf *b;
	size_t *whole;
	size_t n;
};

static int prepare(struct bench_ctx *ctx, const struct split_real_job *job,
		   struct real_bufs *rb, uint8_t *state)
{
	void *bounce = malloc(job->size);
	int ret = 0;

	rb->n = 2 * job->samples;
	rb->b = calloc(rb->n, sizeof(*rb->b));
	rb->whole = calloc(rb->n, sizeof(*rb->whole));
	if (!bounce || !rb->b || !rb->whole)
		ret = -ENOMEM;
	for (size_t i = 0; !ret && i < rb->n && !*ctx->stop; i++)
		ret = to_device(ctx, &rb->b[i], job->size, i + 1, bounce, state, &rb->whole[i]);
	free(bounce);
	return ret;
}

static void free_bufs(struct real_bufs *rb)
{
	for (size_t i = 0; rb->b && i < rb->n; i++)
		buf_free(&rb->b[i]);
	free(rb->b);
	free(rb->whole);
}

static int run_samples(struct bench_ctx *ctx, const struct split_real_job *job,
		       struct frag *f, struct real_bufs *rb, uint8_t *state,
		       struct split_real_result *res)
{
	int ret = 0;

	for (unsigned int i = 0; i < job->samples && !ret; i++) {
		for (int m = 0; m < NR_REAL_METHODS && !ret; m++) {
			size_t k = 2 * i + m;
			struct real_sample s = { .whole_before = rb->whole[k] };

			if (*ctx->stop) {
				res->stop = STOP_INTERRUPTED;
				return 0;
			}
			/*
			 * The blocks the last sample freed are taken again: same
			 * level each time. The count replugging ended on is the
			 * sample's: a second read could see a block the kernel
			 * freed since (a per-CPU list drained, kcompactd).
			 */
			if (!job->level)
				s.free_blocks = frag_blocks_now();
			else if ((ret = frag_replug(f, &s.free_blocks)))
				break;
			ret = measure(ctx, &rb->b[k], m, k + 1, state, &s);
			if (!ret) {
				write_sample(ctx, job, m, i, &s);
				keep_sample(res, m, &s);
				bench_sampled(ctx, res->n[REAL_TO_SYS] + res->n[REAL_FAULT_BACK]);
			}
			json_decref(s.counters);
			buf_free(&rb->b[k]);
		}
	}
	if (!ret)
		res->stop = STOP_FIXED;
	return ret;
}

int bench_split_real(struct bench_ctx *ctx, const struct split_real_job *job,
		     struct split_real_result *res)
{
	struct real_bufs rb = { 0 };
	struct sysknob_set knob;
	struct frag f = { 0 };
	uint8_t *state = malloc(job->size / PAGE_SZ);
	int ret = alloc_result(res, job->samples), vis;

	if (ret || !state)
		goto out_free;
	if (!hmm_dev_can(ctx->dev, HMM_CAP_THP_PMD)) {
		ret = unsupported(ctx, job, hmm_cap_name(HMM_CAP_THP_PMD),
				  hmm_cap_reason(ctx->dev, HMM_CAP_THP_PMD), res);
		goto out_free;
	}
	vis = frag_pfns_visible();
	if (vis <= 0) {
		static char why[128];	/* the reason outlives the call: the runner prints it */

		snprintf(why, sizeof(why), "cannot read /proc/self/pagemap: %s", errno_name(-vis));
		ret = unsupported(ctx, job, "pagemap-pfn", vis ? why
				  : "/proc/self/pagemap hides physical frame numbers without CAP_SYS_ADMIN; run as root",
				  res);
		goto out_free;
	}
	ret = check_room(job);
	if (ret)
		goto out_free;
	sysknob_init(&knob, ctx->sysknob_root);
	ret = set_knobs(&knob);
	if (!ret)
		ret = prepare(ctx, job, &rb, state);
	if (!ret && !*ctx->stop) {
		ret = frag_setup(&f, job->level, ctx->stop);
		res->blocks_before = f.blocks_before;
		res->blocks_after = f.blocks_after;
		if (!ret)
			write_pressure(ctx, job, &f, &knob);
		else if (ret == -EINTR)		/* *ctx->stop: no sample follows */
			ret = 0;
		else
			fprintf(stderr, "hmmbench: fragmenting free memory failed: %s%s\n",
				errno_name(-ret), ret == -ENOMEM || ret == -EPERM ?
				" (mlock needs root or a higher RLIMIT_MEMLOCK: ulimit -l unlimited)" : "");
	}
	if (!ret)
		ret = run_samples(ctx, job, &f, &rb, state, res);
	if (*ctx->stop)
		res->stop = STOP_INTERRUPTED;
	frag_release(&f);
	free_bufs(&rb);
	vis = sysknob_restore_all(&knob);
	if (vis && !ret)
		ret = vis;
	write_knobs(ctx, job, &knob);
out_free:
	free(state);
	return ret;
}
