/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers of the results tests: a scratch directory and the fixtures. */
#ifndef HMMBENCH_TEST_RESULTS_UTIL_H
#define HMMBENCH_TEST_RESULTS_UTIL_H

#include <limits.h>
#include <stddef.h>

extern char tu_tmp[PATH_MAX];

/* A fresh directory in tu_tmp (suite .init), removed with all it holds (.fini). */
void tu_make_tmp(void);
void tu_remove_tmp(void);
/* Writes @text to @dir/@name (asserts that it could). */
void tu_write(const char *dir, const char *name, const char *text);
/*
 * The path of tests/fixtures/@name, through $HMMBENCH_SRCDIR (set by make
 * check) or relative to this source file; asserts that it exists.
 */
void tu_fixture(const char *name, char *out, size_t len);
/*
 * scripts/lib.sh's $HMMBENCH_CACHE, where kernel-build unpacks its trees
 * (src/linux-source-V_FULL/linux-source-V): $HMMBENCH_CACHE, else
 * $XDG_CACHE_HOME/hmmbench, else ~/.cache/hmmbench. 0, or -1 with no home.
 */
int tu_cache_dir(char *out, size_t len);

#endif
