/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Jobs: what to measure, described the way fio describes I/O workloads.
 * An INI file holds one section per job; [global] sets defaults for the
 * sections after it. A job's lists (sizes, pages, directions, threads)
 * expand into cases, each measured on its own.
 *
 *   [global]
 *   device=/dev/hmm_dmirror0
 *   [thp-vs-4k]
 *   bench=migrate
 *   sizes=2M,16M,64M        ; or a range: 2M-64M (doubling)
 *   pages=thp,4k
 *   direction=roundtrip     ; to-dev, to-sys, or both
 *   min_samples=5
 *   target_ci=2%
 *   max_time=20s
 *
 * Every key is declared once, in a table (struct job_key), as fio's
 * options.c declares its options: name, type, where the value goes,
 * default, range and help. Keys most benchmarks take live in struct job
 * (bench/job_keys.c); a benchmark's own keys live in its own options
 * struct (job->opts) and are declared in its own file (bench_ops.h).
 * Parsing, validation, error messages, `hmmbench run --help-keys` and the
 * README's key table all come from the tables.
 */
#ifndef HMMBENCH_JOB_H
#define HMMBENCH_JOB_H

#include <stddef.h>
#include <stdio.h>

#include "buffer.h"

#define JOB_MAX_LIST 16

struct size_list {
	unsigned int n;
	size_t v[JOB_MAX_LIST];
};

struct uint_list {
	unsigned int n;
	unsigned int v[JOB_MAX_LIST];
};

/* When to stop repeating a case (bench/adaptive.h decides). */
struct reps {
	unsigned int fixed;		/* repetitions=N: exactly N, no adaptation */
	unsigned int min_samples;
	unsigned int max_samples;
	double target_ci;		/* CI half-width over the median, e.g. 0.02 */
	double max_time_s;		/* per case */
};

/* The directions a case can measure; pages= selects enum page_mode. */
enum migrate_dir { TO_DEV, TO_SYS, NR_DIRS };

struct bench_ops;

struct job {
	char name[64];
	const struct bench_ops *bench;
	struct size_list sizes;
	unsigned int pages_mask;	/* 1 << PAGES_THP | 1 << PAGES_4K */
	unsigned int dir_mask;		/* 1 << TO_DEV | 1 << TO_SYS */
	unsigned int warmup;
	struct reps reps;
	void *opts;			/* the benchmark's own keys, bench->opts_size bytes */
};

struct job_list {
	struct job *jobs;
	size_t n;
	/* Keys of the whole run, [global] only; "" where the file sets none. */
	char device[64];
	char backend[32];
};

enum job_key_type {
	KEY_UINT,	/* unsigned int in [min, max] */
	KEY_BOOL,	/* int: true, false, 1 or 0 */
	KEY_FRACTION,	/* double in (0, 1): 2% or 0.02 */
	KEY_DURATION,	/* double seconds above 0: 30s, 2m, 500ms */
	KEY_CHOICE,	/* unsigned int: the value of one of choices[] */
	KEY_SET,	/* unsigned int: the values of a comma list of choices[], OR-ed */
	KEY_SIZES,	/* struct size_list: 4 KiB multiples, or a doubling range */
	KEY_UINTS,	/* struct uint_list, each in [min, max] */
	KEY_STRING,	/* char[max + 1] */
};

struct key_choice {
	const char *name;
	unsigned int value;
};

struct job_key {
	const char *name;
	enum job_key_type type;
	/* Where the value goes: in job->opts (a benchmark's own), else in struct job. */
	int in_opts;
	size_t off;
	const char *def;		/* the default, as it would be written; NULL: none */
	unsigned long long min, max;	/* KEY_UINT and KEY_UINTS items; KEY_STRING: max length */
	const struct key_choice *choices;	/* KEY_CHOICE, KEY_SET; ends with name == NULL */
	int percent;			/* KEY_UINTS: an item may end in '%' */
	const char *alias;		/* another name the key answers to */
	const char *help;
};

/* The keys most benchmarks take (bench/job_keys.c); a bench_ops lists those it takes. */
extern const struct job_key key_sizes, key_pages, key_direction, key_warmup,
	key_repetitions, key_min_samples, key_max_samples, key_target_ci, key_max_time;

/*
 * Parses a job file; on error returns -1 with "FILE:LINE: key 'k': why"
 * in @err and leaves @out empty.
 */
int job_parse_file(const char *path, struct job_list *out, char *err, size_t errlen);
int job_parse_string(const char *name, const char *text, struct job_list *out, char *err,
		     size_t errlen);
void job_list_free(struct job_list *l);

/*
 * Sets @key of @j from @value as a job file would; 0, or -1 with "bad
 * value 'v'; expected ..." in @err.
 */
int job_key_set(struct job *j, const struct job_key *key, const char *value, char *err,
		size_t errlen);
/* The value of choice @name in @choices: 0, or -1 if it is not one. */
int key_choice_find(const struct key_choice *choices, const char *name, unsigned int *value);
/* What a value of @key must look like, for errors and docs: "one of thp, 4k". */
const char *job_key_hint(const struct job_key *key, char *buf, size_t len);
/* Where @key's value lives in @j. */
void *job_key_field(const struct job *j, const struct job_key *key);
/* 1 if @j's benchmark takes @key (by name). */
int job_takes(const struct job *j, const char *key);

/*
 * Every key, as the README's table (markdown) or the --help summary
 * (text), from the tables: which benchmarks take it, its values, default
 * and meaning.
 */
void job_keys_markdown(FILE *f);
void job_keys_summary(FILE *f);

/* The built-in suites (bench/suites.c), the only place they are named. */
int suite_load(const char *suite, struct job_list *out, char *err, size_t errlen);
/* 1 if @suite is a built-in suite. */
int suite_exists(const char *suite);
/* "smoke, default, full" */
const char *suite_names(void);
/* Each suite with what it is for, a line each. */
void suite_list(FILE *f);
/* A suite's text, as a job file that would run it; NULL if unknown. */
const char *suite_text(const char *suite);

#endif
