/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The decision rule of a comparison, apart from where its numbers come
 * from, so that compare and its calibration (tests/unit/test_calibrate.c)
 * run the same code.
 *
 * A time-like row (a time, a throughput) is replicated by boots: each run
 * gives one summary (the log of its median), and the row's change is
 * judged by the moderated t test on those (results/ebayes.h), only when
 * both sides have at least @min_runs runs. A count row (samples that
 * moved whole PMDs, PMDs split) is judged by Fisher's exact test from any
 * number of runs. The p-values of all rows judged in one comparison are
 * adjusted together (Holm by default), and a row is marked when its
 * adjusted p < alpha and its change is beyond the threshold.
 */
#ifndef HMMBENCH_VERDICT_H
#define HMMBENCH_VERDICT_H

#include <stddef.h>

#include "ebayes.h"
#include "exact.h"

#define VD_MIN_RUNS 3
#define VD_POWER 0.8	/* the power a minimum detectable effect is quoted at */

enum vd_kind { VD_TIME, VD_COUNT };

enum vd_state {
	VD_TESTED,	/* in the family of tests; p and adjusted p valid */
	VD_UNCONFIRMED,	/* a time row with too few runs on a side */
	VD_NO_SPREAD,	/* time: the runs agree exactly, nothing to test on */
	VD_NOT_POSITIVE,	/* time: a run's median is <= 0, no log */
	VD_FORCED,	/* count: the margins allow one table only (p is 1) */
	VD_SKIPPED,	/* left out by the caller (e.g. different events) */
};

enum vd_call { VD_SAME, VD_UP, VD_DOWN };	/* a marked change, by sign */

struct vd_opts {
	double threshold;	/* relative change that matters, 0.05 */
	double alpha;		/* family-wise (Holm) or FDR (BH) level */
	enum p_adjust adjust;
	size_t min_runs;	/* time rows: runs per side to judge; 0: VD_MIN_RUNS */
};

struct vd_row {
	enum vd_kind kind;
	int skip;		/* in: shown but never judged */
	/* VD_TIME: each run's summary (its median), base and new */
	const double *xb, *xn;
	size_t nb, nn;
	int aligned;		/* one value per run, runs in the same order on every row */
	/* VD_COUNT: hits out of trials on each side */
	size_t hb, tb, hn, tn;

	/* out */
	enum vd_state state;
	double center_b, center_n;	/* time: geometric means of the runs */
	double change, low, high;	/* relative; NAN: from 0 (counts) */
	double p, p_adj;		/* NAN unless VD_TESTED */
	double mde;			/* time, tested: detectable change */
	double df;			/* time, tested: degrees of freedom */
	int significant, beyond;
	enum vd_call call;
};

struct vd_summary {
	size_t family;		/* rows tested and adjusted together */
	size_t time_rows;	/* of them, time rows (on the moderated t) */
	struct mt_summary mt;	/* the prior fitted over those, their shared boot effect */
};

/*
 * Judges all @n rows of one comparison together. -1 without memory
 * (rows are then left untested).
 */
int vd_judge(struct vd_row *rows, size_t n, const struct vd_opts *o,
	     struct vd_summary *s);

/* Runs a time row needs per side under @o. */
size_t vd_min_runs(const struct vd_opts *o);

#endif
