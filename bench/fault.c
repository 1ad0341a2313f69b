// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "fault.h"
#include "mix64.h"
#include "pagestate.h"
#include "summary.h"

const struct key_choice fault_access_choices[] = {
	{ "read", FAULT_READ }, { "write", FAULT_WRITE }, { NULL, 0 },
};
const struct key_choice fault_pattern_choices[] = {
	{ "seq", FAULT_SEQ }, { "random", FAULT_RANDOM }, { "strided", FAULT_STRIDED }, { NULL, 0 },
};
const struct key_choice fault_sharing_choices[] = {
	{ "disjoint", FAULT_DISJOINT }, { "overlap", FAULT_OVERLAP }, { NULL, 0 },
};

/* The tables list each enum in its order: an enum value is its index. */
const char *fault_access_name(enum fault_access a)
{
	return fault_access_choices[a].name;
}

const char *fault_pattern_name(enum fault_pattern p)
{
	return fault_pattern_choices[p].name;
}

const char *fault_sharing_name(enum fault_sharing s)
{
	return fault_sharing_choices[s].name;
}

unsigned int fault_default_max_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return 2 * (n > 0 ? (unsigned int)n : 1);
}

size_t fault_plan(const struct fault_job *job, size_t npages, unsigned int t,
		  uint64_t seed, uint32_t *plan)
{
	size_t first = 0, len = npages, k = 0;
	uint64_t rng = seed ^ (0x51ed270b27a0f1d1ULL * (t + 1));

	if (job->sharing == FAULT_DISJOINT) {
		first = npages * t / job->threads;
		len = npages * (t + 1) / job->threads - first;
	}
	switch (job->pattern) {
	case FAULT_STRIDED:
		for (size_t r = 0; r < job->stride && r < len; r++)
			for (size_t i = r; i < len; i += job->stride)
				plan[k++] = first + i;
		break;
	case FAULT_RANDOM:
		for (size_t i = 0; i < len; i++)
			plan[i] = first + i;
		for (size_t i = len; i > 1; i--) {
			size_t j = mix64_next(&rng) % i;
			uint32_t tmp = plan[i - 1];

			plan[i - 1] = plan[j];
			plan[j] = tmp;
		}
		k = len;
		break;
	default:
		for (; k < len; k++)
			plan[k] = first + k;
	}
	return k;
}

size_t fault_units(const uint8_t *state, size_t npages, int64_t *unit)
{
	size_t pmds = 0, last_pmd = SIZE_MAX;

	for (size_t p = 0; p < npages; p++) {
		if (!hmm_page_on_device(state[p])) {
			unit[p] = -1;
		} else if (state[p] & HMM_PAGE_PMD) {
			unit[p] = npages + p / PAGES_PER_PMD;
			if (p / PAGES_PER_PMD != last_pmd)
				pmds++;
			last_pmd = p / PAGES_PER_PMD;
		} else {
			unit[p] = p;
		}
	}
	return pmds;
}

/* What all threads of one iteration share. */
struct fault_shared {
	uint8_t *addr;
	const uint64_t *ref;		/* the data as it was on the device */
	enum fault_access access;
	const int64_t *unit;
	uint8_t *claimed, *done;	/* per unit */
	/* The start gate: every thread waits until all exist, then all go. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int go, cancel;
};

struct fault_thread {
	struct fault_shared *sh;
	pthread_t tid;
	uint32_t *plan;
	size_t len;
	uint64_t *fault_ns, *contended_ns;
	size_t nfault, ncontended, resident;
	uint64_t t_start, t_end, sink;
	long kernel_faults;
};

static long thread_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return ru.ru_minflt + ru.ru_majflt;
}

/* One touch of page @p, timed; the store writes back what is there. */
static uint64_t timed_touch(struct fault_shared *sh, size_t p, uint64_t *sink)
{
	volatile uint64_t *w = (volatile uint64_t *)(sh->addr + p * PAGE_SZ);
	uint64_t t0, v = sh->ref[p * (PAGE_SZ / sizeof(uint64_t))];

	t0 = now_ns();
	if (sh->access == FAULT_WRITE)
		*w = v;
	else
		*sink += *w;
	return now_ns() - t0;
}

static void touch_page(struct fault_thread *ft, size_t p)
{
	struct fault_shared *sh = ft->sh;
	int64_t u = sh->unit[p];
	int first, pending;
	uint64_t ns;

	if (u < 0) {
		timed_touch(sh, p, &ft->sink);
		ft->resident++;
		return;
	}
	first = !__atomic_exchange_n(&sh->claimed[u], 1, __ATOMIC_ACQ_REL);
	pending = !first && !__atomic_load_n(&sh->done[u], __ATOMIC_ACQUIRE);
	ns = timed_touch(sh, p, &ft->sink);
	if (first) {
		__atomic_store_n(&sh->done[u], 1, __ATOMIC_RELEASE);
		ft->fault_ns[ft->nfault++] = ns;
	} else if (pending) {
		ft->contended_ns[ft->ncontended++] = ns;
	} else {
		ft->resident++;
	}
}

static void *fault_thread_main(void *arg)
{
	struct fault_thread *ft = arg;
	struct fault_shared *sh = ft->sh;
	long f0;

	pthread_mutex_lock(&sh->lock);
	while (!sh->go)
		pthread_cond_wait(&sh->cond, &sh->lock);
	pthread_mutex_unlock(&sh->lock);
	if (sh->cancel)
		return NULL;
	f0 = thread_faults();
	ft->t_start = now_ns();
	for (size_t i = 0; i < ft->len; i++)
		touch_page(ft, ft->plan[i]);
	ft->t_end = now_ns();
	ft->kernel_faults = thread_faults() - f0;
	return NULL;
}

/* Per-job memory, reused by every iteration. */
struct fault_work {
	struct fault_thread *th;
	uint8_t *bounce, *state_before, *state_after, *claimed, *done;
	int64_t *unit;
	struct latency_hist hist;
};

static void work_free(struct fault_work *w, unsigned int threads)
{
	for (unsigned int t = 0; w->th && t < threads; t++) {
		free(w->th[t].plan);
		free(w->th[t].fault_ns);
		free(w->th[t].contended_ns);
	}
	free(w->th);
	free(w->bounce);
	free(w->state_before);
	free(w->state_after);
	free(w->claimed);
	free(w->done);
	free(w->unit);
	hist_free(&w->hist);
}

static int work_alloc(struct fault_work *w, const struct fault_job *job,
		      size_t npages)
{
	size_t nunits = npages + npages / PAGES_PER_PMD + 1;

	memset(w, 0, sizeof(*w));
	w->th = calloc(job->threads, sizeof(*w->th));
	w->bounce = malloc(job->size);
	w->state_before = malloc(npages);
	w->state_after = malloc(npages);
	w->claimed = malloc(nunits);
	w->done = malloc(nunits);
	w->unit = malloc(npages * sizeof(*w->unit));
	if (!w->th || !w->bounce || !w->state_before || !w->state_after ||
	    !w->claimed || !w->done || !w->unit || hist_init(&w->hist))
		return -ENOMEM;
	for (unsigned int t = 0; t < job->threads; t++) {
		w->th[t].plan = malloc(npages * sizeof(uint32_t));
		w->th[t].fault_ns = malloc(npages * sizeof(uint64_t));
		w->th[t].contended_ns = malloc(npages * sizeof(uint64_t));
		if (!w->th[t].plan || !w->th[t].fault_ns || !w->th[t].contended_ns)
			return -ENOMEM;
	}
	return 0;
}

/* What one iteration measured, before it becomes a record. */
struct fault_iter {
	uint64_t ns, setup_ns;
	size_t pages_back, faults, contended, resident, kernel_faults, pmd_units;
	struct hmm_snapshot_summary before, after;
};

/* Fresh buffer, filled with generation @gen, on the device, SNAPSHOTted. */
static int prepare_buffer(struct bench_ctx *ctx, const struct fault_job *job,
			  struct test_buf *b, struct fault_work *w, uint64_t gen,
			  struct fault_iter *it)
{
	struct hmm_dev *dev = ctx->dev;
	struct hmm_xfer xfer;
	int ret = buf_alloc(b, job->size, job->mode);

	if (ret) {
		fprintf(stderr, "hmmbench: fault: cannot map a %zu-byte buffer: %s\n",
			job->size, strerror(-ret));
		return ret;
	}
	pattern_fill(b->addr, b->npages, ctx->seed, gen);
	ret = hmm_dev_migrate_to_dev(dev, b->addr, b->npages, w->bounce, &xfer);
	if (ret)
		return bench_dev_error(ret);
	ret = bench_snapshot(dev, b, w->state_before, &it->before);
	if (ret)
		return ret;
	ret = bench_check_device_copy(ctx, b, w->bounce, gen, "in device memory");
	if (ret)
		return ret;
	/*
	 * The threads' stores write back what each page holds, taken from the
	 * device's copy; a device that cannot be read has none: the pattern says.
	 */
	if (!hmm_dev_can(dev, HMM_CAP_DEV_RW))
		pattern_fill(w->bounce, b->npages, ctx->seed, gen);
	if (!it->before.device) {
		fprintf(stderr,
			"hmmbench: fault: MIGRATE_TO_DEV on %s left no page of the %zu-byte buffer on the device: nothing to fault back\n",
			dev->path, job->size);
		return -EAGAIN;
	}
	return 0;
}

static void open_gate(struct fault_shared *sh, int cancel)
{
	pthread_mutex_lock(&sh->lock);
	sh->go = 1;
	sh->cancel = cancel;
	pthread_cond_broadcast(&sh->cond);
	pthread_mutex_unlock(&sh->lock);
}

static int run_threads(const struct fault_job *job, struct test_buf *b,
		       struct fault_work *w, uint64_t seed)
{
	struct fault_shared sh = {
		.addr = b->addr, .ref = (const uint64_t *)w->bounce,
		.access = job->access, .unit = w->unit,
		.claimed = w->claimed, .done = w->done,
		.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER,
	};
	size_t nunits = b->npages + b->npages / PAGES_PER_PMD + 1;
	unsigned int started;
	int ret = 0;

	memset(w->claimed, 0, nunits);
	memset(w->done, 0, nunits);
	for (unsigned int t = 0; t < job->threads; t++) {
		struct fault_thread *ft = &w->th[t];

		ft->len = fault_plan(job, b->npages, t, seed, ft->plan);
		ft->sh = &sh;
		ft->nfault = ft->ncontended = ft->resident = 0;
		ft->t_start = ft->t_end = 0;
		ft->kernel_faults = 0;
	}
	for (started = 0; started < job->threads; started++) {
		ret = pthread_create(&w->th[started].tid, NULL, fault_thread_main,
				     &w->th[started]);
		if (ret)
			break;
	}
	open_gate(&sh, ret != 0);
	for (unsigned int t = 0; t < started; t++)
		pthread_join(w->th[t].tid, NULL);
	if (ret)
		fprintf(stderr, "hmmbench: fault: cannot start thread %u of %u: %s\n",
			started + 1, job->threads, strerror(ret));
	return -ret;
}

static void collect(const struct fault_job *job, struct fault_work *w,
		    struct fault_iter *it)
{
	uint64_t start = UINT64_MAX, end = 0;

	hist_reset(&w->hist);
	for (unsigned int t = 0; t < job->threads; t++) {
		struct fault_thread *ft = &w->th[t];

		if (ft->t_start < start)
			start = ft->t_start;
		if (ft->t_end > end)
			end = ft->t_end;
		it->faults += ft->nfault;
		it->contended += ft->ncontended;
		it->resident += ft->resident;
		it->kernel_faults += ft->kernel_faults;
		for (size_t i = 0; i < ft->nfault; i++)
			hist_add(&w->hist, ft->fault_ns[i]);
	}
	it->ns = end - start;
	it->pages_back = it->before.device > it->after.device ?
			 it->before.device - it->after.device : 0;
}

static json_t *snapshot_json(const struct hmm_snapshot_summary *s, uint8_t first)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:i}",
			 "device", (json_int_t)s->device, "system", (json_int_t)s->system,
			 "pmd_pages", (json_int_t)s->pmd_pages,
			 "whole_pmds", (json_int_t)s->whole_pmds, "first", first);
}

json_t *fault_params(const struct fault_job *job)
{
	json_t *p = json_pack("{s:I, s:s, s:i, s:s, s:s, s:s}",
			      "size", (json_int_t)job->size,
			      "pages", page_mode_name(job->mode),
			      "threads", (int)job->threads,
			      "access", fault_access_name(job->access),
			      "pattern", fault_pattern_name(job->pattern),
			      "sharing", fault_sharing_name(job->sharing));

	if (job->pattern == FAULT_STRIDED)
		json_object_set_new(p, "stride", json_integer((json_int_t)job->stride));
	return p;
}

/* Gathers every thread's latencies of one kind into one new array. */
static uint64_t *gather(const struct fault_job *job, const struct fault_work *w,
			int contended, size_t *n)
{
	uint64_t *all;
	size_t k = 0;

	*n = 0;
	for (unsigned int t = 0; t < job->threads; t++)
		*n += contended ? w->th[t].ncontended : w->th[t].nfault;
	all = malloc((*n ? *n : 1) * sizeof(*all));
	for (unsigned int t = 0; all && t < job->threads; t++) {
		const struct fault_thread *ft = &w->th[t];
		size_t m = contended ? ft->ncontended : ft->nfault;

		memcpy(all + k, contended ? ft->contended_ns : ft->fault_ns, m * sizeof(*all));
		k += m;
	}
	return all;
}

static json_t *u64_array(const uint64_t *x, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_integer((json_int_t)x[i]));
	return a;
}

/* The exact summary (sorts @x) as JSON, or null when @n is 0. */
static json_t *summary_json(uint64_t *x, size_t n)
{
	struct latency_summary s;

	if (latency_summarise(x, n, SUMMARY_CI_LEVEL, &s))
		return json_null();
	return latency_summary_json(&s);
}

static json_t *latency_fields(const struct fault_job *job, struct fault_work *w,
			      json_t *r)
{
	size_t n, nc;
	uint64_t *lat = gather(job, w, 0, &n), *con = gather(job, w, 1, &nc);

	if (!lat || !con) {
		free(lat);
		free(con);
		return r;
	}
	/* Raw first, in the order the threads measured them; then sorted. */
	if (n <= FAULT_RAW_MAX)
		json_object_set_new(r, "latency_ns", u64_array(lat, n));
	json_object_set_new(r, "latency", summary_json(lat, n));
	json_object_set_new(r, "latency_hist", hist_json(&w->hist));
	if (nc)
		json_object_set_new(r, "contended_latency", summary_json(con, nc));
	free(lat);
	free(con);
	return r;
}

static json_t *iter_record(const struct bench_ctx *ctx, const struct fault_job *job,
			   struct fault_work *w,
			   unsigned int iter, int warmup,
			   const struct fault_iter *it)
{
	json_t *r = rec_new("sample"), *tk = json_array();

	json_object_set_new(r, "bench", json_string("fault"));
	json_object_set_new(r, "params", fault_params(job));
	json_object_set_new(r, "iter", json_integer(iter));
	if (warmup)
		json_object_set_new(r, "warmup", json_true());
	json_object_set_new(r, "ns", json_integer((json_int_t)it->ns));
	/* Map, fill, migrate to the device, SNAPSHOT, check: not in "ns". */
	json_object_set_new(r, "setup_ns", json_integer((json_int_t)it->setup_ns));
	json_object_set_new(r, "values", json_pack("{s:f}", "fault_throughput",
			    it->ns ? it->pages_back / (it->ns / 1e9) : 0.0));
	json_object_set_new(r, "pages_back", json_integer((json_int_t)it->pages_back));
	json_object_set_new(r, "faults", json_integer((json_int_t)it->faults));
	json_object_set_new(r, "pmd_units", json_integer((json_int_t)it->pmd_units));
	json_object_set_new(r, "contended", json_integer((json_int_t)it->contended));
	json_object_set_new(r, "resident", json_integer((json_int_t)it->resident));
	json_object_set_new(r, "kernel_faults", json_integer((json_int_t)it->kernel_faults));
	for (unsigned int t = 0; t < job->threads; t++)
		json_array_append_new(tk, json_integer(w->th[t].kernel_faults));
	json_object_set_new(r, "thread_kernel_faults", tk);
	json_object_set_new(r, "snapshot_before", snapshot_json(&it->before, w->state_before[0]));
	json_object_set_new(r, "snapshot_after", snapshot_json(&it->after, w->state_after[0]));
	bench_note_device_check(ctx, r);
	return latency_fields(job, w, r);
}

static int append_u64(uint64_t **arr, size_t *n, size_t *cap,
		      const uint64_t *x, size_t m)
{
	if (!m)
		return 0;
	if (*n + m > *cap) {
		size_t c = (*n + m) * 2;
		uint64_t *p = realloc(*arr, c * sizeof(*p));

		if (!p)
			return -ENOMEM;
		*arr = p;
		*cap = c;
	}
	memcpy(*arr + *n, x, m * sizeof(*x));
	*n += m;
	return 0;
}

static int keep_result(const struct fault_job *job, struct fault_work *w,
		       const struct fault_iter *it, struct fault_result *res)
{
	for (unsigned int t = 0; t < job->threads; t++) {
		struct fault_thread *ft = &w->th[t];

		if (append_u64(&res->latency_ns, &res->nlat, &res->latcap,
			       ft->fault_ns, ft->nfault) ||
		    append_u64(&res->contended_ns, &res->ncontended, &res->contcap,
			       ft->contended_ns, ft->ncontended))
			return -ENOMEM;
	}
	res->pages_per_s[res->n] = it->ns ? it->pages_back / (it->ns / 1e9) : 0;
	res->total_ns[res->n] = it->ns;
	res->n++;
	res->pages_back += it->pages_back;
	res->faults += it->faults;
	res->resident += it->resident;
	res->kernel_faults += it->kernel_faults;
	res->pmd_units += it->pmd_units;
	res->device_after += it->after.device;
	return 0;
}

/* One iteration: to the device, threads fault it back, check, record. */
static int one_iteration(struct bench_ctx *ctx, const struct fault_job *job,
			 struct fault_work *w, unsigned int i,
			 struct fault_result *res)
{
	int warmup = i < job->warmup;
	struct fault_iter it = { 0 };
	struct test_buf b = { 0 };
	uint64_t gen = i + 1, want, got;
	long off;
	int ret;

	it.setup_ns = now_ns();
	ret = prepare_buffer(ctx, job, &b, w, gen, &it);
	if (ret)
		goto out;
	it.setup_ns = now_ns() - it.setup_ns;
	it.pmd_units = fault_units(w->state_before, b.npages, w->unit);
	ret = run_threads(job, &b, w, ctx->seed ^ (gen << 32));
	if (ret)
		goto out;
	ret = bench_snapshot(ctx->dev, &b, w->state_after, &it.after);
	if (ret)
		goto out;
	collect(job, w, &it);
	ret = rec_write(ctx->out, iter_record(ctx, job, w, i, warmup, &it));
	if (ret) {
		fprintf(stderr, "hmmbench: cannot write %s: %s\n", ctx->out->path,
			strerror(-ret));
		goto out;
	}
	off = pattern_check(b.addr, b.npages, ctx->seed, gen, &want, &got);
	if (off >= 0) {
		ret = bench_mismatch(ctx->dev, &b, "after CPU fault-back", off, want, got);
		res->verify_failed = 1;
		goto out;
	}
	if (!warmup)
		ret = keep_result(job, w, &it, res);
out:
	buf_free(&b);
	return ret;
}

static int check_job(const struct fault_job *job)
{
	if (!job->threads || !job->size || job->size % PAGE_SZ ||
	    job->size / PAGE_SZ > UINT32_MAX ||
	    (job->pattern == FAULT_STRIDED && !job->stride))
		return -EINVAL;
	return 0;
}

int bench_fault(struct bench_ctx *ctx, const struct fault_job *job,
		struct fault_result *res)
{
	struct fault_work w;
	unsigned int total = job->warmup + job->iterations;
	int ret;

	memset(res, 0, sizeof(*res));
	if (check_job(job)) {
		fprintf(stderr, "hmmbench: fault: bad job: size %zu (a non-zero multiple of 4 KiB), threads %u (>= 1), stride %zu (>= 1 for strided)\n",
			job->size, job->threads, job->stride);
		return -EINVAL;
	}
	res->pages_per_s = calloc(job->iterations + 1, sizeof(double));
	res->total_ns = calloc(job->iterations + 1, sizeof(uint64_t));
	if (!res->pages_per_s || !res->total_ns)
		return -ENOMEM;
	ret = work_alloc(&w, job, job->size / PAGE_SZ);
	for (unsigned int i = 0; !ret && i < total && !*ctx->stop; i++)
		ret = one_iteration(ctx, job, &w, i, res);
	work_free(&w, job->threads);
	return ret;
}

void fault_result_free(struct fault_result *res)
{
	free(res->pages_per_s);
	free(res->total_ns);
	free(res->latency_ns);
	free(res->contended_ns);
	memset(res, 0, sizeof(*res));
}
