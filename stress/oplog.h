/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The operation log: every worker thread records each operation it
 * starts, as it runs it (after the dispatcher moved it onto 4 KiB chunks
 * or clipped it to the region), with whether it ran alone. The logs live
 * in shared memory mapped before the worker process forks, so the
 * controller can read them even when a worker is stuck in the kernel, and
 * turn them into a standalone reproducer (stress_write_repro()). Each log
 * is a ring: a run longer than its capacity keeps the latest operations.
 */
#ifndef HMMBENCH_STRESS_OPLOG_H
#define HMMBENCH_STRESS_OPLOG_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct stress_op;

#define OPLOG_SOLO 0x1

struct oplog_entry {
	uint8_t kind, flags;
	uint32_t first, npages;
	uint64_t arg;
};

struct oplog {
	_Atomic uint64_t n;	/* operations begun since the log was reset */
	uint64_t cap;
	struct oplog_entry e[];
};

struct oplog_set {
	unsigned int nthreads;
	uint64_t cap;
	size_t stride;
	uint8_t *base;
};

/* @cap entries per thread (0: the default, 1 Mi). 0 or -ENOMEM. */
int oplog_set_alloc(struct oplog_set *s, unsigned int nthreads, uint64_t cap);
void oplog_set_free(struct oplog_set *s);
struct oplog *oplog_of(const struct oplog_set *s, unsigned int thread);
/* Empties every log (a new worker process starts from scratch). */
void oplog_set_reset(struct oplog_set *s);
void oplog_add(struct oplog *log, const struct stress_op *op, unsigned int flags);
/* Entry @i (0 = the oldest kept) of the first @n recorded. */
const struct oplog_entry *oplog_get(const struct oplog *log, uint64_t n, uint64_t i);
/* How many of the first @n recorded the ring still holds. */
uint64_t oplog_kept(const struct oplog *log, uint64_t n);

#endif
