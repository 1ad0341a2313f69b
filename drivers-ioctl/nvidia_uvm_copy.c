// SPDX-License-Identifier: GPL-2.0
/*
 * The bus ceiling: pinned host-to-device and device-to-host copies by the
 * same copy engines migrations use, so a migration's throughput reads as
 * a fraction of what the bus (PCIe, NVLink-C2C) carries. Each copy is one
 * cuMemcpy*Async on the backend's stream and a synchronise, timed on the
 * wall clock as the migrations are.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "nvidia_uvm.h"

struct bufs {
	void *src, *dst;		/* pinned host memory */
	hmmb_CUdeviceptr dev;
};

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static hmmb_CUresult copy_once(struct nvuvm_ctx *x, enum nvuvm_copy_dir dir,
			       struct bufs *b, size_t bytes)
{
	const struct hmmb_cuda_fns *fn = &x->cuda->fn;
	hmmb_CUresult r;

	if (dir == NVUVM_COPY_HTOD)
		r = fn->cuMemcpyHtoDAsync(b->dev, b->src, bytes, x->stream);
	else
		r = fn->cuMemcpyDtoHAsync(b->dst, b->dev, bytes, x->stream);
	return r ? r : fn->cuStreamSynchronize(x->stream);
}

static void free_bufs(struct nvuvm_ctx *x, struct bufs *b)
{
	const struct hmmb_cuda_fns *fn = &x->cuda->fn;

	if (b->src)
		fn->cuMemFreeHost(b->src);
	if (b->dst)
		fn->cuMemFreeHost(b->dst);
	if (b->dev)
		fn->cuMemFree(b->dev);
}

static hmmb_CUresult alloc_bufs(struct nvuvm_ctx *x, struct bufs *b, size_t bytes)
{
	const struct hmmb_cuda_fns *fn = &x->cuda->fn;
	hmmb_CUresult r;

	memset(b, 0, sizeof(*b));
	r = fn->cuMemAllocHost(&b->src, bytes);
	if (!r)
		r = fn->cuMemAllocHost(&b->dst, bytes);
	if (!r)
		r = fn->cuMemAlloc(&b->dev, bytes);
	return r;
}

/* The source pattern went to the device and came back unchanged. */
static int check_trip(struct nvuvm_ctx *x, struct bufs *b, size_t bytes, hmmb_CUresult *r)
{
	memset(b->dst, 0, bytes);
	*r = copy_once(x, NVUVM_COPY_DTOH, b, bytes);
	return !*r && !memcmp(b->src, b->dst, bytes);
}

static int fail(struct nvuvm_ctx *x, hmmb_CUresult r, const char *what, char *why, size_t len)
{
	char name[96];

	snprintf(why, len, "%s failed: %s", what, nvuvm_cu_strerror(x->cuda, r, name, sizeof(name)));
	return nvuvm_cu_errno(r);
}

int nvuvm_copy_measure(struct nvuvm_ctx *x, enum nvuvm_copy_dir dir, size_t bytes,
		       unsigned int reps, uint64_t *ns, char *why, size_t len)
{
	struct bufs b = { 0 };
	hmmb_CUresult r = x->cuda->fn.cuCtxSetCurrent(x->ctx);
	int ret = 0;

	if (!r)
		r = alloc_bufs(x, &b, bytes);
	if (r) {
		ret = fail(x, r, "allocating pinned host and device buffers", why, len);
		goto out;
	}
	for (size_t i = 0; i < bytes; i++)
		((unsigned char *)b.src)[i] = (unsigned char)(i * 131 + (i >> 12));
	/* Untimed: the first copy pays for mapping and the engine's warm-up. */
	r = copy_once(x, NVUVM_COPY_HTOD, &b, bytes);
	for (unsigned int i = 0; !r && i < reps; i++) {
		uint64_t t0 = wall_ns();

		r = copy_once(x, dir, &b, bytes);
		ns[i] = wall_ns() - t0;
	}
	if (r) {
		ret = fail(x, r, dir == NVUVM_COPY_HTOD ? "cuMemcpyHtoDAsync" : "cuMemcpyDtoHAsync",
			   why, len);
		goto out;
	}
	if (!check_trip(x, &b, bytes, &r)) {
		if (r)
			ret = fail(x, r, "copying the data back to check it", why, len);
		else {
			snprintf(why, len, "pinned copies of %zu bytes came back different", bytes);
			ret = -EIO;
		}
	}
out:
	free_bufs(x, &b);
	return ret;
}
