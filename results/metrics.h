/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each metric means: its unit and which way is better. Every sample
 * record carries "values": {"<metric>": number, ...}; readers look the
 * metric up here to know how to compare and plot it.
 */
#ifndef HMMBENCH_METRICS_H
#define HMMBENCH_METRICS_H

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

/* NULL for a metric this hmmbench does not know. */
const struct metric_info *metric_find(const char *name);
const struct metric_info *metric_table(void);	/* ends with name == NULL */
/* "time", "throughput", "count", "ratio". */
const char *metric_kind_name(enum metric_kind kind);

#endif
