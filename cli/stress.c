// SPDX-License-Identifier: GPL-2.0
/*
 * hmmbench stress: run the stress scenarios, record what happened, end
 * with a one-line verdict.
 *
 * Records, in DIR/<kernel-release>/<run-id>/records.jsonl after the meta
 * record: per scenario one "sample" per second ({"bench":"stress",
 * "params":{"scenario","threads"},"values":{"ops_per_s"},"ops_by_kind"}),
 * "summary" records of ops/s (total and per "op"), any "kernel-report",
 * "integrity-error", "stress-failure" or "hang" record, and one "stress"
 * record with counts by kind, errors by errno name, pages verified, the
 * seed and the first operations of every thread; "unsupported" for a
 * skipped scenario; last, "end". reproduce.sh repeats the run.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "cli.h"
#include "escape.h"
#include "meta.h"
#include "parse.h"
#include "stress_runner.h"
#include "stress_cli.h"
#include "stress_seeds.h"
#include "summary.h"

static const char stress_usage[] =
	"usage: hmmbench stress [--scenario NAME|all] [--duration 60s] [--seed N | --seeds N|LIST]\n"
	"                       [--threads N] [--watchdog 60s] [-o DIR]\n"
	"                       [--backend NAME] [--device PATH] [--print-ops N]\n"
	"                       [--repro fail|always|never] [--format text|ktap]\n"
	"\n"
	"Runs threads that race migrations to the device and back, CPU faults,\n"
	"device access and VMA changes over a region of THP and 4 KiB chunks. Every\n"
	"page carries a pattern from the seed, its address and a generation, and is\n"
	"checked after every operation that may move it; /dev/kmsg is watched for\n"
	"BUG, WARNING, Oops, KASAN, lockdep, hung-task and RCU-stall reports; an\n"
	"operation taking longer than the watchdog limit is reported as a hang with\n"
	"the kernel stacks of every thread. Any of these fails the run.\n"
	"\n"
	"  --scenario NAME   migrate-fault, vma-churn, fork, pressure, fail-alloc, or\n"
	"                    all (default). Reproducers of lib/test_hmm.c bugs on\n"
	"                    7.2, not in all: fail-alloc-race (FAIL_ALLOC amid other\n"
	"                    threads' migrations: a soft lockup), dev-access-race\n"
	"                    (device READ/WRITE amid them: an Oops), close-evict\n"
	"                    (close with pages on the device: an Oops in copy_page)\n"
	"  --duration D      per scenario: 60s (default), 2m, 1h, 500ms\n"
	"  --seed N          operation and pattern seed (default: from the clock,\n"
	"                    recorded); the same seed gives every thread the same\n"
	"                    sequence of operations\n"
	"  --seeds N|LIST    run the scenarios once per seed: seeds 1 to N, or the\n"
	"                    list (3,42,7); prints which seeds ran clean and which\n"
	"                    tripped what. Seeds after a kernel report are not run\n"
	"                    (that kernel is tainted); other failures go on\n"
	"  --threads N       worker threads, 1-64 (default 4)\n"
	"  --watchdog D      hang limit for one operation (default 60s)\n"
	"  -o, --output DIR  results directory (default $HMMBENCH_RESULTS, else\n"
	"                    ./hmmbench-results)\n"
	"  --backend NAME    driver backend (default test_hmm)\n"
	"  --device PATH     device node (default /dev/hmm_dmirror0)\n"
	"  --print-ops N     print each thread's first N operations (at most 16)\n"
	"  --repro WHEN      write a standalone C reproducer of a scenario's\n"
	"                    operations, per thread, up to its failure: fail\n"
	"                    (default), always, or never. It lands in the run's\n"
	"                    repro-SCENARIO/ (repro.c, repro.json); see 'hmmbench repro'\n"
	"  --format F        text (default) or ktap, for kselftest runners and CI: one\n"
	"                    test per scenario (and seed, with --seeds); a 'not ok'\n"
	"                    is preceded by '# reason:' lines (kernel report kind and\n"
	"                    function, integrity error page and offset, hang thread\n"
	"                    and operation); scenarios not run are SKIPs saying why\n"
	"\n"
	"Scenarios the kernel or machine cannot run (pressure without cgroup v2,\n"
	"fail-alloc without FAIL_ALLOC) are skipped with the reason. Errors the\n"
	"kernel returns under races (EBUSY, ENOENT, ENOMEM, ...) are counted by\n"
	"name and do not fail the run. Exit status: 0 pass (or everything\n"
	"skipped, said in the verdict), 1 failure, 2 bad input, 130 interrupted.\n"
	"\n"
	"example:\n  hmmbench stress --scenario all --duration 60s -o results\n";


static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int parse_duration_flag(const char *flag, const char *arg, uint64_t *ms)
{
	unsigned long long v;

	if (!parse_duration_ms(arg, 86400000ULL, &v)) {
		*ms = v;
		return 0;
	}
	cli_error("%s '%s' is not a positive duration like 60s, 2m, 1h or 500ms (at most 24h)",
		  flag, arg);
	return -1;
}

static int parse_scenario(const char *name)
{
	size_t n;
	const struct stress_scenario *sc = stress_scenarios(&n);
	char list[200] = "";

	if (!strcmp(name, "all") || stress_scenario_find(name))
		return 0;
	for (size_t i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s, ",
			 sc[i].name, sc[i].not_in_all ? " (not in all)" : "");
	cli_error("unknown scenario '%s'; choose one of: %sall", name, list);
	return -1;
}

/*
 * --inject-report SCENARIO:FUNCTION; FUNCTION goes into a kernel-style
 * line, written only in SCENARIO's run (run_seed()).
 */
static int parse_inject_report(const char *arg, struct stress_opts *o)
{
	const char *fn = strchr(arg, ':');
	size_t fn_len = fn ? strlen(fn + 1) : 0;
	char name[64];

	if (!fn || fn == arg || !fn_len || fn_len > 64 ||
	    strspn(fn + 1, "abcdefghijklmnopqrstuvwxyz_0123456789") != fn_len) {
		cli_error("--inject-report '%s' must be SCENARIO:FUNCTION (FUNCTION: 1 to 64 of [a-z0-9_])", arg);
		return -1;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(fn - arg), arg);
	if (!strcmp(name, "all")) {
		cli_error("--inject-report needs one scenario, not 'all'");
		return -1;
	}
	if (parse_scenario(name))
		return -1;
	o->inject_report_sc = stress_scenario_find(name);
	o->inject_report_fn = fn + 1;
	return 0;
}

static int parse_opt(int c, struct stress_opts *o)
{
	unsigned long long v;

	switch (c) {
	case 's': o->scenario = optarg; return parse_scenario(optarg);
	case 'o': o->outdir = optarg; return 0;
	case 'd': o->device = optarg; return 0;
	case 'D': o->duration_arg = optarg; return parse_duration_flag("--duration", optarg, &o->duration_ms);
	case 'W': o->watchdog_arg = optarg; return parse_duration_flag("--watchdog", optarg, &o->watchdog_ms);
	case 'C': o->inject_corruption = 1; return 0;
	case 'R':
		if (!strcmp(optarg, "fail"))
			o->write_repro = REPRO_ON_FAIL;
		else if (!strcmp(optarg, "always"))
			o->write_repro = REPRO_ALWAYS;
		else if (!strcmp(optarg, "never"))
			o->write_repro = REPRO_NEVER;
		else
			cli_error("--repro '%s' must be fail, always or never", optarg);
		return strcmp(optarg, "fail") && strcmp(optarg, "always") && strcmp(optarg, "never") ? -1 : 0;
	case 'H': o->inject_hang = 1; return 0;
	case 'I': return parse_inject_report(optarg, o);
	case 'F':
		if (strcmp(optarg, "text") && strcmp(optarg, "ktap")) {
			cli_error("unknown --format '%s'; use text or ktap", optarg);
			return -1;
		}
		o->ktap = !strcmp(optarg, "ktap");
		return 0;
	case 'b':
		o->backend = hmm_backend_find(optarg);
		if (!o->backend)
			cli_error("unknown backend '%s'; known: %s", optarg, hmm_backend_names());
		return o->backend ? 0 : -1;
	case 'S':
		if (cli_parse_uint("--seed", optarg, UINT64_MAX, &v))
			return -1;
		o->seed = v;
		o->seeds[0] = v;
		o->seed_given = 1;
		return 0;
	case 'M': {
		int n = stress_parse_seeds(optarg, o->seeds, STRESS_MAX_SEEDS);

		if (n < 0)
			return -1;
		o->nseeds = (unsigned int)n;
		o->seed = o->seeds[0];
		return 0;
	}
	case 't':
		if (cli_parse_range("--threads", optarg, 1, STRESS_MAX_THREADS, &v))
			return -1;
		o->threads = v;
		return 0;
	case 'p':
		if (cli_parse_uint("--print-ops", optarg, STRESS_FIRST_OPS, &v))
			return -1;
		o->print_ops = v;
		return 0;
	default:
		return -1;
	}
}

static int parse_opts(int argc, char **argv, struct stress_opts *o)
{
	static const struct option opts[] = {
		{ "scenario", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'D' },
		{ "seed", required_argument, NULL, 'S' },
		{ "seeds", required_argument, NULL, 'M' },
		{ "threads", required_argument, NULL, 't' },
		{ "watchdog", required_argument, NULL, 'W' },
		{ "output", required_argument, NULL, 'o' },
		{ "backend", required_argument, NULL, 'b' },
		{ "device", required_argument, NULL, 'd' },
		{ "print-ops", required_argument, NULL, 'p' },
		{ "repro", required_argument, NULL, 'R' },
		{ "format", required_argument, NULL, 'F' },
		/* Test-only detector checks (tests/vm/stress.sh); not in --help. */
		{ "inject-corruption", no_argument, NULL, 'C' },
		{ "inject-hang", no_argument, NULL, 'H' },
		{ "inject-report", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	o->scenario = "all";
	o->outdir = getenv("HMMBENCH_RESULTS") ? getenv("HMMBENCH_RESULTS") : "hmmbench-results";
	o->backend = hmm_backend_find("test_hmm");
	o->seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	o->seeds = calloc(STRESS_MAX_SEEDS, sizeof(*o->seeds));
	if (!o->seeds) {
		cli_error("out of memory");
		return -1;
	}
	o->seeds[0] = o->seed;
	o->duration_arg = "60s";
	o->duration_ms = 60000;
	o->watchdog_arg = "60s";
	o->watchdog_ms = 60000;
	o->threads = 4;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(stress_usage, stdout);
			o->help = 1;
			return 0;
		}
		if (c == '?' || c == ':') {
			cli_error("unknown or incomplete option '%s' for stress; see 'hmmbench stress --help'",
				  argv[optind - 1]);
			return -1;
		}
		if (parse_opt(c, o))
			return -1;
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s'; see 'hmmbench stress --help'", argv[optind]);
		return -1;
	}
	if (o->seed_given && o->nseeds) {
		cli_error("give --seed N or --seeds N|LIST, not both");
		return -1;
	}
	if (!o->nseeds)
		o->nseeds = 1;
	if (!o->device)
		o->device = o->backend->default_paths[0];
	return 0;
}

/* Each scenario opens its own fd; this one only tells the capabilities. */
static int probe_device(struct hmm_dev *dev, const struct stress_opts *o)
{
	int ret = cli_open_device(dev, o->backend, o->device);

	if (!ret)
		hmm_dev_close(dev);
	return ret;
}

static void write_reproducer(const struct rec_writer *w, const struct stress_opts *o)
{
	char path[PATH_MAX + 16], seeds[STRESS_MAX_SEEDS * 21 + 16];
	FILE *f;
	size_t used = 0;

	snprintf(path, sizeof(path), "%s/reproduce.sh", w->dir);
	f = fopen(path, "w");
	if (!f)
		return;
	if (o->nseeds == 1) {
		snprintf(seeds, sizeof(seeds), "--seed %llu", (unsigned long long)o->seed);
	} else {
		used = snprintf(seeds, sizeof(seeds), "--seeds ");
		for (unsigned int i = 0; i < o->nseeds; i++)
			used += snprintf(seeds + used, sizeof(seeds) - used, "%s%llu", i ? "," : "",
					 (unsigned long long)o->seeds[i]);
	}
	/* every word the user gave is quoted for the shell; seeds are digits */
	fputs("#!/bin/sh\n# Repeats this stress run: same scenarios, seeds (so the same operations\n"
	      "# per thread), threads, duration, watchdog and device.\n"
	      "exec hmmbench stress --scenario ", f);
	esc_shell(f, o->scenario);
	fputs(" --duration ", f);
	esc_shell(f, o->duration_arg);
	fprintf(f, " %s --threads %u --watchdog ", seeds, o->threads);
	esc_shell(f, o->watchdog_arg);
	fputs(" --backend ", f);
	esc_shell(f, o->backend->name);
	fputs(" --device ", f);
	esc_shell(f, o->device);
	fputs(" \"$@\"\n", f);
	fclose(f);
	chmod(path, 0755);
}

static json_t *job_json(const struct stress_opts *o)
{
	json_t *seeds = json_array();

	for (unsigned int i = 0; i < o->nseeds; i++)
		json_array_append_new(seeds, json_integer((json_int_t)o->seeds[i]));
	return json_pack("{s:s, s:s, s:s, s:I, s:o, s:I, s:I, s:I}", "backend", o->backend->name,
			 "device", o->device, "scenario", o->scenario, "seed", (json_int_t)o->seed,
			 "seeds", seeds, "threads", (json_int_t)o->threads,
			 "duration_ms", (json_int_t)o->duration_ms, "watchdog_ms", (json_int_t)o->watchdog_ms);
}

static int open_records(struct rec_writer *w, struct stress_opts *o,
			int argc, char **argv)
{
	char run_id[96], err[PATH_MAX + 128], stamp[32];
	struct utsname u;
	char *cmdline;

	uname(&u);
	meta_utc_now(stamp, sizeof(stamp));
	snprintf(run_id, sizeof(run_id), "%s-stress-%d", stamp, (int)getpid());
	if (rec_open_run(w, o->outdir, u.release, run_id, err, sizeof(err))) {
		cli_error("%s", err);
		return -1;
	}
	cmdline = cli_command_line(argc + 1, argv - 1);
	rec_write(w, meta_collect("stress", cmdline, job_json(o)));
	o->command = cmdline;	/* the reproducer says where it came from */
	write_reproducer(w, o);
	return 0;
}


static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

struct seed_outcome {
	char trip[200];		/* empty: clean */
	int ran, tainted, abandon;
};

/* Runs the chosen scenarios with one seed; stops at its first failure. */
static void run_seed(const struct stress_opts *o, uint64_t seed, struct stress_env *env,
		     struct totals *t, struct seed_outcome *out)
{
	size_t n;
	const struct stress_scenario *sc = stress_scenarios(&n);
	char why[260];

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		struct stress_config cfg = {
			.sc = &sc[i], .sc_index = (unsigned int)i, .backend = o->backend,
			.device = o->device, .seed = seed, .threads = o->threads,
			.duration_ms = o->duration_ms, .watchdog_ms = o->watchdog_ms,
			.print_ops = o->print_ops, .inject_corruption = o->inject_corruption,
			.inject_hang = o->inject_hang, .inject_report = o->inject_report_sc == &sc[i] ? o->inject_report_fn : NULL,
			.print_prefix = o->ktap ? "# " : "",
			.write_repro = o->write_repro, .command = o->command,
		};
		struct stress_result r;

		if (!stress_selected(o, &sc[i]))
			continue;
		if (out->trip[0] || interrupted) {
			snprintf(why, sizeof(why), "%s", interrupted ? "interrupted" : "");
			if (!interrupted)
				snprintf(why, sizeof(why), "this seed already tripped %.200s", out->trip);
			stress_ktap_not_run(stdout, o, seed, i, why);
			break;
		}
		if (o->nseeds > 1)
			fprintf(stderr, "hmmbench: seed %llu: %s\n", (unsigned long long)seed, sc[i].name);
		stress_run_scenario(&cfg, env, &r);
		print_result(&cfg, &r);
		if (o->ktap)
			stress_ktap_result(stdout, o, &cfg, &r);
		add_result(t, &cfg, &r);
		out->ran += r.status != STRESS_SKIP;
		if (r.status == STRESS_FAIL)
			trip_name(&cfg, &r, out->trip, sizeof(out->trip));
		out->tainted |= r.kernel_reports > 0;
		out->abandon |= r.abandon;
	}
}

/*
 * Runs the chosen scenarios once per seed. A seed that made the kernel
 * report a bug (or left a worker stuck in it) ends the run: later seeds
 * would run on a tainted kernel, and are listed as not run.
 */
static int run_all(const struct stress_opts *o, struct stress_env *env, struct totals *t,
		   struct seed_tally *tally)
{
	int abandon = 0;
	char why[200] = "";

	summary_print_header(stdout, o->ktap ? "# " : "");
	for (unsigned int i = 0; i < o->nseeds; i++) {
		struct seed_outcome out;

		if (why[0] || interrupted) {
			if (why[0])
				tally->not_run[tally->nnot_run++] = o->seeds[i];
			stress_ktap_not_run(stdout, o, o->seeds[i], 0, why[0] ? why : "interrupted");
			continue;
		}
		run_seed(o, o->seeds[i], env, t, &out);
		if (interrupted && !out.trip[0])
			continue;	/* the later seeds are not run either */
		seed_tally_add(tally, o->seeds[i], out.trip[0] ? out.trip : NULL, !out.ran);
		abandon |= out.abandon;
		if (out.tainted || out.abandon)
			snprintf(why, sizeof(why), "seed %llu %s", (unsigned long long)o->seeds[i],
				 out.tainted ? "made the kernel report a bug (tainted)" :
				 "left a worker stuck in the kernel");
	}
	snprintf(tally->stopped, sizeof(tally->stopped), "%s", why);
	return abandon;
}

int cmd_stress(int argc, char **argv)
{
	struct stress_opts o = { 0 };
	struct kmsg_watch kmsg;
	struct totals t = { 0 };
	struct rec_writer w;
	struct hmm_dev probe;
	char kmsg_why[200] = "", seeds[400];
	struct seed_tally *tally;
	int abandon;

	if (parse_opts(argc, argv, &o))
		return EXIT_USAGE;
	if (o.help)
		return EXIT_OK;
	if (probe_device(&probe, &o))
		return EXIT_FAIL;
	if (open_records(&w, &o, argc, argv))
		return EXIT_USAGE;
	struct stress_env env = { .w = &w, .probe = &probe,
				  .interrupted = &interrupted };

	if (kmsg_watch_start(&kmsg, kmsg_why, sizeof(kmsg_why)))
		fprintf(stderr, "hmmbench: warning: %s; kernel reports will not be seen\n", kmsg_why);
	else
		env.kmsg = &kmsg;
	install_signals();
	if (o.ktap)
		stress_ktap_begin(stdout, &o);
	fprintf(stderr, "hmmbench: stress on %s (%s), seed%s %s; records: %s\n", o.device,
		o.backend->name, o.nseeds == 1 ? "" : "s",
		stress_seeds_str(o.seeds, o.nseeds, seeds, sizeof(seeds)), w.path);
	tally = calloc(1, sizeof(*tally));
	if (!tally) {
		cli_error("out of memory");
		return EXIT_FAIL;
	}
	abandon = run_all(&o, &env, &t, tally);
	if (o.nseeds > 1) {
		json_t *r = rec_new("stress-seeds"), *j = seed_tally_json(tally, o.seeds, o.nseeds);

		json_object_update(r, j);
		json_object_set_new(r, "type", json_string("stress-seeds"));
		json_decref(j);
		rec_write(&w, r);
	}
	write_end(&w, &t);
	if (env.kmsg)
		kmsg_watch_stop(env.kmsg);
	rec_close(&w);
	if (abandon)
		fprintf(stderr, "hmmbench: a worker thread is stuck in the kernel; exiting without waiting for it\n");
	if (o.nseeds > 1)
		seed_tally_print(tally, o.seeds, o.nseeds, o.ktap ? "# " : "");
	print_verdict(&t, &o, kmsg_why, w.dir);
	free(o.command);
	free(o.seeds);
	free(tally);
	if (t.failed)
		return EXIT_FAIL;
	return t.interrupted ? 130 : EXIT_OK;
}
