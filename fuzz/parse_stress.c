// SPDX-License-Identifier: GPL-2.0
/*
 * cli/stress.c keeps its option parser static; the command-line fuzzer
 * (fuzz/fuzz_cmdline.c) calls that very parser by compiling the file here.
 * The linker then takes this object's definitions of the file's other
 * symbols instead of libhmmbench.a's cli/stress.o.
 */
#include "../cli/stress.c"

int fuzz_parse_stress(int argc, char **argv)
{
	struct stress_opts o = { 0 };
	int ret = parse_opts(argc, argv, &o);

	free(o.seeds);
	return ret;
}
