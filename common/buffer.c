// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "buffer.h"
#include "mix64.h"

int buf_alloc(struct test_buf *b, size_t size, enum page_mode mode)
{
	uint8_t *aligned;

	memset(b, 0, sizeof(*b));
	if (!size || size % PAGE_SZ)
		return -EINVAL;
	aligned = hmm_mmap_pmd_aligned(size, PROT_READ | PROT_WRITE, 0);
	if (!aligned)
		return -errno;
	if (madvise(aligned, size, mode == PAGES_THP ? MADV_HUGEPAGE
						     : MADV_NOHUGEPAGE) < 0) {
		int ret = -errno;

		munmap(aligned, size);
		return ret;
	}
	b->addr = aligned;
	b->size = size;
	b->npages = size / PAGE_SZ;
	b->mode = mode;
	return 0;
}

void buf_free(struct test_buf *b)
{
	if (b->addr)
		munmap(b->addr, b->size);
	b->addr = NULL;
}

static uint64_t page_base(uint64_t seed, size_t page, uint64_t generation)
{
	return mix64(seed ^ mix64(page + 1) ^ (generation << 40));
}

#define WORDS_PER_PAGE (PAGE_SZ / sizeof(uint64_t))
#define WORD_STEP 0x9e3779b97f4a7c15ULL

void pattern_fill(void *addr, size_t npages, uint64_t seed,
		  uint64_t generation)
{
	uint64_t *w = addr;

	for (size_t p = 0; p < npages; p++) {
		uint64_t v = page_base(seed, p, generation);

		for (size_t i = 0; i < WORDS_PER_PAGE; i++, v += WORD_STEP)
			*w++ = v;
	}
}

long pattern_check(const void *addr, size_t npages, uint64_t seed,
		   uint64_t generation, uint64_t *expected, uint64_t *found)
{
	const uint64_t *w = addr;

	for (size_t p = 0; p < npages; p++) {
		uint64_t v = page_base(seed, p, generation);

		for (size_t i = 0; i < WORDS_PER_PAGE; i++, v += WORD_STEP, w++) {
			if (*w == v)
				continue;
			*expected = v;
			*found = *w;
			return (long)((const uint8_t *)w - (const uint8_t *)addr);
		}
	}
	return -1;
}

const char *page_mode_name(enum page_mode mode)
{
	return mode == PAGES_THP ? "thp" : "4k";
}

void *hmm_mmap_pmd_aligned(size_t len, int prot, int flags)
{
	size_t raw_len = len + PMD_SZ;
	char *raw = mmap(NULL, raw_len, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *aligned;

	if (raw == MAP_FAILED)
		return NULL;
	aligned = (char *)(((uintptr_t)raw + PMD_SZ - 1) & ~(PMD_SZ - 1));
	if (aligned > raw)
		munmap(raw, aligned - raw);
	munmap(aligned + len, raw + raw_len - (aligned + len));
	return aligned;
}
