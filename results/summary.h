/* SPDX-License-Identifier: GPL-2.0 */
/* Summary records and the plain-text table hmmbench prints from them. */
#ifndef HMMBENCH_SUMMARY_H
#define HMMBENCH_SUMMARY_H

#include <stdio.h>

#include <jansson.h>

#include "record.h"
#include "stats.h"

#define SUMMARY_CI_LEVEL 0.95

/*
 * Summarises @x, writes a "summary" record (stealing @params and @extra)
 * and returns the statistics in @s. Returns -1 if there were no samples.
 */
int summary_record(struct rec_writer *w, const char *bench, json_t *params,
		   const char *metric, const char *unit, const double *x,
		   size_t n, json_t *extra, struct sample_stats *s);

/*
 * The table is at most 100 columns wide; every line starts with @prefix
 * ("# " inside KTAP output).
 */
void summary_print_header(FILE *f, const char *prefix);
/* One row: label (<= 26 chars), the statistics, and a short note. */
void summary_print_row(FILE *f, const char *prefix, const char *label,
		       const char *unit, const struct sample_stats *s,
		       const char *note);
/* What the columns mean. */
void summary_print_footer(FILE *f, const char *prefix);

#endif
