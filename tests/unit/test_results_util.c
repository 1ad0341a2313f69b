// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "test_results_util.h"

char tu_tmp[PATH_MAX];

void tu_make_tmp(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tu_tmp, sizeof(tu_tmp), "%s/hmmbench-results-XXXXXX", t && *t ? t : "/tmp");
	cr_assert(mkdtemp(tu_tmp), "mkdtemp(%s) should work: %s", tu_tmp, strerror(errno));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

void tu_remove_tmp(void)
{
	if (tu_tmp[0])
		nftw(tu_tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	tu_tmp[0] = '\0';
}

void tu_write(const char *dir, const char *name, const char *text)
{
	char path[2 * PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

void tu_fixture(const char *name, char *out, size_t len)
{
	const char *src = getenv("HMMBENCH_SRCDIR");

	if (src && *src) {
		snprintf(out, len, "%s/tests/fixtures/%s", src, name);
	} else {
		char here[PATH_MAX];

		snprintf(here, sizeof(here), "%s", __FILE__);
		snprintf(out, len, "%s/../fixtures/%s", dirname(here), name);
	}
	cr_assert(access(out, R_OK) == 0,
		  "fixture %s should be readable (set HMMBENCH_SRCDIR to the source tree): %s",
		  out, strerror(errno));
}

int tu_cache_dir(char *out, size_t len)
{
	const char *cache = getenv("HMMBENCH_CACHE"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (cache && *cache) {
		snprintf(out, len, "%s", cache);
		return 0;
	}
	if (xdg && *xdg) {
		snprintf(out, len, "%s/hmmbench", xdg);
		return 0;
	}
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());

		home = pw ? pw->pw_dir : NULL;
	}
	if (!home)
		return -1;
	snprintf(out, len, "%s/.cache/hmmbench", home);
	return 0;
}
