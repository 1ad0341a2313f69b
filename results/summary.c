// SPDX-License-Identifier: GPL-2.0
#include <math.h>

#include "summary.h"

int summary_record(struct rec_writer *w, const char *bench, json_t *params,
		   const char *metric, const char *unit, const double *x,
		   size_t n, json_t *extra, struct sample_stats *s)
{
	json_t *r;

	if (stats_summarise(x, n, SUMMARY_CI_LEVEL, s)) {
		json_decref(params);
		json_decref(extra);
		return -1;
	}
	r = rec_new("summary");
	json_object_set_new(r, "bench", json_string(bench));
	json_object_set_new(r, "params", params);
	json_object_set_new(r, "metric", json_string(metric));
	json_object_set_new(r, "unit", json_string(unit));
	json_object_set_new(r, "stats", json_pack(
		"{s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f}",
		"n", (json_int_t)s->n, "median", s->median, "mean", s->mean,
		"sd", s->sd, "min", s->min, "max", s->max, "p25", s->p25,
		"p75", s->p75, "ci_low", s->ci_low, "ci_high", s->ci_high,
		"ci_level", s->ci_level));
	if (extra)
		json_object_update(r, extra);
	json_decref(extra);
	rec_write(w, r);
	return 0;
}

void summary_print_header(FILE *f)
{
	fprintf(f, "%-30s %3s %10s %-21s %6s %8s %-6s %s\n", "job", "n",
		"median", "95% CI of median", "cover", "sd/mean", "unit", "note");
}

void summary_print_row(FILE *f, const char *label, const char *unit,
		       const struct sample_stats *s, const char *note)
{
	char ci[32];
	double cv = s->mean ? s->sd / s->mean * 100.0 : NAN;

	snprintf(ci, sizeof(ci), "[%.1f, %.1f]", s->ci_low, s->ci_high);
	fprintf(f, "%-30.30s %3zu %10.1f %-21s %5.1f%% %7.1f%% %-6s %s\n",
		label, s->n, s->median, ci, s->ci_level * 100.0, cv, unit,
		note ? note : "");
}
