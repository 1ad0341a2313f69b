/* SPDX-License-Identifier: GPL-2.0 */
/* The one clock every sample, deadline and progress line is timed with. */
#ifndef HMMBENCH_CLOCK_H
#define HMMBENCH_CLOCK_H

#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC in nanoseconds. */
static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

#endif
