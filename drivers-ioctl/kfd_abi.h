/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Our own statement of the part of include/uapi/linux/kfd_ioctl.h that
 * hmmbench uses: GET_VERSION, ACQUIRE_VM and the SVM ioctl (KFD 1.4+,
 * Linux 5.14). tests/unit/test_gpu_abi.c checks it against
 * linux-libc-dev's copy and a kernel tree's.
 */
#ifndef HMMBENCH_KFD_ABI_H
#define HMMBENCH_KFD_ABI_H

#include <linux/ioctl.h>
#include <stdint.h>

#define HMMB_AMDKFD_IOCTL_BASE 'K'

struct hmmb_kfd_get_version_args {
	uint32_t major_version;
	uint32_t minor_version;
};

struct hmmb_kfd_acquire_vm_args {
	uint32_t drm_fd;	/* render node of the same GPU */
	uint32_t gpu_id;	/* from /sys/class/kfd/kfd/topology/nodes/N/gpu_id */
};

struct hmmb_kfd_svm_attribute {
	uint32_t type;
	uint32_t value;
};

/* Followed by nattr attributes; the ioctl's size field must cover them. */
struct hmmb_kfd_svm_args {
	uint64_t start_addr;
	uint64_t size;
	uint32_t op;
	uint32_t nattr;
	struct hmmb_kfd_svm_attribute attrs[];
};

#define HMMB_KFD_IOCTL_SVM_OP_SET_ATTR		0
#define HMMB_KFD_IOCTL_SVM_OP_GET_ATTR		1
#define HMMB_KFD_IOCTL_SVM_ATTR_PREFERRED_LOC	0
#define HMMB_KFD_IOCTL_SVM_ATTR_PREFETCH_LOC	1
#define HMMB_KFD_IOCTL_SVM_LOCATION_SYSMEM	0

#define HMMB_AMDKFD_IOC_GET_VERSION \
	_IOR(HMMB_AMDKFD_IOCTL_BASE, 0x01, struct hmmb_kfd_get_version_args)
#define HMMB_AMDKFD_IOC_ACQUIRE_VM \
	_IOW(HMMB_AMDKFD_IOCTL_BASE, 0x15, struct hmmb_kfd_acquire_vm_args)
#define HMMB_AMDKFD_IOC_SVM \
	_IOWR(HMMB_AMDKFD_IOCTL_BASE, 0x20, struct hmmb_kfd_svm_args)

/*
 * kfd_ioctl() copies _IOC_SIZE(cmd) bytes and kfd_ioctl_svm_validate()
 * wants room for nattr attributes: the size field grows with them, as the
 * ROCm thunk does it.
 */
#define HMMB_AMDKFD_IOC_SVM_N(nattr) \
	(HMMB_AMDKFD_IOC_SVM + \
	 ((unsigned long)((nattr) * sizeof(struct hmmb_kfd_svm_attribute)) << _IOC_SIZESHIFT))

#endif
