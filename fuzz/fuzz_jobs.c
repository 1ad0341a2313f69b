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
#include "bench_ops.h"
#include "job.h"

#define NAME "fuzz.ini"

/* The value of key @k in @j keeps what the key's table entry declares. */
static void check_key(const struct job *j, const struct job_key *k)
{
	const void *f = job_key_field(j, k);
	unsigned int all = 0;

	switch (k->type) {
	case KEY_UINT:
		/* A key with no default (repetitions) is 0 where the file left it out. */
		fuzz_require((!k->def && !*(const unsigned int *)f) ||
			     (*(const unsigned int *)f >= k->min && *(const unsigned int *)f <= k->max),
			     "a number within its key's range");
		break;
	case KEY_BOOL:
		fuzz_require(*(const int *)f == 0 || *(const int *)f == 1, "a bool is 0 or 1");
		break;
	case KEY_FRACTION:
		fuzz_require(*(const double *)f > 0 && *(const double *)f < 1, "a fraction in (0, 1)");
		break;
	case KEY_DURATION:
		fuzz_require(isfinite(*(const double *)f) && *(const double *)f > 0,
			     "a duration is finite and positive");
		break;
	case KEY_CHOICE:
	case KEY_SET:
		for (const struct key_choice *c = k->choices; c->name; c++)
			all |= c->value;
		fuzz_require(k->type == KEY_CHOICE || *(const unsigned int *)f,
			     "a set names something");
		fuzz_require(k->type == KEY_CHOICE || !(*(const unsigned int *)f & ~all),
			     "a set holds only its choices");
		break;
	case KEY_SIZES: {
		const struct size_list *l = f;

		fuzz_require(l->n >= 1 && l->n <= JOB_MAX_LIST, "1..16 sizes");
		for (unsigned int i = 0; i < l->n; i++)
			fuzz_require(l->v[i] && !(l->v[i] % 4096) && l->v[i] <= 1ULL << 40,
				     "a size is a positive multiple of 4 KiB, at most 1 TiB");
		break;
	}
	case KEY_UINTS: {
		const struct uint_list *l = f;

		fuzz_require(l->n >= 1 && l->n <= JOB_MAX_LIST, "1..16 numbers in a list");
		for (unsigned int i = 0; i < l->n; i++)
			fuzz_require(l->v[i] >= k->min && l->v[i] <= k->max,
				     "a list's numbers within its key's range");
		break;
	}
	case KEY_STRING:
		fuzz_require(strlen(f) <= k->max, "a string within its length");
		break;
	}
}

static void check_job(const struct job_list *l, size_t i)
{
	const struct job *j = &l->jobs[i];

	fuzz_require(j->name[0] && strlen(j->name) < sizeof(j->name), "a job has a name");
	for (size_t k = 0; k < i; k++)
		fuzz_require(strcmp(j->name, l->jobs[k].name), "job names are unique");
	fuzz_require(j->bench && bench_find(j->bench->name) == j->bench, "a job has a benchmark");
	for (const struct job_key *const *k = j->bench->keys; *k; k++)
		check_key(j, *k);
	fuzz_require(!job_takes(j, "max_samples") || j->reps.fixed ||
		     (j->reps.min_samples >= 2 && j->reps.min_samples <= j->reps.max_samples),
		     "2 <= min_samples <= max_samples");
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
