// SPDX-License-Identifier: GPL-2.0
/*
 * The stress workers (stress/worker.c, op_mem.c) against the null
 * backend: threads race migrations, CPU faults, device READ/WRITE,
 * EXCLUSIVE and SNAPSHOT over a small region until they have done a few
 * thousand operations; every page must check out, with and without a
 * device that can be read, and a device that corrupts data must be caught.
 * The null backend does not see VMA changes, so the scenario here has none.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "backend.h"
#include "null.h"
#include "stress.h"

#define THREADS 3
#define ENOUGH_OPS 300

static const struct stress_scenario mem_ops = {
	.name = "null-migrate-fault",
	.describe = "migrate-fault without VMA changes, for the null backend",
	.weights = { [OP_MIGRATE_TO_DEV] = 20, [OP_MIGRATE_TO_SYS] = 10, [OP_CPU_READ] = 12,
		     [OP_CPU_WRITE] = 10, [OP_DEV_READ] = 8, [OP_DEV_WRITE] = 6,
		     [OP_EXCLUSIVE] = 4, [OP_SNAPSHOT] = 6 },
	.chunks = 2,
};

static void *workers(void *arg)
{
	stress_workers_main(arg);
	return NULL;
}

static uint64_t total(const struct stress_shared *sh, unsigned int kind, int skipped)
{
	uint64_t n = 0;

	for (unsigned int t = 0; t < THREADS; t++)
		n += skipped ? sh->threads[t].skipped[kind] : sh->threads[t].ops[kind];
	return n;
}

static uint64_t all_ops(const struct stress_shared *sh)
{
	uint64_t n = 0;

	for (unsigned int k = 0; k < OP_KIND_COUNT; k++)
		n += total(sh, k, 0);
	return n;
}

/* Runs the workers until they did ENOUGH_OPS operations or one failed. */
static struct stress_shared *run(const char *device)
{
	struct stress_config cfg = {
		.sc = &mem_ops, .backend = &null_backend, .device = device, .seed = 5,
		.threads = THREADS, .watchdog_ms = 60000,
	};
	pthread_t tid;

	cfg.sh = stress_shared_alloc(THREADS);
	cr_assert(cfg.sh);
	cr_assert_eq(pthread_create(&tid, NULL, workers, &cfg), 0);
	/* Waits for the event, never a fixed time: enough work, a failure, or the end. */
	while (all_ops(cfg.sh) < ENOUGH_OPS && !atomic_load(&cfg.sh->failed) &&
	       !atomic_load(&cfg.sh->done))
		nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);	/* a poll, not a wait */
	atomic_store(&cfg.sh->stop, 1);
	pthread_join(tid, NULL);
	cr_assert(!cfg.sh->setup_error[0], "setup: %s", cfg.sh->setup_error);
	return cfg.sh;
}

static void expect_clean(struct stress_shared *sh)
{
	uint64_t verified = 0;

	for (unsigned int t = 0; t < THREADS; t++)
		verified += sh->threads[t].pages_verified;
	cr_expect(!sh->failed, "no failure: %s", sh->failure.message);
	cr_expect_eq(sh->integrity_errors, 0);
	cr_expect_geq(all_ops(sh), ENOUGH_OPS);
	cr_expect_gt(verified, 0, "pages were checked");
	cr_expect_gt(total(sh, OP_MIGRATE_TO_DEV, 0), 0);
	cr_expect_gt(total(sh, OP_CPU_WRITE, 0), 0);
}

Test(stress_null, workers_with_a_readable_device)
{
	struct stress_shared *sh = run("null");

	expect_clean(sh);
	cr_expect_lt(total(sh, OP_DEV_READ, 1), total(sh, OP_DEV_READ, 0),
		     "device reads ran (not all skipped)");
	stress_shared_free(sh, THREADS);
}

Test(stress_null, workers_without_device_read)
{
	struct stress_shared *sh = run("null,no-dev-rw");

	expect_clean(sh);
	cr_expect_eq(total(sh, OP_DEV_READ, 1), total(sh, OP_DEV_READ, 0),
		     "every device read is skipped, none fails");
	cr_expect_eq(total(sh, OP_DEV_WRITE, 1), total(sh, OP_DEV_WRITE, 0));
	for (unsigned int t = 0; t < THREADS; t++)
		cr_expect_eq(sh->threads[t].errors[OP_DEV_READ][95 /* EOPNOTSUPP */], 0);
	stress_shared_free(sh, THREADS);
}

Test(stress_null, a_corrupting_device_is_caught)
{
	struct stress_shared *sh = run("null,corrupt");

	cr_expect(sh->failed, "the flipped byte ends the run");
	cr_expect_eq(sh->failure.kind, FAIL_INTEGRITY, "as an integrity error: %s",
		     sh->failure.message);
	cr_expect_gt(sh->integrity_errors, 0);
	stress_shared_free(sh, THREADS);
}
