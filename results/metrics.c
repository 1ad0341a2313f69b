// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "metrics.h"

static const struct metric_info metrics[] = {
	{ "throughput", "MB/s", BETTER_HIGHER, METRIC_THROUGHPUT,
	  "buffer bytes over the time of the migration call, 10^6 B/s" },
	{ "copy_fraction", "ratio", BETTER_HIGHER, METRIC_THROUGHPUT,
	  "migration throughput over this machine's best memcpy bandwidth" },
	{ "split_rate", "ratio", BETTER_LOWER, METRIC_RATIO,
	  "PMDs split over PMDs attempted in one migration" },
	{ "time", "ms", BETTER_LOWER, METRIC_TIME, "time of one migration call" },
	{ "fault_latency", "ns", BETTER_LOWER, METRIC_TIME,
	  "time of one CPU access that faulted a page back from the device" },
	{ "fault_throughput", "pages/s", BETTER_HIGHER, METRIC_THROUGHPUT,
	  "pages faulted back per second until the whole range was back" },
	{ "ops_per_s", "ops/s", BETTER_HIGHER, METRIC_THROUGHPUT, "stress operations per second" },
	{ NULL, NULL, 0, 0, NULL },
};

const struct metric_info *metric_table(void)
{
	return metrics;
}

const struct metric_info *metric_find(const char *name)
{
	for (const struct metric_info *m = metrics; m->name; m++)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

const char *metric_kind_name(enum metric_kind kind)
{
	static const char *const names[] = { "time", "throughput", "count", "ratio" };

	return names[kind];
}
