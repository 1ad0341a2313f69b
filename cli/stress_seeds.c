// SPDX-License-Identifier: GPL-2.0
/* hmmbench stress over several seeds (see stress_seeds.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "stress_seeds.h"

int stress_parse_seeds(const char *arg, uint64_t *seeds, unsigned int max)
{
	unsigned int n = 0;
	const char *p = arg;
	char *end;

	if (!strchr(arg, ',')) {
		unsigned long long count;

		if (cli_parse_uint("--seeds", arg, max, &count))
			return -1;
		if (!count) {
			cli_error("--seeds needs at least 1 seed");
			return -1;
		}
		for (n = 0; n < count; n++)
			seeds[n] = n + 1;
		return (int)n;
	}
	while (*p) {
		unsigned long long v;

		errno = 0;
		v = strtoull(p, &end, 0);
		if (end == p || errno || (*end && *end != ',') || *p == '-') {
			cli_error("--seeds '%s' is neither a count nor a list of seeds like 3,42,7", arg);
			return -1;
		}
		if (n == max) {
			cli_error("--seeds: at most %u seeds", max);
			return -1;
		}
		for (unsigned int i = 0; i < n; i++)
			if (seeds[i] == v) {
				cli_error("--seeds '%s' names seed %llu twice", arg, v);
				return -1;
			}
		seeds[n++] = v;
		p = *end ? end + 1 : end;
	}
	return (int)n;
}

char *stress_seeds_str(const uint64_t *seeds, unsigned int n, char *buf, size_t len)
{
	size_t used = 0;
	int run = n > 2;

	/* 1, 2, ..., N reads as 1-N. */
	for (unsigned int i = 0; i < n && run; i++)
		run = seeds[i] == seeds[0] + i;
	if (run) {
		snprintf(buf, len, "%" PRIu64 "-%" PRIu64, seeds[0], seeds[n - 1]);
		return buf;
	}
	buf[0] = '\0';
	for (unsigned int i = 0; i < n && used + 24 < len; i++)
		used += snprintf(buf + used, len - used, "%s%" PRIu64, i ? ", " : "", seeds[i]);
	if (used + 24 >= len && n)
		snprintf(buf + used, len - used, ", ...");
	return buf;
}

void seed_tally_add(struct seed_tally *t, uint64_t seed, const char *what, int all_skipped)
{
	unsigned int i;

	if (all_skipped) {
		t->skipped[t->nskipped++] = seed;
		return;
	}
	if (!what) {
		t->clean[t->nclean++] = seed;
		return;
	}
	t->tripped++;
	for (i = 0; i < t->ntrips; i++)
		if (!strcmp(t->trips[i].what, what))
			break;
	if (i == t->ntrips) {
		if (t->ntrips == STRESS_MAX_TRIPS)
			i = STRESS_MAX_TRIPS - 1;	/* the last one collects the rest */
		else
			snprintf(t->trips[t->ntrips++].what, sizeof(t->trips[0].what), "%s", what);
	}
	t->trips[i].seeds[t->trips[i].n++] = seed;
}

void seed_tally_print(const struct seed_tally *t, const uint64_t *seeds, unsigned int n,
		      const char *prefix)
{
	char buf[400];

	printf("%sstress seeds %s: %u clean", prefix, stress_seeds_str(seeds, n, buf, sizeof(buf)), t->nclean);
	if (t->nclean)
		printf(" (%s)", stress_seeds_str(t->clean, t->nclean, buf, sizeof(buf)));
	printf(", %u tripped a failure", t->tripped);
	if (t->nskipped)
		printf(", %u skipped everything", t->nskipped);
	if (t->nnot_run)
		printf(", %u not run (%s): %s", t->nnot_run,
		       stress_seeds_str(t->not_run, t->nnot_run, buf, sizeof(buf)), t->stopped);
	printf("\n");
	for (unsigned int i = 0; i < t->ntrips; i++)
		printf("%s  %u seed%s tripped %s: seed%s %s\n", prefix, t->trips[i].n, t->trips[i].n == 1 ? "" : "s",
		       t->trips[i].what, t->trips[i].n == 1 ? "" : "s",
		       stress_seeds_str(t->trips[i].seeds, t->trips[i].n, buf, sizeof(buf)));
}

static json_t *seed_array(const uint64_t *s, unsigned int n)
{
	json_t *a = json_array();

	for (unsigned int i = 0; i < n; i++)
		json_array_append_new(a, json_integer((json_int_t)s[i]));
	return a;
}

json_t *seed_tally_json(const struct seed_tally *t, const uint64_t *seeds, unsigned int n)
{
	json_t *r = json_pack("{s:s, s:o, s:o, s:o, s:o}", "type", "stress-seeds",
			      "seeds", seed_array(seeds, n), "clean", seed_array(t->clean, t->nclean),
			      "skipped", seed_array(t->skipped, t->nskipped),
			      "not_run", seed_array(t->not_run, t->nnot_run));
	json_t *trips = json_array();

	for (unsigned int i = 0; i < t->ntrips; i++)
		json_array_append_new(trips, json_pack("{s:s, s:o}", "what", t->trips[i].what,
						       "seeds", seed_array(t->trips[i].seeds, t->trips[i].n)));
	json_object_set_new(r, "tripped", trips);
	if (t->stopped[0])
		json_object_set_new(r, "stopped", json_string(t->stopped));
	return r;
}
