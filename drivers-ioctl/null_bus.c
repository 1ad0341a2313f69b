// SPDX-License-Identifier: GPL-2.0
/*
 * The null device's bus (",bus" in its path), for tests only: it stands in
 * for a backend's copy_bus so that copyceil's bus case and the migrations'
 * bus_fraction can be tested without a GPU. Nothing it times is a bus.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "null_int.h"

/*
 * ",bus": @reps timed memcpy()s of @bytes between two heap buffers, the
 * data checked after the last. A stand-in for a backend's bus copy in
 * tests: the times are this CPU's memcpy, not a bus's.
 */
int null_copy_bus(struct hmm_dev *dev, enum hmm_copy_dir dir, size_t bytes,
		  unsigned int reps, uint64_t *ns)
{
	struct null_dev *nd = dev->priv;
	uint8_t *sys, *store, *src, *dst;
	int ret = 0;

	atomic_fetch_add(&nd->calls[HMM_OP_COPY_BUS], 1);
	if (!nd->bus) {
		snprintf(dev->why, sizeof(dev->why),
			 "the null device has no bus (',bus' in its path gives it a test-only one)");
		return -EOPNOTSUPP;
	}
	sys = malloc(bytes);
	store = malloc(bytes);
	if (!sys || !store) {
		ret = -ENOMEM;
		goto out;
	}
	src = dir == HMM_COPY_TO_DEV ? sys : store;
	dst = dir == HMM_COPY_TO_DEV ? store : sys;
	for (size_t i = 0; i < bytes; i++)
		src[i] = (uint8_t)(i * 131 + (i >> 12));
	memset(dst, 0, bytes);		/* faulted in before any copy is timed */
	for (unsigned int i = 0; i < reps; i++) {
		uint64_t t0 = now_ns();

		memcpy(dst, src, bytes);
		ns[i] = now_ns() - t0;
		if (!ns[i])
			ns[i] = 1;	/* a clock too coarse for the copy */
	}
	if (memcmp(dst, src, bytes)) {
		snprintf(dev->why, sizeof(dev->why), "the null bus copy came back different");
		ret = -EIO;
	}
out:
	free(sys);
	free(store);
	return ret;
}
