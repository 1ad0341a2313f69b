// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmarks' tables as a whole: the README lists exactly the keys
 * they declare (the table between the job-keys markers is what
 * `hmmbench run --help-keys` prints; `make readme-keys` rewrites it), a
 * key name means one thing whichever benchmark takes it, every default
 * parses, and metrics sharing a name agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bench_ops.h"

#ifndef HMMB_SRCDIR
#define HMMB_SRCDIR "."
#endif

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	cr_assert(f, "cannot read %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, n + 1);
	cr_assert(buf && fread(buf, 1, n, f) == (size_t)n);
	fclose(f);
	return buf;
}

Test(job_keys, readme_lists_exactly_the_declared_keys)
{
	const char *dir = getenv("HMMBENCH_SRCDIR");
	const char *begin_mark = "<!-- job-keys:begin -->\n", *end_mark = "<!-- job-keys:end -->";
	char path[4096], *readme, *begin, *end, *want = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&want, &len);

	snprintf(path, sizeof(path), "%s/README.md", dir && *dir ? dir : HMMB_SRCDIR);
	readme = slurp(path);
	begin = strstr(readme, begin_mark);
	end = begin ? strstr(begin, end_mark) : NULL;
	cr_assert(begin && end, "README.md has no job-keys markers");
	begin += strlen(begin_mark);
	*end = '\0';
	job_keys_markdown(f);
	fclose(f);
	cr_expect_str_eq(begin, want,
			 "README.md's key table differs from the key tables; run 'make readme-keys'");
	free(readme);
	free(want);
}

Test(job_keys, a_name_is_one_key_with_a_default_that_parses)
{
	for (const struct bench_ops *b = bench_first(); b; b = b->next) {
		for (const struct job_key *const *k = b->keys; *k; k++) {
			for (const struct bench_ops *o = bench_first(); o; o = o->next) {
				const struct job_key *other = bench_key(o, (*k)->name);

				cr_expect(!other || other == *k,
					  "'%s' of bench=%s and bench=%s are two declarations; share one",
					  (*k)->name, b->name, o->name);
			}
			cr_expect((*k)->help && *(*k)->help, "'%s' has no help", (*k)->name);
		}
		cr_expect(b->cases && b->case_label && b->metrics && b->describe,
			  "bench=%s lacks a part of its table", b->name);
	}
}

Test(job_keys, every_bench_and_key_parses_its_defaults)
{
	char text[4096] = "", err[512];
	struct job_list l;

	for (const struct bench_ops *b = bench_first(); b; b = b->next)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "[%s]\nbench=%s\n",
			 b->name, b->name);
	cr_assert_eq(job_parse_string("t.ini", text, &l, err, sizeof(err)), 0, "%s", err);
	for (size_t i = 0; i < l.n; i++)
		cr_expect_gt(l.jobs[i].bench->cases(&l.jobs[i]), 0, "bench=%s has a case by default",
			     l.jobs[i].bench->name);
	job_list_free(&l);
}

Test(job_keys, shipped_job_files_parse)
{
	static const char *const files[] = {
		"bench/jobs/crosscheck.ini", "bench/jobs/split-fragmented.ini",
		"tests/bisect/bisect.ini",
	};
	const char *dir = getenv("HMMBENCH_SRCDIR");

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4096], err[512];
		struct job_list l;

		snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : HMMB_SRCDIR, files[i]);
		cr_expect_eq(job_parse_file(path, &l, err, sizeof(err)), 0, "%s", err);
		job_list_free(&l);
	}
}

Test(job_keys, metrics_sharing_a_name_agree)
{
	for (const struct bench_ops *b = bench_first(); b; b = b->next) {
		for (const struct metric_info *m = b->metrics; m->name; m++) {
			const struct metric_info *known = metric_find(m->name);

			cr_assert(known, "bench=%s's metric %s is not registered", b->name, m->name);
			cr_expect(!strcmp(known->unit, m->unit) && known->better == m->better &&
				  known->kind == m->kind && !strcmp(known->describe, m->describe),
				  "metric %s of bench=%s disagrees with its first declaration", m->name,
				  b->name);
		}
	}
	cr_expect(metric_find("ops_per_s"), "the stress runner declares its metric too");
}
