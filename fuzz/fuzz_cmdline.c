// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the command line: each input is one argument vector,
 * words separated by NUL bytes, the first naming the subcommand ("run\0
 * --suite\0smoke"). It goes through that subcommand's real option parser
 * (only the parser: nothing is opened, measured or written) and through
 * cli_command_line(), which quotes it for records and reproduce.sh.
 *
 *   make fuzz-cmdline [FUZZ_TIME=60]
 *
 * Crashing inputs land in fuzz-crashes/cmdline/; keep them in
 * tests/fixtures/fuzz-cmdline-regress/, which 'make check' replays.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz.h"

#define MAX_ARGS 64

/* The parsers cli/compare.c, report.c and stress.c keep static (fuzz/parse_*.c). */
int fuzz_parse_compare(int argc, char **argv);
int fuzz_parse_report(int argc, char **argv);
int fuzz_parse_stress(int argc, char **argv);

static int parse_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	int ret = run_parse_opts(argc, argv, &o);

	/* check_run_opts() promises a device and a backend to whoever runs. */
	if (!ret && !o.help)
		fuzz_require(o.device && o.backend && (!o.suite != !o.job),
			     "a parsed run has a device, a backend and one source of jobs");
	if (!ret && !o.help && o.iterations)
		fuzz_require(o.iterations <= 100000, "iterations 1..100000");
	return ret;
}

static int parse_probe(int argc, char **argv)
{
	struct probe_opts o = { 0 };

	return probe_parse_opts(argc, argv, &o);
}

static const struct {
	const char *name;
	int (*parse)(int argc, char **argv);
} parsers[] = {
	{ "run", parse_run },
	{ "probe", parse_probe },
	{ "compare", fuzz_parse_compare },
	{ "report", fuzz_parse_report },
	{ "stress", fuzz_parse_stress },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[MAX_ARGS + 1], *line;
	int argc = 0;

	if (!size || size > 4096)
		return 0;
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (char *p = buf; p <= buf + size && argc < MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	for (size_t i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++)
		if (!strcmp(argv[0], parsers[i].name)) {
			/* getopt permutes argv: the parser gets a copy. */
			char *copy[MAX_ARGS + 1];

			memcpy(copy, argv, sizeof(copy));
			parsers[i].parse(argc, copy);
			break;
		}
	line = cli_command_line(argc, argv);
	fuzz_require(line, "cli_command_line() quotes any argument vector");
	fuzz_require(!argc || strlen(line) >= strlen(argv[0]), "the quoted line holds every word");
	free(line);
	free(buf);
	return 0;
}
