/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GPU ABI checks, compiled once per source of the real headers
 * (test_gpu_abi.c: the system's; test_gpu_abi_ktree.c: a kernel tree's).
 * The includer defines GPU_ABI_SUITE and, for each header it managed to
 * include, NOUVEAU_H / KFD_H / XE_H / FS_H as the header's name, and
 * GPU_ABI_MISSING as the reason a missing header is skipped (and
 * GPU_ABI_MISSING_XE for xe_drm.h, if that reason differs).
 */
#include <stddef.h>
#include <stdint.h>

#include <criterion/criterion.h>

#include "kfd_abi.h"
#include "nouveau_abi.h"
#include "pagemap.h"
#include "xe_abi.h"

#ifndef GPU_ABI_MISSING_XE
#define GPU_ABI_MISSING_XE GPU_ABI_MISSING
#endif

#define EXPECT_SIZE(ours, theirs, hdr)						\
	cr_expect_eq(sizeof(struct ours), sizeof(struct theirs),		\
		     "sizeof(struct " #ours ") is %zu, but %s has sizeof(struct " #theirs ") = %zu", \
		     sizeof(struct ours), hdr, sizeof(struct theirs))

#define EXPECT_FIELD(ours, theirs, f, hdr) do {					\
	cr_expect_eq(offsetof(struct ours, f), offsetof(struct theirs, f),	\
		     "offsetof(struct " #ours ", " #f ") is %zu, but %s has it at %zu", \
		     offsetof(struct ours, f), hdr, offsetof(struct theirs, f)); \
	cr_expect_eq(sizeof(((struct ours *)0)->f), sizeof(((struct theirs *)0)->f), \
		     "field " #f " of struct " #ours " is %zu bytes, but %s has %zu", \
		     sizeof(((struct ours *)0)->f), hdr, sizeof(((struct theirs *)0)->f)); \
} while (0)

#define EXPECT_VALUE(ours, theirs, hdr)						\
	cr_expect_eq((unsigned long long)(ours), (unsigned long long)(theirs),	\
		     #ours " is 0x%llx, but %s has " #theirs " = 0x%llx",	\
		     (unsigned long long)(ours), hdr, (unsigned long long)(theirs))

Test(GPU_ABI_SUITE, nouveau_structs_match)
{
#ifdef NOUVEAU_H
	EXPECT_SIZE(hmmb_nouveau_getparam, drm_nouveau_getparam, NOUVEAU_H);
	EXPECT_FIELD(hmmb_nouveau_getparam, drm_nouveau_getparam, param, NOUVEAU_H);
	EXPECT_FIELD(hmmb_nouveau_getparam, drm_nouveau_getparam, value, NOUVEAU_H);
	EXPECT_SIZE(hmmb_nouveau_svm_init, drm_nouveau_svm_init, NOUVEAU_H);
	EXPECT_FIELD(hmmb_nouveau_svm_init, drm_nouveau_svm_init, unmanaged_addr, NOUVEAU_H);
	EXPECT_FIELD(hmmb_nouveau_svm_init, drm_nouveau_svm_init, unmanaged_size, NOUVEAU_H);
	EXPECT_SIZE(hmmb_nouveau_svm_bind, drm_nouveau_svm_bind, NOUVEAU_H);
	EXPECT_FIELD(hmmb_nouveau_svm_bind, drm_nouveau_svm_bind, header, NOUVEAU_H);
	EXPECT_FIELD(hmmb_nouveau_svm_bind, drm_nouveau_svm_bind, va_start, NOUVEAU_H);
	EXPECT_FIELD(hmmb_nouveau_svm_bind, drm_nouveau_svm_bind, va_end, NOUVEAU_H);
	EXPECT_FIELD(hmmb_nouveau_svm_bind, drm_nouveau_svm_bind, npages, NOUVEAU_H);
	EXPECT_FIELD(hmmb_nouveau_svm_bind, drm_nouveau_svm_bind, stride, NOUVEAU_H);
	EXPECT_FIELD(hmmb_nouveau_svm_bind, drm_nouveau_svm_bind, result, NOUVEAU_H);
	EXPECT_FIELD(hmmb_nouveau_svm_bind, drm_nouveau_svm_bind, reserved0, NOUVEAU_H);
	EXPECT_FIELD(hmmb_nouveau_svm_bind, drm_nouveau_svm_bind, reserved1, NOUVEAU_H);
#else
	cr_skip_test("nouveau_drm.h: %s", GPU_ABI_MISSING);
#endif
}

Test(GPU_ABI_SUITE, nouveau_numbers_match)
{
#ifdef NOUVEAU_H
	EXPECT_VALUE(HMMB_NOUVEAU_GETPARAM_CHIPSET_ID, NOUVEAU_GETPARAM_CHIPSET_ID, NOUVEAU_H);
	EXPECT_VALUE(HMMB_DRM_NOUVEAU_GETPARAM, DRM_NOUVEAU_GETPARAM, NOUVEAU_H);
	EXPECT_VALUE(HMMB_DRM_NOUVEAU_SVM_INIT, DRM_NOUVEAU_SVM_INIT, NOUVEAU_H);
	EXPECT_VALUE(HMMB_DRM_NOUVEAU_SVM_BIND, DRM_NOUVEAU_SVM_BIND, NOUVEAU_H);
	EXPECT_VALUE(HMMB_NOUVEAU_SVM_BIND_COMMAND_SHIFT, NOUVEAU_SVM_BIND_COMMAND_SHIFT, NOUVEAU_H);
	EXPECT_VALUE(HMMB_NOUVEAU_SVM_BIND_PRIORITY_SHIFT, NOUVEAU_SVM_BIND_PRIORITY_SHIFT, NOUVEAU_H);
	EXPECT_VALUE(HMMB_NOUVEAU_SVM_BIND_TARGET_SHIFT, NOUVEAU_SVM_BIND_TARGET_SHIFT, NOUVEAU_H);
	EXPECT_VALUE(HMMB_NOUVEAU_SVM_BIND_VALID_BITS, NOUVEAU_SVM_BIND_VALID_BITS, NOUVEAU_H);
	EXPECT_VALUE(HMMB_NOUVEAU_SVM_BIND_COMMAND__MIGRATE, NOUVEAU_SVM_BIND_COMMAND__MIGRATE, NOUVEAU_H);
	EXPECT_VALUE(HMMB_NOUVEAU_SVM_BIND_TARGET__GPU_VRAM, NOUVEAU_SVM_BIND_TARGET__GPU_VRAM, NOUVEAU_H);
	EXPECT_VALUE(HMMB_DRM_COMMAND_BASE, DRM_COMMAND_BASE, NOUVEAU_H);
	/* The ioctl numbers, built the way the kernel header builds them. */
	EXPECT_VALUE(HMMB_IOCTL_NOUVEAU_GETPARAM,
		     DRM_IOWR(DRM_COMMAND_BASE + DRM_NOUVEAU_GETPARAM, struct drm_nouveau_getparam), NOUVEAU_H);
	EXPECT_VALUE(HMMB_IOCTL_NOUVEAU_SVM_INIT,
		     DRM_IOWR(DRM_COMMAND_BASE + DRM_NOUVEAU_SVM_INIT, struct drm_nouveau_svm_init), NOUVEAU_H);
	EXPECT_VALUE(HMMB_IOCTL_NOUVEAU_SVM_BIND,
		     DRM_IOWR(DRM_COMMAND_BASE + DRM_NOUVEAU_SVM_BIND, struct drm_nouveau_svm_bind), NOUVEAU_H);
#ifdef DRM_IOCTL_NOUVEAU_SVM_BIND	/* the kernel's header has them, libdrm's not */
	EXPECT_VALUE(HMMB_IOCTL_NOUVEAU_GETPARAM, DRM_IOCTL_NOUVEAU_GETPARAM, NOUVEAU_H);
	EXPECT_VALUE(HMMB_IOCTL_NOUVEAU_SVM_INIT, DRM_IOCTL_NOUVEAU_SVM_INIT, NOUVEAU_H);
	EXPECT_VALUE(HMMB_IOCTL_NOUVEAU_SVM_BIND, DRM_IOCTL_NOUVEAU_SVM_BIND, NOUVEAU_H);
#endif
#else
	cr_skip_test("nouveau_drm.h: %s", GPU_ABI_MISSING);
#endif
}

Test(GPU_ABI_SUITE, kfd_structs_match)
{
#ifdef KFD_H
	EXPECT_SIZE(hmmb_kfd_get_version_args, kfd_ioctl_get_version_args, KFD_H);
	EXPECT_FIELD(hmmb_kfd_get_version_args, kfd_ioctl_get_version_args, major_version, KFD_H);
	EXPECT_FIELD(hmmb_kfd_get_version_args, kfd_ioctl_get_version_args, minor_version, KFD_H);
	EXPECT_SIZE(hmmb_kfd_acquire_vm_args, kfd_ioctl_acquire_vm_args, KFD_H);
	EXPECT_FIELD(hmmb_kfd_acquire_vm_args, kfd_ioctl_acquire_vm_args, drm_fd, KFD_H);
	EXPECT_FIELD(hmmb_kfd_acquire_vm_args, kfd_ioctl_acquire_vm_args, gpu_id, KFD_H);
	EXPECT_SIZE(hmmb_kfd_svm_attribute, kfd_ioctl_svm_attribute, KFD_H);
	EXPECT_FIELD(hmmb_kfd_svm_attribute, kfd_ioctl_svm_attribute, type, KFD_H);
	EXPECT_FIELD(hmmb_kfd_svm_attribute, kfd_ioctl_svm_attribute, value, KFD_H);
	EXPECT_SIZE(hmmb_kfd_svm_args, kfd_ioctl_svm_args, KFD_H);
	EXPECT_FIELD(hmmb_kfd_svm_args, kfd_ioctl_svm_args, start_addr, KFD_H);
	EXPECT_FIELD(hmmb_kfd_svm_args, kfd_ioctl_svm_args, size, KFD_H);
	EXPECT_FIELD(hmmb_kfd_svm_args, kfd_ioctl_svm_args, op, KFD_H);
	EXPECT_FIELD(hmmb_kfd_svm_args, kfd_ioctl_svm_args, nattr, KFD_H);
	cr_expect_eq(offsetof(struct hmmb_kfd_svm_args, attrs), offsetof(struct kfd_ioctl_svm_args, attrs),
		     "the SVM attributes start at %zu in ours, at %zu in %s",
		     offsetof(struct hmmb_kfd_svm_args, attrs), offsetof(struct kfd_ioctl_svm_args, attrs), KFD_H);
#else
	cr_skip_test("kfd_ioctl.h: %s", GPU_ABI_MISSING);
#endif
}

Test(GPU_ABI_SUITE, kfd_numbers_match)
{
#ifdef KFD_H
	EXPECT_VALUE(HMMB_KFD_IOCTL_SVM_OP_SET_ATTR, KFD_IOCTL_SVM_OP_SET_ATTR, KFD_H);
	EXPECT_VALUE(HMMB_KFD_IOCTL_SVM_OP_GET_ATTR, KFD_IOCTL_SVM_OP_GET_ATTR, KFD_H);
	EXPECT_VALUE(HMMB_KFD_IOCTL_SVM_ATTR_PREFERRED_LOC, KFD_IOCTL_SVM_ATTR_PREFERRED_LOC, KFD_H);
	EXPECT_VALUE(HMMB_KFD_IOCTL_SVM_ATTR_PREFETCH_LOC, KFD_IOCTL_SVM_ATTR_PREFETCH_LOC, KFD_H);
	EXPECT_VALUE(HMMB_KFD_IOCTL_SVM_LOCATION_SYSMEM, KFD_IOCTL_SVM_LOCATION_SYSMEM, KFD_H);
	EXPECT_VALUE(HMMB_AMDKFD_IOC_GET_VERSION, AMDKFD_IOC_GET_VERSION, KFD_H);
	EXPECT_VALUE(HMMB_AMDKFD_IOC_ACQUIRE_VM, AMDKFD_IOC_ACQUIRE_VM, KFD_H);
	EXPECT_VALUE(HMMB_AMDKFD_IOC_SVM, AMDKFD_IOC_SVM, KFD_H);
	/* What kfd_ioctl_svm_validate() wants: room for the attributes in the size field. */
	EXPECT_VALUE(_IOC_SIZE(HMMB_AMDKFD_IOC_SVM_N(1)),
		     sizeof(struct kfd_ioctl_svm_args) + sizeof(struct kfd_ioctl_svm_attribute), KFD_H);
	EXPECT_VALUE(_IOC_NR(HMMB_AMDKFD_IOC_SVM_N(1)), _IOC_NR(AMDKFD_IOC_SVM), KFD_H);
#else
	cr_skip_test("kfd_ioctl.h: %s", GPU_ABI_MISSING);
#endif
}

Test(GPU_ABI_SUITE, xe_structs_match)
{
#ifdef XE_H
	EXPECT_SIZE(hmmb_xe_device_query, drm_xe_device_query, XE_H);
	EXPECT_FIELD(hmmb_xe_device_query, drm_xe_device_query, extensions, XE_H);
	EXPECT_FIELD(hmmb_xe_device_query, drm_xe_device_query, query, XE_H);
	EXPECT_FIELD(hmmb_xe_device_query, drm_xe_device_query, size, XE_H);
	EXPECT_FIELD(hmmb_xe_device_query, drm_xe_device_query, data, XE_H);
	EXPECT_FIELD(hmmb_xe_device_query, drm_xe_device_query, reserved, XE_H);
	EXPECT_SIZE(hmmb_xe_mem_region, drm_xe_mem_region, XE_H);
	EXPECT_FIELD(hmmb_xe_mem_region, drm_xe_mem_region, mem_class, XE_H);
	EXPECT_FIELD(hmmb_xe_mem_region, drm_xe_mem_region, instance, XE_H);
	EXPECT_FIELD(hmmb_xe_mem_region, drm_xe_mem_region, min_page_size, XE_H);
	EXPECT_FIELD(hmmb_xe_mem_region, drm_xe_mem_region, total_size, XE_H);
	EXPECT_FIELD(hmmb_xe_mem_region, drm_xe_mem_region, reserved, XE_H);
	EXPECT_SIZE(hmmb_xe_query_mem_regions, drm_xe_query_mem_regions, XE_H);
	EXPECT_FIELD(hmmb_xe_query_mem_regions, drm_xe_query_mem_regions, num_mem_regions, XE_H);
	cr_expect_eq(offsetof(struct hmmb_xe_query_mem_regions, mem_regions),
		     offsetof(struct drm_xe_query_mem_regions, mem_regions),
		     "mem_regions[] starts at %zu in ours, not where %s puts it", 
		     offsetof(struct hmmb_xe_query_mem_regions, mem_regions), XE_H);
	EXPECT_SIZE(hmmb_xe_query_config, drm_xe_query_config, XE_H);
	EXPECT_FIELD(hmmb_xe_query_config, drm_xe_query_config, num_params, XE_H);
	cr_expect_eq(offsetof(struct hmmb_xe_query_config, info), offsetof(struct drm_xe_query_config, info),
		     "info[] starts at %zu in ours, not where %s puts it",
		     offsetof(struct hmmb_xe_query_config, info), XE_H);
	EXPECT_SIZE(hmmb_xe_vm_create, drm_xe_vm_create, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_create, drm_xe_vm_create, flags, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_create, drm_xe_vm_create, vm_id, XE_H);
	EXPECT_SIZE(hmmb_xe_vm_destroy, drm_xe_vm_destroy, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_destroy, drm_xe_vm_destroy, vm_id, XE_H);
	EXPECT_SIZE(hmmb_xe_vm_bind_op, drm_xe_vm_bind_op, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind_op, drm_xe_vm_bind_op, obj, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind_op, drm_xe_vm_bind_op, pat_index, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind_op, drm_xe_vm_bind_op, obj_offset, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind_op, drm_xe_vm_bind_op, range, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind_op, drm_xe_vm_bind_op, addr, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind_op, drm_xe_vm_bind_op, op, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind_op, drm_xe_vm_bind_op, flags, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind_op, drm_xe_vm_bind_op, prefetch_mem_region_instance, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind_op, drm_xe_vm_bind_op, reserved, XE_H);
	EXPECT_SIZE(hmmb_xe_vm_bind, drm_xe_vm_bind, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind, drm_xe_vm_bind, vm_id, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind, drm_xe_vm_bind, exec_queue_id, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind, drm_xe_vm_bind, num_binds, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind, drm_xe_vm_bind, bind, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind, drm_xe_vm_bind, pad2, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind, drm_xe_vm_bind, num_syncs, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind, drm_xe_vm_bind, syncs, XE_H);
	EXPECT_FIELD(hmmb_xe_vm_bind, drm_xe_vm_bind, reserved, XE_H);
#else
	cr_skip_test("xe_drm.h: %s", GPU_ABI_MISSING_XE);
#endif
}

Test(GPU_ABI_SUITE, xe_numbers_match)
{
#ifdef XE_H
	EXPECT_VALUE(HMMB_XE_DEVICE_QUERY_MEM_REGIONS, DRM_XE_DEVICE_QUERY_MEM_REGIONS, XE_H);
	EXPECT_VALUE(HMMB_XE_DEVICE_QUERY_CONFIG, DRM_XE_DEVICE_QUERY_CONFIG, XE_H);
	EXPECT_VALUE(HMMB_XE_MEM_REGION_CLASS_SYSMEM, DRM_XE_MEM_REGION_CLASS_SYSMEM, XE_H);
	EXPECT_VALUE(HMMB_XE_MEM_REGION_CLASS_VRAM, DRM_XE_MEM_REGION_CLASS_VRAM, XE_H);
	EXPECT_VALUE(HMMB_XE_QUERY_CONFIG_FLAGS, DRM_XE_QUERY_CONFIG_FLAGS, XE_H);
	EXPECT_VALUE(HMMB_XE_QUERY_CONFIG_FLAG_HAS_VRAM, DRM_XE_QUERY_CONFIG_FLAG_HAS_VRAM, XE_H);
	EXPECT_VALUE(HMMB_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR,
		     DRM_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR, XE_H);
	EXPECT_VALUE(HMMB_XE_QUERY_CONFIG_VA_BITS, DRM_XE_QUERY_CONFIG_VA_BITS, XE_H);
	EXPECT_VALUE(HMMB_XE_VM_CREATE_FLAG_LR_MODE, DRM_XE_VM_CREATE_FLAG_LR_MODE, XE_H);
	EXPECT_VALUE(HMMB_XE_VM_CREATE_FLAG_FAULT_MODE, DRM_XE_VM_CREATE_FLAG_FAULT_MODE, XE_H);
	EXPECT_VALUE(HMMB_XE_VM_BIND_OP_MAP, DRM_XE_VM_BIND_OP_MAP, XE_H);
	EXPECT_VALUE(HMMB_XE_VM_BIND_OP_PREFETCH, DRM_XE_VM_BIND_OP_PREFETCH, XE_H);
	EXPECT_VALUE(HMMB_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR, DRM_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR, XE_H);
	EXPECT_VALUE(HMMB_IOCTL_XE_DEVICE_QUERY, DRM_IOCTL_XE_DEVICE_QUERY, XE_H);
	EXPECT_VALUE(HMMB_IOCTL_XE_VM_CREATE, DRM_IOCTL_XE_VM_CREATE, XE_H);
	EXPECT_VALUE(HMMB_IOCTL_XE_VM_DESTROY, DRM_IOCTL_XE_VM_DESTROY, XE_H);
	EXPECT_VALUE(HMMB_IOCTL_XE_VM_BIND, DRM_IOCTL_XE_VM_BIND, XE_H);
#else
	cr_skip_test("xe_drm.h: %s", GPU_ABI_MISSING_XE);
#endif
}

Test(GPU_ABI_SUITE, pagemap_scan_matches)
{
#if defined(FS_H) && defined(PAGEMAP_SCAN)
	EXPECT_SIZE(hmmb_pm_scan_arg, pm_scan_arg, FS_H);
	EXPECT_FIELD(hmmb_pm_scan_arg, pm_scan_arg, start, FS_H);
	EXPECT_FIELD(hmmb_pm_scan_arg, pm_scan_arg, end, FS_H);
	EXPECT_FIELD(hmmb_pm_scan_arg, pm_scan_arg, walk_end, FS_H);
	EXPECT_FIELD(hmmb_pm_scan_arg, pm_scan_arg, vec, FS_H);
	EXPECT_FIELD(hmmb_pm_scan_arg, pm_scan_arg, vec_len, FS_H);
	EXPECT_FIELD(hmmb_pm_scan_arg, pm_scan_arg, category_anyof_mask, FS_H);
	EXPECT_FIELD(hmmb_pm_scan_arg, pm_scan_arg, return_mask, FS_H);
	EXPECT_SIZE(hmmb_page_region, page_region, FS_H);
	EXPECT_FIELD(hmmb_page_region, page_region, categories, FS_H);
	EXPECT_VALUE(HMMB_PAGEMAP_SCAN, PAGEMAP_SCAN, FS_H);
	EXPECT_VALUE(HMMB_PAGE_IS_PRESENT, PAGE_IS_PRESENT, FS_H);
	EXPECT_VALUE(HMMB_PAGE_IS_SWAPPED, PAGE_IS_SWAPPED, FS_H);
	EXPECT_VALUE(HMMB_PAGE_IS_PFNZERO, PAGE_IS_PFNZERO, FS_H);
	EXPECT_VALUE(HMMB_PAGE_IS_HUGE, PAGE_IS_HUGE, FS_H);
#elif defined(FS_H)
	cr_skip_test("%s has no PAGEMAP_SCAN (added in Linux 6.7)", FS_H);
#else
	cr_skip_test("linux/fs.h: %s", GPU_ABI_MISSING);
#endif
}
