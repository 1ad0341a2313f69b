// SPDX-License-Identifier: GPL-2.0
/*
 * Our GPU ABI headers (drivers-ioctl/{nouveau,kfd,xe}_abi.h, pagemap.h)
 * against the uapi headers this system installs: libdrm-dev's
 * nouveau_drm.h and linux-libc-dev's linux/kfd_ioctl.h and linux/fs.h.
 * Debian 12 ships no xe_drm.h; test_gpu_abi_ktree.c checks xe (and the
 * newest nouveau and KFD) against a kernel tree. A header that is absent
 * is a skip with its reason, never a pass.
 */
#include <stdint.h>	/* libdrm's nouveau_drm.h uses uint32_t without it */

#define GPU_ABI_SUITE gpu_abi_system
#define GPU_ABI_MISSING "not installed on this system (apt-get install libdrm-dev linux-libc-dev)"
#define GPU_ABI_MISSING_XE "not among the system's headers (Debian 12's libdrm-dev 2.4.114 and linux-libc-dev 6.1 ship none); gpu_abi_kernel_tree checks xe"

#if __has_include(<libdrm/nouveau_drm.h>)
#include <libdrm/nouveau_drm.h>
#define NOUVEAU_H "libdrm's nouveau_drm.h"
#endif
#if __has_include(<linux/kfd_ioctl.h>)
#include <linux/kfd_ioctl.h>
#define KFD_H "linux-libc-dev's linux/kfd_ioctl.h"
#endif
#if __has_include(<drm/xe_drm.h>)
#include <drm/xe_drm.h>
#define XE_H "the system's drm/xe_drm.h"
#elif __has_include(<libdrm/xe_drm.h>)
#include <libdrm/xe_drm.h>
#define XE_H "libdrm's xe_drm.h"
#endif
#if __has_include(<linux/fs.h>)
#include <linux/fs.h>
#define FS_H "linux-libc-dev's linux/fs.h"
#endif

#include "gpu_abi_checks.h"
