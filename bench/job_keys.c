// SPDX-License-Identifier: GPL-2.0
/*
 * The job keys most benchmarks take, declared once; each bench_ops lists
 * the ones it takes beside its own. Their values live in struct job.
 */
#include <stddef.h>

#include "job.h"

static const struct key_choice page_choices[] = {
	{ "thp", 1u << PAGES_THP }, { "4k", 1u << PAGES_4K }, { NULL, 0 },
};

static const struct key_choice dir_choices[] = {
	{ "to-dev", 1u << TO_DEV }, { "to-sys", 1u << TO_SYS },
	{ "roundtrip", 1u << TO_DEV | 1u << TO_SYS }, { NULL, 0 },
};

const struct job_key key_sizes = {
	.name = "sizes", .alias = "size", .type = KEY_SIZES, .off = offsetof(struct job, sizes),
	.def = "32M",
	.help = "buffer sizes, one case each",
};

const struct job_key key_pages = {
	.name = "pages", .type = KEY_SET, .off = offsetof(struct job, pages_mask),
	.def = "thp,4k", .choices = page_choices,
	.help = "page sizes, one case each: thp (PMD-sized folios), 4k",
};

const struct job_key key_direction = {
	.name = "direction", .type = KEY_SET, .off = offsetof(struct job, dir_mask),
	.def = "roundtrip", .choices = dir_choices,
	.help = "directions measured: to the device, back to system memory, or both",
};

const struct job_key key_warmup = {
	.name = "warmup", .type = KEY_UINT, .off = offsetof(struct job, warmup),
	.def = "1", .min = 0, .max = 100,
	.help = "unrecorded iterations before the first sample",
};

const struct job_key key_repetitions = {
	.name = "repetitions", .type = KEY_UINT, .off = offsetof(struct job, reps.fixed),
	.min = 1, .max = 100000,
	.help = "exactly this many samples per case, no adaptation (run --iterations sets it for every job)",
};

const struct job_key key_min_samples = {
	.name = "min_samples", .type = KEY_UINT, .off = offsetof(struct job, reps.min_samples),
	.def = "5", .min = 2, .max = 100000,
	.help = "samples at least; a benchmark that does not adapt takes exactly this many unless repetitions is set",
};

const struct job_key key_max_samples = {
	.name = "max_samples", .type = KEY_UINT, .off = offsetof(struct job, reps.max_samples),
	.def = "50", .min = 2, .max = 100000,
	.help = "samples at most, then sampling stops",
};

const struct job_key key_target_ci = {
	.name = "target_ci", .type = KEY_FRACTION, .off = offsetof(struct job, reps.target_ci),
	.def = "2%",
	.help = "sampling stops once the 95% CI of every median is within this fraction of it",
};

const struct job_key key_max_time = {
	.name = "max_time", .type = KEY_DURATION, .off = offsetof(struct job, reps.max_time_s),
	.def = "30s",
	.help = "sampling stops after this much measuring per case",
};
