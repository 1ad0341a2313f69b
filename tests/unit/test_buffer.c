// SPDX-License-Identifier: GPL-2.0
/*
 * Test buffers (bench/buffer.h): PMD alignment, the madvise per page mode,
 * argument checks, and the data pattern's round trip and mismatch report.
 * Expected words are read back from memory before a byte is flipped, so
 * no expectation comes from the pattern function under test.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "buffer.h"

#define KiB 1024UL
#define MiB (1024UL * 1024)
#define PMD (2 * MiB)		/* x86-64 and arm64 (4K pages) PMD size */
#define PG (4 * KiB)

/* The VmFlags line of the /proc/self/smaps entry holding @addr, or "". */
static void vma_flags(const void *addr, char *out, size_t len)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0;

	out[0] = '\0';
	cr_assert(f, "/proc/self/smaps should be readable");
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
			continue;
		}
		if (in && !strncmp(line, "VmFlags:", 8)) {
			snprintf(out, len, "%s", line + 8);
			break;
		}
	}
	fclose(f);
}

/* msync() fails with ENOMEM exactly where nothing is mapped. */
static int mapped(const void *addr, size_t len)
{
	return msync((void *)addr, len, MS_ASYNC) == 0;
}

static void check_alloc(enum page_mode mode, const char *flag)
{
	struct test_buf b;
	size_t size = 4 * MiB + 3 * PG;	/* not a PMD multiple: the tail is trimmed too */
	char flags[512];	/* as long as a smaps line */
	int ret = buf_alloc(&b, size, mode);

	cr_assert(ret == 0, "buf_alloc(%zu, %s) should succeed, got %d", size,
		  page_mode_name(mode), ret);
	cr_assert(((uintptr_t)b.addr & (PMD - 1)) == 0,
		  "%s buffer at %p should be 2 MiB aligned", page_mode_name(mode), b.addr);
	cr_assert(b.size == size && b.npages == size / PG && b.mode == mode,
		  "size %zu npages %zu mode %d should be %zu, %zu, %d",
		  b.size, b.npages, b.mode, size, size / PG, mode);
	cr_assert(mapped(b.addr, size), "the whole %zu bytes should be mapped", size);
	cr_assert(!mapped(b.addr + size, PG),
		  "the alignment slack after the buffer should be unmapped again");
	memset(b.addr, 0xa5, size);	/* writable, every byte */

	vma_flags(b.addr, flags, sizeof(flags));
	cr_assert(strstr(flags, flag),
		  "the %s buffer's VMA should carry VmFlag \"%s\" (madvise), has:%s",
		  page_mode_name(mode), flag, flags);
	buf_free(&b);
	cr_assert(b.addr == NULL, "buf_free should clear addr");
}

/* smaps VmFlags: "hg" for MADV_HUGEPAGE, "nh" for MADV_NOHUGEPAGE (proc(5)). */
Test(buffer, thp_alloc_is_pmd_aligned)
{
	check_alloc(PAGES_THP, " hg");
}

Test(buffer, small_page_alloc_is_pmd_aligned)
{
	check_alloc(PAGES_4K, " nh");
}

Test(buffer, rejects_bad_sizes)
{
	static const size_t bad[] = { 0, 1, 2048, PG + 1, 2 * MiB - 8 };
	struct test_buf b;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = buf_alloc(&b, bad[i], PAGES_4K);

		cr_assert(ret == -EINVAL, "buf_alloc(%zu) should be -EINVAL (%d), got %d",
			  bad[i], -EINVAL, ret);
		cr_assert(b.addr == NULL, "a rejected buf_alloc(%zu) should leave addr NULL", bad[i]);
	}
}

#define NPAGES 8
#define SEED 0x5eed0123456789abULL
#define GEN 3

static struct test_buf filled(void)
{
	struct test_buf b;
	int ret = buf_alloc(&b, NPAGES * PG, PAGES_4K);

	cr_assert(ret == 0, "buf_alloc of %d pages should succeed, got %d", NPAGES, ret);
	pattern_fill(b.addr, NPAGES, SEED, GEN);
	return b;
}

Test(buffer, pattern_round_trip)
{
	struct test_buf b = filled();
	uint64_t want = 0, got = 0;
	long off = pattern_check(b.addr, NPAGES, SEED, GEN, &want, &got);

	cr_assert(off == -1, "a freshly filled buffer should check clean, mismatch at %ld", off);
	buf_free(&b);
}

/*
 * Flip one byte in the middle of a word of page 3. pattern_check compares
 * 8-byte words, so it must point at the word holding that byte, and give
 * the word as it was (expected) and as it is now (found).
 */
Test(buffer, flipped_byte_found_in_page_3)
{
	struct test_buf b = filled();
	size_t byte = 3 * PG + 8 * 37 + 5, word = byte & ~7UL;
	uint64_t before, after, want = 0, got = 0;
	long off;

	memcpy(&before, b.addr + word, 8);
	b.addr[byte] ^= 0x5a;
	memcpy(&after, b.addr + word, 8);
	off = pattern_check(b.addr, NPAGES, SEED, GEN, &want, &got);
	cr_assert(off == (long)word,
		  "the mismatch should be reported at the word holding byte %zu, offset %zu (page 3), got %ld",
		  byte, word, off);
	cr_assert(want == before, "expected should be the word before the flip 0x%016llx, got 0x%016llx",
		  (unsigned long long)before, (unsigned long long)want);
	cr_assert(got == after, "found should be the flipped word 0x%016llx, got 0x%016llx",
		  (unsigned long long)after, (unsigned long long)got);
	buf_free(&b);
}

Test(buffer, first_of_two_mismatches_is_reported)
{
	struct test_buf b = filled();
	uint64_t want, got;
	long off;

	b.addr[5 * PG + 16] ^= 1;
	b.addr[3 * PG + 4088] ^= 1;	/* the last word of page 3 */
	off = pattern_check(b.addr, NPAGES, SEED, GEN, &want, &got);
	cr_assert(off == (long)(3 * PG + 4088),
		  "the earlier mismatch (offset %lu) should be reported, got %ld", 3 * PG + 4088, off);
	buf_free(&b);
}

/*
 * Every word of a page is base + i*step; a different seed or generation
 * changes the base, so every word differs and the first mismatch is word 0.
 */
Test(buffer, other_generation_fails)
{
	struct test_buf b = filled();
	uint64_t want, got;
	long off = pattern_check(b.addr, NPAGES, SEED, GEN + 1, &want, &got);

	cr_assert(off == 0, "checking generation %d data as generation %d should fail at 0, got %ld",
		  GEN, GEN + 1, off);
	off = pattern_check(b.addr, NPAGES, SEED, GEN - 1, &want, &got);
	cr_assert(off == 0, "an older generation should fail at 0 too, got %ld", off);
	buf_free(&b);
}

Test(buffer, other_seed_fails)
{
	struct test_buf b = filled();
	uint64_t want, got;
	long off = pattern_check(b.addr, NPAGES, SEED ^ 1, GEN, &want, &got);

	cr_assert(off == 0, "a seed differing in one bit should fail at 0, got %ld", off);
	buf_free(&b);
}

Test(buffer, pages_differ)
{
	struct test_buf b = filled();

	for (int p = 0; p < NPAGES; p++)
		for (int q = 0; q < p; q++)
			cr_assert(memcmp(b.addr + p * PG, b.addr + q * PG, PG),
				  "pages %d and %d should hold different data", p, q);
	buf_free(&b);
}

/* A page that landed in another page's place must be caught, at that page. */
Test(buffer, swapped_pages_caught)
{
	struct test_buf b = filled();
	uint8_t tmp[PG];
	uint64_t want, got;
	long off;

	memcpy(tmp, b.addr + 2 * PG, PG);
	memcpy(b.addr + 2 * PG, b.addr + 6 * PG, PG);
	memcpy(b.addr + 6 * PG, tmp, PG);
	off = pattern_check(b.addr, NPAGES, SEED, GEN, &want, &got);
	cr_assert(off == (long)(2 * PG), "swapping pages 2 and 6 should fail at page 2 (%lu), got %ld",
		  2 * PG, off);
	buf_free(&b);
}

Test(buffer, zeroed_page_caught)
{
	struct test_buf b = filled();
	uint64_t want, got;
	long off;

	memset(b.addr + 7 * PG, 0, PG);
	off = pattern_check(b.addr, NPAGES, SEED, GEN, &want, &got);
	cr_assert(off >= (long)(7 * PG) && off < (long)(8 * PG),
		  "a zeroed last page should fail inside page 7, got %ld", off);
	cr_assert(got == 0, "found should be 0 for a zeroed page, got 0x%llx",
		  (unsigned long long)got);
	buf_free(&b);
}

Test(buffer, page_mode_names)
{
	cr_assert(strcmp(page_mode_name(PAGES_THP), page_mode_name(PAGES_4K)),
		  "the two page modes should have different names");
}
