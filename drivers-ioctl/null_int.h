/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the null backend: null.c is the ops table, null_mem.c the pages
 * it holds (a table of 2 MiB chunks the fault handler can search without
 * a lock) and the CPU fault that brings them back.
 */
#ifndef HMMBENCH_NULL_INT_H
#define HMMBENCH_NULL_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "null.h"
#include "pagestate.h"

enum null_page { NP_SYS, NP_DEV, NP_EXCL };

struct null_dev {
	int corrupt;			/* ",corrupt": flip a byte on the way back */
	int bus;			/* ",bus": a test-only bus copy (memcpy) */
	_Atomic int fail_alloc;		/* armed by inject_fail_alloc, one-shot */
	_Atomic uint64_t calls[HMM_OP_COUNT];
	_Atomic uint64_t pages_to_dev, pmds_to_dev, pages_to_sys, pmds_to_sys;
	_Atomic uint64_t cpu_faults, splits, pages_left_behind;
};

struct null_chunk {
	uintptr_t base;			/* 2 MiB aligned */
	atomic_flag lock;		/* also taken by the fault handler */
	struct null_dev *owner;		/* whose device holds its pages */
	uint8_t state[PAGES_PER_PMD];	/* enum null_page */
	unsigned int ndev;		/* pages not in system memory */
	int pmd;			/* its device pages are one PMD entry */
	uint8_t *store;			/* the device copy, PMD_SZ bytes */
};

/* The chunk of @addr, created if @create; NULL if none (or the table is full). */
struct null_chunk *null_chunk_get(uintptr_t addr, int create);
void null_chunk_lock(struct null_chunk *c);
void null_chunk_unlock(struct null_chunk *c);
/*
 * Under the chunk's lock: forgets its pages when the mapping under them
 * was replaced (the first page it holds reads fine again); allocates the
 * device store when @need_store. 0 or -ENOMEM.
 */
int null_chunk_check(struct null_chunk *c, int need_store);
/* Page @i back to system memory: readable and writable again. */
void null_chunk_release_page(struct null_chunk *c, size_t i);
/* Every page @owner holds back to system memory (close, release). */
void null_release_all(struct null_dev *owner);
/* Installs the SIGSEGV handler once per process; 0 or -errno. */
int null_fault_handler_install(void);
/* 1 if @addr can be read now (not PROT_NONE, mapped), 0 if not. */
int null_readable(uintptr_t addr);

/* copy_bus: a memcpy with ",bus", else -EOPNOTSUPP and why (null_bus.c). */
int null_copy_bus(struct hmm_dev *dev, enum hmm_copy_dir dir, size_t bytes,
		  unsigned int reps, uint64_t *ns);

/* The MADV_HUGEPAGE ranges of this process around [start, end): "a THP formed". */
#define NULL_THP_RANGES 64
struct null_thp_map {
	size_t n;
	struct { uintptr_t start, end; } r[NULL_THP_RANGES];
};
void null_thp_map_read(uintptr_t start, uintptr_t end, struct null_thp_map *m);
int null_thp_covers(const struct null_thp_map *m, uintptr_t base);

#endif
