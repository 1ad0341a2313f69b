// SPDX-License-Identifier: GPL-2.0
/*
 * The calibration table of compare's decision rule, as the README prints
 * it: false alarms in A/A comparisons, the power on one planted shift
 * against an oracle that knows every variance, and the boots per side
 * that power needs. 'make calibrate' runs it; it takes a minute or two.
 *
 * usage: tests/calibrate/calibrate [TRIALS [BETWEEN [SHARED [SHIFTED]]]]
 *   TRIALS comparisons per figure (default 10000), BETWEEN the between-run
 *   sd on the log scale (0.2), SHARED the fraction of it that all rows of
 *   a boot share (0), SHIFTED the rows that carry the +30% (1; row 0's
 *   finding is what is counted).
 */
#include <stdio.h>
#include <stdlib.h>

#include "sim.h"

static double pct(size_t k, size_t n)
{
	return 100.0 * k / n;
}

static void aa(struct sim_model m, size_t trials)
{
	static const enum p_adjust how[] = { P_ADJUST_HOLM, P_ADJUST_BH, P_ADJUST_NONE };
	struct sim_result r;

	m.shift = 0;
	printf("A/A, %zu rows, %zu+%zu runs, %zu comparisons: comparisons with any row marked "
	       "(any WORSE)\n", m.rows, m.runs, m.runs, trials);
	for (int i = 0; i < 3; i++) {
		struct vd_opts o = { .threshold = 0.05, .alpha = 0.05, .adjust = how[i] };

		if (sim_run(&m, &o, trials, 1000 + i, &r))
			exit(1);
		printf("  %-20s %6.2f%% (%5.2f%%)\n", p_adjust_name(how[i]),
		       pct(r.any_marked, trials), pct(r.any_worse, trials));
	}
}

static void power(struct sim_model m, size_t trials)
{
	static const enum p_adjust how[] = { P_ADJUST_HOLM, P_ADJUST_BH, P_ADJUST_NONE };
	struct sim_result r;

	printf("%+.0f%% on %zu row(s) of %zu, %zu+%zu runs: row 0 found (mean detectable "
	       "change; oracle for one row)\n", m.shift * 100, m.shifted_rows, m.rows, m.runs,
	       m.runs);
	for (int i = 0; i < 3; i++) {
		struct vd_opts o = { .threshold = 0.05, .alpha = 0.05, .adjust = how[i] };
		double a = how[i] == P_ADJUST_NONE ? 0.05 : 0.05 / m.rows;

		if (sim_run(&m, &o, trials, 2000 + i, &r))
			exit(1);
		printf("  %-20s %6.2f%% (%.0f%%; oracle %.1f%%)\n", p_adjust_name(how[i]),
		       pct(r.found, trials), r.mean_mde * 100, 100 * sim_oracle_power(&m, a));
	}
}

static void boots(struct sim_model m, size_t trials)
{
	static const size_t ks[] = { 3, 4, 5, 6, 8, 10, 12, 15, 18, 20, 22, 25 };
	struct vd_opts o = { .threshold = 0.05, .alpha = 0.05 };
	struct sim_result r;

	printf("runs per side for %+.0f%% on one row of %zu (Holm): found, oracle, "
	       "mean detectable change\n", m.shift * 100, m.rows);
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		m.runs = ks[i];
		if (sim_run(&m, &o, trials, 3000 + i, &r))
			exit(1);
		printf("  %2zu  %6.2f%%  %6.2f%%  %4.0f%%\n", ks[i], pct(r.found, trials),
		       100 * sim_oracle_power(&m, 0.05 / m.rows), r.mean_mde * 100);
	}
}

int main(int argc, char **argv)
{
	struct sim_model m = {
		.rows = 40, .runs = 3, .samples = 10, .sd_between = 0.2,
		.sd_within = 0.05, .shift = 0.3, .shifted_rows = 1,
	};
	size_t trials = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;

	if (argc > 2)
		m.sd_between = strtod(argv[2], NULL);
	if (argc > 3)
		m.shared = strtod(argv[3], NULL);
	if (argc > 4)
		m.shifted_rows = strtoul(argv[4], NULL, 10);
	printf("model: between-run sd %.0f%% (%.0f%% of it shared by a boot's rows), "
	       "within-run sd %.0f%%, %zu samples a run\n", m.sd_between * 100,
	       m.shared * 100, m.sd_within * 100, m.samples);
	aa(m, trials);
	power(m, trials);
	boots(m, trials / 5);
	return 0;
}
