/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exact tests on counts, and p-value adjustment for many rows at once.
 *
 * Fisher's exact test of a 2x2 table, two-sided as R's fisher.test
 * computes it: the probability, given the margins, of every table no
 * more likely than the one observed (with R's relative tolerance of
 * 1e-7 for ties in probability). Counts here are events out of trials
 * (samples that moved whole PMDs out of samples, PMDs split out of PMDs
 * attempted), so the table is hits and misses of base and new.
 */
#ifndef HMMBENCH_EXACT_H
#define HMMBENCH_EXACT_H

#include <stddef.h>

/* Two-sided p of @hb hits in @nb trials on base against @hn in @nn on new. */
double fisher_exact_p(size_t hb, size_t nb, size_t hn, size_t nn);

/*
 * The smallest p any table with these margins could give: 1 when the
 * margins force the table (no hit or no miss at all), and such a row
 * cannot be significant whatever the data, so it is no test to adjust for.
 */
double fisher_min_p(size_t hb, size_t nb, size_t hn, size_t nn);

enum p_adjust { P_ADJUST_HOLM, P_ADJUST_BH, P_ADJUST_NONE };

/*
 * Adjusted p-values of the @n p-values in @p into @adj (NAN in, NAN out,
 * and not counted among the tests): Holm's step-down (family-wise error
 * under any dependence), Benjamini-Hochberg's step-up (false discovery
 * rate), or none. As R's p.adjust. -1 without memory.
 */
int p_adjust(const double *p, double *adj, size_t n, enum p_adjust how);
const char *p_adjust_name(enum p_adjust how);

#endif
