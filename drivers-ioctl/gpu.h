/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the GPU backends (nouveau, amdkfd, xe) share: reasons that say more
 * than an errno, residency measured from pagemap instead of trusted from
 * the driver, and a probe that migrates one THP and looks where it went.
 */
#ifndef HMMBENCH_GPU_H
#define HMMBENCH_GPU_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"

/* Sets dev->why from @fmt and returns @err (a negative errno). */
int gpu_fail(struct hmm_dev *dev, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ioctl() retried on EINTR/EAGAIN: 0 or -errno. */
int gpu_ioctl(int fd, unsigned long request, void *arg);

/* The snapshot op of every GPU backend: pagemap residency, HMM_PAGE_* states. */
int gpu_snapshot(struct hmm_dev *dev, void *addr, size_t npages, uint8_t *state);

/*
 * Brings @npages pages at @addr back to system memory the way a CPU does:
 * MADV_POPULATE_WRITE faults every page in writable (Linux 5.14), and
 * where that is missing, one read per page.
 */
int gpu_fault_back(struct hmm_dev *dev, void *addr, size_t npages);

/*
 * Migrates one PMD-sized, THP-backed buffer to the device and back through
 * @dev's ops, and sets MIGRATE_TO_DEV, THP_PMD and DEV_COHERENT from what
 * pagemap shows: how many pages moved and how many were left behind.
 */
int gpu_probe_round_trip(struct hmm_dev *dev);

/* The common capability bits and reasons of a GPU backend. */
void gpu_set_common_caps(struct hmm_dev *dev);

/* The copy_bus op of a GPU backend that cannot copy by itself: -EOPNOTSUPP, why. */
int gpu_copy_bus_none(struct hmm_dev *dev, enum hmm_copy_dir dir, size_t bytes,
		      unsigned int reps, uint64_t *ns);

/* Meaning of an errno from a GPU backend's operation, or NULL. */
const char *gpu_explain(enum hmm_op op, int err);

#endif
