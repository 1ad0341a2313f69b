/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench/migrate: round trips of one buffer to device memory and back,
 * each direction timed around the driver call alone, data verified after
 * every round trip, PMD evidence from SNAPSHOT kept with every sample.
 */
#ifndef HMMBENCH_MIGRATE_H
#define HMMBENCH_MIGRATE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"

#include "adaptive.h"

/* bench=migrate's own keys (job->opts). */
struct migrate_opts {
	int interleave;
};

struct migrate_job {
	size_t size;
	enum page_mode mode;
	unsigned int warmup;
	struct reps reps;
};

/*
 * A THP round trip copies each PMD between the same two physical folios
 * every time: the page allocator hands the folio the migration just freed
 * straight back. Under qemu TCG a page copy runs several times slower when
 * its source and destination alias in the emulator's TLB (README, "One
 * placement per case"), so a case of one PMD measured one placement, fast
 * or slow, for all its samples. THP cases of fewer PMDs than this rotate
 * among several buffers, so that every case measures that many placements.
 */
#define MIGRATE_PLACEMENTS	8


struct migrate_result {
	size_t n;			/* samples per direction */
	double *mbps[NR_DIRS];		/* MB/s (10^6 bytes per second) */
	size_t samples_whole_pmd;	/* samples where every THP moved as a PMD
					 * (0 for buffers smaller than one PMD) */
	enum stop_reason stop;
	size_t thp_formed;		/* PMDs mapped before the first migration,
					 * in the buffer with the fewest */
	unsigned int buffers;		/* buffers the samples rotate among */
	int verify_failed;
};

/*
 * One case in steps, so cases can take turns (bench/migrate_rounds.c):
 * migrate_start() allocates and faults the buffers, each migrate_step()
 * is one round trip (warm-ups first), migrate_finish() frees it all.
 */
struct migrate_run {
	const struct migrate_job *job;
	struct migrate_result *res;
	struct test_buf b[MIGRATE_PLACEMENTS];	/* b[i].addr NULL until allocated */
	unsigned int nbufs;		/* round trip i uses b[i % nbufs] */
	uint8_t *bounce, *state;
	unsigned int iter;		/* round trips so far, warm-ups included */
	uint64_t own_ns;		/* time in this case's measured steps,
					 * what max_time counts */
	int ret;			/* why a step failed, 0 if none did */
};

const char *migrate_dir_name(enum migrate_dir dir);
/* 0 or a negative errno; call migrate_finish() either way. */
int migrate_start(struct bench_ctx *ctx, const struct migrate_job *job,
		  struct migrate_result *res, struct migrate_run *run);
/*
 * One round trip; 1 when the case is done: res->stop says why, or
 * run->ret holds the error that ended it.
 */
int migrate_step(struct bench_ctx *ctx, struct migrate_run *run);
void migrate_finish(struct migrate_run *run);
/*
 * Returns 0, a negative errno from the driver (already reported on
 * stderr), or -EIO when data did not survive the round trip.
 */
int bench_migrate(struct bench_ctx *ctx, const struct migrate_job *job,
		  struct migrate_result *res);
void migrate_result_free(struct migrate_result *res);

/*
 * interleave=true: the @n cases take one step each per round, in the
 * order bench/rounds.h rotates; each case stops by its own reps rule,
 * max_time counting its own measured steps as when it runs alone.
 * @rets gets each case's bench_migrate()-style result; @res each case's
 * samples.
 */
void bench_migrate_rounds(struct bench_ctx *ctx, const struct migrate_job *jobs,
			  unsigned int n, struct migrate_result *res, int *rets);

#endif
