/* SPDX-License-Identifier: GPL-2.0 */
/* Between reader.c (loading) and reader_check.c (what it refuses or cleans). */
#ifndef HMMBENCH_READER_INT_H
#define HMMBENCH_READER_INT_H

#include <jansson.h>

#include "reader.h"

struct load_ctx {
	struct rs_run *run;
	const char *path;
	char *err;
	size_t errlen;
};

/* "PATH:LINE: @what" into the error; returns -EINVAL. */
int rd_bad(struct load_ctx *c, size_t line, const char *what);
int rd_badf(struct load_ctx *c, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * The numbers of a sample no run can write: a value that is not finite, a
 * negative value of a known metric, negative PMD counts or latencies, more
 * PMDs split than attempted, a malformed histogram. 0 or an error.
 */
int rd_check_sample(struct load_ctx *c, json_t *rec, size_t line);
/* The counts of a stress record: integers >= 0. */
int rd_check_stress(struct load_ctx *c, json_t *rec, size_t line);
/* Makes every string of @v, keys too, printable (esc_term()); -1 without memory. */
int rd_printable(json_t *v);
/*
 * A type the reader does not load: fine when hmmbench writes it (summary,
 * phase, ...), else skipped with a warning on the run, once per type.
 */
int rd_other_type(struct load_ctx *c, const char *type, size_t line);

#endif
