// SPDX-License-Identifier: GPL-2.0
/*
 * bench/fault's pieces that need no device: the order each thread touches
 * pages in, how pages map to fault units from a SNAPSHOT, and the names a
 * job file uses. The fault-back itself needs test_hmm: tests/vm/fault-check.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "fault.h"
#include "pagestate.h"

static struct fault_job job_of(enum fault_pattern pat, size_t stride,
			       enum fault_sharing sh, unsigned int threads)
{
	struct fault_job j = {
		.size = 4096, .mode = PAGES_4K, .threads = threads,
		.access = FAULT_READ, .pattern = pat, .stride = stride,
		.sharing = sh, .iterations = 1,
	};
	return j;
}

static void expect_plan(const uint32_t *got, size_t n, const uint32_t *want,
			size_t wn, const char *what)
{
	cr_assert_eq(n, wn, "%s: %zu pages planned, expected %zu", what, n, wn);
	for (size_t i = 0; i < n; i++)
		cr_expect_eq(got[i], want[i], "%s: step %zu touches page %u, expected %u",
			     what, i, got[i], want[i]);
}

/* 10 pages, stride 4: 0 4 8, then 1 5 9, then 2 6, then 3 7. */
Test(fault, strided_order_by_hand)
{
	struct fault_job j = job_of(FAULT_STRIDED, 4, FAULT_DISJOINT, 1);
	const uint32_t want[] = { 0, 4, 8, 1, 5, 9, 2, 6, 3, 7 };
	uint32_t plan[10];

	expect_plan(plan, fault_plan(&j, 10, 0, 1, plan), want, 10, "strided 4 of 10");
}

/*
 * 10 pages, 3 disjoint threads: [10*t/3, 10*(t+1)/3) = [0,3) [3,6) [6,10);
 * thread 2 in seq order touches 6 7 8 9.
 */
Test(fault, disjoint_ranges_by_hand)
{
	struct fault_job j = job_of(FAULT_SEQ, 0, FAULT_DISJOINT, 3);
	const uint32_t t0[] = { 0, 1, 2 }, t1[] = { 3, 4, 5 }, t2[] = { 6, 7, 8, 9 };
	uint32_t plan[10];

	expect_plan(plan, fault_plan(&j, 10, 0, 1, plan), t0, 3, "thread 0 of 3");
	expect_plan(plan, fault_plan(&j, 10, 1, 1, plan), t1, 3, "thread 1 of 3");
	expect_plan(plan, fault_plan(&j, 10, 2, 1, plan), t2, 4, "thread 2 of 3");
}

/* Overlap: every thread covers all pages; seq threads all start at page 0. */
Test(fault, overlap_covers_everything)
{
	struct fault_job j = job_of(FAULT_SEQ, 0, FAULT_OVERLAP, 4);
	const uint32_t want[] = { 0, 1, 2, 3, 4 };
	uint32_t plan[5];

	for (unsigned int t = 0; t < 4; t++)
		expect_plan(plan, fault_plan(&j, 5, t, 1, plan), want, 5, "overlap seq");
}

/* Every pattern and sharing: each thread touches each page of its range once. */
Test(fault, every_page_exactly_once)
{
	enum { N = 1000 };
	const enum fault_pattern pats[] = { FAULT_SEQ, FAULT_RANDOM, FAULT_STRIDED };
	const enum fault_sharing shs[] = { FAULT_DISJOINT, FAULT_OVERLAP };
	uint32_t *plan = malloc(N * sizeof(*plan));
	unsigned int *seen = malloc(N * sizeof(*seen));

	cr_assert(plan && seen);
	for (int p = 0; p < 3; p++) {
		for (int s = 0; s < 2; s++) {
			struct fault_job j = job_of(pats[p], 7, shs[s], 3);

			memset(seen, 0, N * sizeof(*seen));
			for (unsigned int t = 0; t < 3; t++) {
				size_t n = fault_plan(&j, N, t, 42, plan);

				for (size_t i = 0; i < n; i++) {
					cr_assert(plan[i] < N, "page %u out of range", plan[i]);
					seen[plan[i]]++;
				}
			}
			for (size_t i = 0; i < N; i++)
				cr_assert_eq(seen[i], shs[s] == FAULT_OVERLAP ? 3 : 1,
					     "%s/%s: page %zu touched %u times",
					     fault_pattern_name(pats[p]),
					     fault_sharing_name(shs[s]), i, seen[i]);
		}
	}
	free(plan);
	free(seen);
}

/* Random is a permutation that depends on the seed and on the thread. */
Test(fault, random_depends_on_seed_and_thread)
{
	struct fault_job j = job_of(FAULT_RANDOM, 0, FAULT_OVERLAP, 2);
	uint32_t a[64], b[64], c[64];

	fault_plan(&j, 64, 0, 1, a);
	fault_plan(&j, 64, 1, 1, b);
	fault_plan(&j, 64, 0, 2, c);
	cr_expect(memcmp(a, b, sizeof(a)), "threads 0 and 1 should not share one order");
	cr_expect(memcmp(a, c, sizeof(a)), "seeds 1 and 2 should not give one order");
	fault_plan(&j, 64, 0, 1, b);
	cr_expect(!memcmp(a, b, sizeof(a)), "the same seed and thread must repeat the order");
}

/*
 * A 1026-page snapshot: PMD 0 (pages 0-511) on the device as a PMD
 * (0x26); pages 512-1023 on the device as 4 KiB entries (0x22); page 1024
 * in system memory (0x02), page 1025 not populated (0x00).
 * Units: pages 0-511 -> 1026 + 0; 512..1023 -> themselves; 1024, 1025 -> -1.
 */
Test(fault, units_from_snapshot)
{
	enum { N = 1026 };
	uint8_t state[N];
	int64_t unit[N];
	size_t pmds;

	memset(state, 0x26, 512);
	memset(state + 512, 0x22, 512);
	state[1024] = 0x02;
	state[1025] = 0x00;
	pmds = fault_units(state, N, unit);
	cr_expect_eq(pmds, 1, "one device PMD, got %zu", pmds);
	cr_expect_eq(unit[0], N);
	cr_expect_eq(unit[511], N);
	cr_expect_eq(unit[512], 512);
	cr_expect_eq(unit[1023], 1023);
	cr_expect_eq(unit[1024], -1);
	cr_expect_eq(unit[1025], -1);
}

Test(fault, names_round_trip)
{
	unsigned int v = 99;

	cr_expect(!key_choice_find(fault_access_choices, "write", &v) && v == FAULT_WRITE);
	cr_expect(!key_choice_find(fault_pattern_choices, "strided", &v) && v == FAULT_STRIDED);
	cr_expect(!key_choice_find(fault_sharing_choices, "overlap", &v) && v == FAULT_OVERLAP);
	cr_expect_str_eq(fault_pattern_name(FAULT_RANDOM), "random");
	cr_expect_str_eq(fault_access_name(FAULT_WRITE), "write");
	cr_expect_str_eq(fault_sharing_name(FAULT_DISJOINT), "disjoint");
	cr_expect_eq(key_choice_find(fault_access_choices, "rw", &v), -1);
	cr_expect_eq(key_choice_find(fault_pattern_choices, "Seq", &v), -1, "names are lower case");
	cr_expect_eq(key_choice_find(fault_sharing_choices, NULL, &v), -1);
	cr_expect(fault_default_max_threads() >= 2);
}
