// SPDX-License-Identifier: GPL-2.0
/* hmmbench: benchmark and stress device-private memory migration (HMM). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gitversion.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "probe", cmd_probe, "show devices, kernel, THP settings and capabilities" },
	{ "run", cmd_run, "run a benchmark suite and record every sample" },
	{ "ls", cmd_ls, "list the runs under a results directory" },
	{ "compare", cmd_compare, "compare kernels: medians, change with CI, U test" },
	{ "report", cmd_report, "HTML, text and CSV report with gnuplot figures" },
	{ "stress", cmd_stress, "race migrations, faults and VMA changes; check data and the kernel log" },
	{ "import-lava", cmd_import_lava, "rebuild the runs of LAVA jobs from their logs" },
	{ "export", cmd_export, "write runs as KernelCI's KCIDB objects" },
	{ "repro", cmd_repro, "build, boot, shrink and report a stress run's standalone reproducer" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: hmmbench COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'hmmbench COMMAND --help' describes each command.\n"
		"example:\n  hmmbench probe\n  hmmbench run --suite smoke -o results\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("hmmbench %s (%s)\n", PACKAGE_VERSION, HMMBENCH_GIT_COMMIT);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	cli_error("unknown command '%s'; run 'hmmbench --help' for the list", argv[1]);
	return EXIT_USAGE;
}
