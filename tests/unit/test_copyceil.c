// SPDX-License-Identifier: GPL-2.0
/*
 * bench/copyceil on this machine: every method yields its samples and a
 * first pass, the ceiling is the best median, and every copy is a record.
 * No timing is asserted beyond "positive": benchmarks measure, tests check.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "copyceil.h"

#define SAMPLES 3
#define SIZE (4UL << 20)

/* Counts the sample records in @f per method and first pass. */
static void count_records(FILE *f, const struct copyceil_result *res,
			  size_t *samples, size_t *first)
{
	char line[4096];

	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		json_t *r = json_loads(line, 0, NULL);
		const char *m = json_string_value(json_object_get(
				json_object_get(r, "params"), "method"));

		cr_assert(r, "a record line is not JSON: %s", line);
		cr_expect_str_eq(json_string_value(json_object_get(r, "bench")), "copyceil");
		cr_expect(json_real_value(json_object_get(json_object_get(r, "values"),
				 "throughput")) > 0, "a copy with no throughput: %s", line);
		for (size_t i = 0; m && i < res->nmethods; i++) {
			if (strcmp(m, res->method[i].name))
				continue;
			if (json_is_true(json_object_get(r, "first_pass")))
				first[i]++;
			else
				samples[i]++;
		}
		json_decref(r);
	}
}

Test(copyceil, every_method_measured)
{
	static volatile sig_atomic_t stop;
	struct rec_writer w = { .f = tmpfile() };
	struct bench_ctx ctx = { .out = &w, .stop = &stop, .seed = 7 };
	struct copyceil_job job = { .size = SIZE, .samples = SAMPLES };
	struct copyceil_result res;
	size_t samples[COPYCEIL_MAX_METHODS] = { 0 }, first[COPYCEIL_MAX_METHODS] = { 0 };
	int ret;

	cr_assert(w.f, "tmpfile() failed");
	ret = copyceil_measure(&ctx, &job, &res);
	cr_assert_eq(ret, 0, "copyceil_measure returned %d", ret);
	cr_assert(res.nmethods >= 1, "at least memcpy must be measured");
	cr_expect_str_eq(res.method[0].name, "memcpy");
	for (size_t i = 0; i < res.nmethods; i++) {
		const struct copyceil_method *m = &res.method[i];

		cr_expect_eq(m->n, SAMPLES, "%s: %zu samples, expected %d", m->name, m->n, SAMPLES);
		cr_expect(m->first_pass_mbps > 0, "%s: no first pass", m->name);
		for (size_t k = 0; k < m->n; k++)
			cr_expect(m->mbps[k] > 0, "%s sample %zu: %g MB/s", m->name, k, m->mbps[k]);
		cr_expect(m->stats.n == SAMPLES && m->stats.min <= m->stats.median &&
			  m->stats.median <= m->stats.max, "%s: stats not summarised", m->name);
	}
	cr_assert(res.best >= 0 && res.best < (int)res.nmethods, "no best method");
	cr_expect(res.ceiling_mbps > 0, "ceiling %g MB/s", res.ceiling_mbps);
	for (size_t i = 0; i < res.nmethods; i++)
		cr_expect(res.method[i].stats.median <= res.ceiling_mbps,
			  "%s's median %g is above the ceiling %g", res.method[i].name,
			  res.method[i].stats.median, res.ceiling_mbps);
	cr_expect(copyceil_fraction(&res, res.ceiling_mbps / 2) == 0.5);

	count_records(w.f, &res, samples, first);
	for (size_t i = 0; i < res.nmethods; i++) {
		cr_expect_eq(samples[i], SAMPLES, "%s: %zu sample records", res.method[i].name, samples[i]);
		cr_expect_eq(first[i], 1, "%s: %zu first-pass records", res.method[i].name, first[i]);
	}
	copyceil_result_free(&res);
	fclose(w.f);
}

/* A stop request keeps what was measured and ends early. */
Test(copyceil, stop_flag_ends_early)
{
	static volatile sig_atomic_t stop = 1;
	struct rec_writer w = { .f = NULL };
	struct bench_ctx ctx = { .out = &w, .stop = &stop, .seed = 7 };
	struct copyceil_job job = { .size = SIZE, .samples = SAMPLES };
	struct copyceil_result res;

	cr_assert_eq(copyceil_measure(&ctx, &job, &res), 0);
	for (size_t i = 0; i < res.nmethods; i++)
		cr_expect_eq(res.method[i].n, 0, "%s sampled after stop", res.method[i].name);
	cr_expect_eq(res.best, -1, "no ceiling from no samples");
	cr_expect(copyceil_fraction(&res, 100) == 0);
	copyceil_result_free(&res);
}
