// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "percentile.h"

size_t percentile_rank(size_t n, uint32_t ppm)
{
	unsigned long long k;

	if (!n)
		return 0;
	if (ppm > PPM)
		ppm = PPM;
	k = ((unsigned long long)n * ppm + PPM - 1) / PPM;
	return k ? k : 1;
}

uint64_t percentile_sorted(const uint64_t *sorted, size_t n, uint32_t ppm)
{
	return sorted[percentile_rank(n, ppm) - 1];
}

void percentile_ci_ranks(size_t n, uint32_t ppm, double level,
			 size_t *lo, size_t *hi, double *coverage)
{
	double p = (double)ppm / PPM, alpha_half = (1.0 - level) / 2.0;
	size_t l = 1, u = n;

	/* B ~ Bin(n, p) counts the samples below the true quantile. */
	while (l < n && gsl_cdf_binomial_P(l, p, n) <= alpha_half)
		l++;
	while (u > l && gsl_cdf_binomial_Q(u - 2, p, n) <= alpha_half)
		u--;
	*lo = l;
	*hi = u;
	if (coverage)
		*coverage = n ? gsl_cdf_binomial_P(u - 1, p, n) -
				gsl_cdf_binomial_P(l - 1, p, n) : 0;
}

static const struct {
	const char *name;
	uint32_t ppm;
} pcts[NR_PCTS] = {
	[PCT_P50] = { "p50", 500000 },
	[PCT_P90] = { "p90", 900000 },
	[PCT_P99] = { "p99", 990000 },
	[PCT_P999] = { "p99.9", 999000 },
};

const char *pct_name(int i)
{
	return pcts[i].name;
}

uint32_t pct_ppm(int i)
{
	return pcts[i].ppm;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int latency_summarise(uint64_t *ns, size_t n, double level,
		      struct latency_summary *s)
{
	long double sum = 0;

	memset(s, 0, sizeof(*s));
	if (!n)
		return -1;
	qsort(ns, n, sizeof(*ns), cmp_u64);
	for (size_t i = 0; i < n; i++)
		sum += ns[i];
	s->n = n;
	s->min = ns[0];
	s->max = ns[n - 1];
	s->mean = (double)(sum / n);
	for (int i = 0; i < NR_PCTS; i++) {
		size_t lo, hi;

		s->value[i] = percentile_sorted(ns, n, pcts[i].ppm);
		percentile_ci_ranks(n, pcts[i].ppm, level, &lo, &hi, &s->ci_level[i]);
		s->ci_low[i] = ns[lo - 1];
		s->ci_high[i] = ns[hi - 1];
	}
	return 0;
}

json_t *latency_summary_json(const struct latency_summary *s)
{
	json_t *o = json_pack("{s:I, s:I, s:f, s:I}", "n", (json_int_t)s->n,
			      "min", (json_int_t)s->min, "mean", s->mean,
			      "max", (json_int_t)s->max);
	json_t *ci = json_object();

	for (int i = 0; i < NR_PCTS; i++) {
		json_object_set_new(o, pcts[i].name, json_integer((json_int_t)s->value[i]));
		json_object_set_new(ci, pcts[i].name, json_pack("[I, I, f]",
				    (json_int_t)s->ci_low[i], (json_int_t)s->ci_high[i],
				    s->ci_level[i]));
	}
	json_object_set_new(o, "ci", ci);
	return o;
}

/* @v ns with a unit that keeps it readable: "812 ns", "41.2 us", "3.40 ms". */
static const char *fmt_ns(char *buf, size_t len, uint64_t v)
{
	if (v < 10000)
		snprintf(buf, len, "%llu ns", (unsigned long long)v);
	else if (v < 10000000)
		snprintf(buf, len, "%.4g us", v / 1e3);
	else
		snprintf(buf, len, "%.4g ms", v / 1e6);
	return buf;
}

void latency_summary_print(FILE *f, const char *label,
			   const struct latency_summary *s)
{
	char v[24], lo[24], hi[24], mean[24];

	for (int i = 0; i < NR_PCTS; i++)
		fprintf(f, "%-30s %-6s n=%-8zu %10s [%s, %s] cover %.1f%%\n", label,
			pcts[i].name, s->n, fmt_ns(v, sizeof(v), s->value[i]),
			fmt_ns(lo, sizeof(lo), s->ci_low[i]),
			fmt_ns(hi, sizeof(hi), s->ci_high[i]), 100 * s->ci_level[i]);
	fprintf(f, "%-30s %-6s n=%-8zu %10s (min %s, mean %s)\n", label, "max",
		s->n, fmt_ns(v, sizeof(v), s->max), fmt_ns(lo, sizeof(lo), s->min),
		fmt_ns(mean, sizeof(mean), (uint64_t)(s->mean + 0.5)));
}

int hist_init(struct latency_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->count = calloc(HIST_NR_BUCKETS, sizeof(*h->count));
	return h->count ? 0 : -ENOMEM;
}

void hist_free(struct latency_hist *h)
{
	free(h->count);
	memset(h, 0, sizeof(*h));
}

void hist_reset(struct latency_hist *h)
{
	memset(h->count, 0, HIST_NR_BUCKETS * sizeof(*h->count));
	h->n = h->min = h->max = 0;
}

#define HIST_EXACT (2ULL << HIST_SUB_BITS)

size_t hist_bucket(uint64_t v)
{
	unsigned int shift;

	if (v < HIST_EXACT)
		return v;
	shift = 63 - __builtin_clzll(v) - HIST_SUB_BITS;
	/* (v >> shift) is in [2^SUB, 2^(SUB+1)): consecutive per shift. */
	return ((size_t)shift << HIST_SUB_BITS) + (v >> shift);
}

static unsigned int bucket_shift(size_t i)
{
	return i < HIST_EXACT ? 0 : (i >> HIST_SUB_BITS) - 1;
}

uint64_t hist_bucket_low(size_t i)
{
	unsigned int shift = bucket_shift(i);

	if (!shift)
		return i;
	return (uint64_t)(i - ((size_t)shift << HIST_SUB_BITS)) << shift;
}

uint64_t hist_bucket_width(size_t i)
{
	return 1ULL << bucket_shift(i);
}

uint64_t hist_bucket_value(size_t i)
{
	return hist_bucket_low(i) + (hist_bucket_width(i) - 1) / 2;
}

void hist_add(struct latency_hist *h, uint64_t v)
{
	h->count[hist_bucket(v)]++;
	if (!h->n || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->n++;
}

uint64_t hist_percentile(const struct latency_hist *h, uint32_t ppm)
{
	size_t k = percentile_rank(h->n, ppm);
	uint64_t seen = 0;

	if (!k)
		return 0;
	for (size_t i = 0; i < HIST_NR_BUCKETS; i++) {
		seen += h->count[i];
		if (seen >= k)
			return hist_bucket_value(i);
	}
	return h->max;
}

json_t *hist_json(const struct latency_hist *h)
{
	json_t *b = json_array();

	for (size_t i = 0; i < HIST_NR_BUCKETS; i++)
		if (h->count[i])
			json_array_append_new(b, json_pack("[I, I, I]",
					      (json_int_t)hist_bucket_low(i),
					      (json_int_t)hist_bucket_width(i),
					      (json_int_t)h->count[i]));
	return json_pack("{s:s, s:i, s:f, s:s, s:I, s:I, s:I, s:o}",
			 "scheme", "log-linear", "sub_bucket_bits", HIST_SUB_BITS,
			 "max_rel_error", HIST_MAX_REL_ERROR, "unit", "ns",
			 "n", (json_int_t)h->n, "min", (json_int_t)h->min,
			 "max", (json_int_t)h->max, "buckets", b);
}
