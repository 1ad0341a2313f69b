/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The job runner: expands each job into cases, runs each case's benchmark
 * (bench/bench_ops.h), which writes its records and prints its summary
 * rows (text table or KTAP).
 */
#ifndef HMMBENCH_RUNNER_H
#define HMMBENCH_RUNNER_H

#include <signal.h>

#include "backend.h"
#include "cli.h"
#include "job.h"
#include "record.h"

/*
 * Runs every case, also after one fails; returns 0, or the first failed
 * case's negative errno (-EIO: data mismatch).
 */
int run_jobs(struct hmm_dev *dev, struct rec_writer *w,
	     const struct job_list *jobs, const struct run_opts *o,
	     const volatile sig_atomic_t *stop);

#endif
