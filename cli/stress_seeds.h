/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hmmbench stress over several seeds: which seeds ran clean and which
 * tripped what. A clean verdict is a statement over the seeds it names.
 */
#ifndef HMMBENCH_STRESS_SEEDS_H
#define HMMBENCH_STRESS_SEEDS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define STRESS_MAX_SEEDS 1000
#define STRESS_MAX_TRIPS 32

/*
 * "5" (seeds 1 to 5) or "3,42,7" into @seeds; returns how many, or -1
 * with a one-line error printed.
 */
int stress_parse_seeds(const char *arg, uint64_t *seeds, unsigned int max);
/* "1-5" or "3, 42, 7": the seeds as a short list. */
char *stress_seeds_str(const uint64_t *seeds, unsigned int n, char *buf, size_t len);

struct seed_trip {
	char what[200];		/* "kernel soft-lockup in dmirror_migrate_to_system (vma-churn)" */
	uint64_t seeds[STRESS_MAX_SEEDS];
	unsigned int n;
};

struct seed_tally {
	uint64_t clean[STRESS_MAX_SEEDS], skipped[STRESS_MAX_SEEDS], not_run[STRESS_MAX_SEEDS];
	unsigned int nclean, nskipped, nnot_run;
	struct seed_trip trips[STRESS_MAX_TRIPS];
	unsigned int ntrips, tripped;
	char stopped[200];	/* why the later seeds were not run */
};

/* A seed's outcome: @what is NULL for a clean seed. */
void seed_tally_add(struct seed_tally *t, uint64_t seed, const char *what, int all_skipped);
/* "seeds 1-5: 3 clean (1, 2, 4), 1 tripped: ...", each line after @prefix. */
void seed_tally_print(const struct seed_tally *t, const uint64_t *seeds, unsigned int n,
		      const char *prefix);
json_t *seed_tally_json(const struct seed_tally *t, const uint64_t *seeds, unsigned int n);

#endif
