// SPDX-License-Identifier: GPL-2.0
/*
 * hmmbench stress --format ktap (cli/stress_print.c): one test per
 * scenario, a "not ok" preceded by "# reason:" lines that name what each
 * detector saw, text from the kernel log unable to forge a KTAP line.
 * Scenarios really run on the null backend (drivers-ioctl/null.h): a
 * clean device passes, a corrupting one fails with the integrity error's
 * page and offset. Kernel reports and hangs need a kernel: their results
 * are built here, and tests/vm/stress.sh checks them in a guest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "backend.h"
#include "ktap.h"
#include "null.h"
#include "stress_cli.h"
#include "stress_runner.h"
#include "test_results_util.h"

TestSuite(stress_ktap, .init = tu_make_tmp, .fini = tu_remove_tmp);

/* migrate-fault without VMA changes, which the null backend cannot see */
static const struct stress_scenario mem_ops = {
	.name = "null-migrate-fault",
	.describe = "migrate-fault without VMA changes, for the null backend",
	.weights = { [OP_MIGRATE_TO_DEV] = 20, [OP_MIGRATE_TO_SYS] = 10, [OP_CPU_READ] = 12,
		     [OP_CPU_WRITE] = 10, [OP_DEV_READ] = 8, [OP_DEV_WRITE] = 6,
		     [OP_SNAPSHOT] = 6 },
	.chunks = 2,
};

static struct stress_opts one_seed = { .scenario = "all", .nseeds = 1 };

/* The KTAP of one scenario's result @r, malloc'ed. */
static char *ktap_of(const struct stress_config *cfg, const struct stress_result *r)
{
	char *buf = NULL, *result;
	size_t len = 0, header;
	FILE *f = open_memstream(&buf, &len);

	cr_assert(f);
	stress_ktap_begin(f, &one_seed);
	ktap_cases_to(NULL);	/* the case lines are test_ktap.c's */
	fflush(f);
	cr_assert(!strncmp(buf, "KTAP version 1\n1..", 18), "%s", buf);
	header = len;	/* the plan of every scenario of the table, not of this one */
	stress_ktap_result(f, &one_seed, cfg, r);
	fclose(f);
	result = strdup(buf + header);
	free(buf);
	return result;
}

/* Every line is a result or a diagnostic, and there is exactly one result. */
static void assert_well_formed(const char *text, const char *result)
{
	char *copy = strdup(text), *save, *line;
	int results = 0;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "# ", 2))
			continue;
		results++;
		cr_assert_str_eq(line, result, "the only result line: %s", text);
	}
	cr_assert_eq(results, 1, "one result line in:\n%s", text);
	for (const char *p = text; *p; p++)
		cr_assert((unsigned char)*p >= 0x20 || *p == '\n',
			  "control byte 0x%02x in:\n%s", *p, text);
	free(copy);
}

/* Runs mem_ops on null device @device for a short while; @r gets the result. */
static void run_null(const char *device, struct stress_result *r)
{
	static volatile sig_atomic_t not_interrupted;
	char err[512];
	struct rec_writer w;
	struct hmm_dev probe;
	struct stress_env env = { .w = &w, .probe = &probe, .interrupted = &not_interrupted };
	struct stress_config cfg = {
		.sc = &mem_ops, .backend = &null_backend, .device = device, .seed = 7,
		.threads = 2, .duration_ms = 300, .watchdog_ms = 60000,
		.write_repro = REPRO_NEVER, .print_prefix = "# ",
	};

	/*
	 * Not opened here: the null backend's fault handler must be installed
	 * in the worker process, after the workers' own (drivers-ioctl/null.h).
	 * The scenario needs no capability, so the probe has none.
	 */
	memset(&probe, 0, sizeof(probe));
	snprintf(probe.path, sizeof(probe.path), "%s", device);
	cr_assert_eq(rec_open_run(&w, tu_tmp, "null", device, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(stress_run_scenario(&cfg, &env, r), 0);
	rec_close(&w);
}

Test(stress_ktap, a_clean_null_device_is_ok)
{
	struct stress_config cfg = { .sc = &mem_ops, .seed = 7 };
	struct stress_result r;
	char *text;

	run_null("null", &r);
	cr_assert_eq(r.status, STRESS_PASS, "%s", r.reason);
	text = ktap_of(&cfg, &r);
	assert_well_formed(text, "ok 1 stress null-migrate-fault");
	cr_assert(!strstr(text, "# reason:"), "a pass has no reason: %s", text);
	free(text);
}

Test(stress_ktap, a_corrupting_device_is_not_ok_with_page_and_offset)
{
	struct stress_config cfg = { .sc = &mem_ops, .seed = 7 };
	struct stress_result r;
	char *text;

	run_null("null,corrupt", &r);
	cr_assert_eq(r.status, STRESS_FAIL, "%s", r.reason);
	cr_assert_gt(r.integrity_errors, 0, "%s", r.reason);
	text = ktap_of(&cfg, &r);
	assert_well_formed(text, "not ok 1 stress null-migrate-fault");
	cr_assert(strstr(text, "# reason: integrity error in null-migrate-fault at region page "),
		  "%s", text);
	cr_assert(strstr(text, ", byte offset "), "%s", text);
	cr_assert(strstr(text, ": expected 0x"), "%s", text);
	cr_assert(strstr(text, ", found 0x"), "%s", text);
	cr_assert(strstr(text, "; thread "), "%s", text);
	cr_assert_lt(strstr(text, "# reason:"), strstr(text, "not ok 1"),
		     "the reason comes before the result, where kunit_parser.py looks");
	free(text);
}

/* What a kernel report, an integrity error and a hang leave in a result. */
static void failed_result(struct stress_result *r, const char *function)
{
	memset(r, 0, sizeof(*r));
	r->status = STRESS_FAIL;
	r->kernel_reports = 1;
	r->integrity_errors = 1;
	r->hangs = 1;
	snprintf(r->report_kind, sizeof(r->report_kind), "WARNING");
	snprintf(r->report_function, sizeof(r->report_function), "%s", function);
	snprintf(r->report_file, sizeof(r->report_file), "/results/kernel-report-1.txt");
	snprintf(r->integrity, sizeof(r->integrity),
		 "region page 12, byte offset 64 (address 0x1040 in page 0x1000): expected 0x1, found 0x2; thread 1, cpu-read, checked after migrate-to-sys; page state system");
	snprintf(r->hang, sizeof(r->hang),
		 "thread 2 (tid 99) inside its operation 5 (dev-write 0x2000 1) for 61.0 s, over the 60.0 s watchdog limit; 2 kernel stack(s) in /results/hang.txt");
	snprintf(r->first_failure, sizeof(r->first_failure), "kernel WARNING in migrate-fault: x");
	snprintf(r->reason, sizeof(r->reason), "%s", r->first_failure);
}

Test(stress_ktap, every_detector_gives_a_reason_line)
{
	static const struct stress_scenario sc = { .name = "migrate-fault" };
	struct stress_config cfg = { .sc = &sc, .seed = 1 };
	struct stress_result r;
	char *text;

	failed_result(&r, "dmirror_devmem_fault");
	text = ktap_of(&cfg, &r);
	assert_well_formed(text, "not ok 1 stress migrate-fault");
	cr_assert(strstr(text, "# reason: kernel WARNING in dmirror_devmem_fault during migrate-fault"
			 " (1 report); full text: /results/kernel-report-1.txt\n"), "%s", text);
	cr_assert(strstr(text, "# reason: integrity error in migrate-fault at region page 12, byte offset 64 "),
		  "%s", text);
	cr_assert(strstr(text, "# reason: hang in migrate-fault: thread 2 (tid 99) inside its operation 5 (dev-write"),
		  "%s", text);
	free(text);
}

/* Text from the kernel log: a line break, a forged result and directive, an escape. */
Test(stress_ktap, hostile_report_text_cannot_forge_a_line)
{
	static const struct stress_scenario sc = { .name = "migrate-fault" };
	struct stress_config cfg = { .sc = &sc, .seed = 1 };
	struct stress_result r;
	char *text;

	failed_result(&r, "f\nok 9 forged # SKIP x\r\n1..9\x1b[31m");
	snprintf(r.reason, sizeof(r.reason), "other\nnot ok 8 forged");
	text = ktap_of(&cfg, &r);
	assert_well_formed(text, "not ok 1 stress migrate-fault");
	cr_assert(strstr(text, "# reason: kernel WARNING in f\\nok 9 forged   SKIP x\\r\\n1..9\\x1b[31m during"),
		  "shown as text on its own diagnostic line: %s", text);
	cr_assert(strstr(text, "# failed: other\\nnot ok 8 forged\n"), "%s", text);
	free(text);
}

Test(stress_ktap, a_skip_says_why_in_its_directive)
{
	static const struct stress_scenario sc = { .name = "pressure" };
	struct stress_config cfg = { .sc = &sc, .seed = 1 };
	struct stress_result r = { .status = STRESS_SKIP };
	char *text;

	snprintf(r.reason, sizeof(r.reason), "no cgroup v2 # at /sys/fs/cgroup\n\x1b]0;x");
	text = ktap_of(&cfg, &r);
	assert_well_formed(text, "ok 1 stress pressure # SKIP no cgroup v2   at /sys/fs/cgroup\\n\\x1b]0;x");
	free(text);
}

Test(stress_ktap, with_seeds_each_test_names_its_seed)
{
	static const struct stress_scenario sc = { .name = "fork" };
	struct stress_opts o = { .scenario = "all", .nseeds = 3, .ktap = 1 };
	struct stress_config cfg = { .sc = &sc, .seed = 42 };
	struct stress_result r = { .status = STRESS_PASS };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	o.scenario = "fork";
	stress_ktap_begin(f, &o);
	stress_ktap_result(f, &o, &cfg, &r);
	stress_ktap_not_run(f, &o, 43, 0, "seed 42 made the kernel report a bug (tainted)");
	fclose(f);
	cr_assert(!strncmp(buf, "KTAP version 1\n1..3\n", 20), "one test per seed: %s", buf);
	cr_assert(strstr(buf, "\nok 1 stress fork seed 42\n# hmmbench-case: stress-fork-seed-42 pass "),
		  "%s", buf);
	cr_assert(strstr(buf, "\nok 2 stress fork seed 43 # SKIP not run: seed 42 made the kernel report a bug (tainted)\n"),
		  "%s", buf);
	free(buf);
}
