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

#endif
