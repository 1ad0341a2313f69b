// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_ops.h"
#include "migrate.h"
#include "pagemap.h"
#include "pagestate.h"

const char *migrate_dir_name(enum migrate_dir dir)
{
	return dir == TO_DEV ? "to-dev" : "to-sys";
}

/*
 * The page frame behind @addr, or 0 when pagemap hides it (no
 * CAP_SYS_ADMIN) or the page is not present: where the round trip put the
 * data back in system memory, i.e. which placement this sample measured.
 */
static uint64_t system_pfn(const void *addr)
{
	uint64_t pme;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = pread(fd, &pme, sizeof(pme), (off_t)((uintptr_t)addr / PAGE_SZ * sizeof(pme)));
	close(fd);
	if (n != sizeof(pme) || !(pme & PM_PRESENT))
		return 0;
	return pme & PM_PFRAME_MASK;
}

/* The params of every migrate record: samples and summaries. */
static json_t *migrate_params(size_t size, enum page_mode mode, enum migrate_dir d)
{
	return json_pack("{s:I, s:s, s:s}", "size", (json_int_t)size,
			 "pages", page_mode_name(mode), "direction", migrate_dir_name(d));
}

static json_t *sample_record(const struct bench_ctx *ctx, const struct migrate_job *job,
			     enum migrate_dir dir, unsigned int iter,
			     int warmup, uint64_t ns,
			     const struct hmm_xfer *xfer,
			     const struct hmm_snapshot_summary *after,
			     uint8_t first_state, unsigned int buffer,
			     uint64_t pfn)
{
	json_t *r = rec_new("sample");

	json_object_set_new(r, "bench", json_string("migrate"));
	json_object_set_new(r, "params", migrate_params(job->size, job->mode, dir));
	json_object_set_new(r, "iter", json_integer(iter));
	if (warmup)
		json_object_set_new(r, "warmup", json_true());
	json_object_set_new(r, "ns", json_integer((json_int_t)ns));
	json_object_set_new(r, "bytes", json_integer((json_int_t)job->size));
	json_object_set_new(r, "values", json_pack("{s:f}", "throughput",
			    job->size / (ns / 1e3)));
	json_object_set_new(r, "cpages", json_integer((json_int_t)xfer->cpages));
	json_object_set_new(r, "snapshot", json_pack("{s:I, s:I, s:I, s:I, s:i}",
			    "device", (json_int_t)after->device,
			    "system", (json_int_t)after->system,
			    "pmd_pages", (json_int_t)after->pmd_pages,
			    "whole_pmds", (json_int_t)after->whole_pmds,
			    "first", first_state));
	json_object_set_new(r, "buffer", json_integer(buffer));
	if (pfn)
		json_object_set_new(r, "pfn", json_integer((json_int_t)pfn));
	bench_note_device_check(ctx, r);
	return r;
}

struct round_trip {
	uint64_t ns[NR_DIRS];
	struct hmm_xfer xfer[NR_DIRS];
	struct hmm_snapshot_summary snap[NR_DIRS];
	uint8_t first[NR_DIRS];
};

static int one_round_trip(struct bench_ctx *ctx, struct test_buf *b,
			  uint8_t *bounce, uint8_t *state, uint64_t gen,
			  struct round_trip *rt)
{
	struct hmm_dev *dev = ctx->dev;
	uint64_t t0, want, got;
	long off;
	int ret;

	pattern_fill(b->addr, b->npages, ctx->seed, gen);
	t0 = now_ns();
	ret = hmm_dev_migrate_to_dev(dev, b->addr, b->npages, bounce, &rt->xfer[TO_DEV]);
	rt->ns[TO_DEV] = now_ns() - t0;
	if (ret)
		return bench_dev_error(ret);
	ret = bench_snapshot(dev, b, state, &rt->snap[TO_DEV]);
	if (ret)
		return ret;
	rt->first[TO_DEV] = state[0];
	/* What the device holds, as the driver copied it back to us. */
	ret = bench_check_device_copy(ctx, b, bounce, gen, "in device memory");
	if (ret)
		return ret;

	t0 = now_ns();
	ret = hmm_dev_migrate_to_sys(dev, b->addr, b->npages, &rt->xfer[TO_SYS]);
	rt->ns[TO_SYS] = now_ns() - t0;
	if (ret)
		return bench_dev_error(ret);
	ret = bench_snapshot(dev, b, state, &rt->snap[TO_SYS]);
	if (ret)
		return ret;
	rt->first[TO_SYS] = state[0];
	off = pattern_check(b->addr, b->npages, ctx->seed, gen, &want, &got);
	if (off >= 0)
		return bench_mismatch(dev, b, "after the round trip", off, want, got);
	return 0;
}

static int alloc_result(struct migrate_result *res, size_t n)
{
	memset(res, 0, sizeof(*res));
	for (int d = 0; d < NR_DIRS; d++) {
		res->mbps[d] = calloc(n ? n : 1, sizeof(double));
		if (!res->mbps[d])
			return -ENOMEM;
	}
	return 0;
}

void migrate_result_free(struct migrate_result *res)
{
	for (int d = 0; d < NR_DIRS; d++)
		free(res->mbps[d]);
	memset(res, 0, sizeof(*res));
}

/* Enough buffers that the case's PMDs come to MIGRATE_PLACEMENTS. */
static unsigned int buffers_for(const struct migrate_job *job)
{
	size_t pmds = job->size / PMD_SZ;

	if (job->mode != PAGES_THP || !pmds || pmds >= MIGRATE_PLACEMENTS)
		return 1;
	return (MIGRATE_PLACEMENTS + pmds - 1) / pmds;
}

int migrate_start(struct bench_ctx *ctx, const struct migrate_job *job,
		  struct migrate_result *res, struct migrate_run *run)
{
	struct hmm_snapshot_summary initial;
	int ret;

	memset(run, 0, sizeof(*run));
	run->job = job;
	run->res = res;
	ret = alloc_result(res, reps_capacity(&job->reps));
	if (ret)
		return ret;
	run->bounce = malloc(job->size);
	run->state = malloc(job->size / PAGE_SZ);
	if (!run->bounce || !run->state)
		return -ENOMEM;
	res->buffers = buffers_for(job);
	res->thp_formed = SIZE_MAX;
	for (run->nbufs = 0; run->nbufs < res->buffers; run->nbufs++) {
		struct test_buf *b = &run->b[run->nbufs];

		ret = buf_alloc(b, job->size, job->mode);
		if (ret)
			return ret;
		/* Fault the buffer in first, so THPs form before we look. */
		pattern_fill(b->addr, b->npages, ctx->seed, 0);
		ret = bench_snapshot(ctx->dev, b, run->state, &initial);
		if (ret)
			return ret;
		if (initial.whole_pmds < res->thp_formed)
			res->thp_formed = initial.whole_pmds;
	}
	return 0;
}

int migrate_step(struct bench_ctx *ctx, struct migrate_run *run)
{
	const struct migrate_job *job = run->job;
	struct migrate_result *res = run->res;
	const double *series[NR_DIRS];
	unsigned int i = run->iter++;
	/*
	 * The case's first trips are its warm-ups, whichever buffer they use:
	 * a fresh buffer's first trip costs what its later ones do (icount).
	 */
	int warmup = i < job->warmup;
	struct test_buf *b = &run->b[i % run->nbufs];
	uint64_t step_start = now_ns(), pfn;
	struct round_trip rt;
	int ret;

	if (*ctx->stop) {
		res->stop = STOP_INTERRUPTED;
		return 1;
	}
	ret = one_round_trip(ctx, b, run->bounce, run->state, i + 1, &rt);
	if (ret) {
		res->verify_failed = ret == -EIO;
		run->ret = ret;
		return 1;
	}
	pfn = system_pfn(b->addr);
	for (int d = 0; d < NR_DIRS; d++) {
		ret = rec_write(ctx->out, sample_record(ctx, job, d, i, warmup,
				rt.ns[d], &rt.xfer[d], &rt.snap[d], rt.first[d],
				i % run->nbufs, pfn));
		if (ret) {
			fprintf(stderr, "hmmbench: cannot write %s: %s\n",
				ctx->out->path, strerror(-ret));
			run->ret = ret;
			return 1;
		}
		if (!warmup)
			res->mbps[d][res->n] = job->size / (rt.ns[d] / 1e3);
	}
	if (warmup)
		return 0;
	if (b->npages >= PAGES_PER_PMD &&
	    rt.snap[TO_DEV].whole_pmds == b->npages / PAGES_PER_PMD &&
	    rt.snap[TO_DEV].device == b->npages)
		res->samples_whole_pmd++;
	res->n++;
	bench_sampled(ctx, res->n);
	for (int d = 0; d < NR_DIRS; d++)
		series[d] = res->mbps[d];
	/*
	 * max_time counts the case's own measured steps, this one included,
	 * so it buys a case as much measuring alone as interleaved.
	 */
	res->stop = reps_check(&job->reps, series, NR_DIRS, res->n,
			       run->own_ns + (now_ns() - step_start),
			       *ctx->stop);
	run->own_ns += now_ns() - step_start;
	return res->stop != STOP_NOT_YET;
}

void migrate_finish(struct migrate_run *run)
{
	free(run->bounce);
	free(run->state);
	for (unsigned int i = 0; i < MIGRATE_PLACEMENTS; i++)
		buf_free(&run->b[i]);
	run->bounce = NULL;
	run->state = NULL;
}

int bench_migrate(struct bench_ctx *ctx, const struct migrate_job *job,
		  struct migrate_result *res)
{
	struct migrate_run run;
	int ret = migrate_start(ctx, job, res, &run);

	while (!ret && !migrate_step(ctx, &run))
		;
	migrate_finish(&run);
	return ret ? ret : run.ret;
}


/*
 * A migration's throughput over a ceiling measured earlier in the run,
 * each sample a fraction, printed as a row of its own ("to-dev /copy").
 * test_hmm's device copy is a CPU copy, so this machine's best copy
 * bandwidth bounds it ("copy_fraction"); a GPU's copy engine is bounded by
 * its bus, the pinned copies of copyceil's bus case ("bus_fraction").
 */
static void fraction_row(struct bench_ctx *ctx, const struct migrate_job *job,
			 enum migrate_dir d, const struct migrate_result *res, double ceiling,
			 const char *metric, const char *of, const char *note)
{
	double frac[res->n ? res->n : 1];
	char suffix[32];

	for (size_t i = 0; i < res->n; i++)
		frac[i] = res->mbps[d][i] / ceiling;
	snprintf(suffix, sizeof(suffix), "%s /%s", migrate_dir_name(d), of);
	bench_row(ctx, "migrate", migrate_params(job->size, job->mode, d), metric,
		  suffix, frac, res->n, note, res->stop);
}

/* The bus ceiling in the migration's direction; 0 if none was measured. */
static double bus_ceiling(const struct bench_ctx *ctx, enum migrate_dir d)
{
	return ctx->bus_mbps[d == TO_DEV ? HMM_COPY_TO_DEV : HMM_COPY_TO_SYS];
}

/* "PMD 30/30, 8 bufs": the samples rotated among 8 buffers (bench/migrate.h). */
static void migrate_pmd_note(char *note, size_t len, const struct migrate_result *res)
{
	int n = snprintf(note, len, "PMD %zu/%zu", res->samples_whole_pmd, res->n);

	if (res->buffers > 1 && n > 0 && (size_t)n < len)
		snprintf(note + n, len - n, ", %u bufs", res->buffers);
}

/* A case's summary rows: throughput per direction the job asked for, and its fraction. */
static void migrate_rows(struct bench_ctx *ctx, const struct job *j, const struct migrate_job *job,
			 const struct migrate_result *res)
{
	for (int d = 0; d < NR_DIRS; d++) {
		char note[32] = "";

		if (!(j->dir_mask & 1u << d))
			continue;
		if (job->mode == PAGES_THP && job->size >= PMD_SZ)
			migrate_pmd_note(note, sizeof(note), res);
		bench_row(ctx, "migrate", migrate_params(job->size, job->mode, d), "throughput",
			  migrate_dir_name(d), res->mbps[d], res->n, note, res->stop);
		if (ctx->copy_ceiling_mbps > 0)
			fraction_row(ctx, job, d, res, ctx->copy_ceiling_mbps, "copy_fraction",
				     "copy", "of ceiling");
		if (bus_ceiling(ctx, d) > 0)
			fraction_row(ctx, job, d, res, bus_ceiling(ctx, d), "bus_fraction",
				     "bus", "of bus");
	}
}

/* Case @i: sizes outer, page modes inner. */
static struct migrate_job case_job(const struct job *j, unsigned int i)
{
	unsigned int np = mask_count(j->pages_mask);

	return (struct migrate_job){ j->sizes.v[i / np], mask_nth(j->pages_mask, i % np),
				     j->warmup, j->reps };
}

static int migrate_run_case(struct bench_ctx *ctx, const struct job *j, unsigned int i,
			    const char **skip)
{
	struct migrate_job job = case_job(j, i);
	struct migrate_result res;
	int ret = bench_migrate(ctx, &job, &res);

	(void)skip;
	migrate_rows(ctx, j, &job, &res);
	migrate_result_free(&res);
	return ret;
}

static int migrate_grouped(const struct job *j)
{
	return ((const struct migrate_opts *)j->opts)->interleave;
}

/* interleave=true: the job's cases take turns (bench/migrate_rounds.c). */
static void migrate_run_group(struct bench_ctx *ctx, const struct job *j,
			      const struct bench_group *g)
{
	struct migrate_job jobs[JOB_MAX_LIST * 2];
	struct migrate_result res[JOB_MAX_LIST * 2];
	int rets[JOB_MAX_LIST * 2];
	unsigned int n = j->sizes.n * mask_count(j->pages_mask);

	for (unsigned int i = 0; i < n; i++)
		jobs[i] = case_job(j, i);
	bench_migrate_rounds(ctx, jobs, n, res, rets);
	g->measured(ctx);
	for (unsigned int i = 0; i < n; i++) {
		g->case_begin(ctx, i);
		migrate_rows(ctx, j, &jobs[i], &res[i]);
		g->case_end(ctx, i, rets[i], NULL);
		migrate_result_free(&res[i]);
	}
}

static unsigned int migrate_cases(const struct job *j)
{
	return j->sizes.n * mask_count(j->pages_mask);
}

static void migrate_label(const struct job *j, unsigned int i, char *buf, size_t len)
{
	struct migrate_job job = case_job(j, i);
	char sz[24];

	snprintf(buf, len, "migrate %s %s", size_str(job.size, sz, sizeof(sz)),
		 page_mode_name(job.mode));
}

static const struct job_key migrate_key_interleave = {
	.name = "interleave", .type = KEY_BOOL, .in_opts = 1,
	.off = offsetof(struct migrate_opts, interleave), .def = "false",
	.help = "run the job's cases in rounds, one round trip each per round, so drift hits them alike",
};

static const struct job_key *const migrate_keys[] = {
	&key_sizes, &key_pages, &key_direction, &key_warmup, &migrate_key_interleave,
	&key_repetitions, &key_min_samples, &key_max_samples, &key_target_ci, &key_max_time, NULL,
};

static const struct metric_info migrate_metrics[] = {
	{ "throughput", "MB/s", BETTER_HIGHER, METRIC_THROUGHPUT,
	  "bytes moved per second: the buffer over the migration call or the copy, 10^6 B/s" },
	{ "copy_fraction", "ratio", BETTER_HIGHER, METRIC_THROUGHPUT,
	  "migration throughput over this machine's best memcpy bandwidth" },
	{ "bus_fraction", "ratio", BETTER_HIGHER, METRIC_THROUGHPUT,
	  "migration throughput over the device's pinned copy bandwidth across its bus, same direction" },
	{ NULL, NULL, 0, 0, NULL },
};

static struct bench_ops migrate_ops = {
	.name = "migrate",
	.describe = "round trips of a buffer to device memory and back, each direction timed",
	.keys = migrate_keys,
	.opts_size = sizeof(struct migrate_opts),
	.cases = migrate_cases,
	.case_label = migrate_label,
	.run_case = migrate_run_case,
	.grouped = migrate_grouped,
	.run_group = migrate_run_group,
	.metrics = migrate_metrics,
};
BENCH_REGISTER(migrate_ops)
