// SPDX-License-Identifier: GPL-2.0
/*
 * The nvidia-uvm backend: NVIDIA's open kernel modules migrate ordinary
 * (malloc'd, mmap'd) memory to device-private pages through HMM
 * (kernel-open/nvidia-uvm/uvm_hmm.c), driven from user space by the CUDA
 * driver API. cuMemPrefetchAsync to the device's location migrates a range
 * to VRAM; to the host location it migrates it back; a CPU touch faults it
 * back through the driver's migrate_to_ram. What moved is read from
 * pagemap, as for every GPU backend.
 *
 * Device paths: "cuda:N" is CUDA device N (after CUDA_VISIBLE_DEVICES);
 * ",fault-back" brings pages back by CPU faults (MADV_POPULATE_WRITE)
 * instead of a prefetch to the host; ",bus-only" opens a device that
 * cannot migrate pageable memory (no HMM, ATS) for its pinned-copy
 * ceiling alone, every migration refused with the reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "gpu.h"
#include "nvidia_uvm.h"
#include "pagestate.h"

struct nvuvm_priv {
	struct nvuvm_ctx x;
	int fault_back;
	int bus_only;
	char refusal[HMM_WHY_MAX];	/* why it cannot migrate; empty if it can */
};

static const char *cu_name(const struct nvuvm_cuda *c, hmmb_CUresult r)
{
	static __thread char buf[96];

	return nvuvm_cu_strerror(c, r, buf, sizeof(buf));
}

int nvuvm_device_refusal(const struct nvuvm_cuda *c, int ordinal, char *why, size_t len)
{
	struct nvuvm_sysinfo s;
	hmmb_CUdevice d;
	int pageable = 0, host_pt = 0;
	hmmb_CUresult r = c->fn.cuDeviceGet(&d, ordinal);

	if (!r)
		r = c->fn.cuDeviceGetAttribute(&pageable, HMMB_CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS, d);
	if (!r)
		r = c->fn.cuDeviceGetAttribute(&host_pt,
			HMMB_CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS_USES_HOST_PAGE_TABLES, d);
	if (r) {
		snprintf(why, len, "the attributes of CUDA device %d cannot be read: %s",
			 ordinal, cu_name(c, r));
		return nvuvm_cu_errno(r);
	}
	/* ATS (Grace Hopper, POWER9): the GPU walks the CPU's page tables, nothing migrates to device-private pages. */
	if (host_pt) {
		snprintf(why, len, NVUVM_ATS_REASON);
		return 1;
	}
	if (!pageable) {
		nvuvm_sysinfo_read("", NULL, &s);
		nvuvm_no_hmm_reason(&s, why, len);
		return 1;
	}
	return 0;
}

int nvuvm_ctx_open(struct nvuvm_ctx *x, const struct nvuvm_cuda *c, int ordinal,
		   char *why, size_t len)
{
	hmmb_CUresult r;

	memset(x, 0, sizeof(*x));
	x->cuda = c;
	x->ordinal = ordinal;
	r = c->fn.cuDeviceGet(&x->device, ordinal);
	if (r) {
		snprintf(why, len, "cuDeviceGet(%d) failed: %s", ordinal, cu_name(c, r));
		return nvuvm_cu_errno(r);
	}
	r = c->fn.cuDevicePrimaryCtxRetain(&x->ctx, x->device);
	if (r) {
		x->ctx = NULL;
		snprintf(why, len, "cuDevicePrimaryCtxRetain failed: %s (device in exclusive-process mode and busy?)",
			 cu_name(c, r));
		return nvuvm_cu_errno(r);
	}
	r = c->fn.cuCtxSetCurrent(x->ctx);
	if (!r)
		r = c->fn.cuStreamCreate(&x->stream, HMMB_CU_STREAM_NON_BLOCKING);
	if (r) {
		x->stream = NULL;
		snprintf(why, len, "creating a CUDA stream failed: %s", cu_name(c, r));
		return nvuvm_cu_errno(r);
	}
	return 0;
}

void nvuvm_ctx_close(struct nvuvm_ctx *x)
{
	if (!x->cuda)
		return;
	if (x->stream) {
		x->cuda->fn.cuCtxSetCurrent(x->ctx);
		x->cuda->fn.cuStreamDestroy(x->stream);
	}
	if (x->ctx)
		x->cuda->fn.cuDevicePrimaryCtxRelease(x->device);
	memset(x, 0, sizeof(*x));
}

/* "cuda:N[,fault-back][,bus-only]": 0, or -EINVAL. */
static int parse_path(const char *path, int *ordinal, struct nvuvm_priv *p)
{
	size_t plen = strlen(NVUVM_PATH_PREFIX);
	char opts[64], *save, *tok;
	long n;
	char *end;

	if (strncmp(path, NVUVM_PATH_PREFIX, plen))
		return -EINVAL;
	n = strtol(path + plen, &end, 10);
	if (end == path + plen || n < 0 || n > 4096 || (*end && *end != ','))
		return -EINVAL;
	*ordinal = n;
	snprintf(opts, sizeof(opts), "%s", end);
	for (tok = strtok_r(opts, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "fault-back"))
			p->fault_back = 1;
		else if (!strcmp(tok, "bus-only"))
			p->bus_only = 1;
		else
			return -EINVAL;
	}
	return 0;
}

static int uvm_open(struct hmm_dev *dev, const char *path)
{
	const struct nvuvm_cuda *c;
	struct nvuvm_priv *p;
	int ordinal, ret;

	ret = nvuvm_cuda_get(&c, dev->why, sizeof(dev->why));
	if (ret)
		return ret;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	dev->priv = p;
	if (parse_path(path, &ordinal, p))
		return gpu_fail(dev, -EINVAL, "'%s' is not a CUDA device: say cuda:N, with ,fault-back or ,bus-only if wanted ('hmmbench probe --backend nvidia-uvm' lists them)",
				path);
	ret = nvuvm_device_refusal(c, ordinal, p->refusal, sizeof(p->refusal));
	if (ret < 0 || (ret > 0 && !p->bus_only)) {
		snprintf(dev->why, sizeof(dev->why), "%s", p->refusal);
		return ret > 0 ? -EOPNOTSUPP : ret;
	}
	return nvuvm_ctx_open(&p->x, c, ordinal, dev->why, sizeof(dev->why));
}

static void uvm_close(struct hmm_dev *dev)
{
	struct nvuvm_priv *p = dev->priv;

	if (p)
		nvuvm_ctx_close(&p->x);
	free(p);
	dev->priv = NULL;
}

/* Prefetches the range to @loc and waits: a migration, timed as one call. */
static int prefetch(struct hmm_dev *dev, void *addr, size_t npages,
		    hmmb_CUmemLocation loc, const char *where)
{
	struct nvuvm_priv *p = dev->priv;
	const struct nvuvm_cuda *c = p->x.cuda;
	/* Benchmarks may call from any thread: the context must be current on it. */
	hmmb_CUresult r = c->fn.cuCtxSetCurrent(p->x.ctx);

	dev->why[0] = '\0';
	if (!r)
		r = c->fn.cuMemPrefetchAsync((hmmb_CUdeviceptr)(uintptr_t)addr, npages * PAGE_SZ,
					     loc, 0, p->x.stream);
	if (!r)
		r = c->fn.cuStreamSynchronize(p->x.stream);
	if (r)
		return gpu_fail(dev, nvuvm_cu_errno(r), "cuMemPrefetchAsync to %s failed: %s",
				where, cu_name(c, r));
	return 0;
}

static int uvm_migrate_to_dev(struct hmm_dev *dev, void *addr, size_t npages,
			      void *bounce, struct hmm_xfer *xfer)
{
	struct nvuvm_priv *p = dev->priv;
	hmmb_CUmemLocation loc = { .type = HMMB_CU_MEM_LOCATION_TYPE_DEVICE, .id = p->x.ordinal };

	(void)bounce;
	memset(xfer, 0, sizeof(*xfer));
	return prefetch(dev, addr, npages, loc, "the device");
}

static int uvm_migrate_to_sys(struct hmm_dev *dev, void *addr, size_t npages,
			      struct hmm_xfer *xfer)
{
	struct nvuvm_priv *p = dev->priv;
	hmmb_CUmemLocation loc = { .type = HMMB_CU_MEM_LOCATION_TYPE_HOST, .id = 0 };

	memset(xfer, 0, sizeof(*xfer));
	if (p->fault_back)
		return gpu_fault_back(dev, addr, npages);
	return prefetch(dev, addr, npages, loc, "the host");
}

static int uvm_copy_bus(struct hmm_dev *dev, enum hmm_copy_dir dir, size_t bytes,
			unsigned int reps, uint64_t *ns)
{
	struct nvuvm_priv *p = dev->priv;

	dev->why[0] = '\0';
	return nvuvm_copy_measure(&p->x, dir == HMM_COPY_TO_DEV ? NVUVM_COPY_HTOD : NVUVM_COPY_DTOH,
				  bytes, reps, ns, dev->why, sizeof(dev->why));
}

/* ,bus-only on a device that cannot migrate: every migration capability says why. */
static int refused_caps(struct hmm_dev *dev, const char *refusal)
{
	hmm_dev_set_cap(dev, HMM_CAP_MIGRATE_TO_DEV, 0, "%s", refusal);
	hmm_dev_set_cap(dev, HMM_CAP_MIGRATE_TO_SYS, 0, "%s", refusal);
	hmm_dev_set_cap(dev, HMM_CAP_THP_PMD, 0, "unknown: nothing migrates here");
	hmm_dev_set_cap(dev, HMM_CAP_DEV_COHERENT, 0, "unknown: nothing migrates here");
	return 0;
}

static int uvm_probe_caps(struct hmm_dev *dev)
{
	struct nvuvm_priv *p = dev->priv;

	gpu_set_common_caps(dev);
	hmm_dev_set_cap(dev, HMM_CAP_DEV_RW, 0,
			"reading device-resident pageable memory needs a GPU kernel, and hmmbench ships none");
	if (p->refusal[0])
		return refused_caps(dev, p->refusal);
	if (p->fault_back)
		hmm_dev_set_cap(dev, HMM_CAP_MIGRATE_TO_SYS, 0,
				",fault-back: pages come back by CPU faults (MADV_POPULATE_WRITE), not by a prefetch to the host");
	else
		hmm_dev_set_cap(dev, HMM_CAP_MIGRATE_TO_SYS, 1, NULL);
	return gpu_probe_round_trip(dev);
}

static void uvm_discover(struct hmm_discovery *d)
{
	const struct nvuvm_cuda *c;
	int count = 0, usable = 0;

	memset(d, 0, sizeof(*d));
	if (nvuvm_cuda_get(&c, d->reason, sizeof(d->reason)))
		return;
	c->fn.cuDeviceGetCount(&count);
	for (int i = 0; i < count && d->n < HMM_CANDIDATES_MAX; i++) {
		struct hmm_candidate *cand = &d->c[d->n++];
		char name[64] = "?", bus[32] = "?";
		hmmb_CUdevice dev;

		snprintf(cand->path, sizeof(cand->path), NVUVM_PATH_PREFIX "%d", i);
		if (!c->fn.cuDeviceGet(&dev, i)) {
			c->fn.cuDeviceGetName(name, sizeof(name), dev);
			c->fn.cuDeviceGetPCIBusId(bus, sizeof(bus), dev);
		}
		snprintf(cand->what, sizeof(cand->what), "%.60s, pci %.20s", name, bus);
		if (nvuvm_device_refusal(c, i, cand->reason, sizeof(cand->reason)) == 0)
			usable++;
		else if (!d->reason[0])
			snprintf(d->reason, sizeof(d->reason), "%s: %s", cand->path, cand->reason);
	}
	if (!count)
		snprintf(d->reason, sizeof(d->reason), NVUVM_NO_DEVICE_REASON);
	if (usable)
		d->reason[0] = '\0';
}

static const char *uvm_explain(enum hmm_op op, int err)
{
	if (op == HMM_OP_MIGRATE_TO_DEV && err == EINVAL)
		return "cuMemPrefetchAsync refused the range (pageable memory needs HMM: see 'hmmbench probe --backend nvidia-uvm')";
	return gpu_explain(op, err);
}

static const char *const uvm_paths[] = { HMM_PATH_AUTO, NULL };

const struct hmm_backend_ops nvidia_uvm_backend = {
	.name = "nvidia-uvm",
	.describe = "NVIDIA's open kernel modules, HMM through the CUDA driver API (libcuda.so.1, loaded at run time): cuMemPrefetchAsync to VRAM and back",
	.default_paths = uvm_paths,
	.path_prefix = NVUVM_PATH_PREFIX,
	.discover = uvm_discover,
	.open = uvm_open,
	.probe_caps = uvm_probe_caps,
	.migrate_to_dev = uvm_migrate_to_dev,
	.migrate_to_sys = uvm_migrate_to_sys,
	.snapshot = gpu_snapshot,
	.copy_bus = uvm_copy_bus,
	.close = uvm_close,
	.explain = uvm_explain,
};
