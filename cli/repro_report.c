// SPDX-License-Identifier: GPL-2.0
/*
 * hmmbench repro report: a draft of the mail a kernel list expects, from
 * a reproducer directory: the subject, the kernels tried and which failed
 * (DIR/tries.jsonl, written by 'repro try'), the config, the kernel's
 * report with its faulting function, the reproducer and how to run it,
 * and per Debian version how many boots tripped it.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compare.h"
#include "repro_cli.h"
#include "repro_console.h"

#define MAX_KERNELS 32

struct tried {
	char release[128], source[512], flavour[16], config[PATH_MAX];
	unsigned int boots, hits;
	unsigned int seconds;	/* the program's seconds per boot, as tried: the most */
	unsigned int min_seconds;	/* and the fewest, where boots differed */
	char *report;		/* the first report of a boot that hit */
	char outcomes[256];	/* what the other boots saw */
};

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static struct tried *find_tried(struct tried *t, unsigned int *n, json_t *boot)
{
	const char *release = jstr(boot, "release"), *source = jstr(boot, "source_id");
	const char *flavour = jstr(boot, "flavour");

	for (unsigned int i = 0; i < *n; i++)
		if (!strcmp(t[i].release, release) && !strcmp(t[i].source, source) &&
		    !strcmp(t[i].flavour, flavour))
			return &t[i];
	if (*n == MAX_KERNELS)
		return NULL;
	memset(&t[*n], 0, sizeof(t[*n]));
	snprintf(t[*n].release, sizeof(t[*n].release), "%s", release);
	snprintf(t[*n].source, sizeof(t[*n].source), "%s", source);
	snprintf(t[*n].flavour, sizeof(t[*n].flavour), "%s", flavour);
	snprintf(t[*n].config, sizeof(t[*n].config), "%s", jstr(boot, "bzimage"));
	if (strrchr(t[*n].config, '/'))
		strcpy(strrchr(t[*n].config, '/'), "/config");
	return &t[(*n)++];
}

static unsigned int read_tries(const char *dir, struct tried *t)
{
	char path[PATH_MAX + 16], *line = NULL;
	unsigned int n = 0;
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tries.jsonl", dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0) {
		json_t *b = json_loads(line, 0, NULL);
		struct tried *k = b ? find_tried(t, &n, b) : NULL;

		if (k) {
			json_int_t secs = json_integer_value(json_object_get(b, "program_seconds"));

			k->boots++;
			if (secs > 0 && (unsigned int)secs > k->seconds)
				k->seconds = (unsigned int)secs;
			if (secs > 0 && (!k->min_seconds || (unsigned int)secs < k->min_seconds))
				k->min_seconds = (unsigned int)secs;
			if (json_is_true(json_object_get(b, "hit"))) {
				k->hits++;
				if (!k->report && json_string_value(json_object_get(b, "report")))
					k->report = strdup(jstr(b, "report"));
			} else if (strlen(k->outcomes) + 40 < sizeof(k->outcomes)) {
				snprintf(k->outcomes + strlen(k->outcomes),
					 sizeof(k->outcomes) - strlen(k->outcomes), "%s%s",
					 k->outcomes[0] ? ", " : "", jstr(b, "outcome"));
			}
		}
		json_decref(b);
	}
	free(line);
	fclose(f);
	return n;
}

/* The report's first line, shorn of the CPU, task and address details. */
static void headline(const char *report, char *buf, size_t len)
{
	const char *s = report ? report : "";
	size_t n = strcspn(s, "\n");
	const char *cut[] = { " for address", " - CPU#", ": 0000 [#", " at ", " in:", "\t" };

	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		const char *p = strstr(s, cut[i]);

		if (p && (size_t)(p - s) < n)
			n = (size_t)(p - s);
	}
	if (!strncmp(s, "watchdog: ", 10)) {
		s += 10;
		n -= 10;
	}
	snprintf(buf, len, "%.*s", (int)n, s);
}

/*
 * The subject names what the quoted report shows: its first line, the
 * function it faulted in and the first dmirror_* function of its stack.
 * A report recorded by stress may start with a driver's message ("Huh
 * VM_FAULT_OOM leaked out ..."), so a boot's report is preferred.
 */
static void print_subject(FILE *out, const char *report, const char *release, const char *rip,
			  const char *fn)
{
	char head[160];

	headline(report, head, sizeof(head));
	fprintf(out, "Subject: [BUG] lib/test_hmm: %s", head);
	if (rip && *fn && strcmp(rip, fn))
		fprintf(out, " in %s", rip);
	if (*fn)
		fprintf(out, " via %s", fn);
	fprintf(out, " (%s)\n\n", release);
}

static void print_kernels(FILE *out, const struct tried *t, unsigned int n, unsigned int seconds)
{
	static const char *const matrix[] = { "6.12", "7.2", "7.3" };
	int same = 1;

	/* Kernels tried for different lengths each say their own. */
	for (unsigned int i = 0; i < n; i++)
		same &= !t[i].seconds || (t[i].seconds == seconds && t[i].min_seconds == seconds);
	if (same)
		fprintf(out, "Kernels tried (boots that tripped it / boots; each boot a fresh qemu guest\n"
			"running the reproducer for %u s):\n", seconds);
	else
		fprintf(out, "Kernels tried (boots that tripped it / boots, and the reproducer's seconds\n"
			"per boot; each boot a fresh qemu guest):\n");
	for (unsigned int i = 0; i < n; i++) {
		char secs[32] = "";

		if (!same && t[i].min_seconds && t[i].min_seconds != t[i].seconds)
			snprintf(secs, sizeof(secs), " in %u-%u s", t[i].min_seconds, t[i].seconds);
		else if (!same)
			snprintf(secs, sizeof(secs), " in %u s", t[i].seconds);
		fprintf(out, "  %-12s %-44s %-7s %u/%u%s%s%s\n", t[i].release, t[i].source,
			t[i].flavour, t[i].hits, t[i].boots, secs,
			t[i].outcomes[0] ? "  others: " : "", t[i].outcomes);
	}
	for (size_t m = 0; m < sizeof(matrix) / sizeof(matrix[0]); m++) {
		int seen = 0;

		for (unsigned int i = 0; i < n; i++)
			seen |= !strncmp(t[i].release, matrix[m], strlen(matrix[m])) &&
				t[i].release[strlen(matrix[m])] == '.';
		if (!seen)
			fprintf(out, "  %-12s not tried\n", matrix[m]);
	}
	fprintf(out, "  mainline     not tried (no upstream tree was booted)\n\n");
}

static void print_config(FILE *out, const struct tried *t, unsigned int n)
{
	static const char *const opts[] = {
		"CONFIG_TEST_HMM", "CONFIG_DEVICE_PRIVATE", "CONFIG_ZONE_DEVICE",
		"CONFIG_HMM_MIRROR", "CONFIG_TRANSPARENT_HUGEPAGE", "CONFIG_MIGRATION",
		"CONFIG_SMP", "CONFIG_NR_CPUS", "CONFIG_PREEMPT", "CONFIG_PREEMPT_NONE",
		"CONFIG_KASAN", "CONFIG_DEBUG_VM", "CONFIG_PROVE_LOCKING", "CONFIG_DEBUG_PAGEALLOC",
	};
	const struct tried *k = NULL;
	char line[256];
	FILE *f;

	for (unsigned int i = 0; i < n && !k; i++)
		if (t[i].hits)
			k = &t[i];
	if (!k && n)
		k = &t[0];
	fprintf(out, "Config: 'make tinyconfig' plus hmmbench's scripts/kconfig/test-hmm.fragment\n");
	if (!k || !(f = fopen(k->config, "r"))) {
		fprintf(out, "(the .config was not found beside the kernel image)\n\n");
		return;
	}
	fprintf(out, "(%s flavour); full .config attached (%s). Relevant options:\n", k->flavour, k->config);
	while (fgets(line, sizeof(line), f))
		for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			if (!strncmp(line, opts[i], strlen(opts[i])) && line[strlen(opts[i])] == '=')
				fprintf(out, "  %s", line);
	fclose(f);
	fputc('\n', out);
}

static void print_indented(FILE *out, const char *text, size_t max_lines)
{
	for (size_t lines = 0; *text && lines < max_lines; lines++) {
		size_t n = strcspn(text, "\n");

		fprintf(out, "  %.*s\n", (int)n, text);
		text += n + (text[n] == '\n');
	}
}

static void print_repro(FILE *out, const struct repro *r, const char *dir)
{
	json_int_t from = json_integer_value(json_object_get(r->origin, "recorded_ops"));
	char buf[96];

	fprintf(out, "Reproducer: repro.c, attached (%s/repro.c), one file that needs only a C\n"
		"library; the test_hmm uapi is inlined. As root, on a kernel with CONFIG_TEST_HMM=y:\n"
		"  gcc -static -pthread -O2 -o repro repro.c\n  ./repro -t %u\n", dir, r->seconds);
	if (r->written) {
		cmp_put_wrapped(out, "Its operations were written by hand, not recorded: ", "",
				json_string_value(r->written));
		fprintf(out, "It runs %zu operations in %u thread%s (the failure itself was recorded by\n"
			"hmmbench stress, scenario %s, seed %llu)", repro_total_ops(r), r->nthreads,
			r->nthreads == 1 ? "" : "s", r->scenario, (unsigned long long)r->seed);
	} else {
		fprintf(out, "It replays %zu operations in %u thread%s, recorded by hmmbench stress (scenario\n"
			"%s, seed %llu)", repro_total_ops(r), r->nthreads, r->nthreads == 1 ? "" : "s",
			r->scenario, (unsigned long long)r->seed);
	}
	if (r->written && repro_minimized_from(r))
		fprintf(out, " and minimized from %s in %zu steps", repro_minimized_from(r),
			json_array_size(r->steps));
	else if (r->steps && json_array_size(r->steps))
		fprintf(out, " and minimized from %lld operations in %zu steps",
			(long long)from, json_array_size(r->steps));
	/* keep_open: one open for all rounds, the close (and its eviction) at exit. */
	fprintf(out, ", in rounds%s: %smap a %u MiB region,\n"
		"run every thread's list, %s%s, %s every page.\n",
		r->keep_open ? " (/dev/hmm_dmirror0 stays open, closed once at exit)" : "",
		r->keep_open ? "" : "open /dev/hmm_dmirror0, ", r->nchunks * 2,
		r->evict_on_close ? "leave the pages on the device" : "migrate the region back",
		r->keep_open ? "" : " and close the device",
		r->page_checks ? "check" : "touch (not check)");
	if (repro_total_ops(r) > 40)
		return;
	fprintf(out, "Each thread's operations (repeated for as many as the recorded thread ran):\n");
	for (unsigned int t = 0; t < r->nthreads; t++)
		for (size_t i = 0; i < r->threads[t].n; i++)
			fprintf(out, "  thread %u #%zu: %s\n", t, i,
				repro_op_str(&r->threads[t].ops[i], buf, sizeof(buf)));
}

static void print_debian(FILE *out, const struct tried *t, unsigned int n)
{
	fprintf(out, "\nReproduced per Debian kernel source (boots that tripped it):\n");
	for (unsigned int i = 0; i < n; i++) {
		const char *pkg = strncmp(t[i].source, "debian:", 7) ? NULL : t[i].source + 7;

		fprintf(out, "  %-44s %-7s %u of %u boots\n", pkg ? pkg : t[i].source,
			t[i].flavour, t[i].hits, t[i].boots);
	}
	if (!n)
		fprintf(out, "  (no boots recorded: run 'hmmbench repro try DIR --kernel 7.2 ...')\n");
}

static void draft(FILE *out, const struct repro *r, const char *dir, struct tried *t, unsigned int n)
{
	const char *report = NULL, *fn = jstr(r->failure, "function"), *rip, *release;
	unsigned int secs = 0, hit = n;
	char key[128], riptext[128] = "";
	json_t *fns;

	for (unsigned int i = 0; i < n && hit == n; i++)
		if (t[i].report)
			hit = i;
	report = hit < n ? t[hit].report : jstr(r->failure, "report");
	release = hit < n ? t[hit].release : jstr(r->origin, "kernel_release");
	fns = *report ? repro_report_functions(report) : NULL;
	if (fns && repro_key_function(fns, key, sizeof(key)))
		fn = key;
	rip = json_string_value(json_array_get(fns, 0));
	if (rip)
		snprintf(riptext, sizeof(riptext), "%.*s", (int)strcspn(rip, "."), rip);
	print_subject(out, *report ? report : jstr(r->failure, "summary"), release,
		      *riptext ? riptext : NULL, fn);
	json_decref(fns);
	fprintf(out, "Hi,\n\nhmmbench's stress test of device-private memory migration trips this from\n"
		"user space through lib/test_hmm.c's ioctls alone%s%s.\n\n", *fn ? "; the report names " : "", fn);
	/* The seconds the boots ran the program for, not the recorded run's. */
	for (unsigned int i = 0; i < n; i++)
		if (t[i].seconds > secs)
			secs = t[i].seconds;
	print_kernels(out, t, n, secs ? secs : r->seconds);
	print_config(out, t, n);
	fprintf(out, "The kernel's report%s:\n", hit == n ?
		" (when the run was recorded)" : " (a boot of the reproducer)");
	print_indented(out, *report ? report : jstr(r->failure, "summary"), 80);
	fputc('\n', out);
	print_repro(out, r, dir);
	print_debian(out, t, n);
	fprintf(out, "\n[draft by 'hmmbench repro report'; add the analysis and a Signed-off-by]\n");
}

int cmd_repro_report(int argc, char **argv)
{
	const char *dirarg = NULL, *outpath = NULL;
	struct tried tried[MAX_KERNELS];
	char dir[PATH_MAX];
	unsigned int n;
	struct repro r;
	FILE *out = stdout;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: hmmbench repro report DIR [-o FILE]\n"
			       "A draft bug report from DIR/repro.json and DIR/tries.jsonl ('hmmbench repro\n"
			       "try'): subject, kernels tried and which failed, the config, the kernel's\n"
			       "report, the reproducer and how to run it, hit rates per Debian version.\n"
			       "example:\n  hmmbench repro report results/7.2.13/RUN/repro-close-evict/min\n");
			return EXIT_OK;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			outpath = argv[++i];
		} else if (argv[i][0] == '-' || dirarg) {
			cli_error("unexpected argument '%s'; see 'hmmbench repro report --help'", argv[i]);
			return EXIT_USAGE;
		} else {
			dirarg = argv[i];
		}
	}
	if (!dirarg) {
		cli_error("no reproducer directory given; see 'hmmbench repro report --help'");
		return EXIT_USAGE;
	}
	if (repro_load_arg(dirarg, &r))
		return EXIT_USAGE;
	repro_dir_of(dirarg, dir, sizeof(dir));
	n = read_tries(dir, tried);
	if (outpath && !(out = fopen(outpath, "w"))) {
		cli_error("cannot write %s", outpath);
		repro_free(&r);
		return EXIT_FAIL;
	}
	draft(out, &r, dir, tried, n);
	if (out != stdout)
		fclose(out);
	for (unsigned int i = 0; i < n; i++)
		free(tried[i].report);
	repro_free(&r);
	return EXIT_OK;
}
