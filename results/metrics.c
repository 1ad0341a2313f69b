// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "metrics.h"

#define METRICS_MAX 64

static const struct metric_info *known[METRICS_MAX];
static size_t nknown;

void metric_register(const struct metric_info *table)
{
	for (const struct metric_info *m = table; m && m->name; m++)
		if (!metric_find(m->name) && nknown < METRICS_MAX)
			known[nknown++] = m;
}

const struct metric_info *metric_find(const char *name)
{
	for (size_t i = 0; i < nknown; i++)
		if (!strcmp(known[i]->name, name))
			return known[i];
	return NULL;
}

const struct metric_info *metric_at(size_t i)
{
	return i < nknown ? known[i] : NULL;
}

const char *metric_kind_name(enum metric_kind kind)
{
	static const char *const names[] = { "time", "throughput", "count", "ratio" };

	return names[kind];
}
