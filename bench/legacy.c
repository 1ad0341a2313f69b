// SPDX-License-Identifier: GPL-2.0
/* See legacy.h: the tables of benchmarks cli/runner_cases.c still runs. */
#include <stddef.h>
#include <stdio.h>

#include "fault.h"
#include "legacy.h"
#include "migrate.h"

/* fault */

static const struct key_choice access_choices[] = {
	{ "read", FAULT_READ }, { "write", FAULT_WRITE }, { NULL, 0 },
};
static const struct key_choice pattern_choices[] = {
	{ "seq", FAULT_SEQ }, { "random", FAULT_RANDOM }, { "strided", FAULT_STRIDED }, { NULL, 0 },
};
static const struct key_choice sharing_choices[] = {
	{ "disjoint", FAULT_DISJOINT }, { "overlap", FAULT_OVERLAP }, { NULL, 0 },
};

static const struct job_key fault_key_threads = {
	.name = "threads", .type = KEY_UINTS, .in_opts = 1,
	.off = offsetof(struct fault_opts, threads), .def = "1", .min = 1, .max = 1024,
	.help = "CPU threads faulting the buffer back, one case each",
};
static const struct job_key fault_key_access = {
	.name = "access", .type = KEY_CHOICE, .in_opts = 1,
	.off = offsetof(struct fault_opts, access), .def = "read", .choices = access_choices,
	.help = "how each page is touched",
};
static const struct job_key fault_key_pattern = {
	.name = "pattern", .type = KEY_CHOICE, .in_opts = 1,
	.off = offsetof(struct fault_opts, pattern), .def = "seq", .choices = pattern_choices,
	.help = "the order each thread touches its pages in",
};
static const struct job_key fault_key_stride = {
	.name = "stride", .type = KEY_UINT, .in_opts = 1,
	.off = offsetof(struct fault_opts, stride), .def = "16", .min = 1, .max = 4096,
	.help = "pattern=strided: pages between touches",
};
static const struct job_key fault_key_ranges = {
	.name = "ranges", .type = KEY_CHOICE, .in_opts = 1,
	.off = offsetof(struct fault_opts, sharing), .def = "disjoint", .choices = sharing_choices,
	.help = "each thread its own part of the buffer, or every thread all of it",
};

static const struct job_key *const fault_keys[] = {
	&key_sizes, &key_pages, &fault_key_threads, &fault_key_access, &fault_key_pattern,
	&fault_key_stride, &fault_key_ranges, &key_warmup, &key_repetitions, &key_min_samples,
	NULL,
};

static unsigned int fault_cases(const struct job *j)
{
	const struct fault_opts *o = j->opts;

	return j->sizes.n * mask_count(j->pages_mask) * o->threads.n;
}

static void fault_label(const struct job *j, unsigned int i, char *buf, size_t len)
{
	const struct fault_opts *o = j->opts;
	unsigned int nt = o->threads.n, np = mask_count(j->pages_mask);
	char sz[24];

	snprintf(buf, len, "fault %s %s T=%u", size_str(j->sizes.v[i / (nt * np)], sz, sizeof(sz)),
		 page_mode_name(mask_nth(j->pages_mask, i / nt % np)), o->threads.v[i % nt]);
}

static const struct metric_info fault_metrics[] = {
	{ "fault_latency", "ns", BETTER_LOWER, METRIC_TIME,
	  "time of one CPU access that faulted a page back from the device" },
	{ "fault_throughput", "pages/s", BETTER_HIGHER, METRIC_THROUGHPUT,
	  "pages faulted back per second until the whole range was back" },
	{ NULL, NULL, 0, 0, NULL },
};

static struct bench_ops fault_ops = {
	.name = "fault",
	.describe = "concurrent CPU fault-back of device-private memory: latency and throughput",
	.keys = fault_keys,
	.opts_size = sizeof(struct fault_opts),
	.cases = fault_cases,
	.case_label = fault_label,
	.metrics = fault_metrics,
};
BENCH_REGISTER(fault_ops)
