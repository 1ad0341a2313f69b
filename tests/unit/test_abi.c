// SPDX-License-Identifier: GPL-2.0
/*
 * Our statement of test_hmm's ABI (drivers-ioctl/test_hmm_abi.h and the
 * HMM_PAGE_* values of pagestate.h) against the kernel's
 * lib/test_hmm_uapi.h: first against the facts written out by hand here,
 * then against the text of a real kernel tree when one is found:
 *
 *   $HMMBENCH_KERNEL_SRC/lib/test_hmm_uapi.h       if the variable is set
 *   $HMMBENCH_CACHE/src/linux-source-<v>_<full>/linux-source-<v>/lib/test_hmm_uapi.h
 *     (~/.cache/hmmbench by default)               else, the highest <v>
 *
 * With no tree those tests are SKIPPED (cr_skip_test), never passed.
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <pwd.h>
#include <regex.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "pagestate.h"
#include "test_hmm_abi.h"
#include "test_results_util.h"

/*
 * _IOWR(type, nr, T) by hand, per include/uapi/asm-generic/ioctl.h:
 * nr in bits 0-7, type in 8-15, size in 16-29, direction in 30-31 with
 * _IOC_WRITE = 1, _IOC_READ = 2, so read|write = 3. This is the layout of
 * x86, arm64, riscv and s390; powerpc, mips, sparc and alpha differ.
 */
static unsigned long iowr_by_hand(unsigned int nr, unsigned int size)
{
	return (3UL << 30) | ((unsigned long)size << 16) |
	       ((unsigned long)'H' << 8) | nr;
}

static int generic_ioctl_layout(void)
{
#if defined(__powerpc__) || defined(__mips__) || defined(__sparc__) || defined(__alpha__)
	return 0;
#else
	return 1;
#endif
}

/* Ours, by the names the kernel uses after HMM_DMIRROR_. */
static const struct {
	const char *name;
	unsigned long cmd;
	unsigned int nr;	/* from lib/test_hmm_uapi.h (Linux 6.0 .. 7.2) */
	int since_619;		/* FLAGS exists only from Linux 6.19 */
} our_ioctls[] = {
	{ "READ", HMMB_DMIRROR_READ, 0x00, 0 },
	{ "WRITE", HMMB_DMIRROR_WRITE, 0x01, 0 },
	{ "MIGRATE_TO_DEV", HMMB_DMIRROR_MIGRATE_TO_DEV, 0x02, 0 },
	{ "MIGRATE_TO_SYS", HMMB_DMIRROR_MIGRATE_TO_SYS, 0x03, 0 },
	{ "SNAPSHOT", HMMB_DMIRROR_SNAPSHOT, 0x04, 0 },
	{ "EXCLUSIVE", HMMB_DMIRROR_EXCLUSIVE, 0x05, 0 },
	{ "CHECK_EXCLUSIVE", HMMB_DMIRROR_CHECK_EXCLUSIVE, 0x06, 0 },
	{ "RELEASE", HMMB_DMIRROR_RELEASE, 0x07, 0 },
	{ "FLAGS", HMMB_DMIRROR_FLAGS, 0x08, 1 },
};
#define N_IOCTLS (sizeof(our_ioctls) / sizeof(our_ioctls[0]))

/* Ours against the kernel's HMM_DMIRROR_PROT_* values, copied from lib/test_hmm_uapi.h. */
static const struct {
	const char *name;
	unsigned int ours, kernel;
} our_prot[] = {
	{ "ERROR", HMM_PAGE_ERROR, 0xFF },
	{ "NONE", HMM_PAGE_NONE, 0x00 },
	{ "READ", HMM_PAGE_READ, 0x01 },
	{ "WRITE", HMM_PAGE_WRITE, 0x02 },
	{ "PMD", HMM_PAGE_PMD, 0x04 },
	{ "PUD", HMM_PAGE_PUD, 0x08 },
	{ "ZERO", HMM_PAGE_ZERO, 0x10 },
	{ "DEV_PRIVATE_LOCAL", HMM_PAGE_DEV_PRIVATE_LOCAL, 0x20 },
	{ "DEV_PRIVATE_REMOTE", HMM_PAGE_DEV_PRIVATE_REMOTE, 0x30 },
	{ "DEV_COHERENT_LOCAL", HMM_PAGE_DEV_COHERENT_LOCAL, 0x40 },
	{ "DEV_COHERENT_REMOTE", HMM_PAGE_DEV_COHERENT_REMOTE, 0x50 },
};
#define N_PROT (sizeof(our_prot) / sizeof(our_prot[0]))

/* struct hmm_dmirror_cmd's fields in the kernel's order, with our offsets. */
#define OUR_FIELD(f) { #f, offsetof(struct hmmb_dmirror_cmd, f), \
		       sizeof(((struct hmmb_dmirror_cmd *)0)->f) }
static const struct {
	const char *name;
	size_t off, size;
} our_fields[] = {
	OUR_FIELD(addr), OUR_FIELD(ptr), OUR_FIELD(npages), OUR_FIELD(cpages),
	OUR_FIELD(faults),
};
#define N_FIELDS (sizeof(our_fields) / sizeof(our_fields[0]))

/* --- against the facts written down by hand --------------------------- */

Test(abi, cmd_struct_is_40_bytes)
{
	cr_assert(sizeof(struct hmmb_dmirror_cmd) == 40,
		  "struct hmmb_dmirror_cmd should be 5 x __u64 = 40 bytes, is %zu",
		  sizeof(struct hmmb_dmirror_cmd));
	for (size_t i = 0; i < N_FIELDS; i++) {
		cr_assert(our_fields[i].off == 8 * i, "field %s should be at offset %zu, is at %zu",
			  our_fields[i].name, 8 * i, our_fields[i].off);
		cr_assert(our_fields[i].size == 8, "field %s should be 8 bytes, is %zu",
			  our_fields[i].name, our_fields[i].size);
	}
}

Test(abi, ioctl_numbers)
{
	if (!generic_ioctl_layout())
		cr_skip_test("the _IOC arithmetic here is asm-generic's; this architecture differs");
	for (size_t i = 0; i < N_IOCTLS; i++)
		cr_assert(our_ioctls[i].cmd == iowr_by_hand(i, 40),
			  "HMMB_DMIRROR_%s should be _IOWR('H', %zu, 40 bytes) = 0x%08lx, is 0x%08lx",
			  our_ioctls[i].name, i, iowr_by_hand(i, 40), our_ioctls[i].cmd);
	/* Spot check one full value: 0xc0000000 | 40 << 16 (0x280000) | 0x4800 | 4. */
	cr_assert(HMMB_DMIRROR_SNAPSHOT == 0xc0284804UL,
		  "HMMB_DMIRROR_SNAPSHOT should be 0xc0284804, is 0x%08lx",
		  (unsigned long)HMMB_DMIRROR_SNAPSHOT);
}

Test(abi, flag_fail_alloc)
{
	cr_assert(HMMB_DMIRROR_FLAG_FAIL_ALLOC == 1,
		  "HMMB_DMIRROR_FLAG_FAIL_ALLOC should be 1ULL << 0, is %llu",
		  (unsigned long long)HMMB_DMIRROR_FLAG_FAIL_ALLOC);
}

Test(abi, page_state_values)
{
	for (size_t i = 0; i < N_PROT; i++)
		cr_assert(our_prot[i].ours == our_prot[i].kernel,
			  "HMM_PAGE_%s should equal HMM_DMIRROR_PROT_%s = 0x%02x, is 0x%02x",
			  our_prot[i].name, our_prot[i].name, our_prot[i].kernel, our_prot[i].ours);
}

/* Locations live in the high nibble, protections in the low one. */
Test(abi, page_state_masks)
{
	for (size_t i = 0; i < N_PROT; i++) {
		unsigned int v = our_prot[i].ours;

		if (v == HMM_PAGE_ERROR)
			continue;
		cr_assert((v & HMM_PAGE_LOCATION_MASK) == 0 || (v & HMM_PAGE_PROT_MASK) == 0,
			  "HMM_PAGE_%s (0x%02x) should be a pure location or a pure protection bit",
			  our_prot[i].name, v);
	}
	cr_assert((HMM_PAGE_LOCATION_MASK & HMM_PAGE_PROT_MASK) == 0 &&
		  (HMM_PAGE_LOCATION_MASK | HMM_PAGE_PROT_MASK) == 0xff,
		  "the two masks should split the byte: 0x%02x, 0x%02x",
		  HMM_PAGE_LOCATION_MASK, HMM_PAGE_PROT_MASK);
}

/* --- against a kernel tree -------------------------------------------- */

/*
 * Finds lib/test_hmm_uapi.h. Returns 1 with @path set; 0 when no tree is
 * configured or cached (skip); -1 when $HMMBENCH_KERNEL_SRC names a tree
 * without the header (a mistake to report, not to skip). An empty
 * $HMMBENCH_KERNEL_SRC counts as unset: make check exports it empty.
 */
static int find_uapi_header(char *path, size_t len, char *why, size_t whylen)
{
	const char *src = getenv("HMMBENCH_KERNEL_SRC");
	char pattern[PATH_MAX], cache[PATH_MAX - 64];
	const char *best = NULL;
	glob_t g;

	if (src && *src) {
		snprintf(path, len, "%s/lib/test_hmm_uapi.h", src);
		if (access(path, R_OK)) {
			snprintf(why, whylen, "HMMBENCH_KERNEL_SRC=%s has no readable lib/test_hmm_uapi.h: %s",
				 src, strerror(errno));
			return -1;
		}
		return 1;
	}
	if (tu_cache_dir(cache, sizeof(cache))) {
		snprintf(why, whylen, "no kernel tree: HMMBENCH_KERNEL_SRC unset and no home directory");
		return 0;
	}
	/* Debian trees as kernel-build unpacks them; not its patched copies. */
	snprintf(pattern, sizeof(pattern),
		 "%s/src/linux-source-*/linux-source-*/lib/test_hmm_uapi.h", cache);
	if (glob(pattern, 0, NULL, &g)) {
		snprintf(why, whylen,
			 "no kernel tree: set HMMBENCH_KERNEL_SRC, or unpack one so that %s matches (scripts/kernel-build --fetch-only)",
			 pattern);
		return 0;
	}
	for (size_t i = 0; i < g.gl_pathc; i++)
		if (!best || strverscmp(g.gl_pathv[i], best) > 0)
			best = g.gl_pathv[i];
	snprintf(path, len, "%s", best);
	globfree(&g);
	return 1;
}

/* What we read out of the kernel's header text. */
struct kernel_abi {
	char path[PATH_MAX];
	struct {
		char name[40], macro[8], type[8], arg[64];
		unsigned long nr;
	} ioc[32];
	size_t nioc;
	struct {
		char name[40];
		unsigned long val;
	} prot[32];
	size_t nprot;
	struct {
		char type[16], name[32];
	} field[16];
	size_t nfield;
	int struct_found, struct_closed;
	struct {
		char name[40];
		unsigned int shift;
	} flag[8];
	size_t nflag;
};

static void sub(char *out, size_t len, const char *line, const regmatch_t *m)
{
	size_t n = m->rm_eo - m->rm_so;

	if (n >= len)
		n = len - 1;
	memcpy(out, line + m->rm_so, n);
	out[n] = '\0';
}

static void compile(regex_t *re, const char *pattern)
{
	int ret = regcomp(re, pattern, REG_EXTENDED);

	cr_assert(ret == 0, "the test's own regex should compile: %s", pattern);
}

static void parse_kernel_abi(struct kernel_abi *k)
{
	regex_t re_ioc, re_prot, re_sopen, re_field, re_sclose, re_flag;
	regmatch_t m[6];
	char *line = NULL;
	size_t cap = 0;
	int in_struct = 0;
	FILE *f;

	/* #define HMM_DMIRROR_READ  _IOWR('H', 0x00, struct hmm_dmirror_cmd) */
	compile(&re_ioc, "^#define[ \t]+HMM_DMIRROR_([A-Z0-9_]+)[ \t]+(_IO[RW]*)\\("
		"[ \t]*'([^']*)'[ \t]*,[ \t]*(0[xX][0-9a-fA-F]+|[0-9]+)[ \t]*,[ \t]*([^)]*)\\)");
	/*	HMM_DMIRROR_PROT_ERROR			= 0xFF, */
	compile(&re_prot, "^[ \t]*HMM_DMIRROR_PROT_([A-Z0-9_]+)[ \t]*=[ \t]*(0[xX][0-9a-fA-F]+|[0-9]+)");
	compile(&re_sopen, "^struct[ \t]+hmm_dmirror_cmd[ \t]*\\{");
	/*	__u64		addr; */
	compile(&re_field, "^[ \t]*([a-z_0-9]+)[ \t]+([a-z_0-9]+)[ \t]*;");
	compile(&re_sclose, "^\\};");
	/* #define HMM_DMIRROR_FLAG_FAIL_ALLOC	(1ULL << 0) */
	compile(&re_flag, "^#define[ \t]+HMM_DMIRROR_FLAG_([A-Z0-9_]+)[ \t]+\\(1U?L?L?[ \t]*<<[ \t]*([0-9]+)\\)");

	f = fopen(k->path, "r");
	cr_assert(f, "%s should be readable: %s", k->path, strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		if (in_struct) {
			if (!regexec(&re_sclose, line, 0, NULL, 0)) {
				in_struct = 0;
				k->struct_closed = 1;
			} else if (!regexec(&re_field, line, 3, m, 0) && k->nfield < 16) {
				sub(k->field[k->nfield].type, 16, line, &m[1]);
				sub(k->field[k->nfield].name, 32, line, &m[2]);
				k->nfield++;
			}
		} else if (!regexec(&re_sopen, line, 0, NULL, 0)) {
			in_struct = k->struct_found = 1;
		} else if (!regexec(&re_ioc, line, 6, m, 0) && k->nioc < 32) {
			char nr[32];

			sub(k->ioc[k->nioc].name, 40, line, &m[1]);
			sub(k->ioc[k->nioc].macro, 8, line, &m[2]);
			sub(k->ioc[k->nioc].type, 8, line, &m[3]);
			sub(nr, sizeof(nr), line, &m[4]);
			sub(k->ioc[k->nioc].arg, 64, line, &m[5]);
			k->ioc[k->nioc].nr = strtoul(nr, NULL, 0);
			k->nioc++;
		} else if (!regexec(&re_prot, line, 3, m, 0) && k->nprot < 32) {
			char v[32];

			sub(k->prot[k->nprot].name, 40, line, &m[1]);
			sub(v, sizeof(v), line, &m[2]);
			k->prot[k->nprot].val = strtoul(v, NULL, 0);
			k->nprot++;
		} else if (!regexec(&re_flag, line, 3, m, 0) && k->nflag < 8) {
			char v[16];

			sub(k->flag[k->nflag].name, 40, line, &m[1]);
			sub(v, sizeof(v), line, &m[2]);
			k->flag[k->nflag].shift = strtoul(v, NULL, 10);
			k->nflag++;
		}
	}
	free(line);
	fclose(f);
	regfree(&re_ioc);
	regfree(&re_prot);
	regfree(&re_sopen);
	regfree(&re_field);
	regfree(&re_sclose);
	regfree(&re_flag);
}

/* Finds and parses the kernel's header, or skips the test saying why. */
static void load_kernel_abi(struct kernel_abi *k)
{
	char why[PATH_MAX + 128];
	int found;

	memset(k, 0, sizeof(*k));
	found = find_uapi_header(k->path, sizeof(k->path), why, sizeof(why));
	if (found == 0)
		cr_skip_test("%s", why);
	cr_assert(found == 1, "%s", why);
	cr_log_info("comparing with %s", k->path);
	parse_kernel_abi(k);
	cr_assert(k->nioc > 0 && k->nprot > 0 && k->struct_found,
		  "%s: found %zu ioctls, %zu PROT values, struct %s: the header's format changed?",
		  k->path, k->nioc, k->nprot, k->struct_found ? "found" : "not found");
}

static size_t kernel_struct_size(const struct kernel_abi *k)
{
	size_t size = 0;

	for (size_t i = 0; i < k->nfield; i++)
		size += !strcmp(k->field[i].type, "__u64") ? 8 :
			!strcmp(k->field[i].type, "__u32") ? 4 : 1000;
	return size;
}

Test(abi, kernel_struct_layout)
{
	static struct kernel_abi k;

	load_kernel_abi(&k);
	cr_assert(k.struct_closed, "%s: struct hmm_dmirror_cmd has no closing '};'", k.path);
	cr_assert(k.nfield == N_FIELDS, "%s: struct hmm_dmirror_cmd has %zu fields, we have %zu",
		  k.path, k.nfield, N_FIELDS);
	for (size_t i = 0; i < k.nfield; i++) {
		cr_assert(!strcmp(k.field[i].type, "__u64"),
			  "%s: field %zu (%s) is %s, we use a 64-bit field", k.path, i,
			  k.field[i].name, k.field[i].type);
		cr_assert(!strcmp(k.field[i].name, our_fields[i].name),
			  "%s: field %zu is %s, ours at offset %zu is %s", k.path, i,
			  k.field[i].name, 8 * i, our_fields[i].name);
		cr_assert(our_fields[i].off == 8 * i,
			  "%s: field %s is at offset %zu in the kernel, %zu in ours",
			  k.path, k.field[i].name, 8 * i, our_fields[i].off);
	}
	cr_assert(kernel_struct_size(&k) == sizeof(struct hmmb_dmirror_cmd),
		  "%s: the kernel struct is %zu bytes, ours %zu", k.path,
		  kernel_struct_size(&k), sizeof(struct hmmb_dmirror_cmd));
}

Test(abi, kernel_ioctl_numbers)
{
	static struct kernel_abi k;

	load_kernel_abi(&k);
	if (!generic_ioctl_layout())
		cr_skip_test("the _IOC arithmetic here is asm-generic's; this architecture differs");
	for (size_t i = 0; i < k.nioc; i++) {
		int known = 0;

		cr_assert(!strcmp(k.ioc[i].macro, "_IOWR") && !strcmp(k.ioc[i].type, "H") &&
			  !strcmp(k.ioc[i].arg, "struct hmm_dmirror_cmd"),
			  "%s: HMM_DMIRROR_%s is %s('%s', .., %s), we assume _IOWR('H', .., struct hmm_dmirror_cmd)",
			  k.path, k.ioc[i].name, k.ioc[i].macro, k.ioc[i].type, k.ioc[i].arg);
		for (size_t j = 0; j < N_IOCTLS; j++) {
			if (strcmp(k.ioc[i].name, our_ioctls[j].name))
				continue;
			known = 1;
			cr_assert(our_ioctls[j].cmd == iowr_by_hand(k.ioc[i].nr, kernel_struct_size(&k)),
				  "%s: HMM_DMIRROR_%s is nr 0x%02lx of a %zu-byte struct = 0x%08lx; ours is 0x%08lx",
				  k.path, k.ioc[i].name, k.ioc[i].nr, kernel_struct_size(&k),
				  iowr_by_hand(k.ioc[i].nr, kernel_struct_size(&k)), our_ioctls[j].cmd);
		}
		/* Newer kernels add ioctls (7.3: READ_UNLOCKED): news, not a failure. */
		if (!known)
			cr_log_info("%s: HMM_DMIRROR_%s (nr 0x%02lx) is new to hmmbench",
				    k.path, k.ioc[i].name, k.ioc[i].nr);
	}
	for (size_t j = 0; j < N_IOCTLS; j++) {
		int found = 0;

		for (size_t i = 0; i < k.nioc; i++)
			found |= !strcmp(k.ioc[i].name, our_ioctls[j].name);
		if (!found && our_ioctls[j].since_619)
			cr_log_info("%s: no HMM_DMIRROR_%s: a tree before Linux 6.19",
				    k.path, our_ioctls[j].name);
		else
			cr_assert(found, "%s: the kernel has no HMM_DMIRROR_%s, which we use",
				  k.path, our_ioctls[j].name);
	}
}

Test(abi, kernel_prot_values)
{
	static struct kernel_abi k;

	load_kernel_abi(&k);
	for (size_t i = 0; i < k.nprot; i++) {
		size_t j;

		for (j = 0; j < N_PROT; j++)
			if (!strcmp(k.prot[i].name, our_prot[j].name))
				break;
		cr_assert(j < N_PROT, "%s: HMM_DMIRROR_PROT_%s = 0x%02lx has no HMM_PAGE_%s in pagestate.h",
			  k.path, k.prot[i].name, k.prot[i].val, k.prot[i].name);
		cr_assert(k.prot[i].val == our_prot[j].ours,
			  "%s: HMM_DMIRROR_PROT_%s is 0x%02lx, our HMM_PAGE_%s is 0x%02x",
			  k.path, k.prot[i].name, k.prot[i].val, our_prot[j].name, our_prot[j].ours);
	}
	for (size_t j = 0; j < N_PROT; j++) {
		int found = 0;

		for (size_t i = 0; i < k.nprot; i++)
			found |= !strcmp(k.prot[i].name, our_prot[j].name);
		cr_assert(found, "%s: our HMM_PAGE_%s has no HMM_DMIRROR_PROT_%s in the kernel",
			  k.path, our_prot[j].name, our_prot[j].name);
	}
}

Test(abi, kernel_flags)
{
	static struct kernel_abi k;
	int has_flags_ioctl = 0, found = 0;

	load_kernel_abi(&k);
	for (size_t i = 0; i < k.nioc; i++)
		has_flags_ioctl |= !strcmp(k.ioc[i].name, "FLAGS");
	if (!has_flags_ioctl && !k.nflag)
		cr_skip_test("%s has no HMM_DMIRROR_FLAGS (a tree before Linux 6.19)", k.path);
	for (size_t i = 0; i < k.nflag; i++) {
		if (strcmp(k.flag[i].name, "FAIL_ALLOC"))
			continue;
		found = 1;
		cr_assert(HMMB_DMIRROR_FLAG_FAIL_ALLOC == 1ULL << k.flag[i].shift,
			  "%s: HMM_DMIRROR_FLAG_FAIL_ALLOC is 1 << %u, ours is 0x%llx", k.path,
			  k.flag[i].shift, (unsigned long long)HMMB_DMIRROR_FLAG_FAIL_ALLOC);
	}
	cr_assert(found, "%s has HMM_DMIRROR_FLAGS but no HMM_DMIRROR_FLAG_FAIL_ALLOC", k.path);
}

/* --- the tree finder itself: a missing tree must skip, not pass --------- */

static char fake_home[PATH_MAX];

/* A fake unpacked tree: HOME/.cache/hmmbench/src/@dir/linux-source-V/lib/... */
static void fake_tree_in(const char *cache, const char *dir, const char *v)
{
	char cmd[PATH_MAX * 2];

	snprintf(cmd, sizeof(cmd), "%s/src/%s/linux-source-%s/lib", cache, dir, v);
	for (char *p = cmd + strlen(fake_home) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(cmd, 0755);
		*p = '/';
	}
	mkdir(cmd, 0755);
	strcat(cmd, "/test_hmm_uapi.h");
	fclose(fopen(cmd, "w"));
}

static void fake_tree(const char *v)
{
	char cache[PATH_MAX + 32], dir[64];

	snprintf(cache, sizeof(cache), "%s/.cache/hmmbench", fake_home);
	snprintf(dir, sizeof(dir), "linux-source-%s_x", v);
	fake_tree_in(cache, dir, v);
}

static void make_fake_home(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(fake_home, sizeof(fake_home), "%s/hmmbench-abi-XXXXXX", t && *t ? t : "/tmp");
	cr_assert(mkdtemp(fake_home), "mkdtemp: %s", strerror(errno));
	setenv("HOME", fake_home, 1);
	unsetenv("HMMBENCH_KERNEL_SRC");
	unsetenv("HMMBENCH_CACHE");
	unsetenv("XDG_CACHE_HOME");
}

static void drop_fake_home(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fake_home);
	if (system(cmd))
		cr_log_warn("could not remove %s", fake_home);
}

Test(abi_finder, no_tree_means_skip, .init = make_fake_home, .fini = drop_fake_home)
{
	char path[PATH_MAX], why[PATH_MAX + 128] = "";

	cr_assert(find_uapi_header(path, sizeof(path), why, sizeof(why)) == 0,
		  "an empty HOME and no HMMBENCH_KERNEL_SRC should find no tree");
	cr_assert(strstr(why, "no kernel tree"), "the skip reason should say so: \"%s\"", why);
	setenv("HMMBENCH_KERNEL_SRC", "", 1);
	cr_assert(find_uapi_header(path, sizeof(path), why, sizeof(why)) == 0,
		  "an empty HMMBENCH_KERNEL_SRC (as make check exports it) should count as unset");
}

Test(abi_finder, wrong_kernel_src_is_an_error, .init = make_fake_home, .fini = drop_fake_home)
{
	char path[PATH_MAX], why[PATH_MAX + 128] = "";

	setenv("HMMBENCH_KERNEL_SRC", fake_home, 1);
	cr_assert(find_uapi_header(path, sizeof(path), why, sizeof(why)) == -1,
		  "HMMBENCH_KERNEL_SRC without lib/test_hmm_uapi.h should be an error, not a skip");
	cr_assert(strstr(why, fake_home), "the reason should name the tree: \"%s\"", why);
}

Test(abi_finder, newest_cached_tree_wins, .init = make_fake_home, .fini = drop_fake_home)
{
	char path[PATH_MAX], why[PATH_MAX + 128] = "";

	fake_tree("6.12");
	fake_tree("7.2");
	fake_tree("6.19");
	cr_assert(find_uapi_header(path, sizeof(path), why, sizeof(why)) == 1,
		  "cached trees should be found: %s", why);
	cr_assert(strstr(path, "/linux-source-7.2/lib/test_hmm_uapi.h"),
		  "of 6.12, 6.19 and 7.2 the newest, 7.2, should be chosen, got %s", path);
}

/* scripts/test fetches into $HMMBENCH_CACHE: the finder must look there. */
Test(abi_finder, hmmbench_cache_is_where_trees_are, .init = make_fake_home, .fini = drop_fake_home)
{
	char path[PATH_MAX], why[PATH_MAX + 128] = "", cache[PATH_MAX + 32];

	snprintf(cache, sizeof(cache), "%s/elsewhere", fake_home);
	setenv("HMMBENCH_CACHE", cache, 1);
	fake_tree_in(cache, "linux-source-7.2_x", "7.2");
	cr_assert(find_uapi_header(path, sizeof(path), why, sizeof(why)) == 1,
		  "a tree under $HMMBENCH_CACHE should be found: %s", why);
	cr_assert(!strncmp(path, cache, strlen(cache)), "found under %s: %s", cache, path);
}

/* kernel-build --patch keeps patched copies in src/patched/: not Debian's tree. */
Test(abi_finder, patched_copies_are_not_the_tree, .init = make_fake_home, .fini = drop_fake_home)
{
	char path[PATH_MAX], why[PATH_MAX + 128] = "", cache[PATH_MAX + 32];

	snprintf(cache, sizeof(cache), "%s/.cache/hmmbench", fake_home);
	fake_tree("7.2");
	fake_tree_in(cache, "patched/linux-source-7.3_x-patched-abc", "7.3");
	cr_assert(find_uapi_header(path, sizeof(path), why, sizeof(why)) == 1, "%s", why);
	cr_assert(strstr(path, "/linux-source-7.2_x/linux-source-7.2/"),
		  "the unpacked Debian tree, not a patched copy: %s", path);
}
