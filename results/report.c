// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errname.h"
#include "escape.h"
#include "meta.h"
#include "report.h"

/* "k=v;k=v" in recorded order, for the CSV. */
static void params_text(const struct rs_group *g, char *buf, size_t len)
{
	const char *k;
	json_t *v;
	size_t used = 0;

	buf[0] = '\0';
	json_object_foreach(g->params, k, v) {
		char *val = json_is_string(v) ? strdup(json_string_value(v))
					      : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

		used += snprintf(buf + used, len > used ? len - used : 0, "%s%s=%s",
				 used ? ";" : "", k, val ? val : "?");
		free(val);
	}
}

static void csv_field(FILE *f, const char *s, int last)
{
	esc_csv(f, s);
	fputc(last ? '\n' : ',', f);
}

int report_csv(const struct report *r, FILE *f)
{
	fputs("kernel,benchmark,metric,parameters,unit,n,median,ci_low,ci_high\n", f);
	for (size_t i = 0; i < r->nsides; i++) {
		const struct rs_run *m = &r->sides[i].merged;

		for (size_t j = 0; j < m->ngroups; j++) {
			const struct rs_group *g = &m->groups[j];
			const struct metric_info *mi = metric_find(g->metric);
			struct sample_stats st;
			char params[1024];

			if (stats_summarise(g->x, g->n, CMP_CI_LEVEL, &st))
				continue;	/* warm-ups only */
			params_text(g, params, sizeof(params));
			csv_field(f, r->sides[i].release, 0);
			csv_field(f, g->bench, 0);
			csv_field(f, g->metric, 0);
			csv_field(f, params, 0);
			csv_field(f, mi ? mi->unit : "", 0);
			fprintf(f, "%zu,%.10g,%.10g,%.10g\n", st.n, st.median, st.ci_low, st.ci_high);
		}
	}
	return ferror(f) ? -1 : 0;
}

static void num(double v, char *buf, size_t len)
{
	snprintf(buf, len, v >= 1000 || v <= -1000 ? "%.0f" : "%.4g", v);
}

/*
 * One group of a kernel: with several runs, the centre of the runs'
 * medians and how far apart they are (what compare tests against); with
 * one run, its median and the 95% CI of that median (within one boot).
 */
static void group_line(FILE *f, const struct cmp_side *s, const struct rs_group *g)
{
	struct sample_stats st;
	struct cmp_spread sp;
	char med[24], lo[24], hi[24], range[64], sd[16];

	cmp_side_stats(s, g, &st);
	cmp_run_spread(s, g, &sp);
	num(st.median, med, sizeof(med));
	num(st.ci_low, lo, sizeof(lo));
	num(st.ci_high, hi, sizeof(hi));
	if (sp.runs > 1) {
		snprintf(range, sizeof(range), "[%s, %s]", lo, hi);
		snprintf(sd, sizeof(sd), isnan(sp.sd) ? "-" : "%.1f%%", sp.sd * 100);
	} else {
		snprintf(range, sizeof(range), "[%s, %s]%s", lo, hi, s->nruns > 1 ? " CI" : "");
		snprintf(sd, sizeof(sd), s->nruns > 1 ? "1 run" : "");
	}
	if (strlen(g->label) > 20)
		fprintf(f, "    %s\n%24s", g->label, "");
	else
		fprintf(f, "    %-20s", g->label);
	fprintf(f, " %4zu %6zu %10s  %-22s %6s\n", sp.runs, st.n, med, range, sd);
}

static int first_of_kind(const struct rs_run *m, size_t j)
{
	for (size_t k = 0; k < j; k++)
		if (!strcmp(m->groups[k].bench, m->groups[j].bench) &&
		    !strcmp(m->groups[k].metric, m->groups[j].metric))
			return 0;
	return 1;
}

/*
 * What the kernel's device could not do, as the run probed it (meta
 * "device"."caps", shaped by cli_device_json(): a name maps to true or to
 * the reason it is missing): whole-PMD THP migration on 6.x, FAIL_ALLOC,
 * ... Fills @cap and @why with at most @max of them; returns how many.
 */
size_t report_missing_caps(const struct cmp_side *s, const char **cap,
			   const char **why, size_t max)
{
	json_t *caps, *v;
	const char *name;
	size_t n = 0;

	if (!s->nruns || !s->runs[0]->meta)
		return 0;
	caps = json_object_get(json_object_get(s->runs[0]->meta, "device"), "caps");
	json_object_foreach(caps, name, v) {
		if (n == max)
			break;
		/* private vs coherent is what the device is, not what it lacks */
		if (!json_is_string(v) || !strcmp(name, "dev-coherent"))
			continue;
		cap[n] = name;
		why[n++] = json_string_value(v);
	}
	return n;
}

static void caps_text(FILE *f, const struct cmp_side *s)
{
	const char *cap[REPORT_CAPS_MAX], *why[REPORT_CAPS_MAX];
	size_t n = report_missing_caps(s, cap, why, REPORT_CAPS_MAX);

	for (size_t i = 0; i < n; i++) {
		char line[1024];

		snprintf(line, sizeof(line), "not available: %s: %s", cap[i], why[i]);
		cmp_put_wrapped(f, "  ", "      ", line);
	}
}

static void side_text(FILE *f, const struct cmp_side *s)
{
	const struct rs_run *m = &s->merged;
	char title[300];

	cmp_side_title(s, title, sizeof(title));
	fprintf(f, "\nkernel %s: %zu run%s, %zu samples\n", title, s->nruns,
		s->nruns == 1 ? "" : "s", m->samples);
	cmp_put_wrapped(f, "  ", "  ", s->nruns > 1 ?
			"median: the geometric mean of the runs' medians; between runs: "
			"the smallest and largest run median; run sd: their sd, relative. "
			"Runs (boots) vary more than samples within one, so this, not a CI "
			"of all samples pooled, is how well a number is known." :
			"One run: median and the 95% CI of the median within that run; how "
			"far another boot would move it is not known from one run.");
	for (size_t j = 0; j < m->ngroups; j++) {
		const struct metric_info *mi = metric_find(m->groups[j].metric);

		if (!first_of_kind(m, j))
			continue;
		fprintf(f, "  %s %s (%s)\n    %-20s %4s %6s %10s  %-22s %6s\n",
			m->groups[j].bench, m->groups[j].metric, mi ? mi->unit : "unit unknown",
			"parameters", "runs", "n", "median",
			s->nruns > 1 ? "run medians [min, max]" : "95% CI of median",
			s->nruns > 1 ? "run sd" : "");
		for (size_t k = j; k < m->ngroups; k++)
			if (!strcmp(m->groups[k].bench, m->groups[j].bench) &&
			    !strcmp(m->groups[k].metric, m->groups[j].metric) && m->groups[k].n)
				group_line(f, s, &m->groups[k]);
	}
	for (size_t j = 0; j < m->nstress; j++) {
		const struct rs_stress *st = &m->stress[j];
		char line[1024];

		snprintf(line, sizeof(line), "stress %s: %s, %lld ops, %lld failed calls, "
			 "%lld integrity errors, %lld kernel reports, %lld hangs%s%s",
			 st->scenario, st->status, st->ops, st->errors, st->integrity_errors,
			 st->kernel_reports, st->hangs, st->reason[0] ? ": " : "", st->reason);
		cmp_put_wrapped(f, "  ", "      ", line);
	}
	for (size_t j = 0; j < m->nunsup; j++) {
		char line[1024];

		snprintf(line, sizeof(line), "%s %s: unsupported (%s): %s", m->unsup[j].bench,
			 m->unsup[j].label, m->unsup[j].capability, m->unsup[j].reason);
		cmp_put_wrapped(f, "  ", "      ", line);
	}
	caps_text(f, s);
}

static void runs_text(FILE *f, const struct report *r)
{
	for (size_t i = 0; i < r->nsides; i++)
		for (size_t j = 0; j < r->sides[i].nruns; j++) {
			const struct rs_run *run = r->sides[i].runs[j];
			const char *start = rs_meta_str(run, "start");
			char line[PATH_MAX + 512], dir[PATH_MAX];

			snprintf(line, sizeof(line), "%s %s %s, %zu samples: %s%s%s", run->release,
				 start ? start : "(no start time)", run->status, run->samples,
				 esc_term_buf(dir, sizeof(dir), run->dir), run->complete ? "" : "; ",
				 run->incomplete_why);
			cmp_put_wrapped(f, "  ", "      ", line);
			for (size_t k = 0; k < run->nwarnings; k++)
				cmp_put_wrapped(f, "  warning: ", "      ", run->warnings[k]);
		}
}

void report_text(const struct report *r, FILE *f)
{
	char line[PATH_MAX + 256], from[PATH_MAX];

	snprintf(line, sizeof(line), "hmmbench report, %s, from %s", r->generated,
		 esc_term_buf(from, sizeof(from), r->sources));
	cmp_put_wrapped(f, "", "    ", line);
	fprintf(f, "\nruns\n");
	runs_text(f, r);
	for (size_t i = 0; i < r->nsides; i++)
		side_text(f, &r->sides[i]);
	for (size_t i = 0; i < r->ntables; i++) {
		fprintf(f, "\n%s against %s (base)\n", r->tables[i].new->release,
			r->tables[i].base->release);
		cmp_print(f, &r->tables[i], &r->opts);
	}
	if (!r->ntables)
		fprintf(f, "\nOne kernel only: nothing to compare.\n");
}

static int write_file(const struct report *r, const char *name,
		      int (*fn)(const struct report *, FILE *), char *err, size_t len)
{
	char path[PATH_MAX];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", r->outdir, name);
	f = fopen(path, "w");
	if (!f) {
		snprintf(err, len, "cannot write '%s': %s (%s)", path, errno_name(errno),
			 strerror(errno));
		return -1;
	}
	ret = fn(r, f);
	if (fclose(f) || ret) {
		snprintf(err, len, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int summary_file(const struct report *r, FILE *f)
{
	fputs(r->summary, f);
	return ferror(f) ? -1 : 0;
}

static int build(struct report *r, struct rs_set *set)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	if (cmp_sides(set, r->sources, &r->sides, &r->nsides))
		return -1;
	if (r->nsides > 1) {
		r->tables = calloc(r->nsides - 1, sizeof(*r->tables));
		if (!r->tables)
			return -1;
	}
	for (size_t i = 1; i < r->nsides; i++) {
		if (cmp_build(&r->sides[0], &r->sides[i], &r->opts, &r->tables[i - 1]))
			return -1;
		r->ntables++;
	}
	mem = open_memstream(&buf, &len);
	if (!mem)
		return -1;
	report_text(r, mem);
	fclose(mem);
	r->summary = buf;
	return 0;
}

int report_write(struct report *r, struct rs_set *set, char *err, size_t errlen)
{
	int drawn;

	meta_utc_now(r->generated, sizeof(r->generated));
	if (mkdir(r->outdir, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create '%s': %s (%s); choose a writable -o OUT",
			 r->outdir, errno_name(errno), strerror(errno));
		return -1;
	}
	if (build(r, set)) {
		snprintf(err, errlen, "out of memory building the report");
		return -1;
	}
	drawn = plot_all(r->sides, r->nsides, r->outdir, &r->plots);
	if (write_file(r, "results.csv", report_csv, err, errlen) ||
	    write_file(r, "summary.txt", summary_file, err, errlen) ||
	    write_file(r, "index.html", report_html, err, errlen))
		return -1;
	if (drawn) {
		snprintf(err, errlen, "%s", r->plots.error);
		return 1;
	}
	return 0;
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->ntables; i++)
		cmp_table_free(&r->tables[i]);
	free(r->tables);
	cmp_sides_free(r->sides, r->nsides);
	plot_list_free(&r->plots);
	free(r->summary);
}
