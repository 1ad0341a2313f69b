/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Latency percentiles, exact from every sample, and a log-linear histogram
 * with a stated bounded error for records that must stay compact.
 *
 * Percentile definition (nearest rank): the p-quantile of n samples is the
 * k-th smallest, k = ceil(p * n), k >= 1. p is given in parts per million
 * so that k is computed in integers: p99.9 of 1000 samples is the 999th
 * smallest, never the 1000th because 0.999 * 1000 rounded up in floating
 * point. Every reported value is one of the samples.
 *
 * Each percentile also carries a distribution-free confidence interval
 * [x(l), x(u)] (1-based order statistics): with B ~ Binomial(n, p) the
 * number of samples below the true quantile, l is the largest rank with
 * P(B <= l-1) <= (1-level)/2 and u the smallest with P(B >= u) <=
 * (1-level)/2, clamped to [1, n]; the coverage actually achieved,
 * P(l <= B <= u-1), is reported with it (for p = 1/2 this is the median
 * interval of results/stats.h). A p99.9 from 16 samples therefore says
 * what it is worth: its interval reaches the maximum and its coverage is
 * far below the level asked for.
 */
#ifndef HMMBENCH_PERCENTILE_H
#define HMMBENCH_PERCENTILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#define PPM 1000000u

/* The 1-based nearest rank of the @ppm quantile of @n samples; 0 if n is 0. */
size_t percentile_rank(size_t n, uint32_t ppm);
/* The @ppm quantile of @sorted (ascending, @n > 0) by nearest rank. */
uint64_t percentile_sorted(const uint64_t *sorted, size_t n, uint32_t ppm);
/*
 * The order-statistic confidence interval of the @ppm quantile: 1-based
 * ranks @lo and @hi (1 <= lo <= hi <= n) and the coverage they achieve.
 */
void percentile_ci_ranks(size_t n, uint32_t ppm, double level,
			 size_t *lo, size_t *hi, double *coverage);

/* What every latency summary reports. */
enum { PCT_P50, PCT_P90, PCT_P99, PCT_P999, NR_PCTS };

struct latency_summary {
	size_t n;
	uint64_t min, max;
	double mean;
	uint64_t value[NR_PCTS];
	uint64_t ci_low[NR_PCTS], ci_high[NR_PCTS];
	double ci_level[NR_PCTS];	/* coverage actually achieved */
};

/* "p50", "p90", "p99", "p99.9" and the quantiles in ppm. */
const char *pct_name(int i);
uint32_t pct_ppm(int i);

/*
 * Summarises @n latencies in ns; sorts @ns in place. Returns -1 when @n
 * is 0 (nothing to summarise; @s is zeroed).
 */
int latency_summarise(uint64_t *ns, size_t n, double level,
		      struct latency_summary *s);
/*
 * {"n", "min", "mean", "max", "p50", ..., "ci": {"p50": [lo, hi, cover], ...}}
 * in ns, for a record.
 */
json_t *latency_summary_json(const struct latency_summary *s);
/*
 * One line per percentile and one for the maximum, e.g.
 * "fault 32M 4k T=2  p99  n=8192  41.2 us [40.1 us, 44.0 us] cover 95.3%",
 * each value in ns, us or ms as fits it.
 */
void latency_summary_print(FILE *f, const char *label,
			   const struct latency_summary *s);

/*
 * Log-linear histogram of uint64 values (HDR-style). Values below
 * 2^(HIST_SUB_BITS+1) have a bucket each; above, every power of two is cut
 * into 2^HIST_SUB_BITS equal buckets, so a bucket is at most 1/128 of its
 * lower bound wide. Its representative is its midpoint, so the value a
 * bucket stands for is within HIST_MAX_REL_ERROR (2^-8 = 0.39%) of every
 * value counted in it, and a percentile read from the histogram is within
 * that error of the exact one (the bucket map is monotonic, so the k-th
 * smallest value lies in the bucket where the cumulative count reaches k).
 */
#define HIST_SUB_BITS 7
#define HIST_MAX_REL_ERROR (1.0 / (2 << HIST_SUB_BITS))
#define HIST_NR_BUCKETS ((64 - HIST_SUB_BITS + 1) << HIST_SUB_BITS)

struct latency_hist {
	uint64_t *count;	/* HIST_NR_BUCKETS */
	uint64_t n, min, max;
};

int hist_init(struct latency_hist *h);
void hist_free(struct latency_hist *h);
void hist_reset(struct latency_hist *h);
void hist_add(struct latency_hist *h, uint64_t v);
size_t hist_bucket(uint64_t v);
/* Lower bound and width of bucket @i. */
uint64_t hist_bucket_low(size_t i);
uint64_t hist_bucket_width(size_t i);
/* The value bucket @i stands for: its midpoint, rounded down. */
uint64_t hist_bucket_value(size_t i);
/* The @ppm quantile by nearest rank, as its bucket's value; 0 if empty. */
uint64_t hist_percentile(const struct latency_hist *h, uint32_t ppm);
/*
 * {"scheme": "log-linear", "sub_bucket_bits": 7, "max_rel_error": ..,
 *  "unit": "ns", "n", "min", "max", "buckets": [[low, width, count], ...]}
 * with only the non-empty buckets, ascending.
 */
json_t *hist_json(const struct latency_hist *h);

#endif
