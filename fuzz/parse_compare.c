// SPDX-License-Identifier: GPL-2.0
/*
 * cli/compare.c keeps its option parser static; the command-line fuzzer
 * (fuzz/fuzz_cmdline.c) calls that very parser by compiling the file here.
 * The linker then takes this object's definitions of the file's other
 * symbols instead of libhmmbench.a's cli/compare.o.
 */
#include "../cli/compare.c"

int fuzz_parse_compare(int argc, char **argv)
{
	struct cmp_opts o = { 0 };
	int help = 0;

	return parse_opts(argc, argv, &o, &help);
}
