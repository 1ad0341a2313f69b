// SPDX-License-Identifier: GPL-2.0
/* The per-thread operation logs (see oplog.h). */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "oplog.h"
#include "stress.h"

#define OPLOG_DEFAULT_CAP (1u << 20)

int oplog_set_alloc(struct oplog_set *s, unsigned int nthreads, uint64_t cap)
{
	memset(s, 0, sizeof(*s));
	s->cap = cap ? cap : OPLOG_DEFAULT_CAP;
	s->nthreads = nthreads;
	s->stride = (sizeof(struct oplog) + s->cap * sizeof(struct oplog_entry) + 4095) & ~4095UL;
	/* Untouched pages cost nothing: a short run uses a few of them. */
	s->base = mmap(NULL, s->stride * nthreads, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (s->base == MAP_FAILED) {
		s->base = NULL;
		return -ENOMEM;
	}
	for (unsigned int t = 0; t < nthreads; t++)
		oplog_of(s, t)->cap = s->cap;
	return 0;
}

void oplog_set_free(struct oplog_set *s)
{
	if (s->base)
		munmap(s->base, s->stride * s->nthreads);
	memset(s, 0, sizeof(*s));
}

struct oplog *oplog_of(const struct oplog_set *s, unsigned int thread)
{
	return (struct oplog *)(s->base + (size_t)thread * s->stride);
}

void oplog_set_reset(struct oplog_set *s)
{
	for (unsigned int t = 0; t < s->nthreads; t++)
		atomic_store(&oplog_of(s, t)->n, 0);
}

void oplog_add(struct oplog *log, const struct stress_op *op, unsigned int flags)
{
	uint64_t n = atomic_load_explicit(&log->n, memory_order_relaxed);
	struct oplog_entry *e = &log->e[n % log->cap];

	e->kind = (uint8_t)op->kind;
	e->flags = (uint8_t)flags;
	e->first = op->first;
	e->npages = op->npages;
	e->arg = op->arg;
	/* Release: whoever sees the count sees the entry. */
	atomic_store_explicit(&log->n, n + 1, memory_order_release);
}

uint64_t oplog_kept(const struct oplog *log, uint64_t n)
{
	return n < log->cap ? n : log->cap;
}

const struct oplog_entry *oplog_get(const struct oplog *log, uint64_t n, uint64_t i)
{
	uint64_t oldest = n - oplog_kept(log, n);

	return &log->e[(oldest + i) % log->cap];
}
