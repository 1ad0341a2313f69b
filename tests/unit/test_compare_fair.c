// SPDX-License-Identifier: GPL-2.0
/*
 * Sides by label, and the differences that make compare refuse: runs are
 * written as records into a scratch tree, loaded as 'hmmbench compare'
 * loads them, and compared.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>

#include "compare.h"
#include "test_results_util.h"

static const struct cmp_opts opts = { .threshold = 0.05, .alpha = 0.05 };

TestSuite(compare_fair, .init = tu_make_tmp, .fini = tu_remove_tmp);

/* What varies between the runs of these tests; the rest of the meta is fixed. */
struct run_meta {
	const char *release, *label, *thp, *host, *config_inputs, *config_sha;
	long long mem_kib;
	int cpus;
};

static const struct run_meta plain = {
	"7.2.13", NULL, "always", "lab1", "tinyconfig + test-hmm.fragment", NULL, 2049548, 2,
};

/* Writes @m as run @name under tu_tmp/@tree/, with 6 samples near @mbps. */
static void write_run(const char *tree, const char *name, const struct run_meta *m, int mbps)
{
	char dir[2 * PATH_MAX], path[3 * PATH_MAX], build[512] = "{}", cfg[256] = "{}";
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/%s", tu_tmp, tree);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/%s/%s", tu_tmp, tree, name);
	cr_assert_eq(mkdir(dir, 0755), 0, "mkdir %s", dir);
	snprintf(path, sizeof(path), "%s/records.jsonl", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	if (m->config_inputs)
		snprintf(build, sizeof(build),
			 "{\"config_inputs\":{\"sha256\":\"%064x\",\"describe\":\"%s\"}}",
			 (unsigned int)strlen(m->config_inputs), m->config_inputs);
	if (m->config_sha)
		snprintf(cfg, sizeof(cfg), "{\"sha256\":\"%s\"}", m->config_sha);
	fprintf(f, "{\"schema\":1,\"type\":\"meta\",\"hmmbench\":{\"version\":\"0.1.0\",\"commit\":\"abc\"},"
		"\"host\":\"%s\",\"suite\":\"smoke\",\"command\":\"hmmbench run\","
		"\"kernel\":{\"release\":\"%s\",\"label\":%s%s%s,\"cmdline\":\"console=ttyS0\","
		"\"config\":%s,\"build\":%s},"
		"\"thp\":{\"enabled\":\"%s\",\"defrag\":\"madvise\"},"
		"\"cpu\":{\"model\":\"QEMU TCG CPU\",\"count\":%d},\"memory_kib\":%lld}\n",
		m->host, m->release, m->label ? "\"" : "", m->label ? m->label : "null",
		m->label ? "\"" : "", cfg, build, m->thp, m->cpus, m->mem_kib);
	for (int i = 0; i < 6; i++)
		fprintf(f, "{\"schema\":1,\"type\":\"sample\",\"bench\":\"migrate\","
			"\"params\":{\"size\":33554432,\"pages\":\"thp\",\"direction\":\"to-dev\"},"
			"\"iter\":%d,\"ns\":1000,\"values\":{\"throughput\":%d}}\n", i, mbps + i);
	fprintf(f, "{\"schema\":1,\"type\":\"end\",\"status\":\"complete\",\"counters_delta\":{}}\n");
	fclose(f);
}

struct loaded {
	struct rs_set set;
	struct cmp_side *sides;
	size_t n;
};

static void load(const char *tree, struct loaded *l)
{
	char dir[2 * PATH_MAX], err[512];

	memset(l, 0, sizeof(*l));
	snprintf(dir, sizeof(dir), "%s/%s", tu_tmp, tree);
	cr_assert_eq(rs_load_tree(dir, &l->set, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(cmp_sides(&l->set, dir, &l->sides, &l->n), 0);
}

static void unload(struct loaded *l)
{
	cmp_sides_free(l->sides, l->n);
	rs_set_free(&l->set);
}

/* The refusals of comparing tree @b's only side against tree @n's, joined. */
static char *unfair_of(const char *b, const char *n, size_t *count)
{
	static char all[4096];
	struct loaded lb, ln;
	struct cmp_table t;

	load(b, &lb);
	load(n, &ln);
	cr_assert_eq(lb.n, 1);
	cr_assert_eq(ln.n, 1);
	cr_assert_eq(cmp_build(&lb.sides[0], &ln.sides[0], &opts, &t), 0);
	all[0] = '\0';
	for (size_t i = 0; i < t.nunfair; i++)
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s|", t.unfair[i]);
	*count = t.nunfair;
	cmp_table_free(&t);
	unload(&lb);
	unload(&ln);
	return all;
}

Test(compare_fair, a_label_makes_a_side_of_its_own)
{
	struct run_meta fix = plain;
	struct loaded l;
	char title[300];

	fix.release = "7.2.13-fix";
	fix.label = "fix";
	write_run("t", "a", &plain, 100);
	write_run("t", "b", &fix, 90);
	write_run("t", "c", &fix, 91);
	load("t", &l);
	cr_assert_eq(l.n, 2);
	cr_expect_str_eq(l.sides[0].release, "7.2.13");
	cr_expect_str_eq(l.sides[1].release, "fix");
	cr_expect_eq(l.sides[1].nruns, 2);
	cmp_side_title(&l.sides[1], title, sizeof(title));
	cr_expect_str_eq(title, "fix (release 7.2.13-fix)");
	cmp_side_title(&l.sides[0], title, sizeof(title));
	cr_expect_str_eq(title, "7.2.13");
	unload(&l);
}

Test(compare_fair, same_release_two_labels_two_sides)
{
	struct run_meta a = plain, b = plain;
	struct loaded l;

	a.label = "before";
	b.label = "after";
	write_run("t", "a", &a, 100);
	write_run("t", "b", &b, 100);
	load("t", &l);
	cr_expect_eq(l.n, 2);
	unload(&l);
}

Test(compare_fair, a_patch_or_label_alone_is_fair)
{
	struct run_meta fix = plain;
	size_t n;

	fix.release = "7.2.13-fix";
	fix.label = "fix";
	write_run("base", "a", &plain, 100);
	write_run("new", "b", &fix, 100);
	unfair_of("base", "new", &n);
	cr_expect_eq(n, 0);
}

Test(compare_fair, other_kernel_versions_built_alike_are_fair)
{
	struct run_meta k612 = plain;
	size_t n;

	k612.release = "6.12.117";
	k612.mem_kib = plain.mem_kib - 30000;	/* within 2% */
	write_run("base", "a", &k612, 100);
	write_run("new", "b", &plain, 100);
	unfair_of("base", "new", &n);
	cr_expect_eq(n, 0);
}

Test(compare_fair, config_thp_memory_cpus_and_host_refuse)
{
	struct run_meta other = plain;
	size_t n;
	const char *why;

	other.config_inputs = "tinyconfig + test-hmm.fragment + gpu-nouveau-svm.fragment";
	other.thp = "madvise";
	other.mem_kib = plain.mem_kib * 2;
	other.cpus = 4;
	other.host = "box2";
	write_run("base", "a", &plain, 100);
	write_run("new", "b", &other, 100);
	why = unfair_of("base", "new", &n);
	cr_expect_eq(n, 5, "%s", why);
	cr_expect(strstr(why, "kernel config ('tinyconfig + test-hmm.fragment, inputs"), "%s", why);
	cr_expect(strstr(why, "gpu-nouveau-svm.fragment"), "%s", why);
	cr_expect(strstr(why, "THP enabled ('always' on 7.2.13 vs 'madvise' on 7.2.13)"), "%s", why);
	cr_expect(strstr(why, "memory (KiB)"), "%s", why);
	cr_expect(strstr(why, "CPU count"), "%s", why);
	cr_expect(strstr(why, "host ('lab1'"), "%s", why);
}

Test(compare_fair, bare_metal_configs_compare_by_their_options)
{
	struct run_meta a = plain, b = plain;
	size_t n;
	const char *why;

	a.config_inputs = b.config_inputs = NULL;
	a.config_sha = "1111111111111111111111111111111111111111111111111111111111111111";
	b.config_sha = "2222222222222222222222222222222222222222222222222222222222222222";
	write_run("base", "a", &a, 100);
	write_run("new", "b", &b, 100);
	why = unfair_of("base", "new", &n);
	cr_expect_eq(n, 1, "%s", why);
	cr_expect(strstr(why, "options sha256 111111111111"), "%s", why);
}

/* Records from before configs were recorded: a note at most, no refusal. */
Test(compare_fair, an_unknown_config_is_not_refused)
{
	struct run_meta old = plain;
	size_t n;

	old.config_inputs = NULL;
	write_run("base", "a", &old, 100);
	write_run("new", "b", &plain, 100);
	unfair_of("base", "new", &n);
	cr_expect_eq(n, 0);
}

Test(compare_fair, the_same_hosts_in_another_order_are_fair)
{
	struct run_meta box = plain;
	size_t n;

	box.host = "box2";
	write_run("base", "a", &plain, 100);
	write_run("base", "b", &box, 100);
	write_run("new", "c", &box, 100);
	write_run("new", "d", &plain, 100);
	unfair_of("base", "new", &n);
	cr_expect_eq(n, 0);
}
