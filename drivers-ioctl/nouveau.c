// SPDX-License-Identifier: GPL-2.0
/*
 * The nouveau backend: SVM on a render node of nouveau
 * (drivers/gpu/drm/nouveau/nouveau_svm.c). SVM_INIT once per open file
 * with an unmanaged GPU VA window; SVM_BIND MIGRATE to GPU VRAM; back to
 * system memory only by CPU fault, as no ioctl does it. SVM_BIND's result
 * is always 0, so what moved is read from pagemap, never trusted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend.h"
#include "drm_enum.h"
#include "errname.h"
#include "gpu.h"
#include "nouveau_abi.h"
#include "pagestate.h"

/*
 * GPU VA nouveau keeps for its own objects (channels, push buffers); the
 * rest mirrors the CPU. Reserved PROT_NONE so no CPU mapping lands there.
 */
#define NV_UNMANAGED_SIZE (512UL << 20)

struct nv_priv {
	void *unmanaged;
	uint32_t chipset;
};

static const char *nv_family(uint32_t chipset)
{
	switch (HMMB_NOUVEAU_CHIPSET_FAMILY(chipset)) {
	case 0x0e0: case 0x0f0: case 0x100: return "Kepler";
	case 0x110: case 0x120: return "Maxwell";
	case 0x130: return "Pascal";
	case 0x140: return "Volta";
	case 0x160: return "Turing";
	case 0x170: return "Ampere";
	case 0x180: return "Hopper";
	case 0x190: return "Ada";
	case 0x1a0: case 0x1b0: return "Blackwell";
	default: return "pre-Kepler";
	}
}

static int nv_chipset(struct hmm_dev *dev, struct nv_priv *nv)
{
	struct hmmb_nouveau_getparam gp = { .param = HMMB_NOUVEAU_GETPARAM_CHIPSET_ID };
	int ret = gpu_ioctl(dev->fd, HMMB_IOCTL_NOUVEAU_GETPARAM, &gp);

	if (ret)
		return gpu_fail(dev, ret, "GETPARAM CHIPSET_ID failed: %s", errno_name(-ret));
	nv->chipset = gp.value;
	/* nouveau_svm_init() gives up above Pascal, and below it has no fault buffer. */
	if (HMMB_NOUVEAU_CHIPSET_FAMILY(nv->chipset) != HMMB_NOUVEAU_FAMILY_PASCAL)
		return gpu_fail(dev, -EOPNOTSUPP,
				"chipset 0x%x is %s; nouveau SVM migrates on Pascal only",
				nv->chipset, nv_family(nv->chipset));
	return 0;
}

/* A 2 MiB-aligned PROT_NONE window, so the GPU VMM can use big pages there. */
static void *reserve_unmanaged(void)
{
	return hmm_mmap_pmd_aligned(NV_UNMANAGED_SIZE, PROT_NONE, MAP_NORESERVE);
}

static int nv_svm_init(struct hmm_dev *dev, struct nv_priv *nv)
{
	struct hmmb_nouveau_svm_init init = { .unmanaged_size = NV_UNMANAGED_SIZE };
	int ret;

	nv->unmanaged = reserve_unmanaged();
	if (!nv->unmanaged)
		return gpu_fail(dev, -ENOMEM, "cannot reserve %lu MiB of address space for the unmanaged GPU window",
				NV_UNMANAGED_SIZE >> 20);
	init.unmanaged_addr = (uintptr_t)nv->unmanaged;
	ret = gpu_ioctl(dev->fd, HMMB_IOCTL_NOUVEAU_SVM_INIT, &init);
	if (ret == -ENOSYS)
		return gpu_fail(dev, ret, "kernel built without DRM_NOUVEAU_SVM (SVM_INIT: ENOSYS), or chipset 0x%x has no usable fault buffer (see dmesg)",
				nv->chipset);
	if (ret)
		return gpu_fail(dev, ret, "SVM_INIT failed: %s", errno_name(-ret));
	return 0;
}

static void nv_close(struct hmm_dev *dev)
{
	struct nv_priv *nv = dev->priv;

	if (dev->fd >= 0)
		close(dev->fd);
	if (nv && nv->unmanaged)
		munmap(nv->unmanaged, NV_UNMANAGED_SIZE);
	free(nv);
	dev->priv = NULL;
}

static int nv_open(struct hmm_dev *dev, const char *path)
{
	struct nv_priv *nv = calloc(1, sizeof(*nv));
	int ret;

	if (!nv)
		return -ENOMEM;
	dev->priv = nv;
	dev->fd = drm_open_driver(dev, path, "nouveau");
	if (dev->fd < 0)
		return dev->fd;
	ret = nv_chipset(dev, nv);
	if (!ret)
		ret = nv_svm_init(dev, nv);
	return ret;
}

static int nv_migrate_to_dev(struct hmm_dev *dev, void *addr, size_t npages,
			     void *bounce, struct hmm_xfer *xfer)
{
	struct hmmb_nouveau_svm_bind bind = {
		.header = ((uint64_t)HMMB_NOUVEAU_SVM_BIND_COMMAND__MIGRATE <<
			   HMMB_NOUVEAU_SVM_BIND_COMMAND_SHIFT) |
			  ((uint64_t)HMMB_NOUVEAU_SVM_BIND_TARGET__GPU_VRAM <<
			   HMMB_NOUVEAU_SVM_BIND_TARGET_SHIFT),
		.va_start = (uintptr_t)addr,
		.va_end = (uintptr_t)addr + npages * PAGE_SZ,
		.npages = npages,
	};

	(void)bounce;
	dev->why[0] = '\0';
	/* result is always 0: the snapshot (pagemap) says what moved. */
	memset(xfer, 0, sizeof(*xfer));
	return gpu_ioctl(dev->fd, HMMB_IOCTL_NOUVEAU_SVM_BIND, &bind);
}

static int nv_migrate_to_sys(struct hmm_dev *dev, void *addr, size_t npages,
			     struct hmm_xfer *xfer)
{
	memset(xfer, 0, sizeof(*xfer));
	return gpu_fault_back(dev, addr, npages);
}

static int nv_probe_caps(struct hmm_dev *dev)
{
	gpu_set_common_caps(dev);
	hmm_dev_set_cap(dev, HMM_CAP_MIGRATE_TO_SYS, 0,
			"nouveau has no migrate-to-system ioctl; hmmbench faults pages back (MADV_POPULATE_WRITE)");
	return gpu_probe_round_trip(dev);
}

static const char *nv_explain(enum hmm_op op, int err)
{
	if (op == HMM_OP_MIGRATE_TO_DEV && err == EINVAL)
		return "SVM_BIND refused the range or header (needs SVM_INIT on this file and a range of ordinary mappings)";
	return gpu_explain(op, err);
}

static void nv_discover(struct hmm_discovery *d)
{
	drm_discover_driver("nouveau", d);
}

static const char *const nv_paths[] = { HMM_PATH_AUTO, NULL };

const struct hmm_backend_ops nouveau_backend = {
	.name = "nouveau",
	.describe = "nouveau SVM on NVIDIA Pascal GPUs (CONFIG_DRM_NOUVEAU_SVM): real VRAM, real copy engine",
	.default_paths = nv_paths,
	.path_prefix = "/dev/dri/",
	.discover = nv_discover,
	.open = nv_open,
	.probe_caps = nv_probe_caps,
	.migrate_to_dev = nv_migrate_to_dev,
	.migrate_to_sys = nv_migrate_to_sys,
	.snapshot = gpu_snapshot,
	.copy_bus = gpu_copy_bus_none,
	.close = nv_close,
	.explain = nv_explain,
};
