// SPDX-License-Identifier: GPL-2.0
/*
 * The job keys as documentation, made from the same tables the parser
 * reads: the README's table (`hmmbench run --help-keys`, checked against
 * README.md by tests/unit/test_job_keys.c) and the summary in --help.
 */
#include <stdio.h>
#include <string.h>

#include "backend.h"
#include "bench_ops.h"

/* The keys not in any benchmark's table: they choose the bench and the device. */
static const struct {
	const char *name, *values, *def, *help;
} run_keys[] = {
	{ "bench", NULL, "migrate", "the benchmark the job runs" },
	{ "device", "a device path", "the backend's first node",
	  "[global] only: the device the whole run uses (run --device overrides it)" },
	{ "backend", NULL, "test_hmm",
	  "[global] only: the driver backend the whole run uses (run --backend overrides it)" },
};

/* Calls @fn for each distinct key, in the order benchmarks first declare them. */
static void each_key(void (*fn)(const struct job_key *k, const char *benches, void *arg),
		     void *arg)
{
	const struct job_key *seen[128];
	size_t nseen = 0;

	for (const struct bench_ops *b = bench_first(); b; b = b->next) {
		for (const struct job_key *const *k = b->keys; *k; k++) {
			char benches[128] = "";
			size_t i;

			for (i = 0; i < nseen && strcmp(seen[i]->name, (*k)->name); i++)
				;
			if (i < nseen || nseen == 128)
				continue;
			seen[nseen++] = *k;
			for (const struct bench_ops *o = bench_first(); o; o = o->next)
				if (bench_key(o, (*k)->name))
					snprintf(benches + strlen(benches), sizeof(benches) - strlen(benches),
						 "%s%s", benches[0] ? ", " : "", o->name);
			fn(*k, benches, arg);
		}
	}
}

static void markdown_row(const struct job_key *k, const char *benches, void *arg)
{
	char hint[200], name[80];
	FILE *f = arg;

	snprintf(name, sizeof(name), "`%s`%s%s%s", k->name, k->alias ? " (`" : "",
		 k->alias ? k->alias : "", k->alias ? "`)" : "");
	fprintf(f, "| %s | %s | %s | %s%s%s | %s |\n", name, benches,
		job_key_hint(k, hint, sizeof(hint)), k->def ? "`" : "", k->def ? k->def : "none",
		k->def ? "`" : "", k->help);
}

void job_keys_markdown(FILE *f)
{
	fprintf(f, "| key | taken by | values | default | meaning |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < sizeof(run_keys) / sizeof(run_keys[0]); i++)
		fprintf(f, "| `%s` | every bench | %s | `%s` | %s |\n", run_keys[i].name,
			run_keys[i].values ? run_keys[i].values
			: !strcmp(run_keys[i].name, "bench") ? bench_names() : hmm_backend_names(),
			run_keys[i].def, run_keys[i].help);
	each_key(markdown_row, f);
}

static void summary_line(const struct job_key *k, const char *benches, void *arg)
{
	char left[64];
	FILE *f = arg;

	snprintf(left, sizeof(left), "%s=%s", k->name, k->def ? k->def : "(unset)");
	fprintf(f, "  %-22s %s (%s)\n", left, k->help, benches);
}

void job_keys_summary(FILE *f)
{
	fprintf(f, "Job file keys, with their defaults ('hmmbench run --help-keys' gives the\n"
		"values each takes):\n");
	for (size_t i = 0; i < sizeof(run_keys) / sizeof(run_keys[0]); i++) {
		char left[64];

		snprintf(left, sizeof(left), "%s=%s", run_keys[i].name,
			 !strcmp(run_keys[i].name, "device") ? "PATH" : run_keys[i].def);
		fprintf(f, "  %-22s %s\n", left, run_keys[i].help);
	}
	each_key(summary_line, f);
}
