// SPDX-License-Identifier: GPL-2.0
/* DRM device enumeration for the GPU backends, through libdrm. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_LIBDRM
#include <xf86drm.h>
#endif

#include "drm_enum.h"
#include "errname.h"

#ifdef HAVE_LIBDRM
int drm_driver_name(int fd, char *name, size_t len)
{
	drmVersionPtr v;

	errno = 0;
	v = drmGetVersion(fd);
	if (!v)
		return errno ? -errno : -EIO;
	snprintf(name, len, "%.*s", v->name_len, v->name);
	drmFreeVersion(v);
	return 0;
}

static void describe_bus(drmDevicePtr d, char *bus, size_t len)
{
	const char *full, *base;

	switch (d->bustype) {
	case DRM_BUS_PCI:
		snprintf(bus, len, "pci %04x:%02x:%02x.%u %04x:%04x",
			 d->businfo.pci->domain, d->businfo.pci->bus,
			 d->businfo.pci->dev, d->businfo.pci->func,
			 d->deviceinfo.pci->vendor_id, d->deviceinfo.pci->device_id);
		return;
	case DRM_BUS_PLATFORM:
	case DRM_BUS_HOST1X:
		full = d->bustype == DRM_BUS_PLATFORM ? d->businfo.platform->fullname
						      : d->businfo.host1x->fullname;
		base = strrchr(full, '/');
		snprintf(bus, len, "%s %.48s", d->bustype == DRM_BUS_PLATFORM ?
			 "platform" : "host1x", base ? base + 1 : full);
		return;
	case DRM_BUS_USB:
		snprintf(bus, len, "usb %u-%u", d->businfo.usb->bus, d->businfo.usb->dev);
		return;
	default:
		snprintf(bus, len, "bus type %d", d->bustype);
	}
}

/* Reads the driver name through the render node, else the primary. */
static void read_driver(struct drm_node_info *n)
{
	const char *path = n->render[0] ? n->render : n->card;
	int fd = open(path, O_RDWR | O_CLOEXEC);
	int ret;

	if (fd < 0) {
		snprintf(n->error, sizeof(n->error), "cannot open %s: %s", path,
			 errno_name(errno));
		return;
	}
	ret = drm_driver_name(fd, n->driver, sizeof(n->driver));
	if (ret)
		snprintf(n->error, sizeof(n->error), "DRM_IOCTL_VERSION on %s: %s",
			 path, errno_name(-ret));
	close(fd);
}

static void copy_node(char *dst, size_t len, drmDevicePtr d, int type)
{
	if (d->available_nodes & (1 << type))
		snprintf(dst, len, "%s", d->nodes[type]);
}

static int listed(const struct drm_node_info *out, int n, const char *path)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(out[i].card, path) || !strcmp(out[i].render, path))
			return 1;
	return 0;
}

/* Nodes drmGetDevices2 did not list, one device each. */
static int add_unlisted_nodes(struct drm_node_info *out, int n, int max)
{
	DIR *dir = opendir("/dev/dri");
	struct dirent *e;

	if (!dir)
		return n;
	while (n < max && (e = readdir(dir))) {
		int card = !strncmp(e->d_name, "card", 4);
		char path[64];

		if (!card && strncmp(e->d_name, "renderD", 7))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%.48s", e->d_name);
		if (listed(out, n, path))
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(card ? out[n].card : out[n].render, sizeof(out[n].card), "%s", path);
		snprintf(out[n].bus, sizeof(out[n].bus), "a bus libdrm does not list");
		read_driver(&out[n]);
		n++;
	}
	closedir(dir);
	return n;
}

int drm_enum_devices(struct drm_node_info *out, int max, char *why, size_t len)
{
	drmDevicePtr devs[DRM_ENUM_MAX];
	int got = drmGetDevices2(0, devs, DRM_ENUM_MAX);
	int n = 0;

	for (int i = 0; i < got && n < max; i++, n++) {
		memset(&out[n], 0, sizeof(out[n]));
		copy_node(out[n].card, sizeof(out[n].card), devs[i], DRM_NODE_PRIMARY);
		copy_node(out[n].render, sizeof(out[n].render), devs[i], DRM_NODE_RENDER);
		describe_bus(devs[i], out[n].bus, sizeof(out[n].bus));
		read_driver(&out[n]);
	}
	if (got > 0)
		drmFreeDevices(devs, got);
	n = add_unlisted_nodes(out, n, max);
	if (!n && access("/dev/dri", F_OK))
		snprintf(why, len, "no DRM device: /dev/dri does not exist (no DRM driver is loaded)");
	else if (!n)
		snprintf(why, len, "no DRM device: /dev/dri has no card or render node (drmGetDevices2: %s)",
			 got < 0 ? errno_name(-got) : "none");
	return n;
}

int drm_open_driver(struct hmm_dev *dev, const char *path, const char *driver)
{
	char name[32];
	int fd = open(path, O_RDWR | O_CLOEXEC), err, ret;

	if (fd < 0) {
		err = errno;
		if (err == EACCES || err == EPERM)
			snprintf(dev->why, sizeof(dev->why), "no permission to open %s: add your user to the group that owns it (usually 'render') or run as root",
				 path);
		return -err;
	}
	ret = drm_driver_name(fd, name, sizeof(name));
	if (ret) {
		snprintf(dev->why, sizeof(dev->why), "%s is not a DRM node (DRM_IOCTL_VERSION: %s)",
			 path, errno_name(-ret));
		close(fd);
		return ret;
	}
	if (strcmp(name, driver)) {
		snprintf(dev->why, sizeof(dev->why), "%s is %s, not %s", path, name, driver);
		close(fd);
		return -ENODEV;
	}
	return fd;
}
#else
int drm_driver_name(int fd, char *name, size_t len)
{
	(void)fd;
	snprintf(name, len, "unknown");
	return -ENOSYS;
}

int drm_enum_devices(struct drm_node_info *out, int max, char *why, size_t len)
{
	(void)out;
	(void)max;
	snprintf(why, len, "%s", DRM_ENUM_NO_LIBDRM);
	return -ENOSYS;
}

int drm_open_driver(struct hmm_dev *dev, const char *path, const char *driver)
{
	(void)path;
	(void)driver;
	snprintf(dev->why, sizeof(dev->why), "%s", DRM_ENUM_NO_LIBDRM);
	return -ENOSYS;
}
#endif

/* "/dev/dri/card0: vkms, no render node" for the summary reason. */
static void summarise_node(const struct drm_node_info *n, char *buf, size_t len)
{
	const char *path = n->render[0] ? n->render : n->card;

	if (n->error[0])
		snprintf(buf, len, "%s", n->error);
	else
		snprintf(buf, len, "%s: %s%s", path, n->driver,
			 n->render[0] ? "" : ", no render node");
}

static void judge_node(const struct drm_node_info *n, const char *driver,
		       struct hmm_candidate *c)
{
	snprintf(c->path, sizeof(c->path), "%s", n->render[0] ? n->render : n->card);
	snprintf(c->what, sizeof(c->what), "%s, %s",
		 n->driver[0] ? n->driver : "driver unknown", n->bus);
	if (n->error[0])
		snprintf(c->reason, sizeof(c->reason), "%s", n->error);
	else if (strcmp(n->driver, driver))
		snprintf(c->reason, sizeof(c->reason), "%s is %s, not %s",
			 c->path, n->driver, driver);
	else if (!n->render[0])
		snprintf(c->reason, sizeof(c->reason), "%s has no render node", n->card);
}

void drm_discover_driver(const char *driver, struct hmm_discovery *d)
{
	struct drm_node_info nodes[DRM_ENUM_MAX];
	char why[HMM_WHY_MAX], one[128];
	int n, usable = 0;
	size_t used;

	memset(d, 0, sizeof(*d));
	n = drm_enum_devices(nodes, DRM_ENUM_MAX, why, sizeof(why));
	if (n <= 0) {
		snprintf(d->reason, sizeof(d->reason), "%s", why);
		return;
	}
	for (int i = 0; i < n && i < HMM_CANDIDATES_MAX; i++, d->n++) {
		judge_node(&nodes[i], driver, &d->c[i]);
		usable += !d->c[i].reason[0];
	}
	if (usable)
		return;
	used = snprintf(d->reason, sizeof(d->reason), "no render node is %s (", driver);
	for (int i = 0; i < n && used < sizeof(d->reason); i++) {
		summarise_node(&nodes[i], one, sizeof(one));
		used += snprintf(d->reason + used, sizeof(d->reason) - used, "%s%s",
				 i ? "; " : "", one);
	}
	if (used < sizeof(d->reason))
		snprintf(d->reason + used, sizeof(d->reason) - used, ")");
}
