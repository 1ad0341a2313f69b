/* SPDX-License-Identifier: GPL-2.0 */
/*
 * linux/kfd_ioctl.h includes <drm/drm.h>, which Debian installs only as
 * libdrm's <libdrm/drm.h>. Found only after the system's own include
 * directories (-idirafter), so a real <drm/drm.h> wins where one exists.
 */
#if __has_include(<libdrm/drm.h>)
#include <libdrm/drm.h>
#else
#include <linux/types.h>
#endif
