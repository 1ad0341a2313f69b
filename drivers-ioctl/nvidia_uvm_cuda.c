// SPDX-License-Identifier: GPL-2.0
/*
 * libcuda.so.1 loaded at run time: hmmbench needs neither CUDA to build
 * nor a driver to run, and says which one is missing.
 */
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "nvidia_uvm.h"

static const struct {
	const char *api, *exported;
	size_t offset;
} entry_points[] = {
#define ENTRY(api, exported, params) \
	{ #api, #exported, offsetof(struct hmmb_cuda_fns, api) },
	HMMB_CUDA_ENTRY_POINTS(ENTRY, HMMB_CUDA_T)
#undef ENTRY
};

/* The names of the CUresults hmmbench meets, for libraries whose cuGetErrorName fails. */
static const char *cu_result_name(hmmb_CUresult r)
{
	switch (r) {
	case HMMB_CUDA_SUCCESS: return "CUDA_SUCCESS";
	case HMMB_CUDA_ERROR_INVALID_VALUE: return "CUDA_ERROR_INVALID_VALUE";
	case HMMB_CUDA_ERROR_OUT_OF_MEMORY: return "CUDA_ERROR_OUT_OF_MEMORY";
	case HMMB_CUDA_ERROR_NOT_INITIALIZED: return "CUDA_ERROR_NOT_INITIALIZED";
	case HMMB_CUDA_ERROR_STUB_LIBRARY: return "CUDA_ERROR_STUB_LIBRARY";
	case HMMB_CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER: return "CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER";
	case HMMB_CUDA_ERROR_DEVICE_UNAVAILABLE: return "CUDA_ERROR_DEVICE_UNAVAILABLE";
	case HMMB_CUDA_ERROR_NO_DEVICE: return "CUDA_ERROR_NO_DEVICE";
	case HMMB_CUDA_ERROR_INVALID_DEVICE: return "CUDA_ERROR_INVALID_DEVICE";
	case HMMB_CUDA_ERROR_OPERATING_SYSTEM: return "CUDA_ERROR_OPERATING_SYSTEM";
	case HMMB_CUDA_ERROR_NOT_PERMITTED: return "CUDA_ERROR_NOT_PERMITTED";
	case HMMB_CUDA_ERROR_NOT_SUPPORTED: return "CUDA_ERROR_NOT_SUPPORTED";
	case HMMB_CUDA_ERROR_SYSTEM_DRIVER_MISMATCH: return "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH";
	default: return NULL;
	}
}

const char *nvuvm_cu_strerror(const struct nvuvm_cuda *c, hmmb_CUresult r,
			      char *buf, size_t len)
{
	const char *name = NULL;

	if (c && c->fn.cuGetErrorName && c->fn.cuGetErrorName(r, &name) != HMMB_CUDA_SUCCESS)
		name = NULL;
	if (!name)
		name = cu_result_name(r);
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "CUresult %d", r);
	return buf;
}

int nvuvm_cu_errno(hmmb_CUresult r)
{
	switch (r) {
	case HMMB_CUDA_SUCCESS: return 0;
	case HMMB_CUDA_ERROR_INVALID_VALUE: return -EINVAL;
	case HMMB_CUDA_ERROR_OUT_OF_MEMORY: return -ENOMEM;
	case HMMB_CUDA_ERROR_NO_DEVICE:
	case HMMB_CUDA_ERROR_INVALID_DEVICE: return -ENODEV;
	case HMMB_CUDA_ERROR_DEVICE_UNAVAILABLE: return -EBUSY;
	case HMMB_CUDA_ERROR_NOT_PERMITTED: return -EPERM;
	case HMMB_CUDA_ERROR_STUB_LIBRARY:
	case HMMB_CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER:
	case HMMB_CUDA_ERROR_NOT_SUPPORTED: return -EOPNOTSUPP;
	default: return -EIO;
	}
}

static void loaded_path(void *lib, const char *fallback, char *buf, size_t len)
{
	struct link_map *lm = NULL;

	if (!dlinfo(lib, RTLD_DI_LINKMAP, &lm) && lm && lm->l_name && lm->l_name[0])
		snprintf(buf, len, "%s", lm->l_name);
	else
		snprintf(buf, len, "%s", fallback);
}

static int load(const char *lib, struct nvuvm_cuda *c, char *why, size_t len)
{
	const char *err;

	dlerror();
	c->lib = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (c->lib) {
		loaded_path(c->lib, lib, c->path, sizeof(c->path));
		return 0;
	}
	err = dlerror();
	if (!err || strstr(err, "No such file or directory")) {
		snprintf(why, len, "%s not found (no NVIDIA driver)", lib);
		return -ENOENT;
	}
	snprintf(why, len, "%s cannot be loaded: %s", lib, err);
	return -ELIBBAD;
}

/* Every entry point by its exported name: a missing one says how old the driver is. */
static int resolve(struct nvuvm_cuda *c, char *why, size_t len)
{
	for (size_t i = 0; i < sizeof(entry_points) / sizeof(entry_points[0]); i++) {
		void *sym = dlsym(c->lib, entry_points[i].exported);

		if (!sym) {
			snprintf(why, len, "%s exports no %s (%s): the driver is older than CUDA 12.2, which nvidia-uvm's HMM needs",
				 c->path, entry_points[i].exported, entry_points[i].api);
			return -EOPNOTSUPP;
		}
		memcpy((char *)&c->fn + entry_points[i].offset, &sym, sizeof(sym));
	}
	return 0;
}

static int init(struct nvuvm_cuda *c, char *why, size_t len)
{
	hmmb_CUresult r = c->fn.cuInit(0);
	char name[96];
	int count = 0;

	if (r == HMMB_CUDA_ERROR_STUB_LIBRARY) {
		snprintf(why, len, "%s is CUDA's stub library, not a driver's (no NVIDIA driver)", c->path);
		return -ENOENT;
	}
	if (r == HMMB_CUDA_ERROR_NO_DEVICE) {
		snprintf(why, len, NVUVM_NO_DEVICE_REASON);
		return -ENODEV;
	}
	if (r != HMMB_CUDA_SUCCESS) {
		snprintf(why, len, "cuInit failed: %s (is the nvidia module loaded and /dev/nvidia* accessible?)",
			 nvuvm_cu_strerror(c, r, name, sizeof(name)));
		return nvuvm_cu_errno(r);
	}
	if (c->fn.cuDriverGetVersion(&c->driver_version) != HMMB_CUDA_SUCCESS)
		c->driver_version = 0;
	r = c->fn.cuDeviceGetCount(&count);
	if (r == HMMB_CUDA_SUCCESS && !count)
		r = HMMB_CUDA_ERROR_NO_DEVICE;
	if (r == HMMB_CUDA_ERROR_NO_DEVICE) {
		snprintf(why, len, NVUVM_NO_DEVICE_REASON);
		return -ENODEV;
	}
	if (r != HMMB_CUDA_SUCCESS) {
		snprintf(why, len, "cuDeviceGetCount failed: %s", nvuvm_cu_strerror(c, r, name, sizeof(name)));
		return nvuvm_cu_errno(r);
	}
	return 0;
}

int nvuvm_cuda_open(const char *lib, struct nvuvm_cuda *c, char *why, size_t len)
{
	int ret;

	memset(c, 0, sizeof(*c));
	ret = load(lib, c, why, len);
	if (!ret)
		ret = resolve(c, why, len);
	if (!ret)
		ret = init(c, why, len);
	return ret;
}

static const struct nvuvm_cuda *override;

void nvuvm_cuda_override(const struct nvuvm_cuda *c)
{
	override = c;
}

static struct {
	pthread_once_t once;
	struct nvuvm_cuda cuda;
	int ret;
	char why[HMM_WHY_MAX];
} the = { .once = PTHREAD_ONCE_INIT };

static void open_once(void)
{
	the.ret = nvuvm_cuda_open(NVUVM_LIB, &the.cuda, the.why, sizeof(the.why));
}

int nvuvm_cuda_get(const struct nvuvm_cuda **c, char *why, size_t len)
{
	if (override) {
		*c = override;
		return 0;
	}
	pthread_once(&the.once, open_once);
	*c = the.ret ? NULL : &the.cuda;
	if (the.ret)
		snprintf(why, len, "%s", the.why);
	return the.ret;
}
