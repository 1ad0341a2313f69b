// SPDX-License-Identifier: GPL-2.0
/*
 * Operations that change the VMAs under pages that may sit on the device:
 * munmap (also inside a THP), mremap with and without MREMAP_DONTUNMAP,
 * mprotect and MADV_DONTNEED/MADV_FREE. They hold their chunks' write
 * locks, so only the unlocked migrations of other threads race them, and
 * they leave the region mapped as they found it.
 */
#include <errno.h>
#include <sys/mman.h>

#include "worker.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

/* Optionally puts the range on the device first, so the change hits device pages. */
static int maybe_to_dev(struct stress_worker *w, const struct stress_op *op, int bit)
{
	int ret;

	if (!((op->arg >> bit) & 1))
		return 0;
	ret = stress_to_dev(w, op, 1);
	return ret < 0 ? ret : 0;
}

static void expect_zero(struct stress_worker *w, const struct stress_op *op)
{
	uint32_t *gen = w->ctx->rg.gen;

	for (size_t p = op->first; p < op->first + op->npages; p++)
		gen[p] = (gen[p] & STRESS_GEN_MASK) | STRESS_GEN_ZERO;
}

/*
 * mmap(MAP_FIXED) over the range: the kernel unmaps the old pages (device
 * ones included, splitting a THP when the range is part of one) and maps
 * fresh ones under one mmap_lock, so no other mapping can take the hole
 * the way it could between munmap() and a new mmap().
 */
int stress_op_munmap(struct stress_worker *w, const struct stress_op *op)
{
	int ret = maybe_to_dev(w, op, 0);

	if (ret)
		return ret;
	ret = region_remap(&w->ctx->rg, op->first, op->npages);
	if (ret)
		return stress_harness_fail(w, op, "mmap(MAP_FIXED) over pages %u+%u failed: %d",
					   op->first, op->npages, ret);
	expect_zero(w, op);
	ret = stress_check_home(w, op, "munmap (fresh mapping must read zero)");
	if (ret)
		return ret;
	stress_fill(w, op->first, op->npages);
	return stress_check_home(w, op, "munmap and refill");
}

/*
 * Puts the scratch reservation back over the hole the pages left. If some
 * other mapping took the hole meanwhile, that one is not ours to replace:
 * reserve a new scratch area instead.
 */
static int rereserve_scratch(struct stress_worker *w, uint8_t *away, size_t len)
{
	uint8_t *fresh;
	void *p = mmap(away, len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
		       -1, 0);

	if (p != MAP_FAILED)
		return 0;
	fresh = hmm_mmap_pmd_aligned(w->scratch_len, PROT_NONE, MAP_NORESERVE);
	if (!fresh)
		return -errno;
	/* The old reservation is leaked on purpose: part of it is not ours. */
	w->scratch = fresh;
	return 0;
}

/*
 * Moves the range into the scratch reservation (same offset in the PMD,
 * so whole PMDs move as PMDs), optionally checks it there, moves it home
 * and checks it there.
 */
static int mremap_round_trip(struct stress_worker *w, const struct stress_op *op,
			     int flags, const char *what)
{
	size_t len = (size_t)op->npages * PAGE_SZ;
	uint8_t *home = stress_page(w, op->first);
	uint8_t *away = w->scratch + (op->first % PAGES_PER_PMD) * PAGE_SZ;
	int ret = maybe_to_dev(w, op, 0);
	void *p;

	if (ret)
		return ret;
	p = mremap(home, len, len, MREMAP_MAYMOVE | MREMAP_FIXED | flags, away);
	if (p == MAP_FAILED) {
		stress_count_error(w, op, errno);
		return stress_check_home(w, op, what);
	}
	if (flags & MREMAP_DONTUNMAP) {
		/* The old range stays mapped, empty: it must read as zeroes. */
		uint32_t *gen = w->ctx->rg.gen, saved[2 * PAGES_PER_PMD];

		for (size_t i = 0; i < op->npages; i++)
			saved[i] = gen[op->first + i];
		expect_zero(w, op);
		ret = stress_check_home(w, op, "mremap(MREMAP_DONTUNMAP): old range");
		for (size_t i = 0; i < op->npages; i++)
			gen[op->first + i] = saved[i];
		if (ret)
			return ret;
	}
	if ((op->arg >> 1) & 1) {
		ret = stress_check(w, op, away, op->first, op->npages, what, away);
		if (ret)
			return ret;
	}
	p = mremap(away, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, home);
	if (p == MAP_FAILED)
		return stress_harness_fail(w, op, "mremap back home to %p failed: errno %d; the region has a hole",
					   (void *)home, errno);
	if (rereserve_scratch(w, away, len))
		return stress_harness_fail(w, op, "no address space left for a new mremap scratch area");
	return stress_check_home(w, op, what);
}

int stress_op_mremap(struct stress_worker *w, const struct stress_op *op)
{
	return mremap_round_trip(w, op, 0, "mremap away and back");
}

int stress_op_mremap_dontunmap(struct stress_worker *w, const struct stress_op *op)
{
	return mremap_round_trip(w, op, MREMAP_DONTUNMAP,
				 "mremap(MREMAP_DONTUNMAP) away and back");
}

static int protect(struct stress_worker *w, const struct stress_op *op, int prot)
{
	if (mprotect(stress_page(w, op->first), (size_t)op->npages * PAGE_SZ, prot))
		return stress_harness_fail(w, op, "mprotect(%#x) of pages %u+%u failed: errno %d",
					   prot, op->first, op->npages, errno);
	return 0;
}

/*
 * Three orders: read-only pages migrated to the device; device pages made
 * read-only and read and written back; PROT_NONE pages, which no
 * migration may take (EINVAL is counted, as any errno).
 */
int stress_op_mprotect(struct stress_worker *w, const struct stress_op *op)
{
	int ret;

	switch (op->arg % 3) {
	case 0:
		ret = protect(w, op, PROT_READ);
		if (!ret)
			ret = maybe_to_dev(w, op, 63);
		if (!ret)
			ret = stress_check_home(w, op, "mprotect(PROT_READ), migration, CPU read");
		break;
	case 1:
		ret = stress_to_dev(w, op, 1);
		ret = ret < 0 ? ret : 0;
		if (!ret)
			ret = protect(w, op, PROT_READ);
		if (!ret)
			ret = stress_check_home(w, op, "device pages made read-only, CPU read");
		break;
	default:
		ret = protect(w, op, PROT_NONE);
		if (!ret) {
			struct hmm_xfer x;
			int err = hmm_dev_migrate_to_dev(&w->ctx->dev,
					stress_page(w, op->first), op->npages, w->bounce, &x);

			if (err)
				stress_count_error(w, op, err);
		}
		break;
	}
	if (ret)
		return ret;
	ret = protect(w, op, PROT_READ | PROT_WRITE);
	if (ret)
		return ret;
	stress_fill(w, op->first, op->npages);
	return stress_check_home(w, op, "mprotect back to read-write, CPU write");
}

int stress_op_madv_dontneed(struct stress_worker *w, const struct stress_op *op)
{
	int ret = maybe_to_dev(w, op, 0);

	if (ret)
		return ret;
	if (madvise(stress_page(w, op->first), (size_t)op->npages * PAGE_SZ, MADV_DONTNEED)) {
		stress_count_error(w, op, errno);
		return stress_check_home(w, op, "failed MADV_DONTNEED");
	}
	expect_zero(w, op);
	ret = stress_check_home(w, op, "MADV_DONTNEED (must read zero)");
	if (ret)
		return ret;
	stress_fill(w, op->first, op->npages);
	return stress_check_home(w, op, "MADV_DONTNEED and refill");
}

/* MADV_FREE pages may read as before or as zeroes, until written. */
int stress_op_madv_free(struct stress_worker *w, const struct stress_op *op)
{
	int ret = maybe_to_dev(w, op, 0);

	if (ret)
		return ret;
	if (madvise(stress_page(w, op->first), (size_t)op->npages * PAGE_SZ, MADV_FREE))
		stress_count_error(w, op, errno);
	ret = stress_check_or_zero(w, op, op->first, op->npages, "MADV_FREE");
	if (ret)
		return ret;
	stress_fill(w, op->first, op->npages);
	return stress_check_home(w, op, "MADV_FREE and refill");
}
