// SPDX-License-Identifier: GPL-2.0
/*
 * copyceil's bus case ("copy SIZE bus"): a GPU's migrations are copied by
 * its copy engine across PCIe or NVLink, not by the CPU, so their ceiling
 * is the bus. The backend times pinned host-to-device and device-to-host
 * copies by that engine (hmm_dev_copy_bus(): cuMemcpy*Async for
 * nvidia-uvm); every copy is a sample record, method "bus-to-dev" or
 * "bus-to-sys", and each direction's median is kept in ctx->bus_mbps[] so
 * the migrations after it are also fractions of it ("bus_fraction").
 * A backend that cannot make such copies (test_hmm: its device memory is
 * system RAM copied by the CPU) makes the case "unsupported" with the
 * backend's one-line reason; nothing is recorded as a number then.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "copyceil.h"
#include "summary.h"

#define NR_BUS_DIRS 2

static const char *const bus_method[NR_BUS_DIRS] = {
	[HMM_COPY_TO_DEV] = "bus-to-dev",
	[HMM_COPY_TO_SYS] = "bus-to-sys",
};

static const char *const bus_suffix[NR_BUS_DIRS] = {
	[HMM_COPY_TO_DEV] = "to-dev",
	[HMM_COPY_TO_SYS] = "to-sys",
};

/* The skip reason outlives the case: the runner prints it after run_case. */
static __thread char bus_reason[HMM_WHY_MAX];

static int bus_unsupported(struct bench_ctx *ctx, const struct copyceil_job *job,
			   const char *reason, const char **skip)
{
	json_t *r = rec_new("unsupported");

	snprintf(bus_reason, sizeof(bus_reason), "%s", reason[0] ? reason :
		 "the backend gave no reason");
	json_object_set_new(r, "bench", json_string("copyceil"));
	json_object_set_new(r, "params", copyceil_params(job, "bus"));
	json_object_set_new(r, "capability", json_string("bus-copy"));
	json_object_set_new(r, "reason", json_string(bus_reason));
	rec_write(ctx->out, r);
	*skip = bus_reason;
	return 0;
}

/*
 * One direction: the backend times all @job->samples copies in one call
 * (it allocates and fills its pinned buffers once), then each copy is
 * written as a sample. 0, -EOPNOTSUPP, or the failure (reported).
 */
static int bus_direction(struct bench_ctx *ctx, const struct copyceil_job *job,
			 enum hmm_copy_dir d, uint64_t *ns, double *mbps, size_t *n)
{
	int ret = hmm_dev_copy_bus(ctx->dev, d, job->size, job->samples, ns);

	if (ret == -EOPNOTSUPP)
		return ret;
	if (ret)
		return bench_dev_error(ret);
	for (unsigned int i = 0; i < job->samples; i++) {
		ret = copyceil_write_sample(ctx, job, bus_method[d], i + 1, 0, ns[i]);
		if (ret)
			return ret;
		mbps[(*n)++] = ns[i] ? job->size / (ns[i] / 1e3) : 0;
	}
	return 0;
}

static void bus_rows(struct bench_ctx *ctx, const struct copyceil_job *job,
		     double *const *mbps, const size_t *n)
{
	for (int d = 0; d < NR_BUS_DIRS; d++) {
		struct sample_stats s;

		if (!n[d])
			continue;
		if (!stats_summarise(mbps[d], n[d], SUMMARY_CI_LEVEL, &s))
			ctx->bus_mbps[d] = s.median;
		bench_row(ctx, "copyceil", copyceil_params(job, bus_method[d]), "throughput",
			  bus_suffix[d], mbps[d], n[d], "bus ceiling",
			  *ctx->stop ? STOP_INTERRUPTED : STOP_FIXED);
	}
}

int copyceil_bus_case(struct bench_ctx *ctx, const struct copyceil_job *job, const char **skip)
{
	uint64_t *ns = calloc(job->samples, sizeof(*ns));
	double *mbps[NR_BUS_DIRS] = { calloc(job->samples, sizeof(double)),
				      calloc(job->samples, sizeof(double)) };
	size_t n[NR_BUS_DIRS] = { 0 };
	int ret = 0;

	ctx->bus_mbps[HMM_COPY_TO_DEV] = ctx->bus_mbps[HMM_COPY_TO_SYS] = 0;
	if (!ctx->dev) {
		ret = bus_unsupported(ctx, job, "no device is open", skip);
		goto out;
	}
	if (!ns || !mbps[0] || !mbps[1]) {
		ret = -ENOMEM;
		goto out;
	}
	for (int d = 0; d < NR_BUS_DIRS && !ret && !*ctx->stop; d++)
		ret = bus_direction(ctx, job, d, ns, mbps[d], &n[d]);
	if (ret == -EOPNOTSUPP)
		ret = bus_unsupported(ctx, job, ctx->dev->why, skip);
	bus_rows(ctx, job, mbps, n);
	if (ret)		/* a ceiling from a failed case is no ceiling */
		ctx->bus_mbps[HMM_COPY_TO_DEV] = ctx->bus_mbps[HMM_COPY_TO_SYS] = 0;
out:
	free(ns);
	free(mbps[0]);
	free(mbps[1]);
	return ret;
}
