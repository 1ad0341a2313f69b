// SPDX-License-Identifier: GPL-2.0
/*
 * hmmbench repro try: build the reproducer from its file alone and boot
 * kernels with it, N boots each; every boot is a line in DIR/tries.jsonl,
 * and the hit rate per kernel is the boots that tripped the recorded
 * failure out of the boots made. Boots, not runs within a boot, are the
 * unit: a kernel report taints the kernel that printed it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "meta.h"
#include "repro_cli.h"

const char repro_run_help[] =
	"  --kernel K      a kernel: 6.12, 7.2, 7.3, src:PATH (built and cached by\n"
	"                  scripts/kernel-build; +patch:FILE and +label=NAME pass on)\n"
	"                  or a bzImage path\n"
	"  --flavour F     default or debug, for kernels kernel-build builds\n"
	"  --seconds S     the program's rounds last S seconds per boot (default:\n"
	"                  the recorded run's duration)\n"
	"  --timeout S     kill a guest after S seconds (default: seconds + 180)\n"
	"  --match RE      a boot hits when the kernel's report matches this\n"
	"                  extended regex (default: the recorded report's first\n"
	"                  dmirror_* function) and is of the recorded kind\n"
	"  --kind K        ... or of kind K instead: a kernel report's (Oops, BUG,\n"
	"                  WARNING, KASAN, soft-lockup, RCU-stall, hung-task, ...),\n"
	"                  kernel-report (any of them: the regex alone decides)\n"
	"                  or integrity, signal or hang (the program's own verdict)\n"
	"  --cpus N        guest CPUs (default 2, as recorded in the default guest)\n";

void repro_run_defaults(struct repro_run_opts *o, unsigned int boots)
{
	memset(o, 0, sizeof(*o));
	o->flavour = "default";
	o->boots = boots;
	o->cpus = 2;
}

void repro_run_want(const struct repro *r, const struct repro_run_opts *o, struct repro_want *w)
{
	repro_want_from(r, o->match, w);
	if (o->kind)
		repro_want_set_kind(w, o->kind);	/* checked when parsed */
}

static int uint_arg(const char *flag, const char *v, unsigned int max, unsigned int *out)
{
	unsigned long long x;

	if (cli_parse_uint(flag, v, max, &x))
		return -1;
	if (!x) {
		cli_error("%s must be at least 1", flag);
		return -1;
	}
	*out = (unsigned int)x;
	return 0;
}

int repro_run_opt(int argc, char **argv, int *i, struct repro_run_opts *o)
{
	const char *a = argv[*i];

	if (*i + 1 >= argc)
		return 0;
	if (!strcmp(a, "--boots"))
		return uint_arg(a, argv[++*i], 1000, &o->boots) ? -1 : 1;
	if (!strcmp(a, "--seconds"))
		return uint_arg(a, argv[++*i], 86400, &o->seconds) ? -1 : 1;
	if (!strcmp(a, "--timeout"))
		return uint_arg(a, argv[++*i], 86400, &o->timeout) ? -1 : 1;
	if (!strcmp(a, "--cpus"))
		return uint_arg(a, argv[++*i], 64, &o->cpus) ? -1 : 1;
	if (!strcmp(a, "--match")) {
		o->match = argv[++*i];
		return 1;
	}
	if (!strcmp(a, "--kind")) {
		struct repro_want w;

		o->kind = argv[++*i];
		if (repro_want_set_kind(&w, o->kind)) {
			cli_error("--kind '%s' is not a kernel report kind (Oops, BUG, WARNING, KASAN, soft-lockup, RCU-stall, hung-task, ..., or kernel-report for any) nor integrity, signal or hang",
				  o->kind);
			return -1;
		}
		return 1;
	}
	if (!strcmp(a, "--flavour") || !strcmp(a, "--flavor")) {
		o->flavour = argv[++*i];
		if (strcmp(o->flavour, "default") && strcmp(o->flavour, "debug")) {
			cli_error("--flavour '%s' must be default or debug", o->flavour);
			return -1;
		}
		return 1;
	}
	return 0;
}

int repro_build_in(const struct repro *r, const char *dir, char *bin, size_t len)
{
	char src[PATH_MAX + 16], err[PATH_MAX + 300];

	if (mkdir(dir, 0755) && errno != EEXIST) {
		cli_error("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(src, sizeof(src), "%s/repro.c", dir);
	snprintf(bin, len, "%s/repro", dir);
	if (repro_write_c_file(r, src, err, sizeof(err))) {
		cli_error("%s", err);
		return -1;
	}
	if (repro_build(src, bin, err, sizeof(err))) {
		cli_error("gcc -static -pthread %s failed: %s", src, err);
		return -1;
	}
	return 0;
}

static void append_json(const char *log, json_t *j)
{
	FILE *f = fopen(log, "a");
	char *line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (f && line)
		fprintf(f, "%s\n", line);
	if (f)
		fclose(f);
	free(line);
}

int repro_boot_series(const struct repro_kernel *k, const char *bin, const char *resdir,
		      const struct repro_run_opts *o, const struct repro_want *want,
		      int stop_at_hit, const char *log, const char *label, int *booted)
{
	struct repro_boot_opts bo = {
		.kernel = k->bzimage, .bin = bin, .seconds = o->seconds,
		.timeout = o->timeout ? o->timeout : o->seconds + 180, .cpus = o->cpus,
		.match = want->match,
		/* A hang is the program's to see only if a hang is what is wanted. */
		.watchdog_s = strcmp(want->kind, "hang") ? 0 : 60,
	};
	char dir[PATH_MAX + 32], outcome[200], when[32];
	int hits = 0;

	*booted = 0;
	for (unsigned int n = 1; n <= o->boots; n++) {
		struct repro_boot b;
		int hit;
		json_t *j;

		snprintf(dir, sizeof(dir), "%s/boot-%u", resdir, n);
		bo.resdir = dir;
		if (repro_boot_once(&bo, &b)) {
			cli_error("the guest of %s never ran the reproducer; see %s/console.log and %s/vm-run.log",
				  k->spec, dir, dir);
			repro_boot_free(&b);
			*booted = -1;
			return hits;
		}
		(*booted)++;
		hit = repro_boot_hit(&b, want);
		hits += hit;
		fprintf(stderr, "hmmbench: %s boot %u/%u of %s: %s%s (%.0f s)\n", label, n, o->boots,
			k->release[0] ? k->release : k->spec,
			repro_boot_outcome(&b, outcome, sizeof(outcome)),
			hit ? ": the failure wanted" : "", b.seconds);
		if (log) {
			j = repro_boot_json(&b, k, hit);
			meta_utc_now(when, sizeof(when));
			json_object_set_new(j, "at", json_string(when));
			json_object_set_new(j, "label", json_string(label));
			/* What the kernel's build.json says, not --flavour: a bzImage
			 * path may be either, and one with no build.json is unknown. */
			json_object_set_new(j, "flavour", json_string(k->flavour[0] ? k->flavour :
								     "unknown"));
			json_object_set_new(j, "match", json_string(want->match));
			json_object_set_new(j, "want_kind", json_string(want->report_kind[0] ?
									want->report_kind : want->kind));
			json_object_set_new(j, "program_seconds", json_integer(o->seconds));
			json_object_set_new(j, "results", json_string(dir));
			append_json(log, j);
			json_decref(j);
		}
		repro_boot_free(&b);
		if (hit && stop_at_hit)
			break;
	}
	return hits;
}

static const char try_usage[] =
	"usage: hmmbench repro try DIR --kernel K [--kernel K]... [--boots N]\n"
	"                          [--seconds S] [--timeout S] [--match RE] [--kind K] [--flavour F]\n"
	"\n"
	"Writes DIR/repro.c from DIR/repro.json, builds it with gcc -static -pthread\n"
	"in a directory of its own (so it provably needs nothing else), and boots\n"
	"each kernel N times (default 5) with it under scripts/vm-run. Each boot\n"
	"is a line of DIR/tries.jsonl (kernel, release, source, hit, outcome, the\n"
	"kernel's report); 'hmmbench repro report' reads them. The guests boot\n"
	"with oops=panic, so a boot ends at its first Oops, not at the timeout,\n"
	"and softlockup_all_cpu_backtrace=1, so a soft lockup shows every CPU.\n"
	"\n";

static int parse_try(int argc, char **argv, const char **dir, const char **kernels,
		     unsigned int *nk, struct repro_run_opts *o)
{
	for (int i = 1; i < argc; i++) {
		int r = repro_run_opt(argc, argv, &i, o);

		if (r < 0)
			return -1;
		if (r)
			continue;
		if (!strcmp(argv[i], "--kernel") && i + 1 < argc && *nk < 16) {
			kernels[(*nk)++] = argv[++i];
		} else if (argv[i][0] == '-') {
			cli_error("unknown or incomplete option '%s' for repro try; see 'hmmbench repro try --help'", argv[i]);
			return -1;
		} else if (!*dir) {
			*dir = argv[i];
		} else {
			cli_error("unexpected argument '%s'; one reproducer directory at a time", argv[i]);
			return -1;
		}
	}
	if (!*dir || !*nk) {
		cli_error("give a reproducer directory and at least one --kernel; see 'hmmbench repro try --help'");
		return -1;
	}
	return 0;
}

int cmd_repro_try(int argc, char **argv)
{
	const char *dirarg = NULL, *kernels[16];
	char dir[PATH_MAX], bindir[PATH_MAX + 16], bin[PATH_MAX + 32], log[PATH_MAX + 16];
	char resdir[PATH_MAX + 200], err[1200];
	struct repro_run_opts o;
	struct repro_want want;
	unsigned int nk = 0;
	struct repro r;
	int failed = 0;

	repro_run_defaults(&o, 5);
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("%s%s", try_usage, repro_run_help);
		printf("  --boots N       boots per kernel (default 5)\n\nexample:\n"
		       "  hmmbench repro try results/7.2.13/RUN/repro-dev-access-race --kernel 6.12 --kernel 7.2\n");
		return EXIT_OK;
	}
	if (parse_try(argc, argv, &dirarg, kernels, &nk, &o) || repro_load_arg(dirarg, &r))
		return EXIT_USAGE;
	repro_dir_of(dirarg, dir, sizeof(dir));
	if (!o.seconds)
		o.seconds = r.seconds;
	repro_run_want(&r, &o, &want);
	snprintf(bindir, sizeof(bindir), "%s/build", dir);
	if (repro_build_in(&r, bindir, bin, sizeof(bin))) {
		repro_free(&r);
		return EXIT_FAIL;
	}
	snprintf(log, sizeof(log), "%s/tries.jsonl", dir);
	snprintf(resdir, sizeof(resdir), "%s/tries", dir);
	if (mkdir(resdir, 0755) && errno != EEXIST) {
		cli_error("cannot create %s: %s", resdir, strerror(errno));
		repro_free(&r);
		return EXIT_FAIL;
	}
	fprintf(stderr, "hmmbench: a boot hits when %s%s%s%s%s\n", want.kind,
		want.report_kind[0] ? " of kind " : "", want.report_kind,
		want.match[0] ? " matching " : "", want.match);
	for (unsigned int i = 0; i < nk; i++) {
		struct repro_kernel k;
		int booted, hits;
		time_t now = time(NULL);

		if (repro_kernel_resolve(&k, kernels[i], o.flavour, err, sizeof(err))) {
			cli_error("%s", err);
			failed = 1;
			continue;
		}
		snprintf(resdir, sizeof(resdir), "%s/tries/%s-%ld", dir,
			 k.release[0] ? k.release : "kernel", (long)now);
		mkdir(resdir, 0755);
		hits = repro_boot_series(&k, bin, resdir, &o, &want, 0, log, "try", &booted);
		printf("repro try: %s (%s): %d of %d boots tripped %s%s%s\n", k.release[0] ? k.release : k.spec,
		       k.source_id[0] ? k.source_id : k.bzimage, hits, booted < 0 ? 0 : booted,
		       want.kind, want.match[0] ? " matching " : "", want.match);
		failed |= booted < 0;
	}
	repro_free(&r);
	return failed ? EXIT_FAIL : EXIT_OK;
}
