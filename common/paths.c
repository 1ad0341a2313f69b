// SPDX-License-Identifier: GPL-2.0
/* Finding hmmbench's scripts from a checkout or an installation (paths.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

/* Set by Makefile.am from configure's directories. */
#ifndef HMMBENCH_BINDIR
#define HMMBENCH_BINDIR "/usr/local/bin"
#endif
#ifndef HMMBENCH_PKGLIBEXECDIR
#define HMMBENCH_PKGLIBEXECDIR "/usr/local/libexec/hmmbench"
#endif
#ifndef HMMBENCH_SRCDIR_DEFAULT
#define HMMBENCH_SRCDIR_DEFAULT "."
#endif
#ifndef HMMBENCH_BUILDDIR_DEFAULT
#define HMMBENCH_BUILDDIR_DEFAULT "."
#endif

/* Number of non-empty '/'-separated components of @p. */
static size_t count_components(const char *p)
{
	size_t n = 0;

	for (; *p; p++)
		if (*p != '/' && (p[1] == '/' || !p[1]))
			n++;
	return n;
}

/* The rest of @p after its first @n components (and their slashes). */
static const char *skip_components(const char *p, size_t n)
{
	while (*p == '/')
		p++;
	for (; n; n--) {
		p += strcspn(p, "/");
		while (*p == '/')
			p++;
	}
	return p;
}

/* How many leading components @a and @b share. */
static size_t common_components(const char *a, const char *b)
{
	size_t n = 0;

	for (;;) {
		size_t la, lb;

		while (*a == '/')
			a++;
		while (*b == '/')
			b++;
		la = strcspn(a, "/");
		lb = strcspn(b, "/");
		if (!la || la != lb || strncmp(a, b, la))
			return n;
		n++;
		a += la;
		b += lb;
	}
}

int hmmb_relocate(const char *exe_dir, const char *bindir, const char *target,
		  char *out, size_t len)
{
	size_t common = common_components(bindir, target);
	size_t up = count_components(bindir) - common;
	size_t keep = count_components(exe_dir);
	const char *rest = skip_components(target, common);
	const char *end;
	int n, rest_len;

	if (keep < up)
		return -1;
	/* The first keep - up components of exe_dir, with their slashes. */
	end = skip_components(exe_dir, keep - up);
	n = (int)(end - exe_dir);
	while (n > 0 && exe_dir[n - 1] == '/')
		n--;
	rest_len = (int)strlen(rest);
	while (rest_len > 0 && rest[rest_len - 1] == '/')
		rest_len--;
	if (rest_len || !n)
		n = snprintf(out, len, "%.*s/%.*s", n, exe_dir, rest_len, rest);
	else
		n = snprintf(out, len, "%.*s", n, exe_dir);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* The running binary's directory, symlinks resolved; 0 on success. */
static int exe_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	*(slash == buf ? slash + 1 : slash) = '\0';
	return 0;
}

/* Whether @dir is this hmmbench's build tree. */
static int is_build_dir(const char *dir)
{
	char build[PATH_MAX];

	return realpath(HMMBENCH_BUILDDIR_DEFAULT, build) && !strcmp(dir, build);
}

const char *hmmb_scripts_dir(void)
{
	static char dir[PATH_MAX + 16];
	const char *src = getenv("HMMBENCH_SRCDIR");
	char exe[PATH_MAX];

	if (src && *src) {
		snprintf(dir, sizeof(dir), "%s/scripts", src);
		return dir;
	}
	if (!exe_dir(exe, sizeof(exe))) {
		if (is_build_dir(exe)) {
			char src[PATH_MAX];

			snprintf(dir, sizeof(dir), "%s/scripts",
				 realpath(HMMBENCH_SRCDIR_DEFAULT, src) ? src : HMMBENCH_SRCDIR_DEFAULT);
			return dir;
		}
		if (!hmmb_relocate(exe, HMMBENCH_BINDIR, HMMBENCH_PKGLIBEXECDIR,
				   dir, sizeof(dir)) && is_dir(dir))
			return dir;
	}
	snprintf(dir, sizeof(dir), "%s", HMMBENCH_PKGLIBEXECDIR);
	return dir;
}
