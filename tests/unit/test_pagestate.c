// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot arithmetic (drivers-ioctl/pagestate.h) on hand-built arrays.
 * State bytes are test_hmm's HMM_DMIRROR_PROT_* (lib/test_hmm_uapi.h):
 * location in the high nibble (0x10 zero page, 0x20/0x30 device-private
 * local/remote, 0x40/0x50 device-coherent local/remote), READ 0x01,
 * WRITE 0x02, PMD 0x04, PUD 0x08 in the low nibble; 0xff error, 0 none.
 * A PMD covers 2 MiB / 4 KiB = 512 pages.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "pagestate.h"

#define NPMD 512

static void check_sum(const struct hmm_snapshot_summary *s,
		      size_t pages, size_t system, size_t device, size_t unmapped,
		      size_t error, size_t pmd_pages, size_t whole_pmds)
{
	cr_assert(s->pages == pages, "pages should be %zu, got %zu", pages, s->pages);
	cr_assert(s->system == system, "system should be %zu, got %zu", system, s->system);
	cr_assert(s->device == device, "device should be %zu, got %zu", device, s->device);
	cr_assert(s->unmapped == unmapped, "unmapped should be %zu, got %zu",
		  unmapped, s->unmapped);
	cr_assert(s->error == error, "error should be %zu, got %zu", error, s->error);
	cr_assert(s->pmd_pages == pmd_pages, "pmd_pages should be %zu, got %zu",
		  pmd_pages, s->pmd_pages);
	cr_assert(s->whole_pmds == whole_pmds, "whole_pmds should be %zu, got %zu",
		  whole_pmds, s->whole_pmds);
}

Test(pagestate, pages_per_pmd_is_512)
{
	cr_assert(PAGES_PER_PMD == NPMD, "2 MiB / 4 KiB should be 512 pages, PAGES_PER_PMD is %lu",
		  (unsigned long)PAGES_PER_PMD);
}

/* 0x26 = device-private local | WRITE | PMD: two aligned PMDs on the device. */
Test(pagestate, two_whole_pmds_on_device)
{
	static uint8_t st[2 * NPMD];
	struct hmm_snapshot_summary s;

	memset(st, 0x26, sizeof(st));
	hmm_snapshot_summarise(st, 2 * NPMD, 0, &s);
	check_sum(&s, 1024, 0, 1024, 0, 0, 1024, 2);
}

/*
 * 512 PMD pages starting at page 1 of a PMD cover pages 1..511 of one PMD
 * and page 0 of the next: no aligned PMD is whole.
 */
Test(pagestate, unaligned_run_is_no_whole_pmd)
{
	static uint8_t st[NPMD];
	struct hmm_snapshot_summary s;

	memset(st, 0x26, sizeof(st));
	hmm_snapshot_summarise(st, NPMD, 1, &s);
	check_sum(&s, 512, 0, 512, 0, 0, 512, 0);
}

/* Pages 1..1023 of a region: the second PMD (512..1023) is whole. */
Test(pagestate, unaligned_start_counts_later_aligned_pmd)
{
	static uint8_t st[2 * NPMD - 1];
	struct hmm_snapshot_summary s;

	memset(st, 0x26, sizeof(st));
	hmm_snapshot_summarise(st, sizeof(st), 1, &s);
	check_sum(&s, 1023, 0, 1023, 0, 0, 1023, 1);
}

/* first_index 512 is PMD-aligned: state[0] starts a PMD. */
Test(pagestate, first_index_on_a_later_boundary)
{
	static uint8_t st[NPMD];
	struct hmm_snapshot_summary s;

	memset(st, 0x06, sizeof(st));	/* system | WRITE | PMD */
	hmm_snapshot_summarise(st, NPMD, NPMD, &s);
	check_sum(&s, 512, 512, 0, 0, 0, 512, 1);
}

/* One 4 KiB page inside the second PMD breaks it; the first stays whole. */
Test(pagestate, one_split_page_breaks_its_pmd)
{
	static uint8_t st[2 * NPMD];
	struct hmm_snapshot_summary s;

	memset(st, 0x26, sizeof(st));
	st[700] = 0x22;
	hmm_snapshot_summarise(st, 2 * NPMD, 0, &s);
	check_sum(&s, 1024, 0, 1024, 0, 0, 1023, 1);
}

/* 0xff has the PMD bit among its ones, but an error page is no PMD page. */
Test(pagestate, error_page_is_not_pmd)
{
	static uint8_t st[NPMD];
	struct hmm_snapshot_summary s;

	memset(st, 0x26, sizeof(st));
	st[5] = 0xff;
	hmm_snapshot_summarise(st, NPMD, 0, &s);
	check_sum(&s, 512, 0, 511, 0, 1, 511, 0);
}

Test(pagestate, mixed_states)
{
	/*
	 * device: 0x22 x3, 0x32 (remote), 0x42 (coherent)  = 5
	 * system: 0x02 x2, 0x11 (zero page, read)          = 3
	 * unmapped: 0x00 x2; error: 0xff x1; no PMD bit anywhere.
	 */
	static const uint8_t st[] = {
		0x22, 0x02, 0x00, 0xff, 0x22, 0x02, 0x00, 0x22, 0x11, 0x32, 0x42,
	};
	struct hmm_snapshot_summary s;

	hmm_snapshot_summarise(st, sizeof(st), 0, &s);
	check_sum(&s, 11, 3, 5, 2, 1, 0, 0);
}

Test(pagestate, empty_snapshot)
{
	struct hmm_snapshot_summary s;

	memset(&s, 0x55, sizeof(s));
	hmm_snapshot_summarise(NULL, 0, 0, &s);
	check_sum(&s, 0, 0, 0, 0, 0, 0, 0);
}

Test(pagestate, page_on_device_per_location)
{
	static const struct { uint8_t state; int on_dev; const char *what; } t[] = {
		{ 0x00, 0, "none" },
		{ 0x01, 0, "system read" },
		{ 0x02, 0, "system write" },
		{ 0x06, 0, "system write pmd" },
		{ 0x11, 0, "zero page" },
		{ 0x20, 1, "device-private local" },
		{ 0x26, 1, "device-private local write pmd" },
		{ 0x32, 1, "device-private remote" },
		{ 0x42, 1, "device-coherent local" },
		{ 0x52, 1, "device-coherent remote" },
		{ 0xff, 0, "error" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		cr_assert(!!hmm_page_on_device(t[i].state) == t[i].on_dev,
			  "hmm_page_on_device(0x%02x) (%s) should be %d",
			  t[i].state, t[i].what, t[i].on_dev);
}

Test(pagestate, state_str_0x26)
{
	char buf[64];
	const char *s = hmm_page_state_str(0x26, buf, sizeof(buf));

	/* The example pagestate.h itself gives. */
	cr_assert(!strcmp(s, "dev-private-local|write|pmd"),
		  "hmm_page_state_str(0x26) should be \"dev-private-local|write|pmd\", got \"%s\"", s);
}

Test(pagestate, state_str_flags_follow_bits)
{
	char buf[64];

	for (unsigned int loc = 0x10; loc <= 0x50; loc += 0x10) {
		for (unsigned int prot = 0; prot <= 0x0f; prot++) {
			const char *s = hmm_page_state_str(loc | prot, buf, sizeof(buf));

			cr_assert(!!strstr(s, "|read") == !!(prot & 0x01),
				  "0x%02x: \"|read\" iff READ: \"%s\"", loc | prot, s);
			cr_assert(!!strstr(s, "|write") == !!(prot & 0x02),
				  "0x%02x: \"|write\" iff WRITE: \"%s\"", loc | prot, s);
			cr_assert(!!strstr(s, "|pmd") == !!(prot & 0x04),
				  "0x%02x: \"|pmd\" iff PMD: \"%s\"", loc | prot, s);
			cr_assert(!!strstr(s, "|pud") == !!(prot & 0x08),
				  "0x%02x: \"|pud\" iff PUD: \"%s\"", loc | prot, s);
			cr_assert(!!strstr(s, "remote") == (loc == 0x30 || loc == 0x50),
				  "0x%02x: \"remote\" iff a remote location: \"%s\"", loc | prot, s);
			cr_assert(!!strstr(s, "coherent") == (loc >= 0x40),
				  "0x%02x: \"coherent\" iff a coherent location: \"%s\"", loc | prot, s);
		}
	}
}

Test(pagestate, state_str_none_and_error_differ)
{
	char a[64], b[64];

	hmm_page_state_str(0x00, a, sizeof(a));
	hmm_page_state_str(0xff, b, sizeof(b));
	cr_assert(*a && *b && strcmp(a, b),
		  "0x00 and 0xff should have distinct non-empty names: \"%s\", \"%s\"", a, b);
}

Test(pagestate, state_str_truncates)
{
	char buf[8];

	memset(buf, 'Z', sizeof(buf));
	hmm_page_state_str(0x26, buf, sizeof(buf));
	cr_assert(memchr(buf, '\0', sizeof(buf)) && strlen(buf) == 7,
		  "an 8-byte buffer should hold 7 chars and a NUL, got length %zu",
		  strnlen(buf, sizeof(buf)));
}
