// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sim.h"

struct sim_buf {
	double *x;		/* rows * 2 * runs run medians: base, then new */
	double *boost;		/* 2 * runs shared boot effects */
	double *s;		/* samples of one run */
	struct vd_row *rows;
};

static double run_median(const struct sim_model *m, gsl_rng *g, double level,
			 double *s)
{
	for (size_t i = 0; i < m->samples; i++)
		s[i] = level + gsl_ran_gaussian_ziggurat(g, m->sd_within);
	gsl_sort(s, 1, m->samples);
	return exp(gsl_stats_median_from_sorted_data(s, 1, m->samples));
}

/* One comparison's run medians into b->x and the rows pointing at them. */
static void draw(const struct sim_model *m, gsl_rng *g, struct sim_buf *b)
{
	double own = m->sd_between * sqrt(1 - m->shared);
	double common = m->sd_between * sqrt(m->shared);
	size_t k = m->runs;

	for (size_t j = 0; j < 2 * k; j++)
		b->boost[j] = common > 0 ? gsl_ran_gaussian_ziggurat(g, common) : 0;
	for (size_t r = 0; r < m->rows; r++) {
		double *x = b->x + r * 2 * k;
		double shift = r < m->shifted_rows ? log1p(m->shift) : 0;

		for (size_t j = 0; j < 2 * k; j++) {
			double level = b->boost[j] + gsl_ran_gaussian_ziggurat(g, own) +
				       (j >= k ? shift : 0);

			x[j] = run_median(m, g, level, b->s);
		}
		b->rows[r] = (struct vd_row){ .kind = VD_TIME, .xb = x, .nb = k,
					      .xn = x + k, .nn = k, .aligned = 1 };
	}
}

static void tally(const struct sim_model *m, const struct sim_buf *b,
		  struct sim_result *res, double *mde, size_t *nmde)
{
	int any = 0, worse = 0;

	for (size_t r = 0; r < m->rows; r++) {
		const struct vd_row *row = &b->rows[r];

		if (row->state == VD_TESTED) {
			*mde += row->mde;
			(*nmde)++;
		}
		if (row->call == VD_SAME)
			continue;
		any = 1;
		worse |= row->call == VD_UP;
		if (r < m->shifted_rows && m->shift != 0)
			res->found += r == 0 && (row->call == VD_UP) == (m->shift > 0);
		else
			res->false_rows++;
	}
	res->any_marked += any;
	res->any_worse += worse;
}

int sim_run(const struct sim_model *m, const struct vd_opts *o, size_t trials,
	    unsigned long seed, struct sim_result *res)
{
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	struct sim_buf b = {
		malloc(m->rows * 2 * m->runs * sizeof(double)),
		malloc(2 * m->runs * sizeof(double)),
		malloc(m->samples * sizeof(double)),
		calloc(m->rows, sizeof(struct vd_row)),
	};
	struct vd_summary s;
	double mde = 0;
	size_t nmde = 0;
	int ret = -1;

	*res = (struct sim_result){ .trials = trials };
	if (!g || !b.x || !b.boost || !b.s || !b.rows)
		goto out;
	gsl_rng_set(g, seed);
	for (size_t t = 0; t < trials; t++) {
		draw(m, g, &b);
		if (vd_judge(b.rows, m->rows, o, &s))
			goto out;
		tally(m, &b, res, &mde, &nmde);
	}
	res->mean_mde = nmde ? mde / nmde : NAN;
	ret = 0;
out:
	gsl_rng_free(g);
	free(b.x);
	free(b.boost);
	free(b.s);
	free(b.rows);
	return ret;
}

double sim_median_sd(const struct sim_model *m, size_t draws, unsigned long seed)
{
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	double *s = malloc(m->samples * sizeof(*s)), sum = 0, sum2 = 0;

	gsl_rng_set(g, seed);
	for (size_t i = 0; i < draws; i++) {
		double y = log(run_median(m, g, 0, s));

		sum += y;
		sum2 += y * y;
	}
	gsl_rng_free(g);
	free(s);
	return sqrt((sum2 - sum * sum / draws) / (draws - 1));
}

double sim_oracle_power(const struct sim_model *m, double a)
{
	double med = sim_median_sd(m, 20000, 1);
	double sd = sqrt(2.0 / m->runs * (m->sd_between * m->sd_between + med * med));
	double d = log1p(m->shift) / sd, z = gsl_cdf_ugaussian_Qinv(a / 2);

	return gsl_cdf_ugaussian_P(d - z) + gsl_cdf_ugaussian_P(-d - z);
}
