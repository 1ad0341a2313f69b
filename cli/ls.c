// SPDX-License-Identifier: GPL-2.0
/* hmmbench ls: the runs under a results directory. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "escape.h"
#include "metrics.h"
#include "reader.h"

static const char ls_usage[] =
	"usage: hmmbench ls [--format text|tsv|json] DIR...\n"
	"\n"
	"Lists the runs under each results directory (DIR/<kernel-release>/<run-id>/\n"
	"records.jsonl): kernel, start time, suite, status, measured samples (warm-ups\n"
	"excluded), parameter sets and metrics, host and the run's directory. A run\n"
	"that died mid-way is listed as incomplete with what was kept.\n"
	"\n"
	"  --format F   text (default) or tsv: a header, then one line per run and\n"
	"               measured group: kernel, run, status, bench, metric, label\n"
	"               (as compare prints it), params (JSON, sorted keys), unit,\n"
	"               samples, warm-ups; fields tab-separated, '-' when empty;\n"
	"               or json: one document (schema hmmbench-ls/1, in the README's\n"
	"               'Machine-readable output'), one object per run with the\n"
	"               same fields, its groups, unsupported jobs and scenarios\n"
	"\n"
	"example:\n  hmmbench ls results\n";

/* @path relative to @top when it lies under it. */
static const char *relative(const char *path, const char *top)
{
	size_t n = strlen(top);

	while (n > 1 && top[n - 1] == '/')
		n--;
	if (!strncmp(path, top, n) && path[n] == '/')
		return path + n + 1;
	return path;
}

static void print_run(const struct rs_run *r, const char *top)
{
	const char *start = rs_meta_str(r, "start");
	const char *suite = rs_meta_str(r, "suite");
	const char *host = rs_meta_str(r, "host");
	char dir[PATH_MAX];

	/* the strings of the records are printable already; a path is not */
	printf("%-16s %-20s %-8s %-11s %7zu %6zu %-12s %s\n", r->release,
	       start ? start : "?", suite ? suite : "?", r->status, r->samples,
	       r->ngroups, host ? host : "?",
	       esc_term_buf(dir, sizeof(dir), relative(r->dir, top)));
	if (!r->complete)
		printf("  %s\n", r->incomplete_why);
	for (size_t i = 0; i < r->nunsup; i++)
		printf("  %s %s: unsupported (%s)\n", r->unsup[i].bench,
		       r->unsup[i].label, r->unsup[i].capability);
}

/*
 * One line per measured group, for scripts (bisect asks which metrics a
 * measurement has): the reader made every record string printable, so no
 * field holds a tab or a newline; the path is escaped here.
 */
static void print_groups_tsv(const struct rs_run *r, const char *top)
{
	const char *rel = relative(r->dir, top);
	char dir[PATH_MAX];

	esc_term_buf(dir, sizeof(dir), rel[0] ? rel : ".");
	for (size_t i = 0; i < r->ngroups; i++) {
		const struct rs_group *g = &r->groups[i];
		const struct metric_info *mi = metric_find(g->metric);

		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%zu\t%zu\n", r->release, dir,
		       r->status, g->bench, g->metric, g->label[0] ? g->label : "-", g->key,
		       mi ? mi->unit : "-", g->n, g->warmups);
	}
}

#define LS_JSON_SCHEMA "hmmbench-ls/1"

static void set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v ? v : json_null());
}

static json_t *size_json(size_t n)
{
	return json_integer((json_int_t)n);
}

static json_t *groups_json(const struct rs_run *r)
{
	json_t *all = json_array();

	for (size_t i = 0; all && i < r->ngroups; i++) {
		const struct rs_group *g = &r->groups[i];
		const struct metric_info *mi = metric_find(g->metric);
		json_t *o = json_object();

		set(o, "bench", esc_json(g->bench));
		set(o, "metric", esc_json(g->metric));
		set(o, "label", esc_json(g->label));
		set(o, "params", json_deep_copy(g->params));
		set(o, "unit", mi ? esc_json(mi->unit) : json_null());
		set(o, "samples", size_json(g->n));
		set(o, "warmups", size_json(g->warmups));
		json_array_append_new(all, o);
	}
	return all;
}

static json_t *unsupported_json(const struct rs_run *r)
{
	json_t *all = json_array();

	for (size_t i = 0; all && i < r->nunsup; i++) {
		const struct rs_unsupported *u = &r->unsup[i];
		json_t *o = json_object();

		set(o, "bench", esc_json(u->bench));
		set(o, "label", esc_json(u->label));
		set(o, "params", json_deep_copy(u->params));
		set(o, "capability", esc_json(u->capability));
		set(o, "reason", esc_json(u->reason));
		json_array_append_new(all, o);
	}
	return all;
}

static json_t *stress_json(const struct rs_run *r)
{
	json_t *all = json_array();

	for (size_t i = 0; all && i < r->nstress; i++) {
		const struct rs_stress *st = &r->stress[i];
		json_t *o = json_object();

		set(o, "scenario", esc_json(st->scenario));
		set(o, "status", esc_json(st->status));
		set(o, "reason", st->reason && st->reason[0] ? esc_json(st->reason) : json_null());
		set(o, "ops", json_integer(st->ops));
		set(o, "errors", json_integer(st->errors));
		set(o, "integrity_errors", json_integer(st->integrity_errors));
		set(o, "kernel_reports", json_integer(st->kernel_reports));
		set(o, "hangs", json_integer(st->hangs));
		json_array_append_new(all, o);
	}
	return all;
}

/* One run as an object of the "runs" array: the TSV's fields, and more. */
static json_t *run_json(const struct rs_run *r, const char *top)
{
	const char *rel = relative(r->dir, top);
	json_t *o = json_object(), *warnings = json_array();

	for (size_t i = 0; warnings && i < r->nwarnings; i++)
		json_array_append_new(warnings, esc_json(r->warnings[i]));
	set(o, "kernel", esc_json(r->release));
	set(o, "label", r->kernel_label ? esc_json(r->kernel_label) : json_null());
	set(o, "run", esc_json(rel[0] ? rel : "."));
	set(o, "results_dir", esc_json(top));
	set(o, "status", esc_json(r->status));
	set(o, "complete", json_boolean(r->complete));
	set(o, "incomplete_why", r->complete ? json_null() : esc_json(r->incomplete_why));
	set(o, "start", esc_json(rs_meta_str(r, "start")));
	set(o, "suite", esc_json(rs_meta_str(r, "suite")));
	set(o, "host", esc_json(rs_meta_str(r, "host")));
	set(o, "records", size_json(r->records));
	set(o, "samples", size_json(r->samples));
	set(o, "groups", groups_json(r));
	set(o, "unsupported", unsupported_json(r));
	set(o, "stress", stress_json(r));
	set(o, "warnings", warnings);
	return o;
}

/* The document: every run listed, the exit status and the error if any. */
static void print_json(json_t *runs, int status, const char *error)
{
	json_t *doc = json_object();

	set(doc, "schema", json_string(LS_JSON_SCHEMA));
	set(doc, "runs", json_incref(runs));
	set(doc, "exit_status", json_integer(status));
	set(doc, "error", error ? esc_json(error) : json_null());
	if (json_dumpf(doc, stdout, JSON_INDENT(2)) == 0)
		putchar('\n');
	fflush(stdout);
	json_decref(doc);
}

enum ls_format { LS_TEXT, LS_TSV, LS_JSON };

/* --format F before the directories; sets *@fmt. Returns the first DIR's index. */
static int parse_format(int argc, char **argv, enum ls_format *fmt)
{
	int i = 1;

	*fmt = LS_TEXT;
	if (i < argc && !strcmp(argv[i], "--format")) {
		const char *f = i + 1 < argc ? argv[i + 1] : "";

		if (strcmp(f, "text") && strcmp(f, "tsv") && strcmp(f, "json")) {
			cli_error("--format needs text, tsv or json; see 'hmmbench ls --help'");
			return -1;
		}
		*fmt = !strcmp(f, "tsv") ? LS_TSV : !strcmp(f, "json") ? LS_JSON : LS_TEXT;
		i += 2;
	}
	if (i >= argc || argv[i][0] == '-') {
		cli_error(i >= argc ? "ls needs a results directory; see 'hmmbench ls --help'"
				    : "unknown option for ls; see 'hmmbench ls --help'");
		return -1;
	}
	return i;
}

int cmd_ls(int argc, char **argv)
{
	char err[PATH_MAX + 256];
	enum ls_format fmt;
	int ret = EXIT_OK, first;
	json_t *runs = NULL;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(ls_usage, stdout);
		return EXIT_OK;
	}
	first = parse_format(argc, argv, &fmt);
	if (first < 0)
		return EXIT_USAGE;
	if (fmt == LS_TSV)
		fputs("kernel\trun\tstatus\tbench\tmetric\tlabel\tparams\tunit\tsamples\twarmups\n",
		      stdout);
	if (fmt == LS_JSON)
		runs = json_array();
	err[0] = '\0';
	for (int i = first; i < argc && ret == EXIT_OK; i++) {
		struct rs_set set = { 0 };

		if (rs_load_tree(argv[i], &set, err, sizeof(err))) {
			cli_error("%s", err);
			rs_set_free(&set);
			ret = EXIT_USAGE;
			continue;
		}
		if (fmt == LS_TEXT) {
			esc_term(stdout, argv[i]);
			printf(":\n%-16s %-20s %-8s %-11s %7s %6s %-12s %s\n",
			       "kernel", "start", "suite", "status", "samples", "groups",
			       "host", "run");
		}
		for (size_t j = 0; j < set.nruns; j++)
			if (fmt == LS_TSV)
				print_groups_tsv(&set.runs[j], argv[i]);
			else if (fmt == LS_JSON)
				json_array_append_new(runs, run_json(&set.runs[j], argv[i]));
			else
				print_run(&set.runs[j], argv[i]);
		fflush(stdout);
		rs_print_warnings(stderr, &set);
		rs_set_free(&set);
	}
	if (fmt == LS_JSON)
		print_json(runs, ret, ret == EXIT_OK ? NULL : err);
	json_decref(runs);
	return ret;
}
