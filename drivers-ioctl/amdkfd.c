// SPDX-License-Identifier: GPL-2.0
/*
 * The amdkfd backend: AMD's HMM-based SVM through /dev/kfd
 * (drivers/gpu/drm/amd/amdkfd/kfd_svm.c, kfd_migrate.c). The GPU is named
 * by one of its amdgpu render nodes; its KFD gpu_id comes from the KFD
 * topology in sysfs. ACQUIRE_VM binds the render node's VM to this
 * process; SVM SET_ATTR PREFETCH_LOC migrates to the GPU (its gpu_id) and
 * back to system memory (0), both as explicit, synchronous calls.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "backend.h"
#include "drm_enum.h"
#include "errname.h"
#include "gpu.h"
#include "kfd_abi.h"
#include "pagestate.h"

#define KFD_TOPOLOGY "/sys/class/kfd/kfd/topology/nodes"

struct kfd_priv {
	int kfd;
	uint32_t gpu_id;
};

/* "drm_render_minor 128" in a topology node's properties. */
static int node_render_minor(const char *node, unsigned int *minor)
{
	char path[300], key[64];
	unsigned long long value;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%.64s/properties", KFD_TOPOLOGY, node);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (!found && fscanf(f, "%63s %llu", key, &value) == 2)
		if (!strcmp(key, "drm_render_minor")) {
			*minor = value;
			found = 1;
		}
	fclose(f);
	return found;
}

static int node_gpu_id(const char *node, uint32_t *gpu_id)
{
	char path[300];
	unsigned int id;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%.64s/gpu_id", KFD_TOPOLOGY, node);
	f = fopen(path, "r");
	if (!f)
		return 0;
	ok = fscanf(f, "%u", &id) == 1 && id;	/* 0: a CPU node */
	fclose(f);
	*gpu_id = id;
	return ok;
}

static int kfd_gpu_id(struct hmm_dev *dev, unsigned int render_minor, uint32_t *gpu_id)
{
	DIR *dir = opendir(KFD_TOPOLOGY);
	struct dirent *e;
	unsigned int minor;
	int found = 0;

	if (!dir)
		return gpu_fail(dev, -ENODEV, "%s is missing: amdgpu runs without KFD (kernel built without CONFIG_HSA_AMD)",
				KFD_TOPOLOGY);
	while (!found && (e = readdir(dir)))
		if (e->d_name[0] != '.' && node_render_minor(e->d_name, &minor) &&
		    minor == render_minor)
			found = node_gpu_id(e->d_name, gpu_id);
	closedir(dir);
	if (!found)
		return gpu_fail(dev, -ENODEV, "no KFD topology node has drm_render_minor %u: KFD does not support this GPU",
				render_minor);
	return 0;
}

static int open_kfd(struct hmm_dev *dev, struct kfd_priv *k)
{
	struct hmmb_kfd_get_version_args v = { 0 };
	int ret;

	k->kfd = open("/dev/kfd", O_RDWR | O_CLOEXEC);
	if (k->kfd < 0 && errno == ENOENT)
		return gpu_fail(dev, -ENOENT, "/dev/kfd is missing: kernel built without CONFIG_HSA_AMD, or amdgpu is not loaded");
	if (k->kfd < 0)
		return gpu_fail(dev, -errno, "cannot open /dev/kfd: %s (add your user to the group that owns it, usually 'render')",
				errno_name(errno));
	ret = gpu_ioctl(k->kfd, HMMB_AMDKFD_IOC_GET_VERSION, &v);
	if (ret)
		return gpu_fail(dev, ret, "AMDKFD_IOC_GET_VERSION failed: %s", errno_name(-ret));
	return 0;
}

static int kfd_svm_one(struct hmm_dev *dev, uint32_t op, void *addr, size_t npages,
		       uint32_t type, uint32_t value)
{
	union {
		struct hmmb_kfd_svm_args args;
		uint8_t raw[sizeof(struct hmmb_kfd_svm_args) + sizeof(struct hmmb_kfd_svm_attribute)];
	} u;
	struct kfd_priv *k = dev->priv;

	memset(&u, 0, sizeof(u));
	u.args.start_addr = (uintptr_t)addr;
	u.args.size = npages * PAGE_SZ;
	u.args.op = op;
	u.args.nattr = 1;
	u.args.attrs[0].type = type;
	u.args.attrs[0].value = value;
	return gpu_ioctl(k->kfd, HMMB_AMDKFD_IOC_SVM_N(1), &u);
}

/* One GET_ATTR on a page of ours: EPERM is the stub of a kernel without SVM. */
static int check_svm(struct hmm_dev *dev)
{
	void *page = mmap(NULL, PAGE_SZ, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ret;

	if (page == MAP_FAILED)
		return -errno;
	ret = kfd_svm_one(dev, HMMB_KFD_IOCTL_SVM_OP_GET_ATTR, page, 1,
			  HMMB_KFD_IOCTL_SVM_ATTR_PREFERRED_LOC, 0);
	munmap(page, PAGE_SZ);
	if (ret == -EPERM)
		return gpu_fail(dev, ret, "kernel built without CONFIG_HSA_AMD_SVM (AMDKFD_IOC_SVM: EPERM)");
	if (ret == -EOPNOTSUPP)
		return gpu_fail(dev, ret, "AMDKFD_IOC_SVM: EOPNOTSUPP: SVM works only in the primary KFD process context");
	if (ret)
		return gpu_fail(dev, ret, "AMDKFD_IOC_SVM GET_ATTR failed: %s", errno_name(-ret));
	return 0;
}

static int kfd_open(struct hmm_dev *dev, const char *path)
{
	struct hmmb_kfd_acquire_vm_args acquire;
	struct kfd_priv *k = calloc(1, sizeof(*k));
	struct stat st;
	int ret;

	if (!k)
		return -ENOMEM;
	k->kfd = -1;
	dev->priv = k;
	dev->fd = drm_open_driver(dev, path, "amdgpu");
	if (dev->fd < 0)
		return dev->fd;
	if (fstat(dev->fd, &st))
		return -errno;
	ret = kfd_gpu_id(dev, minor(st.st_rdev), &k->gpu_id);
	if (!ret)
		ret = open_kfd(dev, k);
	if (ret)
		return ret;
	acquire = (struct hmmb_kfd_acquire_vm_args){ .drm_fd = dev->fd, .gpu_id = k->gpu_id };
	ret = gpu_ioctl(k->kfd, HMMB_AMDKFD_IOC_ACQUIRE_VM, &acquire);
	if (ret)
		return gpu_fail(dev, ret, "AMDKFD_IOC_ACQUIRE_VM (gpu_id 0x%x) failed: %s",
				k->gpu_id, errno_name(-ret));
	return check_svm(dev);
}

static void kfd_close(struct hmm_dev *dev)
{
	struct kfd_priv *k = dev->priv;

	if (k && k->kfd >= 0)
		close(k->kfd);
	if (dev->fd >= 0)
		close(dev->fd);
	free(k);
	dev->priv = NULL;
}

static int kfd_migrate_to_dev(struct hmm_dev *dev, void *addr, size_t npages,
			      void *bounce, struct hmm_xfer *xfer)
{
	struct kfd_priv *k = dev->priv;

	(void)bounce;
	dev->why[0] = '\0';
	memset(xfer, 0, sizeof(*xfer));
	return kfd_svm_one(dev, HMMB_KFD_IOCTL_SVM_OP_SET_ATTR, addr, npages,
			   HMMB_KFD_IOCTL_SVM_ATTR_PREFETCH_LOC, k->gpu_id);
}

static int kfd_migrate_to_sys(struct hmm_dev *dev, void *addr, size_t npages,
			      struct hmm_xfer *xfer)
{
	dev->why[0] = '\0';
	memset(xfer, 0, sizeof(*xfer));
	return kfd_svm_one(dev, HMMB_KFD_IOCTL_SVM_OP_SET_ATTR, addr, npages,
			   HMMB_KFD_IOCTL_SVM_ATTR_PREFETCH_LOC,
			   HMMB_KFD_IOCTL_SVM_LOCATION_SYSMEM);
}

static int kfd_probe_caps(struct hmm_dev *dev)
{
	gpu_set_common_caps(dev);
	hmm_dev_set_cap(dev, HMM_CAP_MIGRATE_TO_SYS, 1, NULL);
	return gpu_probe_round_trip(dev);
}

static const char *kfd_explain(enum hmm_op op, int err)
{
	if (err == EINVAL && op != HMM_OP_OPEN)
		return "AMDKFD_IOC_SVM refused the range or attribute (page-aligned anonymous memory of this process only)";
	if (err == EBADF)
		return "a /dev/kfd file is usable only by the process that opened it";
	return gpu_explain(op, err);
}

static void kfd_discover(struct hmm_discovery *d)
{
	drm_discover_driver("amdgpu", d);
}

static const char *const kfd_paths[] = { HMM_PATH_AUTO, NULL };

const struct hmm_backend_ops amdkfd_backend = {
	.name = "amdkfd",
	.describe = "amdgpu's KFD SVM (CONFIG_HSA_AMD_SVM): PREFETCH_LOC to VRAM and back, real SDMA copies",
	.default_paths = kfd_paths,
	.path_prefix = "/dev/dri/",
	.discover = kfd_discover,
	.open = kfd_open,
	.probe_caps = kfd_probe_caps,
	.migrate_to_dev = kfd_migrate_to_dev,
	.migrate_to_sys = kfd_migrate_to_sys,
	.snapshot = gpu_snapshot,
	.copy_bus = gpu_copy_bus_none,
	.close = kfd_close,
	.explain = kfd_explain,
};
