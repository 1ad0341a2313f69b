// SPDX-License-Identifier: GPL-2.0
/* hmmbench report: figures, tables and a text summary of results trees. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "escape.h"
#include "report.h"

static const char report_usage[] =
	"usage: hmmbench report DIR... -o OUT [--threshold PCT] [--alpha A]\n"
	"\n"
	"Reads every run under the results directories DIR (merged by kernel\n"
	"release) and writes to OUT:\n"
	"  index.html    one self-contained page: runs and their metadata, each\n"
	"                kernel compared with the oldest one, figures, results\n"
	"  summary.txt   the comparison as plain text of at most 80 columns\n"
	"  results.csv   kernel, benchmark, metric, parameters, unit, n, median,\n"
	"                ci_low, ci_high: one row per kernel, metric, parameter set\n"
	"  *.svg *.png   gnuplot figures, with the *.dat and *.gp they came from\n"
	"A run that died mid-way is used up to its last complete record and\n"
	"marked incomplete.\n"
	"\n"
	"  -o, --output OUT  report directory (created if missing)\n"
	"  --threshold PCT   smallest change marked better or WORSE (default 5%)\n"
	"  --alpha A         significance level of the U test (default 0.05)\n"
	"\n"
	"example:\n  hmmbench report results -o report && less report/summary.txt\n";

static int parse_opts(int argc, char **argv, struct report *r, int *help)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "threshold", required_argument, NULL, 't' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	r->opts.threshold = 0.05;
	r->opts.alpha = 0.05;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:t:a:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': r->outdir = optarg; break;
		case 't':
			if (cli_parse_threshold(optarg, &r->opts.threshold))
				return -1;
			break;
		case 'a':
			if (cli_parse_alpha(optarg, &r->opts.alpha))
				return -1;
			break;
		case 'h':
			*help = 1;
			return 0;
		default:
			cli_error("unknown or incomplete option '%s' for report; see 'hmmbench report --help'",
				  argv[optind - 1]);
			return -1;
		}
	}
	if (optind >= argc || !r->outdir) {
		cli_error(optind >= argc ? "report needs at least one results directory; see 'hmmbench report --help'"
					 : "report needs -o OUT, the directory to write the report to");
		return -1;
	}
	return 0;
}

/* "a, b and c" of the directories, for the report's header. */
static char *join_dirs(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 2;
	s = calloc(1, len);
	for (int i = 0; s && i < argc; i++) {
		if (i)
			strcat(s, ", ");
		strcat(s, argv[i]);
	}
	return s;
}

int cmd_report(int argc, char **argv)
{
	struct report r = { 0 };
	struct rs_set set = { 0 };
	char err[PATH_MAX + 256];
	int help = 0, ret = EXIT_OK;

	if (parse_opts(argc, argv, &r, &help))
		return EXIT_USAGE;
	if (help) {
		fputs(report_usage, stdout);
		return EXIT_OK;
	}
	for (int i = optind; i < argc; i++)
		if (rs_load_tree(argv[i], &set, err, sizeof(err))) {
			cli_error("%s", err);
			rs_set_free(&set);
			return EXIT_USAGE;
		}
	rs_print_warnings(stderr, &set);
	r.sources = join_dirs(argc - optind, argv + optind);
	switch (report_write(&r, &set, err, sizeof(err))) {
	case 0:
		break;
	case 1:
		cli_error("%s; everything else is written", err);
		ret = EXIT_FAIL;
		break;
	default:
		cli_error("%s", err);
		ret = EXIT_USAGE;
	}
	if (ret != EXIT_USAGE) {
		fputs("report: ", stdout);
		esc_term(stdout, r.outdir);
		fputs("/index.html\nsummary: ", stdout);
		esc_term(stdout, r.outdir);
		fputs("/summary.txt\n", stdout);
	}
	free((char *)r.sources);
	report_free(&r);
	rs_set_free(&set);
	return ret;
}
