/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HMMBENCH_CLI_H
#define HMMBENCH_CLI_H

/* Exit statuses shared by every subcommand. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the measurement or the device failed */
	EXIT_USAGE = 2,		/* bad flag, bad value, bad input file */
};

#include <stddef.h>
#include <stdint.h>

struct hmm_backend_ops;
struct hmm_dev;
struct perfctr_set;

int cmd_probe(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_stress(int argc, char **argv);
int cmd_import_lava(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_repro(int argc, char **argv);
/* --threshold '5%' as 0.05, --alpha in (0, 1); one-line errors (cli/compare.c). */
int cli_parse_threshold(const char *s, double *out);
int cli_parse_alpha(const char *s, double *out);

/* "hmmbench: error: ..." on stderr, one line. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The command line as one shell-quoted string, for records and reproduce.sh. */
char *cli_command_line(int argc, char **argv);
/*
 * Why test_hmm's node @path (NULL: /dev/hmm_dmirror0) cannot be used here
 * and what to do about it, in one line, for @err from open() or stat().
 */
void cli_explain_missing_test_hmm(const char *path, int err, char *buf, size_t len);
/*
 * {"backend", "path", "caps": {"thp-pmd": true | "why not", ...}}: what
 * probing measured, kept in probe output and in every run's metadata.
 */
struct json_t;
struct json_t *cli_device_json(const struct hmm_dev *dev);
/* hmm_dev_open(), or a one-line error saying why not and what to do. */
int cli_open_device(struct hmm_dev *dev, const struct hmm_backend_ops *ops,
		    const char *path);

struct run_opts {
	const char *suite, *job, *outdir, *device, *format, *events;
	const char *label;	/* --label: names the run whatever its release */
	const struct hmm_backend_ops *backend;
	uint64_t seed;
	unsigned int iterations;
	int help;
	/* --backend and --device win over the job file's backend= and device=. */
	int backend_given, device_given;
	struct perfctr_set *perf;	/* --events LIST, opened by run */
};

/*
 * Parses 'run' options into @o (which the caller zeroes); prints a one-line
 * error and returns -1 on bad input. Resets getopt, so it can be called
 * more than once per process.
 */
int run_parse_opts(int argc, char **argv, struct run_opts *o);
struct probe_opts {
	const char *device;
	const struct hmm_backend_ops *only;	/* --backend */
	int json, help;
};

/* Parses 'probe' options into @o (zeroed by the caller), like run_parse_opts. */
int probe_parse_opts(int argc, char **argv, struct probe_opts *o);

/*
 * The job file's [global] backend= and device= where the command line
 * named none (@o as run_parse_opts() left it).
 */
struct job_list;
void run_choose_device(struct run_opts *o, const struct job_list *jobs);
/* Parses @s as an integer in [0, @max]; a one-line error names @flag. */
int cli_parse_uint(const char *flag, const char *s, unsigned long long max,
		   unsigned long long *out);
/* The same in [@min, @max], and the message names that range. */
int cli_parse_range(const char *flag, const char *s, unsigned long long min,
		    unsigned long long max, unsigned long long *out);

#endif
