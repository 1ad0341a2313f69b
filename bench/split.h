/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench/split: how a THP migration behaves when the large allocation on
 * the other side fails. Injected: test_hmm's FAIL_ALLOC makes the next
 * folio allocation fail once, in either direction; SNAPSHOT before and
 * after counts the PMDs that were split, the THP counters say what the
 * kernel did, and a migration without injection gives the cost baseline.
 */
#ifndef HMMBENCH_SPLIT_H
#define HMMBENCH_SPLIT_H

#include "migrate.h"

/* bench=split's own keys (job->opts). */
enum split_failure { SPLIT_INJECTED, SPLIT_FRAGMENTED };

struct split_opts {
	unsigned int failure;		/* enum split_failure */
	struct uint_list pressure;	/* failure=fragmented: percent of free 2 MiB blocks */
};

struct split_job {
	size_t size;			/* a multiple of 2 MiB */
	enum migrate_dir dir;
	struct reps reps;
};

struct split_result {
	size_t n;
	double *split_rate;		/* split PMDs / PMDs attempted */
	double *ms_injected;		/* the migration that hit the failure */
	double *ms_plain;		/* the same migration without injection */
	size_t pmds_attempted, pmds_split;
	enum stop_reason stop;
};

/* Split PMDs given whole PMDs before and after the migration. */
static inline size_t split_count(size_t whole_before, size_t whole_after)
{
	return whole_after < whole_before ? whole_before - whole_after : 0;
}

/*
 * Returns 0, a negative errno (reported), -EIO on a data mismatch, or
 * -EOPNOTSUPP when the device cannot inject failures (an "unsupported"
 * record says why; nothing is measured as 0).
 */
int bench_split(struct bench_ctx *ctx, const struct split_job *job,
		struct split_result *res);
void split_result_free(struct split_result *res);

#endif
