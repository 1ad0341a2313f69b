// SPDX-License-Identifier: GPL-2.0
/*
 * The stress operation generator (stress/ops.c), duration parsing and the
 * per-page patterns (stress/integrity.c): the same seed gives each thread
 * the same operations; threads, seeds and lives get different ones; every
 * range stays inside the region; only weighted kinds are drawn; patterns
 * depend on seed, page address and generation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "integrity.h"
#include "parse.h"
#include "pagestate.h"
#include "stress.h"

#define NOPS 500
#define DAY_MS 86400000ULL

static const uint8_t weights[OP_KIND_COUNT] = {
	[OP_MIGRATE_TO_DEV] = 5, [OP_CPU_READ] = 3, [OP_MUNMAP] = 1, [OP_FORK] = 1,
};

static void draw(struct stress_op *ops, uint64_t seed, unsigned int sc,
		 unsigned int thread, unsigned int life, size_t nchunks)
{
	struct stress_rng r;

	stress_rng_init(&r, seed, sc, thread, life);
	for (int i = 0; i < NOPS; i++)
		stress_next_op(&r, weights, nchunks, &ops[i]);
}

static int same_ops(const struct stress_op *a, const struct stress_op *b)
{
	for (int i = 0; i < NOPS; i++)
		if (a[i].kind != b[i].kind || a[i].first != b[i].first ||
		    a[i].npages != b[i].npages || a[i].arg != b[i].arg)
			return 0;
	return 1;
}

Test(stress_ops, same_seed_same_sequence_per_thread)
{
	static struct stress_op a[NOPS], b[NOPS];

	for (unsigned int t = 0; t < 4; t++) {
		draw(a, 42, 0, t, 0, 16);
		draw(b, 42, 0, t, 0, 16);
		cr_assert(same_ops(a, b), "thread %u: seed 42 should replay the same %d operations", t, NOPS);
	}
}

Test(stress_ops, threads_seeds_scenarios_and_lives_differ)
{
	static struct stress_op a[NOPS], b[NOPS];

	draw(a, 42, 0, 0, 0, 16);
	draw(b, 42, 0, 1, 0, 16);
	cr_assert(!same_ops(a, b), "threads 0 and 1 should not draw the same sequence");
	draw(b, 43, 0, 0, 0, 16);
	cr_assert(!same_ops(a, b), "seeds 42 and 43 should not draw the same sequence");
	draw(b, 42, 1, 0, 0, 16);
	cr_assert(!same_ops(a, b), "scenarios 0 and 1 should not draw the same sequence");
	draw(b, 42, 0, 0, 1, 16);
	cr_assert(!same_ops(a, b), "a respawned worker (life 1) should not replay life 0");
}

Test(stress_ops, ranges_stay_inside_the_region)
{
	static struct stress_op a[NOPS];
	size_t sizes[] = { 1, 2, 16 };

	for (size_t s = 0; s < 3; s++) {
		for (uint64_t seed = 0; seed < 20; seed++) {
			draw(a, seed, 2, 3, 0, sizes[s]);
			for (int i = 0; i < NOPS; i++) {
				cr_assert(a[i].npages >= 1, "an operation of 0 pages");
				cr_assert(a[i].first + a[i].npages <= sizes[s] * PAGES_PER_PMD,
					  "pages %u+%u exceed a region of %zu chunks",
					  a[i].first, a[i].npages, sizes[s]);
				cr_assert(a[i].npages <= 2 * PAGES_PER_PMD,
					  "%u pages: more than the bounce buffer's two chunks", a[i].npages);
			}
		}
	}
}

Test(stress_ops, only_weighted_kinds_and_all_of_them)
{
	static struct stress_op a[NOPS];
	int seen[OP_KIND_COUNT] = { 0 };

	draw(a, 7, 0, 0, 0, 16);
	for (int i = 0; i < NOPS; i++) {
		cr_assert(a[i].kind < OP_KIND_COUNT && weights[a[i].kind],
			  "drew kind %u (%s), which has weight 0", a[i].kind, stress_op_name(a[i].kind));
		seen[a[i].kind]++;
	}
	for (int k = 0; k < OP_KIND_COUNT; k++)
		if (weights[k])
			cr_assert(seen[k] > 0, "%s (weight %u) never drawn in %d operations",
				  stress_op_name(k), weights[k], NOPS);
	/* Weight 5 of 10 against weight 1 of 10: over 500 draws this cannot tie. */
	cr_assert(seen[OP_MIGRATE_TO_DEV] > seen[OP_FORK],
		  "migrate-to-dev (weight 5) drawn %d times, fork (weight 1) %d times",
		  seen[OP_MIGRATE_TO_DEV], seen[OP_FORK]);
}

Test(stress_ops, op_string_names_kind_and_range)
{
	struct stress_op op = { OP_MREMAP_DONTUNMAP, 512, 16, 0xabcULL };
	char buf[96];

	stress_op_str(&op, buf, sizeof(buf));
	cr_assert_str_eq(buf, "mremap-dontunmap pages 512+16 arg 0x0000000000000abc");
	cr_assert_str_eq(stress_op_name(OP_KIND_COUNT), "unknown");
}

static void duration_ok(const char *s, uint64_t want)
{
	unsigned long long ms = 0;
	int ret = parse_duration_ms(s, DAY_MS, &ms);

	cr_assert(!ret && ms == want, "'%s' should parse as %llu ms (ret %d, got %llu)",
		  s, (unsigned long long)want, ret, (unsigned long long)ms);
}

static void duration_bad(const char *s, int want)
{
	unsigned long long ms = 12345;
	int ret = parse_duration_ms(s, DAY_MS, &ms);

	cr_assert(ret == want, "'%s' should be refused with %d, got %d", s ? s : "(null)", want, ret);
	cr_assert(ms == 12345, "'%s': a refused duration must not be stored", s ? s : "(null)");
}

Test(stress_duration, units)
{
	duration_ok("60s", 60000);
	duration_ok("2m", 120000);
	duration_ok("1h", 3600000);
	duration_ok("500ms", 500);
	duration_ok("90", 90000);
	duration_ok("24h", 86400000);
	/* One grammar with job files: fractions are fine. */
	duration_ok("1.5s", 1500);
	duration_ok("0.5m", 30000);
}

Test(stress_duration, refuses_negative_zero_and_garbage)
{
	duration_bad("-1", -EINVAL);
	duration_bad("-1s", -EINVAL);
	duration_bad("0", -EINVAL);
	duration_bad("0s", -EINVAL);
	duration_bad("", -EINVAL);
	duration_bad(NULL, -EINVAL);
	duration_bad("abc", -EINVAL);
	duration_bad("60x", -EINVAL);
	duration_bad(" 60s", -EINVAL);
	duration_bad("+60s", -EINVAL);
	duration_bad("60s ", -EINVAL);
}

Test(stress_duration, refuses_more_than_a_day)
{
	duration_bad("25h", -ERANGE);
	duration_bad("86401s", -ERANGE);
	duration_bad("99999999999999999999", -ERANGE);
}

Test(stress_pattern, depends_on_seed_address_and_generation)
{
	static uint8_t page[PAGE_SZ];
	uint64_t want, got;

	stress_page_fill(page, 1, 10, 3);
	cr_assert_eq(stress_page_check(page, 1, 10, 3, &want, &got), -1,
		     "a freshly filled page should check clean");
	cr_assert_geq(stress_page_check(page, 2, 10, 3, &want, &got), 0, "other seed must differ");
	cr_assert_geq(stress_page_check(page, 1, 11, 3, &want, &got), 0, "other page must differ");
	cr_assert_geq(stress_page_check(page, 1, 10, 2, &want, &got), 0, "older generation must differ");
	cr_assert_geq(stress_page_check(page, 1, 10, 3 | STRESS_GEN_ZERO, &want, &got), 0,
		      "a filled page is not a zero page");
}

Test(stress_pattern, reports_the_flipped_word)
{
	static uint8_t page[PAGE_SZ];
	uint64_t want, got, before;

	stress_page_fill(page, 99, 0, 1);
	memcpy(&before, page + 120, sizeof(before));
	page[123] ^= 0xff;
	cr_assert_eq(stress_page_check(page, 99, 0, 1, &want, &got), 120,
		     "byte 123 lies in the word at offset 120");
	cr_assert_eq(want, before, "expected should be the word as filled");
	cr_assert_eq(got, before ^ (0xffULL << 24), "found should be the word with byte 3 flipped");
}

Test(stress_pattern, zero_generation_expects_zeroes)
{
	static uint8_t page[PAGE_SZ];
	uint64_t want, got;

	memset(page, 0, sizeof(page));
	cr_assert_eq(stress_page_check(page, 5, 7, 4 | STRESS_GEN_ZERO, &want, &got), -1);
	cr_assert(stress_page_is_zero(page));
	page[PAGE_SZ - 1] = 1;
	cr_assert_eq(stress_page_check(page, 5, 7, 4 | STRESS_GEN_ZERO, &want, &got),
		     (long)(PAGE_SZ - 8));
	cr_assert(!stress_page_is_zero(page));
}

Test(stress_pattern, next_generation_skips_zero_and_flags)
{
	cr_assert_eq(stress_gen_next(1), 2u);
	cr_assert_eq(stress_gen_next(5 | STRESS_GEN_ZERO), 6u,
		     "after MADV_DONTNEED the next fill continues the page's generations");
	cr_assert_eq(stress_gen_next(STRESS_GEN_MASK), 1u, "wraps to 1, never to 0");
}
