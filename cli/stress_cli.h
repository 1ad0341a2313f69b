/* SPDX-License-Identifier: GPL-2.0 */
/* hmmbench stress's command line side: options, totals and what it prints. */
#ifndef HMMBENCH_STRESS_CLI_H
#define HMMBENCH_STRESS_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "record.h"
#include "stress_runner.h"

struct stress_opts {
	const char *scenario, *outdir, *device, *duration_arg, *watchdog_arg;
	const struct hmm_backend_ops *backend;
	uint64_t seed, duration_ms, watchdog_ms;
	uint64_t *seeds;
	unsigned int nseeds;
	int seed_given;
	unsigned int threads, print_ops;
	int inject_corruption, inject_hang, help, write_repro;
	const struct stress_scenario *inject_report_sc;	/* --inject-report SCENARIO: */
	const char *inject_report_fn;	/* ... :FUNCTION */
	int ktap;		/* --format ktap */
	char *command;
};

struct totals {
	unsigned int run, skipped, failed;
	uint64_t ops, pages, integrity, kernel, hangs;
	int interrupted;
	char skips[400], failure[240];
};

/* One scenario's result line(s) on stdout. */
void print_result(const struct stress_config *cfg, const struct stress_result *r);
/* Whether the run's --scenario selects @sc. */
int stress_selected(const struct stress_opts *o, const struct stress_scenario *sc);
/* KTAP: the version, the plan (selected scenarios times seeds), case lines on. */
void stress_ktap_begin(FILE *f, const struct stress_opts *o);
/*
 * A scenario's KTAP test, "stress NAME" ("stress NAME seed N" with
 * --seeds): "ok", "ok ... # SKIP why", or "not ok" after one "# reason:"
 * line per detector that fired (kernel report kind and function,
 * integrity error page and offset, hang thread and operation), else the
 * failure; every text escaped (ktap_diag_line()).
 */
void stress_ktap_result(FILE *f, const struct stress_opts *o, const struct stress_config *cfg,
			const struct stress_result *r);
/* KTAP: the selected scenarios of @seed from index @from on were not run. */
void stress_ktap_not_run(FILE *f, const struct stress_opts *o, uint64_t seed, size_t from,
			 const char *why);
/* Adds a scenario's counts to @t; the first failure becomes the verdict's. */
void add_result(struct totals *t, const struct stress_config *cfg,
		const struct stress_result *r);
/* The last line: PASS, FAIL, SKIP or INTERRUPTED, with every count. */
void print_verdict(const struct totals *t, const struct stress_opts *o,
		   const char *kmsg_why, const char *rundir);
void write_end(struct rec_writer *w, const struct totals *t);
/* What a failed scenario tripped, as the per-seed tally names it. */
void trip_name(const struct stress_config *cfg, const struct stress_result *r,
	       char *buf, size_t len);

#endif
