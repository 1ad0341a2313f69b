/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KTAP output (Documentation/dev-tools/ktap.rst), so that kselftest
 * runners and CI systems that parse kernel test results take hmmbench
 * in as it is:
 *
 *   KTAP version 1
 *   1..3
 *   ok 1 migrate 32M thp to-dev
 *   not ok 2 migrate 32M thp to-sys
 *   # data mismatch at byte 4096
 *   ok 3 split 8M to-dev # SKIP fail-alloc unsupported: ...
 *
 * A description or reason never contains '#' or a line break (they would
 * be read as a directive or a new line): each is written as a space.
 */
#ifndef HMMBENCH_KTAP_H
#define HMMBENCH_KTAP_H

#include <stdio.h>

/* The version line and the plan "1..@planned". */
void ktap_header(FILE *f, int planned);
/*
 * "ok @n @desc", "not ok @n @desc", or with @skip_reason non-NULL
 * "ok @n @desc # SKIP @skip_reason" (a skip is never "not ok").
 */
void ktap_result(FILE *f, int n, int ok, const char *desc,
		 const char *skip_reason);
/* Diagnostic lines: each line of the message prefixed by "# ". */
void ktap_diag(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * One diagnostic line "# @key: @text" whatever @text holds (a kernel
 * log line, a function name from a report): line breaks and control
 * characters are shown as esc_term() shows them and '#' as a space, so
 * the text can neither start a line of its own (a forged "ok" or plan)
 * nor act on a terminal.
 */
void ktap_diag_line(FILE *f, const char *key, const char *text);

/*
 * Case lines: one diagnostic line per test case, in a shape a CI's console
 * monitor matches with one simple pattern (scripts/lava-job's LAVA monitor):
 *
 *   # hmmbench-case: <id> <pass|fail|skip> <value> <unit>
 *
 * <id>, <value> and <unit> never hold a space. Two kinds of case:
 * - every summary record (summary_record()): id "<bench>.<params>.<metric>"
 *   as ktap_case_id() makes it, result pass (it was measured), value the
 *   median, unit the metric's;
 * - every KTAP result (ktap_result()): id its description with spaces as
 *   '-', result from ok / not ok / SKIP, value the seconds since the
 *   previous result (or the header): the case's wall time when cases run
 *   one after another; with interleave=true the job's first case carries
 *   the whole job's time and the others about none.
 * Off until ktap_cases_to() names the stream (the runner does in KTAP mode).
 */
#define KTAP_CASE_TAG "# hmmbench-case: "
void ktap_cases_to(FILE *f);
/* The stream ktap_cases_to() set, or NULL. */
FILE *ktap_cases_stream(void);
/* One case line; characters other than [A-Za-z0-9._+=/%-] become '_'. */
void ktap_case_line(FILE *f, const char *id, const char *result, double value,
		    const char *unit);

struct json_t;
/*
 * "migrate.32M-thp-to-dev.throughput": @bench, the values of @params in
 * recorded order ("size" as 32M, other numbers as key=N) joined by '-',
 * and @metric. What identifies a summary row in compare and report.
 */
void ktap_case_id(const char *bench, struct json_t *params, const char *metric,
		  char *buf, size_t len);

#endif
