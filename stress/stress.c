// SPDX-License-Identifier: GPL-2.0
/*
 * The stress runner: the scenario table (which operations, how often, how
 * big a region) and the controller loop of one scenario.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "errname.h"
#include "meta.h"
#include "pagestate.h"
#include "pressure.h"
#include "stress_records.h"
#include "stress_repro.h"
#include "watchdog.h"

#define CAPS_BASE (HMM_CAP_MIGRATE_TO_DEV | HMM_CAP_MIGRATE_TO_SYS | HMM_CAP_SNAPSHOT)

static const struct stress_scenario scenarios[] = {
	{ "migrate-fault",
	  "threads on shared ranges migrate to the device and back, read and write by CPU (faulting pages back), device READ/WRITE and EXCLUSIVE, THP and 4 KiB chunks mixed",
	  { [OP_MIGRATE_TO_DEV] = 20, [OP_MIGRATE_TO_SYS] = 10, [OP_CPU_READ] = 12,
	    [OP_CPU_WRITE] = 10, [OP_DEV_READ] = 8, [OP_DEV_WRITE] = 6,
	    [OP_EXCLUSIVE] = 4, [OP_SNAPSHOT] = 6 },
	  16, CAPS_BASE | HMM_CAP_DEV_RW | HMM_CAP_EXCLUSIVE, 0 },
	{ "vma-churn",
	  "migrations racing munmap (also inside THPs), mremap with and without MREMAP_DONTUNMAP, mprotect, MADV_DONTNEED and MADV_FREE",
	  { [OP_MIGRATE_TO_DEV] = 20, [OP_MIGRATE_TO_SYS] = 6, [OP_CPU_READ] = 8,
	    [OP_CPU_WRITE] = 6, [OP_SNAPSHOT] = 4, [OP_MUNMAP] = 6, [OP_MREMAP] = 5,
	    [OP_MREMAP_DONTUNMAP] = 5, [OP_MPROTECT] = 5, [OP_MADV_DONTNEED] = 5,
	    [OP_MADV_FREE] = 5 },
	  16, CAPS_BASE, 0 },
	{ "fork",
	  "fork() with pages on the device: parent and child read and write their copy-on-write pages, children exit with pages still on the device",
	  { [OP_MIGRATE_TO_DEV] = 16, [OP_MIGRATE_TO_SYS] = 4, [OP_CPU_READ] = 6,
	    [OP_CPU_WRITE] = 6, [OP_FORK] = 10, [OP_SNAPSHOT] = 2 },
	  8, CAPS_BASE, 0 },
	{ "pressure",
	  "migrate-fault work with munmap and MADV_DONTNEED inside a memory cgroup limited below what it holds, memory fragmented, hugetlbfs pages taken",
	  { [OP_MIGRATE_TO_DEV] = 20, [OP_MIGRATE_TO_SYS] = 10, [OP_CPU_READ] = 10,
	    [OP_CPU_WRITE] = 10, [OP_DEV_READ] = 4, [OP_DEV_WRITE] = 4,
	    [OP_MUNMAP] = 4, [OP_MADV_DONTNEED] = 4, [OP_SNAPSHOT] = 4 },
	  16, CAPS_BASE | HMM_CAP_DEV_RW, 1 },
	{ "fail-alloc",
	  "FAIL_ALLOC injected at random moments, then a migration to the device, or a device THP migrated or faulted back: the large allocation fails and the THP splits",
	  { [OP_MIGRATE_TO_DEV] = 20, [OP_MIGRATE_TO_SYS] = 10, [OP_CPU_READ] = 10,
	    [OP_CPU_WRITE] = 6, [OP_DEV_READ] = 4, [OP_SNAPSHOT] = 4, [OP_FAIL_ALLOC] = 12 },
	  16, CAPS_BASE | HMM_CAP_DEV_RW | HMM_CAP_FAIL_ALLOC, 0, 1, 0 },
	{ "fail-alloc-race",
	  "reproducer, not in 'all': FAIL_ALLOC injected amid all other threads' migrations and faults; on 7.2 an order-0 device page migrated back then fails its allocation and test_hmm finalizes without migrate_vma_pages() (soft lockup in folio_batch_move_lru)",
	  { [OP_MIGRATE_TO_DEV] = 20, [OP_MIGRATE_TO_SYS] = 10, [OP_CPU_READ] = 10,
	    [OP_CPU_WRITE] = 6, [OP_DEV_READ] = 4, [OP_SNAPSHOT] = 4, [OP_FAIL_ALLOC] = 12 },
	  16, CAPS_BASE | HMM_CAP_DEV_RW | HMM_CAP_FAIL_ALLOC, 0, 0, 1 },
	{ "dev-access-race",
	  "reproducer, not in 'all': device READ/WRITE amid the other threads' migrations, faults and EXCLUSIVE, on THP chunks too; on 7.2 test_hmm then stores a device-private page as a mirror entry and oopses copying it (dmirror_do_read/dmirror_write)",
	  { [OP_MIGRATE_TO_DEV] = 20, [OP_MIGRATE_TO_SYS] = 10, [OP_CPU_READ] = 12,
	    [OP_CPU_WRITE] = 10, [OP_DEV_READ] = 12, [OP_DEV_WRITE] = 10,
	    [OP_EXCLUSIVE] = 6, [OP_SNAPSHOT] = 6 },
	  16, CAPS_BASE | HMM_CAP_DEV_RW | HMM_CAP_EXCLUSIVE, 0, 0, 1, 1 },
	{ "close-evict",
	  "reproducer, not in 'all': migrate-fault work, then the device is closed with pages still on it; on 7.2 the eviction once oopsed in copy_page (docs/findings/close-evict has the reproducer: two concurrent forks of device THPs)",
	  { [OP_MIGRATE_TO_DEV] = 20, [OP_MIGRATE_TO_SYS] = 10, [OP_CPU_READ] = 12,
	    [OP_CPU_WRITE] = 10, [OP_DEV_READ] = 8, [OP_DEV_WRITE] = 6,
	    [OP_EXCLUSIVE] = 4, [OP_SNAPSHOT] = 6 },
	  16, CAPS_BASE | HMM_CAP_DEV_RW | HMM_CAP_EXCLUSIVE, 0, 0, 1, 0, 1 },
};

const struct stress_scenario *stress_scenarios(size_t *n)
{
	*n = sizeof(scenarios) / sizeof(scenarios[0]);
	return scenarios;
}

const struct stress_scenario *stress_scenario_find(const char *name)
{
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (!strcmp(scenarios[i].name, name))
			return &scenarios[i];
	return NULL;
}

const char *stress_status_name(enum stress_status s)
{
	static const char *const names[] = { "pass", "fail", "skip", "interrupted" };

	return names[s];
}

static size_t shared_size(unsigned int nthreads)
{
	return sizeof(struct stress_shared) + nthreads * sizeof(struct stress_thread_stats);
}

struct stress_shared *stress_shared_alloc(unsigned int nthreads)
{
	struct stress_shared *sh = mmap(NULL, shared_size(nthreads), PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (sh == MAP_FAILED)
		return NULL;
	sh->nthreads = nthreads;
	if (oplog_set_alloc(&sh->oplog, nthreads, 0))
		fprintf(stderr, "hmmbench: warning: no memory for the operation logs; no reproducer will be written\n");
	return sh;
}

void stress_shared_free(struct stress_shared *sh, unsigned int nthreads)
{
	if (sh) {
		oplog_set_free(&sh->oplog);
		munmap(sh, shared_size(nthreads));
	}
}

/*
 * The workers run in a child process: a kernel bug that wedges their mm
 * (an oops with a lock held, a task stuck in D state) cannot stop this
 * process from reading the kernel log, reporting and exiting.
 */
struct side {
	pid_t pid;
	int status;
};

static void __attribute__((noreturn))
child_main(struct stress_config *cfg, struct stress_pressure *pr)
{
	int ret;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGINT, SIG_IGN);	/* the controller stops us */
	signal(SIGTERM, SIG_IGN);
	if (cfg->sc->in_cgroup) {
		ret = pressure_join(pr);
		if (ret) {
			snprintf(cfg->sh->setup_error, sizeof(cfg->sh->setup_error),
				 "cannot move the workers into %.180s: %s", pr->cgroup, errno_name(-ret));
			atomic_store(&cfg->sh->done, 1);
			_exit(2);
		}
	}
	_exit(stress_workers_main(cfg) ? 1 : 0);
}

static int start_side(struct stress_config *cfg, struct stress_pressure *pr,
		      struct side *side)
{
	atomic_store(&cfg->sh->ready, 0);
	atomic_store(&cfg->sh->done, 0);
	atomic_store(&cfg->sh->stop, 0);
	/* A new worker process: the reproducer replays this life only. */
	if (cfg->sh->oplog.base)
		oplog_set_reset(&cfg->sh->oplog);
	atomic_store(&cfg->sh->oplog_frozen, 0);
	fflush(NULL);
	side->pid = fork();
	if (side->pid < 0)
		return -errno;
	if (!side->pid)
		child_main(cfg, pr);
	return 0;
}

/* Reaps the child if it is gone; 1 when it was. */
static int side_exited(struct side *side)
{
	if (side->pid <= 0)
		return 0;
	if (waitpid(side->pid, &side->status, WNOHANG) != side->pid)
		return 0;
	side->pid = 0;
	return 1;
}

static void nap_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* "was killed by SIGKILL" or "exited with status 1". */
static const char *status_str(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by SIG%s", sigabbrev_np(WTERMSIG(status)) ?
			 sigabbrev_np(WTERMSIG(status)) : "?");
	else
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	return buf;
}

/* Waits until the region is set up; 0, or -1 with res->reason set. */
static int wait_ready(struct stress_config *cfg, struct stress_env *env,
		      struct side *side, struct stress_result *res)
{
	uint64_t allowed_ms = cfg->watchdog_ms + 120000;
	uint64_t limit = now_ns() + allowed_ms * 1000000ULL;
	struct stress_shared *sh = cfg->sh;

	while (!atomic_load(&sh->ready) && !atomic_load(&sh->done)) {
		if (*env->interrupted)
			return -1;
		if (side_exited(side))
			break;
		if (now_ns() > limit) {
			snprintf(res->reason, sizeof(res->reason),
				 "setting up the region (opening the device, filling %u MiB) took over %llu s",
				 cfg->sc->chunks * 2, (unsigned long long)(allowed_ms / 1000));
			return -1;
		}
		nap_ms(20);
	}
	if (atomic_load(&sh->ready))
		return 0;
	if (sh->setup_error[0])
		snprintf(res->reason, sizeof(res->reason), "setup failed: %s", sh->setup_error);
	else {
		char how[40];

		snprintf(res->reason, sizeof(res->reason), "the worker process %s during setup",
			 status_str(side->status, how, sizeof(how)));
	}
	return -1;
}

static void clear_slots(struct stress_shared *sh)
{
	for (unsigned int t = 0; t < sh->nthreads; t++)
		atomic_store(&sh->threads[t].wd.start_ns, 0);
}

/*
 * Sets the pressure scenario's limits; without them it would pass while
 * measuring nothing it claims. 0, or -1 with @res->reason set.
 */
static int limit_or_fail(struct stress_pressure *pr, const struct stress_config *cfg,
			 struct stress_result *res)
{
	int ret = pressure_limit(pr, (size_t)cfg->sc->chunks * PMD_SZ);

	if (!ret)
		return 0;
	snprintf(res->reason, sizeof(res->reason), "cannot set memory.high/memory.max in %s: %s",
		 pr->cgroup, errno_name(-ret));
	return -1;
}

/*
 * The worker process is gone before it was asked to stop: a failure,
 * unless it is the pressure scenario's and was OOM-killed. An OOM kill in its cgroup is an expected
 * outcome, counted by name; the workers start over while time remains.
 * Returns 1 to go on, 0 to stop.
 */
static int child_gone(struct stress_config *cfg, struct stress_env *env,
		      struct stress_pressure *pr, struct side *side,
		      struct stress_result *res, uint64_t oom_base, uint64_t left_ns)
{
	uint64_t ooms = pressure_oom_kills(pr) - oom_base;

	clear_slots(cfg->sh);
	if (atomic_load(&cfg->sh->failed))
		return 0;
	if (!cfg->sc->in_cgroup ||
	    !(WIFSIGNALED(side->status) && WTERMSIG(side->status) == SIGKILL && ooms > res->oom_kills)) {
		char how[40];

		if (!atomic_load(&cfg->sh->done) || !atomic_load(&cfg->sh->stop))
			snprintf(res->reason, sizeof(res->reason),
				 "the worker process %s before it was asked to stop%s%s",
				 status_str(side->status, how, sizeof(how)),
				 cfg->sh->setup_error[0] ? ": " : "", cfg->sh->setup_error);
		return 0;
	}
	res->oom_kills = ooms;
	fprintf(stderr, "hmmbench: pressure: the workers were OOM-killed in their cgroup (%llu so far); counted, %s\n",
		(unsigned long long)ooms, left_ns > 3000000000ULL ? "starting again" : "not enough time left to start again");
	if (left_ns <= 3000000000ULL)
		return 0;
	cfg->life++;
	pressure_unlimit(pr);	/* the new workers set up unlimited, as the first did */
	if (start_side(cfg, pr, side) || wait_ready(cfg, env, side, res))
		return 0;
	return !limit_or_fail(pr, cfg, res);
}

struct run_state {
	struct stress_config *cfg;
	struct stress_env *env;
	struct stress_result *res;
	struct side side;
	struct stress_pressure pr;
	struct stress_windows win;
	uint64_t oom_base;
	int hung;
	int kernel_report;	/* the kernel log already explains what follows */
	json_t *counters_before;
};

/* One hang report per scenario; then the stuck work is given up on. */
static int check_hang(struct run_state *s, uint64_t now)
{
	struct wd_hang hang;

	if (s->hung || !wd_find_hang(s->cfg->sh, now, s->cfg->watchdog_ms * 1000000ULL, &hang))
		return 0;
	stress_oplog_freeze(s->cfg->sh);
	report_hang(s->env, s->cfg, s->res, &hang, s->side.pid > 0 ? s->side.pid : getpid());
	s->hung = 1;
	atomic_store(&s->cfg->sh->failed, 1);
	atomic_store(&s->cfg->sh->stop, 1);
	if (s->side.pid > 0)
		kill(s->side.pid, SIGKILL);
	return 1;
}

static uint64_t ops_done(const struct stress_config *cfg)
{
	uint64_t n = 0;

	for (unsigned int t = 0; t < cfg->threads; t++)
		for (int k = 0; k < OP_KIND_COUNT; k++)
			n += atomic_load(&cfg->sh->threads[t].ops[k]);
	return n;
}

/*
 * --inject-report SCENARIO:FUNCTION (tests only; the CLI sets FUNCTION in
 * SCENARIO's run alone): once the workers have finished an operation,
 * writes a fake WARNING naming FUNCTION to /dev/kmsg, so the kernel-log
 * witness is tested on a line that arrives mid-run, when a real report
 * would, without the test polling for it.
 */
static void inject_report(struct run_state *s)
{
	const char *fn = s->cfg->inject_report;
	char line[256];
	int fd, len;

	if (!fn || !ops_done(s->cfg))
		return;
	s->cfg->inject_report = NULL;	/* once */
	len = snprintf(line, sizeof(line),
		       "WARNING: CPU: 0 PID: %d at lib/test_hmm.c:1 %s+0x0/0x0 (hmmbench stress --inject-report)\n",
		       (int)getpid(), fn);
	if (len >= (int)sizeof(line))	/* FUNCTION is at most 64 characters (cli/stress.c) */
		len = (int)sizeof(line) - 1;
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, line, (size_t)len) != len)
		fprintf(stderr, "hmmbench: --inject-report: cannot write /dev/kmsg: %s (run as root)\n",
			errno_name(errno));
	if (fd >= 0)
		close(fd);
}

static void control_loop(struct run_state *s)
{
	struct stress_config *cfg = s->cfg;
	struct stress_shared *sh = cfg->sh;
	uint64_t start = now_ns(), end = start + cfg->duration_ms * 1000000ULL;
	uint64_t next = start + 1000000000ULL, now;

	s->win.last_ns = start;
	for (;;) {
		nap_ms(100);
		now = now_ns();
		if (*s->env->interrupted) {
			s->res->status = STRESS_INTERRUPTED;
			break;
		}
		inject_report(s);
		if (s->env->kmsg && kmsg_watch_count(s->env->kmsg) > s->env->kmsg_seen) {
			stress_oplog_freeze(sh);
			stress_in_flight(sh, s->res->in_flight, sizeof(s->res->in_flight));
			s->kernel_report = 1;
			break;
		}
		if (atomic_load(&sh->failed)) {
			stress_oplog_freeze(sh);
			break;
		}
		if (check_hang(s, now))
			break;
		if (side_exited(&s->side) &&
		    !child_gone(cfg, s->env, &s->pr, &s->side, s->res, s->oom_base,
				end > now ? end - now : 0))
			break;
		if (atomic_load(&sh->done))
			break;
		if (now >= next) {
			report_window(s->env, cfg, &s->win, now);
			next += 1000000000ULL;
		}
		if (now >= end)
			break;
	}
	s->res->seconds = (now_ns() - start) / 1e9;
}

/*
 * Asks the workers to stop and waits for them, the watchdog still on. A
 * worker process that does not go even after SIGKILL (stuck in the kernel)
 * is left behind: this process reports and exits all the same.
 */
static void stop_side(struct run_state *s)
{
	struct stress_shared *sh = s->cfg->sh;
	/* After an oops a worker may never come back: do not wait a watchdog for it. */
	uint64_t grace = s->kernel_report ? 5000 : s->cfg->watchdog_ms + 2000;
	uint64_t give_up = now_ns() + grace * 1000000ULL;

	/* The last window ends here, not after the workers' shutdown. */
	if (now_ns() - s->win.last_ns >= 500000000ULL)
		report_window(s->env, s->cfg, &s->win, now_ns());
	atomic_store(&sh->stop, 1);
	while (!atomic_load(&sh->done) && now_ns() < give_up) {
		if (side_exited(&s->side))
			break;
		if (!s->kernel_report && check_hang(s, now_ns()))
			give_up = now_ns() + 2000000000ULL;
		nap_ms(50);
	}
	if (s->side.pid <= 0)
		return;
	/* Done (or given up on): the process may still be closing the device. */
	give_up = now_ns() + (atomic_load(&sh->done) ? grace : 0) * 1000000ULL;
	while (!side_exited(&s->side) && now_ns() < give_up)
		nap_ms(50);
	if (s->side.pid <= 0)
		return;
	kill(s->side.pid, SIGKILL);
	give_up = now_ns() + 5000000000ULL;
	while (!side_exited(&s->side) && now_ns() < give_up)
		nap_ms(50);
	if (s->side.pid > 0) {
		s->res->abandon = 1;
		fprintf(stderr, "hmmbench: the worker process %d did not exit after SIGKILL (stuck in the kernel); leaving it\n",
			(int)s->side.pid);
	}
}

static void print_first_ops(const struct stress_config *cfg)
{
	char buf[96];

	for (unsigned int t = 0; t < cfg->threads; t++) {
		const struct stress_thread_stats *st = &cfg->sh->threads[t];

		for (uint32_t i = 0; i < st->nfirst && i < cfg->print_ops; i++)
			printf("%sfirst-op %s thread %u #%u: %s\n",
			       cfg->print_prefix ? cfg->print_prefix : "", cfg->sc->name, t, i,
			       stress_op_str(&st->first[i], buf, sizeof(buf)));
	}
}

static void finish(struct run_state *s)
{
	struct stress_config *cfg = s->cfg;
	struct stress_result *res = s->res;
	json_t *after, *delta;

	stress_totals(cfg->sh, res->ops_by_kind, &res->pages_verified);
	for (int k = 0; k < OP_KIND_COUNT; k++)
		res->ops += res->ops_by_kind[k];
	res->integrity_errors = atomic_load(&cfg->sh->integrity_errors);
	res->forks = atomic_load(&cfg->sh->forks);
	report_kernel(s->env, cfg, res);
	report_failure(s->env, cfg, res);
	if (res->status != STRESS_INTERRUPTED &&
	    (res->integrity_errors || res->kernel_reports || res->hangs ||
	     atomic_load(&cfg->sh->failed) || res->reason[0]))
		res->status = STRESS_FAIL;
	if (res->status == STRESS_FAIL && !res->reason[0])
		snprintf(res->reason, sizeof(res->reason), "%s", res->first_failure);
	stress_write_repro(s->env, cfg, res);
	report_summaries(s->env, cfg, &s->win, res);
	after = meta_counters();
	delta = meta_counter_delta(s->counters_before, after);
	report_scenario(s->env, cfg, res, s->pr.notes, delta);
	json_decref(after);
	json_decref(delta);
	print_first_ops(cfg);
}

static int skip_for_caps(struct stress_config *cfg, struct stress_env *env,
			 struct stress_result *res)
{
	unsigned int missing = cfg->sc->needs & ~env->probe->caps;

	if (!missing)
		return 0;
	enum hmm_cap cap = (enum hmm_cap)(missing & -missing);

	res->status = STRESS_SKIP;
	snprintf(res->reason, sizeof(res->reason), "%s on %s: %s", hmm_cap_name(cap),
		 env->probe->path, hmm_cap_reason(env->probe, cap)[0] ?
		 hmm_cap_reason(env->probe, cap) : "not supported");
	report_skip(env, cfg, res, hmm_cap_name(cap));
	report_scenario(env, cfg, res, NULL, NULL);
	return 1;
}

int stress_run_scenario(const struct stress_config *cfg_in, struct stress_env *env,
			struct stress_result *res)
{
	struct stress_config cfg = *cfg_in;
	struct run_state s = { .cfg = &cfg, .env = env, .res = res };

	memset(res, 0, sizeof(*res));
	cfg.sh = NULL;
	if (skip_for_caps(&cfg, env, res))
		return 0;
	if (cfg.sc->in_cgroup && pressure_prepare(&s.pr, res->reason, sizeof(res->reason))) {
		res->status = STRESS_SKIP;
		report_skip(env, &cfg, res, "cgroup-v2-memory");
		report_scenario(env, &cfg, res, NULL, NULL);
		return 0;
	}
	cfg.sh = stress_shared_alloc(cfg.threads);
	if (!cfg.sh) {
		pressure_release(&s.pr);
		res->status = STRESS_FAIL;
		snprintf(res->reason, sizeof(res->reason), "cannot map the shared counters");
		return -ENOMEM;
	}
	s.oom_base = pressure_oom_kills(&s.pr);
	s.counters_before = meta_counters();
	fprintf(stderr, "hmmbench: stress %s: %u threads for %.1f s over %u MiB (THP and 4 KiB chunks), seed %llu, watchdog %.1f s\n",
		cfg.sc->name, cfg.threads, cfg.duration_ms / 1e3, cfg.sc->chunks * 2,
		(unsigned long long)cfg.seed, cfg.watchdog_ms / 1e3);
	if (start_side(&cfg, &s.pr, &s.side)) {
		snprintf(res->reason, sizeof(res->reason), "cannot start the workers: %s",
			 errno_name(errno));
	} else if (!wait_ready(&cfg, env, &s.side, res)) {
		if (!cfg.sc->in_cgroup || !limit_or_fail(&s.pr, &cfg, res))
			control_loop(&s);
	} else if (*env->interrupted) {
		res->status = STRESS_INTERRUPTED;
	}
	stop_side(&s);
	finish(&s);
	json_decref(s.counters_before);
	stress_windows_free(&s.win);
	if (res->abandon)
		return 0;	/* the stuck thread still uses the shared block */
	pressure_release(&s.pr);
	stress_shared_free(cfg.sh, cfg.threads);
	return 0;
}
