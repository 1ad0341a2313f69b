// SPDX-License-Identifier: GPL-2.0
/* interleave=true's schedule: who samples when, and who leaves. */
#include <criterion/criterion.h>

#include "rounds.h"

static void expect_round(struct rounds *rs, const unsigned int *want, unsigned int n,
			 const char *what)
{
	unsigned int order[ROUNDS_MAX], k = rounds_next(rs, order);

	cr_assert_eq(k, n, "%s: %u cases in the round, want %u", what, k, n);
	for (unsigned int i = 0; i < n; i++)
		cr_assert_eq(order[i], want[i], "%s: position %u is case %u, want %u",
			     what, i, order[i], want[i]);
}

Test(rounds, every_case_leads_in_turn)
{
	struct rounds rs;
	unsigned int first[4] = { 0 };

	cr_assert_eq(rounds_init(&rs, 4), 0);
	expect_round(&rs, (unsigned int[]){ 0, 1, 2, 3 }, 4, "round 0");
	expect_round(&rs, (unsigned int[]){ 1, 2, 3, 0 }, 4, "round 1");
	expect_round(&rs, (unsigned int[]){ 2, 3, 0, 1 }, 4, "round 2");
	expect_round(&rs, (unsigned int[]){ 3, 0, 1, 2 }, 4, "round 3");
	expect_round(&rs, (unsigned int[]){ 0, 1, 2, 3 }, 4, "round 4 starts over");
	for (int r = 0; r < 40; r++) {
		unsigned int order[ROUNDS_MAX];

		rounds_next(&rs, order);
		first[order[0]]++;
	}
	for (int c = 0; c < 4; c++)
		cr_assert_eq(first[c], 10, "case %d leads 10 of 40 rounds, not %u", c, first[c]);
}

Test(rounds, stopped_cases_leave_and_the_rest_keep_rotating)
{
	struct rounds rs;
	unsigned int first[4] = { 0 }, order[ROUNDS_MAX];

	cr_assert_eq(rounds_init(&rs, 4), 0);
	expect_round(&rs, (unsigned int[]){ 0, 1, 2, 3 }, 4, "round 0");
	rounds_drop(&rs, 2);
	cr_assert_eq(rounds_active(&rs), 3);
	expect_round(&rs, (unsigned int[]){ 1, 3, 0 }, 3, "round 1 without case 2");
	expect_round(&rs, (unsigned int[]){ 3, 0, 1 }, 3, "round 2 without case 2");
	/* Leading turns stay even among the cases left. */
	for (int r = 0; r < 30; r++) {
		rounds_next(&rs, order);
		first[order[0]]++;
	}
	cr_assert(first[0] == 10 && first[1] == 10 && first[3] == 10 && !first[2],
		  "cases 0, 1, 3 lead 10 rounds each: %u %u %u %u",
		  first[0], first[1], first[2], first[3]);
	rounds_drop(&rs, 0);
	rounds_drop(&rs, 3);
	rounds_drop(&rs, 3);	/* twice is harmless */
	expect_round(&rs, (unsigned int[]){ 1 }, 1, "one case left");
	rounds_drop(&rs, 1);
	cr_assert_eq(rounds_next(&rs, order), 0, "no round once every case stopped");
}

Test(rounds, bad_sizes_are_refused)
{
	struct rounds rs;

	cr_assert_neq(rounds_init(&rs, 0), 0, "no cases, no rounds");
	cr_assert_neq(rounds_init(&rs, ROUNDS_MAX + 1), 0, "more cases than fit");
	cr_assert_eq(rounds_init(&rs, ROUNDS_MAX), 0);
}
