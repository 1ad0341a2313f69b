/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench/split, failure=fragmented: the split rate when the kernel's own
 * order-9 allocation really fails. test_hmm (7.2) brings a device THP back
 * with vma_alloc_folio(GFP_HIGHUSER_MOVABLE, 9) in
 * dmirror_devmem_fault_alloc_and_copy(), both for MIGRATE_TO_SYS and for a
 * CPU fault, and falls back to 4 KiB pages (a split) when that fails.
 *
 * Per case (size, pressure level): 2 x samples THP buffers go to the
 * device whole first (SNAPSHOT PMD evidence; they need free 2 MiB blocks
 * themselves), then bench/frag.c makes the level's share of the free
 * 2 MiB blocks unusable, then each sample brings one buffer back by
 * MIGRATE_TO_SYS and one by touching one byte per PMD. Before every
 * sample the blocks freed by the previous one are taken again, so every
 * sample starts from the same level. System knobs changed for it are
 * restored at the end, by a guardian process if hmmbench dies.
 */
#ifndef HMMBENCH_SPLIT_REAL_H
#define HMMBENCH_SPLIT_REAL_H

#include "adaptive.h"
#include "bench.h"

enum split_real_method { REAL_TO_SYS, REAL_FAULT_BACK, NR_REAL_METHODS };

struct split_real_job {
	size_t size;			/* a multiple of 2 MiB */
	unsigned int level;		/* percent of free 2 MiB blocks poisoned */
	unsigned int samples;		/* per method */
};

struct split_real_result {
	size_t n[NR_REAL_METHODS];
	double *split_rate[NR_REAL_METHODS];
	double *ms[NR_REAL_METHODS];
	size_t pmds_attempted[NR_REAL_METHODS], pmds_split[NR_REAL_METHODS];
	long blocks_before, blocks_after;	/* free 2 MiB blocks around setup */
	enum stop_reason stop;
	const char *unsupported;		/* why, for -EOPNOTSUPP */
};

const char *split_real_method_name(enum split_real_method m);
/* A record's params; NR_REAL_METHODS leaves the direction out (setup records). */
json_t *split_real_params(const struct split_real_job *job, enum split_real_method m);
/*
 * Returns 0; -EOPNOTSUPP with @res->unsupported (and an "unsupported"
 * record) when THPs do not reach this device whole or PFNs are hidden;
 * -EIO on a data mismatch; or a negative errno (reported).
 */
int bench_split_real(struct bench_ctx *ctx, const struct split_real_job *job,
		     struct split_real_result *res);
void split_real_result_free(struct split_real_result *res);

#endif
