/* SPDX-License-Identifier: GPL-2.0 */
/* hmmbench stress's command line side: options, totals and what it prints. */
#ifndef HMMBENCH_STRESS_CLI_H
#define HMMBENCH_STRESS_CLI_H

#include <stdint.h>

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
