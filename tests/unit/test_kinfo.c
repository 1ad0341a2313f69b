// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel a run ran on (results/kinfo.h): labels, the config's hash, and
 * what a run records from a fake /proc/config.gz, /boot and kernel info
 * directory (scripts/kernel-build's build.json, as scripts/vm-run puts it
 * in a guest).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <zlib.h>

#include "kinfo.h"
#include "test_results_util.h"

TestSuite(kinfo, .init = tu_make_tmp, .fini = tu_remove_tmp);

Test(kinfo, labels)
{
	cr_expect(kinfo_label_ok("mypatch"));
	cr_expect(kinfo_label_ok("7.2+fix_2-b"));
	cr_expect(!kinfo_label_ok(""));
	cr_expect(!kinfo_label_ok("a b"));
	cr_expect(!kinfo_label_ok("../up"));
	cr_expect(!kinfo_label_ok("a/b"));
	cr_expect(!kinfo_label_ok(".hidden"));
	cr_expect(!kinfo_label_ok("-x"));
	cr_expect(kinfo_label_ok("0123456789012345678901234567890123456789012345678901234567890123"));
	cr_expect(!kinfo_label_ok("01234567890123456789012345678901234567890123456789012345678901234"));
}

Test(kinfo, config_hash_is_of_the_options_alone)
{
	char a[65], b[65], c[65];

	/* printf 'CONFIG_A=y\nCONFIG_B="x"\n' | sha256sum */
	cr_assert_eq(kinfo_config_sha256("CONFIG_A=y\nCONFIG_B=\"x\"\n", a), 0);
	cr_expect_str_eq(a, "e910623a5847629d055512bd91672bfb5b091da904546b63e61007ba82599440");
	/* Order, comments, blank lines and the label's LOCALVERSION do not count. */
	cr_assert_eq(kinfo_config_sha256("#\n# comment\nCONFIG_B=\"x\"\n\nCONFIG_LOCALVERSION=\"-fix\"\n"
					 "# CONFIG_C is not set\nCONFIG_A=y\n", b), 0);
	cr_expect_str_eq(a, b);
	cr_assert_eq(kinfo_config_sha256("CONFIG_A=m\nCONFIG_B=\"x\"\n", c), 0);
	cr_expect_str_neq(a, c);
	cr_expect_eq(kinfo_config_sha256("# only comments\n", c), -1);
}

static void dir_in(const char *name, char *out)
{
	cr_assert_lt((size_t)snprintf(out, PATH_MAX, "%s/%s", tu_tmp, name), (size_t)PATH_MAX);
	cr_assert_eq(mkdir(out, 0755), 0, "mkdir %s", out);
}

static char *slurp_file(const char *dir, const char *name)
{
	static char buf[4096];
	char path[2 * PATH_MAX];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static const char build_json[] =
	"{\"schema\": 1, \"release\": \"7.2.13-fix\", \"label\": \"fix\",\n"
	" \"source\": {\"id\": \"debian:linux-source-7.2=7.2.13-1\", \"kind\": \"debian\"},\n"
	" \"patches\": [{\"name\": \"a.patch\", \"sha256\": \"ab\"}],\n"
	" \"fragments\": [{\"name\": \"test-hmm.fragment\"}],\n"
	" \"config_inputs\": {\"sha256\": \"cd\", \"describe\": \"tinyconfig + test-hmm.fragment\"}}\n";

/* A guest of scripts/vm-run: no /proc/config.gz here, the build's files. */
Test(kinfo, a_kernel_build_guest)
{
	char info[PATH_MAX], run[PATH_MAX], pdir[2 * PATH_MAX];
	struct kinfo_paths p = { "/nonexistent/config.gz", "/nonexistent", info, "/nonexistent" };
	json_t *k = json_pack("{s:s}", "release", "7.2.13-fix");
	char want[65];

	dir_in("info", info);
	dir_in("run", run);
	snprintf(pdir, sizeof(pdir), "%s/patches", info);
	cr_assert_eq(mkdir(pdir, 0755), 0);
	tu_write(info, "build.json", build_json);
	tu_write(info, "config", "CONFIG_A=y\nCONFIG_LOCALVERSION=\"-fix\"\n");
	tu_write(pdir, "0001-a.patch", "--- a/x\n+++ b/x\n");
	kinfo_add_from(k, "fix", run, &p);

	cr_expect_str_eq(json_string_value(json_object_get(k, "label")), "fix");
	kinfo_config_sha256("CONFIG_A=y\n", want);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(k, "config"), "sha256")), want);
	cr_expect_not_null(strstr(json_string_value(json_object_get(json_object_get(k, "config"), "from")), "info/config"));
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(k, "source"), "id")),
			 "debian:linux-source-7.2=7.2.13-1");
	cr_expect_not_null(strstr(json_string_value(json_object_get(json_object_get(k, "source"), "from")),
				  "info/build.json"));
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(
		json_object_get(json_object_get(k, "build"), "patches"), 0), "name")), "a.patch");
	cr_expect_str_eq(slurp_file(run, KINFO_CONFIG_FILE), "CONFIG_A=y\nCONFIG_LOCALVERSION=\"-fix\"\n");
	cr_expect_str_eq(slurp_file(run, KINFO_PATCH_DIR "/0001-a.patch"), "--- a/x\n+++ b/x\n");
	json_decref(k);
}

/* Bare metal: /proc/config.gz wins; a build.json of another kernel is ignored. */
Test(kinfo, bare_metal)
{
	char info[PATH_MAX], gz[2 * PATH_MAX], ver[2 * PATH_MAX];
	struct kinfo_paths p = { gz, "/nonexistent", info, ver };
	json_t *k = json_pack("{s:s}", "release", "6.12.117-amd64");
	const char *why;
	char want[65];
	gzFile g;

	dir_in("info", info);
	tu_write(info, "build.json", build_json);
	snprintf(gz, sizeof(gz), "%s/config.gz", tu_tmp);
	g = gzopen(gz, "wb");
	cr_assert_not_null(g);
	gzputs(g, "CONFIG_GZ=y\n");
	gzclose(g);
	tu_write(tu_tmp, "version", "Linux version 6.12.117-amd64 (debian-kernel@lists.debian.org) "
	    "#1 SMP PREEMPT_DYNAMIC Debian 6.12.117-1 (2026-10-01)\n");
	snprintf(ver, sizeof(ver), "%s/version", tu_tmp);
	kinfo_add_from(k, NULL, NULL, &p);

	cr_expect(json_is_null(json_object_get(k, "label")));
	kinfo_config_sha256("CONFIG_GZ=y\n", want);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(k, "config"), "sha256")), want);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(k, "config"), "from")), gz);
	why = json_string_value(json_object_get(json_object_get(k, "build"), "why"));
	cr_expect(why && strstr(why, "not the running 6.12.117-amd64"), "why: %s", why);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(k, "source"), "id")),
			 "debian:linux=6.12.117-1");
	json_decref(k);
}

Test(kinfo, nothing_known_says_why)
{
	struct kinfo_paths p = { "/nonexistent/a", "/nonexistent", "/nonexistent", "/nonexistent" };
	json_t *k = json_pack("{s:s}", "release", "7.3.4");

	kinfo_add_from(k, NULL, NULL, &p);
	cr_expect(json_is_null(json_object_get(json_object_get(k, "config"), "sha256")));
	cr_expect_not_null(json_object_get(json_object_get(k, "config"), "why"));
	cr_expect(json_is_null(json_object_get(json_object_get(k, "source"), "id")));
	cr_expect_not_null(json_object_get(json_object_get(k, "build"), "why"));
	json_decref(k);
}
