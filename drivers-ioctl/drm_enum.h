/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DRM devices through libdrm: which nodes exist, which driver is behind
 * each, and which of them a GPU backend may open. Built without libdrm
 * (configure found no libdrm-dev), every call says so instead.
 */
#ifndef HMMBENCH_DRM_ENUM_H
#define HMMBENCH_DRM_ENUM_H

#include <stddef.h>

#include "backend.h"

#define DRM_ENUM_MAX 16

struct drm_node_info {
	char card[64];		/* primary node, or "" */
	char render[64];	/* render node, or "" */
	char driver[32];	/* drmGetVersion's name, or "" if unknown */
	char bus[64];		/* "pci 0000:01:00.0 10de:1b80", "platform vkms" */
	char error[96];		/* why the driver name is unknown */
};

/* One line for builds without libdrm, for reasons and probe output. */
#define DRM_ENUM_NO_LIBDRM \
	"built without libdrm: DRM devices cannot be enumerated (apt-get install libdrm-dev, then re-run configure)"

/*
 * Every DRM device: those drmGetDevices2 lists, then any node in /dev/dri
 * it left out (libdrm 2.4.114 skips buses it does not know, such as the
 * faux bus vkms sits on since Linux 6.15). Returns how many were written
 * to @out, or -ENOSYS without libdrm (@why says so).
 */
int drm_enum_devices(struct drm_node_info *out, int max, char *why, size_t len);

/* The name of the driver behind open DRM node @fd: 0, -errno or -ENOSYS. */
int drm_driver_name(int fd, char *name, size_t len);

/*
 * Fills @d for a backend that needs a render node of @driver: one
 * candidate per DRM device, with a reason for every one that is not.
 */
void drm_discover_driver(const char *driver, struct hmm_discovery *d);

/*
 * Opens @path and checks @driver is behind it. Returns the fd, or -errno
 * with dev->why saying what is there instead or why it cannot be opened.
 */
int drm_open_driver(struct hmm_dev *dev, const char *path, const char *driver);

#endif
