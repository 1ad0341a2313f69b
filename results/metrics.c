// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "metrics.h"

static const struct metric_info metrics[] = {
	{ "throughput", "MB/s", BETTER_HIGHER,
	  "buffer bytes over the time of the migration call, 10^6 B/s" },
	{ "copy_fraction", "ratio", BETTER_HIGHER,
	  "migration throughput over this machine's best memcpy bandwidth" },
	{ "split_rate", "ratio", BETTER_LOWER,
	  "PMDs split over PMDs attempted in one migration" },
	{ "time", "ms", BETTER_LOWER, "time of one migration call" },
	{ "fault_latency", "ns", BETTER_LOWER,
	  "time of one CPU access that faulted a page back from the device" },
	{ "fault_throughput", "pages/s", BETTER_HIGHER,
	  "pages faulted back per second until the whole range was back" },
	{ "ops_per_s", "ops/s", BETTER_HIGHER, "stress operations per second" },
	{ NULL, NULL, 0, NULL },
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
