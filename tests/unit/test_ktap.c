// SPDX-License-Identifier: GPL-2.0
/*
 * The KTAP writer (results/ktap.h) against the format of the kernel's
 * Documentation/dev-tools/ktap.rst: version line, plan, "ok N desc",
 * "not ok N desc", "ok N desc # SKIP reason", "# diagnostic".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "ktap.h"

static char *buf;
static size_t len;
static FILE *out;

static void open_out(void)
{
	out = open_memstream(&buf, &len);
	cr_assert(out);
}

static void close_out(void)
{
	free(buf);
	buf = NULL;
}

TestSuite(ktap, .init = open_out, .fini = close_out);

static const char *text(void)
{
	fflush(out);
	return buf;
}

Test(ktap, a_whole_run)
{
	ktap_header(out, 3);
	ktap_result(out, 1, 1, "migrate 32M thp to-dev", NULL);
	ktap_result(out, 2, 0, "migrate 32M thp to-sys", NULL);
	ktap_diag(out, "data mismatch at byte %d", 4096);
	ktap_result(out, 3, 0, "split 8M to-dev", "fail-alloc unsupported");
	cr_assert_str_eq(text(),
		"KTAP version 1\n"
		"1..3\n"
		"ok 1 migrate 32M thp to-dev\n"
		"not ok 2 migrate 32M thp to-sys\n"
		"# data mismatch at byte 4096\n"
		"ok 3 split 8M to-dev # SKIP fail-alloc unsupported\n");
	fclose(out);
}

Test(ktap, hashes_and_newlines_cannot_forge_directives_or_lines)
{
	ktap_result(out, 1, 0, "bad # SKIP pretend\nok 2 forged", NULL);
	ktap_result(out, 2, 1, "x", "reason # TODO\nmore");
	cr_assert_str_eq(text(),
		"not ok 1 bad   SKIP pretend ok 2 forged\n"
		"ok 2 x # SKIP reason   TODO more\n");
	fclose(out);
}

Test(ktap, diagnostics_prefix_every_line)
{
	ktap_diag(out, "first\nsecond\n");
	ktap_header(out, -1);
	cr_assert_str_eq(text(), "# first\n# second\nKTAP version 1\n1..0\n");
	fclose(out);
}

/*
 * Case lines (ktap_cases_to()): one per summary and one per KTAP result,
 * "# hmmbench-case: ID RESULT VALUE UNIT", each word without a space, so
 * that one simple pattern (scripts/lava-job's LAVA monitor) reads them.
 */
Test(ktap, case_lines_for_results_and_summaries)
{
	char id[64], result[16], unit[16], *line;
	double value;
	json_t *params = json_pack("{s:I, s:s, s:s}", "size", (json_int_t)33554432,
				   "pages", "thp", "direction", "to-dev");
	char cid[128];

	ktap_case_id("migrate", params, "throughput", cid, sizeof(cid));
	cr_assert_str_eq(cid, "migrate.32M-thp-to-dev.throughput");
	json_decref(params);
	params = json_pack("{s:I, s:s, s:I, s:b, s:f}", "size", (json_int_t)16777216,
			   "access", "write random", "threads", (json_int_t)4, "overlap", 1,
			   "stride", 0.5);
	ktap_case_id("fault", params, "p99", cid, sizeof(cid));
	cr_assert_str_eq(cid, "fault.16M-write_random-threads=4-overlap=true-stride=0.5.p99");
	json_decref(params);
	params = json_object();
	ktap_case_id("copy", params, "x", cid, sizeof(cid));
	cr_assert_str_eq(cid, "copy.-.x");
	json_decref(params);

	ktap_cases_to(out);
	ktap_header(out, 3);
	ktap_case_line(out, "migrate.32M-thp-to-dev.throughput", "pass", 108.6043, "MB/s");
	ktap_result(out, 1, 1, "migrate 32M thp", NULL);
	ktap_result(out, 2, 0, "split 8M # to-dev", NULL);
	ktap_result(out, 3, 1, "split 8M to-sys", "no FAIL_ALLOC");
	ktap_case_line(out, "a b#c", "pass", 1, "");
	ktap_cases_to(NULL);
	ktap_result(out, 4, 1, "quiet", NULL);

	line = strstr(text(), "# hmmbench-case: migrate.32M");
	cr_assert(line);
	cr_assert(!strncmp(line, "# hmmbench-case: migrate.32M-thp-to-dev.throughput pass 108.604 MB/s\n", 68));
	line = strstr(line, "ok 1 migrate 32M thp\n# hmmbench-case: ");
	cr_assert(line, "%s", buf);
	cr_assert_eq(sscanf(line + strlen("ok 1 migrate 32M thp\n# hmmbench-case: "),
			    "%63s %15s %lf %15s", id, result, &value, unit), 4);
	cr_assert_str_eq(id, "migrate-32M-thp");
	cr_assert_str_eq(result, "pass");
	cr_assert(value >= 0 && value < 60, "seconds since the header: %g", value);
	cr_assert_str_eq(unit, "s");
	cr_assert(strstr(buf, "not ok 2 split 8M   to-dev\n# hmmbench-case: split-8M-_-to-dev fail "));
	cr_assert(strstr(buf, "# SKIP no FAIL_ALLOC\n# hmmbench-case: split-8M-to-sys skip "));
	cr_assert(strstr(buf, "# hmmbench-case: a_b_c pass 1 -\n"));
	cr_assert(strstr(buf, "ok 4 quiet\n") && !strstr(buf, "hmmbench-case: quiet"));
	fclose(out);
}
