// SPDX-License-Identifier: GPL-2.0
/*
 * residency-check: a test-only program, run in a test kernel by
 * tests/vm/gpu.sh. It migrates parts of three buffers to test_hmm's
 * device-private memory (4 KiB pages, a THP, read-only pages), then reads
 * each page's state twice, from test_hmm's SNAPSHOT and from the pagemap
 * helper the GPU backends use, and compares them page for page; then it
 * migrates everything back and compares again. First, read-faulted pages
 * must be the zero page in both views. TAP on stdout.
 *
 *   residency-check [/dev/hmm_dmirror0]
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "backend.h"
#include "pagemap.h"
#include "pagestate.h"

struct region {
	const char *name;
	char *addr;
	size_t npages;
	size_t first, count;	/* the pages migrated */
};

static int tap_n, tap_failed;

static void tap(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	tap_failed += !ok;
}

static char *map_region(size_t npages, int thp)
{
	size_t len = npages * PAGE_SZ;
	char *raw = mmap(NULL, len + PMD_SZ, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p;

	if (raw == MAP_FAILED)
		return NULL;
	p = (char *)(((uintptr_t)raw + PMD_SZ - 1) & ~(PMD_SZ - 1));
	madvise(p, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	memset(p, 0x5a, len);
	return p;
}

/* Both views of @r, compared page by page; prints the first disagreements. */
static void compare(struct hmm_dev *dev, const struct region *r, const char *when,
		    size_t want_device)
{
	uint8_t *snap = malloc(r->npages), *pm = malloc(r->npages);
	struct hmm_snapshot_summary s;
	struct pagemap_counts c;
	char why[HMM_WHY_MAX] = "", a[64], b[64];
	size_t agree = 0, shown = 0;
	int ret;

	ret = hmm_dev_snapshot(dev, r->addr, r->npages, snap);
	if (ret) {
		tap(0, "%s %s: SNAPSHOT failed: %s", r->name, when, strerror(-ret));
		goto out;
	}
	ret = pagemap_residency(r->addr, r->npages, pm, &c, why, sizeof(why));
	if (ret) {
		tap(0, "%s %s: pagemap_residency failed: %s", r->name, when, why);
		goto out;
	}
	for (size_t i = 0; i < r->npages; i++) {
		if (pagemap_agrees(pm[i], snap[i], c.scan)) {
			agree++;
			continue;
		}
		if (shown++ < 8)
			printf("# %s page %zu: pagemap %s (0x%02x), SNAPSHOT %s (0x%02x)\n", r->name, i,
			       hmm_page_state_str(pm[i], a, sizeof(a)), pm[i],
			       hmm_page_state_str(snap[i], b, sizeof(b)), snap[i]);
	}
	hmm_snapshot_summarise(snap, r->npages, 0, &s);
	tap(agree == r->npages, "%s %s: pagemap agrees with SNAPSHOT on %zu of %zu pages (SNAPSHOT: %zu device, %zu system, %zu PMD-mapped; pagemap: %zu device-private, %zu present%s; first 0x%02x/0x%02x)",
	    r->name, when, agree, r->npages, s.device, s.system, s.pmd_pages,
	    c.device_private, c.present, c.scan ? ", PMD bits from PAGEMAP_SCAN" : ", no PAGEMAP_SCAN",
	    pm[r->first], snap[r->first]);
	tap(s.device == want_device, "%s %s: SNAPSHOT shows the %zu device-private pages expected (%zu)",
	    r->name, when, want_device, s.device);
out:
	free(snap);
	free(pm);
}

static int migrate(struct hmm_dev *dev, const struct region *r, int to_dev)
{
	struct hmm_xfer x;
	void *bounce = malloc(r->count * PAGE_SZ);
	char *start = r->addr + r->first * PAGE_SZ;
	int ret;

	ret = to_dev ? hmm_dev_migrate_to_dev(dev, start, r->count, bounce, &x)
		     : hmm_dev_migrate_to_sys(dev, start, r->count, &x);
	free(bounce);
	tap(!ret, "%s: migrate pages %zu-%zu to %s: %s", r->name, r->first,
	    r->first + r->count - 1, to_dev ? "the device" : "system memory",
	    ret ? strerror(-ret) : "done");
	return ret;
}

/* Two TAP lines from compare(), or two failures standing in for them. */
static void check_after(struct hmm_dev *dev, const struct region *r, int to_dev)
{
	const char *when = to_dev ? "on the device" : "back in system memory";

	if (!migrate(dev, r, to_dev)) {
		compare(dev, r, when, to_dev ? r->count : 0);
		return;
	}
	tap(0, "%s %s: not compared, the migration failed", r->name, when);
	tap(0, "%s %s: not counted, the migration failed", r->name, when);
}

/*
 * Read-faulted untouched memory is the shared zero page on the kernels this
 * project builds: pagemap (PAGEMAP_SCAN's PFNZERO) and SNAPSHOT must both
 * say ZERO|READ (0x11). Host kernels differ here, so the unit test only
 * checks it where the host really maps the zero page.
 */
static void check_zero_page(struct hmm_dev *dev)
{
	size_t n = 16, zero_pm = 0, zero_snap = 0;
	uint8_t pm[16], snap[16];
	struct pagemap_counts c;
	char why[HMM_WHY_MAX] = "";
	volatile char sink;
	char *p = mmap(NULL, n * PAGE_SZ, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ret;

	if (p == MAP_FAILED) {
		tap(0, "zero page: mmap: %s", strerror(errno));
		tap(0, "zero page: not compared");
		return;
	}
	madvise(p, n * PAGE_SZ, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < n; i++)
		sink = p[i * PAGE_SZ];
	(void)sink;
	ret = pagemap_residency(p, n, pm, &c, why, sizeof(why));
	for (size_t i = 0; !ret && i < n; i++)
		zero_pm += pm[i] == (HMM_PAGE_ZERO | HMM_PAGE_READ);
	tap(!ret && c.scan && zero_pm == n,
	    "zero page: pagemap shows %zu of %zu read-faulted pages as ZERO|READ (0x11)%s%s",
	    zero_pm, n, ret ? ": " : c.scan ? "" : " (no PAGEMAP_SCAN)", ret ? why : "");
	ret = hmm_dev_snapshot(dev, p, n, snap);
	for (size_t i = 0; !ret && i < n; i++)
		zero_snap += snap[i] == (HMM_PAGE_ZERO | HMM_PAGE_READ);
	tap(!ret && zero_snap == n, "zero page: SNAPSHOT agrees on %zu of %zu pages%s%s",
	    zero_snap, n, ret ? ": " : "", ret ? strerror(-ret) : "");
	munmap(p, n * PAGE_SZ);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/hmm_dmirror0";
	struct region r[] = {
		{ "4k", NULL, 64, 8, 32 },		/* half of 64 small pages */
		{ "thp", NULL, PAGES_PER_PMD, 0, PAGES_PER_PMD },
		{ "read-only", NULL, 16, 4, 8 },	/* PTEs without write: SWP_DEVICE_READ */
	};
	const int n = sizeof(r) / sizeof(r[0]);
	struct hmm_dev dev;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = hmm_dev_open(&dev, hmm_backend_find("test_hmm"), path);
	if (ret) {
		printf("1..0 # SKIP cannot open %s: %s\n", path, strerror(-ret));
		return 1;
	}
	printf("1..%d\n", n * 6 + 2);
	check_zero_page(&dev);
	for (int i = 0; i < n; i++) {
		r[i].addr = map_region(r[i].npages, i == 1);
		if (!r[i].addr) {
			printf("Bail out! cannot map %s\n", r[i].name);
			return 1;
		}
	}
	mprotect(r[2].addr, r[2].npages * PAGE_SZ, PROT_READ);

	for (int i = 0; i < n; i++)
		check_after(&dev, &r[i], 1);
	for (int i = 0; i < n; i++)
		check_after(&dev, &r[i], 0);
	hmm_dev_close(&dev);
	return tap_failed ? 1 : 0;
}
