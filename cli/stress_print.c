// SPDX-License-Identifier: GPL-2.0
/* What hmmbench stress prints and the records that close a run. */
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "ktap.h"
#include "meta.h"
#include "stress_cli.h"
#include "stress_seeds.h"
#include "summary.h"

void print_result(const struct stress_config *cfg, const struct stress_result *r)
{
	const char *pfx = cfg->print_prefix ? cfg->print_prefix : "";
	char label[40];

	snprintf(label, sizeof(label), "stress %s", cfg->sc->name);
	if (r->status == STRESS_SKIP) {
		printf("%s%s: skip: %s\n", pfx, label, r->reason);
		return;
	}
	if (r->have_rate)
		summary_print_row(stdout, pfx, label, "ops/s", &r->rate, stress_status_name(r->status));
	printf("%s%s: %s: %llu operations in %.1f s by %u threads, %llu page checks, %llu integrity errors, %llu kernel reports, %llu hangs",
	       pfx, label, stress_status_name(r->status), (unsigned long long)r->ops, r->seconds,
	       cfg->threads, (unsigned long long)r->pages_verified,
	       (unsigned long long)r->integrity_errors, (unsigned long long)r->kernel_reports,
	       (unsigned long long)r->hangs);
	if (r->forks)
		printf(", %llu forks", (unsigned long long)r->forks);
	if (r->oom_kills)
		printf(", %llu OOM kills counted", (unsigned long long)r->oom_kills);
	printf("\n");
	if (r->errors[0])
		printf("%s  errors counted (answers under races, not failures): %s\n", pfx, r->errors);
	/* in KTAP the result's "# reason:" lines say it, escaped */
	if (r->status == STRESS_FAIL && !pfx[0])
		printf("  failed: %s\n", r->reason);
	fflush(stdout);
}

/*
 * The "# reason:" lines of a scenario that is not ok: what each detector
 * saw first (a kernel report's kind and function, the integrity error's
 * page and offset, the hang's thread and operation), else why it failed.
 */
static void ktap_reasons(FILE *f, const struct stress_config *cfg, const struct stress_result *r)
{
	char line[1400];
	int said = 0;

	if (r->status == STRESS_INTERRUPTED) {
		ktap_diag_line(f, "reason", "interrupted (SIGINT or SIGTERM) before the scenario's end");
		return;
	}
	if (r->kernel_reports) {
		snprintf(line, sizeof(line), "kernel %s in %s during %s (%llu report%s); full text: %.300s",
			 r->report_kind[0] ? r->report_kind : "report",
			 r->report_function[0] ? r->report_function : "an unknown function",
			 cfg->sc->name, (unsigned long long)r->kernel_reports,
			 r->kernel_reports == 1 ? "" : "s",
			 r->report_file[0] ? r->report_file : "not saved");
		ktap_diag_line(f, "reason", line);
		said++;
	}
	if (r->integrity_errors) {
		snprintf(line, sizeof(line), "integrity error in %s at %s", cfg->sc->name,
			 r->integrity[0] ? r->integrity : r->first_failure);
		ktap_diag_line(f, "reason", line);
		said++;
	}
	if (r->hangs) {
		snprintf(line, sizeof(line), "hang in %s: %s", cfg->sc->name,
			 r->hang[0] ? r->hang : r->first_failure);
		ktap_diag_line(f, "reason", line);
		said++;
	}
	if (!said || (r->reason[0] && strcmp(r->reason, r->first_failure)))
		ktap_diag_line(f, said ? "failed" : "reason", r->reason[0] ? r->reason : "unknown");
}

/* Whether the run's --scenario selects @sc. */
int stress_selected(const struct stress_opts *o, const struct stress_scenario *sc)
{
	return !strcmp(o->scenario, sc->name) || (!strcmp(o->scenario, "all") && !sc->not_in_all);
}

/* KTAP: one test per selected scenario and seed. */
static int ktap_planned(const struct stress_opts *o)
{
	size_t n;
	const struct stress_scenario *sc = stress_scenarios(&n);
	int k = 0;

	for (size_t i = 0; i < n; i++)
		k += stress_selected(o, &sc[i]);
	return k * (int)o->nseeds;
}

static int ktap_no;	/* KTAP: the number of the last test written */

/* "stress migrate-fault", with --seeds "stress migrate-fault seed 3". */
static void ktap_desc(const struct stress_opts *o, const char *name, uint64_t seed,
		      char *buf, size_t len)
{
	if (o->nseeds > 1)
		snprintf(buf, len, "stress %s seed %llu", name, (unsigned long long)seed);
	else
		snprintf(buf, len, "stress %s", name);
}

void stress_ktap_not_run(FILE *f, const struct stress_opts *o, uint64_t seed, size_t from,
			 const char *why)
{
	size_t n;
	const struct stress_scenario *sc = stress_scenarios(&n);
	char desc[128], skip[300];

	if (!o->ktap)
		return;
	snprintf(skip, sizeof(skip), "not run: %s", why);
	for (size_t i = from; i < n; i++)
		if (stress_selected(o, &sc[i])) {
			ktap_desc(o, sc[i].name, seed, desc, sizeof(desc));
			ktap_result(f, ++ktap_no, 1, desc, skip);
		}
}

void stress_ktap_begin(FILE *f, const struct stress_opts *o)
{
	ktap_no = 0;
	/* a case line per scenario too, for CI monitors (LAVA), as run does */
	ktap_cases_to(f);
	ktap_header(f, ktap_planned(o));
}

/*
 * The diagnostics come before the result line: the kernel's KTAP parser
 * (tools/testing/kunit/kunit_parser.py) gives a test the lines between
 * the previous result and its own.
 */
void stress_ktap_result(FILE *f, const struct stress_opts *o, const struct stress_config *cfg,
			const struct stress_result *r)
{
	char why[sizeof(r->reason) * 4], desc[128];

	ktap_desc(o, cfg->sc->name, cfg->seed, desc, sizeof(desc));
	if (r->status == STRESS_SKIP) {
		ktap_result(f, ++ktap_no, 1, desc, esc_term_buf(why, sizeof(why), r->reason));
		return;
	}
	if (r->status != STRESS_PASS)
		ktap_reasons(f, cfg, r);
	if (r->repro_dir[0])
		ktap_diag_line(f, "reproducer", r->repro_dir);
	ktap_result(f, ++ktap_no, r->status == STRESS_PASS, desc, NULL);
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
	printf("%sstress: %s: ", o->ktap ? "# " : "", word);
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

