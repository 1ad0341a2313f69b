/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each metric means: its unit and which way is better. Every sample
 * record carries "values": {"<metric>": number, ...}; readers look the
 * metric up here to know how to compare and plot it.
 */
#ifndef HMMBENCH_METRICS_H
#define HMMBENCH_METRICS_H

enum metric_better { BETTER_HIGHER, BETTER_LOWER };

struct metric_info {
	const char *name;
	const char *unit;
	enum metric_better better;
	const char *describe;
};

/* NULL for a metric this hmmbench does not know. */
const struct metric_info *metric_find(const char *name);
const struct metric_info *metric_table(void);	/* ends with name == NULL */

#endif
