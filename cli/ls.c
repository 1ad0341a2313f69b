// SPDX-License-Identifier: GPL-2.0
/* hmmbench ls: the runs under a results directory. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "escape.h"
#include "metrics.h"
#include "reader.h"

static const char ls_usage[] =
	"usage: hmmbench ls [--format text|tsv] DIR...\n"
	"\n"
	"Lists the runs under each results directory (DIR/<kernel-release>/<run-id>/\n"
	"records.jsonl): kernel, start time, suite, status, measured samples (warm-ups\n"
	"excluded), parameter sets and metrics, host and the run's directory. A run\n"
	"that died mid-way is listed as incomplete with what was kept.\n"
	"\n"
	"  --format F   text (default) or tsv: a header, then one line per run and\n"
	"               measured group: kernel, run, status, bench, metric, label\n"
	"               (as compare prints it), params (JSON, sorted keys), unit,\n"
	"               samples, warm-ups; fields tab-separated, '-' when empty\n"
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

/* --format text|tsv before the directories; sets *@tsv. Returns the first DIR's index. */
static int parse_format(int argc, char **argv, int *tsv)
{
	int i = 1;

	*tsv = 0;
	if (i < argc && !strcmp(argv[i], "--format")) {
		if (i + 1 >= argc || (strcmp(argv[i + 1], "text") && strcmp(argv[i + 1], "tsv"))) {
			cli_error("--format needs text or tsv; see 'hmmbench ls --help'");
			return -1;
		}
		*tsv = !strcmp(argv[i + 1], "tsv");
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
	int ret = EXIT_OK, tsv, first;

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(ls_usage, stdout);
		return EXIT_OK;
	}
	first = parse_format(argc, argv, &tsv);
	if (first < 0)
		return EXIT_USAGE;
	if (tsv)
		fputs("kernel\trun\tstatus\tbench\tmetric\tlabel\tparams\tunit\tsamples\twarmups\n",
		      stdout);
	for (int i = first; i < argc && ret == EXIT_OK; i++) {
		struct rs_set set = { 0 };

		if (rs_load_tree(argv[i], &set, err, sizeof(err))) {
			cli_error("%s", err);
			rs_set_free(&set);
			ret = EXIT_USAGE;
			continue;
		}
		if (!tsv) {
			esc_term(stdout, argv[i]);
			printf(":\n%-16s %-20s %-8s %-11s %7s %6s %-12s %s\n",
			       "kernel", "start", "suite", "status", "samples", "groups",
			       "host", "run");
		}
		for (size_t j = 0; j < set.nruns; j++)
			if (tsv)
				print_groups_tsv(&set.runs[j], argv[i]);
			else
				print_run(&set.runs[j], argv[i]);
		fflush(stdout);
		rs_print_warnings(stderr, &set);
		rs_set_free(&set);
	}
	return ret;
}
