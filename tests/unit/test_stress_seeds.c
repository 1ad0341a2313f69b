// SPDX-License-Identifier: GPL-2.0
/*
 * hmmbench stress --seeds: a count or a list, bad input refused; the
 * tally groups seeds by what they tripped and says which ran clean, and
 * the seeds print as a range when they are one.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "stress_seeds.h"

Test(stress_seeds, a_count_means_seeds_one_to_n)
{
	uint64_t s[STRESS_MAX_SEEDS];

	cr_assert_eq(stress_parse_seeds("5", s, STRESS_MAX_SEEDS), 5);
	cr_assert_eq(s[0], 1);
	cr_assert_eq(s[4], 5);
}

Test(stress_seeds, a_list_is_taken_as_given)
{
	uint64_t s[STRESS_MAX_SEEDS];

	cr_assert_eq(stress_parse_seeds("3,42,7", s, STRESS_MAX_SEEDS), 3);
	cr_assert_eq(s[0], 3);
	cr_assert_eq(s[1], 42);
	cr_assert_eq(s[2], 7);
	cr_assert_eq(stress_parse_seeds("18446744073709551615,0", s, STRESS_MAX_SEEDS), 2,
		     "any 64-bit seed");
	cr_assert_eq(s[0], UINT64_MAX);
}

Test(stress_seeds, bad_seeds_are_refused)
{
	uint64_t s[4];

	cr_assert_eq(stress_parse_seeds("0", s, 4), -1, "no seeds");
	cr_assert_eq(stress_parse_seeds("5", s, 4), -1, "more than the maximum");
	cr_assert_eq(stress_parse_seeds("3,x", s, 4), -1, "not a number");
	cr_assert_eq(stress_parse_seeds("3,,4", s, 4), -1, "an empty entry");
	cr_assert_eq(stress_parse_seeds("3,-4", s, 4), -1, "negative");
	cr_assert_eq(stress_parse_seeds("3,4,3", s, 4), -1, "a seed twice");
}

Test(stress_seeds, seeds_print_as_a_range_when_they_are_one)
{
	uint64_t run[] = { 1, 2, 3, 4 }, list[] = { 3, 42, 7 };
	char buf[100];

	cr_assert_str_eq(stress_seeds_str(run, 4, buf, sizeof(buf)), "1-4");
	cr_assert_str_eq(stress_seeds_str(list, 3, buf, sizeof(buf)), "3, 42, 7");
	cr_assert_str_eq(stress_seeds_str(run, 2, buf, sizeof(buf)), "1, 2");
}

Test(stress_seeds, the_tally_groups_seeds_by_what_they_tripped)
{
	static struct seed_tally t;
	uint64_t seeds[] = { 1, 2, 3, 42, 5 };
	json_t *j;

	seed_tally_add(&t, 1, NULL, 0);
	seed_tally_add(&t, 2, "kernel soft-lockup in dmirror_migrate_to_system in vma-churn", 0);
	seed_tally_add(&t, 3, NULL, 1);
	seed_tally_add(&t, 42, "kernel soft-lockup in dmirror_migrate_to_system in vma-churn", 0);
	t.not_run[t.nnot_run++] = 5;
	cr_assert_eq(t.nclean, 1);
	cr_assert_eq(t.nskipped, 1);
	cr_assert_eq(t.tripped, 2);
	cr_assert_eq(t.ntrips, 1, "one kind of failure");
	cr_assert_eq(t.trips[0].n, 2);
	cr_assert_eq(t.trips[0].seeds[1], 42);
	j = seed_tally_json(&t, seeds, 5);
	cr_assert_eq(json_array_size(json_object_get(j, "seeds")), 5);
	cr_assert_eq(json_integer_value(json_array_get(json_object_get(j, "clean"), 0)), 1);
	cr_assert_eq(json_integer_value(json_array_get(json_object_get(j, "not_run"), 0)), 5);
	cr_assert_eq(json_array_size(json_object_get(json_array_get(json_object_get(j, "tripped"), 0), "seeds")), 2);
	json_decref(j);
}
