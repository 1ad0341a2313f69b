/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench/fault: concurrent CPU fault-back of device-private memory.
 *
 * Each iteration maps a fresh PMD-aligned buffer, fills it, migrates it to
 * the device and SNAPSHOTs it; then @threads pthreads, released together by
 * a barrier, touch every page of their range once from the CPU in the
 * chosen order, so each first touch of a device-resident page faults it
 * back through the driver (test_hmm: dmirror_devmem_fault -> migrate_vma).
 * After the threads are joined, a SNAPSHOT says how much is still on the
 * device and every byte is checked against the pattern.
 *
 * What is a fault. The unit that one fault brings back is read from the
 * SNAPSHOT taken before the threads start: a page mapped by a device PMD
 * entry belongs to its 2 MiB unit (7.x brings the whole folio back on the
 * first touch), any other device page is its own unit. Each unit has an
 * atomic "claimed" flag: the thread that claims it first is the one whose
 * access faults, and only those accesses are fault latencies. A thread
 * that touches a unit another thread has claimed but not yet finished is
 * counted as "contended" (it may have waited on the same fault) with its
 * latencies kept apart; a touch of a unit already back is "resident" and
 * is not timed into any distribution. As a cross-check that needs no
 * guessing, each thread's minor+major fault count from
 * getrusage(RUSAGE_THREAD) around its loop is recorded as kernel_faults
 * (it also counts contended waits and any split PMD's extra faults).
 *
 * Timing: every access is timed with CLOCK_MONOTONIC around the touch
 * alone (one 8-byte load, or a store of the value the page already holds,
 * so the data stays checkable). The iteration's time is from the first
 * thread leaving the barrier to the last thread finishing its range; fault
 * throughput is the pages that came back (device pages before minus
 * after) per second of that time.
 *
 * Records, one per iteration (warm-ups carry "warmup": true):
 *   {"type": "sample", "bench": "fault",
 *    "params": {"size", "pages": "thp|4k", "threads", "access": "read|write",
 *               "pattern": "seq|random|strided", "stride" (strided only),
 *               "sharing": "disjoint|overlap"},
 *    "iter", "ns", "setup_ns" (map, fill, migrate, SNAPSHOT: untimed in ns),
 *    "values": {"fault_throughput": pages/s},
 *    "pages_back", "faults", "contended", "resident", "kernel_faults",
 *    "snapshot_before": {...}, "snapshot_after": {...},
 *    "latency": exact summary of this iteration's fault latencies
 *               (results/percentile.h: n, min, mean, max, p50..p99.9, ci),
 *    "latency_hist": log-linear histogram of them (every value within
 *                    0.39% of its bucket's value, results/percentile.h),
 *    "latency_ns": every fault latency, raw, when there are at most
 *                  FAULT_RAW_MAX of them (else the histogram alone),
 *    "contended_latency": summary of the contended touches, if any}
 * So percentiles are exact from "latency_ns" or within 0.39% from
 * "latency_hist"; fault_summarise() computes them exactly from memory.
 *
 * The thread-count sweep (1, 2, ... up to fault_default_max_threads()) is
 * the caller's: one call measures one thread count.
 */
#ifndef HMMBENCH_FAULT_H
#define HMMBENCH_FAULT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bench.h"
#include "job.h"
#include "percentile.h"
#include "stats.h"

#define FAULT_RAW_MAX 16384

enum fault_access { FAULT_READ, FAULT_WRITE };
enum fault_pattern { FAULT_SEQ, FAULT_RANDOM, FAULT_STRIDED };
/*
 * disjoint: thread t of T takes pages [t*n/T, (t+1)*n/T).
 * overlap: every thread takes the whole range (seq and strided threads
 * all start at page 0, the worst contention; random threads each follow
 * their own permutation).
 */
enum fault_sharing { FAULT_DISJOINT, FAULT_OVERLAP };

struct fault_job {
	size_t size;			/* bytes, a multiple of 4 KiB */
	enum page_mode mode;
	unsigned int threads;		/* >= 1 */
	enum fault_access access;
	enum fault_pattern pattern;
	size_t stride;			/* pages, FAULT_STRIDED only, >= 1 */
	enum fault_sharing sharing;
	unsigned int warmup, iterations;
};

struct fault_result {
	size_t n;			/* measured iterations */
	double *pages_per_s;		/* fault throughput per iteration */
	uint64_t *total_ns;		/* time to bring the range back */
	/* Every fault latency (ns) of every measured iteration. */
	uint64_t *latency_ns;
	size_t nlat, latcap;
	uint64_t *contended_ns;		/* touches of a unit mid-fault */
	size_t ncontended, contcap;
	size_t pages_back, faults, resident, kernel_faults;
	size_t pmd_units;		/* device PMDs seen before the threads */
	size_t device_after;		/* pages still on the device after */
	int verify_failed;
};

/* The names of each enum, in its order: job-file values and record params. */
extern const struct key_choice fault_access_choices[], fault_pattern_choices[],
	fault_sharing_choices[];
const char *fault_access_name(enum fault_access a);
const char *fault_pattern_name(enum fault_pattern p);
const char *fault_sharing_name(enum fault_sharing s);

/* bench=fault's own keys (job->opts). */
struct fault_opts {
	struct uint_list threads;
	unsigned int access, pattern, sharing;	/* enum fault_access, ... */
	unsigned int stride;
};
/* 2 x online CPUs: the default top of the thread sweep. */
unsigned int fault_default_max_threads(void);

/*
 * The pages thread @t touches, in order, into @plan (room for @npages
 * entries); returns how many. Each page of the thread's range appears
 * exactly once. strided with stride s visits 0, s, 2s, ..., then 1, 1+s,
 * ...; random is a Fisher-Yates permutation seeded by @seed and @t.
 */
size_t fault_plan(const struct fault_job *job, size_t npages, unsigned int t,
		  uint64_t seed, uint32_t *plan);
/*
 * The fault unit of each page from a SNAPSHOT: -1 for a page not on the
 * device, npages + p / 512 for a page under a device PMD entry, else p.
 * Returns the number of PMD units.
 */
size_t fault_units(const uint8_t *state, size_t npages, int64_t *unit);

/*
 * Returns 0; a negative errno from the driver (reported on stderr); -EIO
 * when data did not survive the fault-back (reported with the page's
 * state); -EAGAIN when MIGRATE_TO_DEV left no page of the buffer on the
 * device (nothing to fault back: reported); -EINVAL for a bad job.
 * Measured iterations are in @res even when a later one fails.
 */
int bench_fault(struct bench_ctx *ctx, const struct fault_job *job,
		struct fault_result *res);
void fault_result_free(struct fault_result *res);

/* params of @job as recorded in every fault record (a new object). */
json_t *fault_params(const struct fault_job *job);
/*
 * Writes the summary records of @res: "fault_throughput" (pages/s, from
 * the per-iteration values, results/summary.h) and "fault_latency" (ns,
 * over every fault of every iteration, with "percentiles": exact p50, p90,
 * p99, p99.9, max, each with its order-statistic 95% interval), and a
 * "contended_latency" percentiles object when there were contended
 * touches. Fills @lat and @tput for printing (latency_summary_print,
 * summary_print_row). Returns -1 if there was nothing to summarise.
 */
int fault_summarise(struct rec_writer *w, const struct fault_job *job,
		    const struct fault_result *res, struct latency_summary *lat,
		    struct sample_stats *tput);

#endif
