// SPDX-License-Identifier: GPL-2.0
/*
 * hmmbench export --format kcidb (results/kcidb.h): which checkout, build
 * and tests runs become, with the kernel facts a run records and without
 * them (older runs). The schema itself is checked by tests/host/export-kcidb.sh
 * with python3-jsonschema against kcidb-io's v5.3 schema.
 */
#include <limits.h>
#include <string.h>

#include <criterion/criterion.h>

#include "kcidb.h"
#include "reader.h"
#include "test_results_util.h"

static json_t *export_fixture(const char *name)
{
	struct rs_set set = { 0 };
	char dir[PATH_MAX], err[PATH_MAX + 256];
	json_t *doc;

	tu_fixture(name, dir, sizeof(dir));
	cr_assert_eq(rs_load_tree(dir, &set, err, sizeof(err)), 0, "%s", err);
	doc = kcidb_export(&set, "hmmbench", err, sizeof(err));
	cr_assert(doc, "%s", err);
	rs_set_free(&set);
	return doc;
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The test whose path is @path, or NULL. */
static json_t *test_at(json_t *doc, const char *path)
{
	size_t i;
	json_t *t;

	json_array_foreach(json_object_get(doc, "tests"), i, t)
		if (!strcmp(str(t, "path"), path))
			return t;
	return NULL;
}

Test(kcidb, a_run_with_its_kernel_facts)
{
	json_t *doc = export_fixture("results-kcidb"), *c, *b, *t, *n;

	cr_assert_eq(json_integer_value(json_object_get(json_object_get(doc, "version"), "major")), 5);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(doc, "version"), "minor")), 3);
	cr_assert_eq(json_array_size(json_object_get(doc, "checkouts")), 1);
	c = json_array_get(json_object_get(doc, "checkouts"), 0);
	cr_assert_str_eq(str(c, "id"), "hmmbench:debian:linux-source-7.2=7.2.13-1");
	cr_assert_str_eq(str(c, "tree_name"), "debian");
	cr_assert_str_eq(str(c, "patchset_hash"), "");	/* no patches applied */

	b = json_array_get(json_object_get(doc, "builds"), 0);
	cr_assert_str_eq(str(b, "checkout_id"), str(c, "id"));
	cr_assert_str_eq(str(b, "id"), "hmmbench:debian:linux-source-7.2=7.2.13-1:config:"
			 "6d1e2f1bb2b5c2c8a6fcb0a4cf8d5c85b9d2e6a0c0f0f5b0f8d4f3b6a1c2d3e4");
	cr_assert_str_eq(str(b, "architecture"), "x86_64");
	cr_assert_str_eq(str(b, "config_name"), "tinyconfig + test-hmm.fragment");
	cr_assert(strstr(str(b, "compiler"), "gcc"));

	/* one DONE test per summary record (10 in the fixture) */
	cr_assert_eq(json_array_size(json_object_get(doc, "tests")), 10);
	t = test_at(doc, "hmmbench.migrate.32M-thp-to-dev.throughput");
	cr_assert(t);
	cr_assert_str_eq(str(t, "build_id"), str(b, "id"));
	cr_assert_str_eq(str(t, "status"), "DONE");
	cr_assert_str_eq(str(t, "id"), "hmmbench:7.2.13/run-lava:migrate.32M-thp-to-dev.throughput");
	n = json_object_get(t, "number");
	cr_assert_float_eq(json_number_value(json_object_get(n, "value")), 148.92435776608818, 1e-9);
	cr_assert_str_eq(str(n, "unit"), "MB/s");
	cr_assert_str_eq(str(t, "start_time"), "2026-12-04T20:24:48Z");
	cr_assert(test_at(doc, "hmmbench.split-baseline.8M-to-sys-injected.time"));
	json_decref(doc);
}

Test(kcidb, older_runs_fall_back_to_the_release)
{
	json_t *doc = export_fixture("results-two-kernels"), *c, *b, *t;

	cr_assert_eq(json_array_size(json_object_get(doc, "checkouts")), 2);
	c = json_array_get(json_object_get(doc, "checkouts"), 0);
	cr_assert_str_eq(str(c, "id"), "hmmbench:release:6.12.117");
	cr_assert(json_object_get(json_object_get(c, "misc"), "source_unknown"));
	cr_assert_null(json_object_get(c, "patchset_hash"));	/* not known */
	b = json_array_get(json_object_get(doc, "builds"), 0);
	cr_assert_str_eq(str(b, "id"), "hmmbench:release:6.12.117:config:unknown");
	cr_assert(json_object_get(json_object_get(b, "misc"), "config_unknown"));
	/* a capability the kernel lacked: a SKIP test saying why */
	t = test_at(doc, "hmmbench.split.8M-to-dev-injected.unsupported");
	cr_assert(t);
	cr_assert_str_eq(str(t, "status"), "SKIP");
	cr_assert(str(json_object_get(t, "misc"), "reason"));
	cr_assert_null(json_object_get(t, "number"));
	json_decref(doc);
}

Test(kcidb, stress_scenarios_pass_or_fail)
{
	json_t *doc = export_fixture("results-stress"), *t;

	t = test_at(doc, "hmmbench.stress.migrate-fault");
	cr_assert(t);
	cr_assert_str_eq(str(t, "status"), "PASS");
	cr_assert_str_eq(str(json_object_get(t, "number"), "unit"), "operations");
	json_decref(doc);
}

Test(kcidb, origins)
{
	cr_assert(kcidb_origin_ok("hmmbench"));
	cr_assert(kcidb_origin_ok("my_lab2"));
	cr_assert_not(kcidb_origin_ok(""));
	cr_assert_not(kcidb_origin_ok("My-Lab"));
	cr_assert_not(kcidb_origin_ok(NULL));
}
