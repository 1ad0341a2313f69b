// SPDX-License-Identifier: GPL-2.0
/*
 * The statistics of a verdict against a reference implementation:
 *  - the moderated t (results/ebayes.h) against R 4.2.2 with limma
 *    3.54.1 (Debian bookworm's r-bioc-limma): for each data set below,
 *    fit <- eBayes(lmFit(y, model.matrix(~g))) with g the side of each
 *    column (0 base, 1 new, NA for a run a row lacks), printed with
 *    sprintf("%.17g"): fit$df.prior, fit$s2.prior, and per row
 *    coefficients[, 2], s2.post, t[, 2], df.total, p.value[, 2].
 *    limma:::trigammaInverse(c(0.001, 0.5, 1, 3, 100)) likewise.
 *  - Student's pooled t test (d0 = 0) on R's sleep data:
 *    t.test(extra ~ group, data = sleep, var.equal = TRUE) p = 0.07918671.
 *  - Fisher's exact test against R's fisher.test, and against a brute
 *    force enumeration of every table with exact integer binomials here.
 *  - Holm and Benjamini-Hochberg against R's p.adjust.
 */
#include <math.h>
#include <stdint.h>

#include <criterion/criterion.h>

#include "ebayes.h"
#include "exact.h"
#include "verdict.h"

static int close_rel(double a, double b, double rel)
{
	if (isinf(a) || isinf(b))
		return a == b;
	return fabs(a - b) <= rel * fmax(fabs(b), 1e-300);
}

/* diff, s2.post, t, df.total, p of each row, as limma printed them. */
struct ref_row {
	double diff, s2post, t, df, p;
};

static void check_rows(const double (*y)[8], const int *side, size_t ncol, size_t nrows,
		       const struct ref_row *ref, double d0, double s0sq)
{
	struct mt_row rows[8];
	double a[8][8], b[8][8];
	struct mt_summary sum;
	struct eb_prior prior;

	for (size_t i = 0; i < nrows; i++) {
		size_t na = 0, nb = 0;

		for (size_t j = 0; j < ncol; j++) {
			if (isnan(y[i][j]))
				continue;
			if (side[j])
				b[i][nb++] = y[i][j];
			else
				a[i][na++] = y[i][j];
		}
		rows[i] = (struct mt_row){ .a = a[i], .na = na, .b = b[i], .nb = nb };
	}
	/* not aligned: limma knows nothing of rows that share their runs */
	cr_assert_eq(mt_test(rows, nrows, NULL, &sum), 0);
	prior = sum.prior;
	cr_assert_eq(sum.rho2, 0);
	cr_assert(close_rel(prior.d0, d0, 1e-8), "d0 %.17g, limma %.17g", prior.d0, d0);
	cr_assert(close_rel(prior.s0sq, s0sq, 1e-8), "s0^2 %.17g, limma %.17g", prior.s0sq, s0sq);
	for (size_t i = 0; i < nrows; i++) {
		cr_assert(fabs(rows[i].diff - ref[i].diff) < 1e-12, "row %zu diff %.17g", i, rows[i].diff);
		cr_assert(close_rel(rows[i].s2post, ref[i].s2post, 1e-8), "row %zu s2post %.17g want %.17g",
			  i, rows[i].s2post, ref[i].s2post);
		cr_assert(fabs(rows[i].t - ref[i].t) < 1e-8 * fmax(1, fabs(ref[i].t)),
			  "row %zu t %.17g want %.17g", i, rows[i].t, ref[i].t);
		cr_assert(close_rel(rows[i].dftotal, ref[i].df, 1e-9), "row %zu df %.17g", i, rows[i].dftotal);
		cr_assert(close_rel(rows[i].p, ref[i].p, 1e-7), "row %zu p %.17g want %.17g",
			  i, rows[i].p, ref[i].p);
	}
}

/* Three runs a side, variances that differ from row to row: finite d0. */
Test(verdict, moderated_t_matches_limma_finite_prior)
{
	static const double y[][8] = {
		{ 4.61, 4.52, 4.80, 4.70, 4.95, 4.66 },
		{ 2.30, 2.41, 2.35, 2.62, 2.71, 2.58 },
		{ 7.10, 6.85, 7.02, 7.05, 6.90, 7.20 },
		{ 5.50, 5.52, 5.49, 5.51, 5.55, 5.47 },
		{ 3.00, 3.40, 2.70, 3.10, 2.60, 3.50 },
		{ 1.20, 1.25, 1.22, 0.90, 0.95, 0.88 },
	};
	static const int side[] = { 0, 0, 0, 1, 1, 1 };
	static const struct ref_row ref[] = {
		{ 0.12666666666666695, 0.018151172122091996, 1.1514779710474228, 5.2294393721000256, 0.2994463312189804 },
		{ 0.28333333333333344, 0.0037455488854502487, 5.6700327278344895, 5.2294393721000256, 0.0020511406161230184 },
		{ 0.05999999999999979, 0.015728987684072673, 0.58593102398684838, 5.2294393721000256, 0.58230048979298377 },
		{ 0.006666666666666151, 0.0015910795695277169, 0.20469555919921745, 5.2294393721000256, 0.84554009774644945 },
		{ 0.033333333333333007, 0.12582364456162834, 0.1150914984570474, 5.2294393721000256, 0.91266209974714751 },
		{ -0.31333333333333357, 0.0016293245869701287, -9.5071078976461898, 5.2294393721000256, 0.0001701782205104679 },
	};

	check_rows(y, side, 6, 6, ref, 1.2294393721000256, 0.0037852923730727337);
}

/* Rows exactly as spread as chance allows: d0 infinite, s0^2 their mean. */
Test(verdict, moderated_t_matches_limma_infinite_prior)
{
	static const double y[][8] = {
		{ 1, 2, 3, 2, 3, 4 }, { 10, 11, 12, 10, 11, 12 },
		{ 5, 6, 7, 6, 7, 8 }, { 0, 1, 2, 3, 4, 5 },
	};
	static const int side[] = { 0, 0, 0, 1, 1, 1 };
	static const struct ref_row ref[] = {
		{ 1, 0.99999999999999822, 1.2247448713915896, 16, 0.23839778379182866 },
		{ 0, 0.99999999999999822, 0, 16, 1 },
		{ 1, 0.99999999999999822, 1.2247448713915887, 16, 0.23839778379182899 },
		{ 3, 0.99999999999999822, 3.6742346141747708, 16, 0.0020509922860050766 },
	};

	check_rows(y, side, 6, 4, ref, INFINITY, 1);
}

/* Rows with different numbers of runs (limma's NA): per-row df. */
Test(verdict, moderated_t_matches_limma_unequal_runs)
{
	static const double y[][8] = {
		{ 1.0, 1.3, 0.8, NAN, 1.9, 2.1, 1.6, 1.7 },
		{ 2.0, 2.02, 2.01, 2.03, 2.0, 2.06, 2.04, NAN },
		{ 0.5, 0.9, 0.4, NAN, 0.8, 1.4, NAN, NAN },
		{ 3.3, 3.1, 3.6, NAN, 3.0, 3.4, 3.9, NAN },
		{ 5.0, 5.001, 5.002, 5.0, 5.1, 5.101, 5.099, 5.1 },
		{ 0.0, 2.0, -1.0, NAN, 1.0, 3.0, 0.5, NAN },
	};
	static const int side[] = { 0, 0, 0, 0, 1, 1, 1, 1 };
	static const struct ref_row ref[] = {
		{ 0.79166666666666674, 0.050926729650142832, 4.5931546499968183, 5.3854777785147192, 0.0048848322936187573 },
		{ 0.018333333333333653, 0.00045766986043544827, 1.1220362323278064, 5.3854777785147192, 0.30936677634218263 },
		{ 0.5, 0.094550348617865723, 1.7812671556235937, 3.3854777785147192, 0.16234062929088255 },
		{ 0.099999999999998979, 0.12163587742784115, 0.35116787806424343, 4.3854777785147192, 0.74169224571025882 },
		{ 0.099250000000000116, 1.6107517741338829e-05, 34.972864406503533, 6.3854777785147192, 1.5465330279894407e-08 },
		{ 1.166666666666667, 1.8622291990336355, 1.0470703292354493, 4.3854777785147192, 0.34930877865533955 },
	};

	check_rows(y, side, 8, 6, ref, 0.38547777851471915, 0.00025450026453497303);
}

Test(verdict, trigamma_inverse_matches_limma)
{
	static const double x[] = { 0.001, 0.5, 1, 3, 100 };
	static const double want[] = { 1000.4999166666817, 2.4599529483523073, 1.4262551202150788,
				       0.6754781052813702, 0.10072375880005269 };

	for (int i = 0; i < 5; i++)
		cr_assert(close_rel(eb_trigamma_inverse(x[i]), want[i], 1e-8), "x %g: %.17g", x[i],
			  eb_trigamma_inverse(x[i]));
}

/* Without a prior (d0 = 0) it is Student's pooled two-sample t test. */
Test(verdict, without_prior_it_is_students_t)
{
	static const double g1[] = { 0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0 };
	static const double g2[] = { 1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4 };
	struct mt_row r = { .a = g1, .na = 10, .b = g2, .nb = 10 };
	struct eb_prior none = { 0, NAN };

	mt_test(&r, 1, &none, NULL);
	cr_assert(close_rel(r.p, 0.079186714215938175, 1e-9), "p %.17g", r.p);
	cr_assert(close_rel(r.dftotal, 18, 0));
	cr_assert(close_rel(r.t, 1.8608134674868, 1e-9), "t %.17g", r.t);
}

/* The prior recovers the truth from many rows drawn from it. */
Test(verdict, prior_fit_recovers_a_known_prior)
{
	/* s2 = s0^2 d0 / chi2(d0) * chi2(4) / 4, quantiles of both laid on a grid */
	enum { N = 4000 };
	static double s2[N], df[N];
	struct eb_prior p;
	uint64_t st = 12345;

	for (int i = 0; i < N; i++) {
		double c0 = 0, c4 = 0;

		for (int k = 0; k < 10 + 4; k++) {
			double u1, u2, z;

			st = st * 6364136223846793005ULL + 1442695040888963407ULL;
			u1 = ((st >> 11) + 0.5) / 9007199254740992.0;
			st = st * 6364136223846793005ULL + 1442695040888963407ULL;
			u2 = ((st >> 11) + 0.5) / 9007199254740992.0;
			z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
			if (k < 10)
				c0 += z * z;
			else
				c4 += z * z;
		}
		s2[i] = 0.04 * 10 / c0 * c4 / 4;
		df[i] = 4;
	}
	eb_fit_prior(s2, df, N, &p);
	cr_assert(p.d0 > 7 && p.d0 < 14, "d0 %g, drawn with 10", p.d0);
	cr_assert(p.s0sq > 0.035 && p.s0sq < 0.045, "s0^2 %g, drawn with 0.04", p.s0sq);
}

/* Brute force: every table with these margins, exact integer probabilities. */
static double fisher_brute(unsigned hb, unsigned nb, unsigned hn, unsigned nn)
{
	unsigned __int128 c[64][64] = { { 0 } }, num_obs, total = 0, le = 0;
	unsigned hits = hb + hn;

	for (unsigned n = 0; n < 64; n++) {
		c[n][0] = 1;
		for (unsigned k = 1; k <= n; k++)
			c[n][k] = c[n - 1][k - 1] + (k < n ? c[n - 1][k] : 0);
	}
	num_obs = c[nb][hb] * c[nn][hn];
	for (unsigned k = 0; k <= hits && k <= nb; k++) {
		unsigned __int128 w;

		if (hits - k > nn)
			continue;
		w = c[nb][k] * c[nn][hits - k];
		total += w;
		if (w <= num_obs)
			le += w;
	}
	return (double)le / (double)total;
}

Test(verdict, fisher_matches_r_and_brute_force)
{
	/* fisher.test(matrix(c(a, b, c, d), 2)): base a of a + b, new c of c + d */
	cr_assert(close_rel(fisher_exact_p(3, 4, 1, 4), 0.48571428571428582, 1e-12), "tea tasting");
	cr_assert(close_rel(fisher_exact_p(2, 12, 15, 18), 0.00053672411914343636, 1e-9), "convictions");
	cr_assert(close_rel(fisher_exact_p(55, 55, 0, 38), 5.7405462818226398e-27, 1e-9));
	cr_assert(close_rel(fisher_exact_p(50, 55, 55, 55), 0.056846437451770537, 1e-9));
	cr_assert(close_rel(fisher_exact_p(5, 20, 9, 20), 0.32026576075519314, 1e-9));
	cr_assert(close_rel(fisher_exact_p(1200, 4000, 1290, 4000), 0.031614646760184155, 1e-7));
	for (unsigned nb = 1; nb <= 12; nb++)
		for (unsigned nn = 1; nn <= 12; nn += 3)
			for (unsigned hb = 0; hb <= nb; hb++)
				for (unsigned hn = 0; hn <= nn; hn++) {
					double p = fisher_exact_p(hb, nb, hn, nn);
					double q = fisher_brute(hb, nb, hn, nn);

					cr_assert(close_rel(p, q, 1e-9), "%u/%u vs %u/%u: %.17g, brute %.17g",
						  hb, nb, hn, nn, p, q);
				}
}

Test(verdict, forced_tables_cannot_be_significant)
{
	cr_assert_eq(fisher_min_p(0, 50, 0, 40), 1, "no hit anywhere: one table");
	cr_assert_eq(fisher_min_p(50, 50, 40, 40), 1, "all hits: one table");
	cr_assert_eq(fisher_exact_p(0, 50, 0, 40), 1);
	/* 1 hit in 2 + 2 trials: the hit on either side, p >= 1/2 + 1/2 */
	cr_assert(close_rel(fisher_min_p(1, 2, 0, 2), 1, 1e-12));
	cr_assert(close_rel(fisher_min_p(3, 3, 0, 3), 0.1, 1e-12), "C(6,3) = 20 tables, 2 extreme");
}

Test(verdict, p_adjust_matches_r)
{
	static const double p[] = { 0.01, 0.04, 0.03, 0.005, 0.5, NAN };
	static const double holm[] = { 0.04, 0.09, 0.09, 0.025, 0.5 };
	static const double bh[] = { 0.025, 0.05, 0.05, 0.025, 0.5 };
	double adj[6];

	cr_assert_eq(p_adjust(p, adj, 6, P_ADJUST_HOLM), 0);
	for (int i = 0; i < 5; i++)
		cr_assert(close_rel(adj[i], holm[i], 1e-12), "holm %d: %g", i, adj[i]);
	cr_assert(isnan(adj[5]), "NAN is no test and stays NAN");
	cr_assert_eq(p_adjust(p, adj, 6, P_ADJUST_BH), 0);
	for (int i = 0; i < 5; i++)
		cr_assert(close_rel(adj[i], bh[i], 1e-12), "BH %d: %g", i, adj[i]);
	cr_assert_eq(p_adjust(p, adj, 6, P_ADJUST_NONE), 0);
	cr_assert_eq(adj[2], 0.03);
}

static const struct vd_opts opts = { .threshold = 0.05, .alpha = 0.05 };

Test(verdict, time_rows_need_three_runs_a_side)
{
	static const double one[] = { 100 }, two[] = { 60, 61 }, three[] = { 100, 102, 98 };
	static const double slow[] = { 50, 51, 49 };
	struct vd_row r[3] = {
		{ .kind = VD_TIME, .xb = one, .nb = 1, .xn = slow, .nn = 3 },
		{ .kind = VD_TIME, .xb = three, .nb = 3, .xn = two, .nn = 2 },
		{ .kind = VD_TIME, .xb = three, .nb = 3, .xn = slow, .nn = 3 },
	};
	struct vd_summary s;

	cr_assert_eq(vd_judge(r, 3, &opts, &s), 0);
	cr_assert_eq(r[0].state, VD_UNCONFIRMED);
	cr_assert_eq(r[1].state, VD_UNCONFIRMED);
	cr_assert_eq(r[0].call, VD_SAME, "a halving from one run is never marked");
	cr_assert(close_rel(r[0].change, 50.0 / 100 - 1, 0.01), "change %g", r[0].change);
	cr_assert(isnan(r[0].p) && isnan(r[0].p_adj));
	cr_assert_eq(s.family, 1, "only the row with 3 + 3 runs is a test");
	cr_assert_eq(r[2].state, VD_TESTED);
	cr_assert_eq(r[2].call, VD_DOWN, "p %g", r[2].p_adj);
	cr_assert(r[2].low < -0.45 && r[2].high > -0.55 && r[2].low < r[2].change &&
		  r[2].change < r[2].high, "[%g, %g]", r[2].low, r[2].high);
	cr_assert(r[2].mde > 0.05 && r[2].mde < 0.5, "mde %g", r[2].mde);
}

Test(verdict, counts_gate_from_one_run)
{
	struct vd_row r[3] = {
		{ .kind = VD_COUNT, .hb = 55, .tb = 55, .hn = 0, .tn = 38 },
		{ .kind = VD_COUNT, .hb = 0, .tb = 55, .hn = 0, .tn = 38 },
		{ .kind = VD_COUNT, .hb = 54, .tb = 55, .hn = 38, .tn = 38 },
	};
	struct vd_summary s;

	cr_assert_eq(vd_judge(r, 3, &opts, &s), 0);
	cr_assert_eq(r[0].state, VD_TESTED);
	cr_assert_eq(r[0].call, VD_DOWN);
	cr_assert(close_rel(r[0].change, -1, 1e-12));
	cr_assert_eq(r[1].state, VD_FORCED, "0 of 55 and 0 of 38 is no test");
	cr_assert_eq(s.family, 2);
	cr_assert(close_rel(r[0].p_adj, 2 * 5.7405462818226398e-27, 1e-9), "Holm over 2 tests");
	cr_assert_eq(r[2].call, VD_SAME, "one sample in 55 is no evidence: p %g", r[2].p);
}

/*
 * Rows measured in the same boots: when every row moves with the boot,
 * their residuals are one pattern (rho2 1, worth one row); rows that
 * share nothing are worth all of them (rho2 near 0).
 */
Test(verdict, rows_that_share_their_boots_count_as_fewer)
{
	enum { G = 30 };
	static const double boot[6] = { 0.1, -0.3, 0.2, 0.25, 0.05, -0.3 };
	double v[G][6];
	struct mt_row rows[G];
	struct mt_summary s;
	uint64_t st = 99;

	for (int i = 0; i < G; i++) {
		for (int j = 0; j < 6; j++)
			v[i][j] = i + boot[j] * (1 + 0.1 * i);	/* one pattern, scaled */
		rows[i] = (struct mt_row){ .a = v[i], .na = 3, .b = v[i] + 3, .nb = 3,
					   .aligned = 1 };
	}
	cr_assert_eq(mt_test(rows, G, NULL, &s), 0);
	cr_assert_float_eq(s.rho2, 1, 1e-9);
	cr_assert_float_eq(s.rows_eff, 1, 1e-9);
	cr_assert_float_eq(s.cap_df, 4, 1e-9, "the 4 df of one row");
	cr_assert_float_eq(rows[0].dftotal, 4, 1e-9);
	for (int i = 0; i < G; i++)
		for (int j = 0; j < 6; j++) {
			double u1, u2;

			st = st * 6364136223846793005ULL + 1442695040888963407ULL;
			u1 = ((st >> 11) + 0.5) / 9007199254740992.0;
			st = st * 6364136223846793005ULL + 1442695040888963407ULL;
			u2 = ((st >> 11) + 0.5) / 9007199254740992.0;
			v[i][j] = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
		}
	cr_assert_eq(mt_test(rows, G, NULL, &s), 0);
	cr_assert_lt(s.rho2, 0.05, "independent rows: rho2 %g", s.rho2);
	cr_assert_gt(s.rows_eff, G / 3.0, "worth most of %d rows: %g", G, s.rows_eff);
	for (int i = 0; i < G; i++)
		rows[i].aligned = 0;
	cr_assert_eq(mt_test(rows, G, NULL, &s), 0);
	cr_assert_eq(s.rho2, 0, "rows not aligned: limma's cap");
	cr_assert_float_eq(s.cap_df, 4.0 * G, 1e-9);
}
