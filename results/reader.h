/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loads result runs for ls, compare and report. A run is a directory
 * holding records.jsonl; a results tree is DIR/<release>/<run-id>/.
 * Samples are grouped by (bench, params, metric), one group per metric in
 * each sample's "values"; warm-up samples are counted, not kept.
 *
 * A run without an "end" record, or whose last line was cut off, is
 * incomplete: every complete record before that point is still loaded.
 * A corrupt line or a schema newer than this hmmbench reads is an error
 * naming the file and line, and so is what no run can hold: a record
 * before the "meta" record, a negative throughput, time or count, a
 * number that is not finite, more PMDs split than attempted. A record
 * type this hmmbench does not know is skipped with a warning.
 *
 * Every string of a record is made printable as it is read (esc_term(),
 * results/escape.h): whatever a records file holds, no control character
 * or escape sequence reaches any output.
 */
#ifndef HMMBENCH_READER_H
#define HMMBENCH_READER_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>

/* The samples of one (bench, params, metric). */
struct rs_group {
	char *bench, *metric;
	json_t *params;		/* as recorded */
	char *key;		/* params with sorted keys: identity */
	char *label;		/* "32M thp to-dev": values in recorded order */
	double *x;
	size_t n, cap, warmups;
	/* migrate: samples with a SNAPSHOT, and those where PMDs moved whole */
	size_t snap_samples, pmd_samples;
	/* split: PMDs attempted and split, summed over samples */
	size_t pmds_attempted, pmds_split;
	/* fault: CPU faults taken and pages brought back, summed over samples */
	size_t faults, pages_back;
};

/* A capability the kernel or device lacked: nothing was measured. */
struct rs_unsupported {
	char *bench, *capability, *reason, *key, *label;
	json_t *params;
};

/* One stress scenario's outcome ("type": "stress"): counts, not samples. */
struct rs_stress {
	char *scenario, *status, *reason;	/* status: pass, fail, skip, ... */
	long long ops, errors, integrity_errors, kernel_reports, hangs;
};

struct rs_run {
	char *dir, *path;	/* the run directory and its records.jsonl */
	char *release;		/* meta kernel.release, else the parent dir */
	char *kernel_label;	/* meta kernel.label ('run --label'), or NULL */
	json_t *meta;		/* NULL when there was no metadata record */
	char *status;		/* the end record's status, or "incomplete" */
	int complete;		/* an end record with status "complete" */
	int cut_off;		/* the last line was cut mid-record */
	char incomplete_why[160];
	size_t records, samples;
	struct rs_group *groups;
	size_t ngroups;
	struct rs_unsupported *unsup;
	size_t nunsup;
	struct rs_stress *stress;
	size_t nstress;
	/* what was skipped and why, one line each (printable) */
	char **warnings;
	size_t nwarnings;
	dev_t dev;		/* records.jsonl's identity, for rs_same_run() */
	ino_t ino;
	off_t size;
};

struct rs_set {
	struct rs_run *runs;
	size_t nruns;
};

/*
 * Loads the records file @path as a run in directory @dir. Returns 0, or
 * a negative errno with a one-line reason in @err.
 */
int rs_load_file(const char *path, const char *dir, struct rs_run *run,
		 char *err, size_t errlen);
/*
 * Appends to @set every run under @dir: @dir itself when it holds
 * records.jsonl, else its subdirectories up to two levels down, in name
 * order. No run at all is an error, and so is a run @set holds already
 * (a directory given twice, or inside another): its samples would count
 * twice.
 */
int rs_load_tree(const char *dir, struct rs_set *set, char *err, size_t errlen);
void rs_run_free(struct rs_run *run);
/* Appends a copy of @st to @run's scenarios. Returns -1 without memory. */
int rs_stress_add(struct rs_run *run, const struct rs_stress *st);
void rs_set_free(struct rs_set *set);

/*
 * Whether @a and @b are the same run: one records file (reached twice,
 * through another path or a link) or byte-identical copies of one.
 */
int rs_same_run(const struct rs_run *a, const struct rs_run *b);
/* Prints every warning of the runs of @set, "hmmbench: warning: ..." a line. */
void rs_print_warnings(FILE *f, const struct rs_set *set);

/* The group of @run for @bench/@key/@metric, or NULL. */
struct rs_group *rs_find_group(struct rs_run *run, const char *bench,
			       const char *key, const char *metric);
/* Appends @n samples to @g (for merging runs). Returns -1 without memory. */
int rs_group_add(struct rs_group *g, const double *x, size_t n);

/* Small accessors for metadata: NULL / -1 when absent. */
const char *rs_meta_str(const struct rs_run *run, const char *path);
long long rs_meta_int(const struct rs_run *run, const char *path);

/* "32M", "4K", "1G", else bytes. */
void rs_format_size(long long bytes, char *buf, size_t len);

#endif
