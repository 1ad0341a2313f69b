/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stress region and its page patterns. Every 4 KiB page holds words
 * derived from the run's seed, the page's offset in the region and the
 * page's generation, which goes up each time the page is rewritten; a page
 * that went stale, moved to the wrong place or came back from an older
 * generation does not match. Generation 0 means "must read as zeroes"
 * (after MADV_DONTNEED). Each 2 MiB chunk has a rwlock: writers of content
 * hold it for writing, checkers for reading; migrations take none, so they
 * race everything else.
 */
#ifndef HMMBENCH_STRESS_INTEGRITY_H
#define HMMBENCH_STRESS_INTEGRITY_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define STRESS_GEN_CHILD 0x80000000u	/* generations written by fork children */
/* "Must read as zeroes"; the low bits keep the last generation written. */
#define STRESS_GEN_ZERO 0x40000000u
#define STRESS_GEN_MASK 0x3fffffffu

struct stress_region {
	uint8_t *addr;
	size_t nchunks, npages;
	uint64_t seed;
	uint8_t *thp;			/* per chunk: 1 = MADV_HUGEPAGE, 0 = 4 KiB */
	uint32_t *gen;			/* per page, under its chunk's lock */
	pthread_rwlock_t *lock;		/* per chunk: the pages' content */
	/* Per chunk: migrations hold it shared, device READ/WRITE exclusive. */
	pthread_rwlock_t *move;
	/* Per chunk, odd while a writer holds it: a copy taken unlocked is
	 * only checkable if this did not move meanwhile. */
	_Atomic uint64_t *wseq;
};

void stress_page_fill(void *page, uint64_t seed, size_t index, uint32_t gen);
/*
 * Byte offset of the first 8-byte word of @page that differs from
 * generation @gen of page @index, or -1; @expected and @found get the words.
 */
long stress_page_check(const void *page, uint64_t seed, size_t index,
		       uint32_t gen, uint64_t *expected, uint64_t *found);
int stress_page_is_zero(const void *page);

/* Maps @nchunks PMD-aligned chunks, THP and 4 KiB mixed by @seed, filled. */
int region_map(struct stress_region *rg, size_t nchunks, uint64_t seed);
void region_unmap(struct stress_region *rg);
/* Fresh anonymous memory over pages [first, first+n) (mmap MAP_FIXED). */
int region_remap(struct stress_region *rg, size_t first, size_t n);
/* Re-applies the chunk's THP advice to pages [first, first+n). */
int region_advise(struct stress_region *rg, size_t first, size_t n);
int region_chunk_is_thp(const struct stress_region *rg, size_t page);
/* Whether chunk @c of a region made with @seed is a THP (else 4 KiB pages). */
int stress_chunk_is_thp(uint64_t seed, size_t c);
/*
 * Locks the chunks of [first, first+n) in ascending order. Move locks are
 * always taken before content locks.
 */
void region_lock(struct stress_region *rg, size_t first, size_t n, int write);
void region_unlock(struct stress_region *rg, size_t first, size_t n, int write);
void region_move_lock(struct stress_region *rg, size_t first, size_t n, int write);
void region_move_unlock(struct stress_region *rg, size_t first, size_t n);
/* The write sequences of the (at most 3) chunks [first, first+n) spans. */
void region_wseq(struct stress_region *rg, size_t first, size_t n, uint64_t seq[3]);
/* The next generation to write over a page whose state is @gen. */
uint32_t stress_gen_next(uint32_t gen);

#endif
