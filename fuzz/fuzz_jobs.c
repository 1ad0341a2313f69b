// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for job files: each input is the text of one INI job
 * file, parsed by job_parse_string() as 'hmmbench run --job' would. A parse
 * either fails with one line naming the file, or gives jobs that keep every
 * promise bench/ makes of them (checked below); anything else aborts.
 *
 *   make fuzz-jobs [FUZZ_TIME=60]
 *
 * Crashing inputs land in fuzz-crashes/jobs/; keep them in
 * tests/fixtures/fuzz-jobs-regress/, which 'make check' replays.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "job.h"
#include "migrate.h"

#define NAME "fuzz.ini"

static void check_job(const struct job_list *l, size_t i)
{
	const struct job *j = &l->jobs[i];

	fuzz_require(j->name[0] && strlen(j->name) < sizeof(j->name), "a job has a name");
	for (size_t k = 0; k < i; k++)
		fuzz_require(strcmp(j->name, l->jobs[k].name), "job names are unique");
	fuzz_require(j->nsizes >= 1 && j->nsizes <= JOB_MAX_LIST, "1..16 sizes");
	for (unsigned int k = 0; k < j->nsizes; k++)
		fuzz_require(j->sizes[k] && !(j->sizes[k] % 4096) && j->sizes[k] <= 1ULL << 40,
			     "a size is a positive multiple of 4 KiB, at most 1 TiB");
	fuzz_require(j->nthreads >= 1 && j->nthreads <= JOB_MAX_LIST, "1..16 thread counts");
	for (unsigned int k = 0; k < j->nthreads; k++)
		fuzz_require(j->threads[k] >= 1 && j->threads[k] <= 1024, "1..1024 threads");
	fuzz_require(j->pages_mask && !(j->pages_mask & ~(1u << PAGES_THP | 1u << PAGES_4K)),
		     "pages are thp and/or 4k");
	fuzz_require(j->dir_mask && !(j->dir_mask & ~(1u << TO_DEV | 1u << TO_SYS)),
		     "directions are to-dev and/or to-sys");
	fuzz_require(j->npressure >= 1 && j->npressure <= JOB_MAX_LIST, "1..16 pressure levels");
	for (unsigned int k = 0; k < j->npressure; k++)
		fuzz_require(j->pressure[k] <= 100, "pressure is a percentage");
	fuzz_require(j->stride >= 1 && j->stride <= 4096, "stride 1..4096");
	fuzz_require(j->warmup <= 100, "warmup 0..100");
	fuzz_require(j->reps.fixed <= 100000, "repetitions 0..100000");
	fuzz_require(j->reps.fixed || (j->reps.min_samples >= 2 &&
				       j->reps.min_samples <= j->reps.max_samples),
		     "2 <= min_samples <= max_samples");
	fuzz_require(j->reps.target_ci > 0 && j->reps.target_ci < 1, "target_ci in (0, 1)");
	fuzz_require(isfinite(j->reps.max_time_s) && j->reps.max_time_s > 0,
		     "max_time is a finite positive duration");
	fuzz_require(!j->interleave || j->bench == BENCH_MIGRATE, "only migrate interleaves");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct job_list l;
	char err[512];
	char *text;

	if (size > 1 << 16)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	err[0] = '\0';
	if (job_parse_string(NAME, text, &l, err, sizeof(err))) {
		fuzz_require(!l.jobs && !l.n, "a failed parse leaves no jobs");
		fuzz_require(!strncmp(err, NAME ":", strlen(NAME) + 1) && !strchr(err, '\n'),
			     "an error is one line naming the file");
	} else {
		fuzz_require(l.n >= 1, "a parse that succeeds has jobs");
		for (size_t i = 0; i < l.n; i++)
			check_job(&l, i);
		job_list_free(&l);
	}
	free(text);
	return 0;
}
