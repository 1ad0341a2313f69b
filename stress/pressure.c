// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef HAVE_LIBHUGETLBFS
#include <hugetlbfs.h>
#endif

#include "errname.h"
#include "meta.h"
#include "pagestate.h"
#include "pressure.h"

#define CG_ROOT "/sys/fs/cgroup"
#define FRAG_MAX (256UL << 20)
#define HUGE_PAGES 16

static int write_str(const char *dir, const char *file, const char *val)
{
	char path[512];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static uint64_t read_u64(const char *dir, const char *file, const char *key)
{
	char path[512], *text, *at;
	uint64_t v = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	text = meta_read_file(path);
	if (!text)
		return 0;
	at = key ? strstr(text, key) : text;
	if (at)
		v = strtoull(at + (key ? strlen(key) : 0), NULL, 10);
	free(text);
	return v;
}

/* The cgroup hmmbench runs in, from /proc/self/cgroup ("0::/path"). */
static int own_cgroup(char *dir, size_t len)
{
	char *text = meta_read_file("/proc/self/cgroup"), *line;

	if (!text)
		return -errno;
	line = strstr(text, "0::");
	if (!line) {
		free(text);
		return -ENOENT;
	}
	line[strcspn(line, "\n")] = '\0';
	snprintf(dir, len, "%s%s", CG_ROOT, strcmp(line + 3, "/") ? line + 3 : "");
	free(text);
	return 0;
}

static int make_cgroup(struct stress_pressure *p, char *skip, size_t len)
{
	char parent[200], *ctl;
	int ret;

	ctl = meta_read_file(CG_ROOT "/cgroup.controllers");
	if (!ctl) {
		snprintf(skip, len, "no cgroup v2 hierarchy at %s (mount -t cgroup2 none %s)",
			 CG_ROOT, CG_ROOT);
		return 1;
	}
	ret = !strstr(ctl, "memory");
	free(ctl);
	if (ret) {
		snprintf(skip, len, "cgroup v2 has no memory controller (kernel without CONFIG_MEMCG, or memory bound to cgroup v1)");
		return 1;
	}
	if (own_cgroup(parent, sizeof(parent))) {
		snprintf(skip, len, "cannot tell this process's cgroup from /proc/self/cgroup");
		return 1;
	}
	ret = write_str(parent, "cgroup.subtree_control", "+memory");
	if (ret) {
		snprintf(skip, len, "cannot enable the memory controller below %s: %s (run as root in the root cgroup or a delegated one)",
			 parent, errno_name(-ret));
		return 1;
	}
	snprintf(p->cgroup, sizeof(p->cgroup), "%s/hmmbench-stress-%d", parent, (int)getpid());
	if (mkdir(p->cgroup, 0755) && errno != EEXIST) {
		snprintf(skip, len, "cannot create cgroup %s: %s", p->cgroup, errno_name(errno));
		return 1;
	}
	p->made_cgroup = 1;
	return 0;
}

static size_t mem_available(void)
{
	long kib = meta_meminfo_kib("MemAvailable:");

	return kib > 0 ? (size_t)kib << 10 : 0;
}

/* Holds every other 4 KiB page of a large allocation: no free 2 MiB block there. */
static void fragment(struct stress_pressure *p)
{
	size_t len = mem_available() / 4;

	if (len > FRAG_MAX)
		len = FRAG_MAX;
	len &= ~(PMD_SZ - 1);
	p->frag = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!len || p->frag == MAP_FAILED) {
		p->frag = NULL;
		return;
	}
	p->frag_len = len;
	madvise(p->frag, len, MADV_NOHUGEPAGE);
	for (size_t off = 0; off < len; off += PAGE_SZ)
		p->frag[off] = 1;
	for (size_t off = PAGE_SZ; off < len; off += 2 * PAGE_SZ)
		madvise(p->frag + off, PAGE_SZ, MADV_DONTNEED);
}

static void take_huge_pages(struct stress_pressure *p, char *why, size_t len)
{
	char val[32];
	long hps = 0;
	int raised = 0;

#ifdef HAVE_LIBHUGETLBFS
	hps = gethugepagesize();
#endif
	if (hps <= 0) {
		snprintf(why, len, "hugetlbfs: %s", hps ? "libhugetlbfs knows no huge page size" :
			 "built without libhugetlbfs");
		return;
	}
	/* Raised only under a guardian that lowers it again if we die. */
	snprintf(val, sizeof(val), "%ld",
		 (long)read_u64("/proc/sys/vm", "nr_hugepages", NULL) + HUGE_PAGES);
	if (!sysknob_guard(&p->knobs))
		raised = !sysknob_set(&p->knobs, "/proc/sys/vm/nr_hugepages", val);
	p->huge_len = HUGE_PAGES * (size_t)hps;
#ifdef HAVE_LIBHUGETLBFS
	if (hugetlbfs_find_path()) {
		p->huge = get_huge_pages(p->huge_len, GHP_DEFAULT);
		p->huge_from_lib = p->huge != NULL;
	}
#endif
	if (!p->huge) {
		/* No hugetlbfs mount libhugetlbfs saw at start-up: anonymous huge pages. */
		p->huge = mmap(NULL, p->huge_len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		if (p->huge == MAP_FAILED) {
			snprintf(why, len, "hugetlbfs: no huge pages could be taken (%s; nr_hugepages %s)",
				 errno_name(errno), raised ? "raised" : "not writable");
			p->huge = NULL;
			return;
		}
	}
	memset(p->huge, 0x5a, p->huge_len);
	snprintf(why, len, "hugetlbfs: %d pages of %ld KiB held (%s)", HUGE_PAGES, hps >> 10,
		 p->huge_from_lib ? "libhugetlbfs get_huge_pages" :
		 "mmap MAP_HUGETLB: libhugetlbfs found no hugetlbfs mount at start-up");
}

int pressure_prepare(struct stress_pressure *p, char *skip, size_t len)
{
	char huge[200];

	memset(p, 0, sizeof(*p));
	sysknob_init(&p->knobs, "");
	if (make_cgroup(p, skip, len))
		return 1;
	fragment(p);
	take_huge_pages(p, huge, sizeof(huge));
	snprintf(p->notes, sizeof(p->notes), "cgroup %s; fragmentation: %zu MiB with every other 4 KiB page freed; %s",
		 p->cgroup, p->frag_len >> 20, huge);
	return 0;
}

int pressure_join(const struct stress_pressure *p)
{
	return write_str(p->cgroup, "cgroup.procs", "0");
}

int pressure_limit(struct stress_pressure *p, size_t region_bytes)
{
	uint64_t cur = read_u64(p->cgroup, "memory.current", NULL);
	uint64_t high = cur + region_bytes / 16;
	uint64_t max = cur + region_bytes / 8;
	char val[32], note[256];
	int ret;

	snprintf(val, sizeof(val), "%llu", (unsigned long long)max);
	ret = write_str(p->cgroup, "memory.max", val);
	snprintf(val, sizeof(val), "%llu", (unsigned long long)high);
	if (!ret)
		ret = write_str(p->cgroup, "memory.high", val);
	snprintf(note, sizeof(note), "; memory.current %llu KiB after setup, memory.high %llu KiB, memory.max %llu KiB%s%s",
		 (unsigned long long)cur >> 10, (unsigned long long)high >> 10,
		 (unsigned long long)max >> 10, ret ? ": setting limits failed: " : "",
		 ret ? errno_name(-ret) : "");
	if (!p->limits_noted++)
		strncat(p->notes, note, sizeof(p->notes) - strlen(p->notes) - 1);
	return ret;
}

void pressure_unlimit(struct stress_pressure *p)
{
	write_str(p->cgroup, "memory.high", "max");
	write_str(p->cgroup, "memory.max", "max");
}

uint64_t pressure_oom_kills(const struct stress_pressure *p)
{
	return p->made_cgroup ? read_u64(p->cgroup, "memory.events", "oom_kill ") : 0;
}

void pressure_release(struct stress_pressure *p)
{
	if (p->huge) {
#ifdef HAVE_LIBHUGETLBFS
		if (p->huge_from_lib)
			free_huge_pages(p->huge);
		else
#endif
			munmap(p->huge, p->huge_len);
	}
	/* Every scenario releases; only the pressure one forked a guardian. */
	if (p->knobs.guardian > 0)
		sysknob_restore_all(&p->knobs);
	if (p->frag)
		munmap(p->frag, p->frag_len);
	if (p->made_cgroup && rmdir(p->cgroup) && errno != ENOENT)
		fprintf(stderr, "hmmbench: warning: could not remove cgroup %s: %s\n",
			p->cgroup, errno_name(errno));
	p->huge = p->frag = NULL;
	p->made_cgroup = 0;
}
