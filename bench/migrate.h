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

struct migrate_job {
	size_t size;
	enum page_mode mode;
	unsigned int warmup;
	struct reps reps;
};

enum migrate_dir { TO_DEV, TO_SYS, NR_DIRS };


struct migrate_result {
	size_t n;			/* samples per direction */
	double *mbps[NR_DIRS];		/* MB/s (10^6 bytes per second) */
	size_t samples_whole_pmd;	/* samples where every THP moved as a PMD
					 * (0 for buffers smaller than one PMD) */
	enum stop_reason stop;
	size_t thp_formed;		/* PMDs mapped before the first migration */
	int verify_failed;
};

const char *migrate_dir_name(enum migrate_dir dir);
/*
 * Returns 0, a negative errno from the driver (already reported on
 * stderr), or -EIO when data did not survive the round trip.
 */
int bench_migrate(struct bench_ctx *ctx, const struct migrate_job *job,
		  struct migrate_result *res);
void migrate_result_free(struct migrate_result *res);

#endif
