// SPDX-License-Identifier: GPL-2.0
/*
 * The pagemap residency helper (drivers-ioctl/pagemap.c): decoding of
 * entries as fs/proc/task_mmu.c encodes them, the swap-type layouts
 * against the kernel trees' include/linux/swap.h, and real reads of this
 * process's own pagemap. Device-private pages cannot be made here (the
 * host has no DEVICE_PRIVATE); tests/vm/gpu.sh checks those in a guest
 * against test_hmm's SNAPSHOT.
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "pagemap.h"
#include "pagestate.h"
#include "test_results_util.h"

/* A swap-type entry as pte_to_pagemap_entry() writes it for CAP_SYS_ADMIN. */
static uint64_t swap_pme(unsigned int type, uint64_t offset)
{
	return PM_SWAP | ((offset << PM_SWAP_TYPE_BITS) | type);
}

Test(pagemap, layout_is_chosen_by_release)
{
	cr_expect(pagemap_layout_for("7.2.13-1-default") == &pagemap_layout_7_2,
		  "7.2.13 should use the 7.2 layout");
	cr_expect(pagemap_layout_for("7.10.0") == &pagemap_layout_7_2,
		  "7.10 should use the 7.2 layout (the newest known)");
	cr_expect(pagemap_layout_for("8.0.0") == &pagemap_layout_7_2,
		  "8.0 should use the 7.2 layout (the newest known)");
	cr_expect(pagemap_layout_for("6.12.117-1") == &pagemap_layout_6_12,
		  "6.12.117 should use the 6.12 layout");
	cr_expect(pagemap_layout_for("6.1.192") == NULL,
		  "6.1 has CONFIG_PTE_MARKER and SWP_SWAPIN_ERROR: its layout is not known, so NULL");
	cr_expect(pagemap_layout_for("7.1.0") == NULL,
		  "7.1 lies between the two layouts read: NULL, not a guess");
	cr_expect(pagemap_layout_for("garbage") == NULL, "an unparsable release gives NULL");
}

Test(pagemap, kinds_decode_per_layout)
{
	const struct pagemap_layout *l72 = &pagemap_layout_7_2, *l612 = &pagemap_layout_6_12;

	cr_expect_eq(pagemap_kind(0, l72), PAGEMAP_NONE, "an empty entry is unpopulated");
	cr_expect_eq(pagemap_kind(PM_PRESENT | 1234, l72), PAGEMAP_PRESENT, "bit 63 is present");
	cr_expect_eq(pagemap_kind(PM_SOFT_DIRTY, l72), PAGEMAP_NONE,
		     "soft-dirty alone is still unpopulated");
	cr_expect_eq(pagemap_kind(swap_pme(28, 0x12345), l72), PAGEMAP_DEVICE_PRIVATE,
		     "type 28 is SWP_DEVICE_WRITE on 7.2");
	cr_expect_eq(pagemap_kind(swap_pme(29, 0x12345), l72), PAGEMAP_DEVICE_PRIVATE,
		     "type 29 is SWP_DEVICE_READ on 7.2");
	cr_expect_eq(pagemap_kind(swap_pme(30, 0x12345), l72), PAGEMAP_DEVICE_EXCLUSIVE,
		     "type 30 is SWP_DEVICE_EXCLUSIVE on 7.2");
	cr_expect_eq(pagemap_kind(swap_pme(27, 0x12345), l72), PAGEMAP_MIGRATING,
		     "type 27 is SWP_MIGRATION_WRITE on 7.2");
	cr_expect_eq(pagemap_kind(swap_pme(27, 0x12345), l612), PAGEMAP_DEVICE_PRIVATE,
		     "type 27 is SWP_DEVICE_WRITE on 6.12 (four device types)");
	cr_expect_eq(pagemap_kind(swap_pme(30, 0x12345), l612), PAGEMAP_DEVICE_EXCLUSIVE,
		     "type 30 is SWP_DEVICE_EXCLUSIVE_READ on 6.12");
	cr_expect_eq(pagemap_kind(swap_pme(31, 4), l72), PAGEMAP_NONE,
		     "type 31 is a PTE marker: no page");
	cr_expect_eq(pagemap_kind(swap_pme(0, 77), l72), PAGEMAP_SWAPPED,
		     "type 0 is the first swap device");
	cr_expect_eq(pagemap_kind(PM_SWAP, l72), PAGEMAP_HIDDEN,
		     "bits 0-54 zero on a swap entry: hidden from a reader without CAP_SYS_ADMIN");
	cr_expect_eq(pagemap_kind(swap_pme(28, 5), NULL), PAGEMAP_HIDDEN,
		     "no layout: a swap entry cannot be decoded");
	cr_expect_eq(pagemap_kind(PM_SWAP | PM_GUARD_REGION, l72), PAGEMAP_NONE,
		     "a guard region is no page");
}

Test(pagemap, states_translate_to_snapshot_values)
{
	const struct pagemap_layout *l = &pagemap_layout_7_2;

	cr_expect_eq(pagemap_state(swap_pme(28, 9), HMMB_PAGE_IS_SWAPPED | HMMB_PAGE_IS_HUGE, l), 0x26,
		     "a writable device-private PMD entry is SNAPSHOT's 0x26");
	cr_expect_eq(pagemap_state(swap_pme(28, 9), 0, l), 0x22,
		     "a writable device-private PTE is 0x22");
	cr_expect_eq(pagemap_state(swap_pme(29, 9), 0, l), 0x21,
		     "a read-only device-private PTE is 0x21");
	cr_expect_eq(pagemap_state(PM_PRESENT, HMMB_PAGE_IS_PFNZERO, l), 0x11,
		     "the zero page is ZERO|READ, 0x11");
	cr_expect_eq(pagemap_state(PM_PRESENT, HMMB_PAGE_IS_HUGE, l), HMM_PAGE_READ | HMM_PAGE_PMD,
		     "a present THP is system memory with the PMD bit");
	cr_expect_eq(pagemap_state(PM_PRESENT, 0, l), HMM_PAGE_READ, "a present page is system memory");
	cr_expect_eq(pagemap_state(0, 0, l), HMM_PAGE_NONE, "unpopulated is NONE");
	cr_expect_eq(pagemap_state(swap_pme(0, 3), 0, l), HMM_PAGE_NONE,
		     "swapped out is NONE, as SNAPSHOT (hmm_range_fault without faulting) sees it");
	cr_expect_eq(pagemap_state(PM_SWAP, 0, l), HMM_PAGE_ERROR, "hidden is ERROR");
	cr_expect_eq(pagemap_state(swap_pme(26, 3), 0, l), HMM_PAGE_ERROR,
		     "mid-migration is ERROR: no settled place");
}

Test(pagemap, agreement_with_snapshot)
{
	cr_expect(pagemap_agrees(0x26, 0x26, 1), "identical PMD device-private states agree");
	cr_expect(!pagemap_agrees(0x22, 0x26, 1), "with PAGEMAP_SCAN a missing PMD bit is a disagreement");
	cr_expect(pagemap_agrees(0x22, 0x26, 0), "without PAGEMAP_SCAN the PMD bit is not compared");
	cr_expect(!pagemap_agrees(0x21, 0x22, 1), "read-only vs writable device-private disagree");
	cr_expect(pagemap_agrees(0x22, 0x32, 1),
		  "pagemap cannot tell local from remote device-private pages");
	cr_expect(pagemap_agrees(HMM_PAGE_READ, HMM_PAGE_WRITE, 1),
		  "system pages agree whatever SNAPSHOT says of their write permission");
	cr_expect(!pagemap_agrees(HMM_PAGE_READ, 0x22, 1), "system vs device-private disagree");
	cr_expect(!pagemap_agrees(HMM_PAGE_NONE, HMM_PAGE_WRITE, 1), "unpopulated vs system disagree");
	cr_expect(!pagemap_agrees(0x11, HMM_PAGE_WRITE, 1), "zero page vs a written page disagree");
	cr_expect(!pagemap_agrees(HMM_PAGE_ERROR, HMM_PAGE_ERROR, 1), "ERROR never agrees");
}

/* "#define NAME N" the first time it appears in @text, or -1. */
static int first_define(const char *text, const char *name)
{
	char pattern[96];
	regmatch_t m[2];
	regex_t re;
	int value = -1;

	snprintf(pattern, sizeof(pattern), "#define[ \t]+%s[ \t]+([0-9]+)", name);
	if (regcomp(&re, pattern, REG_EXTENDED))
		return -1;
	if (!regexec(&re, text, 2, m, 0))
		value = atoi(text + m[1].rm_so);
	regfree(&re);
	return value;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, n + 1);
	if (text && fread(text, 1, n, f) != (size_t)n) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

/* Derives the device types from swap.h's text and compares with our table. */
static void check_tree(const char *swap_h, const char *version)
{
	char *text = slurp(swap_h);
	const struct pagemap_layout *l = pagemap_layout_for(version);
	int marker, device, migration, write;

	cr_assert(text, "cannot read %s", swap_h);
	cr_assert(l, "linux-source-%s is unpacked here but pagemap.c has no layout for it", version);
	cr_expect(!strstr(text, "#ifdef CONFIG_PTE_MARKER") && !strstr(text, "SWP_SWAPIN_ERROR_NUM 1"),
		  "%s: PTE markers are conditional or SWP_SWAPIN_ERROR exists: the layout differs", swap_h);
	cr_expect(strstr(text, "#define SWP_DEVICE_WRITE (MAX_SWAPFILES+SWP_HWPOISON_NUM+SWP_MIGRATION_NUM)") &&
		  strstr(text, "#define SWP_DEVICE_READ (MAX_SWAPFILES+SWP_HWPOISON_NUM+SWP_MIGRATION_NUM+1)"),
		  "%s: SWP_DEVICE_WRITE/READ are no longer the first two device types", swap_h);
	marker = first_define(text, "SWP_PTE_MARKER_NUM");
	device = first_define(text, "SWP_DEVICE_NUM");
	migration = first_define(text, "SWP_MIGRATION_NUM");
	free(text);
	write = 32 - marker - device;
	cr_expect_eq(l->device_write, write, "%s: SWP_DEVICE_WRITE is %d (32 - %d - %d), our %s layout says %u",
		     swap_h, write, marker, device, l->kernels, l->device_write);
	cr_expect_eq(l->device_read, write + 1, "%s: SWP_DEVICE_READ is %d, ours %u",
		     swap_h, write + 1, l->device_read);
	cr_expect_eq(l->exclusive_last, 31 - marker, "%s: the last device type is %d, ours %u",
		     swap_h, 31 - marker, l->exclusive_last);
	cr_expect_eq(l->migration_first, write - migration, "%s: SWP_MIGRATION_READ is %d, ours %u",
		     swap_h, write - migration, l->migration_first);
	cr_expect_eq(l->marker, 32 - marker, "%s: SWP_PTE_MARKER is %d, ours %u",
		     swap_h, 32 - marker, l->marker);
}

Test(pagemap, layouts_match_kernel_trees)
{
	char pattern[PATH_MAX], cache[PATH_MAX - 64], version[32];
	glob_t g;
	int checked = 0;

	cr_assert(!tu_cache_dir(cache, sizeof(cache)), "no home directory to find the cache in");
	snprintf(pattern, sizeof(pattern), "%s/src/linux-source-*/linux-source-*/include/linux/swap.h",
		 cache);
	if (glob(pattern, 0, NULL, &g))
		cr_skip_test("no kernel tree under %s/src (scripts/kernel-build --fetch-only)", cache);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *v = strstr(g.gl_pathv[i], "/linux-source-");

		/* .../linux-source-7.2_7.2.13-1/linux-source-7.2/include/linux/swap.h */
		v = strstr(v + 1, "/linux-source-");
		if (!v || sscanf(v, "/linux-source-%31[0-9.]", version) != 1)
			continue;
		/* pagemap.c refuses kernels it has no layout for, by design. */
		if (!pagemap_layout_for(version)) {
			cr_log_info("linux-source-%s: no pagemap layout; residency refuses it", version);
			continue;
		}
		check_tree(g.gl_pathv[i], version);
		checked++;
	}
	globfree(&g);
	if (!checked)
		cr_skip_test("no unpacked kernel tree has a pagemap layout to check");
}

Test(pagemap, reads_own_memory)
{
	size_t n = 16;
	uint8_t state[16];
	struct pagemap_counts c;
	char why[256] = "";
	char *buf = mmap(NULL, n * PAGE_SZ, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ret;

	cr_assert(buf != MAP_FAILED);
	for (size_t i = 0; i < n; i += 2)
		buf[i * PAGE_SZ] = 1;	/* even pages written, odd untouched */
	ret = pagemap_residency(buf, n, state, &c, why, sizeof(why));
	cr_assert_eq(ret, 0, "pagemap_residency failed: %d: %s", ret, why);
	cr_expect_eq(c.pages, n);
	cr_expect_eq(c.present, n / 2, "8 written pages should be present, pagemap counts %zu", c.present);
	cr_expect_eq(c.none, n / 2, "8 untouched pages should be unpopulated, pagemap counts %zu", c.none);
	for (size_t i = 0; i < n; i++)
		cr_expect_eq(state[i], i % 2 ? HMM_PAGE_NONE : HMM_PAGE_READ,
			     "page %zu (%s): state 0x%02x", i, i % 2 ? "untouched" : "written", state[i]);
	munmap(buf, n * PAGE_SZ);
}

/*
 * Rss of the mapping holding @addr, from /proc/self/smaps, in kB; -1 if it
 * cannot be read. The zero page is not counted in Rss (vm_normal_page()
 * skips it), so Rss is a witness of the zero page that owes nothing to
 * pagemap.
 */
static long smaps_rss_kb(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int inside = 0;
	long rss = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long start, end;

		/* "start-end perms ..." heads each mapping; "Key: value" lines follow. */
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			inside = (uintptr_t)addr >= start && (uintptr_t)addr < end;
			continue;
		}
		if (inside && sscanf(line, "Rss: %ld kB", &rss) == 1)
			break;
	}
	fclose(f);
	return rss;
}

/*
 * A read of untouched anonymous memory maps the shared zero page on most
 * kernels, but not on every host kernel (one seen mapped a fresh page, flags
 * 0x81). So this first asks the host, through Rss, and skips with what it
 * saw where there is no zero page to find; tests/vm/residency-check checks
 * the zero page in a guest, on a kernel this project built.
 */
Test(pagemap, sees_zero_page_with_pagemap_scan)
{
	size_t n = 16;
	uint8_t state[16];
	struct pagemap_counts c;
	char why[256] = "";
	volatile char sink;
	long before, after;
	char *buf = mmap(NULL, n * PAGE_SZ, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ret;

	cr_assert(buf != MAP_FAILED);
	madvise(buf, n * PAGE_SZ, MADV_NOHUGEPAGE);
	before = smaps_rss_kb(buf);
	for (size_t i = 0; i < n; i++)
		sink = buf[i * PAGE_SZ];
	(void)sink;
	after = smaps_rss_kb(buf);
	ret = pagemap_residency(buf, n, state, &c, why, sizeof(why));
	cr_assert_eq(ret, 0, "pagemap_residency failed: %s", why);
	if (!c.scan)
		cr_skip_test("this kernel has no PAGEMAP_SCAN (Linux 6.7): no zero-page bit to check");
	cr_assert(before >= 0 && after >= 0, "no Rss for the mapping in /proc/self/smaps");
	if (after > before)
		cr_skip_test("this host kernel maps a fresh page, not the zero page, on a read fault of untouched memory (Rss +%ld kB for %zu pages read); the zero page is checked in a guest (tests/vm/residency-check)",
			     after - before, n);
	for (size_t i = 0; i < n; i++)
		cr_expect_eq(state[i], HMM_PAGE_ZERO | HMM_PAGE_READ,
			     "page %zu was read and Rss did not grow, so it is the zero page (0x11); pagemap says 0x%02x",
			     i, state[i]);
	munmap(buf, n * PAGE_SZ);
}

Test(pagemap, sees_thp_with_pagemap_scan)
{
	size_t len = 2 * PMD_SZ, npages = PMD_SZ / PAGE_SZ;
	uint8_t *state = malloc(npages);
	struct pagemap_counts c;
	char why[256] = "", *raw, *thp;
	int ret;

	raw = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert(raw != MAP_FAILED && state);
	thp = (char *)(((uintptr_t)raw + PMD_SZ - 1) & ~(PMD_SZ - 1));
	if (madvise(thp, PMD_SZ, MADV_HUGEPAGE))
		cr_skip_test("MADV_HUGEPAGE: %s", strerror(errno));
	memset(thp, 1, PMD_SZ);
	ret = pagemap_residency(thp, npages, state, &c, why, sizeof(why));
	cr_assert_eq(ret, 0, "pagemap_residency failed: %s", why);
	if (!c.scan)
		cr_skip_test("this kernel has no PAGEMAP_SCAN (Linux 6.7): no PMD bit to check");
	if (!(state[0] & HMM_PAGE_PMD))
		cr_skip_test("no THP formed (transparent_hugepage/enabled is never, or no free 2 MiB page)");
	for (size_t i = 0; i < npages; i++)
		cr_expect_eq(state[i], HMM_PAGE_READ | HMM_PAGE_PMD,
			     "page %zu of a THP should be READ|PMD, got 0x%02x", i, state[i]);
	munmap(raw, len);
	free(state);
}
