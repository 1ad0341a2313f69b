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
