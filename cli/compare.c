// SPDX-License-Identifier: GPL-2.0
/* hmmbench compare: kernel against kernel, with a CI-friendly exit status. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <math.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "compare.h"
#include "escape.h"

static const char compare_usage[] =
	"usage: hmmbench compare BASE NEW... [--threshold PCT] [--alpha A]\n"
	"                        [--format text|tsv|json] [--allow-differences]\n"
	"\n"
	"Compares the runs under NEW against those under BASE (results directories\n"
	"of 'hmmbench run -o DIR', a kernel's subdirectory, or one run). Runs are\n"
	"grouped by kernel (their label, 'run --label', else their release),\n"
	"warm-ups excluded. For every benchmark, parameter set and metric\n"
	"measured on both:\n"
	"  times and throughputs: each run (boot) is one replicate, its median;\n"
	"    the change is the ratio of the geometric means of the runs' medians,\n"
	"    tested by a moderated t test on the runs (limma's empirical Bayes\n"
	"    over the table's rows), with its 95% CI and the smallest change the\n"
	"    comparison could detect (MDE). With fewer than 3 runs on a side the\n"
	"    row is 'unconfirmed': shown, never marked, never exit 1.\n"
	"  counts (samples that moved whole PMDs, PMDs split): Fisher's exact\n"
	"    test on the counts, from a single run per side.\n"
	"The p-values of all rows tested in one comparison are Holm-adjusted (the\n"
	"chance that any row is marked when nothing changed is at most alpha). A\n"
	"change is marked WORSE or better only when its adjusted p < alpha and\n"
	"|change| > threshold; which way is better is known per metric. Parameter\n"
	"sets run on one side only and capabilities a kernel lacks are listed as\n"
	"such. Metadata differences that make the comparison unfair (THP settings,\n"
	"command line, memory, CPU count, hmmbench version, host) are printed\n"
	"above the table. compare refuses, naming them, when base and new differ\n"
	"in kernel config (what scripts/kernel-build made it from: base config\n"
	"and fragments, not patches or label; else the options' hash), THP\n"
	"settings, memory, CPUs or host. The README's 'How compare decides' says\n"
	"how many runs to use.\n"
	"\n"
	"  --threshold PCT   smallest change worth marking, in percent (default 5%)\n"
	"  --alpha A         family-wise significance level (default 0.05)\n"
	"  --format F        text (default, 80 columns) or tsv: one line per row\n"
	"                    with a header, fields tab-separated, '-' when empty:\n"
	"                    the full label, each side's pooled median with its\n"
	"                    95% CI, p and adjusted p, MDE, runs and each side's\n"
	"                    centre, and one line per stress scenario (bench stress,\n"
	"                    metric status: each side's status, WORSE when it newly\n"
	"                    fails)\n"
	"                    or json: one document (schema hmmbench-compare/1, in\n"
	"                    the README's 'Machine-readable output') with every\n"
	"                    comparison, row and scenario, undefined numbers null,\n"
	"                    refusals and the exit status in it\n"
	"  --allow-differences  compare sides that differ in the ways above anyway\n"
	"\n"
	"exit status: 0 no row marked WORSE, 1 at least one (or a stress scenario\n"
	"that newly fails), 2 usage or input error (bad file, newer schema,\n"
	"nothing in common, a run on both sides).\n"
	"\n"
	"example:\n  hmmbench compare results/6.12.117 results/7.2.13 --threshold 5% \\\n      --allow-differences   # two kernels: their configs differ\n";

int cli_parse_threshold(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end != s && *end == '%')
		end++;
	if (errno || end == s || *end || !(v >= 0) || v > 1000) {
		cli_error("--threshold '%s' is not a percentage such as 5%%", s);
		return -1;
	}
	*out = v / 100;
	return 0;
}

int cli_parse_alpha(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || !(*out > 0 && *out < 1)) {
		cli_error("--alpha '%s' is not a probability between 0 and 1 such as 0.05", s);
		return -1;
	}
	return 0;
}

static enum { FMT_TEXT, FMT_TSV, FMT_JSON } format;	/* --format */
static int allow_differences;	/* --allow-differences */
static int tsv_header_done;
static json_t *json_comparisons;	/* --format json: what was compared */
static char first_error[8192];		/* --format json: the error, for "error" */

/* cli_error(), the first kept for the JSON document. */
static void __attribute__((format(printf, 1, 2))) compare_error(const char *fmt, ...)
{
	char msg[sizeof(first_error)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!first_error[0])
		snprintf(first_error, sizeof(first_error), "%s", msg);
	cli_error("%s", msg);
}

static int parse_opts(int argc, char **argv, struct cmp_opts *o, int *help)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "allow-differences", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	o->threshold = 0.05;
	o->alpha = 0.05;
	optind = 0;
	opterr = 0;
	format = FMT_TEXT;
	tsv_header_done = allow_differences = 0;
	first_error[0] = '\0';
	while ((c = getopt_long(argc, argv, "t:a:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				format = FMT_TEXT;
			else if (!strcmp(optarg, "tsv"))
				format = FMT_TSV;
			else if (!strcmp(optarg, "json"))
				format = FMT_JSON;
			else {
				cli_error("unknown --format '%s'; use text, tsv or json", optarg);
				return -1;
			}
			break;
		case 't':
			if (cli_parse_threshold(optarg, &o->threshold))
				return -1;
			break;
		case 'a':
			if (cli_parse_alpha(optarg, &o->alpha))
				return -1;
			break;
		case 'D':
			allow_differences = 1;
			break;
		case 'h':
			*help = 1;
			return 0;
		default:
			cli_error("unknown or incomplete option '%s' for compare; see 'hmmbench compare --help'",
				  argv[optind - 1]);
			return -1;
		}
	}
	return 0;
}

/* Loads @dir into sides by kernel; a one-line error on failure. */
static int load_sides(const char *dir, struct rs_set *set,
		      struct cmp_side **sides, size_t *n)
{
	char err[PATH_MAX + 256];

	if (rs_load_tree(dir, set, err, sizeof(err))) {
		compare_error("%s", err);
		return -1;
	}
	rs_print_warnings(stderr, set);
	if (cmp_sides(set, dir, sides, n)) {
		compare_error("out of memory grouping the runs of '%s'", dir);
		return -1;
	}
	return 0;
}

/*
 * A run on both sides would be compared with itself ('compare X X', or a
 * copy of X): the comparison would measure nothing, so it is refused.
 */
static int shares_runs(const struct cmp_side *base, const struct cmp_side *new)
{
	for (size_t i = 0; i < new->nruns; i++)
		for (size_t j = 0; j < base->nruns; j++)
			if (rs_same_run(new->runs[i], base->runs[j])) {
				compare_error("BASE '%s' and NEW '%s' hold the same run (%s): a run compared with "
					  "itself measures nothing; give NEW the runs of another kernel or boot",
					  base->origin, new->origin, new->runs[i]->dir);
				return 1;
			}
	return 0;
}

/* The one-line refusal: what differs between the sides, with the values. */
static void refuse_unfair(const struct cmp_table *t)
{
	char list[4096];
	size_t used = 0;

	list[0] = '\0';
	for (size_t i = 0; i < t->nunfair; i++)
		used += snprintf(list + used, used < sizeof(list) ? sizeof(list) - used : 0,
				 "%s%s", i ? "; " : "", t->unfair[i]);
	compare_error("refusing to compare %s with %s (base): they differ in %s; make them match, or give --allow-differences to compare anyway",
		  t->new->release, t->base->release, list);
}

/* --format json: @t joins the document's comparisons. -1 without memory. */
static int json_add(const struct cmp_table *t, const char *status)
{
	json_t *c = format == FMT_JSON ? cmp_table_json(t, status) : NULL;

	if (format != FMT_JSON)
		return 0;
	if (!c || json_array_append_new(json_comparisons, c)) {
		compare_error("out of memory writing the comparison as JSON");
		return -1;
	}
	return 0;
}

/* Prints one comparison; 1 if it found a regression, -1 on bad input. */
static int compare_one(const struct cmp_side *base, const struct cmp_side *new,
		       const struct cmp_opts *o)
{
	struct cmp_table t;
	int ret;

	if (cmp_build(base, new, o, &t)) {
		cmp_table_free(&t);
		compare_error("out of memory comparing %s with %s", new->origin, base->origin);
		return -1;
	}
	if (t.nunfair && !allow_differences) {
		refuse_unfair(&t);
		json_add(&t, "refused");
		cmp_table_free(&t);
		return -1;
	}
	if (!t.compared && !t.stress_compared) {
		json_add(&t, "nothing-in-common");
		compare_error("nothing to compare: %s (%s) and %s (%s) have no benchmark, parameter set and metric measured on both",
			  base->origin, base->release, new->origin, new->release);
		cmp_table_free(&t);
		return -1;
	}
	if (format == FMT_JSON && json_add(&t, "compared")) {
		cmp_table_free(&t);
		return -1;
	}
	if (format == FMT_TSV)
		cmp_print_tsv(stdout, &t, !tsv_header_done++);
	else if (format == FMT_TEXT)
		cmp_print(stdout, &t, o);
	ret = t.regressed || t.stress_regressed ? 1 : 0;
	cmp_table_free(&t);
	return ret;
}

static int compare_new(const struct cmp_side *base, const char *dir,
		       const struct cmp_opts *o)
{
	struct rs_set set = { 0 };
	struct cmp_side *sides = NULL;
	size_t n = 0;
	int ret = 0;

	if (load_sides(dir, &set, &sides, &n)) {
		ret = -1;
		goto out;
	}
	for (size_t i = 0; i < n && ret >= 0; i++) {
		int r;

		if (shares_runs(base, &sides[i])) {
			ret = -1;
			break;
		}
		if (i && format == FMT_TEXT)
			putchar('\n');
		r = compare_one(base, &sides[i], o);
		ret = r < 0 ? r : (ret || r);
	}
out:
	cmp_sides_free(sides, n);
	rs_set_free(&set);
	return ret;
}

/*
 * --format json: the one document, whatever happened once the options
 * parsed: the comparisons made (a refused one with what differs), the
 * exit status and the error that ended the command, if any.
 */
static void print_json(const struct cmp_opts *o, int status)
{
	json_t *doc = json_object(), *c;
	size_t i;
	int regressed = 0;

	json_array_foreach(json_comparisons, i, c)
		regressed |= json_is_true(json_object_get(c, "regressed"));
	json_object_set_new(doc, "schema", json_string(CMP_JSON_SCHEMA));
	json_object_set_new(doc, "hmmbench", json_string(PACKAGE_VERSION));
	json_object_set_new(doc, "options", cmp_opts_json(o, allow_differences));
	json_object_set_new(doc, "comparisons", json_incref(json_comparisons));
	json_object_set_new(doc, "regressed", json_boolean(regressed));
	json_object_set_new(doc, "exit_status", json_integer(status));
	json_object_set_new(doc, "error", first_error[0] ? esc_json(first_error) : json_null());
	if (json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) == 0)
		putchar('\n');
	fflush(stdout);
	json_decref(doc);
}

static int compare_all(int argc, char **argv, const struct cmp_opts *o)
{
	struct rs_set base_set = { 0 };
	struct cmp_side *base = NULL;
	size_t nbase = 0;
	int ret = EXIT_OK;

	if (load_sides(argv[optind], &base_set, &base, &nbase)) {
		ret = EXIT_USAGE;
	} else if (nbase != 1) {
		compare_error("BASE '%s' holds runs of %zu kernels (%s, %s%s); give one kernel's directory, e.g. %s/%s",
			  argv[optind], nbase, base[0].release, base[1].release,
			  nbase > 2 ? ", ..." : "", argv[optind], base[0].release);
		ret = EXIT_USAGE;
	}
	for (int i = optind + 1; i < argc && ret != EXIT_USAGE; i++) {
		int r;

		if (i > optind + 1 && format == FMT_TEXT)
			putchar('\n');
		r = compare_new(base, argv[i], o);
		if (r < 0)
			ret = EXIT_USAGE;
		else if (r)
			ret = EXIT_FAIL;
	}
	cmp_sides_free(base, nbase);
	rs_set_free(&base_set);
	return ret;
}

int cmd_compare(int argc, char **argv)
{
	struct cmp_opts o = { 0 };	/* Holm, VD_MIN_RUNS: what no option sets */
	int help = 0, ret;

	if (parse_opts(argc, argv, &o, &help))
		return EXIT_USAGE;
	if (help) {
		fputs(compare_usage, stdout);
		return EXIT_OK;
	}
	if (argc - optind < 2) {
		cli_error("compare needs BASE and at least one NEW directory; see 'hmmbench compare --help'");
		return EXIT_USAGE;
	}
	json_comparisons = format == FMT_JSON ? json_array() : NULL;
	ret = compare_all(argc, argv, &o);
	if (format == FMT_JSON)
		print_json(&o, ret);
	json_decref(json_comparisons);
	json_comparisons = NULL;
	return ret;
}
