// SPDX-License-Identifier: GPL-2.0
/*
 * cli/report.c keeps its option parser static; the command-line fuzzer
 * (fuzz/fuzz_cmdline.c) calls that very parser by compiling the file here.
 * The linker then takes this object's definitions of the file's other
 * symbols instead of libhmmbench.a's cli/report.o.
 */
#include "../cli/report.c"

int fuzz_parse_report(int argc, char **argv)
{
	struct report r = { 0 };
	int help = 0;

	return parse_opts(argc, argv, &r, &help);
}
