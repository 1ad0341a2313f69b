// SPDX-License-Identifier: GPL-2.0
#include <math.h>

#include "ktap.h"
#include "summary.h"

int summary_record(struct rec_writer *w, const char *bench, json_t *params,
		   const char *metric, const char *unit, const double *x,
		   size_t n, json_t *extra, struct sample_stats *s)
{
	json_t *r;
	char id[256];

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
	ktap_case_id(bench, params, metric, id, sizeof(id));
	rec_write(w, r);
	if (ktap_cases_stream())
		ktap_case_line(ktap_cases_stream(), id, "pass", s->median, unit);
	return 0;
}

void summary_print_header(FILE *f, const char *prefix)
{
	fprintf(f, "%s%-28s %3s %9s %9s %8s %-17s %-5s %s\n", prefix, "case",
		"n", "median", "mean", "sd", "95% CI (median)", "unit", "stop note");
}

void summary_print_row(FILE *f, const char *prefix, const char *label,
		       const char *unit, const struct sample_stats *s,
		       const char *note)
{
	char ci[40];

	snprintf(ci, sizeof(ci), "[%.3g, %.3g]%s", s->ci_low, s->ci_high,
		 s->ci_level < SUMMARY_CI_LEVEL ? "~" : "");
	fprintf(f, "%s%-28.28s %3zu %9.4g %9.4g %8.3g %-17s %-5s %s\n", prefix,
		label, s->n, s->median, s->mean, s->sd, ci, unit, note ? note : "");
}

void summary_print_footer(FILE *f, const char *prefix)
{
	fprintf(f, "%sCI: distribution-free interval of the median from order statistics,\n"
		"%scoverage >= 95%% ('~': too few samples for 95%%; exact coverage in the records).\n"
		"%sstop: why sampling ended: ci (within target_ci), time (max_time), max-n\n"
		"%s(max_samples), fixed (repetitions=N), intr (interrupted).\n",
		prefix, prefix, prefix, prefix);
}
