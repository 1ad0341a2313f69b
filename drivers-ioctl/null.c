// SPDX-License-Identifier: GPL-2.0
/*
 * The null backend's operations (see null.h for the model). Every range
 * operation walks the range chunk by chunk, each chunk under its lock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "null_int.h"

static struct null_dev *nd_of(struct hmm_dev *dev)
{
	return dev->priv;
}

/* A range operation on pages [i0, i1) of one chunk, under its lock. */
struct range_op {
	struct hmm_dev *dev;
	uintptr_t addr;			/* the range's first page */
	uint8_t *buf;			/* bounce or state array, by the range's page */
	struct null_thp_map thp;
	uint64_t entries;		/* cpages: one per PMD or 4 KiB page moved */
	int corrupted;			/* ",corrupt" flipped a byte in this call */
	int (*fn)(struct null_chunk *c, size_t i0, size_t i1, struct range_op *r);
};

static int walk(struct hmm_dev *dev, enum hmm_op op, void *addr, size_t npages,
		struct range_op *r)
{
	uintptr_t a = (uintptr_t)addr, end = a + npages * PAGE_SZ;

	atomic_fetch_add(&nd_of(dev)->calls[op], 1);
	if (a % PAGE_SZ || !npages || end < a)
		return -EINVAL;
	r->dev = dev;
	r->addr = a;
	while (a < end) {
		uintptr_t base = a & ~(PMD_SZ - 1);
		uintptr_t stop = end < base + PMD_SZ ? end : base + PMD_SZ;
		struct null_chunk *c = null_chunk_get(a, 1);
		int ret;

		if (!c)
			return -ENOMEM;
		null_chunk_lock(c);
		ret = r->fn(c, (a - base) / PAGE_SZ, (stop - base) / PAGE_SZ, r);
		null_chunk_unlock(c);
		if (ret)
			return ret;
		a = stop;
	}
	return 0;
}

static uint8_t *page_of(const struct null_chunk *c, size_t i)
{
	return (uint8_t *)(c->base + i * PAGE_SZ);
}

/* Where page @i of @c sits in the caller's bounce buffer or state array. */
static size_t index_in_range(const struct range_op *r, const struct null_chunk *c, size_t i)
{
	return (c->base + i * PAGE_SZ - r->addr) / PAGE_SZ;
}

/* mprotect() the pages of [i0, i1) whose @mark is set, in runs. */
static void protect_marked(struct null_chunk *c, size_t i0, size_t i1, const uint8_t *mark,
			   int prot)
{
	for (size_t i = i0; i < i1; i++) {
		size_t j = i;

		if (!mark[i])
			continue;
		while (j < i1 && mark[j])
			j++;
		mprotect(page_of(c, i), (j - i) * PAGE_SZ, prot);
		i = j;
	}
}

/* An injected failure splits the THP: it stays split (MADV_NOHUGEPAGE). */
static void split_thp(struct null_chunk *c, struct null_dev *nd)
{
	madvise((void *)c->base, PMD_SZ, MADV_NOHUGEPAGE);
	atomic_fetch_add(&nd->splits, 1);
}

static int chunk_to_dev(struct null_chunk *c, size_t i0, size_t i1, struct range_op *r)
{
	struct null_dev *nd = nd_of(r->dev);
	int thp = null_thp_covers(&r->thp, c->base);
	int whole = i0 == 0 && i1 == PAGES_PER_PMD && thp && hmm_dev_can(r->dev, HMM_CAP_THP_PMD);
	uint8_t moved[PAGES_PER_PMD] = { 0 };
	size_t n = 0;

	if (null_chunk_check(c, 1))
		return -ENOMEM;
	if (c->ndev && c->owner != nd)
		return -EBUSY;		/* another device holds pages of it */
	c->owner = nd;
	whole = whole && !c->ndev;
	if (whole && atomic_exchange(&nd->fail_alloc, 0)) {
		split_thp(c, nd);
		whole = 0;
	} else if (thp && !whole) {
		madvise((void *)c->base, PMD_SZ, MADV_NOHUGEPAGE);	/* a part moves: split */
	}
	for (size_t i = i0; i < i1; i++) {
		if (c->state[i] != NP_SYS)
			continue;
		if (!whole && atomic_exchange(&nd->fail_alloc, 0)) {
			atomic_fetch_add(&nd->pages_left_behind, 1);
			continue;
		}
		moved[i] = 1;
		n++;
	}
	/*
	 * Read-only first, as the kernel's migration entries hold off
	 * writers: a CPU write now faults, waits for the chunk, and brings
	 * the page back after the copy instead of changing it under it.
	 */
	protect_marked(c, i0, i1, moved, PROT_READ);
	for (size_t i = i0; i < i1; i++) {
		if (!moved[i])
			continue;
		memcpy(c->store + i * PAGE_SZ, page_of(c, i), PAGE_SZ);
		c->state[i] = NP_DEV;
		c->ndev++;
	}
	c->pmd = whole;
	r->entries += whole ? 1 : n;
	atomic_fetch_add(whole ? &nd->pmds_to_dev : &nd->pages_to_dev, whole ? 1 : n);
	/* test_hmm copies what the device holds back into the bounce buffer. */
	for (size_t i = i0; r->buf && i < i1; i++)
		memcpy(r->buf + index_in_range(r, c, i) * PAGE_SZ,
		       c->state[i] == NP_SYS ? page_of(c, i) : c->store + i * PAGE_SZ, PAGE_SZ);
	protect_marked(c, i0, i1, moved, PROT_NONE);
	return 0;
}

static int null_migrate_to_dev(struct hmm_dev *dev, void *addr, size_t npages, void *bounce,
			       struct hmm_xfer *xfer)
{
	struct range_op r = { .fn = chunk_to_dev };
	int ret;

	/* Without dev-rw the "device" cannot be read: like a GPU, no copy back. */
	r.buf = hmm_dev_can(dev, HMM_CAP_DEV_RW) ? bounce : NULL;
	null_thp_map_read((uintptr_t)addr, (uintptr_t)addr + npages * PAGE_SZ, &r.thp);
	ret = walk(dev, HMM_OP_MIGRATE_TO_DEV, addr, npages, &r);
	xfer->cpages = r.entries;
	xfer->faults = 0;
	return ret;
}

static int chunk_to_sys(struct null_chunk *c, size_t i0, size_t i1, struct range_op *r)
{
	struct null_dev *nd = nd_of(r->dev);
	int whole = c->pmd && i0 == 0 && i1 == PAGES_PER_PMD;
	size_t n = 0, first = i1;

	null_chunk_check(c, 0);
	if (c->pmd && (!whole || atomic_exchange(&nd->fail_alloc, 0))) {
		if (whole)
			split_thp(c, nd);	/* the order-9 allocation failed */
		else
			madvise((void *)c->base, PMD_SZ, MADV_NOHUGEPAGE);
		whole = 0;
		c->pmd = 0;		/* the device PMD is split: 4 KiB pages come back */
	}
	for (size_t i = i0; i < i1; i++) {
		if (c->state[i] != NP_DEV)
			continue;
		if (!c->pmd && !whole && atomic_exchange(&nd->fail_alloc, 0)) {
			atomic_fetch_add(&nd->pages_left_behind, 1);
			continue;
		}
		if (!c->pmd)
			null_chunk_release_page(c, i);
		first = first < i ? first : i;
		n++;
	}
	if (c->pmd) {
		mprotect((void *)c->base, PMD_SZ, PROT_READ | PROT_WRITE);
		memset(c->state, NP_SYS, sizeof(c->state));
		c->ndev = 0;
		c->pmd = 0;
	}
	if (nd->corrupt && n && !r->corrupted) {
		page_of(c, first)[123] ^= 0xff;
		r->corrupted = 1;	/* once per call */
	}
	r->entries += whole ? 1 : n;
	atomic_fetch_add(whole ? &nd->pmds_to_sys : &nd->pages_to_sys, whole ? 1 : n);
	null_chunk_check(c, 0);
	return 0;
}

static int null_migrate_to_sys(struct hmm_dev *dev, void *addr, size_t npages,
			       struct hmm_xfer *xfer)
{
	struct range_op r = { .fn = chunk_to_sys };
	int ret = walk(dev, HMM_OP_MIGRATE_TO_SYS, addr, npages, &r);

	xfer->cpages = r.entries;
	xfer->faults = 0;
	return ret;
}

static int chunk_snapshot(struct null_chunk *c, size_t i0, size_t i1, struct range_op *r)
{
	uint8_t sys = HMM_PAGE_WRITE | (null_thp_covers(&r->thp, c->base) ? HMM_PAGE_PMD : 0);
	uint8_t dev = HMM_PAGE_DEV_PRIVATE_LOCAL | HMM_PAGE_WRITE | (c->pmd ? HMM_PAGE_PMD : 0);

	null_chunk_check(c, 0);
	for (size_t i = i0; i < i1; i++)
		r->buf[index_in_range(r, c, i)] = c->state[i] == NP_DEV ? dev
						: c->state[i] == NP_EXCL ? HMM_PAGE_READ : sys;
	return 0;
}

static int null_snapshot(struct hmm_dev *dev, void *addr, size_t npages, uint8_t *state)
{
	struct range_op r = { .fn = chunk_snapshot, .buf = state };

	null_thp_map_read((uintptr_t)addr, (uintptr_t)addr + npages * PAGE_SZ, &r.thp);
	return walk(dev, HMM_OP_SNAPSHOT, addr, npages, &r);
}

/* Device READ: what the device holds, or the page itself in system memory. */
static int chunk_read(struct null_chunk *c, size_t i0, size_t i1, struct range_op *r)
{
	null_chunk_check(c, 0);
	for (size_t i = i0; i < i1; i++)
		memcpy(r->buf + index_in_range(r, c, i) * PAGE_SZ,
		       c->state[i] == NP_SYS ? page_of(c, i) : c->store + i * PAGE_SZ, PAGE_SZ);
	r->entries += i1 - i0;
	return 0;
}

/* Device WRITE: the page keeps what the device holds, so both are written. */
static int chunk_write(struct null_chunk *c, size_t i0, size_t i1, struct range_op *r)
{
	null_chunk_check(c, 0);
	for (size_t i = i0; i < i1; i++) {
		const uint8_t *src = r->buf + index_in_range(r, c, i) * PAGE_SZ;

		if (c->state[i] != NP_SYS) {
			memcpy(c->store + i * PAGE_SZ, src, PAGE_SZ);
			mprotect(page_of(c, i), PAGE_SZ, PROT_READ | PROT_WRITE);
		}
		memcpy(page_of(c, i), src, PAGE_SZ);
		if (c->state[i] != NP_SYS)
			mprotect(page_of(c, i), PAGE_SZ, PROT_NONE);
	}
	r->entries += i1 - i0;
	return 0;
}

static int null_dev_read(struct hmm_dev *dev, void *addr, size_t npages, void *bounce,
			 struct hmm_xfer *xfer)
{
	struct range_op r = { .fn = chunk_read, .buf = bounce };
	int ret = walk(dev, HMM_OP_DEV_READ, addr, npages, &r);

	xfer->cpages = r.entries;
	return ret;
}

static int null_dev_write(struct hmm_dev *dev, void *addr, size_t npages, void *bounce,
			  struct hmm_xfer *xfer)
{
	struct range_op r = { .fn = chunk_write, .buf = bounce };
	int ret = walk(dev, HMM_OP_DEV_WRITE, addr, npages, &r);

	xfer->cpages = r.entries;
	return ret;
}

/* EXCLUSIVE: the device holds system pages exclusively until a CPU access. */
static int chunk_exclusive(struct null_chunk *c, size_t i0, size_t i1, struct range_op *r)
{
	uint8_t mark[PAGES_PER_PMD] = { 0 };

	if (null_chunk_check(c, 1))
		return -ENOMEM;
	if (c->ndev && c->owner != nd_of(r->dev))
		return -EBUSY;
	c->owner = nd_of(r->dev);
	for (size_t i = i0; i < i1; i++)
		mark[i] = c->state[i] == NP_SYS;
	protect_marked(c, i0, i1, mark, PROT_READ);	/* see chunk_to_dev() */
	for (size_t i = i0; i < i1; i++) {
		if (!mark[i])
			continue;
		memcpy(c->store + i * PAGE_SZ, page_of(c, i), PAGE_SZ);
		c->state[i] = NP_EXCL;
		c->ndev++;
	}
	protect_marked(c, i0, i1, mark, PROT_NONE);
	r->entries += i1 - i0;
	return 0;
}

static int chunk_check_exclusive(struct null_chunk *c, size_t i0, size_t i1, struct range_op *r)
{
	(void)r;
	null_chunk_check(c, 0);
	for (size_t i = i0; i < i1; i++)
		if (c->state[i] == NP_EXCL)
			return -EPERM;
	return 0;
}

static int null_exclusive(struct hmm_dev *dev, void *addr, size_t npages, struct hmm_xfer *xfer)
{
	struct range_op r = { .fn = chunk_exclusive };
	int ret = walk(dev, HMM_OP_EXCLUSIVE, addr, npages, &r);

	xfer->cpages = r.entries;
	return ret;
}

static int null_check_exclusive(struct hmm_dev *dev, void *addr, size_t npages)
{
	struct range_op r = { .fn = chunk_check_exclusive };

	return walk(dev, HMM_OP_CHECK_EXCLUSIVE, addr, npages, &r);
}

static int null_inject_fail_alloc(struct hmm_dev *dev)
{
	atomic_fetch_add(&nd_of(dev)->calls[HMM_OP_FAIL_ALLOC], 1);
	atomic_store(&nd_of(dev)->fail_alloc, 1);
	return 0;
}

static int null_release(struct hmm_dev *dev)
{
	atomic_fetch_add(&nd_of(dev)->calls[HMM_OP_RELEASE], 1);
	null_release_all(nd_of(dev));
	return 0;
}

/* "null[,no-CAP...][,corrupt][,bus]": the capabilities switched off, into @off. */
static int parse_path(const char *path, unsigned int *off, int *corrupt, int *bus)
{
	char buf[64], *save, *tok;

	if (strncmp(path, "null", 4) || (path[4] && path[4] != ','))
		return -ENOENT;
	snprintf(buf, sizeof(buf), "%s", path + 4);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned int cap = 0;

		if (!strcmp(tok, "corrupt")) {
			*corrupt = 1;
			continue;
		}
		if (!strcmp(tok, "bus")) {
			*bus = 1;
			continue;
		}
		for (int i = 0; !strncmp(tok, "no-", 3) && i < HMM_CAP_COUNT; i++)
			if (!strcmp(tok + 3, hmm_cap_name(1u << i)))
				cap = 1u << i;
		if (!cap)
			return -EINVAL;
		*off |= cap;
	}
	return 0;
}

static int null_open(struct hmm_dev *dev, const char *path)
{
	unsigned int off = 0;
	int corrupt = 0, bus = 0, ret = parse_path(path, &off, &corrupt, &bus);

	if (ret)
		return ret;
	dev->priv = calloc(1, sizeof(struct null_dev));
	if (!dev->priv)
		return -ENOMEM;
	nd_of(dev)->corrupt = corrupt;
	nd_of(dev)->bus = bus;
	dev->caps = off;	/* what to switch off; probe_caps turns it around */
	return null_fault_handler_install();
}

static int null_probe_caps(struct hmm_dev *dev)
{
	unsigned int off = dev->caps;

	dev->caps = 0;
	for (int i = 0; i < HMM_CAP_COUNT; i++) {
		enum hmm_cap cap = 1u << i;

		if (cap == HMM_CAP_DEV_COHERENT)
			hmm_dev_set_cap(dev, cap, 0, "the null device models device-private memory");
		else if (off & cap)
			hmm_dev_set_cap(dev, cap, 0, "switched off in the null device's path (%s)",
					dev->path);
		else
			hmm_dev_set_cap(dev, cap, 1, NULL);
	}
	return 0;
}

static void null_close(struct hmm_dev *dev)
{
	if (!dev->priv)
		return;
	null_release_all(nd_of(dev));
	free(dev->priv);
	dev->priv = NULL;
}

void null_dev_stats(const struct hmm_dev *dev, struct null_stats *st)
{
	const struct null_dev *nd = dev->priv;

	for (int i = 0; i < HMM_OP_COUNT; i++)
		st->calls[i] = nd->calls[i];
	st->pages_to_dev = nd->pages_to_dev;
	st->pmds_to_dev = nd->pmds_to_dev;
	st->pages_to_sys = nd->pages_to_sys;
	st->pmds_to_sys = nd->pmds_to_sys;
	st->cpu_faults = nd->cpu_faults;
	st->splits = nd->splits;
	st->pages_left_behind = nd->pages_left_behind;
}

static const char *const null_paths[] = { "null", NULL };

const struct hmm_backend_ops null_backend = {
	.name = "null",
	.describe = "tests only: system memory standing in for a device (memcpy, PROT_NONE, SIGSEGV)",
	.default_paths = null_paths,
	.open = null_open,
	.probe_caps = null_probe_caps,
	.migrate_to_dev = null_migrate_to_dev,
	.migrate_to_sys = null_migrate_to_sys,
	.snapshot = null_snapshot,
	.dev_read = null_dev_read,
	.dev_write = null_dev_write,
	.exclusive = null_exclusive,
	.check_exclusive = null_check_exclusive,
	.inject_fail_alloc = null_inject_fail_alloc,
	.release = null_release,
	.copy_bus = null_copy_bus,
	.close = null_close,
};
