// SPDX-License-Identifier: GPL-2.0
/* hmmbench run: run jobs (a suite or a job file), record every sample. */
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
#include "job.h"
#include "kinfo.h"
#include "meta.h"
#include "parse.h"
#include "perfctr.h"
#include "runner.h"

static const char run_usage[] =
	"usage: hmmbench run (--suite NAME | --job FILE) [-o DIR] [--backend NAME]\n"
	"                    [--device PATH] [--seed N] [--iterations N]\n"
	"                    [--format text|ktap] [--events LIST] [--label NAME]\n"
	"                    [--help-keys]\n"
	"\n"
	"Runs jobs against a device and writes every sample, as it is measured, to\n"
	"DIR/<kernel-release>/<run-id>/records.jsonl (DIR/<label>/... with --label)\n"
	"after a metadata record; reproduce.sh beside it repeats the run. The\n"
	"metadata holds the kernel's config hash (the config itself is copied to\n"
	"kernel.config), its source, and the patches and fragments it was built\n"
	"with (from scripts/kernel-build's build.json, which scripts/vm-run puts\n"
	"in /etc/hmmbench/kernel/; HMMBENCH_KERNEL_INFO names another directory).\n"
	"\n"
	"  --suite NAME      built-in jobs (the suites below)\n"
	"  --job FILE        an INI job file (fio style; see README 'Job files')\n"
	"  -o, --output DIR  results directory (default $HMMBENCH_RESULTS, else\n"
	"                    ./hmmbench-results)\n"
	"  --backend NAME    driver backend (default: the job file's backend=, else\n"
	"                    test_hmm)\n"
	"  --device PATH     device node (default: the job file's device=, else\n"
	"                    /dev/hmm_dmirror0; GPU backends: the first render node\n"
	"                    of their driver)\n"
	"  --seed N          data pattern seed (default: from the clock, recorded)\n"
	"  --iterations N    exactly N samples per case, no adaptation\n"
	"  --format F        text (default) or ktap, for kselftest runners\n"
	"  --help-keys       every job-file key as a markdown table (the README's)\n"
	"  --events LIST     perf counters per case, e.g. cycles,instructions,\n"
	"                    dTLB-load-misses,page-faults (libpfm4 names; 'list'\n"
	"                    prints them); events this machine cannot count are\n"
	"                    recorded as unavailable with the reason\n"
	"  --label NAME      name this run's kernel: compare, report and matrix group\n"
	"                    runs by label, else by release (letters, digits, . _ + -)\n"
	"\n"
	"Repetitions adapt: at least min_samples, then more until the 95% CI of\n"
	"the median is within target_ci (default 2%) or max_time (30 s) or\n"
	"max_samples runs out; the 'stop' column says which. Throughput is MB/s\n"
	"(10^6 B/s) of the buffer over the driver call alone; to-dev includes\n"
	"test_hmm's copy back into the bounce buffer. The CI is distribution-free\n"
	"(order statistics) with its exact coverage kept in the records.\n"
	"\n"
	"example:\n  hmmbench run --suite smoke -o results\n"
	"  hmmbench run --job sweep.ini --format ktap\n\n";

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int cli_parse_range(const char *flag, const char *s, unsigned long long min,
		    unsigned long long max, unsigned long long *out)
{
	if (parse_uint(s, max, out) || *out < min) {
		cli_error("%s '%s' is not a number between %llu and %llu", flag, s, min, max);
		return -1;
	}
	return 0;
}

int cli_parse_uint(const char *flag, const char *s, unsigned long long max,
		   unsigned long long *out)
{
	return cli_parse_range(flag, s, 0, max, out);
}

static int check_run_opts(struct run_opts *o)
{
	if (o->suite && o->job) {
		cli_error("give --suite or --job, not both");
		return -1;
	}
	if (!o->suite && !o->job) {
		cli_error("no jobs given; use --suite NAME (built-in: %s) or --job FILE",
			  suite_names());
		return -1;
	}
	if (o->suite && !suite_exists(o->suite)) {
		cli_error("unknown suite '%s'; built-in suites: %s", o->suite, suite_names());
		return -1;
	}
	if (strcmp(o->format, "text") && strcmp(o->format, "ktap")) {
		cli_error("unknown --format '%s'; use text or ktap", o->format);
		return -1;
	}
	if (!o->backend)
		o->backend = hmm_backend_find("test_hmm");
	if (!o->device)
		o->device = o->backend->default_paths[0];
	return 0;
}

int run_parse_opts(int argc, char **argv, struct run_opts *o)
{
	static const struct option opts[] = {
		{ "suite", required_argument, NULL, 's' },
		{ "job", required_argument, NULL, 'J' },
		{ "output", required_argument, NULL, 'o' },
		{ "backend", required_argument, NULL, 'b' },
		{ "device", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 'S' },
		{ "iterations", required_argument, NULL, 'i' },
		{ "format", required_argument, NULL, 'f' },
		{ "events", required_argument, NULL, 'e' },
		{ "label", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "help-keys", no_argument, NULL, 'K' },
		{ 0 },
	};
	unsigned long long v;
	int c;

	o->outdir = getenv("HMMBENCH_RESULTS");
	if (!o->outdir || !*o->outdir)
		o->outdir = "hmmbench-results";
	o->seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	o->format = "text";
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "s:J:o:b:d:S:i:f:e:L:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': o->suite = optarg; break;
		case 'J': o->job = optarg; break;
		case 'o': o->outdir = optarg; break;
		case 'd':
			o->device = optarg;
			o->device_given = 1;
			break;
		case 'f': o->format = optarg; break;
		case 'e': o->events = optarg; break;
		case 'L':
			if (!kinfo_label_ok(optarg)) {
				cli_error("--label '%s' must be 1-%d letters, digits, '.', '_', '+' or '-', not starting with '.' or '-'",
					  optarg, KINFO_LABEL_MAX);
				return -1;
			}
			o->label = optarg;
			break;
		case 'b':
			o->backend = hmm_backend_find(optarg);
			o->backend_given = 1;
			if (!o->backend) {
				cli_error("unknown backend '%s'; known: %s", optarg, hmm_backend_names());
				return -1;
			}
			break;
		case 'S':
			if (cli_parse_uint("--seed", optarg, UINT64_MAX, &v))
				return -1;
			o->seed = v;
			break;
		case 'i':
			if (cli_parse_range("--iterations", optarg, 1, 100000, &v))
				return -1;
			o->iterations = v;
			break;
		case 'h':
			fputs(run_usage, stdout);
			suite_list(stdout);
			job_keys_summary(stdout);
			o->help = 1;
			return 0;
		case 'K':
			job_keys_markdown(stdout);
			o->help = 1;
			return 0;
		default:
			cli_error("unknown or incomplete option '%s' for run; see 'hmmbench run --help'",
				  argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s'; see 'hmmbench run --help'", argv[optind]);
		return -1;
	}
	return check_run_opts(o);
}

static int copy_job_file(const char *job, const char *dir)
{
	char path[PATH_MAX + 16], buf[4096];
	FILE *in = fopen(job, "r"), *out;
	size_t n;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/job.ini", dir);
	out = fopen(path, "w");
	if (!in || !out) {
		ret = -1;
		goto out;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			ret = -1;
out:
	if (in)
		fclose(in);
	if (out && fclose(out))
		ret = -1;
	return ret;
}

static void write_reproducer(const struct rec_writer *w, int argc, char **argv,
			     const struct run_opts *o)
{
	char path[PATH_MAX + 16];
	char *cmd = cli_command_line(argc, argv);
	/* A job file is copied beside the records, so the run stays repeatable. */
	const char *job_copy = "\"$(dirname \"$0\")/job.ini\"";
	char *jobs = o->suite ? cli_command_line(1, (char **)&o->suite)
			      : (copy_job_file(o->job, w->dir) ? NULL : strdup(job_copy));
	FILE *f;

	snprintf(path, sizeof(path), "%s/reproduce.sh", w->dir);
	f = fopen(path, "w");
	if (f) {
		/* a comment ends at a newline: the one-line, printable form */
		fputs("#!/bin/sh\n# Repeats this run: same jobs, device and data seed.\n"
		      "# Originally: ", f);
		esc_term(f, cmd ? cmd : "");
		fprintf(f, "\nexec hmmbench run %s %s --backend ", o->suite ? "--suite" : "--job",
			jobs ? jobs : "");
		esc_shell(f, o->backend->name);
		fputs(" --device ", f);
		esc_shell(f, o->device);
		fprintf(f, " --seed %llu", (unsigned long long)o->seed);
		if (o->iterations)
			fprintf(f, " --iterations %u", o->iterations);
		if (o->events) {
			fputs(" --events ", f);
			esc_shell(f, o->events);
		}
		if (o->label) {
			fputs(" --label ", f);
			esc_shell(f, o->label);
		}
		fprintf(f, " \"$@\"\n");
		fclose(f);
		chmod(path, 0755);
	}
	free(cmd);
	free(jobs);
}

static void write_end(struct rec_writer *w, json_t *before, const char *status)
{
	char end[32];
	json_t *r = rec_new("end");
	json_t *after = meta_counters();

	meta_utc_now(end, sizeof(end));
	json_object_set_new(r, "end", json_string(end));
	json_object_set_new(r, "status", json_string(status));
	json_object_set_new(r, "counters_delta", meta_counter_delta(before, after));
	json_decref(after);
	rec_write(w, r);
}

static struct perfctr_set perf_events;

static int open_events(struct run_opts *o)
{
	char err[256];

	if (perfctr_open(o->events, &perf_events, err, sizeof(err))) {
		cli_error("%s", err);
		return -1;
	}
	for (size_t i = 0; i < perf_events.n; i++)
		if (perf_events.ev[i].fd < 0)
			fprintf(stderr, "hmmbench: perf event %s unavailable: %s (recorded as such)\n",
				perf_events.ev[i].name, perf_events.ev[i].reason);
	o->perf = &perf_events;
	return 0;
}

/*
 * The job file's backend= and device= apply where the command line names
 * none; then the backend's own default node.
 */
void run_choose_device(struct run_opts *o, const struct job_list *jobs)
{
	if (!o->backend_given && jobs->backend[0]) {
		o->backend = hmm_backend_find(jobs->backend);
		if (!o->device_given)
			o->device = o->backend->default_paths[0];
	}
	if (!o->device_given && jobs->device[0])
		o->device = jobs->device;
}

static int load_jobs(struct run_opts *o, struct job_list *jobs)
{
	char err[512];
	int ret = o->suite ? suite_load(o->suite, jobs, err, sizeof(err))
			   : job_parse_file(o->job, jobs, err, sizeof(err));

	if (ret) {
		cli_error("%s", err);
		return ret;
	}
	for (size_t i = 0; o->iterations && i < jobs->n; i++)
		jobs->jobs[i].reps.fixed = o->iterations;
	run_choose_device(o, jobs);
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct job_list jobs;
	struct rec_writer w;
	struct hmm_dev dev;
	char run_id[96], err[PATH_MAX + 128], stamp[32];
	struct utsname u;
	json_t *meta, *before;
	char *cmdline;
	int ret;

	if (run_parse_opts(argc, argv, &o))
		return EXIT_USAGE;
	if (o.help)
		return EXIT_OK;
	if (o.events && !strcmp(o.events, "list")) {
		printf("# perf events (%s)\n", perfctr_encoder());
		perfctr_list(stdout);
		return EXIT_OK;
	}
	if (load_jobs(&o, &jobs))
		return EXIT_USAGE;
	if (o.events && open_events(&o)) {
		job_list_free(&jobs);
		return EXIT_USAGE;
	}
	if (cli_open_device(&dev, o.backend, o.device)) {
		job_list_free(&jobs);
		return EXIT_FAIL;
	}
	o.device = dev.path;	/* the node a GPU backend's "auto" chose */
	uname(&u);
	meta_utc_now(stamp, sizeof(stamp));
	snprintf(run_id, sizeof(run_id), "%s-%s-%d", stamp,
		 o.suite ? o.suite : "job", (int)getpid());
	if (rec_open_run(&w, o.outdir, o.label ? o.label : u.release, run_id,
			 err, sizeof(err))) {
		cli_error("%s", err);
		hmm_dev_close(&dev);
		job_list_free(&jobs);
		return EXIT_USAGE;
	}
	cmdline = cli_command_line(argc + 1, argv - 1);
	meta = meta_collect(o.suite ? o.suite : o.job, cmdline,
			    json_pack("{s:s, s:s, s:I}", "backend", o.backend->name,
				      "device", o.device, "seed", (json_int_t)o.seed));
	/* Which kernel this is: config, source, patches, fragments, label. */
	kinfo_add(json_object_get(meta, "kernel"), o.label, w.dir);
	/* What this kernel's device can and cannot do, with the reasons. */
	json_object_set_new(meta, "device", cli_device_json(&dev));
	free(cmdline);
	before = json_incref(json_object_get(meta, "counters"));
	rec_write(&w, meta);
	write_reproducer(&w, argc + 1, argv - 1, &o);

	install_signals();
	fprintf(stderr, "hmmbench: %s on %s (%s), seed %llu; records: %s\n",
		o.suite ? o.suite : o.job, dev.path, o.backend->name,
		(unsigned long long)o.seed, w.path);
	ret = run_jobs(&dev, &w, &jobs, &o, &stop_requested);
	write_end(&w, before, stop_requested ? "interrupted" : ret == -EIO ? "data-mismatch"
		  : ret ? "failed" : "complete");
	json_decref(before);
	rec_close(&w);
	hmm_dev_close(&dev);
	job_list_free(&jobs);
	if (o.perf)
		perfctr_close(o.perf);
	fprintf(stderr, "hmmbench: results in %s\n", w.dir);
	if (stop_requested) {
		fprintf(stderr, "hmmbench: interrupted; every sample measured so far is in %s\n", w.path);
		return 130;
	}
	return ret ? EXIT_FAIL : EXIT_OK;
}
