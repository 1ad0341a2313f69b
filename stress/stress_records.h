/* SPDX-License-Identifier: GPL-2.0 */
/* The records a stress scenario writes (see cli/stress.c for the layout). */
#ifndef HMMBENCH_STRESS_RECORDS_H
#define HMMBENCH_STRESS_RECORDS_H

#include <sys/types.h>

#include "stress_runner.h"
#include "watchdog.h"

/* Operations per second in one-second windows, total and by kind. */
struct stress_windows {
	double *rate, *kind_rate[OP_KIND_COUNT];
	size_t n, cap;
	uint64_t last_ops[OP_KIND_COUNT], last_ns;
};

/* Sums every thread's counters. */
void stress_totals(struct stress_shared *sh, uint64_t ops[OP_KIND_COUNT],
		   uint64_t *pages_verified);
/* Writes a sample record for the window ending at @now_ns. */
void report_window(struct stress_env *env, const struct stress_config *cfg,
		   struct stress_windows *win, uint64_t now_ns);
void stress_windows_free(struct stress_windows *win);
/* Summary records of ops/s, total and by kind; fills res->rate. */
void report_summaries(struct stress_env *env, const struct stress_config *cfg,
		      struct stress_windows *win, struct stress_result *res);
/* "thread 0: dev-read pages 512+16 for 12 ms; ..." from the watchdog slots. */
void stress_in_flight(struct stress_shared *sh, char *buf, size_t len);
/* Saves kernel reports [env->kmsg_seen, now) to files and records. */
void report_kernel(struct stress_env *env, const struct stress_config *cfg,
		   struct stress_result *res);
/* The worker's first failure, if any. */
void report_failure(struct stress_env *env, const struct stress_config *cfg,
		    struct stress_result *res);
void report_hang(struct stress_env *env, const struct stress_config *cfg,
		 struct stress_result *res, const struct wd_hang *hang, pid_t pid);
/* The scenario's own record: counts, errors by name, seed, first ops. */
void report_scenario(struct stress_env *env, const struct stress_config *cfg,
		     struct stress_result *res, const char *notes, json_t *counters_delta);
void report_skip(struct stress_env *env, const struct stress_config *cfg,
		 struct stress_result *res, const char *capability);

#endif
