/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Benchmarks not yet behind their own bench_ops file: their key tables
 * and cases are declared here, and cli/runner_cases.c still runs their
 * cases. Each moves into its own file; then this goes.
 */
#ifndef HMMBENCH_LEGACY_H
#define HMMBENCH_LEGACY_H

#include "bench_ops.h"

struct fault_opts {
	struct uint_list threads;
	unsigned int access, pattern, sharing;	/* enum fault_access, ... */
	unsigned int stride;
};

#endif
