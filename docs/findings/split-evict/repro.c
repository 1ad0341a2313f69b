// SPDX-License-Identifier: GPL-2.0
/*
 * Reproducer: kernel Oops in close-evict: BUG: unable to handle page fault for address: ff1100001873c000
 *
 * Written by hand, not recorded:
 * On 2026-12-06, from the analysis in hmmbench's docs/findings/close-evict (the
 * write past a page), to do only what it blames. One thread migrates a THP (chunk
 * 0) to the device, then migrates one of its pages (page 1) back to RAM, which
 * splits the device THP and leaves its head on the device; the round then closes
 * the device with the head still there, and dmirror_device_evict_chunk() copies it
 * with folio_copy() from a backing head that dmirror_devmem_folio_split() left
 * with PG_head set and order 0.
 * The failure below was recorded by hmmbench stress (scenario close-evict,
 * seed 1) on Linux 7.2.13-zapfix.
 * 2 operations in 1 thread, 4 MiB region.
 *
 * Build and run as root on a kernel with CONFIG_TEST_HMM=y (lib/test_hmm.c;
 * the test_hmm uapi is inlined below, nothing else is needed):
 *   gcc -static -pthread -O2 -o repro repro.c
 *   ./repro -t 60     # rounds of the recorded operations for 60 s; -v prints each
 * then look at dmesg. Exit 1-3: this program saw the failure itself.
 *
 * What the kernel printed when it was recorded:
 *   BUG: unable to handle page fault for address: ff1100001873c000
 *   #PF: supervisor write access in kernel mode
 *   #PF: error_code(0x0002) - not-present page
 *   PGD 45d3067 P4D 45d4067 PUD 45d5067 PMD 7f544067 PTE 800fffffe78c3020
 *   Oops: Oops: 0002 [#1] SMP DEBUG_PAGEALLOC KASAN
 *   CPU: 0 UID: 0 PID: 264 Comm: hmmbench Not tainted 7.2.13-zapfix #1 PREEMPTLAZY  
 *   RIP: 0010:copy_page+0x7/0x10
 *   Code: 0f 01 ca 5a 5d 41 5c c3 cc cc cc cc cc cc cc cc cc cc cc 48 89 f8 48 89 d1 f3 a4 31 c0 c3 48 89 c8 c3 cc 66 90 b9 00 02 00 00 <f3> 48 a5 c3 0f 1f 44 00 00
 *   RSP: 0018:ff1100000886fd60 EFLAGS: 00000286
 *   RAX: ff1100001873c000 RBX: 0000000000000002 RCX: 0000000000000200
 *   RDX: dffffc0000000000 RSI: ff11000012c01000 RDI: ff1100001873c000
 *   RBP: ffd40000004b0000 R08: fffa7c0000096001 R09: 0000000000000000
 *   R10: ffffffff8153814f R11: fffa7c0000096000 R12: 0000000000000040
 *   R13: 0000000000000000 R14: ffd400000061cec0 R15: ff11000012c01000
 *   FS:  00007f61cdbc7940(0000) GS:ff110000e9bb8000(0000) knlGS:0000000000000000
 *   CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033
 *   CR2: ff1100001873c000 CR3: 0000000007bab000 CR4: 00000000003516b0
 *   Call Trace:
 *    <TASK>
 *    folio_copy+0x48/0x6d
 *    dmirror_device_evict_chunk+0x2e2/0x33b
 *    dmirror_fops_release+0x130/0x154
 *    __fput+0x1fc/0x3a7
 *    ? find_held_lock+0x2b/0x6d
 *    fput_close_sync+0x124/0x13e
 *    ? alloc_file_clone+0xcb/0xcb
 *    ? _raw_spin_unlock+0x1a/0x2a
 *    __x64_sys_close+0x7e/0xae
 *    do_syscall_64+0xad/0x29d
 *    entry_SYSCALL_64_after_hwframe+0x4b/0x53
 *   RIP: 0033:0x7f61cdd06a1a
 *   Code: 48 3d 00 f0 ff ff 77 48 c3 0f 1f 80 00 00 00 00 48 83 ec 18 89 7c 24 0c e8 13 ce f8 ff 8b 7c 24 0c 89 c2 b8 03 00 00 00 0f 05 <48> 3d 00 f0 ff ff 77 36 89
 *   RSP: 002b:00007ffcc2276290 EFLAGS: 00000293 ORIG_RAX: 0000000000000003
 *   RAX: ffffffffffffffda RBX: 00007ffcc2276420 RCX: 00007f61cdd06a1a
 *   RDX: 0000000000000000 RSI: 0000000000000000 RDI: 0000000000000007
 *   RBP: 00007ffcc2276410 R08: 0000000000000001 R09: 00000000ffffffff
 *   R10: 0000000000000000 R11: 0000000000000293 R12: 0000558d86e69f50
 *   R13: 00007ffcc2276420 R14: 0000558d86e69f50 R15: 0000000000000000
 *    </TASK>
 *   CR2: ff1100001873c000
 */
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

/* The recorded run: operations per thread, in the order each thread ran them. */
#define RP_NTHREADS 1
#define RP_NCHUNKS 2
#define RP_SEED 0x1ULL
#define RP_EVICT_ON_CLOSE 1	/* close the device with pages still on it */
#define RP_KEEP_OPEN 0	/* open the device once, close it at exit */
#define RP_SERIAL_INJECTION 0	/* FAIL_ALLOC only while no other operation runs */
#define RP_PAGE_CHECKS 1	/* 0: pages are touched, not checked */
#define RP_SECONDS 60
#define RP_WATCHDOG_S 60

/* Per 2 MiB chunk: 1 = MADV_HUGEPAGE (a THP), 0 = MADV_NOHUGEPAGE. */
static const unsigned char rp_thp[RP_NCHUNKS] = { 1, 0 };

/* thread 0: { kind, solo, first page, pages, arg } */
static const struct op rp_ops0[] = {
	{ OP_MIGRATE_TO_DEV, 0, 0, 512, 0x0ULL },	/* #0 migrate-to-dev 0+512 0x0 */
	{ OP_MIGRATE_TO_SYS, 0, 1, 1, 0x0ULL },	/* #1 migrate-to-sys 1+1 0x0 */
};

/* { operations, how many, how many to run per round (as recorded) } */
static const struct thread_ops rp_threads[RP_NTHREADS] = {
	{ rp_ops0, 2, 2 },
};

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

/* --- threads and rounds ---------------------------------------------- */

static void on_fault_signal(int sig, siginfo_t *si, void *uc)
{
	struct worker *w = current;

	(void)uc;
	if (!w || !w->in_op) {
		signal(sig, SIG_DFL);
		return;
	}
	w->sig = sig;
	w->sig_addr = si->si_addr;
	siglongjmp(w->jb, 1);
}

static void run_op(struct worker *w, const struct op *op)
{
	int mv = op_locks[op->kind][0], ct = op_locks[op->kind][1];

	if (g.verbose)
		printf("thread %u #%lu: %s pages %u+%u arg 0x%016llx%s\n", w->id, w->index,
		       op_names[op->kind], op->first, op->npages,
		       (unsigned long long)op->arg, op->solo ? " solo" : "");
	if (op->solo)
		pthread_rwlock_wrlock(&g.solo);
	else
		pthread_rwlock_rdlock(&g.solo);
	if (mv != L_NONE)
		move_lock(op->first, op->npages, mv == L_WRITE);
	if (ct != L_NONE)
		content_lock(op->first, op->npages, ct == L_WRITE);
	w->cur = op;
	atomic_store(&w->busy_since, now_ns());
	if (sigsetjmp(w->jb, 1))
		die(2, "REPRO-FAIL: SIG%s at %p inside thread %u op #%lu (%s pages %u+%u): the kernel could not resolve a fault on the region",
		    w->sig == SIGBUS ? "BUS" : "SEGV", w->sig_addr, w->id, w->index,
		    op_names[op->kind], op->first, op->npages);
	w->in_op = 1;
	op_run[op->kind](w, op);
	w->in_op = 0;
	atomic_store(&w->busy_since, 0);
	if (ct != L_NONE)
		content_unlock(op->first, op->npages, ct == L_WRITE);
	if (mv != L_NONE)
		move_unlock(op->first, op->npages);
	pthread_rwlock_unlock(&g.solo);
	w->ran++;
}

static void *thread_main(void *arg)
{
	struct worker *w = arg;
	const struct thread_ops *t = &rp_threads[w->id];
	unsigned long done = 0, want = t->per_round > t->nops ? t->per_round : t->nops;

	current = w;
	w->ktid = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&g.start);
	while (done < want && t->nops) {
		for (unsigned long i = 0; i < t->nops && done < want; i++, done++) {
			if (atomic_load(&g.stop))
				return NULL;
			w->index = i;
			run_op(w, &t->ops[i]);
		}
	}
	/*
	 * The deadline is looked at between rounds only (main()): a thread
	 * that stopped the others mid-round would leave their recorded
	 * operations unreplayed.
	 */
	return NULL;
}

/* Prints the kernel stack of a stuck thread (root only) and gives up. */
static void watchdog_check(void)
{
	uint64_t now = now_ns();

	for (unsigned int i = 0; i < RP_NTHREADS; i++) {
		struct worker *w = &g.w[i];
		uint64_t since = atomic_load(&w->busy_since);
		const struct op *op = w->cur;
		char path[64], line[256];
		FILE *f;

		if (!since || !g.watchdog_s || now - since < g.watchdog_s * 1000000000ULL)
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%d/stack", (int)w->ktid);
		f = fopen(path, "r");
		printf("REPRO: the kernel stack of thread %u (%s):\n", w->id, f ? path : "unreadable");
		while (f && fgets(line, sizeof(line), f))
			printf("REPRO:   %s", line);
		if (f)
			fclose(f);
		die(3, "REPRO-FAIL: hang: thread %u stuck in op #%lu (%s pages %u+%u) for %llu s, past the %d s watchdog",
		    w->id, w->index, op_names[op->kind], op->first, op->npages,
		    (unsigned long long)((now - since) / 1000000000ULL), g.watchdog_s);
	}
}

static void drain_device(void)
{
	for (size_t c = 0; c < RP_NCHUNKS; c++)
		dev_cmd(HMM_DMIRROR_MIGRATE_TO_SYS, page_at(c * PMD_PAGES), PMD_PAGES, NULL);
}

static void open_device(void)
{
	static int opened;

	if (g.null_dev || (RP_KEEP_OPEN && opened++))
		return;
	g.fd = open(g.device, O_RDWR | O_CLOEXEC);
	if (g.fd < 0)
		die(4, "REPRO-SETUP: cannot open %s: %s (needs a kernel with CONFIG_TEST_HMM, run as root)",
		    g.device, strerror(errno));
	if (g.verbose)
		printf("REPRO: opened %s\n", g.device);
}

static void run_round(void)
{
	struct worker *m = &g.w[RP_NTHREADS];
	struct op all = { OP_CPU_READ, 0, 0, 0, 0 };
	unsigned int n = 0;

	open_device();
	region_map();
	pthread_barrier_init(&g.start, NULL, RP_NTHREADS);
	for (unsigned int i = 0; i < RP_NTHREADS; i++) {
		g.w[i].joined = 0;
		if (pthread_create(&g.w[i].tid, NULL, thread_main, &g.w[i]))
			die(4, "REPRO-SETUP: pthread_create failed");
		n++;
	}
	for (unsigned int joined = 0; joined < n;) {
		for (unsigned int i = 0; i < n; i++)
			if (!g.w[i].joined && pthread_tryjoin_np(g.w[i].tid, NULL) != EBUSY) {
				g.w[i].joined = 1;
				joined++;
			}
		if (joined == n)
			break;
		watchdog_check();
		usleep(100000);
	}
	pthread_barrier_destroy(&g.start);
	if (!RP_EVICT_ON_CLOSE)
		drain_device();
	if (!g.null_dev && !RP_KEEP_OPEN)
		close(g.fd);	/* evicts every page still on the device */
	current = m;
	all.npages = (uint32_t)g.npages;
	if (sigsetjmp(m->jb, 1))
		die(2, "REPRO-FAIL: SIG%s at %p reading the region after closing the device",
		    m->sig == SIGBUS ? "BUS" : "SEGV", m->sig_addr);
	m->in_op = 1;
	check(m, &all, g.addr, 0, g.npages,
	      RP_KEEP_OPEN ? "the end of the round" : "closing the device (eviction)");
	m->in_op = 0;
	munmap(g.addr, g.npages * PAGE_SZ);
}

static void setup(void)
{
	struct sigaction sa = { .sa_sigaction = on_fault_signal, .sa_flags = SA_SIGINFO };
	pthread_rwlockattr_t attr;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	for (int c = 0; c < RP_NCHUNKS; c++) {
		pthread_rwlock_init(&g.lock[c], &attr);
		pthread_rwlock_init(&g.move[c], &attr);
	}
	pthread_rwlock_init(&g.solo, NULL);
	g.sink = mmap(NULL, PAGE_SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (unsigned int i = 0; i <= RP_NTHREADS; i++) {
		struct worker *w = &g.w[i];

		w->id = i;
		w->bounce = malloc(2 * PMD_SZ);
		w->scratch_len = 3 * PMD_SZ;
		w->scratch = map_pmd_aligned(w->scratch_len, PROT_NONE, MAP_NORESERVE);
		if (!w->bounce || !w->scratch || g.sink == MAP_FAILED)
			die(4, "REPRO-SETUP: out of memory for the threads' buffers");
	}
}

static void usage(const char *prog)
{
	printf("usage: %s [-t SECONDS] [-r ROUNDS] [-w SECONDS] [-d DEVICE] [-n] [-v]\n"
	       "  -t S  start rounds until S seconds have passed (default %d)\n"
	       "  -r N  at most N rounds\n"
	       "  -w S  an operation stuck for S seconds is a hang (default %d; 0: never)\n"
	       "  -d D  the test_hmm device (default /dev/hmm_dmirror0)\n"
	       "  -n    no device: the CPU does what each ioctl would (checks this program)\n"
	       "  -v    print every operation as it starts\n", prog, RP_SECONDS, RP_WATCHDOG_S);
}

int main(int argc, char **argv)
{
	unsigned long rounds = 0, max_rounds = 0, ops = 0, errors = 0;
	double seconds = RP_SECONDS;
	uint64_t t0 = now_ns();
	int c;

	g.device = "/dev/hmm_dmirror0";
	g.watchdog_s = RP_WATCHDOG_S;
	while ((c = getopt(argc, argv, "t:r:w:d:nvh")) != -1) {
		switch (c) {
		case 't': seconds = atof(optarg); break;
		case 'w': g.watchdog_s = strtoul(optarg, NULL, 0); break;
		case 'r': max_rounds = strtoul(optarg, NULL, 0); break;
		case 'd': g.device = optarg; break;
		case 'n': g.null_dev = 1; break;
		case 'v': g.verbose = 1; break;
		default: usage(argv[0]); return c == 'h' ? 0 : 4;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	setup();
	g.deadline_ns = t0 + (uint64_t)(seconds * 1e9);
	printf("REPRO: %d threads, %d MiB region, seed 0x%llx; rounds for %.0f s\n",
	       RP_NTHREADS, RP_NCHUNKS * 2, (unsigned long long)RP_SEED, seconds);
	do {
		run_round();
		rounds++;
	} while (now_ns() < g.deadline_ns && (!max_rounds || rounds < max_rounds));
	if (RP_KEEP_OPEN && !g.null_dev)
		close(g.fd);	/* the one close: a report now comes after every round */
	for (unsigned int i = 0; i < RP_NTHREADS; i++) {
		ops += g.w[i].ran;
		errors += g.w[i].errors;
		printf("REPRO: thread %u ran %lu operations\n", i, g.w[i].ran);
	}
	printf("REPRO-PASS: %lu round%s, %lu operations (%lu ioctl or syscall errors, expected under races) in %.1f s; this program saw no failure: look for a kernel report in dmesg\n",
	       rounds, rounds == 1 ? "" : "s", ops, errors, (now_ns() - t0) / 1e9);
	return 0;
}
