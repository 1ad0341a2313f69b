// SPDX-License-Identifier: GPL-2.0
/*
 * Job files and suites, parsed from the benchmarks' key tables: what
 * parses, defaults, [global] reaching the jobs after it, and errors that
 * name file, line and key.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "adaptive.h"
#include "bench_ops.h"
#include "job.h"

static char err[512];

static int parse(const char *text, struct job_list *l)
{
	err[0] = '\0';
	return job_parse_string("t.ini", text, l, err, sizeof(err));
}

/* A key's value in @j, whether it lives in struct job or the bench's own options. */
static unsigned int uint_of(const struct job *j, const char *key)
{
	const struct job_key *k = bench_key(j->bench, key);

	cr_assert(k, "bench=%s takes '%s'", j->bench->name, key);
	return *(unsigned int *)job_key_field(j, k);
}

static const struct uint_list *list_of(const struct job *j, const char *key)
{
	const struct job_key *k = bench_key(j->bench, key);

	cr_assert(k && k->type == KEY_UINTS, "bench=%s takes the list '%s'", j->bench->name, key);
	return job_key_field(j, k);
}

Test(job, global_defaults_apply_to_later_sections)
{
	struct job_list l;

	cr_assert_eq(parse("[global]\ndevice=/dev/hmm_dmirror1\nmin_samples=7\n"
			   "[a]\nbench=migrate\nsizes=512K,2M\npages=thp\n"
			   "[b]\nbench=split\ndirection=to-sys\nfailure=injected\n", &l), 0,
		     "a valid file parses (error: %s)", err);
	cr_assert_eq(l.n, 2, "two job sections, [global] is not a job");
	cr_assert_str_eq(l.device, "/dev/hmm_dmirror1", "[global] device is the run's");
	cr_assert_eq(l.jobs[1].reps.min_samples, 7, "[global] min_samples reaches [b]");
	cr_assert_eq(l.jobs[0].sizes.n, 2);
	cr_assert_eq(l.jobs[0].sizes.v[0], 512 * 1024, "512K is 524288 bytes");
	cr_assert_eq(l.jobs[0].sizes.v[1], 2 * 1024 * 1024);
	cr_assert_eq(l.jobs[0].pages_mask, 1u << PAGES_THP, "pages=thp selects THP only");
	cr_assert_str_eq(l.jobs[1].bench->name, "split");
	cr_assert_eq(l.jobs[1].dir_mask, 1u << TO_SYS);
	cr_assert_eq(uint_of(&l.jobs[1], "failure"), 0, "failure=injected, the first choice");
	job_list_free(&l);
}

Test(job, defaults_come_from_the_tables)
{
	struct job_list l;

	cr_assert_eq(parse("[m]\n[f]\nbench=fault\n", &l), 0, "%s", err);
	cr_assert_str_eq(l.jobs[0].bench->name, "migrate", "bench defaults to migrate");
	cr_assert_eq(l.jobs[0].sizes.n, 1);
	cr_assert_eq(l.jobs[0].sizes.v[0], 32UL << 20, "sizes=32M");
	cr_assert_eq(l.jobs[0].pages_mask, 1u << PAGES_THP | 1u << PAGES_4K);
	cr_assert_eq(l.jobs[0].dir_mask, 1u << TO_DEV | 1u << TO_SYS, "roundtrip");
	cr_assert_eq(l.jobs[0].warmup, 1);
	cr_assert(l.jobs[0].reps.fixed == 0 && l.jobs[0].reps.min_samples == 5 &&
		  l.jobs[0].reps.max_samples == 50 && l.jobs[0].reps.target_ci == 0.02 &&
		  l.jobs[0].reps.max_time_s == 30, "adaptive defaults");
	cr_assert_eq(list_of(&l.jobs[1], "threads")->n, 1);
	cr_assert_eq(uint_of(&l.jobs[1], "stride"), 16);
	job_list_free(&l);
}

Test(job, bench_may_come_after_its_keys)
{
	struct job_list l;

	cr_assert_eq(parse("[f]\nthreads=1,2,4\naccess=write\npattern=strided\nstride=8\n"
			   "ranges=overlap\nbench=fault\n", &l), 0, "%s", err);
	cr_assert_eq(list_of(&l.jobs[0], "threads")->n, 3);
	cr_assert_eq(list_of(&l.jobs[0], "threads")->v[2], 4);
	cr_assert_eq(uint_of(&l.jobs[0], "access"), 1, "write");
	cr_assert_eq(uint_of(&l.jobs[0], "pattern"), 2, "strided");
	cr_assert_eq(uint_of(&l.jobs[0], "stride"), 8);
	cr_assert_eq(uint_of(&l.jobs[0], "ranges"), 1, "overlap");
	job_list_free(&l);
}

Test(job, size_range_doubles)
{
	struct job_list l;

	cr_assert_eq(parse("[a]\nsizes=2M-16M\n", &l), 0, "%s", err);
	cr_assert_eq(l.jobs[0].sizes.n, 4, "2M,4M,8M,16M");
	cr_assert_eq(l.jobs[0].sizes.v[3], 16UL << 20);
	job_list_free(&l);
	cr_assert_eq(parse("[a]\nsize=4M\n", &l), 0, "size= is sizes=: %s", err);
	cr_assert_eq(l.jobs[0].sizes.v[0], 4UL << 20);
	job_list_free(&l);
}

struct bad_case {
	const char *text;
	const char *want;	/* substring of the error */
};

Test(job, errors_name_file_line_and_key)
{
	static const struct bad_case bad[] = {
		{ "[a]\nbench=migrate\nfrobnicate=1\n", "t.ini:3: unknown key 'frobnicate' in [a]" },
		{ "[a]\nsizes=3M,abc\n", "t.ini:2: key 'sizes': bad value '3M,abc'; expected 4 KiB multiples" },
		{ "[a]\nsizes=1000\n", "key 'sizes'" },	/* not a 4 KiB multiple */
		{ "[a]\nsizes=1M-64G\n", "key 'sizes'" },	/* more than 16 */
		{ "[a]\npages=huge\n", "t.ini:2: key 'pages': bad value 'huge'; expected thp or 4k" },
		{ "[a]\ndirection=sideways\n", "key 'direction'" },
		{ "[a]\nbench=fault\nthreads=0\n", "t.ini:3: key 'threads': bad value '0'; expected a comma list of whole numbers from 1 to 1024" },
		{ "[a]\nbench=fault\nstride=0\n", "expected a whole number from 1 to 4096" },
		{ "[a]\ntarget_ci=150%\n", "key 'target_ci'" },
		{ "[a]\nmax_time=-1s\n", "key 'max_time'" },
		{ "[a]\nmax_time=0\n", "key 'max_time'" },
		{ "[a]\nrepetitions=0\n", "key 'repetitions'" },
		{ "[a]\nbench=quantum\n", "t.ini:2: key 'bench': bad value 'quantum'; expected copyceil, fault, migrate, split" },
		{ "bench=migrate\n", "t.ini:1: key 'bench' before any [section]" },
		{ "[a]\nthis is not ini\n", "t.ini:2: not INI syntax" },
		{ "[a]\nmin_samples=9\nmax_samples=3\n", "t.ini: [a]: min_samples 9 is above max_samples 3" },
		{ "[global]\nsizes=2M\n", "no job sections" },
		{ "[a]\nbench=split\nfailure=fragmented\npressure=0,101\n",
		  "t.ini:4: key 'pressure': bad value '0,101'" },
		{ "[a]\nbench=split\npressure=-5\n", "t.ini:3: key 'pressure'" },
		{ "[a]\nbench=split\npressure=50%%\n", "key 'pressure'" },
		{ "[a]\nbench=split\npressure=half\n", "key 'pressure'" },
		{ "[a]\nbench=split\npressure=\n", "key 'pressure'" },
		{ "[a]\nbench=split\npressure=0,,50\n", "key 'pressure'" },
		{ "[a]\nbench=split\nfailure=shattered\n",
		  "key 'failure': bad value 'shattered'; expected injected or fragmented" },
		{ "[a]\nbench=split\nfailure=none\n", "key 'failure'" },	/* it measured injected */
		{ "[a]\nbench=migrate\ninterleave=yes\n",
		  "t.ini:3: key 'interleave': bad value 'yes'; expected true, false, 1 or 0" },
		{ "[a]\nbench=split\ninterleave=true\n",
		  "t.ini:3: key 'interleave' is not a key of bench=split (bench=migrate takes it)" },
		{ "[a]\ninterleave=1\nbench=fault\n",
		  "t.ini:2: key 'interleave' is not a key of bench=fault (bench=migrate takes it)" },
		{ "[a]\nthreads=2\n", "t.ini:2: key 'threads' is not a key of bench=migrate (bench=fault takes it); bench=migrate takes: bench, sizes, pages" },
		{ "[global]\ninterleave=true\n[c]\nbench=copyceil\n",
		  "t.ini:2: key 'interleave' in [global] applies to no job after it: only bench=migrate takes it" },
		{ "[global]\nfrobnicate=1\n[c]\n", "t.ini:2: unknown key 'frobnicate' in [global]" },
		{ "[global]\nbench=quantum\n[a]\n", "t.ini:2: key 'bench': bad value 'quantum'" },
		{ "[a]\ndevice=/dev/hmm_dmirror1\n", "t.ini:2: key 'device' applies to the whole run: set it in [global]" },
		{ "[global]\nbackend=nvidia\n[a]\n", "t.ini:2: key 'backend': bad value 'nvidia'; expected test_hmm" },
		{ "[a]\nsizes=2M\n[b]\n[a]\nsizes=4M\n", "t.ini:4: duplicate section [a] (first at line 1)" },
		{ "[a]\nsizes=2M\n[b\nsizes=4M\n", "t.ini:3: section header '[b' has no closing ']'" },
		{ "[a-name-longer-than-what-inih-keeps-of-a-section-name]\n",
		  "t.ini:1: section name longer than 49 characters" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct job_list l;

		cr_assert_neq(parse(bad[i].text, &l), 0, "case %zu must fail: %s", i, bad[i].text);
		cr_expect(strstr(err, bad[i].want), "case %zu: error '%s' should contain '%s'",
			  i, err, bad[i].want);
		cr_assert_null(l.jobs, "a failed parse leaves no jobs behind");
	}
}

Test(job, interleave_takes_true_false_1_0)
{
	static const struct { const char *v; unsigned int want; } ok[] = {
		{ "true", 1 }, { "false", 0 }, { "1", 1 }, { "0", 0 },
	};
	struct job_list l;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char text[128];

		snprintf(text, sizeof(text), "[a]\nbench=migrate\ninterleave=%s\n", ok[i].v);
		cr_assert_eq(parse(text, &l), 0, "interleave=%s parses: %s", ok[i].v, err);
		cr_assert_eq(uint_of(&l.jobs[0], "interleave"), ok[i].want, "interleave=%s", ok[i].v);
		job_list_free(&l);
	}
	cr_assert_eq(parse("[global]\ninterleave=1\n[a]\nsizes=2M\n[b]\ninterleave=0\n[c]\nbench=split\n",
			   &l), 0, "a [global] key reaches the jobs that take it: %s", err);
	cr_assert(uint_of(&l.jobs[0], "interleave"), "[global] interleave=1 reaches [a]");
	cr_assert(!uint_of(&l.jobs[1], "interleave"), "[b] turns it off");
	cr_assert_null(bench_key(l.jobs[2].bench, "interleave"), "split has no interleave");
	job_list_free(&l);
	cr_assert_eq(parse("[a]\nsizes=2M\n", &l), 0, "%s", err);
	cr_assert(!uint_of(&l.jobs[0], "interleave"), "off unless asked for");
	job_list_free(&l);
}

Test(job, fragmented_split_takes_pressure_levels)
{
	struct job_list l;

	cr_assert_eq(parse("[s]\nbench=split\nfailure=fragmented\npressure=0, 90%,100\n"
			   "[t]\nbench=split\nfailure=fragmented\n", &l), 0, "%s", err);
	cr_assert_eq(uint_of(&l.jobs[0], "failure"), 1, "failure=fragmented");
	cr_assert_eq(list_of(&l.jobs[0], "pressure")->n, 3);
	cr_assert_eq(list_of(&l.jobs[0], "pressure")->v[0], 0);
	cr_assert_eq(list_of(&l.jobs[0], "pressure")->v[1], 90, "'90%%' is level 90");
	cr_assert_eq(list_of(&l.jobs[0], "pressure")->v[2], 100);
	cr_assert_eq(list_of(&l.jobs[1], "pressure")->n, 4, "levels default to 0,50,90,100");
	cr_assert_eq(list_of(&l.jobs[1], "pressure")->v[3], 100);
	cr_assert_eq(l.jobs[0].bench->cases(&l.jobs[0]), 3, "a case per level");
	job_list_free(&l);
}

Test(job, cases_and_labels)
{
	struct job_list l;
	char label[64];

	cr_assert_eq(parse("[m]\nsizes=2M,16M\npages=thp,4k\n"
			   "[f]\nbench=fault\nsizes=16M\npages=4k\nthreads=1,2,4\n"
			   "[s]\nbench=split\nsizes=8M\ndirection=to-sys\n[c]\nbench=copyceil\n", &l),
		     0, "%s", err);
	cr_assert_eq(l.jobs[0].bench->cases(&l.jobs[0]), 4);
	l.jobs[0].bench->case_label(&l.jobs[0], 1, label, sizeof(label));
	cr_assert_str_eq(label, "migrate 2M 4k", "sizes outer, pages inner");
	l.jobs[0].bench->case_label(&l.jobs[0], 2, label, sizeof(label));
	cr_assert_str_eq(label, "migrate 16M thp");
	cr_assert_eq(l.jobs[1].bench->cases(&l.jobs[1]), 3);
	l.jobs[1].bench->case_label(&l.jobs[1], 2, label, sizeof(label));
	cr_assert_str_eq(label, "fault 16M 4k T=4");
	l.jobs[2].bench->case_label(&l.jobs[2], 0, label, sizeof(label));
	cr_assert_str_eq(label, "split 8M to-sys");
	l.jobs[3].bench->case_label(&l.jobs[3], 0, label, sizeof(label));
	cr_assert_str_eq(label, "copy 32M");
	job_list_free(&l);
}

Test(job, missing_file_is_an_error_naming_it)
{
	struct job_list l;

	cr_assert_neq(job_parse_file("/nonexistent/jobs.ini", &l, err, sizeof(err)), 0);
	cr_assert(strstr(err, "/nonexistent/jobs.ini"), "error names the file: %s", err);
	cr_assert_neq(job_parse_file("/tmp", &l, err, sizeof(err)), 0);
	cr_assert(strstr(err, "/tmp: is a directory"), "a directory is not a job file: %s", err);
}

Test(job, builtin_suites_parse)
{
	static const char *const names[] = { "smoke", "default", "full" };
	struct job_list l;

	for (int i = 0; i < 3; i++) {
		cr_assert(suite_exists(names[i]));
		cr_assert_eq(suite_load(names[i], &l, err, sizeof(err)), 0,
			     "suite %s parses: %s", names[i], err);
		cr_assert_gt(l.n, 0);
		job_list_free(&l);
	}
	cr_assert(!suite_exists("nightly"));
	cr_assert_neq(suite_load("nightly", &l, err, sizeof(err)), 0);
	cr_assert(strstr(err, "smoke, default, full"), "unknown suite lists the known ones: %s", err);
}

/* Adaptive repetitions: the stop rule, with series built by hand. */
Test(adaptive, stops_for_the_right_reason)
{
	struct reps r = { .min_samples = 6, .max_samples = 40, .target_ci = 0.02,
			  .max_time_s = 10 };
	double flat[40], noisy[40];
	const double *s1[] = { flat }, *s2[] = { noisy };

	for (int i = 0; i < 40; i++) {
		flat[i] = 100.0 + (i % 2) * 0.1;	/* CI half-width <= 0.05% */
		noisy[i] = (i % 2) ? 50.0 : 150.0;	/* median CI spans 50..150 */
	}
	cr_assert_eq(reps_check(&r, s1, 1, 5, 0, 0), STOP_NOT_YET, "below min_samples");
	cr_assert_eq(reps_check(&r, s1, 1, 6, 0, 0), STOP_CI, "a flat series converges at min_samples");
	cr_assert_eq(reps_check(&r, s2, 1, 10, 0, 0), STOP_NOT_YET, "a noisy series goes on");
	cr_assert_eq(reps_check(&r, s2, 1, 10, 11e9, 0), STOP_MAX_TIME, "until max_time");
	cr_assert_eq(reps_check(&r, s2, 1, 40, 0, 0), STOP_MAX_SAMPLES, "or max_samples");
	cr_assert_eq(reps_check(&r, s2, 1, 3, 99e9, 0), STOP_NOT_YET,
		     "min_samples is a floor even past max_time");
	cr_assert_str_eq(stop_reason_short(STOP_MAX_TIME), "time");
	cr_assert_str_eq(stop_reason_short(STOP_MAX_SAMPLES), "max-n");
	cr_assert_eq(reps_check(&r, s1, 1, 3, 0, 1), STOP_INTERRUPTED);
	r.fixed = 3;
	cr_assert_eq(reps_check(&r, s2, 1, 2, 0, 0), STOP_NOT_YET);
	cr_assert_eq(reps_check(&r, s2, 1, 3, 0, 0), STOP_FIXED, "repetitions=N is exact");
	cr_assert_eq(reps_capacity(&r), 3);
}

Test(adaptive, five_samples_cannot_give_a_95_percent_median_interval)
{
	/* Binomial(5, 1/2): P(B <= 0) = 1/32 = 3.1% > 2.5%, so no interval of
	 * order statistics reaches 95% coverage; the rule must not claim one. */
	double x[6] = { 1, 1, 1, 1, 1, 1 };

	cr_assert(median_ci_rel_halfwidth(x, 5) > 1e9, "n=5 never counts as converged");
	cr_assert_float_eq(median_ci_rel_halfwidth(x, 6), 0.0, 1e-12,
			   "n=6 reaches 96.9%% and an identical series has zero width");
}

/* Issue 11: what the parse entry points say about the shape of a file. */
Test(job, unclosed_section_header_is_named)
{
	struct job_list l;

	cr_assert_neq(parse("[a\nbench=migrate\n", &l), 0);
	cr_assert(strstr(err, "t.ini:1: section header '[a' has no closing ']'"),
		  "an unclosed [a is reported at its own line, as such: %s", err);
	cr_assert_neq(parse("[a]\nsizes=2M\n[b ; comment]\n", &l), 0);
	cr_assert(strstr(err, "t.ini:3: section header"), "%s", err);
}

Test(job, duplicate_sections_are_an_error)
{
	static const struct bad_case dup[] = {
		{ "[a]\nsizes=2M\n[b]\nsizes=4M\n[a]\nsizes=8M\n",
		  "t.ini:5: duplicate section [a] (first at line 1)" },
		{ "[a]\nsizes=2M\n[a]\npages=thp\n", "t.ini:3: duplicate section [a] (first at line 1)" },
		{ "[a]\n[a]\n", "t.ini:2: duplicate section [a]" },
	};
	struct job_list l;

	for (size_t i = 0; i < sizeof(dup) / sizeof(dup[0]); i++) {
		cr_assert_neq(parse(dup[i].text, &l), 0, "case %zu must fail: %s", i, dup[i].text);
		cr_assert(strstr(err, dup[i].want), "case %zu: '%s' should contain '%s'",
			  i, err, dup[i].want);
		cr_assert(!strchr(err, '\n'), "one line: %s", err);
		cr_assert_null(l.jobs);
	}
	cr_assert_eq(parse("[global]\nsizes=2M\n[a]\npages=4k\n[global]\nsizes=4M\n[b]\npages=thp\n", &l), 0,
		     "[global] may come back to change the defaults of later jobs: %s", err);
	cr_assert_eq(l.n, 2);
	cr_assert_eq(l.jobs[1].sizes.v[0], 4UL << 20, "the second [global] reaches [b]");
	job_list_free(&l);
}

Test(job, long_lines_are_refused_not_cut)
{
	char text[600];
	struct job_list l;

	/* inih reads 200 bytes at a time: the rest would become a "line" of its own. */
	snprintf(text, sizeof(text), "[a]\nsizes=2M ; %0300d\n", 0);
	cr_assert_neq(parse(text, &l), 0);
	cr_assert(strstr(err, "t.ini:2: line is longer than"), "%s", err);
}

Test(job, directory_is_not_a_job_file)
{
	struct job_list l;

	cr_assert_neq(job_parse_file("/tmp", &l, err, sizeof(err)), 0);
	cr_assert(strstr(err, "/tmp: is a directory"), "a directory is named as such: %s", err);
	cr_assert_null(l.jobs);
}

Test(job, nul_byte_is_not_a_job_file)
{
	char path[] = "/tmp/hmmbench-job-XXXXXX";
	int fd = mkstemp(path);
	struct job_list l;

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "[a]\nsizes=2M\0\n[b]\n", 18), 18);
	close(fd);
	cr_assert_neq(job_parse_file(path, &l, err, sizeof(err)), 0);
	unlink(path);
	cr_assert(strstr(err, ":2: a NUL byte"), "binary input is refused at its line: %s", err);
}

/* Found by fuzz/fuzz_jobs.c: a '-' past the 31st byte of a value crashed. */
Test(job, long_value_with_a_dash_is_an_error)
{
	struct job_list l;

	cr_assert_neq(parse("[a]\nsizes=3M;; THP split rate when the kernel's own order-9 fails\n", &l), 0);
	cr_assert(strstr(err, "t.ini:2: key 'sizes': bad value"), "%s", err);
}

/*
 * Found by fuzz/fuzz_jobs.c: an empty list made a job with nothing to
 * measure, and a range could start below a page.
 */
Test(job, empty_lists_are_errors)
{
	static const struct bad_case bad[] = {
		{ "[a]\nsizes=\n", "t.ini:2: key 'sizes': bad value ''" },
		{ "[a]\nsizes=,\n", "t.ini:2: key 'sizes'" },
		{ "[a]\nbench=fault\nthreads=,,\n", "t.ini:3: key 'threads'" },
		{ "[a]\ndirection=\n", "t.ini:2: key 'direction'" },
		/* and a range's sizes skipped the 4 KiB check of a list's */
		{ "[a]\nsizes=1-1\n", "t.ini:2: key 'sizes': bad value '1-1'" },
		{ "[a]\nsizes=2K-64K\n", "t.ini:2: key 'sizes'" },
	};
	struct job_list l;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_neq(parse(bad[i].text, &l), 0, "case %zu must fail: %s", i, bad[i].text);
		cr_assert(strstr(err, bad[i].want), "case %zu: '%s' should contain '%s'",
			  i, err, bad[i].want);
	}
}
