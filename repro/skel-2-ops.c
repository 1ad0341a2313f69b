/* --- operations that move or touch pages ----------------------------- */

/*
 * Migrates the range to the device; test_hmm copies it back into the
 * bounce buffer. @locked: the caller holds the range's write locks, so the
 * copy is checkable; otherwise only if no writer touched it meanwhile.
 * 0 moved, 1 the ioctl failed.
 */
static int to_dev(struct worker *w, const struct op *op, int locked)
{
	uint64_t before[3], after[3];
	int ret;

	wseq_read(op->first, op->npages, before);
	if (dev_cmd(HMM_DMIRROR_MIGRATE_TO_DEV, page_at(op->first), op->npages, w->bounce)) {
		w->errors++;
		return 1;
	}
	if (locked)
		return check(w, op, w->bounce, op->first, op->npages,
			     "migration to the device (device copy)");
	content_lock(op->first, op->npages, 0);
	wseq_read(op->first, op->npages, after);
	if (!memcmp(before, after, sizeof(before)) && !(before[0] & 1) &&
	    !(before[1] & 1) && !(before[2] & 1))
		ret = check(w, op, w->bounce, op->first, op->npages,
			    "migration to the device (device copy)");
	else
		ret = check_home(w, op, "migration to the device");
	content_unlock(op->first, op->npages, 0);
	return ret;
}

static int op_migrate_to_dev(struct worker *w, const struct op *op)
{
	return to_dev(w, op, 0) < 0 ? -1 : 0;
}

static int to_sys_checked(struct worker *w, const struct op *op)
{
	int ret;

	if (dev_cmd(HMM_DMIRROR_MIGRATE_TO_SYS, page_at(op->first), op->npages, NULL))
		w->errors++;
	content_lock(op->first, op->npages, 0);
	ret = check_home(w, op, "migration to system memory");
	content_unlock(op->first, op->npages, 0);
	return ret;
}

static int op_cpu_read(struct worker *w, const struct op *op)
{
	return check_home(w, op, "CPU read (fault back)");
}

static int op_cpu_write(struct worker *w, const struct op *op)
{
	fill(op->first, op->npages);
	return check_home(w, op, "CPU write (fault back)");
}

/*
 * Device READ/WRITE go ahead only on a range just migrated whole to the
 * device (SNAPSHOT says so), as hmmbench does; otherwise skipped. -1, 0
 * (go ahead) or 1 (skip).
 */
static int on_device(struct worker *w, const struct op *op, int write)
{
	int ret = to_dev(w, op, 1);

	if (ret)
		return ret;
	if (dev_cmd(HMM_DMIRROR_SNAPSHOT, page_at(op->first), op->npages, w->state)) {
		w->errors++;
		return 1;
	}
	for (size_t i = 0; i < op->npages; i++)
		if (!on_device_byte(w->state[i]) ||
		    (write && !(w->state[i] & HMM_DMIRROR_PROT_WRITE)))
			return 1;
	return 0;
}

static int dev_read_check(struct worker *w, const struct op *op, const char *after)
{
	if (dev_cmd(HMM_DMIRROR_READ, page_at(op->first), op->npages, w->bounce)) {
		w->errors++;
		return 0;
	}
	return check(w, op, w->bounce, op->first, op->npages, after);
}

static int op_dev_read(struct worker *w, const struct op *op)
{
	int ret = on_device(w, op, 0);

	if (ret)
		return ret < 0 ? ret : 0;
	return dev_read_check(w, op, "device read");
}

static int op_dev_write(struct worker *w, const struct op *op)
{
	int ret = on_device(w, op, 1);

	if (ret)
		return ret < 0 ? ret : 0;
	for (size_t i = 0; i < op->npages; i++)
		page_fill(w->bounce + i * PAGE_SZ, op->first + i, gen_next(g.gen[op->first + i]));
	if (dev_cmd(HMM_DMIRROR_WRITE, page_at(op->first), op->npages, w->bounce)) {
		w->errors++;
		fill(op->first, op->npages);
		return check_home(w, op, "CPU rewrite after a failed device write");
	}
	for (size_t i = 0; i < op->npages; i++)
		g.gen[op->first + i] = gen_next(g.gen[op->first + i]);
	if (op->arg & 1)
		return dev_read_check(w, op, "device write (read back by device)");
	return check_home(w, op, "device write (read by CPU)");
}

static int op_exclusive(struct worker *w, const struct op *op)
{
	if (dev_cmd(HMM_DMIRROR_EXCLUSIVE, page_at(op->first), op->npages, w->bounce))
		w->errors++;
	if (check_home(w, op, "exclusive access (CPU read)") || op_cpu_write(w, op))
		return -1;
	if (dev_cmd(HMM_DMIRROR_CHECK_EXCLUSIVE, page_at(op->first), op->npages, NULL))
		w->errors++;
	return 0;
}

static int op_snapshot(struct worker *w, const struct op *op)
{
	if (dev_cmd(HMM_DMIRROR_SNAPSHOT, page_at(op->first), op->npages, w->state))
		w->errors++;
	return 0;
}

/* The whole chunk of @op's first page, if it sits on the device as one THP. */
static int device_thp_chunk(struct worker *w, const struct op *op, struct op *chunk)
{
	*chunk = *op;
	chunk->first = op->first - op->first % PMD_PAGES;
	chunk->npages = PMD_PAGES;
	if (dev_cmd(HMM_DMIRROR_SNAPSHOT, page_at(chunk->first), PMD_PAGES, w->state))
		return 0;
	for (size_t i = 0; i < PMD_PAGES; i++)
		if (!on_device_byte(w->state[i]) || !(w->state[i] & HMM_DMIRROR_PROT_PMD))
			return 0;
	return 1;
}

/* Migrating a system page allocates: a left-over FAIL_ALLOC is used up. */
static void consume_fail_alloc(struct worker *w)
{
	g.sink[0]++;
	dev_cmd(HMM_DMIRROR_MIGRATE_TO_DEV, g.sink, 1, w->bounce);
	g.sink[1]++;
}

/*
 * FAIL_ALLOC: the next device or system allocation test_hmm makes for
 * this fd fails, whichever thread makes it; then a migration to the
 * device (arg % 3 == 0), back (1) or a CPU fault back (2).
 */
static int op_fail_alloc(struct worker *w, const struct op *op)
{
	int serial = RP_SERIAL_INJECTION;
	struct op chunk;
	int ret;

	if (serial)
		consume_fail_alloc(w);
	if (dev_cmd(HMM_DMIRROR_FLAGS, NULL, HMM_DMIRROR_FLAG_FAIL_ALLOC, NULL)) {
		w->errors++;
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
			content_lock(op->first, op->npages, 0);
		ret = op_cpu_read(w, serial ? &chunk : op);
		if (!serial)
			content_unlock(op->first, op->npages, 0);
		goto out;
	default:
		break;
	}
	ret = to_dev(w, op, serial) < 0 ? -1 : 0;
out:
	if (serial)
		consume_fail_alloc(w);
	return ret;
}

/* --- operations that change the VMAs --------------------------------- */

static int maybe_to_dev(struct worker *w, const struct op *op, int bit)
{
	if (!((op->arg >> bit) & 1))
		return 0;
	return to_dev(w, op, 1) < 0 ? -1 : 0;
}

/* munmap as mmap(MAP_FIXED) over the range: no other mapping takes the hole. */
static int op_munmap(struct worker *w, const struct op *op)
{
	void *p;

	if (maybe_to_dev(w, op, 0))
		return -1;
	p = mmap(page_at(op->first), op->npages * PAGE_SZ, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED || region_advise(op->first, op->npages))
		die(4, "REPRO-SETUP: mmap(MAP_FIXED) over pages %u+%u failed: %s",
		    op->first, op->npages, strerror(errno));
	expect_zero(op);
	if (check_home(w, op, "munmap (fresh mapping must read zero)"))
		return -1;
	fill(op->first, op->npages);
	return check_home(w, op, "munmap and refill");
}

static void rereserve_scratch(struct worker *w, uint8_t *away, size_t len)
{
	void *p = mmap(away, len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != MAP_FAILED)
		return;
	w->scratch = map_pmd_aligned(w->scratch_len, PROT_NONE, MAP_NORESERVE);
	if (!w->scratch)
		die(4, "REPRO-SETUP: no address space left for an mremap scratch area");
}

/* Away into the scratch area (same offset in the PMD) and back home. */
static int mremap_round_trip(struct worker *w, const struct op *op, int flags,
			     const char *what)
{
	size_t len = (size_t)op->npages * PAGE_SZ;
	uint8_t *home = page_at(op->first);
	uint8_t *away = w->scratch + (op->first % PMD_PAGES) * PAGE_SZ;
	void *p;

	if (maybe_to_dev(w, op, 0))
		return -1;
	p = mremap(home, len, len, MREMAP_MAYMOVE | MREMAP_FIXED | flags, away);
	if (p == MAP_FAILED) {
		w->errors++;
		return check_home(w, op, what);
	}
	if (flags & MREMAP_DONTUNMAP) {
		static __thread uint32_t saved[2 * PMD_PAGES];

		memcpy(saved, &g.gen[op->first], op->npages * sizeof(saved[0]));
		expect_zero(op);
		if (check_home(w, op, "mremap(MREMAP_DONTUNMAP): old range"))
			return -1;
		memcpy(&g.gen[op->first], saved, op->npages * sizeof(saved[0]));
	}
	if (((op->arg >> 1) & 1) && check(w, op, away, op->first, op->npages, what))
		return -1;
	p = mremap(away, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, home);
	if (p == MAP_FAILED)
		die(4, "REPRO-SETUP: mremap back home failed: %s", strerror(errno));
	rereserve_scratch(w, away, len);
	return check_home(w, op, what);
}

static int op_mremap(struct worker *w, const struct op *op)
{
	return mremap_round_trip(w, op, 0, "mremap away and back");
}

static int op_mremap_dontunmap(struct worker *w, const struct op *op)
{
	return mremap_round_trip(w, op, MREMAP_DONTUNMAP, "mremap(MREMAP_DONTUNMAP) away and back");
}

static void protect(const struct op *op, int prot)
{
	if (mprotect(page_at(op->first), (size_t)op->npages * PAGE_SZ, prot))
		die(4, "REPRO-SETUP: mprotect(%#x) of pages %u+%u failed: %s", prot,
		    op->first, op->npages, strerror(errno));
}

/*
 * arg % 3: 0 read-only pages migrated to the device (if arg bit 63);
 * 1 device pages made read-only; 2 PROT_NONE pages a migration must refuse.
 */
static int op_mprotect(struct worker *w, const struct op *op)
{
	switch (op->arg % 3) {
	case 0:
		protect(op, PROT_READ);
		if (maybe_to_dev(w, op, 63) ||
		    check_home(w, op, "mprotect(PROT_READ), migration, CPU read"))
			return -1;
		break;
	case 1:
		if (to_dev(w, op, 1) < 0)
			return -1;
		protect(op, PROT_READ);
		if (check_home(w, op, "device pages made read-only, CPU read"))
			return -1;
		break;
	default:
		protect(op, PROT_NONE);
		if (dev_cmd(HMM_DMIRROR_MIGRATE_TO_DEV, page_at(op->first), op->npages, w->bounce))
			w->errors++;
		break;
	}
	protect(op, PROT_READ | PROT_WRITE);
	fill(op->first, op->npages);
	return check_home(w, op, "mprotect back to read-write, CPU write");
}

static int op_madv_dontneed(struct worker *w, const struct op *op)
{
	if (maybe_to_dev(w, op, 0))
		return -1;
	if (madvise(page_at(op->first), (size_t)op->npages * PAGE_SZ, MADV_DONTNEED)) {
		w->errors++;
		return check_home(w, op, "failed MADV_DONTNEED");
	}
	expect_zero(op);
	if (check_home(w, op, "MADV_DONTNEED (must read zero)"))
		return -1;
	fill(op->first, op->npages);
	return check_home(w, op, "MADV_DONTNEED and refill");
}

static int op_madv_free(struct worker *w, const struct op *op)
{
	if (maybe_to_dev(w, op, 0))
		return -1;
	if (madvise(page_at(op->first), (size_t)op->npages * PAGE_SZ, MADV_FREE))
		w->errors++;
	for (size_t p = op->first; p < op->first + op->npages; p++)
		if ((!RP_PAGE_CHECKS || !page_is_zero(page_at(p))) &&
		    check(w, op, page_at(p), p, 1, "MADV_FREE"))
			return -1;
	fill(op->first, op->npages);
	return check_home(w, op, "MADV_FREE and refill");
}

/*
 * fork() with the range on the device: the child reads the first
 * 1 + arg % npages pages, writes every other one of them and reads them
 * again; the parent reads and writes its own copy meanwhile.
 */
static int op_fork(struct worker *w, const struct op *op)
{
	size_t touched = 1 + op->arg % op->npages;
	int status;
	pid_t pid;

	if (to_dev(w, op, 1) < 0)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		w->errors++;
		return 0;
	}
	if (!pid) {
		uint64_t want, got;

		for (int pass = 0; pass < 2; pass++)
			for (size_t p = op->first; p < op->first + touched; p++) {
				uint32_t gen = g.gen[p];

				if (pass && (p & 1))
					continue;
				if (pass) {
					gen = (gen & GEN_MASK) | GEN_CHILD;
					page_fill(page_at(p), p, gen);
				}
				if (!RP_PAGE_CHECKS) {
					(void)*(volatile uint64_t *)page_at(p);
					continue;
				}
				if (page_check(page_at(p), p, gen, &want, &got) >= 0) {
					printf("REPRO-FAIL: integrity error in a fork child at region page %zu (op #%lu of thread %u): expected 0x%016llx, found 0x%016llx\n",
					       p, w->index, w->id, (unsigned long long)want,
					       (unsigned long long)got);
					fflush(stdout);
					_exit(1);
				}
			}
		_exit(0);
	}
	if (check_home(w, op, "fork (in the parent)"))
		return -1;
	fill(op->first + op->npages / 2, op->npages - op->npages / 2);
	if (check_home(w, op, "fork (parent write)"))
		return -1;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die(1, "REPRO-FAIL: fork child of thread %u op #%lu %s %d", w->id, w->index,
		    WIFEXITED(status) ? "exited with status" : "was killed by signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return 0;
}

static int (*const op_run[OP_KINDS])(struct worker *, const struct op *) = {
	[OP_MIGRATE_TO_DEV] = op_migrate_to_dev, [OP_MIGRATE_TO_SYS] = to_sys_checked,
	[OP_CPU_READ] = op_cpu_read, [OP_CPU_WRITE] = op_cpu_write,
	[OP_DEV_READ] = op_dev_read, [OP_DEV_WRITE] = op_dev_write,
	[OP_EXCLUSIVE] = op_exclusive, [OP_SNAPSHOT] = op_snapshot,
	[OP_MUNMAP] = op_munmap, [OP_MREMAP] = op_mremap,
	[OP_MREMAP_DONTUNMAP] = op_mremap_dontunmap, [OP_MPROTECT] = op_mprotect,
	[OP_MADV_DONTNEED] = op_madv_dontneed, [OP_MADV_FREE] = op_madv_free,
	[OP_FORK] = op_fork, [OP_FAIL_ALLOC] = op_fail_alloc,
};

