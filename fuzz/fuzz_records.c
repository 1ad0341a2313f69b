// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the records reader: each input is one records.jsonl.
 * It is loaded as a run (results/reader.c over rec_read_file) and, when it
 * loads, compared against itself and printed, so that grouping, the U test
 * and the text table all see what the reader lets through.
 *
 *   make fuzz-records [FUZZ_TIME=60]
 *
 * Inputs that crash are written to fuzz-crashes/ in the build directory;
 * copy them into tests/fixtures/fuzz-regress/, where test_reader.c replays
 * them on every 'make check'.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "compare.h"
#include "reader.h"

static void exercise(struct rs_run *run)
{
	static const struct cmp_opts opts = { 0.05, 0.05 };
	struct rs_set set = { run, 1 };
	struct cmp_side *sides;
	struct cmp_table t;
	size_t n;
	FILE *null;

	if (cmp_sides(&set, "fuzz", &sides, &n))
		return;
	null = fopen("/dev/null", "w");
	if (n && !cmp_build(&sides[0], &sides[0], &opts, &t) && null)
		cmp_print(null, &t, &opts);
	if (n)
		cmp_table_free(&t);
	if (null)
		fclose(null);
	cmp_sides_free(sides, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	char path[64], err[1024];
	struct rs_run run;

	if (fd < 0)
		fd = memfd_create("records.jsonl", 0);
	if (fd < 0 || ftruncate(fd, 0) < 0 ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (rs_load_file(path, "fuzz/7.2.13/run", &run, err, sizeof(err)))
		return 0;
	exercise(&run);
	rs_run_free(&run);
	return 0;
}
