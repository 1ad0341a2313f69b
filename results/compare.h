/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel against kernel: for every (bench, params, metric) measured on
 * both sides, the change and whether it is real.
 *
 * The unit of replication of a time or a throughput is the run (one
 * boot): each run's median is one replicate, the change is the ratio of
 * the geometric means of the runs' medians, and it is tested with a
 * moderated t test over the runs (results/verdict.h), only with at least
 * three runs on each side; with fewer the row is "unconfirmed". Counts
 * (samples that moved whole PMDs, PMDs split) are tested exactly
 * (Fisher), from any number of runs. All rows tested in one comparison
 * are adjusted together (Holm); a change is an improvement or a
 * regression only when its adjusted p < alpha and it is beyond the
 * threshold; which way is better comes from results/metrics.c. Parameter
 * sets run on one side only and capabilities a kernel lacks are rows of
 * their own, never zeros.
 */
#ifndef HMMBENCH_COMPARE_H
#define HMMBENCH_COMPARE_H

#include <stdio.h>

#include "metrics.h"
#include "reader.h"
#include "stats.h"
#include "verdict.h"

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
	/* every sample of each side pooled: a description, not the test */
	struct sample_stats sb, sn;
	/* runs with samples of this row, and their medians (base, then new) */
	size_t runs_b, runs_n;
	double *run_medians;
	/*
	 * The test (COMPARED rows): its kind, state (tested, unconfirmed...),
	 * centres, change with its CI, p, adjusted p, detectable change.
	 */
	struct vd_row vd;
	double rel, rel_low, rel_high;	/* vd's change and CI; NAN when unknown */
	/*
	 * A per-fault metric where one kernel faulted whole PMDs and the other
	 * 4 KiB pages: the events differ, so the numbers are shown, not judged.
	 */
	int unit_differs;
	enum cmp_verdict verdict;
};

struct cmp_opts {
	double threshold;	/* 0.05 for 5% */
	double alpha;		/* family-wise, over the rows of one comparison */
	enum p_adjust adjust;	/* Holm unless told */
	size_t min_runs;	/* runs per side a time row needs; 0: VD_MIN_RUNS */
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
	size_t unconfirmed;	/* time rows with too few runs to judge */
	size_t min_runs;	/* the runs per side they needed */
	struct vd_summary vd;	/* rows tested together, the prior of their variances */
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
/*
 * The comparison as one object of the "hmmbench-compare/1" schema (the
 * README's "Machine-readable output"): both sides, @status ("compared",
 * "refused", "nothing-in-common"), the metadata differences, every row
 * and stress scenario (none when refused: nothing was judged), totals.
 * Every string is as esc_term() shows it; a number that is undefined (no
 * CI, not tested) is null. NULL without memory.
 */
json_t *cmp_table_json(const struct cmp_table *t, const char *status);
/* The JSON schema's name and the --format json document's "options". */
#define CMP_JSON_SCHEMA "hmmbench-compare/1"
json_t *cmp_opts_json(const struct cmp_opts *o, int allow_differences);
/* "compared", "only-base", ..., "unsupported-both": a row's state. */
const char *cmp_state_name(const struct cmp_row *r);
/* A row's note: why it was not judged, or the capability it lacks; "-" if none. */
const char *cmp_row_note(const struct cmp_table *t, const struct cmp_row *r,
			 char *buf, size_t len);
/* The runs of @s that ran @scenario. */
size_t cmp_stress_runs(const struct cmp_side *s, const char *scenario);
/* How the runs of a side spread for one group: what replicates a time. */
struct cmp_spread {
	size_t runs;		/* runs with samples of the group */
	double centre;		/* geometric mean of the runs' medians */
	double lo, hi;		/* the smallest and the largest run median */
	double sd;		/* sd of the runs' log medians (~ relative); NAN under 2 runs */
};

/* The spread of @g's group over the runs of @s. -1 when no run has it. */
int cmp_run_spread(const struct cmp_side *s, const struct rs_group *g,
		   struct cmp_spread *out);

/*
 * A side's summary of @g as tables and figures show it: with two runs or
 * more, median = the centre and [ci_low, ci_high] = the range of the runs'
 * medians (the spread between boots); with one run, its median and the
 * 95% CI of that median. n is the samples either way. Returns the runs.
 */
size_t cmp_side_stats(const struct cmp_side *s, const struct rs_group *g,
		      struct sample_stats *st);

/* "unconfirmed (1 run per side; 3 needed)": why a time row was not judged. */
void cmp_unconfirmed_note(const struct cmp_table *t, char *buf, size_t len);
/* @text word-wrapped to 80 columns: after @first, then after @indent. */
void cmp_put_wrapped(FILE *f, const char *first, const char *indent,
		     const char *text);
/* "8/8 samples moved whole PMDs": the evidence line of a row, or "". */
void cmp_pmd_evidence(const struct rs_group *g, char *buf, size_t len);
const char *cmp_verdict_name(enum cmp_verdict v);
/* The worst outcome of @scenario over the runs of @s (fail over pass), or NULL. */
const struct rs_stress *cmp_stress_outcome(const struct cmp_side *s, const char *scenario);

#endif
