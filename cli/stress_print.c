// SPDX-License-Identifier: GPL-2.0
/* What hmmbench stress prints and the records that close a run. */
#include <stdio.h>
#include <string.h>

#include "meta.h"
#include "stress_cli.h"
#include "stress_seeds.h"
#include "summary.h"

void print_result(const struct stress_config *cfg, const struct stress_result *r)
{
	char label[40];

	snprintf(label, sizeof(label), "stress %s", cfg->sc->name);
	if (r->status == STRESS_SKIP) {
		printf("%s: skip: %s\n", label, r->reason);
		return;
	}
	if (r->have_rate)
		summary_print_row(stdout, "", label, "ops/s", &r->rate, stress_status_name(r->status));
	printf("%s: %s: %llu operations in %.1f s by %u threads, %llu page checks, %llu integrity errors, %llu kernel reports, %llu hangs",
	       label, stress_status_name(r->status), (unsigned long long)r->ops, r->seconds,
	       cfg->threads, (unsigned long long)r->pages_verified,
	       (unsigned long long)r->integrity_errors, (unsigned long long)r->kernel_reports,
	       (unsigned long long)r->hangs);
	if (r->forks)
		printf(", %llu forks", (unsigned long long)r->forks);
	if (r->oom_kills)
		printf(", %llu OOM kills counted", (unsigned long long)r->oom_kills);
	printf("\n");
	if (r->errors[0])
		printf("  errors counted (answers under races, not failures): %s\n", r->errors);
	if (r->status == STRESS_FAIL)
		printf("  failed: %s\n", r->reason);
	fflush(stdout);
}

void add_result(struct totals *t, const struct stress_config *cfg,
		       const struct stress_result *r)
{
	size_t n = strlen(t->skips);

	if (r->status == STRESS_SKIP) {
		t->skipped++;
		/* The verdict names it; its own "skip:" line above says why. */
		snprintf(t->skips + n, sizeof(t->skips) - n, "%s%s", n ? ", " : "",
			 cfg->sc->name);
		return;
	}
	t->run++;
	t->ops += r->ops;
	t->pages += r->pages_verified;
	t->integrity += r->integrity_errors;
	t->kernel += r->kernel_reports;
	t->hangs += r->hangs;
	t->interrupted |= r->status == STRESS_INTERRUPTED;
	if (r->status == STRESS_FAIL && !t->failed++)
		snprintf(t->failure, sizeof(t->failure), "%.200s", r->reason);
}

void print_verdict(const struct totals *t, const struct stress_opts *o,
			  const char *kmsg_why, const char *rundir)
{
	const char *word = t->failed ? "FAIL" : t->interrupted ? "INTERRUPTED" :
			   t->run ? "PASS" : "SKIP";
	char seeds[400];

	fflush(stderr);
	printf("stress: %s: ", word);
	if (t->failed)
		printf("%s; ", t->failure);
	printf("%u scenario%s run, %u skipped%s%s%s; %llu operations, %llu page checks; %llu integrity errors, %llu kernel reports, %llu hangs; seed%s %s%s%s; records %s\n",
	       t->run, t->run == 1 ? "" : "s", t->skipped, t->skipped ? " (" : "", t->skips,
	       t->skipped ? ")" : "", (unsigned long long)t->ops, (unsigned long long)t->pages,
	       (unsigned long long)t->integrity, (unsigned long long)t->kernel,
	       (unsigned long long)t->hangs, o->nseeds == 1 ? "" : "s",
	       stress_seeds_str(o->seeds, o->nseeds, seeds, sizeof(seeds)),
	       kmsg_why[0] ? "; kernel log NOT watched: " : "", kmsg_why, rundir);
	fflush(stdout);
}

void write_end(struct rec_writer *w, const struct totals *t)
{
	char end[32];
	json_t *r = rec_new("end");

	meta_utc_now(end, sizeof(end));
	json_object_set_new(r, "end", json_string(end));
	json_object_set_new(r, "status", json_string(t->interrupted ? "interrupted" :
				t->integrity ? "data-mismatch" : t->failed ? "failed" : "complete"));
	rec_write(w, r);
}

void trip_name(const struct stress_config *cfg, const struct stress_result *r,
		      char *buf, size_t len)
{
	if (r->kernel_reports)
		snprintf(buf, len, "kernel %s%s%s in %s", r->report_kind[0] ? r->report_kind : "report",
			 r->report_function[0] ? " in " : "", r->report_function, cfg->sc->name);
	else if (r->integrity_errors)
		snprintf(buf, len, "an integrity error in %s", cfg->sc->name);
	else if (r->hangs)
		snprintf(buf, len, "a hang in %s", cfg->sc->name);
	else
		snprintf(buf, len, "%.120s", r->reason);
}

