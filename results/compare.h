/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel against kernel: for every (bench, params, metric) the medians of
 * both sides, the relative change with its 95% confidence interval
 * (Hodges-Lehmann shift over the base median) and a Mann-Whitney U test.
 * A change is an improvement or a regression only when it is both
 * significant (p < alpha) and beyond the threshold; which way is better
 * comes from results/metrics.c. Parameter sets run on one side only and
 * capabilities a kernel lacks are rows of their own, never zeros.
 */
#ifndef HMMBENCH_COMPARE_H
#define HMMBENCH_COMPARE_H

#include <stdio.h>

#include "metrics.h"
#include "mwu.h"
#include "reader.h"
#include "stats.h"

#define CMP_CI_LEVEL 0.95

/*
 * The runs of one kernel from one place, samples merged. A kernel is its
 * runs' label ('run --label'), else their release: @release is that name,
 * what every table and figure calls the side; @kernel_release is the
 * release of its first run (the same as @release when unlabelled).
 */
struct cmp_side {
	char *release;
	char *kernel_release;
	char *origin;		/* the directories the runs came from */
	struct rs_run **runs;
	size_t nruns;
	struct rs_run merged;	/* groups and unsupported of all runs */
};

enum cmp_state {
	CMP_COMPARED,
	CMP_ONLY_BASE, CMP_ONLY_NEW,
	CMP_UNSUPPORTED_BASE, CMP_UNSUPPORTED_NEW, CMP_UNSUPPORTED_BOTH,
};

enum cmp_verdict { CMP_SAME, CMP_IMPROVED, CMP_REGRESSED, CMP_CHANGED };

struct cmp_row {
	enum cmp_state state;
	const char *bench, *metric, *label;
	const struct metric_info *info;		/* NULL: unknown metric */
	const struct rs_group *base, *new;	/* NULL when absent */
	/* why the side lacking it lacks it (ONLY_*: a related job, or NULL) */
	const struct rs_unsupported *unsup;
	struct sample_stats sb, sn;
	struct mwu_result test;
	double rel, rel_low, rel_high;	/* NAN when the base median is 0 */
	int significant, beyond;
	/*
	 * Run-to-run spread: (largest - smallest run median) over the pooled
	 * median, the larger of the two sides; NAN when neither side has two
	 * runs of this group. A change within it is not marked.
	 */
	double noise;
	int within_noise;
	/*
	 * A per-fault metric where one kernel faulted whole PMDs and the other
	 * 4 KiB pages: the events differ, so the numbers are shown, not judged.
	 */
	int unit_differs;
	enum cmp_verdict verdict;
};

struct cmp_opts {
	double threshold;	/* 0.05 for 5% */
	double alpha;
};

struct cmp_table {
	const struct cmp_side *base, *new;
	struct cmp_row *rows;
	size_t nrows;
	char **notes;		/* what makes the comparison unfair */
	size_t nnotes;
	/*
	 * The differences between base and new that make timings
	 * incomparable (config, THP settings, memory, CPUs, host), each
	 * "what ('base values' vs 'new values')": compare refuses on them
	 * unless told otherwise. Each is among the notes as well.
	 */
	char **unfair;
	size_t nunfair;
	size_t compared, improved, regressed;
	/* stress scenarios run on both; those that passed on base, failed on new */
	size_t stress_compared, stress_regressed;
};

/*
 * Splits @set into one side per kernel (label, else release), in version
 * order of the releases, each with its groups merged. @origin names where
 * the runs came from.
 */
int cmp_sides(struct rs_set *set, const char *origin,
	      struct cmp_side **sides, size_t *nsides);
void cmp_sides_free(struct cmp_side *sides, size_t nsides);
/* "7.2.13", or "fix (release 7.2.13-fix)" for a labelled side. */
void cmp_side_title(const struct cmp_side *s, char *buf, size_t len);

/* Builds the comparison of @new against @base. -1 without memory. */
int cmp_build(const struct cmp_side *base, const struct cmp_side *new,
	      const struct cmp_opts *o, struct cmp_table *t);
void cmp_table_free(struct cmp_table *t);

/*
 * Fills @t->notes with every metadata difference that makes the
 * comparison unfair (results/compare_text.c; called by cmp_build).
 */
int cmp_notes_build(struct cmp_table *t);
/* Plain text, at most 80 columns, for terminals and mailing lists. */
void cmp_print(FILE *f, const struct cmp_table *t, const struct cmp_opts *o);
/*
 * One tab-separated line per row, for scripts (bisect, CI): kernels,
 * bench, metric, label, params (JSON, sorted keys), unit, state, counts,
 * each side's median with its CI, change and its CI as fractions, p,
 * test, verdict, note; '-' where a field does not apply. Then one line
 * per stress scenario: bench "stress", metric "status", the scenario as
 * label and params, each side's worst status where the medians go, WORSE
 * when it passed on base and failed on new. @header adds the column names.
 */
void cmp_print_tsv(FILE *f, const struct cmp_table *t, int header);
/* @text word-wrapped to 80 columns: after @first, then after @indent. */
void cmp_put_wrapped(FILE *f, const char *first, const char *indent,
		     const char *text);
/* "8/8 samples moved whole PMDs": the evidence line of a row, or "". */
void cmp_pmd_evidence(const struct rs_group *g, char *buf, size_t len);
const char *cmp_verdict_name(enum cmp_verdict v);
/* The worst outcome of @scenario over the runs of @s (fail over pass), or NULL. */
const struct rs_stress *cmp_stress_outcome(const struct cmp_side *s, const char *scenario);

#endif
