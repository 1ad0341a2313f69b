/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The nvidia-uvm backend's parts: libcuda.so.1 loaded at run time
 * (nvidia_uvm_cuda.c), why pageable memory cannot migrate here read from
 * the driver's files (nvidia_uvm_hmm.c), the backend (nvidia_uvm.c) and
 * the pinned-copy ceiling (nvidia_uvm_copy.c).
 */
#ifndef HMMBENCH_NVIDIA_UVM_H
#define HMMBENCH_NVIDIA_UVM_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "nvidia_uvm_abi.h"

#define NVUVM_LIB "libcuda.so.1"
#define NVUVM_PATH_PREFIX "cuda:"

struct nvuvm_cuda {
	void *lib;
	char path[256];		/* the file the dynamic loader found */
	int driver_version;	/* cuDriverGetVersion: 13000 for CUDA 13.0 */
	struct hmmb_cuda_fns fn;
};

/*
 * Loads @lib (a name the dynamic loader searches for, or a path), looks up
 * every entry point by its exported name and calls cuInit(0). Returns 0,
 * or -ENOENT, -ENODEV, -EOPNOTSUPP, ... with one line in @why that names
 * the cause ("libcuda.so.1 not found (no NVIDIA driver)", "no CUDA
 * device", "... is CUDA's stub library ..."). Never dlclose()s.
 */
int nvuvm_cuda_open(const char *lib, struct nvuvm_cuda *c, char *why, size_t len);
/* NVUVM_LIB, opened once per process: 0 and the table in *@c, or as nvuvm_cuda_open(). */
int nvuvm_cuda_get(const struct nvuvm_cuda **c, char *why, size_t len);
/*
 * Tests only: nvuvm_cuda_get() answers @c (a table of the test's own
 * functions standing in for the driver API) instead of loading libcuda.
 */
void nvuvm_cuda_override(const struct nvuvm_cuda *c);
/* "CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)"-like, never NULL. */
const char *nvuvm_cu_strerror(const struct nvuvm_cuda *c, hmmb_CUresult r,
			      char *buf, size_t len);
/* A CUresult as the closest negative errno. */
int nvuvm_cu_errno(hmmb_CUresult r);

/* What the driver's files say about HMM; the strings are empty when unknown. */
struct nvuvm_sysinfo {
	char nvrm_version[160];	/* first line of /proc/driver/nvidia/version */
	int open_module;	/* 1 open, 0 closed, -1 unknown */
	int disable_hmm;	/* uvm_disable_hmm: 1, 0, -1 unknown */
	char kernel[64];	/* uname -r */
	int device_private;	/* CONFIG_DEVICE_PRIVATE: 1, 0, -1 config unreadable */
	int hmm_mirror;		/* CONFIG_HMM_MIRROR: 1, 0, -1 */
};

/*
 * Reads the files under @root ("" for the real system; a fixture
 * directory in tests): proc/driver/nvidia/version,
 * sys/module/nvidia_uvm/parameters/uvm_disable_hmm, boot/config-RELEASE
 * or proc/config.gz. @release is the kernel's (NULL: uname -r).
 */
void nvuvm_sysinfo_read(const char *root, const char *release, struct nvuvm_sysinfo *s);
/*
 * The one-line refusal for a device whose pageable-memory-access
 * attribute is 0, naming the causes @s shows, or all three possible ones
 * when it shows none.
 */
void nvuvm_no_hmm_reason(const struct nvuvm_sysinfo *s, char *buf, size_t len);

#define NVUVM_ATS_REASON "ATS: pageable memory uses host page tables; no device-private migration"
#define NVUVM_NO_DEVICE_REASON "no CUDA device"

/*
 * Why CUDA device @ordinal cannot migrate pageable memory to
 * device-private pages (ATS, or no HMM), into @why; 0 if it can, 1 if it
 * cannot, a negative errno if its attributes could not be read.
 */
int nvuvm_device_refusal(const struct nvuvm_cuda *c, int ordinal, char *why, size_t len);

/* Pinned copies between host and device: the bus this backend migrates over. */
enum nvuvm_copy_dir {
	NVUVM_COPY_HTOD,
	NVUVM_COPY_DTOH,
};

/* A device's primary context and a stream of its own, current on this thread. */
struct nvuvm_ctx {
	const struct nvuvm_cuda *cuda;
	hmmb_CUdevice device;
	int ordinal;
	hmmb_CUcontext ctx;
	hmmb_CUstream stream;
};

int nvuvm_ctx_open(struct nvuvm_ctx *x, const struct nvuvm_cuda *c, int ordinal,
		   char *why, size_t len);
void nvuvm_ctx_close(struct nvuvm_ctx *x);

/*
 * Times @reps pinned copies of @bytes in @dir (cuMemAllocHost and
 * cuMemAlloc buffers, one async copy and a stream synchronise each),
 * after one untimed copy; ns[i] is copy i's wall time. Checks the data
 * made the trip. Returns 0 or a negative errno with @why.
 */
int nvuvm_copy_measure(struct nvuvm_ctx *x, enum nvuvm_copy_dir dir, size_t bytes,
		       unsigned int reps, uint64_t *ns, char *why, size_t len);

extern const struct hmm_backend_ops nvidia_uvm_backend;

#endif
