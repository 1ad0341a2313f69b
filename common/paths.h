/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HMMBENCH_PATHS_H
#define HMMBENCH_PATHS_H

#include <stddef.h>

/*
 * Where hmmbench's scripts (kernel-build, vm-run, matrix, ...) live:
 * $HMMBENCH_SRCDIR/scripts when set; the source tree's scripts/ when
 * this hmmbench runs from its build tree; else the installed
 * $(pkglibexecdir), found next to the running binary first (so a
 * DESTDIR staging tree or a moved prefix works), then at its configured
 * path. Never NULL; the directory may not exist (callers say so).
 */
const char *hmmb_scripts_dir(void);

/*
 * @target, configured relative to @bindir, moved along with a binary now
 * in @exe_dir: the common leading components of @bindir and @target are
 * replaced by whatever @exe_dir has in place of @bindir's. For example
 * exe_dir /tmp/x/usr/local/bin, bindir /usr/local/bin, target
 * /usr/local/libexec/hmmbench give /tmp/x/usr/local/libexec/hmmbench.
 * Returns 0, or -1 if @exe_dir is too short or @out too small.
 */
int hmmb_relocate(const char *exe_dir, const char *bindir, const char *target,
		  char *out, size_t len);

#endif
