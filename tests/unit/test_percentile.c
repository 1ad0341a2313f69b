// SPDX-License-Identifier: GPL-2.0
/*
 * results/percentile.h against values worked out by hand (in comments).
 *
 * Definition checked: nearest rank, the p-quantile of n sorted samples is
 * x(k), k = ceil(p * n), 1-based, k >= 1 (so every answer is a sample).
 * Confidence interval: [x(l), x(u)], B ~ Bin(n, p), l the largest rank
 * with P(B <= l-1) <= alpha/2, u the smallest with P(B >= u) <= alpha/2,
 * coverage P(B <= u-1) - P(B <= l-1).
 */
#include <math.h>
#include <stdlib.h>

#include <criterion/criterion.h>

#include "percentile.h"
#include "stats.h"

/*
 * The textbook example {15, 20, 35, 40, 50}, n = 5:
 * p5: ceil(0.25) = 1 -> 15; p30: ceil(1.5) = 2 -> 20; p40: ceil(2.0) = 2
 * -> 20; p50: ceil(2.5) = 3 -> 35; p100: 5 -> 50; p0 clamps to rank 1.
 */
Test(percentile, nearest_rank_textbook)
{
	const uint64_t x[] = { 15, 20, 35, 40, 50 };
	const struct { uint32_t ppm; uint64_t want; } c[] = {
		{ 0, 15 }, { 50000, 15 }, { 300000, 20 }, { 400000, 20 },
		{ 500000, 35 }, { 1000000, 50 },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		uint64_t got = percentile_sorted(x, 5, c[i].ppm);

		cr_expect(got == c[i].want, "quantile %u ppm of {15,20,35,40,50}: expected %llu, got %llu",
			  c[i].ppm, (unsigned long long)c[i].want, (unsigned long long)got);
	}
}

/*
 * x = 1..1000: p50 -> rank 500 -> 500, p90 -> 900, p99 -> 990, and p99.9
 * -> ceil(0.999 * 1000) = 999 exactly -> 999 (floating point would give
 * 999.0000000000001 and round up to the maximum). x = 1..10: p99.9 ->
 * ceil(9.99) = 10 -> 10, p90 -> 9, p50 -> 5.
 */
Test(percentile, rank_is_exact_in_integers)
{
	cr_expect_eq(percentile_rank(1000, 999000), 999);
	cr_expect_eq(percentile_rank(1000, 990000), 990);
	cr_expect_eq(percentile_rank(1000, 900000), 900);
	cr_expect_eq(percentile_rank(1000, 500000), 500);
	cr_expect_eq(percentile_rank(10, 999000), 10);
	cr_expect_eq(percentile_rank(10, 900000), 9);
	cr_expect_eq(percentile_rank(10, 500000), 5);
	cr_expect_eq(percentile_rank(1, 500000), 1);
	cr_expect_eq(percentile_rank(0, 500000), 0, "no samples, no rank");
}

/*
 * Shuffled 1..10 plus a 1000: sorted 1 2 3 4 5 6 7 8 9 10 1000, n = 11.
 * p50: ceil(5.5) = 6 -> 6; p90: ceil(9.9) = 10 -> 10; p99: ceil(10.89)
 * = 11 -> 1000; p99.9 -> 1000; min 1, max 1000, mean 1055 / 11.
 */
Test(percentile, latency_summary_by_hand)
{
	uint64_t x[] = { 7, 1000, 3, 9, 1, 10, 2, 8, 4, 6, 5 };
	struct latency_summary s;

	cr_assert_eq(latency_summarise(x, 11, 0.95, &s), 0);
	cr_expect_eq(s.n, 11);
	cr_expect_eq(s.value[PCT_P50], 6);
	cr_expect_eq(s.value[PCT_P90], 10);
	cr_expect_eq(s.value[PCT_P99], 1000);
	cr_expect_eq(s.value[PCT_P999], 1000);
	cr_expect_eq(s.min, 1);
	cr_expect_eq(s.max, 1000);
	cr_expect(fabs(s.mean - 1055.0 / 11) < 1e-9, "mean: expected %.6f, got %.6f",
		  1055.0 / 11, s.mean);
	cr_expect_eq(latency_summarise(x, 0, 0.95, &s), -1, "0 samples must be refused");
}

/*
 * p90 of n = 10 at level 0.5 (alpha/2 = 0.25), B ~ Bin(10, 0.9):
 * P(B=10) = 0.9^10 = 0.3486784401, P(B=9) = 10 * 0.9^9 * 0.1 =
 * 0.387420489, P(B=8) = 45 * 0.9^8 * 0.01 = 0.1937102445, P(B=7) =
 * 120 * 0.9^7 * 0.001 = 0.057395628, so P(B<=6) = 0.0127951984,
 * P(B<=7) = 0.0701908264 <= 0.25, P(B<=8) = 0.2639010709 > 0.25: l = 8.
 * P(B>=10) = 0.3487 > 0.25 already: u cannot go below 10.
 * Coverage = P(B<=9) - P(B<=7) = 0.6513215599 - 0.0701908264 = 0.5811307335.
 */
Test(percentile, ci_of_p90_by_hand)
{
	size_t lo, hi;
	double cover;

	percentile_ci_ranks(10, 900000, 0.5, &lo, &hi, &cover);
	cr_expect_eq(lo, 8);
	cr_expect_eq(hi, 10);
	cr_expect(fabs(cover - 0.5811307335) < 1e-9, "coverage: expected 0.5811307335, got %.10f", cover);
}

/*
 * n = 3, p = 1/2, level 0.5: P(B<=0) = 1/8 <= 0.25 but P(B<=1) = 1/2:
 * l = 1; P(B>=2) = 1/2 > 0.25: u = 3; coverage 7/8 - 1/8 = 0.75.
 */
Test(percentile, ci_of_median_of_three)
{
	size_t lo, hi;
	double cover;

	percentile_ci_ranks(3, 500000, 0.5, &lo, &hi, &cover);
	cr_expect_eq(lo, 1);
	cr_expect_eq(hi, 3);
	cr_expect(fabs(cover - 0.75) < 1e-12, "coverage: expected 0.75, got %.12f", cover);
}

/* For p = 1/2 the interval must be the median interval of stats.h. */
Test(percentile, ci_of_median_matches_stats)
{
	for (size_t n = 1; n <= 60; n++) {
		size_t lo, hi, l;
		double cover, want;

		percentile_ci_ranks(n, 500000, 0.95, &lo, &hi, &cover);
		l = stats_median_ci_rank(n, 0.95, &want);
		cr_expect(lo == l && hi == n - l + 1,
			  "n=%zu: median interval [%zu, %zu], stats.h says [%zu, %zu]", n, lo, hi, l, n - l + 1);
		cr_expect(fabs(cover - want) < 1e-12, "n=%zu: coverage %.12f, stats.h %.12f", n, cover, want);
	}
}

/*
 * Buckets by hand: 255 is exact (below 2^8); 300: top bit 8, shift 1,
 * 300 >> 1 = 150, index 1*128 + 150 = 278, low 300, width 2, value 300;
 * 1000: top bit 9, shift 2, 1000 >> 2 = 250, index 256 + 250 = 506,
 * low 1000, width 4, value 1000 + (4-1)/2 = 1001.
 */
Test(percentile, hist_buckets_by_hand)
{
	cr_expect_eq(hist_bucket(255), 255);
	cr_expect_eq(hist_bucket_width(255), 1);
	cr_expect_eq(hist_bucket(300), 278);
	cr_expect_eq(hist_bucket(301), 278);
	cr_expect_eq(hist_bucket_low(278), 300);
	cr_expect_eq(hist_bucket_width(278), 2);
	cr_expect_eq(hist_bucket_value(278), 300);
	cr_expect_eq(hist_bucket(1000), 506);
	cr_expect_eq(hist_bucket_low(506), 1000);
	cr_expect_eq(hist_bucket_width(506), 4);
	cr_expect_eq(hist_bucket_value(506), 1001);
}

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void expect_within_bound(uint64_t v)
{
	size_t i = hist_bucket(v);
	uint64_t low = hist_bucket_low(i), w = hist_bucket_width(i);
	double err = fabs((double)hist_bucket_value(i) - (double)v);

	cr_assert(i < HIST_NR_BUCKETS, "value %llu: bucket %zu out of range",
		  (unsigned long long)v, i);
	cr_assert(low <= v && v - low < w, "value %llu outside its bucket [%llu, +%llu)",
		  (unsigned long long)v, (unsigned long long)low, (unsigned long long)w);
	cr_assert(err <= HIST_MAX_REL_ERROR * (double)v,
		  "value %llu: bucket value %llu is %.3g%% off, bound %.3g%%",
		  (unsigned long long)v, (unsigned long long)hist_bucket_value(i),
		  100 * err / v, 100 * HIST_MAX_REL_ERROR);
}

/* Every value's bucket stands for it within the stated relative error. */
Test(percentile, hist_bounded_error)
{
	uint64_t s = 42;

	for (uint64_t v = 0; v < 70000; v++)
		expect_within_bound(v);
	for (int b = 1; b < 64; b++) {
		expect_within_bound((1ULL << b) - 1);
		expect_within_bound(1ULL << b);
	}
	expect_within_bound(UINT64_MAX);
	for (int i = 0; i < 200000; i++)
		expect_within_bound(splitmix(&s) >> (splitmix(&s) % 64));
}

/* Buckets tile the whole range with no gap or overlap. */
Test(percentile, hist_buckets_are_contiguous)
{
	cr_expect_eq(hist_bucket_low(0), 0);
	for (size_t i = 0; i + 1 < HIST_NR_BUCKETS; i++)
		cr_assert(hist_bucket_low(i) + hist_bucket_width(i) == hist_bucket_low(i + 1),
			  "bucket %zu ends at %llu but bucket %zu starts at %llu", i,
			  (unsigned long long)(hist_bucket_low(i) + hist_bucket_width(i)), i + 1,
			  (unsigned long long)hist_bucket_low(i + 1));
	cr_expect_eq(hist_bucket(UINT64_MAX), HIST_NR_BUCKETS - 1);
}

/* Percentiles read from the histogram are within the bound of the exact ones. */
Test(percentile, hist_percentiles_within_bound)
{
	enum { N = 5000 };
	uint64_t *x = malloc(N * sizeof(*x)), s = 7;
	struct latency_hist h;
	struct latency_summary sum;

	cr_assert(x && hist_init(&h) == 0);
	for (int i = 0; i < N; i++) {
		/* Log-uniform from ~1 us to ~1 s, like fault latencies. */
		x[i] = 1000 + (splitmix(&s) >> (34 + splitmix(&s) % 30));
		hist_add(&h, x[i]);
	}
	cr_assert_eq(latency_summarise(x, N, 0.95, &sum), 0);
	cr_expect_eq(h.n, N);
	cr_expect_eq(h.min, sum.min);
	cr_expect_eq(h.max, sum.max);
	for (int i = 0; i < NR_PCTS; i++) {
		double exact = sum.value[i], approx = hist_percentile(&h, pct_ppm(i));

		cr_expect(fabs(approx - exact) <= HIST_MAX_REL_ERROR * exact,
			  "%s: histogram %.0f, exact %.0f", pct_name(i), approx, exact);
	}
	hist_free(&h);
	free(x);
}
