/* SPDX-License-Identifier: GPL-2.0 */
/* Test buffers: PMD-aligned anonymous memory with a checkable pattern. */
#ifndef HMMBENCH_BUFFER_H
#define HMMBENCH_BUFFER_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SZ 4096UL
#define PMD_SZ (2UL << 20)
#define PAGES_PER_PMD (PMD_SZ / PAGE_SZ)

enum page_mode { PAGES_THP, PAGES_4K };

struct test_buf {
	uint8_t *addr;
	size_t size;
	size_t npages;
	enum page_mode mode;
};

/*
 * An anonymous mapping of @len bytes starting on a 2 MiB boundary (so
 * THPs, device PMDs and GPU big pages can map it), the slack trimmed.
 * NULL with errno set on failure.
 */
void *hmm_mmap_pmd_aligned(size_t len, int prot, int flags);

/* Maps @size bytes (a multiple of 4 KiB) at a PMD-aligned address. */
int buf_alloc(struct test_buf *b, size_t size, enum page_mode mode);
void buf_free(struct test_buf *b);

/*
 * Every 8-byte word of every page gets a value that depends on @seed, the
 * page's index and @generation, so a page that went stale, moved to the
 * wrong place or came back from an older generation is caught.
 */
void pattern_fill(void *addr, size_t npages, uint64_t seed,
		  uint64_t generation);
/*
 * Returns the byte offset of the first mismatch, or -1 if all match;
 * @expected and @found get the 8-byte words there.
 */
long pattern_check(const void *addr, size_t npages, uint64_t seed,
		   uint64_t generation, uint64_t *expected, uint64_t *found);
const char *page_mode_name(enum page_mode mode);

#endif
