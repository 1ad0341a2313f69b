/* SPDX-License-Identifier: GPL-2.0 */
/* Between results/compare.c (rows) and results/compare_judge.c (tests). */
#ifndef HMMBENCH_COMPARE_INT_H
#define HMMBENCH_COMPARE_INT_H

#include "compare.h"

/* A new row of @t in @state for group @g (NULL: none). NULL without memory. */
struct cmp_row *cmp_add_row(struct cmp_table *t, enum cmp_state state,
			    const struct rs_group *g);
/* A per-fault metric where one side faulted whole PMDs, the other pages. */
int cmp_unit_differs(const struct cmp_row *r);
/* A compared row's test inputs: its runs' medians, or its counts. */
int cmp_test_inputs(struct cmp_row *r, const struct cmp_table *t);
/*
 * The counts compare derives for every job measured on both sides
 * (samples that moved whole PMDs, faults per page brought back): one row
 * each, judged exactly.
 */
int cmp_add_count_rows(struct cmp_table *t);
/* Tests every compared row together and sets verdicts and totals. */
int cmp_judge_all(struct cmp_table *t, const struct cmp_opts *o);

#endif
