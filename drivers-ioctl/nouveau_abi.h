/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Our own statement of the part of include/uapi/drm/nouveau_drm.h that
 * hmmbench uses (GETPARAM, SVM_INIT, SVM_BIND; unchanged since SVM came in
 * Linux 5.6). tests/unit/test_gpu_abi.c checks it against libdrm's copy
 * and a kernel tree's.
 */
#ifndef HMMBENCH_NOUVEAU_ABI_H
#define HMMBENCH_NOUVEAU_ABI_H

#include <linux/ioctl.h>
#include <stdint.h>

/* include/uapi/drm/drm.h: DRM_IOCTL_BASE and DRM_COMMAND_BASE. */
#define HMMB_DRM_IOCTL_BASE	'd'
#define HMMB_DRM_COMMAND_BASE	0x40

struct hmmb_nouveau_getparam {
	uint64_t param;
	uint64_t value;
};

#define HMMB_NOUVEAU_GETPARAM_CHIPSET_ID	11

struct hmmb_nouveau_svm_init {
	uint64_t unmanaged_addr;	/* GPU VA the driver manages itself */
	uint64_t unmanaged_size;
};

struct hmmb_nouveau_svm_bind {
	uint64_t header;	/* command | priority | target */
	uint64_t va_start;
	uint64_t va_end;
	uint64_t npages;
	uint64_t stride;	/* must be 0 */
	uint64_t result;	/* always 0 in 5.6 .. 7.2: not a count */
	uint64_t reserved0;
	uint64_t reserved1;
};

#define HMMB_NOUVEAU_SVM_BIND_COMMAND_SHIFT	0
#define HMMB_NOUVEAU_SVM_BIND_PRIORITY_SHIFT	8
#define HMMB_NOUVEAU_SVM_BIND_TARGET_SHIFT	16
#define HMMB_NOUVEAU_SVM_BIND_VALID_BITS	48
#define HMMB_NOUVEAU_SVM_BIND_COMMAND__MIGRATE	0
#define HMMB_NOUVEAU_SVM_BIND_TARGET__GPU_VRAM	(1UL << 31)

#define HMMB_DRM_NOUVEAU_GETPARAM	0x00
#define HMMB_DRM_NOUVEAU_SVM_INIT	0x08
#define HMMB_DRM_NOUVEAU_SVM_BIND	0x09

#define HMMB_NOUVEAU_IOWR(nr, type) \
	_IOWR(HMMB_DRM_IOCTL_BASE, HMMB_DRM_COMMAND_BASE + (nr), type)
#define HMMB_IOCTL_NOUVEAU_GETPARAM \
	HMMB_NOUVEAU_IOWR(HMMB_DRM_NOUVEAU_GETPARAM, struct hmmb_nouveau_getparam)
#define HMMB_IOCTL_NOUVEAU_SVM_INIT \
	HMMB_NOUVEAU_IOWR(HMMB_DRM_NOUVEAU_SVM_INIT, struct hmmb_nouveau_svm_init)
#define HMMB_IOCTL_NOUVEAU_SVM_BIND \
	HMMB_NOUVEAU_IOWR(HMMB_DRM_NOUVEAU_SVM_BIND, struct hmmb_nouveau_svm_bind)

/* Chipset ranges, drivers/gpu/drm/nouveau/nvkm/engine/device/base.c. */
#define HMMB_NOUVEAU_CHIPSET_FAMILY(c)	((c) & 0x1f0)
#define HMMB_NOUVEAU_FAMILY_PASCAL	0x130

#endif
