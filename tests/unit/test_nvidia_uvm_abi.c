// SPDX-License-Identifier: GPL-2.0
/*
 * The CUDA driver API as drivers-ioctl/nvidia_uvm_abi.h declares it,
 * checked against a real cuda.h: $(HMMBENCH_CUDA_H) at configure time,
 * else /usr/local/cuda/include/cuda.h, else <cuda.h> (Debian's
 * nvidia-cuda-dev). Skipped, with the reason, where there is none.
 *
 * For each entry point: cuda.h's API name maps (by its versioning macro)
 * to the exported name hmmbench looks up, and the function it declares
 * there has exactly hmmbench's signature once hmmbench's types are read
 * as cuda.h's; the types themselves are checked to match in size and
 * kind, the numbers in value, CUmemLocation field by field.
 */
#include <stddef.h>
#include <string.h>

#include <criterion/criterion.h>

/* Before cuda.h, so its macros do not rename our fields. */
#include "nvidia_uvm_abi.h"

#if defined(HMMB_CUDA_H)
#include HMMB_CUDA_H
#define CUDA_H HMMB_CUDA_H
#elif __has_include("/usr/local/cuda/include/cuda.h")
#include "/usr/local/cuda/include/cuda.h"
#define CUDA_H "/usr/local/cuda/include/cuda.h"
#elif __has_include(<cuda.h>)
#include <cuda.h>
#define CUDA_H "<cuda.h>"
#endif

#define NO_CUDA_H "no cuda.h here (looked for HMMBENCH_CUDA_H, /usr/local/cuda/include/cuda.h and <cuda.h>; install CUDA or nvidia-cuda-dev to check the declarations)"

#ifdef CUDA_H
#define STR(x) #x
#define XSTR(x) STR(x)
/* Our signature list, read with cuda.h's types. */
#define CUDA_T(type) type

#define CHECK_ENTRY(api, exported, params)					\
	cr_expect_str_eq(XSTR(api), #exported,					\
		"%s maps " #api " to %s, but hmmbench looks up " #exported,	\
		CUDA_H, XSTR(api));						\
	cr_expect(__builtin_types_compatible_p(__typeof__(&api), CUresult (*) params), \
		"%s declares " #api " (exported as %s) with another signature than hmmbench's " \
		#exported #params, CUDA_H, XSTR(api));				\
	checked++;
#endif

Test(nvidia_uvm_abi, entry_points_match_cuda_h)
{
#ifdef CUDA_H
	int checked = 0;

	HMMB_CUDA_ENTRY_POINTS(CHECK_ENTRY, CUDA_T)
	cr_expect_gt(checked, 15, "the list of entry points is suspiciously short (%d)", checked);
#else
	cr_skip_test(NO_CUDA_H);
#endif
}

#define EXPECT_SAME_INT_TYPE(ours, theirs)					\
	cr_expect_eq(sizeof(ours), sizeof(theirs),				\
		     #ours " is %zu bytes, but %s has " #theirs " of %zu",	\
		     sizeof(ours), CUDA_H, sizeof(theirs));			\
	cr_expect_eq(_Alignof(ours), _Alignof(theirs),				\
		     #ours " is aligned to %zu, but %s has " #theirs " at %zu",	\
		     _Alignof(ours), CUDA_H, _Alignof(theirs))

Test(nvidia_uvm_abi, types_match_cuda_h)
{
#ifdef CUDA_H
	EXPECT_SAME_INT_TYPE(hmmb_CUresult, CUresult);
	EXPECT_SAME_INT_TYPE(hmmb_CUdevice_attribute, CUdevice_attribute);
	EXPECT_SAME_INT_TYPE(hmmb_CUmemLocationType, CUmemLocationType);
	EXPECT_SAME_INT_TYPE(hmmb_CUcontext, CUcontext);
	EXPECT_SAME_INT_TYPE(hmmb_CUstream, CUstream);
	cr_expect(__builtin_types_compatible_p(hmmb_CUdevice, CUdevice),
		  "hmmb_CUdevice is not %s's CUdevice type", CUDA_H);
	cr_expect(__builtin_types_compatible_p(hmmb_CUdeviceptr, CUdeviceptr),
		  "hmmb_CUdeviceptr is not %s's CUdeviceptr type", CUDA_H);
	cr_expect_eq(sizeof(hmmb_CUmemLocation), sizeof(CUmemLocation),
		     "hmmb_CUmemLocation is %zu bytes, %s's CUmemLocation %zu",
		     sizeof(hmmb_CUmemLocation), CUDA_H, sizeof(CUmemLocation));
	cr_expect_eq(offsetof(hmmb_CUmemLocation, type), offsetof(CUmemLocation, type),
		     "CUmemLocation.type is at %zu in %s", offsetof(CUmemLocation, type), CUDA_H);
	cr_expect_eq(offsetof(hmmb_CUmemLocation, id), offsetof(CUmemLocation, id),
		     "CUmemLocation.id is at %zu in %s", offsetof(CUmemLocation, id), CUDA_H);
	cr_expect_eq(sizeof(((hmmb_CUmemLocation *)0)->id), sizeof(((CUmemLocation *)0)->id));
#else
	cr_skip_test(NO_CUDA_H);
#endif
}

#define EXPECT_VALUE(ours, theirs)						\
	cr_expect_eq((long long)(ours), (long long)(theirs),			\
		     #ours " is %lld, but %s has " #theirs " = %lld",		\
		     (long long)(ours), CUDA_H, (long long)(theirs))

Test(nvidia_uvm_abi, numbers_match_cuda_h)
{
#ifdef CUDA_H
	EXPECT_VALUE(HMMB_CUDA_SUCCESS, CUDA_SUCCESS);
	EXPECT_VALUE(HMMB_CUDA_ERROR_INVALID_VALUE, CUDA_ERROR_INVALID_VALUE);
	EXPECT_VALUE(HMMB_CUDA_ERROR_OUT_OF_MEMORY, CUDA_ERROR_OUT_OF_MEMORY);
	EXPECT_VALUE(HMMB_CUDA_ERROR_NOT_INITIALIZED, CUDA_ERROR_NOT_INITIALIZED);
	EXPECT_VALUE(HMMB_CUDA_ERROR_STUB_LIBRARY, CUDA_ERROR_STUB_LIBRARY);
	EXPECT_VALUE(HMMB_CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER, CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER);
	EXPECT_VALUE(HMMB_CUDA_ERROR_DEVICE_UNAVAILABLE, CUDA_ERROR_DEVICE_UNAVAILABLE);
	EXPECT_VALUE(HMMB_CUDA_ERROR_NO_DEVICE, CUDA_ERROR_NO_DEVICE);
	EXPECT_VALUE(HMMB_CUDA_ERROR_INVALID_DEVICE, CUDA_ERROR_INVALID_DEVICE);
	EXPECT_VALUE(HMMB_CUDA_ERROR_OPERATING_SYSTEM, CUDA_ERROR_OPERATING_SYSTEM);
	EXPECT_VALUE(HMMB_CUDA_ERROR_NOT_PERMITTED, CUDA_ERROR_NOT_PERMITTED);
	EXPECT_VALUE(HMMB_CUDA_ERROR_NOT_SUPPORTED, CUDA_ERROR_NOT_SUPPORTED);
	EXPECT_VALUE(HMMB_CUDA_ERROR_SYSTEM_DRIVER_MISMATCH, CUDA_ERROR_SYSTEM_DRIVER_MISMATCH);
	EXPECT_VALUE(HMMB_CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS,
		     CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS);
	EXPECT_VALUE(HMMB_CU_DEVICE_ATTRIBUTE_CONCURRENT_MANAGED_ACCESS,
		     CU_DEVICE_ATTRIBUTE_CONCURRENT_MANAGED_ACCESS);
	EXPECT_VALUE(HMMB_CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS_USES_HOST_PAGE_TABLES,
		     CU_DEVICE_ATTRIBUTE_PAGEABLE_MEMORY_ACCESS_USES_HOST_PAGE_TABLES);
	EXPECT_VALUE(HMMB_CU_MEM_LOCATION_TYPE_DEVICE, CU_MEM_LOCATION_TYPE_DEVICE);
	EXPECT_VALUE(HMMB_CU_MEM_LOCATION_TYPE_HOST, CU_MEM_LOCATION_TYPE_HOST);
	EXPECT_VALUE(HMMB_CU_STREAM_NON_BLOCKING, CU_STREAM_NON_BLOCKING);
	cr_expect_geq(CUDA_VERSION, HMMB_CUDA_VERSION_PREFETCH_V2,
		      "%s is CUDA %d: older than 12.2, it has no cuMemPrefetchAsync_v2 to check against",
		      CUDA_H, CUDA_VERSION);
#else
	cr_skip_test(NO_CUDA_H);
#endif
}
