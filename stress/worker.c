// SPDX-License-Identifier: GPL-2.0
/*
 * The worker side: a thread per --threads drawing operations from its own
 * generator and running them from the operation table, with the locks the
 * table asks for, under the watchdog's eye. A SIGBUS or SIGSEGV inside an
 * operation (a fault the kernel could not resolve) is caught, reported
 * and ends the run instead of killing hmmbench.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "errname.h"
#include "watchdog.h"
#include "worker.h"

#define STATE_BYTES (2 * PAGES_PER_PMD)
#define BOUNCE_BYTES (2 * PMD_SZ)

const struct stress_op_desc stress_op_table[OP_KIND_COUNT] = {
	[OP_MIGRATE_TO_DEV]	= { SLOCK_READ, SLOCK_NONE, stress_op_migrate_to_dev },
	[OP_MIGRATE_TO_SYS]	= { SLOCK_READ, SLOCK_NONE, stress_op_migrate_to_sys },
	[OP_CPU_READ]		= { SLOCK_NONE, SLOCK_READ, stress_op_cpu_read },
	[OP_CPU_WRITE]		= { SLOCK_NONE, SLOCK_WRITE, stress_op_cpu_write },
	[OP_DEV_READ]		= { SLOCK_WRITE, SLOCK_WRITE, stress_op_dev_read, 1, 1 },
	[OP_DEV_WRITE]		= { SLOCK_WRITE, SLOCK_WRITE, stress_op_dev_write, 1, 1 },
	[OP_EXCLUSIVE]		= { SLOCK_NONE, SLOCK_WRITE, stress_op_exclusive },
	[OP_SNAPSHOT]		= { SLOCK_NONE, SLOCK_NONE, stress_op_snapshot },
	[OP_MUNMAP]		= { SLOCK_NONE, SLOCK_WRITE, stress_op_munmap },
	[OP_MREMAP]		= { SLOCK_NONE, SLOCK_WRITE, stress_op_mremap },
	[OP_MREMAP_DONTUNMAP]	= { SLOCK_NONE, SLOCK_WRITE, stress_op_mremap_dontunmap },
	[OP_MPROTECT]		= { SLOCK_NONE, SLOCK_WRITE, stress_op_mprotect },
	[OP_MADV_DONTNEED]	= { SLOCK_NONE, SLOCK_WRITE, stress_op_madv_dontneed },
	[OP_MADV_FREE]		= { SLOCK_NONE, SLOCK_WRITE, stress_op_madv_free },
	[OP_FORK]		= { SLOCK_NONE, SLOCK_WRITE, stress_op_fork },
	[OP_FAIL_ALLOC]		= { SLOCK_READ, SLOCK_NONE, stress_op_fail_alloc },
};

void stress_count_error(struct stress_worker *w, const struct stress_op *op, int err)
{
	if (err < 0)
		err = -err;
	if (err >= STRESS_ERRNO_SLOTS)
		err = 0;	/* slot 0 counts what has no name here */
	atomic_fetch_add(&w->st->errors[op->kind][err], 1);
}

/* Claims the one failure record; later failures are only counted. */
static struct stress_failure *claim_failure(struct stress_shared *sh)
{
	atomic_store(&sh->failed, 1);
	atomic_store(&sh->stop, 1);
	if (atomic_exchange(&sh->failure_claimed, 1))
		return NULL;
	return &sh->failure;
}

int stress_mismatch(struct stress_worker *w, const struct stress_op *op,
		    const char *after, const uint8_t *where, size_t page,
		    long off, uint64_t expected, uint64_t found, uint32_t gen)
{
	struct stress_ctx *ctx = w->ctx;
	struct stress_failure *f;
	const uint8_t *home = stress_page(w, page);
	char opstr[96], state[64] = "unknown";
	uint8_t st = 0;
	int known = 0;

	atomic_fetch_add(&ctx->sh->integrity_errors, 1);
	if (ctx->dev_open && !hmm_dev_snapshot(&ctx->dev, (void *)where, 1, &st)) {
		known = 1;
		hmm_page_state_str(st, state, sizeof(state));
	}
	fprintf(stderr,
		"hmmbench: integrity error at %p: page %p (region page %zu, byte %ld) after %s, thread %u op #%llu (%s): expected 0x%016llx, found 0x%016llx; generation %u%s; page state %s%s%p\n",
		(void *)(home + off), (void *)home, page, off, after, w->id,
		(unsigned long long)w->index, stress_op_str(op, opstr, sizeof(opstr)),
		(unsigned long long)expected, (unsigned long long)found,
		gen & STRESS_GEN_MASK, gen & STRESS_GEN_ZERO ? " (zeroes expected)" : "",
		state, where != home ? "; read at " : "", where != home ? (void *)where : NULL);
	f = claim_failure(ctx->sh);
	if (!f)
		return STRESS_FATAL;
	f->kind = FAIL_INTEGRITY;
	f->thread = w->id;
	f->op = *op;
	snprintf(f->after, sizeof(f->after), "%s", after);
	f->addr = (uintptr_t)(home + off);
	f->page_addr = (uintptr_t)home;
	f->page_index = page;
	f->offset = off;
	f->expected = expected;
	f->found = found;
	f->generation = gen;
	f->state_known = known;
	f->state = st;
	snprintf(f->message, sizeof(f->message), "integrity error at %p after %s (%s)",
		 (void *)(home + off), after, opstr);
	return STRESS_FATAL;
}

/*
 * Fills the failure record only if this thread claimed it: a later
 * failure (a signal after another thread's integrity error) must not
 * overwrite what was reported first.
 */
static int fail_with(struct stress_worker *w, const struct stress_op *op,
		     enum stress_fail_kind kind, uintptr_t addr, const char *fmt, va_list ap)
{
	struct stress_failure *f = claim_failure(w->ctx->sh);
	char msg[400];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "hmmbench: stress: thread %u: %s\n", w->id, msg);
	if (f) {
		f->kind = kind;
		f->addr = addr;
		f->thread = w->id;
		f->op = *op;
		snprintf(f->message, sizeof(f->message), "%s", msg);
	}
	return STRESS_FATAL;
}

int stress_harness_fail(struct stress_worker *w, const struct stress_op *op,
			const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fail_with(w, op, FAIL_HARNESS, 0, fmt, ap);
	va_end(ap);
	return ret;
}

static int fail_signal(struct stress_worker *w, const struct stress_op *op,
		       const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail_signal(struct stress_worker *w, const struct stress_op *op,
		       const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fail_with(w, op, FAIL_SIGNAL, (uintptr_t)w->sig_addr, fmt, ap);
	va_end(ap);
	return ret;
}

int stress_check_home(struct stress_worker *w, const struct stress_op *op,
		      const char *after)
{
	return stress_check(w, op, stress_page(w, op->first), op->first, op->npages,
			    after, stress_page(w, op->first));
}

int stress_check(struct stress_worker *w, const struct stress_op *op,
		 const uint8_t *data, size_t first, size_t n, const char *after,
		 const uint8_t *where)
{
	struct stress_region *rg = &w->ctx->rg;
	uint64_t want, got;

	for (size_t i = 0; i < n; i++) {
		size_t p = first + i;
		long off = stress_page_check(data + i * PAGE_SZ, rg->seed, p,
					     rg->gen[p], &want, &got);

		if (off >= 0)
			return stress_mismatch(w, op, after, where + i * PAGE_SZ, p,
					       off, want, got, rg->gen[p]);
	}
	atomic_fetch_add(&w->st->pages_verified, n);
	return 0;
}

int stress_check_or_zero(struct stress_worker *w, const struct stress_op *op,
			 size_t first, size_t n, const char *after)
{
	for (size_t p = first; p < first + n; p++) {
		const uint8_t *page = stress_page(w, p);

		if (stress_page_is_zero(page)) {
			atomic_fetch_add(&w->st->pages_verified, 1);
			continue;
		}
		if (stress_check(w, op, page, p, 1, after, page))
			return STRESS_FATAL;
	}
	return 0;
}

void stress_fill(struct stress_worker *w, size_t first, size_t n)
{
	struct stress_region *rg = &w->ctx->rg;

	for (size_t p = first; p < first + n; p++) {
		rg->gen[p] = stress_gen_next(rg->gen[p]);
		stress_page_fill(stress_page(w, p), rg->seed, p, rg->gen[p]);
	}
}

static __thread struct stress_worker *current_worker;

static void on_fault_signal(int sig, siginfo_t *si, void *uc)
{
	struct stress_worker *w = current_worker;

	(void)uc;
	if (!w || !w->in_op) {
		signal(sig, SIG_DFL);
		return;		/* the fault repeats and kills us, with a core */
	}
	w->sig = sig;
	w->sig_addr = si->si_addr;
	siglongjmp(w->jb, 1);
}

static void install_fault_handlers(void)
{
	struct sigaction sa = { .sa_sigaction = on_fault_signal,
				.sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}

static void report_signal(struct stress_worker *w, const struct stress_op *op)
{
	char opstr[96];

	fail_signal(w, op, "%s at %p inside %s: the kernel could not resolve a fault on the region",
		    sigabbrev_np(w->sig) ? sigabbrev_np(w->sig) : "signal",
		    w->sig_addr, stress_op_str(op, opstr, sizeof(opstr)));
}

/* Moves a device-access range onto the nearest 4 KiB chunk, same offset. */
static void to_small_pages(const uint8_t *thp, size_t nchunks, struct stress_op *op)
{
	size_t c = op->first / PAGES_PER_PMD, off = op->first % PAGES_PER_PMD;

	for (size_t d = 0; d < nchunks; d++) {
		size_t cand = (c + d) % nchunks;

		if (!thp[cand]) {
			op->first = cand * PAGES_PER_PMD + off;
			if (off + op->npages > PAGES_PER_PMD)
				op->npages = PAGES_PER_PMD - off;
			return;
		}
	}
}

/* The test-only hang: sleeps inside the timed section until killed. */
static void hook_hang(struct stress_worker *w)
{
	struct timespec ts = { .tv_sec = 1 };

	fprintf(stderr, "hmmbench: test hook: thread %u sleeps inside operation #0 past the %llu ms watchdog limit\n",
		w->id, (unsigned long long)w->ctx->cfg->watchdog_ms);
	while (!atomic_load(&w->ctx->sh->failed))
		nanosleep(&ts, NULL);
}

/*
 * With --inject-hang the other threads start only once thread 0 is inside
 * its operation #0, so that operation is the oldest one running and the
 * watchdog, which reports the longest-running operation, names it whatever
 * the host's speed: on a slow host another thread's real operation may
 * also pass a short limit, but it started later.
 */
static void wait_for_injected_hang(struct stress_shared *sh)
{
	struct timespec ts = { .tv_nsec = 1000000 };

	while (!atomic_load(&sh->threads[0].wd.start_ns) && !atomic_load(&sh->stop))
		nanosleep(&ts, NULL);
}

int stress_op_runs_solo(const struct stress_scenario *sc, unsigned int kind)
{
	return (stress_op_table[kind].solo && !sc->unguarded_dev_access) ||
	       (kind == OP_FAIL_ALLOC && sc->serial_injection);
}

void stress_place_op(const struct stress_scenario *sc, const uint8_t *thp, size_t nchunks,
		     struct stress_op *op)
{
	size_t npages = nchunks * PAGES_PER_PMD;

	if (stress_op_table[op->kind].small_pages_only && !sc->unguarded_dev_access)
		to_small_pages(thp, nchunks, op);
	if (op->first + op->npages > npages)
		op->npages = (uint32_t)(npages - op->first);
}

static int run_one(struct stress_worker *w, struct stress_op *op)
{
	const struct stress_op_desc *d = &stress_op_table[op->kind];
	const struct stress_scenario *sc = w->ctx->cfg->sc;
	struct stress_region *rg = &w->ctx->rg;
	int solo = stress_op_runs_solo(sc, op->kind);
	int ret;

	stress_place_op(sc, rg->thp, rg->nchunks, op);
	if (w->ctx->sh->oplog.base)
		oplog_add(oplog_of(&w->ctx->sh->oplog, w->id), op, solo ? OPLOG_SOLO : 0);
	if (solo)
		pthread_rwlock_wrlock(&w->ctx->solo);
	else
		pthread_rwlock_rdlock(&w->ctx->solo);
	if (d->move != SLOCK_NONE)
		region_move_lock(rg, op->first, op->npages, d->move == SLOCK_WRITE);
	if (d->content != SLOCK_NONE)
		region_lock(rg, op->first, op->npages, d->content == SLOCK_WRITE);
	if (sigsetjmp(w->jb, 1)) {
		w->in_op = 0;
		ret = STRESS_FATAL;
		report_signal(w, op);
		goto unlock;
	}
	w->in_op = 1;
	ret = d->run(w, op);
	w->in_op = 0;
unlock:
	if (d->content != SLOCK_NONE)
		region_unlock(rg, op->first, op->npages, d->content == SLOCK_WRITE);
	if (d->move != SLOCK_NONE)
		region_move_unlock(rg, op->first, op->npages);
	pthread_rwlock_unlock(&w->ctx->solo);
	return ret;
}

static void *worker_thread(void *arg)
{
	struct stress_worker *w = arg;
	const struct stress_config *cfg = w->ctx->cfg;
	struct stress_shared *sh = w->ctx->sh;
	struct stress_op op;

	current_worker = w;
	atomic_store(&w->st->wd.tid, (int32_t)syscall(SYS_gettid));
	if (cfg->inject_hang && w->id != 0)
		wait_for_injected_hang(sh);
	while (!atomic_load(&sh->stop)) {
		stress_next_op(&w->rng, cfg->sc->weights, w->ctx->rg.nchunks, &op);
		if (w->st->nfirst < STRESS_FIRST_OPS && cfg->life == 0)
			w->st->first[w->st->nfirst++] = op;
		uint64_t t0 = now_ns(), dt;

		wd_enter(&w->st->wd, &op, w->index, t0);
		if (cfg->inject_hang && w->id == 0 && w->index == 0)
			hook_hang(w);
		int ret = run_one(w, &op);

		if (!ret && op.kind == OP_MIGRATE_TO_DEV && cfg->inject_corruption)
			ret = stress_hook_corrupt(w, &op);
		wd_leave(&w->st->wd);
		dt = now_ns() - t0;
		atomic_fetch_add(&w->st->ops[op.kind], 1);
		atomic_fetch_add(&w->st->ns[op.kind], dt);
		if (dt > atomic_load(&w->st->max_ns[op.kind]))
			atomic_store(&w->st->max_ns[op.kind], dt);
		w->index++;
		if (ret == STRESS_FATAL)
			break;
	}
	current_worker = NULL;
	return NULL;
}

static int worker_init(struct stress_worker *w, struct stress_ctx *ctx, unsigned int id)
{
	const struct stress_config *cfg = ctx->cfg;

	memset(w, 0, sizeof(*w));
	w->ctx = ctx;
	w->id = id;
	w->st = &ctx->sh->threads[id];
	stress_rng_init(&w->rng, cfg->seed, cfg->sc_index, id, cfg->life);
	w->bounce = malloc(BOUNCE_BYTES);
	w->state = malloc(STATE_BYTES);
	w->scratch_len = 3 * PMD_SZ;
	w->scratch = hmm_mmap_pmd_aligned(w->scratch_len, PROT_NONE, MAP_NORESERVE);
	if (!w->bounce || !w->state || !w->scratch)
		return -ENOMEM;
	return 0;
}

static void worker_fini(struct stress_worker *w)
{
	free(w->bounce);
	free(w->state);
	if (w->scratch)
		munmap(w->scratch, w->scratch_len);
}

static int setup_fail(struct stress_ctx *ctx, int err, const char *what)
{
	char msg[200];

	if (ctx->dev.ops && !strncmp(what, "open", 4))
		hmm_dev_strerror(&ctx->dev, HMM_OP_OPEN, err, msg, sizeof(msg));
	else
		snprintf(msg, sizeof(msg), "%s: %s", what, errno_name(err));
	snprintf(ctx->sh->setup_error, sizeof(ctx->sh->setup_error), "%s", msg);
	return err;
}

/*
 * Migrates every chunk back before the close, and says what stayed.
 * Closing evicts what the device still holds, and lib/test_hmm.c
 * (7.2.13) dmirror_device_evict_chunk() can oops in copy_page there
 * (docs/findings/close-evict). The close-evict scenario closes with the
 * pages still there.
 */
static void drain_device(struct stress_ctx *ctx, struct stress_worker *w)
{
	struct stress_region *rg = &ctx->rg;
	size_t left = 0;
	struct hmm_xfer x;

	if (ctx->cfg->sc->evict_on_close)
		return;
	for (size_t c = 0; c < rg->nchunks; c++) {
		uint8_t *chunk = rg->addr + c * PMD_SZ;

		/* Errors are expected (unmapped by vma-churn); SNAPSHOT tells. */
		hmm_dev_migrate_to_sys(&ctx->dev, chunk, PAGES_PER_PMD, &x);
		if (hmm_dev_snapshot(&ctx->dev, chunk, PAGES_PER_PMD, w->state))
			continue;
		for (size_t i = 0; i < PAGES_PER_PMD; i++)
			left += hmm_page_on_device(w->state[i]);
	}
	if (left)
		fprintf(stderr, "hmmbench: stress %s: %zu pages stayed on the device after migrating the region back; closing the device evicts them\n",
			ctx->cfg->sc->name, left);
}

/*
 * Closing the device evicts every page it holds back to system memory;
 * each page is then checked once more (after all the checks on the way).
 */
static int final_check(struct stress_ctx *ctx, struct stress_worker *w)
{
	struct stress_op op = { .kind = OP_CPU_READ, .first = 0,
				.npages = (uint32_t)ctx->rg.npages };

	drain_device(ctx, w);
	hmm_dev_close(&ctx->dev);
	ctx->dev_open = 0;
	if (atomic_load(&ctx->sh->failed))
		return 0;
	current_worker = w;
	if (sigsetjmp(w->jb, 1)) {
		report_signal(w, &op);
		return STRESS_FATAL;
	}
	w->in_op = 1;
	int ret = stress_check(w, &op, ctx->rg.addr, 0, ctx->rg.npages,
			       "closing the device (eviction)", ctx->rg.addr);
	w->in_op = 0;
	current_worker = NULL;
	return ret;
}

static int run_threads(struct stress_ctx *ctx, struct stress_worker *w,
		       pthread_t *tid, unsigned int n)
{
	unsigned int started = 0;
	int ret = 0;

	for (; started < n; started++) {
		ret = worker_init(&w[started], ctx, started);
		if (ret) {
			setup_fail(ctx, ret, "allocating a worker's buffers");
			break;
		}
	}
	if (!ret) {
		atomic_store(&ctx->sh->ready, 1);
		for (started = 0; started < n; started++) {
			ret = -pthread_create(&tid[started], NULL, worker_thread, &w[started]);
			if (ret) {
				setup_fail(ctx, ret, "pthread_create");
				atomic_store(&ctx->sh->stop, 1);
				break;
			}
		}
		for (unsigned int i = 0; i < started; i++)
			pthread_join(tid[i], NULL);
		if (ctx->dev_open)
			final_check(ctx, &w[0]);
	}
	for (unsigned int i = 0; i < n; i++)
		worker_fini(&w[i]);
	return ret;
}

int stress_workers_main(const struct stress_config *cfg)
{
	struct stress_ctx ctx = { .cfg = cfg, .sh = cfg->sh };
	struct stress_worker *w = calloc(cfg->threads, sizeof(*w));
	pthread_t *tid = calloc(cfg->threads, sizeof(*tid));
	int ret;

	if (!w || !tid) {
		ret = setup_fail(&ctx, -ENOMEM, "allocating the threads");
		goto out;
	}
	install_fault_handlers();
	pthread_rwlock_init(&ctx.solo, NULL);
	ctx.sink = mmap(NULL, PAGE_SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ctx.sink == MAP_FAILED) {
		ret = setup_fail(&ctx, -errno, "mapping the FAIL_ALLOC sink page");
		goto out;
	}
	ret = hmm_dev_open(&ctx.dev, cfg->backend, cfg->device);
	if (ret) {
		setup_fail(&ctx, ret, "open");
		hmm_dev_close(&ctx.dev);
		goto out;
	}
	ctx.dev_open = 1;
	ret = region_map(&ctx.rg, cfg->sc->chunks, cfg->seed);
	if (ret) {
		setup_fail(&ctx, ret, "mapping the stress region");
		goto out;
	}
	ret = run_threads(&ctx, w, tid, cfg->threads);
	region_unmap(&ctx.rg);
out:
	if (ctx.dev_open)
		hmm_dev_close(&ctx.dev);
	free(w);
	free(tid);
	atomic_store(&cfg->sh->done, 1);
	return ret;
}
