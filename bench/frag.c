// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "frag.h"
#include "meta.h"
#include "pagestate.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define PM_PRESENT (1ULL << 63)
#define PM_PFN_MASK ((1ULL << 55) - 1)
#define FRAG_CHUNK (4UL << 20)
#define BLOCK_ORDER 9

static int read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	/* A cut /proc/buddyinfo would count too few free blocks. */
	return n == (ssize_t)len - 1 ? -EFBIG : 0;
}

long frag_free_blocks(const char *text)
{
	long blocks = 0;

	for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
		const char *p = strstr(line, "zone");
		const char *eol = strchr(line, '\n');
		char *end;

		if (!p || (eol && p > eol))
			continue;
		p += 4;
		p += strspn(p, " ");
		p += strcspn(p, " \n");		/* the zone's name */
		for (int order = 0; ; order++) {
			long count = strtol(p, &end, 10);

			if (end == p || (eol && end > eol))
				break;
			if (order >= BLOCK_ORDER)
				blocks += count << (order - BLOCK_ORDER);
			p = end;
		}
	}
	return blocks;
}

long frag_blocks_now(void)
{
	char buf[FRAG_BUDDY_MAX];

	return read_text("/proc/buddyinfo", buf, sizeof(buf)) ? -1 : frag_free_blocks(buf);
}

ssize_t frag_choose(const uint64_t *pfn, size_t n, size_t want, uint8_t *keep,
		    size_t *partial)
{
	uint64_t max = 0;
	uint16_t *owned;
	size_t *first;
	ssize_t chosen = 0;

	for (size_t i = 0; i < n; i++)
		if (pfn[i] > max)
			max = pfn[i];
	owned = calloc(max / FRAG_BLOCK_PAGES + 1, sizeof(*owned));
	first = calloc(max / FRAG_BLOCK_PAGES + 1, sizeof(*first));
	if (!owned || !first) {
		chosen = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t b = pfn[i] / FRAG_BLOCK_PAGES;

		if (!pfn[i])
			continue;
		if (!owned[b]++)
			first[b] = i;
	}
	for (uint64_t b = 0; b <= max / FRAG_BLOCK_PAGES && (size_t)chosen < want; b++)
		if (owned[b] == FRAG_BLOCK_PAGES) {
			keep[first[b]] = 1;
			chosen++;
		}
	for (uint64_t b = 0; partial && b <= max / FRAG_BLOCK_PAGES; b++)
		if (owned[b] && owned[b] < FRAG_BLOCK_PAGES) {
			keep[first[b]] = 1;
			(*partial)++;
		}
out:
	free(owned);
	free(first);
	return chosen;
}

/* Faults the area in chunk by chunk until enough whole blocks are ours. */
static int populate(struct frag *f, const volatile sig_atomic_t *stop)
{
	char buf[64];
	/* Above the kernel's watermarks, or page faults start reclaiming and OOM. */
	long floor_kib = read_text("/proc/sys/vm/min_free_kbytes", buf, sizeof(buf)) ? 65536
			 : 2 * strtol(buf, NULL, 10) + 8192;

	while (f->populated + FRAG_CHUNK <= f->len && frag_blocks_now() > f->target_left &&
	       meta_meminfo_kib("MemFree:") > floor_kib) {
		uint8_t *at = f->area + f->populated;

		if (*stop)
			return -EINTR;
		if (madvise(at, FRAG_CHUNK, MADV_POPULATE_WRITE)) {
			if (errno != EINVAL)	/* before Linux 5.14: touch each page */
				return -errno;
			for (size_t off = 0; off < FRAG_CHUNK; off += PAGE_SZ)
				at[off] = 1;
		}
		f->populated += FRAG_CHUNK;
	}
	return 0;
}

static int read_pfns(const struct frag *f, uint64_t *pfn, size_t n)
{
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	off_t off = (uintptr_t)f->area / PAGE_SZ * sizeof(uint64_t);
	ssize_t got;

	if (fd < 0)
		return -errno;
	got = pread(fd, pfn, n * sizeof(uint64_t), off);
	close(fd);
	if (got != (ssize_t)(n * sizeof(uint64_t)))
		return got < 0 ? -errno : -EIO;
	for (size_t i = 0; i < n; i++) {
		if ((pfn[i] & PM_PRESENT) && !(pfn[i] & PM_PFN_MASK))
			return -EPERM;	/* the kernel hides PFNs without CAP_SYS_ADMIN */
		pfn[i] = pfn[i] & PM_PRESENT ? pfn[i] & PM_PFN_MASK : 0;
	}
	return 0;
}

int frag_pfns_visible(void)
{
	static volatile uint8_t page[PAGE_SZ] __attribute__((aligned(4096)));
	struct frag f = { .area = (uint8_t *)page };
	uint64_t pfn;
	int ret;

	page[0] = 1;
	ret = read_pfns(&f, &pfn, 1);
	return ret == -EPERM ? 0 : ret ? ret : 1;
}

/* Keeps the marked pages (mlocked) and gives every other page back. */
static int poison(struct frag *f, const uint8_t *keep, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;

		if (keep[i]) {
			if (mlock(f->area + i * PAGE_SZ, PAGE_SZ))
				return -errno;
			i++;
			continue;
		}
		while (j < n && !keep[j])
			j++;
		if (madvise(f->area + i * PAGE_SZ, (j - i) * PAGE_SZ, MADV_DONTNEED))
			return -errno;
		i = j;
	}
	return 0;
}

static int plug_one(struct frag *f, size_t blocks)
{
	size_t len = blocks * PMD_SZ;
	uint8_t *raw, *at;

	if (f->nplugs == f->plug_cap) {
		size_t cap = f->plug_cap ? 2 * f->plug_cap : 64;
		struct frag_plug *more = realloc(f->plug, cap * sizeof(*more));

		if (!more)
			return -ENOMEM;
		f->plug = more;
		f->plug_cap = cap;
	}
	raw = mmap(NULL, len + PMD_SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return -errno;
	f->plug[f->nplugs].addr = raw;
	f->plug[f->nplugs++].len = len + PMD_SZ;
	at = (uint8_t *)(((uintptr_t)raw + PMD_SZ - 1) & ~(PMD_SZ - 1));
	if (madvise(at, len, MADV_HUGEPAGE))
		return -errno;
	for (size_t off = 0; off < len; off += PMD_SZ)
		at[off] = 1;
	return 0;
}

int frag_replug(struct frag *f, long *left)
{
	long now = frag_blocks_now();

	for (int round = 0; round < FRAG_PLUG_ROUNDS && now > f->target_left; round++) {
		long after;
		int ret = plug_one(f, now - f->target_left);

		if (ret)
			return ret;
		after = frag_blocks_now();
		if (after < now)
			f->plugged += now - after;
		now = after;
	}
	*left = now;
	return 0;
}

int frag_setup(struct frag *f, unsigned int level, const volatile sig_atomic_t *stop)
{
	uint64_t *pfn = NULL;
	uint8_t *keep = NULL;
	size_t n;
	int ret;

	memset(f, 0, sizeof(*f));
	if ((ret = read_text("/proc/buddyinfo", f->buddy_before, sizeof(f->buddy_before))))
		return ret;
	f->blocks_before = frag_free_blocks(f->buddy_before);
	f->target_left = f->blocks_before - (f->blocks_before * level + 50) / 100;
	if (level) {
		long free_kib = meta_meminfo_kib("MemFree:");

		if (free_kib < 0)
			return -EIO;
		f->len = (size_t)free_kib * 1024 & ~(PMD_SZ - 1);
		f->area = mmap(NULL, f->len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (f->area == MAP_FAILED) {
			f->area = NULL;
			return -errno;
		}
		/* As THPs, dropping 511 pages of a block would free it whole. */
		ret = madvise(f->area, f->len, MADV_NOHUGEPAGE) ? -errno : populate(f, stop);
		n = f->populated / PAGE_SZ;
		pfn = malloc(n * sizeof(*pfn) + 1);
		keep = calloc(n + 1, 1);
		if (!ret && (!pfn || !keep))
			ret = -ENOMEM;
		if (!ret)
			ret = read_pfns(f, pfn, n);
		if (!ret) {
			ssize_t chosen = frag_choose(pfn, n, f->blocks_before - f->target_left,
						     keep, &f->pinned_partial);

			f->poisoned = chosen < 0 ? 0 : chosen;
			ret = chosen < 0 ? (int)chosen : poison(f, keep, n);
		}
		/*
		 * The PFN and keep arrays (megabytes, so their own mappings)
		 * go back before the last plugging: freed after it, their
		 * pages could coalesce into the free block setup just took.
		 */
		free(pfn);
		free(keep);
		pfn = NULL;
		keep = NULL;
		if (!ret) {
			long left;

			ret = frag_replug(f, &left);
		}
	}
	free(pfn);
	free(keep);
	if (!ret)
		ret = read_text("/proc/buddyinfo", f->buddy_after, sizeof(f->buddy_after));
	f->blocks_after = frag_free_blocks(f->buddy_after);
	return ret;
}

void frag_release(struct frag *f)
{
	if (f->area)
		munmap(f->area, f->len);
	for (size_t i = 0; i < f->nplugs; i++)
		munmap(f->plug[i].addr, f->plug[i].len);
	free(f->plug);
	f->plug = NULL;
	f->area = NULL;
	f->nplugs = 0;
	f->plug_cap = 0;
}
