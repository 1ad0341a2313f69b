/*
 * How this program works. Each thread of the recorded run replays its own
 * list of operations, in order, over one region of 2 MiB chunks (each one a
 * THP or 4 KiB pages, as recorded) mirrored by /dev/hmm_dmirror0. The
 * operations are hmmbench's stress operations: each is a few system calls
 * (test_hmm ioctls, mmap, mremap, mprotect, madvise, fork) plus a check of
 * the pages it moved. Every page holds a pattern made from the seed, its
 * place in the region and a generation that goes up when it is rewritten.
 *
 * The ordering points are those of the recorded run: all threads start a
 * round together (a barrier); an operation takes the chunk locks the
 * recorder's run took (migrations share a chunk's "move" lock that device
 * READ/WRITE take alone; writers and VMA changes hold its "content" lock
 * alone, checkers share it), and an operation marked solo runs while no
 * other does. Everything else races, as it did when it was recorded.
 *
 * A round opens the device, maps and fills the region, runs every thread's
 * list (repeated until the thread has done as many operations as it did in
 * the recorded run), migrates the region back (unless the recorded run
 * closed with pages on the device), closes the device (which evicts what
 * is left) and checks every page. Rounds repeat until -t seconds passed.
 * With RP_KEEP_OPEN the device is opened once and closed only at exit, so a
 * bug that close() trips cannot hide one that the next round would.
 *
 * Exit status: 0 no failure seen by this program (a kernel report shows in
 * dmesg, not here), 1 integrity error, 2 SIGBUS/SIGSEGV inside an
 * operation, 3 an operation stuck past the watchdog, 4 setup failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* lib/test_hmm_uapi.h (Linux 6.0 and later; FLAGS since 6.19) */
struct hmm_dmirror_cmd {
	uint64_t addr;
	uint64_t ptr;
	uint64_t npages;
	uint64_t cpages;
	uint64_t faults;
};
#define HMM_DMIRROR_READ		_IOWR('H', 0x00, struct hmm_dmirror_cmd)
#define HMM_DMIRROR_WRITE		_IOWR('H', 0x01, struct hmm_dmirror_cmd)
#define HMM_DMIRROR_MIGRATE_TO_DEV	_IOWR('H', 0x02, struct hmm_dmirror_cmd)
#define HMM_DMIRROR_MIGRATE_TO_SYS	_IOWR('H', 0x03, struct hmm_dmirror_cmd)
#define HMM_DMIRROR_SNAPSHOT		_IOWR('H', 0x04, struct hmm_dmirror_cmd)
#define HMM_DMIRROR_EXCLUSIVE		_IOWR('H', 0x05, struct hmm_dmirror_cmd)
#define HMM_DMIRROR_CHECK_EXCLUSIVE	_IOWR('H', 0x06, struct hmm_dmirror_cmd)
#define HMM_DMIRROR_FLAGS		_IOWR('H', 0x08, struct hmm_dmirror_cmd)
#define HMM_DMIRROR_FLAG_FAIL_ALLOC	(1ULL << 0)
/* SNAPSHOT's bytes */
#define HMM_DMIRROR_PROT_WRITE		0x02
#define HMM_DMIRROR_PROT_PMD		0x04
#define HMM_DMIRROR_PROT_DEV_PRIVATE_LOCAL	0x20

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define PAGE_SZ 4096UL
#define PMD_SZ (2UL << 20)
#define PMD_PAGES (PMD_SZ / PAGE_SZ)

enum op_kind {
	OP_MIGRATE_TO_DEV, OP_MIGRATE_TO_SYS, OP_CPU_READ, OP_CPU_WRITE,
	OP_DEV_READ, OP_DEV_WRITE, OP_EXCLUSIVE, OP_SNAPSHOT,
	OP_MUNMAP, OP_MREMAP, OP_MREMAP_DONTUNMAP, OP_MPROTECT,
	OP_MADV_DONTNEED, OP_MADV_FREE, OP_FORK, OP_FAIL_ALLOC,
	OP_KINDS
};

/* One operation over pages [first, first + npages) of the region. */
struct op {
	uint8_t kind;
	uint8_t solo;		/* runs while no other operation does */
	uint32_t first, npages;
	uint64_t arg;		/* the operation's own choices (see each one) */
};

struct thread_ops {
	const struct op *ops;
	unsigned long nops;
	unsigned long per_round;	/* operations the recorded thread ran */
};

#include "repro_tables.h"

static const char *const op_names[OP_KINDS] = {
	"migrate-to-dev", "migrate-to-sys", "cpu-read", "cpu-write",
	"dev-read", "dev-write", "exclusive", "snapshot",
	"munmap", "mremap", "mremap-dontunmap", "mprotect",
	"madv-dontneed", "madv-free", "fork", "fail-alloc",
};

enum lock_mode { L_NONE, L_READ, L_WRITE };
/* The chunk locks each kind takes: { move, content }, as hmmbench does. */
static const uint8_t op_locks[OP_KINDS][2] = {
	[OP_MIGRATE_TO_DEV] = { L_READ, L_NONE }, [OP_MIGRATE_TO_SYS] = { L_READ, L_NONE },
	[OP_CPU_READ] = { L_NONE, L_READ }, [OP_CPU_WRITE] = { L_NONE, L_WRITE },
	[OP_DEV_READ] = { L_WRITE, L_WRITE }, [OP_DEV_WRITE] = { L_WRITE, L_WRITE },
	[OP_EXCLUSIVE] = { L_NONE, L_WRITE }, [OP_SNAPSHOT] = { L_NONE, L_NONE },
	[OP_MUNMAP] = { L_NONE, L_WRITE }, [OP_MREMAP] = { L_NONE, L_WRITE },
	[OP_MREMAP_DONTUNMAP] = { L_NONE, L_WRITE }, [OP_MPROTECT] = { L_NONE, L_WRITE },
	[OP_MADV_DONTNEED] = { L_NONE, L_WRITE }, [OP_MADV_FREE] = { L_NONE, L_WRITE },
	[OP_FORK] = { L_NONE, L_WRITE }, [OP_FAIL_ALLOC] = { L_READ, L_NONE },
};

#define GEN_ZERO 0x40000000u	/* the page must read as zeroes */
#define GEN_CHILD 0x80000000u	/* written by a fork child */
#define GEN_MASK 0x3fffffffu

struct worker {
	unsigned int id;
	pthread_t tid;
	int joined;
	uint8_t *bounce;	/* two chunks: test_hmm copies through it */
	uint8_t state[2 * PMD_PAGES];
	uint8_t *scratch;	/* PROT_NONE area mremap moves pages into */
	size_t scratch_len;
	unsigned long index;	/* the list entry it runs */
	unsigned long ran, errors;
	pid_t ktid;
	const struct op *cur;
	_Atomic uint64_t busy_since;	/* ns; 0 between operations */
	sigjmp_buf jb;
	volatile sig_atomic_t in_op;
	volatile int sig;
	void *volatile sig_addr;
};

static struct {
	int fd, null_dev, verbose;
	unsigned long watchdog_s;	/* -w */
	const char *device;
	uint8_t *addr;			/* the region */
	size_t npages;
	uint32_t gen[RP_NCHUNKS * PMD_PAGES];
	pthread_rwlock_t lock[RP_NCHUNKS], move[RP_NCHUNKS], solo;
	_Atomic uint64_t wseq[RP_NCHUNKS];
	pthread_barrier_t start;
	uint8_t *sink;			/* a page that consumes a left-over FAIL_ALLOC */
	_Atomic int stop, failed;
	uint64_t deadline_ns;
	struct worker w[RP_NTHREADS + 1];	/* the last one: the main thread's checks */
} g;

static __thread struct worker *current;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void die(int status, const char *fmt, ...)
{
	va_list ap;

	if (atomic_exchange(&g.failed, 1)) {
		for (;;)
			pause();	/* the first failure is being reported */
	}
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	_exit(status);
}

/* --- page patterns --------------------------------------------------- */

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t page_base(size_t index, uint32_t gen)
{
	return mix64(RP_SEED ^ mix64((uint64_t)index * PAGE_SZ + 1) ^ ((uint64_t)gen << 32));
}

/*
 * With RP_PAGE_CHECKS 0 only the first word of a page is written or read:
 * every page still faults in, out or back as it did, at a fraction of
 * the cost, but the contents are not checked (kernel reports only).
 */
static void page_fill(void *page, size_t index, uint32_t gen)
{
	uint64_t *w = page, v = page_base(index, gen);

	if (!RP_PAGE_CHECKS) {
		*(volatile uint64_t *)w = gen & GEN_ZERO ? 0 : v;
		return;
	}
	if (gen & GEN_ZERO) {
		memset(page, 0, PAGE_SZ);
		return;
	}
	for (size_t i = 0; i < PAGE_SZ / 8; i++, v += 0x9e3779b97f4a7c15ULL)
		w[i] = v;
}

static long page_check(const void *page, size_t index, uint32_t gen,
		       uint64_t *want, uint64_t *got)
{
	const volatile uint64_t *w = page;
	int zero = !!(gen & GEN_ZERO);
	uint64_t v = zero ? 0 : page_base(index, gen);

	for (size_t i = 0; i < PAGE_SZ / 8; i++, v += zero ? 0 : 0x9e3779b97f4a7c15ULL) {
		if (w[i] != v) {
			*want = v;
			*got = w[i];
			return (long)(i * 8);
		}
	}
	return -1;
}

static int page_is_zero(const void *page)
{
	const uint64_t *w = page;

	for (size_t i = 0; i < PAGE_SZ / 8; i++)
		if (w[i])
			return 0;
	return 1;
}

static uint32_t gen_next(uint32_t gen)
{
	uint32_t next = ((gen & GEN_MASK) + 1) & GEN_MASK;

	return next ? next : 1;
}

static uint8_t *page_at(size_t index)
{
	return g.addr + index * PAGE_SZ;
}

/* --- the device ------------------------------------------------------ */

/* -n: no device; each ioctl is done by the CPU, as test_hmm would copy. */
static int null_cmd(unsigned long req, struct hmm_dmirror_cmd *c)
{
	struct iovec local = { (void *)(uintptr_t)c->ptr, c->npages * PAGE_SZ };
	struct iovec remote = { (void *)(uintptr_t)c->addr, c->npages * PAGE_SZ };
	ssize_t n = 0;

	switch (req) {
	case HMM_DMIRROR_MIGRATE_TO_DEV:
	case HMM_DMIRROR_READ:
		n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
		break;
	case HMM_DMIRROR_WRITE:
		n = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
		break;
	case HMM_DMIRROR_SNAPSHOT:
		memset((void *)(uintptr_t)c->ptr, HMM_DMIRROR_PROT_DEV_PRIVATE_LOCAL |
		       HMM_DMIRROR_PROT_WRITE | 1, c->npages);
		break;
	default:
		break;
	}
	if (n < 0)
		return -EINVAL;
	c->cpages = c->npages;
	return 0;
}

static int dev_cmd(unsigned long req, const void *addr, uint64_t npages, void *ptr)
{
	struct hmm_dmirror_cmd c = { (uintptr_t)addr, (uintptr_t)ptr, npages, 0, 0 };
	int ret;

	if (g.null_dev)
		return null_cmd(req, &c);
	do {
		ret = ioctl(g.fd, req, &c);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : 0;
}

static int on_device_byte(uint8_t s)
{
	return s != 0xff && (s & 0xf0) >= HMM_DMIRROR_PROT_DEV_PRIVATE_LOCAL;
}

/* --- the region and its locks ---------------------------------------- */

static void *map_pmd_aligned(size_t len, int prot, int flags)
{
	size_t raw_len = len + PMD_SZ;
	uint8_t *raw = mmap(NULL, raw_len, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *al;

	if (raw == MAP_FAILED)
		return NULL;
	al = (uint8_t *)(((uintptr_t)raw + PMD_SZ - 1) & ~(PMD_SZ - 1));
	if (al > raw)
		munmap(raw, al - raw);
	munmap(al + len, raw + raw_len - (al + len));
	return al;
}

static int region_advise(size_t first, size_t n)
{
	for (size_t p = first; p < first + n;) {
		size_t end = (p / PMD_PAGES + 1) * PMD_PAGES;

		if (end > first + n)
			end = first + n;
		if (madvise(page_at(p), (end - p) * PAGE_SZ,
			    rp_thp[p / PMD_PAGES] ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
			return -errno;
		p = end;
	}
	return 0;
}

static void region_map(void)
{
	g.npages = RP_NCHUNKS * PMD_PAGES;
	g.addr = map_pmd_aligned(RP_NCHUNKS * PMD_SZ, PROT_READ | PROT_WRITE, 0);
	if (!g.addr || region_advise(0, g.npages))
		die(4, "REPRO-SETUP: cannot map and advise the %d MiB region: %s",
		    RP_NCHUNKS * 2, strerror(errno));
	for (size_t p = 0; p < g.npages; p++) {
		g.gen[p] = 1;
		page_fill(page_at(p), p, 1);
	}
}

#define FOR_CHUNKS(c, first, n) \
	for (size_t c = (first) / PMD_PAGES; c <= ((first) + (n) - 1) / PMD_PAGES; c++)

static void content_lock(size_t first, size_t n, int write)
{
	FOR_CHUNKS(c, first, n) {
		if (write) {
			pthread_rwlock_wrlock(&g.lock[c]);
			atomic_fetch_add(&g.wseq[c], 1);
		} else {
			pthread_rwlock_rdlock(&g.lock[c]);
		}
	}
}

static void content_unlock(size_t first, size_t n, int write)
{
	FOR_CHUNKS(c, first, n) {
		if (write)
			atomic_fetch_add(&g.wseq[c], 1);
		pthread_rwlock_unlock(&g.lock[c]);
	}
}

static void move_lock(size_t first, size_t n, int write)
{
	FOR_CHUNKS(c, first, n) {
		if (write)
			pthread_rwlock_wrlock(&g.move[c]);
		else
			pthread_rwlock_rdlock(&g.move[c]);
	}
}

static void move_unlock(size_t first, size_t n)
{
	FOR_CHUNKS(c, first, n)
		pthread_rwlock_unlock(&g.move[c]);
}

static void wseq_read(size_t first, size_t n, uint64_t seq[3])
{
	size_t c0 = first / PMD_PAGES, c1 = (first + n - 1) / PMD_PAGES;

	for (size_t i = 0; i < 3; i++)
		seq[i] = c0 + i <= c1 ? atomic_load(&g.wseq[c0 + i]) : 0;
}

/* --- checks ---------------------------------------------------------- */

static int mismatch(struct worker *w, const struct op *op, const char *after,
		    const uint8_t *where, size_t page, long off, uint64_t want,
		    uint64_t got, uint32_t gen)
{
	die(1, "REPRO-FAIL: integrity error at %p (region page %zu, byte %ld) after %s, thread %u op #%lu (%s pages %u+%u): expected 0x%016llx, found 0x%016llx, generation %u%s",
	    (void *)(where + off), page, off, after, w->id, w->index, op_names[op->kind],
	    op->first, op->npages, (unsigned long long)want, (unsigned long long)got,
	    gen & GEN_MASK, gen & GEN_ZERO ? " (zeroes expected)" : "");
	return -1;
}

/* Pages [first, first+n) as read from @data against their generations. */
static int check(struct worker *w, const struct op *op, const uint8_t *data,
		 size_t first, size_t n, const char *after)
{
	uint64_t want, got;

	for (size_t i = 0; i < n; i++) {
		long off;

		if (!RP_PAGE_CHECKS) {
			(void)*(const volatile uint64_t *)(data + i * PAGE_SZ);
			continue;
		}
		off = page_check(data + i * PAGE_SZ, first + i, g.gen[first + i], &want, &got);
		if (off >= 0)
			return mismatch(w, op, after, data + i * PAGE_SZ, first + i, off,
					want, got, g.gen[first + i]);
	}
	return 0;
}

static int check_home(struct worker *w, const struct op *op, const char *after)
{
	return check(w, op, page_at(op->first), op->first, op->npages, after);
}

static void fill(size_t first, size_t n)
{
	for (size_t p = first; p < first + n; p++) {
		g.gen[p] = gen_next(g.gen[p]);
		page_fill(page_at(p), p, g.gen[p]);
	}
}

static void expect_zero(const struct op *op)
{
	for (size_t p = op->first; p < op->first + op->npages; p++)
		g.gen[p] = (g.gen[p] & GEN_MASK) | GEN_ZERO;
}

