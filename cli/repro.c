// SPDX-License-Identifier: GPL-2.0
/*
 * hmmbench repro: what to do with a reproducer that hmmbench stress wrote
 * (DIR/repro-SCENARIO/, holding repro.json and repro.c).
 *   generate  repro.c again from repro.json
 *   try       build it and boot kernels with it, N boots each: hit rates
 *   minimize  shrink it in guests while it still trips the same report
 *   report    a draft report for a kernel mailing list
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "repro.h"
#include "repro_cli.h"
#include "stress_repro.h"

static const char repro_usage[] =
	"usage: hmmbench repro generate DIR|repro.json [-o repro.c]\n"
	"       hmmbench repro try DIR --kernel K [--kernel K]... [--boots N] [--timeout S]\n"
	"       hmmbench repro minimize DIR --kernel K [--boots N] [--max-boots N] [-o DIR]\n"
	"       hmmbench repro report DIR [-o FILE]\n"
	"\n"
	"DIR is a reproducer directory that 'hmmbench stress' wrote when a scenario\n"
	"failed (RESULTS/<kernel>/<run>/repro-SCENARIO/, with repro.json and\n"
	"repro.c). repro.c is one C file that builds alone (gcc -static -pthread\n"
	"repro.c) and replays every thread's recorded operations with the same\n"
	"threads and ordering points, in rounds, until -t seconds have passed.\n"
	"\n"
	"  generate   write repro.c again from repro.json (after editing it)\n"
	"  try        build repro.c and boot each kernel N times with it (qemu,\n"
	"             scripts/vm-run); every boot lands in DIR/tries.jsonl and the\n"
	"             hit rate per kernel is printed\n"
	"  minimize   remove threads, operations and size while the reproducer\n"
	"             still trips the recorded report within --boots boots; every\n"
	"             step is kept in OUT/minimize.log and OUT/repro.json\n"
	"  report     a draft report: subject, kernels tried and which failed,\n"
	"             config, the kernel's report, the reproducer and how to run\n"
	"             it, the hit rate per kernel\n"
	"\n"
	"'hmmbench repro COMMAND --help' describes each command's options.\n"
	"example:\n"
	"  hmmbench repro minimize results/7.2.13/RUN/repro-vma-churn --kernel 7.2\n";

static const char generate_usage[] =
	"usage: hmmbench repro generate DIR|repro.json [-o repro.c]\n"
	"       hmmbench repro generate --scenario NAME --seed N --ops N [--threads 4]\n"
	"                               [--seconds S] -o DIR\n"
	"Writes the standalone C reproducer from repro.json (default output: repro.c\n"
	"beside it; '-o -' writes to standard output). With --scenario, draws the\n"
	"first N operations of every thread that 'hmmbench stress' would run for\n"
	"that seed, without running them, into DIR/repro.json and DIR/repro.c: a\n"
	"run reported elsewhere, replayed where it is too slow to record.\n"
	"example:\n  hmmbench repro generate --scenario vma-churn --seed 42 --ops 1500 -o vma42\n";

/* DIR/repro.json, or the file itself. */
void repro_model_path(const char *arg, char *buf, size_t len)
{
	struct stat st;

	if (!stat(arg, &st) && S_ISDIR(st.st_mode))
		snprintf(buf, len, "%s/repro.json", arg);
	else
		snprintf(buf, len, "%s", arg);
}

void repro_dir_of(const char *arg, char *buf, size_t len)
{
	struct stat st;
	const char *slash;

	if (!stat(arg, &st) && S_ISDIR(st.st_mode)) {
		snprintf(buf, len, "%s", arg);
		return;
	}
	slash = strrchr(arg, '/');
	if (!slash)
		snprintf(buf, len, ".");
	else
		snprintf(buf, len, "%.*s", (int)(slash - arg), arg);
}

int repro_load_arg(const char *arg, struct repro *r)
{
	char path[PATH_MAX], err[PATH_MAX + 200];

	repro_model_path(arg, path, sizeof(path));
	if (repro_load(path, r, err, sizeof(err))) {
		cli_error("%s; give a directory that 'hmmbench stress' wrote (repro-SCENARIO/) or its repro.json", err);
		return -1;
	}
	return 0;
}

struct seed_args {
	const char *scenario;
	unsigned long long seed, ops, threads, seconds;
	int have_seed;
};

/* --scenario NAME --seed N --ops N: the model drawn from the seed. */
static int from_seed(const struct seed_args *a, const char *out)
{
	char path[PATH_MAX + 16], err[PATH_MAX + 64];
	const struct stress_scenario *sc = stress_scenario_find(a->scenario), *all;
	struct repro r;
	size_t n;
	int ret;

	if (!sc || !a->have_seed || !a->ops || !out || !strcmp(out, "-")) {
		cli_error(!sc ? "unknown scenario '%s'; see 'hmmbench stress --help'" :
			  "--scenario needs --seed N, --ops N and -o DIR; see 'hmmbench repro generate --help'%.0s",
			  a->scenario);
		return EXIT_USAGE;
	}
	all = stress_scenarios(&n);
	if (stress_repro_from_seed(sc, (unsigned int)(sc - all), a->seed, (unsigned int)a->threads,
				   (unsigned int)a->ops, &r)) {
		cli_error("out of memory");
		return EXIT_FAIL;
	}
	if (a->seconds)
		r.seconds = (unsigned int)a->seconds;
	if (mkdir(out, 0755) && errno != EEXIST) {
		cli_error("cannot create %s: %s", out, strerror(errno));
		repro_free(&r);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/repro.json", out);
	ret = repro_save(&r, path, err, sizeof(err));
	snprintf(path, sizeof(path), "%s/repro.c", out);
	if (!ret)
		ret = repro_write_c_file(&r, path, err, sizeof(err));
	if (ret)
		cli_error("%s", err);
	else
		fprintf(stderr, "hmmbench: wrote %s (%s seed %llu: %llu operations in each of %llu threads)\n",
			path, sc->name, a->seed, a->ops, a->threads);
	repro_free(&r);
	return ret ? EXIT_FAIL : EXIT_OK;
}

static int seed_arg(int argc, char **argv, int *i, struct seed_args *a)
{
	const char *o = argv[*i];

	if (*i + 1 >= argc)
		return 0;
	if (!strcmp(o, "--scenario")) {
		a->scenario = argv[++*i];
		return 1;
	}
	if (!strcmp(o, "--seed")) {
		a->have_seed = 1;
		return cli_parse_uint(o, argv[++*i], UINT64_MAX, &a->seed) ? -1 : 1;
	}
	if (!strcmp(o, "--ops"))
		return cli_parse_uint(o, argv[++*i], 1000000, &a->ops) ? -1 : 1;
	if (!strcmp(o, "--threads"))
		return cli_parse_uint(o, argv[++*i], REPRO_MAX_THREADS, &a->threads) || !a->threads ? -1 : 1;
	if (!strcmp(o, "--seconds"))
		return cli_parse_uint(o, argv[++*i], 86400, &a->seconds) ? -1 : 1;
	return 0;
}

static int cmd_generate(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	char path[PATH_MAX + 16], dir[PATH_MAX], err[PATH_MAX + 64];
	struct seed_args sa = { .threads = 4 };
	struct repro r;
	int ret;

	for (int i = 1; i < argc; i++) {
		int s = seed_arg(argc, argv, &i, &sa);

		if (s < 0)
			return EXIT_USAGE;
		if (s)
			continue;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(generate_usage, stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			cli_error("unknown option '%s' for repro generate; see 'hmmbench repro generate --help'", argv[i]);
			return EXIT_USAGE;
		} else if (!in) {
			in = argv[i];
		} else {
			cli_error("unexpected argument '%s'; one reproducer at a time", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (sa.scenario)
		return in ? (cli_error("give a reproducer or --scenario, not both"), EXIT_USAGE) :
			    from_seed(&sa, out);
	if (!in) {
		cli_error("no reproducer given; usage: hmmbench repro generate DIR|repro.json [-o repro.c]");
		return EXIT_USAGE;
	}
	if (repro_load_arg(in, &r))
		return EXIT_USAGE;
	if (out && !strcmp(out, "-")) {
		ret = repro_write_c(&r, stdout);
	} else {
		repro_dir_of(in, dir, sizeof(dir));
		snprintf(path, sizeof(path), "%s", out ? out : dir);
		if (!out)
			snprintf(path, sizeof(path), "%s/repro.c", dir);
		ret = repro_write_c_file(&r, path, err, sizeof(err));
		if (ret)
			cli_error("%s", err);
		else
			fprintf(stderr, "hmmbench: wrote %s (%zu operations in %u threads)\n", path,
				repro_total_ops(&r), r.nthreads);
	}
	repro_free(&r);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int cmd_repro(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} subs[] = {
		{ "generate", cmd_generate },
		{ "try", cmd_repro_try },
		{ "minimize", cmd_repro_minimize },
		{ "report", cmd_repro_report },
	};

	if (argc < 2) {
		fputs(repro_usage, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(repro_usage, stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].fn(argc - 1, argv + 1);
	cli_error("unknown repro command '%s'; choose generate, try, minimize or report", argv[1]);
	return EXIT_USAGE;
}
