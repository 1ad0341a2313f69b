/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each metric means: its unit and which way is better. Every sample
 * record carries "values": {"<metric>": number, ...}; readers look the
 * metric up here to know how to compare and plot it. The producers declare
 * them: each benchmark in its bench_ops (bench/bench_ops.h), the stress
 * runner in stress/; they register their tables when hmmbench starts.
 */
#ifndef HMMBENCH_METRICS_H
#define HMMBENCH_METRICS_H

#include <stddef.h>

enum metric_better { BETTER_HIGHER, BETTER_LOWER };

/*
 * What kind of quantity a metric is, which decides how a comparison may
 * judge it: times and throughputs vary from boot to boot, so only runs
 * (boots) replicate them; counts and ratios of counts (PMDs split over
 * PMDs attempted) are nearly noise-free and can be judged exactly.
 */
enum metric_kind { METRIC_TIME, METRIC_THROUGHPUT, METRIC_COUNT, METRIC_RATIO };

struct metric_info {
	const char *name;
	const char *unit;
	enum metric_better better;
	enum metric_kind kind;
	const char *describe;
};

/*
 * Registers a table ending with name == NULL (NULL: nothing). A name
 * registered twice keeps its first meaning; tests check that producers
 * sharing a name agree on it.
 */
void metric_register(const struct metric_info *table);
#define METRICS_REGISTER(table) \
	static void __attribute__((constructor)) register_metrics_##table(void) \
	{ metric_register(table); }
/* NULL for a metric this hmmbench does not know. */
const struct metric_info *metric_find(const char *name);
/* The @i-th registered metric, in registration order; NULL past the last. */
const struct metric_info *metric_at(size_t i);
/* "time", "throughput", "count", "ratio". */
const char *metric_kind_name(enum metric_kind kind);

#endif
