// SPDX-License-Identifier: GPL-2.0
/* Job files and suites: what parses, and errors that name file, line and key. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "adaptive.h"
#include "job.h"
#include "migrate.h"

static char err[512];

static int parse(const char *text, struct job_list *l)
{
	err[0] = '\0';
	return job_parse_string("t.ini", text, l, err, sizeof(err));
}

Test(job, global_defaults_apply_to_later_sections)
{
	struct job_list l;

	cr_assert_eq(parse("[global]\ndevice=/dev/hmm_dmirror1\nmin_samples=7\n"
			   "[a]\nbench=migrate\nsizes=512K,2M\npages=thp\n"
			   "[b]\nbench=split\ndirection=to-sys\nfailure=injected\n", &l), 0,
		     "a valid file parses (error: %s)", err);
	cr_assert_eq(l.n, 2, "two job sections, [global] is not a job");
	cr_assert_str_eq(l.jobs[0].device, "/dev/hmm_dmirror1", "[global] device reaches [a]");
	cr_assert_eq(l.jobs[1].reps.min_samples, 7, "[global] min_samples reaches [b]");
	cr_assert_eq(l.jobs[0].nsizes, 2);
	cr_assert_eq(l.jobs[0].sizes[0], 512 * 1024, "512K is 524288 bytes");
	cr_assert_eq(l.jobs[0].sizes[1], 2 * 1024 * 1024);
	cr_assert_eq(l.jobs[0].pages_mask, 1u << PAGES_THP, "pages=thp selects THP only");
	cr_assert_eq(l.jobs[1].bench, BENCH_SPLIT);
	cr_assert_eq(l.jobs[1].dir_mask, 1u << TO_SYS);
	cr_assert(l.jobs[1].inject, "failure=injected");
	job_list_free(&l);
}

Test(job, size_range_doubles)
{
	struct job_list l;

	cr_assert_eq(parse("[a]\nsizes=2M-16M\n", &l), 0, "%s", err);
	cr_assert_eq(l.jobs[0].nsizes, 4, "2M,4M,8M,16M");
	cr_assert_eq(l.jobs[0].sizes[3], 16UL << 20);
	job_list_free(&l);
}

Test(job, threads_and_fault_keys)
{
	struct job_list l;

	cr_assert_eq(parse("[f]\nbench=fault\nthreads=1,2,4\naccess=write\n"
			   "pattern=strided\nstride=8\nranges=overlap\n", &l), 0, "%s", err);
	cr_assert_eq(l.jobs[0].nthreads, 3);
	cr_assert_eq(l.jobs[0].threads[2], 4);
	cr_assert_eq(l.jobs[0].access, ACCESS_WRITE);
	cr_assert_eq(l.jobs[0].pattern, PATTERN_STRIDED);
	cr_assert_eq(l.jobs[0].stride, 8);
	cr_assert(l.jobs[0].overlap);
	job_list_free(&l);
}

struct bad_case {
	const char *text;
	const char *want;	/* substring of the error */
};

Test(job, errors_name_file_line_and_key)
{
	static const struct bad_case bad[] = {
		{ "[a]\nbench=migrate\nfrobnicate=1\n", "t.ini:3: unknown key 'frobnicate'" },
		{ "[a]\nsizes=3M,abc\n", "t.ini:2: key 'sizes': bad value '3M,abc'" },
		{ "[a]\nsizes=1000\n", "key 'sizes'" },	/* not a 4 KiB multiple */
		{ "[a]\npages=huge\n", "t.ini:2: key 'pages'" },
		{ "[a]\ndirection=sideways\n", "key 'direction'" },
		{ "[a]\nthreads=0\n", "key 'threads'" },
		{ "[a]\ntarget_ci=150%\n", "key 'target_ci'" },
		{ "[a]\nmax_time=-1s\n", "key 'max_time'" },
		{ "[a]\nrepetitions=0\n", "key 'repetitions'" },
		{ "[a]\nbench=quantum\n", "key 'bench'" },
		{ "bench=migrate\n", "t.ini:1: key 'bench' before any [section]" },
		{ "[a]\nthis is not ini\n", "t.ini:2: not INI syntax" },
		{ "[a]\nmin_samples=9\nmax_samples=3\n", "min_samples 9 is above max_samples 3" },
		{ "[global]\nsizes=2M\n", "no job sections" },
		{ "[a]\nbench=split\nfailure=fragmented\npressure=0,101\n",
		  "t.ini:4: key 'pressure': bad value '0,101'" },
		{ "[a]\npressure=-5\n", "t.ini:2: key 'pressure'" },
		{ "[a]\npressure=50%%\n", "key 'pressure'" },
		{ "[a]\npressure=half\n", "key 'pressure'" },
		{ "[a]\npressure=\n", "key 'pressure'" },
		{ "[a]\nfailure=shattered\n", "key 'failure': bad value 'shattered'; expected injected, fragmented" },
		{ "[a]\nbench=migrate\ninterleave=yes\n",
		  "t.ini:3: key 'interleave': bad value 'yes'; expected true, false, 1 or 0" },
		{ "[a]\nbench=split\ninterleave=true\n",
		  "t.ini:3: key 'interleave': bad value 'true'; expected interleave=false; only bench=migrate" },
		{ "[a]\ninterleave=1\nbench=fault\n",
		  "t.ini: [a]: key 'interleave': only bench=migrate interleaves its cases, this job is bench=fault" },
		{ "[global]\ninterleave=true\n[c]\nbench=copyceil\n",
		  "t.ini: [c]: key 'interleave': only bench=migrate" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct job_list l;

		cr_assert_neq(parse(bad[i].text, &l), 0, "case %zu must fail: %s", i, bad[i].text);
		cr_assert(strstr(err, bad[i].want), "case %zu: error '%s' should contain '%s'",
			  i, err, bad[i].want);
		cr_assert_null(l.jobs, "a failed parse leaves no jobs behind");
	}
}

Test(job, interleave_takes_true_false_1_0)
{
	static const struct { const char *v; int want; } ok[] = {
		{ "true", 1 }, { "false", 0 }, { "1", 1 }, { "0", 0 },
	};
	struct job_list l;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char text[128];

		snprintf(text, sizeof(text), "[a]\nbench=migrate\ninterleave=%s\n", ok[i].v);
		cr_assert_eq(parse(text, &l), 0, "interleave=%s parses: %s", ok[i].v, err);
		cr_assert_eq(l.jobs[0].interleave, ok[i].want, "interleave=%s", ok[i].v);
		job_list_free(&l);
	}
	cr_assert_eq(parse("[global]\ninterleave=1\n[a]\nsizes=2M\n[b]\ninterleave=0\n[c]\nbench=split\n"
			   "interleave=false\n", &l), 0, "%s", err);
	cr_assert(l.jobs[0].interleave, "[global] interleave=1 reaches [a]");
	cr_assert(!l.jobs[1].interleave, "[b] turns it off");
	cr_assert(!l.jobs[2].interleave, "interleave=false is fine on any bench");
	job_list_free(&l);
	cr_assert_eq(parse("[a]\nsizes=2M\n", &l), 0, "%s", err);
	cr_assert(!l.jobs[0].interleave, "off unless asked for");
	job_list_free(&l);
}

Test(job, fragmented_split_takes_pressure_levels)
{
	struct job_list l;

	cr_assert_eq(parse("[s]\nbench=split\nfailure=fragmented\npressure=0, 90%,100\n"
			   "[t]\nbench=split\nfailure=fragmented\n", &l), 0, "%s", err);
	cr_assert(l.jobs[0].fragmented && !l.jobs[0].inject, "failure=fragmented, not injected");
	cr_assert_eq(l.jobs[0].npressure, 3);
	cr_assert_eq(l.jobs[0].pressure[0], 0);
	cr_assert_eq(l.jobs[0].pressure[1], 90, "'90%%' is level 90");
	cr_assert_eq(l.jobs[0].pressure[2], 100);
	cr_assert_eq(l.jobs[1].npressure, 4, "levels default to 0,50,90,100");
	cr_assert_eq(l.jobs[1].pressure[3], 100);
	job_list_free(&l);
}

Test(job, missing_file_is_an_error_naming_it)
{
	struct job_list l;

	cr_assert_neq(job_parse_file("/nonexistent/jobs.ini", &l, err, sizeof(err)), 0);
	cr_assert(strstr(err, "/nonexistent/jobs.ini"), "error names the file: %s", err);
}

Test(job, builtin_suites_parse)
{
	static const char *const names[] = { "smoke", "default", "full" };

	for (int i = 0; i < 3; i++) {
		struct job_list l;

		cr_assert_eq(suite_load(names[i], &l, err, sizeof(err)), 0,
			     "suite %s parses: %s", names[i], err);
		cr_assert_gt(l.n, 0);
		job_list_free(&l);
	}
	struct job_list l;
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
