// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in suites, written as job files so that `hmmbench run --job`
 * users can start from them. This table is the only place that names
 * them: the command line, its help and its errors ask it.
 */
#include <stdio.h>
#include <string.h>

#include "job.h"

static const struct {
	const char *name;
	const char *describe;
	const char *text;
} suites[] = {
	{ "smoke", "a first real measurement, about a minute under TCG",
	  "[migrate]\n"
	  "bench=migrate\nsizes=32M\npages=thp,4k\ndirection=roundtrip\n"
	  "warmup=1\nrepetitions=8\n"
	  "[split-injected]\n"
	  "bench=split\nsizes=8M\ndirection=roundtrip\nfailure=injected\n"
	  "repetitions=5\n" },
	{ "default", "copy ceiling, migrate sweep, fault-back, injected split; within 5 minutes in a 2-vCPU TCG guest",
	  "[copy-ceiling]\n"
	  "bench=copyceil\nsizes=32M\nrepetitions=5\n"
	  "[migrate-sweep]\n"
	  "bench=migrate\nsizes=2M,16M,64M\npages=thp,4k\ndirection=roundtrip\n"
	  "warmup=1\nmin_samples=6\nmax_samples=30\ntarget_ci=5%\nmax_time=15s\n"
	  "[fault-back]\n"
	  "bench=fault\nsizes=16M\npages=thp,4k\nthreads=1,2,4\naccess=write\n"
	  "pattern=seq\nranges=disjoint\nrepetitions=5\n"
	  "[split-injected]\n"
	  "bench=split\nsizes=16M\ndirection=roundtrip\nfailure=injected\n"
	  "min_samples=6\nmax_samples=20\ntarget_ci=5%\nmax_time=15s\n" },
	{ "full", "larger sizes, more threads, fragmented splits: the default's questions at length",
	  "[copy-ceiling]\n"
	  "bench=copyceil\nsizes=256M\nrepetitions=10\n"
	  "[migrate-sweep]\n"
	  "bench=migrate\nsizes=512K,2M,16M,64M,256M\npages=thp,4k\n"
	  "direction=roundtrip\nwarmup=2\nmin_samples=10\nmax_samples=100\n"
	  "target_ci=2%\nmax_time=60s\n"
	  /* fault takes exactly min_samples iterations: it does not adapt. */
	  "[fault-seq]\n"
	  "bench=fault\nsizes=64M\npages=thp,4k\nthreads=1,2,4,8\naccess=write\n"
	  "pattern=seq\nranges=disjoint\nmin_samples=6\n"
	  "[fault-random-overlap]\n"
	  "bench=fault\nsizes=64M\npages=thp,4k\nthreads=1,2,4,8\naccess=read\n"
	  "pattern=random\nranges=overlap\nmin_samples=6\n"
	  "[split-injected]\n"
	  "bench=split\nsizes=64M\ndirection=roundtrip\nfailure=injected\n"
	  "min_samples=10\nmax_time=60s\n"
	  /* bench/jobs/split-fragmented.ini: real order-9 failures. */
	  "[split-fragmented]\n"
	  "bench=split\nsizes=16M\nfailure=fragmented\npressure=0,50,90,100\n"
	  "repetitions=5\n" },
};

#define NR_SUITES (sizeof(suites) / sizeof(suites[0]))

const char *suite_names(void)
{
	static char names[128];

	if (!names[0])
		for (size_t i = 0; i < NR_SUITES; i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
				 i ? ", " : "", suites[i].name);
	return names;
}

const char *suite_text(const char *suite)
{
	for (size_t i = 0; i < NR_SUITES; i++)
		if (!strcmp(suite, suites[i].name))
			return suites[i].text;
	return NULL;
}

void suite_list(FILE *f)
{
	fprintf(f, "Built-in suites ('hmmbench run --suite NAME'):\n");
	for (size_t i = 0; i < NR_SUITES; i++)
		fprintf(f, "  %-8s %s\n", suites[i].name, suites[i].describe);
	fputc('\n', f);
}

int suite_exists(const char *suite)
{
	return suite_text(suite) != NULL;
}

int suite_load(const char *suite, struct job_list *out, char *err, size_t errlen)
{
	const char *text = suite_text(suite);

	if (text)
		return job_parse_string(suite, text, out, err, errlen);
	memset(out, 0, sizeof(*out));
	snprintf(err, errlen, "unknown suite '%s'; built-in suites: %s", suite, suite_names());
	return -1;
}
