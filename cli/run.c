// SPDX-License-Identifier: GPL-2.0
/* hmmbench run: run a suite, record every sample, print the summary. */
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
#include "meta.h"
#include "migrate.h"
#include "split.h"
#include "summary.h"

static const char run_usage[] =
	"usage: hmmbench run --suite NAME [-o DIR] [--backend NAME] [--device PATH]\n"
	"                    [--seed N] [--iterations N]\n"
	"\n"
	"Runs a built-in suite against a device and writes every sample, as it is\n"
	"measured, to DIR/<kernel-release>/<run-id>/records.jsonl after a metadata\n"
	"record; reproduce.sh beside it repeats the run.\n"
	"\n"
	"  --suite NAME      smoke: a 32 MiB buffer of THPs and one of 4 KiB pages,\n"
	"                    migrated to the device and back 8 times after 1 warm-up,\n"
	"                    every byte verified after every round trip; then 8 MiB\n"
	"                    of THPs migrated 5 times each way with FAIL_ALLOC\n"
	"                    injected (where the kernel has it) to count PMD splits\n"
	"  -o, --output DIR  results directory (default $HMMBENCH_RESULTS, else\n"
	"                    ./hmmbench-results)\n"
	"  --backend NAME    driver backend (default test_hmm)\n"
	"  --device PATH     device node (default /dev/hmm_dmirror0)\n"
	"  --seed N          data pattern seed (default: from the clock, recorded)\n"
	"  --iterations N    measured round trips per job (overrides the suite)\n"
	"\n"
	"Throughput is MB/s (10^6 bytes/s) of the buffer size over the time of the\n"
	"driver call alone; to-dev includes test_hmm's copy back into the bounce\n"
	"buffer. The table gives the median, a distribution-free 95% confidence\n"
	"interval of the median with its exact coverage, and sd/mean.\n"
	"\n"
	"example:\n  hmmbench run --suite smoke -o results\n";

enum job_kind { JOB_MIGRATE, JOB_SPLIT };

struct suite_job {
	enum job_kind kind;
	size_t size;
	enum page_mode mode;
	enum migrate_dir dir;		/* JOB_SPLIT only */
	unsigned int warmup, iterations;
};

static const struct suite_job smoke_jobs[] = {
	{ JOB_MIGRATE, 32UL << 20, PAGES_THP, TO_DEV, 1, 8 },
	{ JOB_MIGRATE, 32UL << 20, PAGES_4K, TO_DEV, 1, 8 },
	{ JOB_SPLIT, 8UL << 20, PAGES_THP, TO_DEV, 0, 5 },
	{ JOB_SPLIT, 8UL << 20, PAGES_THP, TO_SYS, 0, 5 },
};

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

int cli_parse_uint(const char *flag, const char *s, unsigned long long max,
		      unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || !*s || *end || *s == '-' || *out > max) {
		cli_error("%s '%s' is not a number between 0 and %llu", flag, s, max);
		return -1;
	}
	return 0;
}

int run_parse_opts(int argc, char **argv, struct run_opts *o)
{
	static const struct option opts[] = {
		{ "suite", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "backend", required_argument, NULL, 'b' },
		{ "device", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 'S' },
		{ "iterations", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	unsigned long long v;
	int c;

	o->outdir = getenv("HMMBENCH_RESULTS") ? getenv("HMMBENCH_RESULTS") : "hmmbench-results";
	o->backend = hmm_backend_find("test_hmm");
	o->seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "s:o:b:d:S:i:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': o->suite = optarg; break;
		case 'o': o->outdir = optarg; break;
		case 'd': o->device = optarg; break;
		case 'b':
			o->backend = hmm_backend_find(optarg);
			if (!o->backend) {
				cli_error("unknown backend '%s'; known: test_hmm", optarg);
				return -1;
			}
			break;
		case 'S':
			if (cli_parse_uint("--seed", optarg, UINT64_MAX, &v))
				return -1;
			o->seed = v;
			break;
		case 'i':
			if (cli_parse_uint("--iterations", optarg, 100000, &v) || !v) {
				if (!v)
					cli_error("--iterations must be at least 1");
				return -1;
			}
			o->iterations = v;
			break;
		case 'h':
			fputs(run_usage, stdout);
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
	if (!o->suite) {
		cli_error("no suite given; use --suite smoke");
		return -1;
	}
	if (strcmp(o->suite, "smoke")) {
		cli_error("unknown suite '%s'; built-in suites: smoke", o->suite);
		return -1;
	}
	if (!o->device)
		o->device = o->backend->default_paths[0];
	return 0;
}

static json_t *job_json(const struct run_opts *o)
{
	return json_pack("{s:s, s:s, s:I}", "backend", o->backend->name,
			 "device", o->device, "seed", (json_int_t)o->seed);
}

static void write_reproducer(const struct rec_writer *w, const struct run_opts *o)
{
	char path[PATH_MAX + 16];
	FILE *f;

	snprintf(path, sizeof(path), "%s/reproduce.sh", w->dir);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "#!/bin/sh\n# Repeats this run with the same suite, device and data seed.\n"
		"exec hmmbench run --suite %s --backend %s --device %s --seed %llu%s \"$@\"\n",
		o->suite, o->backend->name, o->device, (unsigned long long)o->seed,
		o->iterations ? " --iterations N" : "");
	fclose(f);
	chmod(path, 0755);
}

static void print_migrate_summary(struct rec_writer *w, const struct suite_job *job,
				  const struct migrate_result *res)
{
	for (int d = 0; d < NR_DIRS; d++) {
		struct sample_stats s;
		char label[64], note[80] = "";
		json_t *params = json_pack("{s:I, s:s, s:s}", "size", (json_int_t)job->size,
					   "pages", page_mode_name(job->mode),
					   "direction", migrate_dir_name(d));
		json_t *extra = json_pack("{s:I, s:I}", "samples_whole_pmd",
					  (json_int_t)res->samples_whole_pmd,
					  "thp_formed", (json_int_t)res->thp_formed);

		if (summary_record(w, "migrate", params, "throughput", "MB/s",
				   res->mbps[d], res->n, extra, &s))
			continue;
		if (job->mode == PAGES_THP)
			snprintf(note, sizeof(note), "whole PMDs in %zu/%zu samples",
				 res->samples_whole_pmd, res->n);
		snprintf(label, sizeof(label), "migrate %zuM %s %s", job->size >> 20,
			 page_mode_name(job->mode), migrate_dir_name(d));
		summary_print_row(stdout, label, "MB/s", &s, note);
	}
	fflush(stdout);
}

static void print_split_row(struct rec_writer *w, const struct suite_job *job,
			    const char *metric, const char *unit,
			    const double *x, size_t n, const char *note)
{
	struct sample_stats s;
	char label[64];
	json_t *params = json_pack("{s:I, s:s, s:s}", "size", (json_int_t)job->size,
				   "direction", migrate_dir_name(job->dir),
				   "failure", "injected");

	if (summary_record(w, "split", params, metric, unit, x, n, NULL, &s))
		return;
	snprintf(label, sizeof(label), "split %zuM %s %s", job->size >> 20,
		 migrate_dir_name(job->dir), metric);
	summary_print_row(stdout, label, unit, &s, note);
}

static int run_split_job(struct bench_ctx *ctx, const struct suite_job *sj,
			 unsigned int iterations)
{
	struct split_job job = { sj->size, sj->dir, iterations };
	struct split_result res;
	char note[80];
	int ret;

	ret = bench_split(ctx, &job, &res);
	if (ret == -EOPNOTSUPP) {
		printf("split %zuM %s: unsupported: %s\n", sj->size >> 20,
		       migrate_dir_name(sj->dir), hmm_cap_reason(ctx->dev, HMM_CAP_FAIL_ALLOC));
		split_result_free(&res);
		return 0;
	}
	snprintf(note, sizeof(note), "%zu of %zu PMDs split", res.pmds_split, res.pmds_attempted);
	print_split_row(ctx->out, sj, "split_rate", "ratio", res.split_rate, res.n, note);
	print_split_row(ctx->out, sj, "time_injected", "ms", res.ms_injected, res.n, "with FAIL_ALLOC");
	print_split_row(ctx->out, sj, "time_plain", "ms", res.ms_plain, res.n, "same, no injection");
	split_result_free(&res);
	return ret;
}

static int run_migrate_job(struct bench_ctx *ctx, const struct suite_job *sj,
			   unsigned int iterations)
{
	struct migrate_job job = { sj->size, sj->mode, sj->warmup, iterations };
	struct migrate_result res;
	int ret;

	ret = bench_migrate(ctx, &job, &res);
	print_migrate_summary(ctx->out, sj, &res);
	migrate_result_free(&res);
	return ret;
}

static int run_suite(struct hmm_dev *dev, struct rec_writer *w,
		     const struct run_opts *o)
{
	struct bench_ctx ctx = { .dev = dev, .out = w, .stop = &stop_requested,
				 .seed = o->seed };
	int ret = 0;

	summary_print_header(stdout);
	for (size_t i = 0; i < sizeof(smoke_jobs) / sizeof(smoke_jobs[0]) && !stop_requested; i++) {
		const struct suite_job *sj = &smoke_jobs[i];
		unsigned int iterations = o->iterations ? o->iterations : sj->iterations;

		if (sj->kind == JOB_MIGRATE)
			ret = run_migrate_job(&ctx, sj, iterations);
		else
			ret = run_split_job(&ctx, sj, iterations);
		if (ret)
			break;
	}
	return ret;
}

static void write_end(struct rec_writer *w, json_t *vm_before, int ret)
{
	char end[32];
	json_t *r = rec_new("end");
	json_t *vm_after = meta_counters();

	meta_utc_now(end, sizeof(end));
	json_object_set_new(r, "end", json_string(end));
	json_object_set_new(r, "status", json_string(stop_requested ? "interrupted"
				: ret == -EIO ? "data-mismatch" : ret ? "failed" : "complete"));
	json_object_set_new(r, "counters_delta", meta_counter_delta(vm_before, vm_after));
	json_decref(vm_after);
	rec_write(w, r);
}

static int open_device(struct hmm_dev *dev, const struct run_opts *o)
{
	char msg[600];
	int ret = hmm_dev_open(dev, o->backend, o->device);

	if (!ret)
		return 0;
	if (!strcmp(o->backend->name, "test_hmm") && (ret == -ENOENT || ret == -EACCES))
		cli_explain_missing_test_hmm(-ret, msg, sizeof(msg));
	else
		hmm_dev_strerror(dev, HMM_OP_OPEN, ret, msg, sizeof(msg));
	cli_error("%s", msg);
	hmm_dev_close(dev);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct rec_writer w;
	struct hmm_dev dev;
	char run_id[96], err[PATH_MAX + 128], stamp[32];
	struct utsname u;
	char *cmdline;
	json_t *meta;
	int ret;

	if (run_parse_opts(argc, argv, &o))
		return EXIT_USAGE;
	if (o.help)
		return EXIT_OK;
	if (open_device(&dev, &o))
		return EXIT_FAIL;

	uname(&u);
	meta_utc_now(stamp, sizeof(stamp));
	snprintf(run_id, sizeof(run_id), "%s-%s-%d", stamp, o.suite, (int)getpid());
	if (rec_open_run(&w, o.outdir, u.release, run_id, err, sizeof(err))) {
		cli_error("%s", err);
		hmm_dev_close(&dev);
		return EXIT_USAGE;
	}
	cmdline = cli_command_line(argc + 1, argv - 1);
	meta = meta_collect(o.suite, cmdline, job_json(&o));
	json_t *vm_before = json_incref(json_object_get(meta, "counters"));
	rec_write(&w, meta);
	write_reproducer(&w, &o);
	free(cmdline);

	install_signals();
	fprintf(stderr, "hmmbench: suite %s on %s (%s), seed %llu; records: %s\n",
		o.suite, dev.path, o.backend->name, (unsigned long long)o.seed, w.path);
	ret = run_suite(&dev, &w, &o);
	write_end(&w, vm_before, ret);
	json_decref(vm_before);
	rec_close(&w);
	hmm_dev_close(&dev);
	printf("results: %s\n", w.dir);
	if (stop_requested) {
		fprintf(stderr, "hmmbench: interrupted; every sample measured so far is in %s\n", w.path);
		return 130;
	}
	return ret ? EXIT_FAIL : EXIT_OK;
}
