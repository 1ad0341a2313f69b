// SPDX-License-Identifier: GPL-2.0
/*
 * hmmb_relocate() (common/paths.h): the installed hmmbench finds its
 * scripts beside itself however the configured prefix moved: a DESTDIR
 * staging tree, a prefix copied elsewhere, bindir and libexecdir that
 * share only /, trailing and doubled slashes.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "paths.h"

static void expect(const char *exe, const char *bindir, const char *target, const char *want)
{
	char out[256];
	int rc = hmmb_relocate(exe, bindir, target, out, sizeof(out));

	cr_assert(rc == 0 && !strcmp(out, want),
		  "relocate(%s, %s, %s) should give %s, got rc %d '%s'",
		  exe, bindir, target, want, rc, rc ? "" : out);
}

Test(paths, same_place_when_installed_where_configured)
{
	expect("/usr/local/bin", "/usr/local/bin", "/usr/local/libexec/hmmbench",
	       "/usr/local/libexec/hmmbench");
}

Test(paths, destdir_staging_tree)
{
	expect("/tmp/x/usr/local/bin", "/usr/local/bin", "/usr/local/libexec/hmmbench",
	       "/tmp/x/usr/local/libexec/hmmbench");
}

Test(paths, moved_prefix)
{
	expect("/opt/hb/bin", "/usr/local/bin", "/usr/local/libexec/hmmbench",
	       "/opt/hb/libexec/hmmbench");
}

Test(paths, dirs_sharing_only_root)
{
	expect("/stage/bin", "/bin", "/libexec/hmmbench", "/stage/libexec/hmmbench");
	expect("/bin", "/bin", "/libexec/hmmbench", "/libexec/hmmbench");
}

Test(paths, slashes_do_not_count)
{
	expect("/tmp/x/usr/bin/", "/usr//bin/", "/usr/libexec/hmmbench/",
	       "/tmp/x/usr/libexec/hmmbench");
}

Test(paths, too_short_exe_dir_fails)
{
	char out[64];

	cr_assert_eq(hmmb_relocate("/bin", "/usr/local/bin", "/usr/libexec/x", out, sizeof(out)), -1,
		     "an exe dir with fewer components than bindir needs up cannot be relocated");
}

Test(paths, small_buffer_fails)
{
	char out[8];

	cr_assert_eq(hmmb_relocate("/tmp/x/usr/bin", "/usr/bin", "/usr/libexec/hmmbench",
				   out, sizeof(out)), -1, "a result longer than the buffer is an error");
}
