/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pressure scenario's surroundings: a cgroup v2 memory cgroup the
 * workers run in, physical memory fragmented by holding every other 4 KiB
 * page of a large allocation, and hugetlbfs pages taken through
 * libhugetlbfs. Everything set up here is undone by pressure_release().
 */
#ifndef HMMBENCH_STRESS_PRESSURE_H
#define HMMBENCH_STRESS_PRESSURE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sysknob.h"

struct stress_pressure {
	char cgroup[256];
	int made_cgroup;
	uint8_t *frag;
	size_t frag_len;
	void *huge;
	size_t huge_len;
	int huge_from_lib;
	/* nr_hugepages, restored also if hmmbench dies (bench/sysknob.h). */
	struct sysknob_set knobs;
	int limits_noted;
	char notes[768];
};

/*
 * Makes the cgroup and the fragmentation and takes the huge pages. 0; or
 * 1 with @skip saying why the scenario cannot run here (no cgroup v2, no
 * memory controller, no permission).
 */
int pressure_prepare(struct stress_pressure *p, char *skip, size_t len);
/* In the (single-threaded) child: moves the calling process into the cgroup. */
int pressure_join(const struct stress_pressure *p);
/*
 * Once the child's region is set up: memory.high a sixteenth of the
 * region above what it holds now, so growing reclaims and throttles (a
 * THP fault, a page faulted back), and memory.max an eighth above, so
 * growing further fails its charge or is an OOM kill, which restarts the
 * workers. Measured in 60 s on 7.2 (default flavour, 4 threads): high
 * below what it holds throttled every charge (73 operations, munmap 24 s
 * on average, 6 OOM kills); max a quarter above left the workers
 * throttled between high and max (69 operations); this: 519 operations
 * and 49 OOM kills, each an exit with pages on the device. Notes what it
 * set.
 */
int pressure_limit(struct stress_pressure *p, size_t region_bytes);
/* Lifts both limits again. */
void pressure_unlimit(struct stress_pressure *p);
/* memory.events oom_kill of the cgroup. */
uint64_t pressure_oom_kills(const struct stress_pressure *p);
void pressure_release(struct stress_pressure *p);

#endif
