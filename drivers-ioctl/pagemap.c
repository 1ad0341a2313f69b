// SPDX-License-Identifier: GPL-2.0
/*
 * Residency from /proc/self/pagemap, for backends whose driver does not
 * report what it migrated. See pagemap.h for the encoding.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "errname.h"
#include "pagemap.h"
#include "pagestate.h"

/* include/linux/swap.h of linux-source-6.12 (6.12.117): SWP_DEVICE_NUM 4. */
const struct pagemap_layout pagemap_layout_6_12 = {
	.kernels = "6.12",
	.device_write = 27, .device_read = 28,
	.exclusive_first = 29, .exclusive_last = 30,
	.migration_first = 24, .migration_last = 26,
	.marker = 31,
};

/* include/linux/swap.h of linux-source-7.2 (7.2.13): SWP_DEVICE_NUM 3. */
const struct pagemap_layout pagemap_layout_7_2 = {
	.kernels = "7.2 and later",
	.device_write = 28, .device_read = 29,
	.exclusive_first = 30, .exclusive_last = 30,
	.migration_first = 25, .migration_last = 27,
	.marker = 31,
};

/*
 * Only the kernels whose swap.h was read: the number of device types
 * changed between 6.12 and 7.2, and guessing would mislabel pages.
 */
const struct pagemap_layout *pagemap_layout_for(const char *release)
{
	unsigned int major, minor;

	if (sscanf(release, "%u.%u", &major, &minor) != 2)
		return NULL;
	if (major == 6 && minor == 12)
		return &pagemap_layout_6_12;
	if (major > 7 || (major == 7 && minor >= 2))
		return &pagemap_layout_7_2;
	return NULL;
}

static int in_range(unsigned int t, unsigned int first, unsigned int last)
{
	return t >= first && t <= last;
}

enum pagemap_kind pagemap_kind(uint64_t pme, const struct pagemap_layout *l)
{
	unsigned int type = pme & PM_SWAP_TYPE_MASK;

	if (pme & PM_PRESENT)
		return PAGEMAP_PRESENT;
	if (!(pme & PM_SWAP) || (pme & PM_GUARD_REGION))
		return PAGEMAP_NONE;
	/* Type 0 offset 0 is a swap header, never a page: the bits were zeroed. */
	if (!(pme & PM_PFRAME_MASK) || !l)
		return PAGEMAP_HIDDEN;
	if (type == l->device_write || type == l->device_read)
		return PAGEMAP_DEVICE_PRIVATE;
	if (in_range(type, l->exclusive_first, l->exclusive_last))
		return PAGEMAP_DEVICE_EXCLUSIVE;
	if (in_range(type, l->migration_first, l->migration_last))
		return PAGEMAP_MIGRATING;
	if (type == l->marker)
		return PAGEMAP_NONE;
	return PAGEMAP_SWAPPED;
}

uint8_t pagemap_state(uint64_t pme, uint64_t categories,
		      const struct pagemap_layout *l)
{
	uint8_t pmd = categories & HMMB_PAGE_IS_HUGE ? HMM_PAGE_PMD : 0;

	switch (pagemap_kind(pme, l)) {
	case PAGEMAP_NONE:
	case PAGEMAP_SWAPPED:	/* not populated, as SNAPSHOT sees it */
		return HMM_PAGE_NONE;
	case PAGEMAP_PRESENT:
	case PAGEMAP_DEVICE_EXCLUSIVE:	/* the data is in system memory */
		if (categories & HMMB_PAGE_IS_PFNZERO)
			return HMM_PAGE_ZERO | HMM_PAGE_READ | pmd;
		return HMM_PAGE_READ | pmd;
	case PAGEMAP_DEVICE_PRIVATE:
		return HMM_PAGE_DEV_PRIVATE_LOCAL | pmd |
		       ((pme & PM_SWAP_TYPE_MASK) == l->device_write ?
			HMM_PAGE_WRITE : HMM_PAGE_READ);
	case PAGEMAP_MIGRATING:
	case PAGEMAP_HIDDEN:
	default:
		return HMM_PAGE_ERROR;
	}
}

const char *pagemap_kind_name(enum pagemap_kind kind)
{
	static const char *const names[] = {
		[PAGEMAP_NONE] = "none", [PAGEMAP_PRESENT] = "present",
		[PAGEMAP_DEVICE_PRIVATE] = "device-private",
		[PAGEMAP_DEVICE_EXCLUSIVE] = "device-exclusive",
		[PAGEMAP_MIGRATING] = "migrating", [PAGEMAP_SWAPPED] = "swapped",
		[PAGEMAP_HIDDEN] = "hidden",
	};

	return kind <= PAGEMAP_HIDDEN ? names[kind] : "?";
}

enum { CLASS_ERROR, CLASS_NONE, CLASS_SYSTEM, CLASS_ZERO, CLASS_DEV_PRIVATE,
       CLASS_DEV_COHERENT };

static int location_class(uint8_t s, int scan)
{
	uint8_t loc = s & HMM_PAGE_LOCATION_MASK;

	if (s == HMM_PAGE_ERROR)
		return CLASS_ERROR;
	if (s == HMM_PAGE_NONE)
		return CLASS_NONE;
	if (loc == HMM_PAGE_DEV_PRIVATE_LOCAL || loc == HMM_PAGE_DEV_PRIVATE_REMOTE)
		return CLASS_DEV_PRIVATE;
	if (loc == HMM_PAGE_DEV_COHERENT_LOCAL || loc == HMM_PAGE_DEV_COHERENT_REMOTE)
		return CLASS_DEV_COHERENT;
	/* Without PAGEMAP_SCAN the zero page is just a present page. */
	if (loc == HMM_PAGE_ZERO && scan)
		return CLASS_ZERO;
	return CLASS_SYSTEM;
}

int pagemap_agrees(uint8_t pm, uint8_t snap, int scan)
{
	int class = location_class(pm, scan);

	if (class == CLASS_ERROR || class != location_class(snap, scan))
		return 0;
	if (class == CLASS_DEV_PRIVATE &&
	    (pm & HMM_PAGE_WRITE) != (snap & HMM_PAGE_WRITE))
		return 0;
	if (scan && (pm & HMM_PAGE_PMD) != (snap & HMM_PAGE_PMD))
		return 0;
	return 1;
}

static int read_entries(int fd, const void *addr, size_t npages, uint64_t *pme)
{
	size_t want = npages * sizeof(*pme), got = 0;
	off_t off = (uintptr_t)addr / PAGE_SZ * sizeof(*pme);

	while (got < want) {
		ssize_t n = pread(fd, (char *)pme + got, want - got, off + got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		got += n;
	}
	return 0;
}

/* HUGE and PFNZERO per page; 1 if PAGEMAP_SCAN answered, 0 if it does not exist. */
static int scan_categories(int fd, const void *addr, size_t npages, uint64_t *cat)
{
	struct hmmb_page_region vec[64];
	uint64_t start = (uintptr_t)addr, end = start + npages * PAGE_SZ;
	const uint64_t want = HMMB_PAGE_IS_HUGE | HMMB_PAGE_IS_PFNZERO;

	memset(cat, 0, npages * sizeof(*cat));
	while (start < end) {
		struct hmmb_pm_scan_arg arg = {
			.size = sizeof(arg), .start = start, .end = end,
			.vec = (uintptr_t)vec, .vec_len = 64,
			.category_anyof_mask = want, .return_mask = want,
		};
		int n = ioctl(fd, HMMB_PAGEMAP_SCAN, &arg);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == ENOTTY || errno == EINVAL ? 0 : -errno;
		for (int i = 0; i < n; i++)
			for (uint64_t a = vec[i].start; a < vec[i].end; a += PAGE_SZ)
				cat[(a - (uintptr_t)addr) / PAGE_SZ] = vec[i].categories;
		if (arg.walk_end <= start)
			return -EIO;
		start = arg.walk_end;
	}
	return 1;
}

int pagemap_read(const void *addr, size_t npages, uint64_t *pme, uint64_t *cat)
{
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = read_entries(fd, addr, npages, pme);
	if (!ret)
		ret = scan_categories(fd, addr, npages, cat);
	close(fd);
	return ret;
}

static void count_kind(struct pagemap_counts *c, enum pagemap_kind kind)
{
	switch (kind) {
	case PAGEMAP_NONE: c->none++; break;
	case PAGEMAP_PRESENT: c->present++; break;
	case PAGEMAP_DEVICE_PRIVATE: c->device_private++; break;
	case PAGEMAP_HIDDEN: c->hidden++; break;
	default: c->other++; break;
	}
}

static int explain_undecodable(const struct pagemap_counts *c, const char *release,
			       const struct pagemap_layout *l, char *why, size_t len)
{
	if (!c->hidden)
		return 0;
	if (!l) {
		snprintf(why, len, "%zu pages are swap-type entries, and which swap types mean device-private on Linux %s is not known to hmmbench (known: 6.12, 7.2 and later; see include/linux/swap.h)",
			 c->hidden, release);
		return -EOPNOTSUPP;
	}
	snprintf(why, len, "/proc/self/pagemap hides swap types without CAP_SYS_ADMIN, so %zu device-private or swapped-out pages cannot be told apart; run hmmbench as root",
		 c->hidden);
	return -EPERM;
}

int pagemap_residency(const void *addr, size_t npages, uint8_t *state,
		      struct pagemap_counts *counts, char *why, size_t len)
{
	uint64_t *pme = malloc(npages * sizeof(*pme));
	uint64_t *cat = malloc(npages * sizeof(*cat));
	const struct pagemap_layout *l;
	struct utsname u;
	int ret;

	memset(counts, 0, sizeof(*counts));
	counts->pages = npages;
	if (!pme || !cat) {
		ret = -ENOMEM;
		snprintf(why, len, "no memory for the pagemap of %zu pages", npages);
		goto out;
	}
	ret = pagemap_read(addr, npages, pme, cat);
	if (ret < 0) {
		snprintf(why, len, "reading /proc/self/pagemap failed: %s", errno_name(-ret));
		goto out;
	}
	counts->scan = ret;
	uname(&u);
	l = pagemap_layout_for(u.release);
	for (size_t i = 0; i < npages; i++) {
		state[i] = pagemap_state(pme[i], cat[i], l);
		count_kind(counts, pagemap_kind(pme[i], l));
	}
	ret = explain_undecodable(counts, u.release, l, why, len);
out:
	free(pme);
	free(cat);
	return ret;
}
