// SPDX-License-Identifier: GPL-2.0
/* Shared by the GPU backends: reasons, pagemap residency, the THP probe. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "errname.h"
#include "gpu.h"
#include "pagemap.h"
#include "pagestate.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23	/* include/uapi/asm-generic/mman-common.h, Linux 5.14 */
#endif

int gpu_fail(struct hmm_dev *dev, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dev->why, sizeof(dev->why), fmt, ap);
	va_end(ap);
	return err;
}

int gpu_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret < 0 && (errno == EINTR || errno == EAGAIN));
	return ret < 0 ? -errno : 0;
}

int gpu_snapshot(struct hmm_dev *dev, void *addr, size_t npages, uint8_t *state)
{
	struct pagemap_counts counts;

	dev->why[0] = '\0';
	return pagemap_residency(addr, npages, state, &counts, dev->why, sizeof(dev->why));
}

int gpu_fault_back(struct hmm_dev *dev, void *addr, size_t npages)
{
	dev->why[0] = '\0';
	if (!madvise(addr, npages * PAGE_SZ, MADV_POPULATE_WRITE))
		return 0;
	if (errno != EINVAL)
		return gpu_fail(dev, -errno, "MADV_POPULATE_WRITE could not fault the range back in");
	/* Before Linux 5.14: a CPU read of each page migrates it back. */
	for (size_t i = 0; i < npages; i++)
		(void)*(volatile char *)((char *)addr + i * PAGE_SZ);
	return 0;
}

void gpu_set_common_caps(struct hmm_dev *dev)
{
	hmm_dev_set_cap(dev, HMM_CAP_SNAPSHOT, 1, NULL);
	hmm_dev_set_cap(dev, HMM_CAP_DEV_RW, 0,
			"the driver has no ioctl that reads or writes device memory without migrating it back");
	hmm_dev_set_cap(dev, HMM_CAP_EXCLUSIVE, 0,
			"device-exclusive access is taken by GPU atomics, not by an ioctl");
	hmm_dev_set_cap(dev, HMM_CAP_RELEASE, 0,
			"no ioctl evicts the device; closing the file does");
	hmm_dev_set_cap(dev, HMM_CAP_FAIL_ALLOC, 0,
			"the driver has no allocation-failure injection (test_hmm's HMM_DMIRROR_FLAGS has no GPU equivalent)");
}

static int residency(struct hmm_dev *dev, void *buf, struct hmm_snapshot_summary *sum,
		     struct pagemap_counts *counts)
{
	static uint8_t state[PAGES_PER_PMD];
	int ret = pagemap_residency(buf, PAGES_PER_PMD, state, counts, dev->why,
				    sizeof(dev->why));

	if (!ret)
		hmm_snapshot_summarise(state, PAGES_PER_PMD, 0, sum);
	return ret;
}

static void judge_thp(struct hmm_dev *dev, const struct hmm_snapshot_summary *before,
		      const struct hmm_snapshot_summary *after, int scan)
{
	if (!scan)
		hmm_dev_set_cap(dev, HMM_CAP_THP_PMD, 0,
				"unknown: pagemap shows PMD entries only through PAGEMAP_SCAN (Linux 6.7)");
	else if (before->whole_pmds != 1)
		hmm_dev_set_cap(dev, HMM_CAP_THP_PMD, 0,
				"unknown: no THP formed for the probe buffer (check /sys/kernel/mm/transparent_hugepage/enabled)");
	else if (after->whole_pmds == 1 && after->device == PAGES_PER_PMD)
		hmm_dev_set_cap(dev, HMM_CAP_THP_PMD, 1, NULL);
	else
		hmm_dev_set_cap(dev, HMM_CAP_THP_PMD, 0,
				"a THP was split on migration: %zu of 512 pages on the device, %zu PMD-mapped (pagemap)",
				after->device, after->pmd_pages);
}

static void judge_migration(struct hmm_dev *dev, const struct hmm_snapshot_summary *after)
{
	if (after->device)
		hmm_dev_set_cap(dev, HMM_CAP_MIGRATE_TO_DEV, 1, NULL);
	else
		hmm_dev_set_cap(dev, HMM_CAP_MIGRATE_TO_DEV, 0,
				"the driver accepted the migration, but pagemap shows 0 of 512 pages device-private (%zu left in system memory)",
				after->system);
}

static void unknown_after(struct hmm_dev *dev, const char *what)
{
	char why[HMM_WHY_MAX];

	snprintf(why, sizeof(why), "%s", dev->why);
	hmm_dev_set_cap(dev, HMM_CAP_MIGRATE_TO_DEV, 0, "%s: %.120s", what, why);
	hmm_dev_set_cap(dev, HMM_CAP_THP_PMD, 0, "unknown: %s", what);
}

int gpu_probe_round_trip(struct hmm_dev *dev)
{
	struct hmm_snapshot_summary before, after;
	struct pagemap_counts counts;
	struct hmm_xfer xfer;
	void *buf = hmm_map_one_pmd();
	int ret;

	hmm_dev_set_cap(dev, HMM_CAP_DEV_COHERENT, 0,
			"GPU pages land as device-private swap entries (pagemap)");
	if (!buf) {
		unknown_after(dev, "could not map a 2 MiB probe buffer");
		return 0;
	}
	if (residency(dev, buf, &before, &counts)) {
		unknown_after(dev, "pagemap cannot be read");
		goto out;
	}
	ret = dev->ops->migrate_to_dev(dev, buf, PAGES_PER_PMD, NULL, &xfer);
	if (ret) {
		unknown_after(dev, "the probe migration failed");
		goto out;
	}
	if (residency(dev, buf, &after, &counts))
		unknown_after(dev, "residency after migration unknown");
	else {
		judge_migration(dev, &after);
		judge_thp(dev, &before, &after, counts.scan);
	}
	dev->ops->migrate_to_sys(dev, buf, PAGES_PER_PMD, &xfer);
out:
	dev->why[0] = '\0';
	munmap(buf, PMD_SZ);
	return 0;
}

int gpu_copy_bus_none(struct hmm_dev *dev, enum hmm_copy_dir dir, size_t bytes,
		      unsigned int reps, uint64_t *ns)
{
	(void)dir; (void)bytes; (void)reps; (void)ns;
	return gpu_fail(dev, -EOPNOTSUPP,
			"pinned copies need %s's command submission, which hmmbench does not drive (nvidia-uvm measures them through CUDA)",
			dev->ops->name);
}

const char *gpu_explain(enum hmm_op op, int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
		return "permission denied: see the README's \"GPU backends\" section for device permissions";
	case ENODEV:
		return "this node is not a device of this backend";
	case ENOSYS:
	case EOPNOTSUPP:
		return "the kernel or the device lacks this feature";
	case EINVAL:
		if (op == HMM_OP_OPEN)
			return "the driver refused the setup ioctl";
		return "the driver rejected the range (not page-aligned, not an anonymous mapping of ours, or outside the mirrored range)";
	case ENOMEM:
	case ENOSPC:
		return "device memory could not be allocated";
	case EBUSY:
		return "the range is busy (pinned, locked or racing another migration); retry";
	default:
		return NULL;
	}
}
