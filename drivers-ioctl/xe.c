// SPDX-License-Identifier: GPL-2.0
/*
 * The xe backend: Intel's GPU SVM (drivers/gpu/drm/xe/xe_svm.c on
 * drm_gpusvm). A fault-mode VM mirrors the whole CPU address space through
 * one CPU-address-mirror bind; VM_BIND PREFETCH migrates a range to a VRAM
 * region and, with region 0, back to system memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "drm_enum.h"
#include "errname.h"
#include "gpu.h"
#include "pagestate.h"
#include "xe_abi.h"

struct xe_priv {
	uint32_t vm_id;
	uint32_t vram_instance;		/* region PREFETCH migrates to */
	unsigned int va_bits;
};

/* DEVICE_QUERY twice: the size, then the data. Returns malloc'd data. */
static void *xe_query(struct hmm_dev *dev, uint32_t query, int *err)
{
	struct hmmb_xe_device_query q = { .query = query };
	void *data;

	*err = gpu_ioctl(dev->fd, HMMB_IOCTL_XE_DEVICE_QUERY, &q);
	if (*err)
		return NULL;
	data = calloc(1, q.size);
	if (!data) {
		*err = -ENOMEM;
		return NULL;
	}
	q.data = (uintptr_t)data;
	*err = gpu_ioctl(dev->fd, HMMB_IOCTL_XE_DEVICE_QUERY, &q);
	if (*err) {
		free(data);
		return NULL;
	}
	return data;
}

static int xe_check_config(struct hmm_dev *dev, struct xe_priv *xe)
{
	struct hmmb_xe_query_config *c;
	uint64_t flags;
	int err;

	c = xe_query(dev, HMMB_XE_DEVICE_QUERY_CONFIG, &err);
	if (!c)
		return gpu_fail(dev, err, "DEVICE_QUERY CONFIG failed: %s", errno_name(-err));
	flags = c->num_params > HMMB_XE_QUERY_CONFIG_FLAGS ? c->info[HMMB_XE_QUERY_CONFIG_FLAGS] : 0;
	xe->va_bits = c->num_params > HMMB_XE_QUERY_CONFIG_VA_BITS ?
		      c->info[HMMB_XE_QUERY_CONFIG_VA_BITS] : 48;
	free(c);
	if (!(flags & HMMB_XE_QUERY_CONFIG_FLAG_HAS_CPU_ADDR_MIRROR))
		return gpu_fail(dev, -EOPNOTSUPP, "xe reports no CPU address mirror: kernel built without CONFIG_DRM_XE_GPUSVM, or the GPU has no recoverable page faults");
	if (!(flags & HMMB_XE_QUERY_CONFIG_FLAG_HAS_VRAM))
		return gpu_fail(dev, -EOPNOTSUPP, "integrated GPU: xe reports no VRAM, so nothing migrates to device-private memory");
	return 0;
}

static int xe_find_vram(struct hmm_dev *dev, struct xe_priv *xe)
{
	struct hmmb_xe_query_mem_regions *r;
	int err, found = 0;

	r = xe_query(dev, HMMB_XE_DEVICE_QUERY_MEM_REGIONS, &err);
	if (!r)
		return gpu_fail(dev, err, "DEVICE_QUERY MEM_REGIONS failed: %s", errno_name(-err));
	for (uint32_t i = 0; i < r->num_mem_regions && !found; i++)
		if (r->mem_regions[i].mem_class == HMMB_XE_MEM_REGION_CLASS_VRAM) {
			xe->vram_instance = r->mem_regions[i].instance;
			found = 1;
		}
	free(r);
	if (!found)
		return gpu_fail(dev, -EOPNOTSUPP, "xe lists no VRAM memory region");
	return 0;
}

static int xe_bind(struct hmm_dev *dev, uint32_t op, uint32_t flags, uint64_t addr,
		   uint64_t range, uint32_t region)
{
	struct xe_priv *xe = dev->priv;
	struct hmmb_xe_vm_bind b = {
		.vm_id = xe->vm_id,
		.num_binds = 1,
		.bind = {
			.addr = addr, .range = range, .op = op, .flags = flags,
			/* pat_index 0 is valid on every discrete GPU's table; no GPU work runs. */
			.pat_index = 0,
			.prefetch_mem_region_instance = region,
		},
	};

	/* No syncs: the migration happens inside the ioctl. */
	return gpu_ioctl(dev->fd, HMMB_IOCTL_XE_VM_BIND, &b);
}

static int xe_create_vm(struct hmm_dev *dev, struct xe_priv *xe)
{
	struct hmmb_xe_vm_create c = {
		.flags = HMMB_XE_VM_CREATE_FLAG_LR_MODE | HMMB_XE_VM_CREATE_FLAG_FAULT_MODE,
	};
	uint64_t top = 1ULL << (xe->va_bits < 47 ? xe->va_bits : 47);
	int ret = gpu_ioctl(dev->fd, HMMB_IOCTL_XE_VM_CREATE, &c);

	if (ret == -EINVAL)
		return gpu_fail(dev, ret, "VM_CREATE in fault mode refused (EINVAL): this GPU has no recoverable page faults");
	if (ret)
		return gpu_fail(dev, ret, "VM_CREATE failed: %s", errno_name(-ret));
	xe->vm_id = c.vm_id;
	/* The whole user address space below 2^47, mirrored, populated on prefetch. */
	ret = xe_bind(dev, HMMB_XE_VM_BIND_OP_MAP, HMMB_XE_VM_BIND_FLAG_CPU_ADDR_MIRROR,
		      0, top, 0);
	if (ret)
		return gpu_fail(dev, ret, "VM_BIND MAP with CPU_ADDR_MIRROR failed: %s", errno_name(-ret));
	return 0;
}

static int xe_open(struct hmm_dev *dev, const char *path)
{
	struct xe_priv *xe = calloc(1, sizeof(*xe));
	int ret;

	if (!xe)
		return -ENOMEM;
	dev->priv = xe;
	dev->fd = drm_open_driver(dev, path, "xe");
	if (dev->fd < 0)
		return dev->fd;
	ret = xe_check_config(dev, xe);
	if (!ret)
		ret = xe_find_vram(dev, xe);
	if (!ret)
		ret = xe_create_vm(dev, xe);
	return ret;
}

static void xe_close(struct hmm_dev *dev)
{
	struct xe_priv *xe = dev->priv;
	struct hmmb_xe_vm_destroy d = { 0 };

	if (xe && xe->vm_id && dev->fd >= 0) {
		d.vm_id = xe->vm_id;
		gpu_ioctl(dev->fd, HMMB_IOCTL_XE_VM_DESTROY, &d);
	}
	if (dev->fd >= 0)
		close(dev->fd);
	free(xe);
	dev->priv = NULL;
}

static int xe_migrate_to_dev(struct hmm_dev *dev, void *addr, size_t npages,
			     void *bounce, struct hmm_xfer *xfer)
{
	struct xe_priv *xe = dev->priv;

	(void)bounce;
	dev->why[0] = '\0';
	memset(xfer, 0, sizeof(*xfer));
	return xe_bind(dev, HMMB_XE_VM_BIND_OP_PREFETCH, 0, (uintptr_t)addr,
		       npages * PAGE_SZ, xe->vram_instance);
}

static int xe_migrate_to_sys(struct hmm_dev *dev, void *addr, size_t npages,
			     struct hmm_xfer *xfer)
{
	dev->why[0] = '\0';
	memset(xfer, 0, sizeof(*xfer));
	/* Region 0 is system memory: xe migrates the range back to SMEM. */
	return xe_bind(dev, HMMB_XE_VM_BIND_OP_PREFETCH, 0, (uintptr_t)addr,
		       npages * PAGE_SZ, 0);
}

static int xe_probe_caps(struct hmm_dev *dev)
{
	gpu_set_common_caps(dev);
	hmm_dev_set_cap(dev, HMM_CAP_MIGRATE_TO_SYS, 1, NULL);
	return gpu_probe_round_trip(dev);
}

static const char *xe_explain(enum hmm_op op, int err)
{
	if (err == ENODATA)
		return "xe could not allocate VRAM or get the pages for the range; it asks userspace to retry";
	if (err == EINVAL && op != HMM_OP_OPEN)
		return "VM_BIND PREFETCH refused the range (outside the CPU-address-mirror bind, or a region this GPU lacks)";
	return gpu_explain(op, err);
}

static void xe_discover(struct hmm_discovery *d)
{
	drm_discover_driver("xe", d);
}

static const char *const xe_paths[] = { HMM_PATH_AUTO, NULL };

const struct hmm_backend_ops xe_backend = {
	.name = "xe",
	.describe = "Intel xe GPU SVM (CONFIG_DRM_XE_GPUSVM): VM_BIND PREFETCH to VRAM and back",
	.default_paths = xe_paths,
	.path_prefix = "/dev/dri/",
	.discover = xe_discover,
	.open = xe_open,
	.probe_caps = xe_probe_caps,
	.migrate_to_dev = xe_migrate_to_dev,
	.migrate_to_sys = xe_migrate_to_sys,
	.snapshot = gpu_snapshot,
	.copy_bus = gpu_copy_bus_none,
	.close = xe_close,
	.explain = xe_explain,
};
