// SPDX-License-Identifier: GPL-2.0
/*
 * Operations that move or touch pages without changing the VMAs:
 * migrations both ways, CPU reads and writes (faulting device pages
 * back), device READ/WRITE, EXCLUSIVE, SNAPSHOT and FAIL_ALLOC. Each one
 * that may move a page checks the pages it moved.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "worker.h"

static struct hmm_dev *dev_of(struct stress_worker *w)
{
	return &w->ctx->dev;
}

/*
 * Device READ/WRITE run on a range they first migrated whole to the
 * device, holding it against every other operation. lib/test_hmm.c (7.2)
 * oopses otherwise: when a page of the range has no mirror entry, the
 * driver faults the rest of the range in through hmm_range_fault(), which
 * returns the device's own device-private pages as they are;
 * dmirror_do_fault() stores those (not their BACKING_PAGE) and
 * dmirror_do_read()/do_write() then copy from or to a page with no kernel
 * mapping ("BUG: unable to handle page fault" in dmirror_do_read). A page
 * MIGRATE_TO_DEV left in system memory keeps its entry only until anything
 * (compaction, reclaim) invalidates it, so the access goes ahead only when
 * SNAPSHOT shows every page on the device, each with the entry its
 * migration set; otherwise it is skipped and counted ("not-on-device").
 * A device WRITE also needs every page writable: for a read-only one the
 * driver faults the range for write, with the same result (an oops in
 * dmirror_write, seen with pages made read-only by an EXCLUSIVE round
 * trip).
 */
static int on_device(struct stress_worker *w, const struct stress_op *op, int write)
{
	struct hmm_dev *dev = dev_of(w);
	int ret;

	/* A device that cannot be read or written by ioctl (every GPU): nothing to do. */
	if (!hmm_dev_can(dev, HMM_CAP_DEV_RW)) {
		atomic_fetch_add(&w->st->skipped[op->kind], 1);
		return 1;
	}
	ret = stress_to_dev(w, op, 1);

	if (ret)
		return ret;
	ret = hmm_dev_snapshot(dev, stress_page(w, op->first), op->npages, w->state);
	if (ret) {
		stress_count_error(w, op, ret);
		return 1;
	}
	for (size_t i = 0; i < op->npages; i++) {
		if (!hmm_page_on_device(w->state[i]) ||
		    (write && !(w->state[i] & HMM_PAGE_WRITE))) {
			atomic_fetch_add(&w->st->skipped[op->kind], 1);
			return 1;
		}
	}
	return 0;
}

static int hook_wanted(struct stress_worker *w)
{
	const struct stress_config *cfg = w->ctx->cfg;

	return cfg->inject_corruption && w->id == 0 &&
	       !strcmp(cfg->sc->name, "migrate-fault") &&
	       !atomic_load(&w->ctx->sh->hook_corrupted);
}

/*
 * The test-only corruption: flips one byte of a device-resident page
 * through the device WRITE ioctl (the generation stays), then checks the
 * page as every operation does. Only in migrate-fault, holding the chunk
 * against every other operation, on a page of a 4 KiB chunk whose mirror
 * entry its own migration just set.
 */
int stress_hook_corrupt(struct stress_worker *w, const struct stress_op *op)
{
	struct stress_region *rg = &w->ctx->rg;
	struct hmm_dev *dev = dev_of(w);
	struct stress_op one = { OP_DEV_WRITE, op->first, 1, 0 };
	struct hmm_xfer x;
	size_t p = op->first;
	uint8_t st;
	int ret = 0;

	if (!hook_wanted(w) || region_chunk_is_thp(rg, p))
		return 0;
	region_move_lock(rg, p, 1, 1);
	region_lock(rg, p, 1, 1);
	/* Its mirror entry must be the one a migration set: see on_device(). */
	if (on_device(w, &one, 1) || hmm_dev_snapshot(dev, stress_page(w, p), 1, &st) ||
	    !hmm_page_on_device(st))
		goto out;
	stress_page_fill(w->bounce, rg->seed, p, rg->gen[p]);
	w->bounce[123] ^= 0xff;
	if (hmm_dev_write(dev, stress_page(w, p), 1, w->bounce, &x))
		goto out;
	atomic_store(&w->ctx->sh->hook_corrupted, 1);
	fprintf(stderr, "hmmbench: test hook: flipped byte 123 of device-resident page %p (region page %zu) through the device WRITE ioctl\n",
		(void *)stress_page(w, p), p);
	ret = stress_check(w, op, stress_page(w, p), p, 1, "test hook: device write",
			   stress_page(w, p));
out:
	region_unlock(rg, p, 1, 1);
	region_move_unlock(rg, p, 1);
	return ret;
}

static int seq_unchanged(const uint64_t a[3], const uint64_t b[3])
{
	for (int i = 0; i < 3; i++)
		if (a[i] != b[i] || (a[i] & 1))
			return 0;
	return 1;
}

/*
 * test_hmm copies what it migrated back through the bounce buffer: the
 * device's copy. Unless the caller holds the chunks' write locks, it is
 * checkable only if no writer touched them while the migration ran;
 * otherwise the pages are checked where they are.
 */
int stress_to_dev(struct stress_worker *w, const struct stress_op *op, int locked)
{
	struct stress_region *rg = &w->ctx->rg;
	struct hmm_dev *dev = dev_of(w);
	uint64_t before[3], after[3];
	struct hmm_xfer x;
	int ret;

	region_wseq(rg, op->first, op->npages, before);
	ret = hmm_dev_migrate_to_dev(dev, stress_page(w, op->first), op->npages,
				       w->bounce, &x);
	if (ret) {
		stress_count_error(w, op, ret);
		return 1;
	}
	/*
	 * Without dev-rw there is no device copy to check; checking the pages
	 * where they are would fault them straight back. Whatever touches
	 * them next checks them (and the final check after the close).
	 */
	if (!hmm_dev_can(dev, HMM_CAP_DEV_RW))
		return 0;
	if (locked)
		return stress_check(w, op, w->bounce, op->first, op->npages,
				    "migration to the device (device copy)",
				    stress_page(w, op->first));
	region_lock(rg, op->first, op->npages, 0);
	region_wseq(rg, op->first, op->npages, after);
	if (seq_unchanged(before, after))
		ret = stress_check(w, op, w->bounce, op->first, op->npages,
				   "migration to the device (device copy)",
				   stress_page(w, op->first));
	else
		ret = stress_check_home(w, op, "migration to the device");
	region_unlock(rg, op->first, op->npages, 0);
	return ret;
}

int stress_op_migrate_to_dev(struct stress_worker *w, const struct stress_op *op)
{
	int ret = stress_to_dev(w, op, 0);

	return ret < 0 ? ret : 0;
}

static int to_sys_checked(struct stress_worker *w, const struct stress_op *op)
{
	struct stress_region *rg = &w->ctx->rg;
	struct hmm_xfer x;
	int ret;

	ret = hmm_dev_migrate_to_sys(dev_of(w), stress_page(w, op->first),
					     op->npages, &x);
	if (ret)
		stress_count_error(w, op, ret);
	region_lock(rg, op->first, op->npages, 0);
	ret = stress_check_home(w, op, "migration to system memory");
	region_unlock(rg, op->first, op->npages, 0);
	return ret;
}

int stress_op_migrate_to_sys(struct stress_worker *w, const struct stress_op *op)
{
	return to_sys_checked(w, op);
}

int stress_op_cpu_read(struct stress_worker *w, const struct stress_op *op)
{
	return stress_check_home(w, op, "CPU read (fault back)");
}

int stress_op_cpu_write(struct stress_worker *w, const struct stress_op *op)
{
	stress_fill(w, op->first, op->npages);
	return stress_check_home(w, op, "CPU write (fault back)");
}

static int dev_read_check(struct stress_worker *w, const struct stress_op *op,
			  const char *after)
{
	struct hmm_xfer x;
	int ret;

	ret = hmm_dev_read(dev_of(w), stress_page(w, op->first),
				       op->npages, w->bounce, &x);
	if (ret) {
		stress_count_error(w, op, ret);
		return 0;
	}
	return stress_check(w, op, w->bounce, op->first, op->npages, after,
			    stress_page(w, op->first));
}

int stress_op_dev_read(struct stress_worker *w, const struct stress_op *op)
{
	int ret = on_device(w, op, 0);

	if (ret)
		return ret < 0 ? ret : 0;
	return dev_read_check(w, op, "device read");
}

int stress_op_dev_write(struct stress_worker *w, const struct stress_op *op)
{
	struct stress_region *rg = &w->ctx->rg;
	struct hmm_xfer x;
	int ret = on_device(w, op, 1);

	if (ret)
		return ret < 0 ? ret : 0;
	for (size_t i = 0; i < op->npages; i++) {
		size_t p = op->first + i;

		stress_page_fill(w->bounce + i * PAGE_SZ, rg->seed, p,
				 stress_gen_next(rg->gen[p]));
	}
	ret = hmm_dev_write(dev_of(w), stress_page(w, op->first),
					op->npages, w->bounce, &x);
	if (ret) {
		/* Some pages may have been written: start them over by CPU. */
		stress_count_error(w, op, ret);
		stress_fill(w, op->first, op->npages);
		return stress_check_home(w, op, "CPU rewrite after a failed device write");
	}
	for (size_t i = 0; i < op->npages; i++)
		rg->gen[op->first + i] = stress_gen_next(rg->gen[op->first + i]);
	if (op->arg & 1)
		return dev_read_check(w, op, "device write (read back by device)");
	return stress_check_home(w, op, "device write (read by CPU)");
}

/*
 * EXCLUSIVE makes the pages device-exclusive (atomic); a CPU access
 * restores them. After CPU reads and writes of every page none may still
 * be exclusive: CHECK_EXCLUSIVE answers EPERM if one is.
 */
int stress_op_exclusive(struct stress_worker *w, const struct stress_op *op)
{
	struct hmm_dev *dev = dev_of(w);
	struct hmm_xfer x;
	int ret;

	ret = hmm_dev_exclusive(dev, stress_page(w, op->first), op->npages, &x);
	if (ret)
		stress_count_error(w, op, ret);
	ret = stress_check_home(w, op, "exclusive access (CPU read)");
	if (ret)
		return ret;
	ret = stress_op_cpu_write(w, op);
	if (ret)
		return ret;
	ret = hmm_dev_check_exclusive(dev, stress_page(w, op->first), op->npages);
	if (ret)
		stress_count_error(w, op, ret);
	return 0;
}

int stress_op_snapshot(struct stress_worker *w, const struct stress_op *op)
{
	int ret = hmm_dev_snapshot(dev_of(w), stress_page(w, op->first),
					   op->npages, w->state);

	if (ret)
		stress_count_error(w, op, ret);
	return 0;
}

/* The whole chunk of @op's first page, if it sits on the device as one THP. */
static int device_thp_chunk(struct stress_worker *w, const struct stress_op *op,
			    struct stress_op *chunk)
{
	struct hmm_dev *dev = dev_of(w);

	*chunk = *op;
	chunk->first = op->first - op->first % PAGES_PER_PMD;
	chunk->npages = PAGES_PER_PMD;
	if (hmm_dev_snapshot(dev, stress_page(w, chunk->first), PAGES_PER_PMD, w->state))
		return 0;
	for (size_t i = 0; i < PAGES_PER_PMD; i++)
		if (!hmm_page_on_device(w->state[i]) || !(w->state[i] & HMM_PAGE_PMD))
			return 0;
	return 1;
}

/*
 * Makes sure no FAIL_ALLOC is left armed: migrating a system page to the
 * device allocates, and a failed order-0 allocation there only leaves the
 * page behind. The sink is written first so that it is a system page.
 */
static void consume_fail_alloc(struct stress_worker *w)
{
	struct hmm_dev *dev = dev_of(w);
	struct hmm_xfer x;

	w->ctx->sink[0]++;
	hmm_dev_migrate_to_dev(dev, w->ctx->sink, 1, w->bounce, &x);
	w->ctx->sink[1]++;
}

/*
 * FAIL_ALLOC is one-shot and per fd, and every thread shares the fd. In
 * the fail-alloc scenario the injecting operation runs alone (every other
 * operation holds ctx->solo for reading) and only where test_hmm handles
 * the failure: a migration to the device (a failed order-0 allocation
 * leaves the page in system memory; a failed THP splits), or a device THP
 * migrated or faulted back, whose failed THP allocation falls back to
 * 4 KiB pages. Not an order-0 device page coming back: lib/test_hmm.c
 * (7.2) then returns VM_FAULT_OOM/-ENOMEM from
 * dmirror_devmem_fault_alloc_and_copy() and calls migrate_vma_finalize()
 * without migrate_vma_pages(), which maps the half-prepared destination
 * folios and corrupts the LRU (a soft lockup in folio_batch_move_lru).
 * fail-alloc-race injects amid everything else and trips that.
 */
int stress_op_fail_alloc(struct stress_worker *w, const struct stress_op *op)
{
	int serial = w->ctx->cfg->sc->serial_injection;
	struct stress_op chunk;
	int ret;

	if (serial)
		consume_fail_alloc(w);	/* the sink starts in system memory */
	ret = hmm_dev_inject_fail_alloc(dev_of(w));
	if (ret) {
		stress_count_error(w, op, ret);
		return 0;
	}
	switch (op->arg % 3) {
	case 1:
		if (serial && !device_thp_chunk(w, op, &chunk))
			break;
		ret = to_sys_checked(w, serial ? &chunk : op);
		goto out;
	case 2:
		if (serial && !device_thp_chunk(w, op, &chunk))
			break;
		if (!serial)
			region_lock(&w->ctx->rg, op->first, op->npages, 0);
		ret = stress_op_cpu_read(w, serial ? &chunk : op);
		if (!serial)
			region_unlock(&w->ctx->rg, op->first, op->npages, 0);
		goto out;
	default:
		break;
	}
	ret = stress_to_dev(w, op, serial);
	ret = ret < 0 ? ret : 0;
out:
	if (serial)
		consume_fail_alloc(w);
	return ret;
}
