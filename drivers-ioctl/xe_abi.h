/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Our own statement of the part of include/uapi/drm/xe_drm.h (Linux 7.2)
 * that hmmbench uses: DEVICE_QUERY (config, memory regions), VM_CREATE in
 * fault mode, VM_BIND with a CPU-address-mirror MAP and PREFETCH, and
 * VM_DESTROY. tests/unit/test_gpu_abi.c checks it against a kernel tree.
 */
#ifndef HMMBENCH_XE_ABI_H
#define HMMBENCH_XE_ABI_H

#include <linux/ioctl.h>
#include <stdint.h>

#include "nouveau_abi.h"	/* HMMB_DRM_IOCTL_BASE, HMMB_DRM_COMMAND_BASE */

struct hmmb_xe_device_query {
	uint64_t extensions;
	uint32_t query;
	uint32_t size;
	uint64_t data;
	uint64_t reserved[2];
};

#define HMMB_XE_DEVICE_QUERY_MEM_REGIONS	1
#define HMMB_XE_DEVICE_QUERY_CONFIG		2

struct hmmb_xe_mem_region {
	uint16_t mem_class;
	uint16_t instance;	/* what VM_BIND PREFETCH takes */
	uint32_t min_page_size;
	uint64_t total_size;
	uint64_t used;
	uint64_t cpu_visible_size;
	uint64_t cpu_visible_used;
	uint64_t reserved[6];
};

#define HMMB_XE_MEM_REGION_CLASS_SYSMEM	0
#define HMMB_XE_MEM_REGION_CLASS_VRAM	1

struct hmmb_xe_query_mem_regions {
	uint32_t num_mem_regions;
	uint32_t pad;
	struct hmmb_xe_mem_region mem_regions[];
};

struct hmmb_xe_query_config {
	uint32_t num_params;
	uint32_t pad;
	uint64_t info[];
};

#define HMMB_XE_QUERY_CONFIG_FLAGS			1
#define HMMB_XE_QUERY_CONFIG_FLAG_HAS_VRAM		(1 << 0)
#define HMMB_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR	(1 << 2)
#define HMMB_XE_QUERY_CONFIG_VA_BITS			3

struct hmmb_xe_vm_create {
	uint64_t extensions;
	uint32_t flags;
	uint32_t vm_id;
	uint64_t reserved[2];
};

#define HMMB_XE_VM_CREATE_FLAG_LR_MODE		(1 << 1)
#define HMMB_XE_VM_CREATE_FLAG_FAULT_MODE	(1 << 2)

struct hmmb_xe_vm_destroy {
	uint32_t vm_id;
	uint32_t pad;
	uint64_t reserved[2];
};

struct hmmb_xe_vm_bind_op {
	uint64_t extensions;
	uint32_t obj;
	uint16_t pat_index;
	uint16_t pad;
	union {
		uint64_t obj_offset;
		uint64_t userptr;
		int64_t cpu_addr_mirror_offset;
	};
	uint64_t range;
	uint64_t addr;
	uint32_t op;
	uint32_t flags;
	uint32_t prefetch_mem_region_instance;
	uint32_t pad2;
	uint64_t reserved[3];
};

#define HMMB_XE_VM_BIND_OP_MAP			0x0
#define HMMB_XE_VM_BIND_OP_PREFETCH		0x4
#define HMMB_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR	(1 << 5)

struct hmmb_xe_vm_bind {
	uint64_t extensions;
	uint32_t vm_id;
	uint32_t exec_queue_id;
	uint32_t pad;
	uint32_t num_binds;
	union {
		struct hmmb_xe_vm_bind_op bind;
		uint64_t vector_of_binds;
	};
	uint32_t pad2;
	uint32_t num_syncs;
	uint64_t syncs;
	uint64_t reserved[2];
};

#define HMMB_DRM_XE_DEVICE_QUERY	0x00
#define HMMB_DRM_XE_VM_CREATE		0x03
#define HMMB_DRM_XE_VM_DESTROY		0x04
#define HMMB_DRM_XE_VM_BIND		0x05

#define HMMB_XE_IOC(dir, nr, type) \
	dir(HMMB_DRM_IOCTL_BASE, HMMB_DRM_COMMAND_BASE + (nr), type)
#define HMMB_IOCTL_XE_DEVICE_QUERY \
	HMMB_XE_IOC(_IOWR, HMMB_DRM_XE_DEVICE_QUERY, struct hmmb_xe_device_query)
#define HMMB_IOCTL_XE_VM_CREATE \
	HMMB_XE_IOC(_IOWR, HMMB_DRM_XE_VM_CREATE, struct hmmb_xe_vm_create)
#define HMMB_IOCTL_XE_VM_DESTROY \
	HMMB_XE_IOC(_IOW, HMMB_DRM_XE_VM_DESTROY, struct hmmb_xe_vm_destroy)
#define HMMB_IOCTL_XE_VM_BIND \
	HMMB_XE_IOC(_IOW, HMMB_DRM_XE_VM_BIND, struct hmmb_xe_vm_bind)

#endif
