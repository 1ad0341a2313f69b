// SPDX-License-Identifier: GPL-2.0
/* hmmbench export: runs in a format another system takes in (KCIDB). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kcidb.h"
#include "reader.h"

static const char export_usage[] =
	"usage: hmmbench export --format kcidb [--origin NAME] [-o FILE] DIR...\n"
	"\n"
	"Writes every run under the results directories as one KCIDB document\n"
	"(KernelCI's common database, I/O schema v5.3): a checkout per kernel\n"
	"source (its id from scripts/kernel-build: Debian package version, git\n"
	"commit, tree), a build per source and config hash, and a test per summary\n"
	"row with its median as the value (status DONE), per capability the kernel\n"
	"lacked (SKIP, with the reason) and per stress scenario (PASS/FAIL). Runs\n"
	"recorded before hmmbench kept the source and config are exported with\n"
	"the release in their place, and misc says so.\n"
	"\n"
	"  --format kcidb    the only format so far\n"
	"  --origin NAME     KCIDB origin, the prefix of every id (default hmmbench;\n"
	"                    [a-z0-9_]+, as KCIDB assigns it to a submitter)\n"
	"  -o, --output FILE write there instead of standard output\n"
	"\n"
	"example:\n"
	"  hmmbench export --format kcidb results -o kcidb.json\n"
	"  kcidb-validate < kcidb.json     # kcidb-io's validator, if installed\n";

static int write_doc(json_t *doc, const char *out)
{
	int ret;

	if (!out || !strcmp(out, "-")) {
		ret = json_dumpf(doc, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
		if (!ret)
			putchar('\n');
		return ret ? -1 : 0;
	}
	ret = json_dump_file(doc, out, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
	if (ret)
		cli_error("cannot write '%s': %s; choose another -o FILE", out, strerror(errno));
	return ret ? -1 : 0;
}

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "origin", required_argument, NULL, 'O' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *format = NULL, *origin = "hmmbench", *out = NULL;
	struct rs_set set = { 0 };
	char err[PATH_MAX + 256];
	json_t *doc;
	int c, ret;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:O:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'O': origin = optarg; break;
		case 'o': out = optarg; break;
		case 'h': fputs(export_usage, stdout); return EXIT_OK;
		default:
			cli_error("unknown option or missing value '%s' for export; see 'hmmbench export --help'",
				  argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (!format) {
		cli_error("export needs --format kcidb; see 'hmmbench export --help'");
		return EXIT_USAGE;
	}
	if (strcmp(format, "kcidb")) {
		cli_error("unknown --format '%s'; the only one is kcidb", format);
		return EXIT_USAGE;
	}
	if (!kcidb_origin_ok(origin)) {
		cli_error("--origin '%s' is not a KCIDB origin: use lower-case letters, digits and '_'", origin);
		return EXIT_USAGE;
	}
	if (optind >= argc) {
		cli_error("export needs a results directory; see 'hmmbench export --help'");
		return EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++)
		if (rs_load_tree(argv[i], &set, err, sizeof(err))) {
			cli_error("%s", err);
			rs_set_free(&set);
			return EXIT_USAGE;
		}
	doc = kcidb_export(&set, origin, err, sizeof(err));
	rs_set_free(&set);
	if (!doc) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	ret = write_doc(doc, out);
	json_decref(doc);
	return ret ? EXIT_FAIL : EXIT_OK;
}
