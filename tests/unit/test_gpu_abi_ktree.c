// SPDX-License-Identifier: GPL-2.0
/*
 * The GPU ABI checks of gpu_abi_checks.h against a kernel tree's uapi
 * headers: $(HMMBENCH_KERNEL_SRC) at build time, else the newest tree
 * scripts/kernel-build unpacked under ~/.cache/hmmbench/src (the Makefile
 * writes their paths to tests/unit/gpu_abi_ksrc.h). The tree's headers
 * are raw uapi (with __user, before headers_install), and its drm.h wants
 * uapi headers newer than the system's, so libdrm's drm.h stands in for
 * it: it only supplies DRM_IOWR and DRM_COMMAND_BASE, checked as well.
 */
#define GPU_ABI_SUITE gpu_abi_kernel_tree

#include "tests/unit/gpu_abi_ksrc.h"

#ifndef HMMB_KSRC_DIR
#define GPU_ABI_MISSING "no kernel tree found (configure with HMMBENCH_KERNEL_SRC=DIR, or run scripts/kernel-build once)"
#elif !__has_include(<libdrm/drm.h>)
#define GPU_ABI_MISSING "libdrm's drm.h must stand in for the tree's (apt-get install libdrm-dev)"
#else
#define GPU_ABI_MISSING "not in the kernel tree " HMMB_KSRC_DIR
#endif

#define __user
#if __has_include(<libdrm/drm.h>)
#include <libdrm/drm.h>
#ifdef HMMB_KSRC_DRM_NOUVEAU_DRM_H
#include HMMB_KSRC_DRM_NOUVEAU_DRM_H
#define NOUVEAU_H HMMB_KSRC_DRM_NOUVEAU_DRM_H
#endif
#ifdef HMMB_KSRC_DRM_XE_DRM_H
#include HMMB_KSRC_DRM_XE_DRM_H
#define XE_H HMMB_KSRC_DRM_XE_DRM_H
#endif
#endif
#ifdef HMMB_KSRC_LINUX_KFD_IOCTL_H
#include HMMB_KSRC_LINUX_KFD_IOCTL_H
#define KFD_H HMMB_KSRC_LINUX_KFD_IOCTL_H
#endif
#ifdef HMMB_KSRC_LINUX_FS_H
#include HMMB_KSRC_LINUX_FS_H
#define FS_H HMMB_KSRC_LINUX_FS_H
#endif

#include "gpu_abi_checks.h"
