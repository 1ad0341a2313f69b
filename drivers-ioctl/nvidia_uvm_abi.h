/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few CUDA driver API entry points, types and numbers the nvidia-uvm
 * backend uses, declared here so hmmbench builds without CUDA and loads
 * libcuda.so.1 at run time. Read from CUDA 13.0's cuda.h; checked against
 * the machine's cuda.h by tests/unit/test_nvidia_uvm_abi.c.
 *
 * libcuda exports several versions of many functions; cuda.h maps each API
 * name to one of them with a macro (CUDA 13: cuMemPrefetchAsync is
 * cuMemPrefetchAsync_v2, which takes a CUmemLocation; the unversioned
 * export keeps the old CUdevice signature). So every entry point is looked
 * up by the exported name whose signature is declared here, never by the
 * API name.
 *
 * HMMB_CUDA_ENTRY_POINTS(X, T) lists them: X(api, exported, (params)),
 * every one returning CUresult. T(type) names a CUDA type: hmmb_##type
 * here, cuda.h's own type in the test, so one list serves both.
 */
#ifndef HMMBENCH_NVIDIA_UVM_ABI_H
#define HMMBENCH_NVIDIA_UVM_ABI_H

#include <stddef.h>

typedef int hmmb_CUresult;			/* enum cudaError_enum */
typedef int hmmb_CUdevice;			/* CUdevice_v1 */
typedef unsigned long long hmmb_CUdeviceptr;	/* CUdeviceptr_v2 on 64-bit */
typedef int hmmb_CUdevice_attribute;		/* enum CUdevice_attribute_enum */
typedef int hmmb_CUmemLocationType;		/* enum CUmemLocationType_enum */
typedef struct hmmb_CUctx_st *hmmb_CUcontext;
typedef struct hmmb_CUstream_st *hmmb_CUstream;

typedef struct hmmb_CUmemLocation_st {
	hmmb_CUmemLocationType type;
	int id;
} hmmb_CUmemLocation;

/* CUresult values hmmbench tells apart. */
#define HMMB_CUDA_SUCCESS			0
#define HMMB_CUDA_ERROR_INVALID_VALUE		1
#define HMMB_CUDA_ERROR_OUT_OF_MEMORY		2
#define HMMB_CUDA_ERROR_NOT_INITIALIZED		3
#define HMMB_CUDA_ERROR_STUB_LIBRARY		34
#define HMMB_CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER 36
#define HMMB_CUDA_ERROR_DEVICE_UNAVAILABLE	46
#define HMMB_CUDA_ERROR_NO_DEVICE		100
#define HMMB_CUDA_ERROR_INVALID_DEVICE		101
#define HMMB_CUDA_ERROR_OPERATING_SYSTEM	304
#define HMMB_CUDA_ERROR_NOT_PERMITTED		800
#define HMMB_CUDA_ERROR_NOT_SUPPORTED		801
#define HMMB_CUDA_ERROR_SYSTEM_DRIVER_MISMATCH	803

/* CUdevice_attribute values. */
#define HMMB_CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS			88
#define HMMB_CU_DEVICE_ATTRIBUTE_CONCURRENT_MANAGED_ACCESS		89
#define HMMB_CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS_USES_HOST_PAGE_TABLES 100

/* CUmemLocationType values (HOST: CUDA 12.2). */
#define HMMB_CU_MEM_LOCATION_TYPE_DEVICE	1
#define HMMB_CU_MEM_LOCATION_TYPE_HOST		2

#define HMMB_CU_STREAM_NON_BLOCKING		1

/* cudaVersion of the driver that first exported cuMemPrefetchAsync_v2. */
#define HMMB_CUDA_VERSION_PREFETCH_V2		12020

#define HMMB_CUDA_ENTRY_POINTS(X, T)						\
	X(cuGetErrorName, cuGetErrorName, (T(CUresult) error, const char **pstr)) \
	X(cuInit, cuInit, (unsigned int flags))					\
	X(cuDriverGetVersion, cuDriverGetVersion, (int *version))		\
	X(cuDeviceGetCount, cuDeviceGetCount, (int *count))			\
	X(cuDeviceGet, cuDeviceGet, (T(CUdevice) *device, int ordinal))	\
	X(cuDeviceGetName, cuDeviceGetName, (char *name, int len, T(CUdevice) dev)) \
	X(cuDeviceGetPCIBusId, cuDeviceGetPCIBusId, (char *bus_id, int len, T(CUdevice) dev)) \
	X(cuDeviceGetAttribute, cuDeviceGetAttribute,				\
	  (int *value, T(CUdevice_attribute) attrib, T(CUdevice) dev))		\
	X(cuDevicePrimaryCtxRetain, cuDevicePrimaryCtxRetain,			\
	  (T(CUcontext) *pctx, T(CUdevice) dev))				\
	X(cuDevicePrimaryCtxRelease, cuDevicePrimaryCtxRelease_v2, (T(CUdevice) dev)) \
	X(cuCtxSetCurrent, cuCtxSetCurrent, (T(CUcontext) ctx))		\
	X(cuStreamCreate, cuStreamCreate, (T(CUstream) *stream, unsigned int flags)) \
	X(cuStreamDestroy, cuStreamDestroy_v2, (T(CUstream) stream))		\
	X(cuStreamSynchronize, cuStreamSynchronize, (T(CUstream) stream))	\
	X(cuMemPrefetchAsync, cuMemPrefetchAsync_v2,				\
	  (T(CUdeviceptr) ptr, size_t count, T(CUmemLocation) location,	\
	   unsigned int flags, T(CUstream) stream))				\
	X(cuMemAllocHost, cuMemAllocHost_v2, (void **pp, size_t bytes))	\
	X(cuMemFreeHost, cuMemFreeHost, (void *p))				\
	X(cuMemAlloc, cuMemAlloc_v2, (T(CUdeviceptr) *dptr, size_t bytes))	\
	X(cuMemFree, cuMemFree_v2, (T(CUdeviceptr) dptr))			\
	X(cuMemcpyHtoDAsync, cuMemcpyHtoDAsync_v2,				\
	  (T(CUdeviceptr) dst, const void *src, size_t bytes, T(CUstream) stream)) \
	X(cuMemcpyDtoHAsync, cuMemcpyDtoHAsync_v2,				\
	  (void *dst, T(CUdeviceptr) src, size_t bytes, T(CUstream) stream))

#define HMMB_CUDA_T(type) hmmb_##type

/* The loaded entry points: cuda.fn.cuInit(0), ... */
#define HMMB_CUDA_FN_FIELD(api, exported, params) \
	hmmb_CUresult (*api) params;
struct hmmb_cuda_fns {
	HMMB_CUDA_ENTRY_POINTS(HMMB_CUDA_FN_FIELD, HMMB_CUDA_T)
};
#undef HMMB_CUDA_FN_FIELD

#endif
