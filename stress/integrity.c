// SPDX-License-Identifier: GPL-2.0
/* Page patterns and the stress region (see integrity.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "buffer.h"
#include "mix64.h"
#include "integrity.h"
#include "pagestate.h"

#define WORDS_PER_PAGE (PAGE_SZ / sizeof(uint64_t))
#define WORD_STEP 0x9e3779b97f4a7c15ULL

/* The page's offset in the region stands for its address: mremap moves it. */
static uint64_t page_base(uint64_t seed, size_t index, uint32_t gen)
{
	return mix64(seed ^ mix64((uint64_t)index * PAGE_SZ + 1) ^
		     ((uint64_t)gen << 32));
}

void stress_page_fill(void *page, uint64_t seed, size_t index, uint32_t gen)
{
	uint64_t *w = page, v = page_base(seed, index, gen);

	if (gen & STRESS_GEN_ZERO) {
		memset(page, 0, PAGE_SZ);
		return;
	}
	for (size_t i = 0; i < WORDS_PER_PAGE; i++, v += WORD_STEP)
		w[i] = v;
}

long stress_page_check(const void *page, uint64_t seed, size_t index,
		       uint32_t gen, uint64_t *expected, uint64_t *found)
{
	const volatile uint64_t *w = page;
	int zero = (gen & STRESS_GEN_ZERO) != 0;
	uint64_t v = zero ? 0 : page_base(seed, index, gen);

	for (size_t i = 0; i < WORDS_PER_PAGE; i++, v += zero ? 0 : WORD_STEP) {
		uint64_t got = w[i];

		if (got == v)
			continue;
		*expected = v;
		*found = got;
		return (long)(i * sizeof(uint64_t));
	}
	return -1;
}

int stress_page_is_zero(const void *page)
{
	const uint64_t *w = page;

	for (size_t i = 0; i < WORDS_PER_PAGE; i++)
		if (w[i])
			return 0;
	return 1;
}

/* Chunk 0 is always a THP and chunk 1 always 4 KiB; the rest by seed. */
int stress_chunk_is_thp(uint64_t seed, size_t c)
{
	return c < 2 ? !c : (int)((seed >> (c % 64)) & 1);
}

int region_chunk_is_thp(const struct stress_region *rg, size_t page)
{
	return rg->thp[page / PAGES_PER_PMD];
}

int region_advise(struct stress_region *rg, size_t first, size_t n)
{
	for (size_t p = first; p < first + n;) {
		size_t end = (p / PAGES_PER_PMD + 1) * PAGES_PER_PMD;

		if (end > first + n)
			end = first + n;
		if (madvise(rg->addr + p * PAGE_SZ, (end - p) * PAGE_SZ,
			    region_chunk_is_thp(rg, p) ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
			return -errno;
		p = end;
	}
	return 0;
}

int region_remap(struct stress_region *rg, size_t first, size_t n)
{
	void *p = mmap(rg->addr + first * PAGE_SZ, n * PAGE_SZ,
		       PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	return region_advise(rg, first, n);
}

int region_map(struct stress_region *rg, size_t nchunks, uint64_t seed)
{
	pthread_rwlockattr_t attr;
	struct test_buf b;
	int ret;

	memset(rg, 0, sizeof(*rg));
	ret = buf_alloc(&b, nchunks * PMD_SZ, PAGES_THP);
	if (ret)
		return ret;
	rg->addr = b.addr;
	rg->nchunks = nchunks;
	rg->npages = b.npages;
	rg->seed = seed;
	rg->thp = calloc(nchunks, 1);
	rg->gen = calloc(rg->npages, sizeof(*rg->gen));
	rg->lock = calloc(nchunks, sizeof(*rg->lock));
	rg->wseq = calloc(nchunks, sizeof(*rg->wseq));
	rg->move = calloc(nchunks, sizeof(*rg->move));
	if (!rg->thp || !rg->gen || !rg->lock || !rg->wseq || !rg->move) {
		region_unmap(rg);
		return -ENOMEM;
	}
	/*
	 * Writers first: with the default reader preference a stream of
	 * migrations would starve a device READ waiting for its chunk.
	 */
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	for (size_t c = 0; c < nchunks; c++) {
		rg->thp[c] = (uint8_t)stress_chunk_is_thp(seed, c);
		pthread_rwlock_init(&rg->lock[c], &attr);
		pthread_rwlock_init(&rg->move[c], &attr);
	}
	pthread_rwlockattr_destroy(&attr);
	ret = region_advise(rg, 0, rg->npages);
	if (ret) {
		region_unmap(rg);
		return ret;
	}
	for (size_t p = 0; p < rg->npages; p++) {
		rg->gen[p] = 1;
		stress_page_fill(rg->addr + p * PAGE_SZ, seed, p, 1);
	}
	return 0;
}

void region_unmap(struct stress_region *rg)
{
	if (rg->addr)
		munmap(rg->addr, rg->npages * PAGE_SZ);
	if (rg->lock && rg->move)
		for (size_t c = 0; c < rg->nchunks; c++) {
			pthread_rwlock_destroy(&rg->lock[c]);
			pthread_rwlock_destroy(&rg->move[c]);
		}
	free(rg->move);
	free(rg->thp);
	free(rg->gen);
	free(rg->lock);
	free((void *)rg->wseq);
	memset(rg, 0, sizeof(*rg));
}

void region_lock(struct stress_region *rg, size_t first, size_t n, int write)
{
	for (size_t c = first / PAGES_PER_PMD; c <= (first + n - 1) / PAGES_PER_PMD; c++) {
		if (write) {
			pthread_rwlock_wrlock(&rg->lock[c]);
			atomic_fetch_add(&rg->wseq[c], 1);
		} else {
			pthread_rwlock_rdlock(&rg->lock[c]);
		}
	}
}

void region_unlock(struct stress_region *rg, size_t first, size_t n, int write)
{
	for (size_t c = first / PAGES_PER_PMD; c <= (first + n - 1) / PAGES_PER_PMD; c++) {
		if (write)
			atomic_fetch_add(&rg->wseq[c], 1);
		pthread_rwlock_unlock(&rg->lock[c]);
	}
}

void region_move_lock(struct stress_region *rg, size_t first, size_t n, int write)
{
	for (size_t c = first / PAGES_PER_PMD; c <= (first + n - 1) / PAGES_PER_PMD; c++) {
		if (write)
			pthread_rwlock_wrlock(&rg->move[c]);
		else
			pthread_rwlock_rdlock(&rg->move[c]);
	}
}

void region_move_unlock(struct stress_region *rg, size_t first, size_t n)
{
	for (size_t c = first / PAGES_PER_PMD; c <= (first + n - 1) / PAGES_PER_PMD; c++)
		pthread_rwlock_unlock(&rg->move[c]);
}

void region_wseq(struct stress_region *rg, size_t first, size_t n, uint64_t seq[3])
{
	size_t c0 = first / PAGES_PER_PMD, c1 = (first + n - 1) / PAGES_PER_PMD;

	for (size_t i = 0; i < 3; i++)
		seq[i] = c0 + i <= c1 ? atomic_load(&rg->wseq[c0 + i]) : 0;
}

uint32_t stress_gen_next(uint32_t gen)
{
	uint32_t next = ((gen & STRESS_GEN_MASK) + 1) & STRESS_GEN_MASK;

	return next ? next : 1;
}
