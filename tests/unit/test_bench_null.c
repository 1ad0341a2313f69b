// SPDX-License-Identifier: GPL-2.0
/*
 * Every benchmark, run as `hmmbench run` runs it (job text, the runner,
 * records), against the null backend: with and without a device that can
 * be read (dev-rw), with and without failure injection, and with a device
 * that corrupts data. The records are checked, never the speed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <jansson.h>

#include "backend.h"
#include "bench_ops.h"
#include "frag.h"
#include "cli.h"
#include "job.h"
#include "null.h"
#include "runner.h"

#define MAX_RECS 4096

static json_t *recs[MAX_RECS];
static size_t nrecs;
static struct null_stats stats;

static void read_records(FILE *f)
{
	static char line[1 << 16];

	rewind(f);
	for (nrecs = 0; nrecs < MAX_RECS && fgets(line, sizeof(line), f); nrecs++) {
		recs[nrecs] = json_loads(line, 0, NULL);
		cr_assert(recs[nrecs], "a record is not JSON: %.200s", line);
	}
	fclose(f);
}

/* Runs @jobs on a null device at @path; the records land in recs[]. */
static int run_on_null(const char *path, const char *jobs)
{
	static volatile sig_atomic_t stop;
	struct run_opts o = { .format = "text", .seed = 11 };
	struct rec_writer w = { .f = tmpfile() };
	struct job_list l;
	struct hmm_dev dev;
	char err[512];
	int ret;

	cr_assert(w.f);
	snprintf(w.path, sizeof(w.path), "(test)");
	cr_assert_eq(job_parse_string("t.ini", jobs, &l, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(hmm_dev_open(&dev, &null_backend, path), 0);
	ret = run_jobs(&dev, &w, &l, &o, &stop);
	null_dev_stats(&dev, &stats);
	hmm_dev_close(&dev);
	job_list_free(&l);
	read_records(w.f);
	return ret;
}

static const char *str(json_t *r, const char *key)
{
	const char *s = json_string_value(json_object_get(r, key));

	return s ? s : "";
}

/* Records of @type (and @bench, @metric when not NULL). */
static size_t count(const char *type, const char *bench, const char *metric)
{
	size_t n = 0;

	for (size_t i = 0; i < nrecs; i++)
		n += !strcmp(str(recs[i], "type"), type) &&
		     (!bench || !strcmp(str(recs[i], "bench"), bench)) &&
		     (!metric || !strcmp(str(recs[i], "metric"), metric));
	return n;
}

/* Every sample of @bench has "device_check" exactly when @want. */
static void expect_device_check_note(const char *bench, int want)
{
	for (size_t i = 0; i < nrecs; i++) {
		json_t *r = recs[i], *note = json_object_get(r, "device_check");

		if (strcmp(str(r, "type"), "sample") || strcmp(str(r, "bench"), bench))
			continue;
		if (!strcmp(bench, "split") &&
		    strcmp(str(json_object_get(r, "params"), "direction"), "to-dev"))
			continue;
		cr_expect_eq(note != NULL, want, "sample %zu: device_check %s", i,
			     note ? json_string_value(note) : "absent");
	}
}

static const char migrate_job[] =
	"[m]\nbench=migrate\nsizes=2M\npages=thp,4k\ndirection=roundtrip\nwarmup=1\nrepetitions=3\n";

static void check_migrate(const char *path, int readable)
{
	cr_assert_eq(run_on_null(path, migrate_job), 0);
	cr_expect_eq(count("sample", "migrate", NULL), 16, "(1 warm-up + 3) x 2 directions x 2 modes");
	cr_expect_eq(count("summary", "migrate", "throughput"), 4);
	cr_expect_eq(count("phase", NULL, NULL), 2, "a phase per case");
	for (size_t i = 0; i < nrecs; i++) {
		json_t *p = json_object_get(recs[i], "params");

		if (strcmp(str(recs[i], "type"), "sample") || strcmp(str(p, "direction"), "to-dev"))
			continue;
		cr_expect_eq(json_integer_value(json_object_get(json_object_get(recs[i], "snapshot"),
							       "whole_pmds")),
			     !strcmp(str(p, "pages"), "thp"), "one whole PMD for THP, none for 4k");
	}
	expect_device_check_note("migrate", !readable);
	cr_expect_eq(stats.pmds_to_dev, 4, "the THP buffer went as one PMD each round trip");
}

/*
 * The device variants every benchmark runs on, as kselftest's
 * FIXTURE_VARIANT makes the device kind a variant of one test.
 */
struct variant {
	char path[32];		/* copied into each test's process: no pointers */
	int readable;		/* HMM_CAP_DEV_RW */
};

static struct variant variants[] = {
	{ "null", 1 },			/* test_hmm-like: the device can be read */
	{ "null,no-dev-rw", 0 },	/* GPU-like: it cannot */
};

ParameterizedTestParameters(bench_null, migrate)
{
	return cr_make_param_array(struct variant, variants, sizeof(variants) / sizeof(variants[0]));
}

ParameterizedTest(struct variant *v, bench_null, migrate)
{
	check_migrate(v->path, v->readable);
}

Test(bench_null, migrate_interleaved_cases_take_turns)
{
	cr_assert_eq(run_on_null("null", "[m]\nbench=migrate\nsizes=2M,4M\npages=thp\n"
				 "direction=to-dev\ninterleave=true\nwarmup=0\nrepetitions=2\n"), 0);
	cr_expect_eq(count("phase", NULL, NULL), 1, "one phase covers the interleaved job");
	cr_expect_eq(count("summary", "migrate", "throughput"), 2, "a row per case");
	for (size_t i = 0; i < nrecs; i++)
		if (!strcmp(str(recs[i], "type"), "summary"))
			cr_expect(json_is_true(json_object_get(recs[i], "interleaved")),
				  "rows of interleaved cases say so");
	/*
	 * Each round trip writes two samples (to-dev, to-sys); round 1 takes
	 * 2M then 4M, round 2 is rotated by one: 4M then 2M.
	 */
	static const long want[] = { 2, 2, 4, 4, 4, 4, 2, 2 };

	for (size_t i = 0; i < 8; i++)
		cr_expect_eq(json_integer_value(json_object_get(json_object_get(recs[i], "params"),
								"size")), want[i] << 20,
			     "sample %zu is of the %ldM case", i, want[i]);
}

Test(bench_null, migrate_catches_corruption)
{
	cr_expect_eq(run_on_null("null,corrupt", migrate_job), -EIO,
		     "a flipped byte on the way back is a data mismatch");
}

Test(bench_null, copy_ceiling_makes_migrations_fractions)
{
	cr_assert_eq(run_on_null("null", "[c]\nbench=copyceil\nsizes=2M\nrepetitions=2\n"
				 "[m]\nbench=migrate\nsizes=2M\npages=thp\nrepetitions=2\nwarmup=0\n"), 0);
	cr_expect_eq(count("summary", "copyceil", "throughput"), count("sample", "copyceil", NULL) / 3,
		     "one summary per copy method, each from a first pass and 2 samples");
	cr_expect_eq(count("summary", "migrate", "copy_fraction"), 2, "one per direction");
}

/*
 * The bus case with the null device's test-only bus (",bus": a memcpy
 * standing in for a backend's copy_bus; its numbers are no bus's): every
 * pinned copy is a sample, each direction a summary, and the migrations
 * after it are fractions of the bus in their own direction.
 */
static const char bus_job[] =
	"[c]\nbench=copyceil\nsizes=2M\nrepetitions=3\n"
	"[m]\nbench=migrate\nsizes=2M\npages=thp\nrepetitions=4\nwarmup=0\n";

/* The median of the summary of @bench, @metric and params.@key == @val. */
static double summary_median(const char *bench, const char *metric, const char *key,
			     const char *val)
{
	for (size_t i = 0; i < nrecs; i++) {
		json_t *r = recs[i];

		if (!strcmp(str(r, "type"), "summary") && !strcmp(str(r, "bench"), bench) &&
		    !strcmp(str(r, "metric"), metric) &&
		    !strcmp(str(json_object_get(r, "params"), key), val))
			return json_real_value(json_object_get(json_object_get(r, "stats"), "median"));
	}
	cr_assert_fail("no %s %s summary with %s=%s", bench, metric, key, val);
	return 0;
}

Test(bench_null, bus_case_records_pinned_copies_and_migrations_become_bus_fractions)
{
	static const char *const dir[] = { "to-dev", "to-sys" };

	cr_assert_eq(run_on_null("null,bus", bus_job), 0);
	cr_expect_eq(stats.calls[HMM_OP_COPY_BUS], 2, "one bus copy call per direction");
	for (int d = 0; d < 2; d++) {
		char method[16];
		unsigned int iters = 0;

		snprintf(method, sizeof(method), "bus-%s", d ? "to-sys" : "to-dev");
		for (size_t i = 0; i < nrecs; i++) {
			json_t *r = recs[i], *p = json_object_get(r, "params");

			if (strcmp(str(r, "type"), "sample") || strcmp(str(p, "method"), method))
				continue;
			cr_expect_eq(json_integer_value(json_object_get(p, "size")), 2 << 20);
			cr_expect_gt(json_integer_value(json_object_get(r, "ns")), 0);
			cr_expect_gt(json_real_value(json_object_get(json_object_get(r, "values"),
								     "throughput")), 0);
			cr_expect_null(json_object_get(r, "warmup"), "the backend's warm-up is untimed");
			iters |= 1u << json_integer_value(json_object_get(r, "iter"));
		}
		cr_expect_eq(iters, 0xe, "%s: samples 1, 2 and 3, each written once", method);
		/* Each bus_fraction sample is a migration over the bus's median, same direction. */
		double bus = summary_median("copyceil", "throughput", "method", method);
		double mig = summary_median("migrate", "throughput", "direction", dir[d]);
		double frac = summary_median("migrate", "bus_fraction", "direction", dir[d]);

		cr_expect_float_eq(frac, mig / bus, 1e-9 * (mig / bus), "%s: %g != %g / %g",
				   dir[d], frac, mig, bus);
	}
	size_t timed = 0;

	for (size_t i = 0; i < nrecs; i++)
		timed += !strcmp(str(recs[i], "type"), "sample") &&
			 !strcmp(str(recs[i], "bench"), "copyceil") &&
			 !json_object_get(recs[i], "first_pass");
	cr_expect_eq(count("summary", "copyceil", "throughput"), timed / 3,
		     "each CPU method and each bus direction: a summary of 3 timed samples");
	cr_expect_eq(count("summary", "migrate", "bus_fraction"), 2, "one per direction");
	cr_expect_eq(count("unsupported", NULL, NULL), 0);
}

Test(bench_null, bus_case_without_a_bus_copy_is_unsupported_with_the_reason)
{
	cr_assert_eq(run_on_null("null", bus_job), 0, "a skip is not a failure");
	cr_expect_eq(count("unsupported", "copyceil", NULL), 1);
	for (size_t i = 0; i < nrecs; i++) {
		json_t *r = recs[i];

		if (!strcmp(str(r, "type"), "unsupported")) {
			cr_expect_str_eq(str(r, "capability"), "bus-copy");
			cr_expect_str_eq(str(json_object_get(r, "params"), "method"), "bus");
			cr_expect_str_eq(str(r, "reason"),
					 "the null device has no bus (',bus' in its path gives it a test-only one)");
		}
		cr_expect(strncmp(str(json_object_get(r, "params"), "method"), "bus-", 4),
			  "record %zu: no bus copy, so no bus sample or summary", i);
	}
	cr_expect_eq(count("summary", "migrate", "bus_fraction"), 0, "no bus, no fraction of it");
	cr_expect_eq(count("summary", "migrate", "copy_fraction"), 2, "the CPU ceiling still holds");
}

/*
 * test_hmm's own reason, as the bus case gives it: test_hmm's copy_bus
 * touches no device, so a struct hmm_dev naming the backend is enough.
 */
Test(bench_null, bus_case_on_test_hmm_names_the_cpu_as_its_ceiling)
{
	static volatile sig_atomic_t stop;
	struct rec_writer w = { .f = tmpfile() };
	struct hmm_dev dev = { .ops = hmm_backend_find("test_hmm"), .fd = -1,
			       .path = "/dev/hmm_dmirror0" };
	struct bench_ctx ctx = { .dev = &dev, .out = &w, .stop = &stop, .seed = 3,
				 .bus_mbps = { 1, 1 } };
	const char *skip = NULL;
	struct job_list l;
	char err[512];

	cr_assert(w.f && dev.ops);
	cr_assert_eq(job_parse_string("t.ini", "[c]\nbench=copyceil\nsizes=2M\nrepetitions=2\n",
				      &l, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(l.jobs[0].bench->cases(&l.jobs[0]), 2, "a CPU case and a bus case per size");
	l.jobs[0].bench->case_label(&l.jobs[0], 1, ctx.label, sizeof(ctx.label));
	cr_expect_str_eq(ctx.label, "copy 2M bus");
	cr_expect_eq(l.jobs[0].bench->run_case(&ctx, &l.jobs[0], 1, &skip), 0);
	job_list_free(&l);
	read_records(w.f);
	cr_assert_not_null(skip);
	cr_expect_str_eq(skip, "test_hmm's device memory is system RAM copied by the CPU: "
			 "the CPU copy rows are its ceiling");
	cr_expect_eq(count("unsupported", "copyceil", NULL), 1);
	cr_expect_eq(nrecs, 1, "nothing measured as a number");
	cr_expect(ctx.bus_mbps[0] == 0 && ctx.bus_mbps[1] == 0, "no bus ceiling is left behind");
}

static const char split_job[] =
	"[s]\nbench=split\nsizes=4M\ndirection=roundtrip\nfailure=injected\nrepetitions=2\n";

static void check_split(const char *path, int readable)
{
	cr_assert_eq(run_on_null(path, split_job), 0);
	cr_expect_eq(count("summary", "split", "split_rate"), 2, "one per direction");
	cr_expect_eq(count("summary", "split", "time"), 2);
	cr_expect_eq(count("summary", "split-baseline", "time"), 2);
	for (size_t i = 0; i < nrecs; i++)
		if (!strcmp(str(recs[i], "type"), "summary") && !strcmp(str(recs[i], "metric"), "split_rate"))
			cr_expect_eq(json_real_value(json_object_get(json_object_get(recs[i], "stats"),
								    "median")), 0.5,
				     "FAIL_ALLOC splits the first of two THPs");
	expect_device_check_note("split", !readable);
	cr_expect_eq(stats.splits, 4, "two samples in each direction, each split once");
}

ParameterizedTestParameters(bench_null, split_injected)
{
	return cr_make_param_array(struct variant, variants, sizeof(variants) / sizeof(variants[0]));
}

ParameterizedTest(struct variant *v, bench_null, split_injected)
{
	check_split(v->path, v->readable);
}

Test(bench_null, split_without_injection_is_unsupported)
{
	cr_assert_eq(run_on_null("null,no-fail-alloc", split_job), 0, "a skip is not a failure");
	cr_expect_eq(count("unsupported", "split", NULL), 2);
	cr_expect_eq(count("summary", "split", NULL), 0, "nothing is measured as 0");
}

Test(bench_null, split_fragmented_needs_whole_pmds)
{
	cr_assert_eq(run_on_null("null,no-thp-pmd",
				 "[f]\nbench=split\nsizes=2M\nfailure=fragmented\npressure=0\nrepetitions=1\n"), 0);
	cr_expect_eq(count("unsupported", "split", NULL), 1);
	for (size_t i = 0; i < nrecs; i++)
		if (!strcmp(str(recs[i], "type"), "unsupported"))
			cr_expect_str_eq(str(recs[i], "capability"), "thp-pmd");
}

/*
 * failure=fragmented at level 0, run the way the runner runs a case, with
 * system knobs read and written under a scratch directory (where none
 * exists, so none is changed). It needs PFNs from /proc/self/pagemap
 * (root); without them the case is a skip that says so.
 */
Test(bench_null, split_fragmented_at_level_0)
{
	static volatile sig_atomic_t stop;
	char root[] = "/tmp/hmmbench-knobs.XXXXXX", err[512];
	struct rec_writer w = { .f = tmpfile() };
	struct bench_ctx ctx = { .out = &w, .stop = &stop, .seed = 3, .sysknob_root = root };
	const char *skip = NULL;
	struct job_list l;
	struct hmm_dev dev;
	int ret, pfns = frag_pfns_visible();

	cr_assert(w.f && mkdtemp(root));
	cr_assert_eq(job_parse_string("t.ini", "[f]\nbench=split\nsizes=2M\nfailure=fragmented\n"
				      "pressure=0\nrepetitions=2\n", &l, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(hmm_dev_open(&dev, &null_backend, "null"), 0);
	ctx.dev = &dev;
	l.jobs[0].bench->case_label(&l.jobs[0], 0, ctx.label, sizeof(ctx.label));
	cr_expect_str_eq(ctx.label, "split 2M 0%");
	ret = l.jobs[0].bench->run_case(&ctx, &l.jobs[0], 0, &skip);
	hmm_dev_close(&dev);
	job_list_free(&l);
	rmdir(root);
	read_records(w.f);
	cr_assert_eq(ret, 0, "the case ran or was skipped, it did not fail");
	if (pfns <= 0) {
		cr_expect(skip && strstr(skip, "pagemap"), "a skip says why: %s", skip ? skip : "none");
		cr_expect_eq(count("unsupported", "split", NULL), 1);
		return;
	}
	cr_expect_null(skip, "with PFNs visible the case runs: %s", skip ? skip : "");
	cr_expect_eq(count("sample", "split", NULL), 4, "2 samples by to-sys, 2 by fault-back");
	cr_expect_eq(count("pressure", "split", NULL), 1, "the evidence of the pressure level");
	cr_expect_eq(count("knobs", "split", NULL), 1);
	cr_expect_eq(count("summary", "split", "split_rate"), 2);
	for (size_t i = 0; i < nrecs; i++)
		if (!strcmp(str(recs[i], "type"), "sample"))
			cr_expect(json_integer_value(json_object_get(recs[i], "pmds_attempted")) == 1 &&
				  json_integer_value(json_object_get(recs[i], "pmds_split")) == 0,
				  "the THP reached the device whole and came back whole at level 0");
}

static const char fault_job[] =
	"[f]\nbench=fault\nsizes=2M\npages=thp,4k\nthreads=1,2\naccess=write\nwarmup=0\nrepetitions=2\n";

static void check_fault(const char *path, int readable)
{
	cr_assert_eq(run_on_null(path, fault_job), 0);
	cr_expect_eq(count("sample", "fault", NULL), 8, "2 iterations x 2 modes x 2 thread counts");
	cr_expect_eq(count("summary", "fault", "fault_throughput"), 4);
	cr_expect_eq(count("summary", "fault", "fault_latency"), 4);
	for (size_t i = 0; i < nrecs; i++) {
		json_t *r = recs[i];
		int thp = !strcmp(str(json_object_get(r, "params"), "pages"), "thp");

		if (strcmp(str(r, "type"), "sample"))
			continue;
		cr_expect_eq(json_integer_value(json_object_get(r, "pages_back")), 512,
			     "the CPU touches brought every page back");
		cr_expect_eq(json_integer_value(json_object_get(r, "faults")), thp ? 1 : 512,
			     "one fault per PMD unit or per 4 KiB page");
	}
	expect_device_check_note("fault", !readable);
}

ParameterizedTestParameters(bench_null, fault)
{
	return cr_make_param_array(struct variant, variants, sizeof(variants) / sizeof(variants[0]));
}

ParameterizedTest(struct variant *v, bench_null, fault)
{
	check_fault(v->path, v->readable);
}
