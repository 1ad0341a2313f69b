// SPDX-License-Identifier: GPL-2.0
/*
 * fault-check: a test-only driver for bench/fault, bench/copyceil and
 * bench/perfctr, run inside a test kernel by tests/vm/fault.sh (hmmbench
 * run owns the real command line). Each --threads entry is one
 * bench_fault() call; records go to --out, a readable summary to stdout.
 *
 *   fault-check --pages thp --threads 1,2,4 --iterations 3 --out /results/f.jsonl
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copyceil.h"
#include "fault.h"
#include "parse.h"
#include "perfctr.h"
#include "summary.h"

struct opts {
	const char *device, *out, *events, *threads;
	struct fault_job job;
	size_t copy_size;
	unsigned int copy_samples;
};

static volatile sig_atomic_t stop;

static void usage_exit(const char *msg)
{
	fprintf(stderr, "fault-check: %s\n"
		"usage: fault-check [--device P] [--size BYTES] [--pages thp|4k] [--threads 1,2,4]\n"
		"  [--access read|write] [--pattern seq|random|strided] [--stride N]\n"
		"  [--sharing disjoint|overlap] [--warmup N] [--iterations N] [--out FILE]\n"
		"  [--events LIST] [--copy-size BYTES] [--copy-samples N]\n", msg);
	exit(2);
}

static unsigned long number(const char *s, const char *what)
{
	unsigned long long v;

	if (parse_uint(s, UINT32_MAX, &v))
		usage_exit(what);
	return v;
}

static size_t size(const char *s, const char *what)
{
	size_t v;

	if (parse_size(s, &v))
		usage_exit(what);
	return v;
}

static unsigned int choice(const struct key_choice *choices, const char *s, const char *what)
{
	unsigned int v;

	if (key_choice_find(choices, s, &v))
		usage_exit(what);
	return v;
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "device", 1, 0, 'd' }, { "size", 1, 0, 's' }, { "pages", 1, 0, 'p' },
		{ "threads", 1, 0, 't' }, { "access", 1, 0, 'a' }, { "pattern", 1, 0, 'P' },
		{ "stride", 1, 0, 'S' }, { "sharing", 1, 0, 'h' }, { "warmup", 1, 0, 'w' },
		{ "iterations", 1, 0, 'i' }, { "out", 1, 0, 'o' }, { "events", 1, 0, 'e' },
		{ "copy-size", 1, 0, 'c' }, { "copy-samples", 1, 0, 'C' }, { 0, 0, 0, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o->device = optarg; break;
		case 's': o->job.size = size(optarg, "bad --size"); break;
		case 'p':
			if (!strcmp(optarg, "thp") || !strcmp(optarg, "4k"))
				o->job.mode = optarg[0] == 't' ? PAGES_THP : PAGES_4K;
			else
				usage_exit("--pages is thp or 4k");
			break;
		case 't': o->threads = optarg; break;
		case 'a':
			o->job.access = choice(fault_access_choices, optarg, "--access is read or write");
			break;
		case 'P':
			o->job.pattern = choice(fault_pattern_choices, optarg,
						"--pattern is seq, random or strided");
			break;
		case 'S': o->job.stride = number(optarg, "bad --stride"); break;
		case 'h':
			o->job.sharing = choice(fault_sharing_choices, optarg,
						"--sharing is disjoint or overlap");
			break;
		case 'w': o->job.warmup = number(optarg, "bad --warmup"); break;
		case 'i': o->job.iterations = number(optarg, "bad --iterations"); break;
		case 'o': o->out = optarg; break;
		case 'e': o->events = optarg; break;
		case 'c': o->copy_size = size(optarg, "bad --copy-size"); break;
		case 'C': o->copy_samples = number(optarg, "bad --copy-samples"); break;
		default: usage_exit("unknown option");
		}
	}
}

static void print_copyceil(const struct copyceil_result *r)
{
	for (size_t m = 0; m < r->nmethods; m++) {
		const struct copyceil_method *cm = &r->method[m];

		printf("copyceil %-10s n=%zu median %.0f MB/s [%.0f, %.0f] sd %.0f first pass %.0f MB/s%s\n",
		       cm->name, cm->n, cm->stats.median, cm->stats.ci_low,
		       cm->stats.ci_high, cm->stats.sd, cm->first_pass_mbps,
		       (int)m == r->best ? "  <- ceiling" : "");
	}
}

static int run_copyceil(struct bench_ctx *ctx, const struct opts *o)
{
	struct copyceil_job cj = { .size = o->copy_size, .samples = o->copy_samples };
	struct copyceil_result cr;
	uint64_t t0 = now_ns();
	int ret = copyceil_measure(ctx, &cj, &cr);

	copyceil_summarise(ctx->out, &cj, &cr);
	print_copyceil(&cr);
	printf("copyceil took %.2f s\n", (now_ns() - t0) / 1e9);
	copyceil_result_free(&cr);
	return ret;
}

static void print_fault(const struct fault_job *j, const struct fault_result *r,
			const struct latency_summary *lat,
			const struct sample_stats *tp, double secs)
{
	char label[64];

	snprintf(label, sizeof(label), "fault %zuM %s T=%u %s %s %s", j->size >> 20,
		 page_mode_name(j->mode), j->threads, fault_access_name(j->access),
		 fault_pattern_name(j->pattern), fault_sharing_name(j->sharing));
	printf("%s: %zu iterations in %.2f s; pages back %zu, faults %zu (device PMDs %zu), contended %zu, kernel faults %zu, left on device %zu%s\n",
	       label, r->n, secs, r->pages_back, r->faults, r->pmd_units,
	       r->ncontended, r->kernel_faults, r->device_after,
	       r->verify_failed ? ", DATA MISMATCH" : "");
	if (tp->n)
		printf("%-30s thrpt  n=%-8zu %10.0f pages/s [%.0f, %.0f] cover %.1f%% sd %.0f\n",
		       label, tp->n, tp->median, tp->ci_low, tp->ci_high,
		       100 * tp->ci_level, tp->sd);
	if (lat->n)
		latency_summary_print(stdout, label, lat);
}

static int run_fault(struct bench_ctx *ctx, const struct opts *o, unsigned int t)
{
	struct fault_job j = o->job;
	struct fault_result r;
	struct latency_summary lat;
	struct sample_stats tp = { 0 };
	struct perfctr_set set = { 0 };
	char err[256];
	uint64_t t0 = now_ns();
	int ret;

	j.threads = t;
	if (o->events && perfctr_open(o->events, &set, err, sizeof(err))) {
		fprintf(stderr, "fault-check: %s\n", err);
		return 2;
	}
	perfctr_start(&set);
	ret = bench_fault(ctx, &j, &r);
	if (o->events) {
		json_t *c = perfctr_stop_read(&set);
		char *s = json_dumps(c, JSON_COMPACT);

		printf("counters T=%u (%s): %s\n", t, perfctr_encoder(), s);
		free(s);
		json_decref(c);
		perfctr_close(&set);
	}
	fault_summarise(ctx->out, &j, &r, &lat, &tp);
	print_fault(&j, &r, &lat, &tp, (now_ns() - t0) / 1e9);
	fault_result_free(&r);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct opts o = {
		.device = "/dev/hmm_dmirror0", .threads = "1",
		.job = { .size = 32UL << 20, .mode = PAGES_THP, .threads = 1,
			 .stride = 1, .warmup = 1, .iterations = 3 },
		.copy_samples = 5,
	};
	struct rec_writer w = { 0 };
	struct hmm_dev dev;
	struct bench_ctx ctx = { .dev = &dev, .out = &w, .stop = &stop, .seed = 1 };
	int ret = 0;

	parse(argc, argv, &o);
	if (o.out && !(w.f = fopen(o.out, "w")))
		usage_exit("cannot open --out file");
	if (o.copy_size && run_copyceil(&ctx, &o))
		ret = 1;
	if (hmm_dev_open(&dev, hmm_backend_find("test_hmm"), o.device)) {
		fprintf(stderr, "fault-check: cannot open %s\n", o.device);
		return 1;
	}
	for (char *list = strdup(o.threads), *tok = strtok(list, ","); tok;
	     tok = strtok(NULL, ","))
		ret |= run_fault(&ctx, &o, number(tok, "bad --threads"));
	hmm_dev_close(&dev);
	if (w.f)
		fclose(w.f);
	return ret;
}
