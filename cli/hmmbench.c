// SPDX-License-Identifier: GPL-2.0
/* hmmbench: benchmark and stress device-private memory migration (HMM). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "errname.h"
#include "gitversion.h"
#include "paths.h"

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

/*
 * Commands that are scripts (scripts/ in a checkout, $(pkglibexecdir)
 * installed): hmmbench execs them with the rest of its arguments.
 */
static const struct {
	const char *name;
	const char *script;
	const char *summary;
} script_commands[] = {
	{ "kernel-build", "kernel-build", "build (or reuse) a test kernel with CONFIG_TEST_HMM" },
	{ "vm-run", "vm-run", "boot a test kernel in qemu and run a command in it" },
	{ "matrix", "matrix", "one suite on several kernels, then report and compare" },
	{ "bisect", "bisect", "find the commit that made a metric worse" },
	{ "quickstart", "quickstart", "packages, test kernel, a guest run and its report" },
	{ "initramfs", "initramfs", "the guest's busybox initramfs, for vm-run and LAVA" },
	{ "lava-job", "lava-job", "a LAVA job that runs hmmbench on a lab's device" },
	{ "crosscheck", "crosscheck-hmm-tests", "hmmbench beside the kernel's own hmm-tests benchmark" },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: hmmbench COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nkernels and guests (scripts, in %s):\n", hmmb_scripts_dir());
	for (size_t i = 0; i < ARRAY_LEN(script_commands); i++)
		fprintf(f, "  %-13s %s\n", script_commands[i].name, script_commands[i].summary);
	fprintf(f, "\n'hmmbench COMMAND --help' describes each command; 'man hmmbench-COMMAND' too.\n"
		"example:\n  hmmbench probe\n  hmmbench run --suite smoke -o results\n");
}

/*
 * Runs script @name with @argv[1..] in this process's place. The scripts
 * put the binary that started them into their guests unless
 * $HMMBENCH_BIN names another.
 */
static int exec_script(const char *name, char **argv)
{
	char path[PATH_MAX], self[PATH_MAX];
	ssize_t n;
	int len;

	len = snprintf(path, sizeof(path), "%s/%s", hmmb_scripts_dir(), name);
	if (len < 0 || (size_t)len >= sizeof(path)) {
		cli_error("%s: the scripts' directory path is too long", name);
		return EXIT_USAGE;
	}
	if (access(path, X_OK)) {
		cli_error("%s: cannot run %s (%s); reinstall hmmbench ('make install'), or set HMMBENCH_SRCDIR to a source checkout",
			  name, path, errno_name(errno));
		return EXIT_USAGE;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		setenv("HMMBENCH_BIN", self, 0);
	}
	/* The script's --help then names it 'hmmbench NAME' (scripts/lib.sh). */
	setenv("HMMBENCH_COMMAND", "1", 1);
	argv[0] = path;
	execv(path, argv);
	cli_error("%s: cannot run %s (%s)", name, path, errno_name(errno));
	return EXIT_USAGE;
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
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	for (size_t i = 0; i < ARRAY_LEN(script_commands); i++)
		if (!strcmp(argv[1], script_commands[i].name))
			return exec_script(script_commands[i].script, argv + 1);
	cli_error("unknown command '%s'; run 'hmmbench --help' for the list", argv[1]);
	return EXIT_USAGE;
}
