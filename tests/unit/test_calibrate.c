// SPDX-License-Identifier: GPL-2.0
/*
 * The calibration of compare's decision rule (results/verdict.h), by
 * simulation (tests/calibrate/sim.h): A/A comparisons of 40 time rows
 * with 3 runs a side, a between-run sd of 20% and a within-run sd of 5%
 * (10 samples a run), 10,000 comparisons each; the README prints these
 * figures ('make calibrate' prints the whole table).
 *
 * What holds, and is asserted:
 *  - false alarms: at most 5% of A/A comparisons mark any row at all,
 *    with Holm's adjustment; with the adjustment removed, most do (the
 *    same simulation, so the bound comes from the adjustment);
 *  - power: on one row shifted by 30%, the moderated t finds what an
 *    oracle that knows every variance finds, within Monte Carlo error.
 *
 * What does not hold, and why: the 80% power on that 30% shift that
 * issue 16 asked for is out of reach of any test at 3+3 runs. The
 * difference of two 3-run means has sd 0.2 * sqrt(2/3) = 0.163 in logs;
 * log(1.3) = 0.262 is 1.6 of those. Holm over 40 rows asks the first row
 * for p < 0.05/40, |z| > 3.23: the oracle finds the shift 5% of the time
 * (36% with no adjustment at all, which then marks a row in 85% of A/A
 * comparisons). 80% needs about 20 runs a side (the last test here).
 */
#include <math.h>

#include <criterion/criterion.h>

#include "../calibrate/sim.h"

#define TRIALS 10000

static const struct sim_model issue16 = {
	.rows = 40, .runs = 3, .samples = 10, .sd_between = 0.2,
	.sd_within = 0.05, .shift = 0, .shifted_rows = 1,
};

/* Three Monte Carlo standard errors of a rate @p over @n trials. */
static double mc3(double p, size_t n)
{
	return 3 * sqrt(p * (1 - p) / n);
}

Test(calibrate, a_a_comparisons_mark_a_row_at_most_5_percent_of_the_time, .timeout = 120)
{
	struct vd_opts o = { .threshold = 0.05, .alpha = 0.05, .adjust = P_ADJUST_HOLM };
	struct sim_result r;
	double any, worse;

	cr_assert_eq(sim_run(&issue16, &o, TRIALS, 1, &r), 0);
	any = (double)r.any_marked / TRIALS;
	worse = (double)r.any_worse / TRIALS;
	cr_log_info("A/A, 40 rows, 3+3 runs, Holm: any row marked in %.2f%%, a row WORSE "
		    "in %.2f%% of %d comparisons", any * 100, worse * 100, TRIALS);
	cr_assert_leq(any, 0.05, "family-wise false alarms %.4f > 5%%", any);
	cr_assert_leq(worse, 0.05);
	cr_assert_gt(any, 0.02, "Holm is not that conservative here: %.4f", any);
}

/* Shared boot effects make rows move together; Holm holds under any dependence. */
Test(calibrate, a_a_bound_holds_when_a_boot_slows_every_row, .timeout = 120)
{
	struct vd_opts o = { .threshold = 0.05, .alpha = 0.05, .adjust = P_ADJUST_HOLM };
	struct sim_model m = issue16;
	struct sim_result r;

	m.shared = 0.8;
	cr_assert_eq(sim_run(&m, &o, TRIALS / 2, 2, &r), 0);
	cr_log_info("A/A, 80%% of the boot effect shared: any row marked in %.2f%%",
		    100.0 * r.any_marked / r.trials);
	cr_assert_leq((double)r.any_marked / r.trials, 0.05 + mc3(0.05, r.trials));
}

Test(calibrate, without_the_adjustment_the_bound_fails, .timeout = 120)
{
	struct vd_opts o = { .threshold = 0.05, .alpha = 0.05, .adjust = P_ADJUST_NONE };
	struct sim_result r;
	double any;

	cr_assert_eq(sim_run(&issue16, &o, TRIALS / 5, 3, &r), 0);
	any = (double)r.any_marked / r.trials;
	cr_log_info("A/A without adjustment: any row marked in %.2f%% (WORSE %.2f%%)",
		    any * 100, 100.0 * r.any_worse / r.trials);
	cr_assert_gt(any, 0.5, "40 rows at 5%% each: 1 - 0.95^40 = 87%%, got %.3f", any);
	cr_assert_gt((double)r.any_worse / r.trials, 0.05);
}

Test(calibrate, power_on_one_shifted_row_is_the_oracles, .timeout = 120)
{
	struct vd_opts o = { .threshold = 0.05, .alpha = 0.05, .adjust = P_ADJUST_HOLM };
	struct sim_model m = issue16;
	struct sim_result r;
	double found, oracle, free_oracle;

	m.shift = 0.3;
	cr_assert_eq(sim_run(&m, &o, TRIALS, 4, &r), 0);
	found = (double)r.found / TRIALS;
	oracle = sim_oracle_power(&m, 0.05 / m.rows);
	free_oracle = sim_oracle_power(&m, 0.05);
	cr_log_info("+30%% on 1 of 40 rows, 3+3 runs: found in %.2f%%; oracle with Holm's "
		    "first step %.2f%%, oracle unadjusted %.2f%%; mean MDE %.0f%%", found * 100,
		    oracle * 100, free_oracle * 100, r.mean_mde * 100);
	cr_assert_leq(found, oracle + mc3(oracle, TRIALS), "no test beats the oracle");
	cr_assert_geq(found, 0.6 * oracle, "the moderated t should come near the oracle");
	/* the arithmetic of the header: no test reaches 80% here */
	cr_assert_lt(free_oracle, 0.4);
	cr_assert_lt(oracle, 0.1);
	cr_assert_gt(r.mean_mde, 0.8, "and compare says so: it could only see ~100%%");
}

/* The runs a side that 80% power on a 30% shift needs: about 20. */
Test(calibrate, twenty_runs_a_side_find_a_30_percent_shift, .timeout = 120)
{
	struct vd_opts o = { .threshold = 0.05, .alpha = 0.05, .adjust = P_ADJUST_HOLM };
	struct sim_model m = issue16;
	struct sim_result r;
	double found, oracle;

	m.shift = 0.3;
	m.runs = 20;
	cr_assert_eq(sim_run(&m, &o, 1000, 5, &r), 0);
	found = (double)r.found / r.trials;
	oracle = sim_oracle_power(&m, 0.05 / m.rows);
	cr_log_info("+30%% on 1 of 40 rows, 20+20 runs: found in %.1f%%, oracle %.1f%%",
		    found * 100, oracle * 100);
	cr_assert_geq(found, 0.75, "found %.3f", found);
	cr_assert_leq(found, oracle + mc3(oracle, r.trials));
}
