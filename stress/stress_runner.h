/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The controller of one stress scenario: starts the worker side, samples
 * operations per second every second, watches the kernel log and the
 * watchdog, stops the workers and writes the scenario's records.
 */
#ifndef HMMBENCH_STRESS_RUNNER_H
#define HMMBENCH_STRESS_RUNNER_H

#include <limits.h>
#include <signal.h>

#include "kmsg.h"
#include "record.h"
#include "stats.h"
#include "stress.h"

struct stress_env {
	struct rec_writer *w;
	struct kmsg_watch *kmsg;	/* NULL when /dev/kmsg could not be read */
	unsigned int kmsg_seen;
	const struct hmm_dev *probe;	/* capabilities, from opening the device once */
	const volatile sig_atomic_t *interrupted;
};

enum stress_status { STRESS_PASS, STRESS_FAIL, STRESS_SKIP, STRESS_INTERRUPTED };

struct stress_result {
	enum stress_status status;
	char reason[600];		/* why it failed or was skipped */
	char first_failure[200];	/* the one-line gist, for the verdict */
	double seconds;
	uint64_t ops, pages_verified, integrity_errors, kernel_reports, hangs;
	uint64_t oom_kills, forks;
	uint64_t ops_by_kind[OP_KIND_COUNT];
	char errors[600];		/* "migrate-to-dev ENOENT 12, ..." */
	struct sample_stats rate;	/* ops/s over one-second windows */
	int have_rate;
	int abandon;			/* a thread is stuck: exit without cleaning up */
	char in_flight[600];		/* what each thread was inside when the kernel complained */
	char report_kind[24];		/* the first kernel report's kind */
	char report_function[128];	/* its first dmirror_* function, else its RIP's */
	char report_file[PATH_MAX + 64];	/* and where its text was saved */
	char repro_dir[PATH_MAX + 80];	/* the reproducer written, if any */
	/*
	 * The first integrity error (region page, offset, words, thread,
	 * operation) and the first hang (thread, operation, time), one line
	 * each, for KTAP's "# reason:" lines; empty when there was none.
	 */
	char integrity[400];
	char hang[400];
};

int stress_run_scenario(const struct stress_config *cfg, struct stress_env *env,
			struct stress_result *res);
const char *stress_status_name(enum stress_status s);

#endif
