/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-page state as every backend's snapshot reports it. The values are
 * test_hmm's HMM_DMIRROR_PROT_* (lib/test_hmm_uapi.h), the kernel's own
 * vocabulary for this; other backends translate into them.
 */
#ifndef HMMBENCH_PAGESTATE_H
#define HMMBENCH_PAGESTATE_H

#include <stddef.h>
#include <stdint.h>

#include "buffer.h"	/* PAGE_SZ, PMD_SZ, PAGES_PER_PMD */

enum hmm_page_state {
	HMM_PAGE_ERROR			= 0xff,
	HMM_PAGE_NONE			= 0x00,
	HMM_PAGE_READ			= 0x01,
	HMM_PAGE_WRITE			= 0x02,
	HMM_PAGE_PMD			= 0x04,
	HMM_PAGE_PUD			= 0x08,
	HMM_PAGE_ZERO			= 0x10,
	HMM_PAGE_DEV_PRIVATE_LOCAL	= 0x20,
	HMM_PAGE_DEV_PRIVATE_REMOTE	= 0x30,
	HMM_PAGE_DEV_COHERENT_LOCAL	= 0x40,
	HMM_PAGE_DEV_COHERENT_REMOTE	= 0x50,
};
#define HMM_PAGE_LOCATION_MASK 0xf0
#define HMM_PAGE_PROT_MASK 0x0f

/* Counts of a snapshot, the evidence a benchmark records per sample. */
struct hmm_snapshot_summary {
	size_t pages;
	size_t system;		/* mapped in system memory (incl. zero page) */
	size_t device;		/* device-private or coherent, local or remote */
	size_t unmapped;	/* PROT_NONE: not populated */
	size_t error;
	size_t pmd_pages;	/* pages mapped by a PMD entry */
	size_t whole_pmds;	/* aligned 512-page runs that are all PMD */
};

int hmm_page_on_device(uint8_t state);
/*
 * @first_index is the page index of state[0] within its PMD-aligned
 * region, so whole PMDs are counted only over aligned runs.
 */
void hmm_snapshot_summarise(const uint8_t *state, size_t npages,
			    size_t first_index,
			    struct hmm_snapshot_summary *sum);
/* "dev-private-local|write|pmd" for 0x26; @buf of 64 bytes is enough. */
const char *hmm_page_state_str(uint8_t state, char *buf, size_t len);

#endif
