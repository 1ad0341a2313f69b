// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "pagestate.h"

int hmm_page_on_device(uint8_t state)
{
	uint8_t loc = state & HMM_PAGE_LOCATION_MASK;

	if (state == HMM_PAGE_ERROR)
		return 0;
	return loc >= HMM_PAGE_DEV_PRIVATE_LOCAL;
}

void hmm_snapshot_summarise(const uint8_t *state, size_t npages,
			    size_t first_index,
			    struct hmm_snapshot_summary *sum)
{
	size_t run = 0;

	memset(sum, 0, sizeof(*sum));
	sum->pages = npages;
	for (size_t i = 0; i < npages; i++) {
		uint8_t s = state[i];
		int aligned_start = (first_index + i) % PAGES_PER_PMD == 0;

		if (s == HMM_PAGE_ERROR)
			sum->error++;
		else if (hmm_page_on_device(s))
			sum->device++;
		else if (s == HMM_PAGE_NONE)
			sum->unmapped++;
		else
			sum->system++;

		if (s != HMM_PAGE_ERROR && (s & HMM_PAGE_PMD)) {
			sum->pmd_pages++;
			run = aligned_start ? 1 : (run ? run + 1 : 0);
		} else {
			run = 0;
		}
		if (run == PAGES_PER_PMD) {
			sum->whole_pmds++;
			run = 0;
		}
	}
}

static const char *location_name(uint8_t loc)
{
	switch (loc) {
	case HMM_PAGE_DEV_PRIVATE_LOCAL: return "dev-private-local";
	case HMM_PAGE_DEV_PRIVATE_REMOTE: return "dev-private-remote";
	case HMM_PAGE_DEV_COHERENT_LOCAL: return "dev-coherent-local";
	case HMM_PAGE_DEV_COHERENT_REMOTE: return "dev-coherent-remote";
	case HMM_PAGE_ZERO: return "zero";
	case 0: return "system";
	default: return "unknown";
	}
}

const char *hmm_page_state_str(uint8_t state, char *buf, size_t len)
{
	if (state == HMM_PAGE_ERROR) {
		snprintf(buf, len, "error");
		return buf;
	}
	if (state == HMM_PAGE_NONE) {
		snprintf(buf, len, "none");
		return buf;
	}
	snprintf(buf, len, "%s%s%s%s%s", location_name(state & HMM_PAGE_LOCATION_MASK),
		 state & HMM_PAGE_READ ? "|read" : "",
		 state & HMM_PAGE_WRITE ? "|write" : "",
		 state & HMM_PAGE_PMD ? "|pmd" : "",
		 state & HMM_PAGE_PUD ? "|pud" : "");
	return buf;
}
