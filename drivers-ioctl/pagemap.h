/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Residency of a range of our own memory, read from /proc/self/pagemap:
 * the witness for drivers that do not say what they migrated (nouveau's
 * SVM_BIND result is always 0) and do not mirror test_hmm's SNAPSHOT.
 *
 * A page migrated to device-private memory is not present to the CPU: its
 * PTE (or PMD) holds a swap-type entry of type SWP_DEVICE_WRITE or
 * SWP_DEVICE_READ, and pagemap shows it with bit 62 (swapped) set, the
 * swap type in bits 0-4 and the offset (the device pfn) in bits 5-54
 * (fs/proc/task_mmu.c, pte_to_pagemap_entry and pagemap_pmd_range_thp).
 * The kernel zeroes bits 0-54 unless the reader has CAP_SYS_ADMIN, and
 * then a device-private page cannot be told from a page on swap.
 *
 * pagemap has no bit for "mapped by a PMD" or "the zero page"; the
 * PAGEMAP_SCAN ioctl (Linux 6.7) reports both (PAGE_IS_HUGE,
 * PAGE_IS_PFNZERO), so it is used where the kernel has it.
 */
#ifndef HMMBENCH_PAGEMAP_H
#define HMMBENCH_PAGEMAP_H

#include <linux/ioctl.h>
#include <stddef.h>
#include <stdint.h>

/* pagemap entry bits, Documentation/admin-guide/mm/pagemap.rst. */
#define PM_PRESENT		(1ULL << 63)
#define PM_SWAP			(1ULL << 62)
#define PM_FILE			(1ULL << 61)
#define PM_GUARD_REGION		(1ULL << 58)
#define PM_UFFD_WP		(1ULL << 57)
#define PM_MMAP_EXCLUSIVE	(1ULL << 56)
#define PM_SOFT_DIRTY		(1ULL << 55)
#define PM_PFRAME_MASK		((1ULL << 55) - 1)
#define PM_SWAP_TYPE_BITS	5	/* MAX_SWAPFILES_SHIFT */
#define PM_SWAP_TYPE_MASK	((1ULL << PM_SWAP_TYPE_BITS) - 1)

/*
 * Which swap types are device entries depends on the kernel: the kernel
 * takes them from the top of the 5-bit space (include/linux/swap.h): one
 * PTE-marker type, then the device types (CONFIG_DEVICE_PRIVATE), then
 * three migration types. 6.12 has four device types (WRITE, READ,
 * EXCLUSIVE_WRITE, EXCLUSIVE_READ), 7.2 three (WRITE, READ, EXCLUSIVE).
 * Older kernels had CONFIG_PTE_MARKER and SWP_SWAPIN_ERROR and differ
 * again. CONFIG_MEMORY_FAILURE only moves MAX_SWAPFILES, not these.
 */
struct pagemap_layout {
	const char *kernels;		/* the releases it was read from */
	unsigned int device_write, device_read;
	unsigned int exclusive_first, exclusive_last;
	unsigned int migration_first, migration_last;
	unsigned int marker;		/* PTE markers: uffd-wp, guard, poison */
};

extern const struct pagemap_layout pagemap_layout_6_12, pagemap_layout_7_2;

/* The layout for kernel @release (uname -r), or NULL if not known here. */
const struct pagemap_layout *pagemap_layout_for(const char *release);

/* PAGEMAP_SCAN, include/uapi/linux/fs.h of Linux 6.7 and later. */
struct hmmb_page_region {
	uint64_t start;
	uint64_t end;
	uint64_t categories;
};

struct hmmb_pm_scan_arg {
	uint64_t size;
	uint64_t flags;
	uint64_t start;
	uint64_t end;
	uint64_t walk_end;
	uint64_t vec;
	uint64_t vec_len;
	uint64_t max_pages;
	uint64_t category_inverted;
	uint64_t category_mask;
	uint64_t category_anyof_mask;
	uint64_t return_mask;
};

#define HMMB_PAGEMAP_SCAN	_IOWR('f', 16, struct hmmb_pm_scan_arg)
#define HMMB_PAGE_IS_PRESENT	(1 << 3)
#define HMMB_PAGE_IS_SWAPPED	(1 << 4)
#define HMMB_PAGE_IS_PFNZERO	(1 << 5)
#define HMMB_PAGE_IS_HUGE	(1 << 6)

/* What one pagemap entry says, before it becomes a HMM_PAGE_* state. */
enum pagemap_kind {
	PAGEMAP_NONE,		/* not populated */
	PAGEMAP_PRESENT,	/* in system memory */
	PAGEMAP_DEVICE_PRIVATE,	/* migrated to device-private memory */
	PAGEMAP_DEVICE_EXCLUSIVE, /* in system memory, held exclusively by a device */
	PAGEMAP_MIGRATING,	/* a migration entry: caught mid-migration */
	PAGEMAP_SWAPPED,	/* on a swap device, or hwpoisoned */
	PAGEMAP_HIDDEN,		/* a swap entry we may not read (no CAP_SYS_ADMIN)
				 * or cannot decode (unknown kernel layout) */
};

struct pagemap_counts {
	size_t pages;
	size_t present;
	size_t device_private;
	size_t none;		/* unpopulated, guard or marker entries */
	size_t other;		/* exclusive, migrating, swapped */
	size_t hidden;		/* swap entries without CAP_SYS_ADMIN */
	int scan;		/* PMD and zero-page bits came from PAGEMAP_SCAN */
};

/* Decoding, no system calls: what a 64-bit pagemap entry means. */
enum pagemap_kind pagemap_kind(uint64_t pme, const struct pagemap_layout *l);
/*
 * The HMM_PAGE_* state (pagestate.h) for @pme, given the PAGE_IS_*
 * categories PAGEMAP_SCAN reported for the page (0 when unknown).
 * System pages read as HMM_PAGE_READ: pagemap does not show whether a PTE
 * is writable. Device-private pages read as local: pagemap cannot tell
 * which device owns them.
 */
uint8_t pagemap_state(uint64_t pme, uint64_t categories,
		      const struct pagemap_layout *l);
const char *pagemap_kind_name(enum pagemap_kind kind);

/*
 * Whether the pagemap-derived state @pm agrees with test_hmm's SNAPSHOT
 * byte @snap for the same page, as far as pagemap can see: the same
 * location (unpopulated, system, zero page, device-private), the PMD bit
 * when PAGEMAP_SCAN was there to report it (@scan), and for device-private
 * pages the same write permission.
 */
int pagemap_agrees(uint8_t pm, uint8_t snap, int scan);

/*
 * Reads the entries of @npages pages from @addr into @pme (one each), and
 * the HUGE/PFNZERO categories into @cat when PAGEMAP_SCAN exists (zeroes
 * otherwise). Returns 1 if PAGEMAP_SCAN answered, 0 if not, or -errno.
 */
int pagemap_read(const void *addr, size_t npages, uint64_t *pme,
		 uint64_t *cat);
/*
 * HMM_PAGE_* states for @npages pages from @addr into @state, and counts.
 * Uses the layout of the running kernel. Returns 0, or -errno when
 * pagemap cannot be read or decoded here (@why says why, in one line).
 */
int pagemap_residency(const void *addr, size_t npages, uint8_t *state,
		      struct pagemap_counts *counts, char *why, size_t len);

#endif
