/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hmmbench stress: threads race migrations, CPU faults, device access and
 * VMA changes over one region whose every page carries a checkable pattern.
 * The controller (the process hmmbench runs in) samples progress, watches
 * /dev/kmsg and a watchdog, and writes the records; the workers run either
 * as threads of the same process or in a child placed in a cgroup. All they
 * share lives in one MAP_SHARED block, struct stress_shared.
 */
#ifndef HMMBENCH_STRESS_H
#define HMMBENCH_STRESS_H

#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "oplog.h"

enum stress_op_kind {
	OP_MIGRATE_TO_DEV, OP_MIGRATE_TO_SYS, OP_CPU_READ, OP_CPU_WRITE,
	OP_DEV_READ, OP_DEV_WRITE, OP_EXCLUSIVE, OP_SNAPSHOT,
	OP_MUNMAP, OP_MREMAP, OP_MREMAP_DONTUNMAP, OP_MPROTECT,
	OP_MADV_DONTNEED, OP_MADV_FREE, OP_FORK, OP_FAIL_ALLOC,
	OP_KIND_COUNT
};

/* One operation, drawn from the thread's generator before it runs. */
struct stress_op {
	uint32_t kind;
	uint32_t first, npages;	/* pages of the region */
	uint64_t arg;		/* the operation's own random choices */
};

/* splitmix64: a per-thread stream that depends only on its seed. */
struct stress_rng {
	uint64_t state;
};

void stress_rng_init(struct stress_rng *r, uint64_t seed, unsigned int scenario,
		     unsigned int thread, unsigned int life);
uint64_t stress_rng_next(struct stress_rng *r);
/*
 * Draws the next operation over a region of @nchunks 2 MiB chunks. It takes
 * the same number of draws whatever happens at run time, so a seed always
 * gives the same sequence per thread.
 */
void stress_next_op(struct stress_rng *r, const uint8_t *weights,
		    size_t nchunks, struct stress_op *op);
const char *stress_op_name(unsigned int kind);
/* "migrate-to-dev pages 512+512 arg 0x1234abcd" */
char *stress_op_str(const struct stress_op *op, char *buf, size_t len);

struct stress_scenario {
	const char *name;
	const char *describe;
	uint8_t weights[OP_KIND_COUNT];
	unsigned int chunks;	/* 2 MiB chunks in the region */
	unsigned int needs;	/* HMM_CAP_* the scenario cannot run without */
	int in_cgroup;		/* workers run in a child inside a memory cgroup */
	/*
	 * FAIL_ALLOC injected while no other operation runs (see
	 * stress_op_fail_alloc); 0 injects it amid everything else.
	 */
	int serial_injection;
	int not_in_all;		/* a known-bug reproducer: only by name */
	/*
	 * Device READ/WRITE without the guards of stress_op_desc (run alone,
	 * 4 KiB chunks only): the test_hmm mirror-entry race they avoid.
	 */
	int unguarded_dev_access;
	/* Closes the device with pages still on it (see drain_device()). */
	int evict_on_close;
};

const struct stress_scenario *stress_scenarios(size_t *n);
const struct stress_scenario *stress_scenario_find(const char *name);
/* Whether an operation of @kind runs while no other does, in @sc. */
int stress_op_runs_solo(const struct stress_scenario *sc, unsigned int kind);
/*
 * Where the dispatcher runs a drawn operation: a guarded device access
 * moves to the nearest 4 KiB chunk, and no range runs past the region.
 */
void stress_place_op(const struct stress_scenario *sc, const uint8_t *thp, size_t nchunks,
		     struct stress_op *op);

#define STRESS_MAX_THREADS 64
#define STRESS_ERRNO_SLOTS 136	/* errno values below this are counted by name */
#define STRESS_FIRST_OPS 16

/* What the watchdog reads: the operation a thread is inside, since when. */
struct stress_slot {
	_Atomic uint64_t start_ns;	/* 0 while not inside an operation */
	_Atomic uint32_t kind, first, npages;
	_Atomic int32_t tid;
	_Atomic uint64_t index;
};

struct stress_thread_stats {
	_Atomic uint64_t ops[OP_KIND_COUNT];
	_Atomic uint64_t ns[OP_KIND_COUNT], max_ns[OP_KIND_COUNT];
	/* Device accesses not done: a page of the range stayed in system memory. */
	_Atomic uint64_t skipped[OP_KIND_COUNT];
	_Atomic uint32_t errors[OP_KIND_COUNT][STRESS_ERRNO_SLOTS];
	_Atomic uint64_t pages_verified;
	struct stress_slot wd;
	uint32_t nfirst;
	struct stress_op first[STRESS_FIRST_OPS];
};

enum stress_fail_kind { FAIL_NONE, FAIL_INTEGRITY, FAIL_SIGNAL, FAIL_HARNESS };

/* The first failure a worker saw, for the controller's record. */
struct stress_failure {
	int kind;
	int thread;
	struct stress_op op;
	char after[40];		/* what was being checked */
	uint64_t addr;		/* the mismatching word, or the faulting address */
	uint64_t page_addr;
	long page_index, offset;
	uint64_t expected, found;
	uint32_t generation;
	int state_known;
	uint8_t state;
	char message[512];
};

struct stress_shared {
	_Atomic int stop;		/* the controller asks the workers to stop */
	_Atomic int ready;		/* the region is set up; the clock runs */
	_Atomic int done;		/* the worker side has finished */
	_Atomic int failed;
	_Atomic uint64_t integrity_errors;
	_Atomic uint64_t forks, child_pages_on_device;
	_Atomic int hook_corrupted;
	_Atomic int failure_claimed;
	struct stress_failure failure;
	char setup_error[256];		/* the worker side could not start */
	/*
	 * What each thread ran (oplog.h) and, once a failure is seen, how
	 * many operations each had begun by then: the reproducer's length.
	 */
	struct oplog_set oplog;
	_Atomic int oplog_frozen;
	uint64_t oplog_at_failure[STRESS_MAX_THREADS];
	unsigned int nthreads;
	struct stress_thread_stats threads[];
};

struct stress_config {
	const struct stress_scenario *sc;
	unsigned int sc_index;
	const struct hmm_backend_ops *backend;
	const char *device;
	uint64_t seed;
	unsigned int threads;
	uint64_t duration_ms, watchdog_ms;
	unsigned int print_ops;
	const char *print_prefix;	/* before each line printed on stdout: "# " in KTAP */
	int inject_corruption, inject_hang;
	const char *inject_report;	/* FUNCTION for a fake WARNING in this run, tests only */
	unsigned int life;		/* respawn count, pressure only */
	enum { REPRO_ON_FAIL, REPRO_ALWAYS, REPRO_NEVER } write_repro;
	const char *command;		/* the hmmbench command line, for the reproducer */
	struct stress_shared *sh;
};

struct stress_shared *stress_shared_alloc(unsigned int nthreads);
void stress_shared_free(struct stress_shared *sh, unsigned int nthreads);

/*
 * The worker side: opens the device, maps and fills the region, runs the
 * threads until @cfg->sh->stop, checks every page once more after closing
 * the device and returns 0, or -errno with sh->setup_error set.
 */
int stress_workers_main(const struct stress_config *cfg);


#endif
