// SPDX-License-Identifier: GPL-2.0
/*
 * The shape of the source tree, checked rather than hoped for: only
 * drivers-ioctl/ calls a backend's operations (everything else goes
 * through the hmm_dev_*() wrappers, which check the capability, name the
 * error and retry EINTR), and each folder includes only the folders below
 * it: common/ is the bottom, results/ and stress/ never reach into bench/.
 */
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>

#ifndef HMMB_SRCDIR
#define HMMB_SRCDIR "."
#endif

static const char *srcdir(void)
{
	const char *d = getenv("HMMBENCH_SRCDIR");

	return d && *d ? d : HMMB_SRCDIR;
}

/* Calls @fn on every .c and .h file directly in @dir (relative to srcdir). */
static void each_source(const char *dir, void (*fn)(const char *dir, const char *path, void *arg),
			void *arg)
{
	char path[4096];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", srcdir(), dir);
	d = opendir(path);
	cr_assert(d, "cannot open %s: the unit tests read the sources (HMMBENCH_SRCDIR)", path);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (n < 3 || e->d_name[0] == '.' ||
		    (strcmp(e->d_name + n - 2, ".c") && strcmp(e->d_name + n - 2, ".h")))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", srcdir(), dir, e->d_name);
		fn(dir, path, arg);
	}
	closedir(d);
}

static const char *const outside_drivers[] = {
	"common", "bench", "stress", "results", "cli", "tests/unit", "tests/vm",
};

static void no_op_calls(const char *dir, const char *path, void *arg)
{
	regex_t *re = arg;
	char line[1024];
	FILE *f = fopen(path, "r");
	int n = 0;

	(void)dir;
	cr_assert(f, "cannot read %s", path);
	while (fgets(line, sizeof(line), f)) {
		n++;
		/* This file names the pattern it looks for. */
		if (strstr(path, "test_layout.c"))
			break;
		cr_expect(regexec(re, line, 0, NULL, 0), "%s:%d calls a backend operation directly; use the hmm_dev_*() wrapper (drivers-ioctl/backend.h): %s",
			  path, n, line);
	}
	fclose(f);
}

Test(layout, backend_operations_only_through_wrappers)
{
	regex_t re;

	cr_assert(!regcomp(&re, "ops->(discover|open|probe_caps|migrate_to_dev|migrate_to_sys|"
			   "snapshot|dev_read|dev_write|exclusive|check_exclusive|inject_fail_alloc|"
			   "release|copy_bus|close|explain)[[:space:]]*\\(", REG_EXTENDED | REG_NOSUB));
	for (size_t i = 0; i < sizeof(outside_drivers) / sizeof(outside_drivers[0]); i++)
		each_source(outside_drivers[i], no_op_calls, &re);
	regfree(&re);
}

/* Who may include whom: a folder, then the folders its files may include from. */
static const struct layer {
	const char *dir;
	const char *may[6];
} layers[] = {
	{ "common", { "common" } },
	{ "drivers-ioctl", { "drivers-ioctl", "common" } },
	{ "results", { "results", "common" } },
	{ "bench", { "bench", "results", "drivers-ioctl", "common" } },
	{ "stress", { "stress", "results", "drivers-ioctl", "common" } },
};

static const char *const all_dirs[] = {
	"common", "drivers-ioctl", "results", "bench", "stress", "cli",
};

/* The folder that holds header @name, or NULL (a generated or system one). */
static const char *home_of(const char *name)
{
	char path[4096];
	struct stat st;

	for (size_t i = 0; i < sizeof(all_dirs) / sizeof(all_dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", srcdir(), all_dirs[i], name);
		if (!stat(path, &st))
			return all_dirs[i];
	}
	return NULL;
}

static void includes_below(const char *dir, const char *path, void *arg)
{
	const struct layer *l = arg;
	char line[1024], name[256];
	FILE *f = fopen(path, "r");
	int n = 0;

	(void)dir;
	cr_assert(f, "cannot read %s", path);
	while (fgets(line, sizeof(line), f)) {
		const char *home;
		int allowed = 0;

		n++;
		if (sscanf(line, "#include \"%255[^\"]\"", name) != 1)
			continue;
		home = home_of(name);
		for (size_t i = 0; home && i < 6 && l->may[i]; i++)
			allowed |= !strcmp(home, l->may[i]);
		cr_expect(!home || allowed, "%s:%d: %s/ includes %s from %s/, which it must not reach into",
			  path, n, l->dir, name, home);
	}
	fclose(f);
}

Test(layout, folders_include_only_below_them)
{
	for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++)
		each_source(layers[i].dir, includes_below, (void *)&layers[i]);
}
