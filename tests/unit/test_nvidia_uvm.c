// SPDX-License-Identifier: GPL-2.0
/*
 * The nvidia-uvm backend without a GPU: what it says where libcuda.so.1 is
 * missing or is CUDA's stub, why a device is refused (ATS, no HMM) and
 * which cause the driver's files name, and the pinned-copy check. Where a
 * CUDA function must answer, a table of this file's functions answers
 * (struct nvuvm_cuda is the ops table of the driver API); no result of a
 * GPU is made up here.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <zlib.h>

#include "backend.h"
#include "cli.h"
#include "job.h"
#include "nvidia_uvm.h"
#include "runner.h"

/* Whether this machine's dynamic loader finds libcuda.so.1; its path if so. */
static int have_libcuda(char *path, size_t len)
{
	void *lib = dlopen(NVUVM_LIB, RTLD_LAZY | RTLD_LOCAL);

	if (!lib)
		return 0;
	snprintf(path, len, "%s", NVUVM_LIB);
	dlclose(lib);
	return 1;
}

Test(nvidia_uvm, missing_library_is_named)
{
	struct nvuvm_cuda c;
	char why[HMM_WHY_MAX];

	cr_assert_eq(nvuvm_cuda_open("libhmmbench-no-such-cuda.so.1", &c, why, sizeof(why)), -ENOENT);
	cr_expect_str_eq(why, "libhmmbench-no-such-cuda.so.1 not found (no NVIDIA driver)");
}

Test(nvidia_uvm, no_libcuda_here_refuses_in_one_line)
{
	const struct nvuvm_cuda *c;
	struct hmm_discovery d;
	struct hmm_dev dev;
	char why[HMM_WHY_MAX], path[64];

	if (have_libcuda(path, sizeof(path)))
		cr_skip_test("this machine has %s: the refusals are checked where it is missing", path);
	cr_assert_eq(nvuvm_cuda_get(&c, why, sizeof(why)), -ENOENT);
	cr_assert_null(c);
	cr_expect_str_eq(why, "libcuda.so.1 not found (no NVIDIA driver)");
	/* Discovery and open say the same, and nothing crashes. */
	nvidia_uvm_backend.discover(&d);
	cr_expect_eq(d.n, 0);
	cr_expect_str_eq(d.reason, "libcuda.so.1 not found (no NVIDIA driver)");
	cr_expect_eq(hmm_dev_open(&dev, &nvidia_uvm_backend, "cuda:0"), -ENOENT);
	cr_expect_str_eq(dev.why, "libcuda.so.1 not found (no NVIDIA driver)");
	hmm_dev_close(&dev);
	cr_expect_eq(hmm_dev_open(&dev, &nvidia_uvm_backend, HMM_PATH_AUTO), -ENODEV);
	cr_expect_str_eq(dev.why, "libcuda.so.1 not found (no NVIDIA driver)");
	hmm_dev_close(&dev);
}

/* CUDA's stub libcuda.so (for linking only) answers cuInit with CUDA_ERROR_STUB_LIBRARY. */
Test(nvidia_uvm, stub_library_is_not_a_driver)
{
	static const char *const stubs[] = {
		"/usr/local/cuda/lib64/stubs/libcuda.so",
		"/usr/local/cuda/lib/stubs/libcuda.so",
		"/usr/local/cuda/targets/x86_64-linux/lib/stubs/libcuda.so",
		"/usr/lib/x86_64-linux-gnu/stubs/libcuda.so",
	};
	const char *stub = NULL;
	struct nvuvm_cuda c;
	char why[HMM_WHY_MAX];

	for (size_t i = 0; i < sizeof(stubs) / sizeof(stubs[0]) && !stub; i++)
		if (!access(stubs[i], R_OK))
			stub = stubs[i];
	if (!stub)
		cr_skip_test("no CUDA stub libcuda.so here (a CUDA toolkit has one under lib64/stubs)");
	cr_assert_eq(nvuvm_cuda_open(stub, &c, why, sizeof(why)), -ENOENT, "%s", why);
	cr_expect(strstr(why, "is CUDA's stub library, not a driver's (no NVIDIA driver)"), "%s", why);
	cr_expect_null(strchr(why, '\n'));
}

/* A driver's answers, from this file: which device attributes it reports. */
static int fake_pageable, fake_host_pt, fake_attr_err;

static hmmb_CUresult fake_device_get(hmmb_CUdevice *d, int ordinal)
{
	*d = ordinal;
	return ordinal < 2 ? HMMB_CUDA_SUCCESS : HMMB_CUDA_ERROR_INVALID_DEVICE;
}

static hmmb_CUresult fake_attribute(int *v, hmmb_CUdevice_attribute a, hmmb_CUdevice d)
{
	(void)d;
	if (fake_attr_err)
		return HMMB_CUDA_ERROR_NOT_INITIALIZED;
	if (a == HMMB_CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS)
		*v = fake_pageable;
	else if (a == HMMB_CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS_USES_HOST_PAGE_TABLES)
		*v = fake_host_pt;
	else
		return HMMB_CUDA_ERROR_INVALID_VALUE;
	return HMMB_CUDA_SUCCESS;
}

static struct nvuvm_cuda fake_cuda(void)
{
	struct nvuvm_cuda c;

	memset(&c, 0, sizeof(c));
	c.fn.cuDeviceGet = fake_device_get;
	c.fn.cuDeviceGetAttribute = fake_attribute;
	return c;
}

Test(nvidia_uvm, ats_is_refused)
{
	struct nvuvm_cuda c = fake_cuda();
	char why[HMM_WHY_MAX];

	fake_pageable = 1;
	fake_host_pt = 1;
	cr_expect_eq(nvuvm_device_refusal(&c, 0, why, sizeof(why)), 1);
	cr_expect_str_eq(why, "ATS: pageable memory uses host page tables; no device-private migration");
}

Test(nvidia_uvm, no_pageable_access_is_refused)
{
	struct nvuvm_cuda c = fake_cuda();
	static const char head[] = "pageable memory access is 0: nvidia-uvm runs without HMM here (";
	char why[HMM_WHY_MAX];

	fake_pageable = 0;
	fake_host_pt = 0;
	cr_expect_eq(nvuvm_device_refusal(&c, 1, why, sizeof(why)), 1);
	cr_expect_eq(strncmp(why, head, strlen(head)), 0, "%s", why);
}

Test(nvidia_uvm, hmm_device_is_accepted_and_errors_are_named)
{
	struct nvuvm_cuda c = fake_cuda();
	char why[HMM_WHY_MAX] = "";

	fake_pageable = 1;
	fake_host_pt = 0;
	cr_expect_eq(nvuvm_device_refusal(&c, 0, why, sizeof(why)), 0, "%s", why);
	cr_expect_lt(nvuvm_device_refusal(&c, 5, why, sizeof(why)), 0);
	cr_expect(strstr(why, "CUDA device 5") && strstr(why, "CUDA_ERROR_INVALID_DEVICE"), "%s", why);
	fake_attr_err = 1;
	cr_expect_lt(nvuvm_device_refusal(&c, 0, why, sizeof(why)), 0);
	fake_attr_err = 0;
}

/* A fixture root: the files nvuvm_sysinfo_read() looks at, under a temporary directory. */
static char root[64];

static void put(const char *rel, const char *text)
{
	char path[256], dir[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(p - path), path);
		mkdir(dir, 0755);
	}
	f = fopen(path, "w");
	cr_assert(f, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

static void put_gz(const char *rel, const char *text)
{
	char path[256];
	gzFile z;

	put(rel, "");
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	z = gzopen(path, "w");
	cr_assert(z);
	gzputs(z, text);
	gzclose(z);
}

static void make_root(void)
{
	snprintf(root, sizeof(root), "/tmp/hmmbench-nvuvm-XXXXXX");
	cr_assert(mkdtemp(root));
}

static void remove_root(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	cr_expect_eq(system(cmd), 0);
}

static const char open_580[] =
	"NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.159.04  Release Build  (dvs-builder@U22-I3-AE18-23-3)  Wed Oct  1 00:00:00 UTC 2025\n"
	"GCC version:  gcc version 12.3.0 (Ubuntu 12.3.0-1ubuntu1~22.04)\n";
static const char closed_535[] =
	"NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.183.01  Sun May 12 19:39:15 UTC 2024\n";

static void reason_for(char *why, size_t len)
{
	struct nvuvm_sysinfo s;

	nvuvm_sysinfo_read(root, "6.18.44-test", &s);
	nvuvm_no_hmm_reason(&s, why, len);
	cr_expect_null(strchr(why, '\n'), "one line: %s", why);
}

#define HEAD "pageable memory access is 0: nvidia-uvm runs without HMM here "

Test(nvidia_uvm_reason, kernel_without_device_private, .init = make_root, .fini = remove_root)
{
	char why[HMM_WHY_MAX];

	put("proc/driver/nvidia/version", open_580);
	put("sys/module/nvidia_uvm/parameters/uvm_disable_hmm", "N\n");
	put("boot/config-6.18.44-test", "CONFIG_ZONE_DEVICE=y\nCONFIG_HMM_MIRROR=y\n# CONFIG_DEVICE_PRIVATE is not set\n");
	reason_for(why, sizeof(why));
	cr_expect_str_eq(why, HEAD "(kernel 6.18.44-test without CONFIG_DEVICE_PRIVATE)");
}

Test(nvidia_uvm_reason, closed_module_and_disabled_hmm, .init = make_root, .fini = remove_root)
{
	char why[HMM_WHY_MAX];

	put("proc/driver/nvidia/version", closed_535);
	put("sys/module/nvidia_uvm/parameters/uvm_disable_hmm", "Y\n");
	put("boot/config-6.18.44-test", "CONFIG_DEVICE_PRIVATE=y\nCONFIG_HMM_MIRROR=y\n");
	reason_for(why, sizeof(why));
	cr_expect_str_eq(why, HEAD "(the closed kernel module 535.183.01; uvm_disable_hmm=1)");
}

/* The H200 machine of NOTES.md: open module, HMM not disabled, kernel config unreadable. */
Test(nvidia_uvm_reason, open_module_config_unreadable, .init = make_root, .fini = remove_root)
{
	char why[HMM_WHY_MAX];

	put("proc/driver/nvidia/version", open_580);
	put("sys/module/nvidia_uvm/parameters/uvm_disable_hmm", "N\n");
	reason_for(why, sizeof(why));
	cr_expect_str_eq(why, HEAD "(open kernel module 580.159.04 with uvm_disable_hmm=0, so kernel 6.18.44-test most likely lacks CONFIG_DEVICE_PRIVATE; its config is not readable here)");
}

Test(nvidia_uvm_reason, config_gz_all_present, .init = make_root, .fini = remove_root)
{
	char why[HMM_WHY_MAX];

	put("proc/driver/nvidia/version", open_580);
	put("sys/module/nvidia_uvm/parameters/uvm_disable_hmm", "N\n");
	put_gz("proc/config.gz", "CONFIG_DEVICE_PRIVATE=y\nCONFIG_HMM_MIRROR=y\n");
	reason_for(why, sizeof(why));
	cr_expect_str_eq(why, HEAD "(open kernel module 580.159.04, uvm_disable_hmm=0 and kernel 6.18.44-test with CONFIG_DEVICE_PRIVATE and CONFIG_HMM_MIRROR: nvidia-uvm was built without HMM, or the GPU predates Turing)");
}

Test(nvidia_uvm_reason, config_gz_without_hmm_mirror, .init = make_root, .fini = remove_root)
{
	char why[HMM_WHY_MAX];

	put("proc/driver/nvidia/version", open_580);
	put("sys/module/nvidia_uvm/parameters/uvm_disable_hmm", "N\n");
	put_gz("proc/config.gz", "CONFIG_DEVICE_PRIVATE=y\n# CONFIG_HMM_MIRROR is not set\n");
	reason_for(why, sizeof(why));
	cr_expect_str_eq(why, HEAD "(kernel 6.18.44-test without CONFIG_HMM_MIRROR)");
}

Test(nvidia_uvm_reason, nothing_readable_names_all_three, .init = make_root, .fini = remove_root)
{
	char why[HMM_WHY_MAX];

	reason_for(why, sizeof(why));
	cr_expect_str_eq(why, HEAD "(kernel without CONFIG_DEVICE_PRIVATE, the closed kernel module, or uvm_disable_hmm=1)");
}

/* A device made of system memory, to check the copy loop's bookkeeping, not a bus. */
static int fake_corrupt;

static hmmb_CUresult fake_ok_ctx(hmmb_CUcontext ctx)
{
	(void)ctx;
	return HMMB_CUDA_SUCCESS;
}

static hmmb_CUresult fake_sync(hmmb_CUstream s)
{
	(void)s;
	return HMMB_CUDA_SUCCESS;
}

static hmmb_CUresult fake_alloc_host(void **p, size_t n)
{
	*p = malloc(n);
	return *p ? HMMB_CUDA_SUCCESS : HMMB_CUDA_ERROR_OUT_OF_MEMORY;
}

static hmmb_CUresult fake_free_host(void *p)
{
	free(p);
	return HMMB_CUDA_SUCCESS;
}

static hmmb_CUresult fake_alloc(hmmb_CUdeviceptr *d, size_t n)
{
	void *p = malloc(n);

	*d = (uintptr_t)p;
	return p ? HMMB_CUDA_SUCCESS : HMMB_CUDA_ERROR_OUT_OF_MEMORY;
}

static hmmb_CUresult fake_free(hmmb_CUdeviceptr d)
{
	free((void *)(uintptr_t)d);
	return HMMB_CUDA_SUCCESS;
}

static hmmb_CUresult fake_htod(hmmb_CUdeviceptr d, const void *s, size_t n, hmmb_CUstream st)
{
	(void)st;
	memcpy((void *)(uintptr_t)d, s, n);
	return HMMB_CUDA_SUCCESS;
}

static hmmb_CUresult fake_dtoh(void *d, hmmb_CUdeviceptr s, size_t n, hmmb_CUstream st)
{
	(void)st;
	memcpy(d, (void *)(uintptr_t)s, n);
	if (fake_corrupt)
		((char *)d)[n / 2] ^= 1;
	return HMMB_CUDA_SUCCESS;
}

static struct nvuvm_cuda fake_copy_cuda(void)
{
	struct nvuvm_cuda c = fake_cuda();

	c.fn.cuCtxSetCurrent = fake_ok_ctx;
	c.fn.cuStreamSynchronize = fake_sync;
	c.fn.cuMemAllocHost = fake_alloc_host;
	c.fn.cuMemFreeHost = fake_free_host;
	c.fn.cuMemAlloc = fake_alloc;
	c.fn.cuMemFree = fake_free;
	c.fn.cuMemcpyHtoDAsync = fake_htod;
	c.fn.cuMemcpyDtoHAsync = fake_dtoh;
	return c;
}

Test(nvidia_uvm, copy_measure_times_each_copy_and_checks_data)
{
	struct nvuvm_cuda c = fake_copy_cuda();
	struct nvuvm_ctx x = { .cuda = &c };
	uint64_t ns[3] = { 0 };
	char why[HMM_WHY_MAX] = "";

	fake_corrupt = 0;
	for (int dir = NVUVM_COPY_HTOD; dir <= NVUVM_COPY_DTOH; dir++) {
		cr_expect_eq(nvuvm_copy_measure(&x, dir, 1 << 20, 3, ns, why, sizeof(why)), 0, "%s", why);
		cr_expect(ns[0] && ns[1] && ns[2], "every copy timed");
	}
	fake_corrupt = 1;
	cr_expect_eq(nvuvm_copy_measure(&x, NVUVM_COPY_DTOH, 1 << 20, 2, ns, why, sizeof(why)), -EIO);
	cr_expect_str_eq(why, "pinned copies of 1048576 bytes came back different");
	fake_corrupt = 0;
}

Test(nvidia_uvm, cuda_errors_have_names_and_errnos)
{
	char buf[96];

	cr_expect_str_eq(nvuvm_cu_strerror(NULL, HMMB_CUDA_ERROR_NO_DEVICE, buf, sizeof(buf)),
			 "CUDA_ERROR_NO_DEVICE");
	cr_expect_str_eq(nvuvm_cu_strerror(NULL, 12345, buf, sizeof(buf)), "CUresult 12345");
	cr_expect_eq(nvuvm_cu_errno(HMMB_CUDA_ERROR_NO_DEVICE), -ENODEV);
	cr_expect_eq(nvuvm_cu_errno(HMMB_CUDA_ERROR_OUT_OF_MEMORY), -ENOMEM);
	cr_expect_eq(nvuvm_cu_errno(HMMB_CUDA_SUCCESS), 0);
}

/*
 * The backend's own flow (open, probe, migrate, discover) with the driver
 * API answered by this file: device 0 cannot migrate pageable memory, device
 * 1 says it can. Whatever these functions claim, residency comes from
 * pagemap: a prefetch that moves nothing must read as nothing moved.
 */
static int prefetches[3];	/* by CUmemLocationType: calls seen */

static hmmb_CUresult flow_attribute(int *v, hmmb_CUdevice_attribute a, hmmb_CUdevice d)
{
	if (a == HMMB_CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS)
		*v = d == 1;
	else if (a == HMMB_CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS_USES_HOST_PAGE_TABLES)
		*v = 0;
	else
		return HMMB_CUDA_ERROR_INVALID_VALUE;
	return HMMB_CUDA_SUCCESS;
}

static hmmb_CUresult flow_count(int *n)
{
	*n = 2;
	return HMMB_CUDA_SUCCESS;
}

static hmmb_CUresult flow_name(char *name, int len, hmmb_CUdevice d)
{
	snprintf(name, len, "stand-in %d", d);
	return HMMB_CUDA_SUCCESS;
}

static hmmb_CUresult flow_bus_id(char *id, int len, hmmb_CUdevice d)
{
	snprintf(id, len, "0000:%02x:00.0", d + 1);
	return HMMB_CUDA_SUCCESS;
}

static hmmb_CUresult flow_retain(hmmb_CUcontext *ctx, hmmb_CUdevice d)
{
	(void)d;
	*ctx = (hmmb_CUcontext)&prefetches;
	return HMMB_CUDA_SUCCESS;
}

static hmmb_CUresult flow_release(hmmb_CUdevice d)
{
	(void)d;
	return HMMB_CUDA_SUCCESS;
}

static hmmb_CUresult flow_stream_create(hmmb_CUstream *s, unsigned int flags)
{
	cr_expect_eq(flags, HMMB_CU_STREAM_NON_BLOCKING);
	*s = (hmmb_CUstream)&prefetches[1];
	return HMMB_CUDA_SUCCESS;
}

static hmmb_CUresult flow_stream_destroy(hmmb_CUstream s)
{
	(void)s;
	return HMMB_CUDA_SUCCESS;
}

static hmmb_CUresult flow_prefetch(hmmb_CUdeviceptr p, size_t n, hmmb_CUmemLocation loc,
				   unsigned int flags, hmmb_CUstream s)
{
	(void)p; (void)n; (void)flags; (void)s;
	cr_assert(loc.type == HMMB_CU_MEM_LOCATION_TYPE_DEVICE ||
		  loc.type == HMMB_CU_MEM_LOCATION_TYPE_HOST, "location type %d", loc.type);
	cr_expect(loc.type != HMMB_CU_MEM_LOCATION_TYPE_DEVICE || loc.id == 1,
		  "prefetched to device %d, not the one opened", loc.id);
	prefetches[loc.type]++;
	return HMMB_CUDA_SUCCESS;
}

static struct nvuvm_cuda flow;

static void use_flow(void)
{
	flow = fake_copy_cuda();
	flow.fn.cuDeviceGetAttribute = flow_attribute;
	flow.fn.cuDeviceGetCount = flow_count;
	flow.fn.cuDeviceGetName = flow_name;
	flow.fn.cuDeviceGetPCIBusId = flow_bus_id;
	flow.fn.cuDevicePrimaryCtxRetain = flow_retain;
	flow.fn.cuDevicePrimaryCtxRelease = flow_release;
	flow.fn.cuStreamCreate = flow_stream_create;
	flow.fn.cuStreamDestroy = flow_stream_destroy;
	flow.fn.cuMemPrefetchAsync = flow_prefetch;
	nvuvm_cuda_override(&flow);
}

Test(nvidia_uvm_flow, discovery_lists_each_device_with_its_verdict, .init = use_flow)
{
	struct hmm_discovery d;

	nvidia_uvm_backend.discover(&d);
	cr_assert_eq(d.n, 2);
	cr_expect_str_eq(d.c[0].path, "cuda:0");
	cr_expect_str_eq(d.c[0].what, "stand-in 0, pci 0000:01:00.0");
	cr_expect(!strncmp(d.c[0].reason, HEAD "(", strlen(HEAD) + 1), "%s", d.c[0].reason);
	cr_expect_str_eq(d.c[1].path, "cuda:1");
	cr_expect_str_empty(d.c[1].reason);
	cr_expect_str_empty(d.reason, "one device is usable");
}

Test(nvidia_uvm_flow, a_device_without_hmm_is_refused_in_one_line, .init = use_flow)
{
	struct hmm_dev dev;

	cr_expect_eq(hmm_dev_open(&dev, &nvidia_uvm_backend, "cuda:0"), -EOPNOTSUPP);
	cr_expect(!strncmp(dev.why, HEAD "(", strlen(HEAD) + 1), "%s", dev.why);
	cr_expect_null(strchr(dev.why, '\n'));
	hmm_dev_close(&dev);
	cr_expect_eq(hmm_dev_open(&dev, &nvidia_uvm_backend, "cuda:0,sideways"), -EINVAL);
	cr_expect(strstr(dev.why, "'cuda:0,sideways' is not a CUDA device"), "%s", dev.why);
	hmm_dev_close(&dev);
}

Test(nvidia_uvm_flow, bus_only_opens_for_the_copy_ceiling_alone, .init = use_flow)
{
	struct hmm_dev dev;
	uint64_t ns[2];

	cr_assert_eq(hmm_dev_open(&dev, &nvidia_uvm_backend, "cuda:0,bus-only"), 0, "%s", dev.why);
	cr_expect(!hmm_dev_can(&dev, HMM_CAP_MIGRATE_TO_DEV));
	cr_expect(!strncmp(hmm_cap_reason(&dev, HMM_CAP_MIGRATE_TO_DEV), HEAD, strlen(HEAD)),
		  "%s", hmm_cap_reason(&dev, HMM_CAP_MIGRATE_TO_DEV));
	cr_expect_eq(prefetches[HMMB_CU_MEM_LOCATION_TYPE_DEVICE], 0, "no probe migration was tried");
	cr_expect_eq(hmm_dev_copy_bus(&dev, HMM_COPY_TO_DEV, 1 << 16, 2, ns), 0, "%s", dev.why);
	cr_expect(ns[0] > 0 && ns[1] > 0, "each copy timed");
	hmm_dev_close(&dev);
}

Test(nvidia_uvm_flow, a_prefetch_that_moves_nothing_reads_as_nothing_moved, .init = use_flow)
{
	struct hmm_dev dev;

	cr_assert_eq(hmm_dev_open(&dev, &nvidia_uvm_backend, "cuda:1"), 0, "%s", dev.why);
	cr_expect_eq(prefetches[HMMB_CU_MEM_LOCATION_TYPE_DEVICE], 1, "the probe prefetched to the device");
	cr_expect_eq(prefetches[HMMB_CU_MEM_LOCATION_TYPE_HOST], 1, "and back to the host");
	cr_expect(!hmm_dev_can(&dev, HMM_CAP_MIGRATE_TO_DEV),
		  "the stand-in moved nothing; pagemap must say so");
	cr_expect(strstr(hmm_cap_reason(&dev, HMM_CAP_MIGRATE_TO_DEV),
			 "pagemap shows 0 of 512 pages device-private"),
		  "%s", hmm_cap_reason(&dev, HMM_CAP_MIGRATE_TO_DEV));
	cr_expect(!hmm_dev_can(&dev, HMM_CAP_DEV_RW));
	hmm_dev_close(&dev);
	/* ,fault-back: back by CPU faults, no prefetch to the host. */
	cr_assert_eq(hmm_dev_open(&dev, &nvidia_uvm_backend, "cuda:1,fault-back"), 0, "%s", dev.why);
	cr_expect_eq(prefetches[HMMB_CU_MEM_LOCATION_TYPE_HOST], 1, "no second prefetch to the host");
	cr_expect(!hmm_dev_can(&dev, HMM_CAP_MIGRATE_TO_SYS));
	hmm_dev_close(&dev);
}

/*
 * 'hmmbench run --job bus.ini --device cuda:0,bus-only' as the runner runs
 * it, the driver API answered by this file's stand-ins: the bus case calls
 * the backend's pinned copies through the wrapper and records each of them
 * (the stand-in's numbers are memcpy's, checked for count only).
 */
Test(nvidia_uvm_flow, bus_only_run_records_the_bus_case, .init = use_flow)
{
	static volatile sig_atomic_t stop;
	struct run_opts o = { .format = "text", .seed = 5 };
	struct rec_writer w = { .f = tmpfile() };
	size_t bus = 0, unsupported = 0;
	struct job_list l;
	struct hmm_dev dev;
	char err[512], line[1 << 14];

	cr_assert(w.f);
	snprintf(w.path, sizeof(w.path), "(test)");
	cr_assert_eq(job_parse_string("bus.ini", "[bus]\nbench=copyceil\nsizes=1M\nrepetitions=2\n",
				      &l, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(hmm_dev_open(&dev, &nvidia_uvm_backend, "cuda:0,bus-only"), 0, "%s", dev.why);
	cr_expect_eq(run_jobs(&dev, &w, &l, &o, &stop), 0);
	hmm_dev_close(&dev);
	job_list_free(&l);
	rewind(w.f);
	while (fgets(line, sizeof(line), w.f)) {
		json_t *r = json_loads(line, 0, NULL);
		const char *m = json_string_value(json_object_get(json_object_get(r, "params"), "method"));

		cr_assert(r, "a record is not JSON: %.200s", line);
		bus += m && !strncmp(m, "bus-", 4) &&
		       !strcmp(json_string_value(json_object_get(r, "type")), "sample");
		unsupported += !strcmp(json_string_value(json_object_get(r, "type")), "unsupported");
		json_decref(r);
	}
	fclose(w.f);
	cr_expect_eq(bus, 4, "2 pinned copies each way");
	cr_expect_eq(unsupported, 0);
}
