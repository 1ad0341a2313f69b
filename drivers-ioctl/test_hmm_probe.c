// SPDX-License-Identifier: GPL-2.0
/*
 * Capability probing for test_hmm: ask the device, never the version
 * string. One THP-sized round trip tells whether the device is private or
 * coherent and whether a THP moves as one PMD; a FLAGS call on a second fd
 * tells whether failure injection exists.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend.h"
#include "errname.h"
#include "pagestate.h"

static void probe_fail_alloc(struct hmm_dev *dev)
{
	struct hmm_dev other = { .ops = dev->ops, .fd = -1 };
	int ret;

	/* A separate fd: FAIL_ALLOC is per-fd and one-shot; closing drops it. */
	ret = dev->ops->open(&other, dev->path);
	if (!ret)
		ret = dev->ops->inject_fail_alloc(&other);
	dev->ops->close(&other);
	if (!ret)
		hmm_dev_set_cap(dev, HMM_CAP_FAIL_ALLOC, 1, NULL);
	else if (ret == -EINVAL || ret == -ENOTTY)
		hmm_dev_set_cap(dev, HMM_CAP_FAIL_ALLOC, 0,
				"HMM_DMIRROR_FLAGS answered %s: test_hmm before Linux 6.19 has no FAIL_ALLOC injection",
				errno_name(-ret));
	else
		hmm_dev_set_cap(dev, HMM_CAP_FAIL_ALLOC, 0,
				"HMM_DMIRROR_FLAGS failed: %s", errno_name(-ret));
}

static void note_thp_unknown(struct hmm_dev *dev, const char *why)
{
	hmm_dev_set_cap(dev, HMM_CAP_THP_PMD, 0, "unknown: %s", why);
	hmm_dev_set_cap(dev, HMM_CAP_DEV_COHERENT, 0, "unknown: %s", why);
}

/* Migrates one THP to the device and back, reading SNAPSHOT on the way. */
static int probe_thp_round_trip(struct hmm_dev *dev)
{
	static uint8_t state[PAGES_PER_PMD];
	struct hmm_snapshot_summary before, after;
	struct hmm_xfer xfer;
	void *buf, *bounce;
	int ret;

	buf = hmm_map_one_pmd();
	bounce = malloc(PMD_SZ);
	if (!buf || !bounce) {
		note_thp_unknown(dev, "could not allocate a 2 MiB probe buffer");
		ret = 0;
		goto out;
	}
	ret = dev->ops->snapshot(dev, buf, PAGES_PER_PMD, state);
	if (ret)
		goto out;
	hmm_snapshot_summarise(state, PAGES_PER_PMD, 0, &before);
	ret = dev->ops->migrate_to_dev(dev, buf, PAGES_PER_PMD, bounce, &xfer);
	if (ret) {
		note_thp_unknown(dev, "the probe migration failed");
		goto out;
	}
	ret = dev->ops->snapshot(dev, buf, PAGES_PER_PMD, state);
	if (ret)
		goto out;
	hmm_snapshot_summarise(state, PAGES_PER_PMD, 0, &after);
	dev->ops->migrate_to_sys(dev, buf, PAGES_PER_PMD, &xfer);

	if ((state[0] & HMM_PAGE_LOCATION_MASK) >= HMM_PAGE_DEV_COHERENT_LOCAL)
		hmm_dev_set_cap(dev, HMM_CAP_DEV_COHERENT, 1, NULL);
	else
		hmm_dev_set_cap(dev, HMM_CAP_DEV_COHERENT, 0,
				"pages land as device-private (SNAPSHOT 0x%02x)", state[0]);

	if (before.whole_pmds != 1)
		hmm_dev_set_cap(dev, HMM_CAP_THP_PMD, 0,
				"unknown: no THP formed for the probe buffer (check /sys/kernel/mm/transparent_hugepage/enabled)");
	else if (after.whole_pmds == 1 && after.device == PAGES_PER_PMD)
		hmm_dev_set_cap(dev, HMM_CAP_THP_PMD, 1, NULL);
	else
		hmm_dev_set_cap(dev, HMM_CAP_THP_PMD, 0,
				"a THP was split on migration: %zu of 512 pages on the device, %zu PMD-mapped (SNAPSHOT 0x%02x)",
				after.device, after.pmd_pages, state[0]);
out:
	if (buf)
		munmap(buf, PMD_SZ);
	free(bounce);
	return ret;
}

int test_hmm_probe_caps(struct hmm_dev *dev)
{
	uint8_t one;
	void *page;
	int ret;

	/* SNAPSHOT of one page proves the ioctl numbers are the 6.0+ ones. */
	page = mmap(NULL, PAGE_SZ, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return -errno;
	ret = dev->ops->snapshot(dev, page, 1, &one);
	munmap(page, PAGE_SZ);
	if (ret)
		return ret;

	/* Every test_hmm since 6.0 has these ioctls, with the same numbers. */
	dev->caps |= HMM_CAP_MIGRATE_TO_DEV | HMM_CAP_MIGRATE_TO_SYS |
		     HMM_CAP_SNAPSHOT | HMM_CAP_DEV_RW | HMM_CAP_EXCLUSIVE |
		     HMM_CAP_RELEASE;
	probe_fail_alloc(dev);
	return probe_thp_round_trip(dev);
}
