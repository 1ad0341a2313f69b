// SPDX-License-Identifier: GPL-2.0
/*
 * The test_hmm backend: lib/test_hmm.c's /dev/hmm_dmirror* character
 * devices. Each open() creates a fresh mirror of the calling process's
 * address space; closing any fd of a device evicts its pages.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend.h"
#include "errname.h"
#include "pagestate.h"
#include "test_hmm_abi.h"

static int dmirror_ioctl(struct hmm_dev *dev, unsigned long request,
			 void *addr, uint64_t npages, void *ptr,
			 struct hmm_xfer *xfer)
{
	struct hmmb_dmirror_cmd cmd = {
		.addr = (uintptr_t)addr,
		.ptr = (uintptr_t)ptr,
		.npages = npages,
	};
	int ret;

	do {
		ret = ioctl(dev->fd, request, &cmd);
	} while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;
	if (xfer) {
		xfer->cpages = cmd.cpages;
		xfer->faults = cmd.faults;
	}
	return 0;
}

static int th_open(struct hmm_dev *dev, const char *path)
{
	dev->fd = open(path, O_RDWR | O_CLOEXEC);
	if (dev->fd < 0)
		return -errno;
	return 0;
}

static void th_close(struct hmm_dev *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
}

static int th_migrate_to_dev(struct hmm_dev *dev, void *addr, size_t npages,
			     void *bounce, struct hmm_xfer *xfer)
{
	return dmirror_ioctl(dev, HMMB_DMIRROR_MIGRATE_TO_DEV, addr, npages,
			     bounce, xfer);
}

static int th_migrate_to_sys(struct hmm_dev *dev, void *addr, size_t npages,
			     struct hmm_xfer *xfer)
{
	return dmirror_ioctl(dev, HMMB_DMIRROR_MIGRATE_TO_SYS, addr, npages,
			     NULL, xfer);
}

static int th_snapshot(struct hmm_dev *dev, void *addr, size_t npages,
		       uint8_t *state)
{
	return dmirror_ioctl(dev, HMMB_DMIRROR_SNAPSHOT, addr, npages, state,
			     NULL);
}

static int th_dev_read(struct hmm_dev *dev, void *addr, size_t npages,
		       void *bounce, struct hmm_xfer *xfer)
{
	return dmirror_ioctl(dev, HMMB_DMIRROR_READ, addr, npages, bounce, xfer);
}

static int th_dev_write(struct hmm_dev *dev, void *addr, size_t npages,
			void *bounce, struct hmm_xfer *xfer)
{
	return dmirror_ioctl(dev, HMMB_DMIRROR_WRITE, addr, npages, bounce,
			     xfer);
}

static int th_exclusive(struct hmm_dev *dev, void *addr, size_t npages,
			struct hmm_xfer *xfer)
{
	return dmirror_ioctl(dev, HMMB_DMIRROR_EXCLUSIVE, addr, npages, NULL,
			     xfer);
}

static int th_check_exclusive(struct hmm_dev *dev, void *addr, size_t npages)
{
	return dmirror_ioctl(dev, HMMB_DMIRROR_CHECK_EXCLUSIVE, addr, npages,
			     NULL, NULL);
}

/*
 * FLAGS stores cmd.npages as this fd's flags. The ioctl entry rejects
 * addr >= addr + npages pages, so FLAGS needs a non-zero npages (the flag)
 * and an address that does not wrap; 0 is fine.
 */
static int th_inject_fail_alloc(struct hmm_dev *dev)
{
	return dmirror_ioctl(dev, HMMB_DMIRROR_FLAGS, NULL,
			     HMMB_DMIRROR_FLAG_FAIL_ALLOC, NULL, NULL);
}

static int th_release(struct hmm_dev *dev)
{
	/* The ioctl entry rejects npages == 0 at any address. */
	return dmirror_ioctl(dev, HMMB_DMIRROR_RELEASE, NULL, 1, NULL, NULL);
}

static const char *th_explain(enum hmm_op op, int err)
{
	switch (err) {
	case ENOENT:
		if (op == HMM_OP_OPEN)
			return "no such device: the kernel lacks CONFIG_TEST_HMM or the test_hmm module is not loaded";
		return "a page of the range was not migrated or mirrored (a failed split, a busy page or a race)";
	case EACCES:
	case EPERM:
		if (op == HMM_OP_CHECK_EXCLUSIVE)
			return "a page lost its exclusive (atomic) mapping";
		return "permission denied: run as root or make /dev/hmm_dmirror* accessible";
	case EINVAL:
		if (op == HMM_OP_FAIL_ALLOC)
			return "this kernel's test_hmm has no HMM_DMIRROR_FLAGS (added in Linux 6.19)";
		return "address not page-aligned, range wraps, or part of it is not a readable mapping";
	case EFAULT:
		return "the bounce buffer or snapshot array is missing or too small for the range";
	case ENOMEM:
		return "device memory or a large folio could not be allocated (injected FAIL_ALLOC, or memory pressure)";
	case EBUSY:
		return "pages were busy (pinned, locked or racing another migration); retry";
	case ENOTTY:
		return "the device does not know this ioctl: test_hmm before Linux 6.0 used other numbers";
	default:
		return NULL;
	}
}

/* No bus: the device is system RAM and the kernel's copy_page the engine. */
static int th_copy_bus(struct hmm_dev *dev, enum hmm_copy_dir dir, size_t bytes,
		       unsigned int reps, uint64_t *ns)
{
	(void)dir; (void)bytes; (void)reps; (void)ns;
	snprintf(dev->why, sizeof(dev->why),
		 "test_hmm's device memory is system RAM copied by the CPU: the CPU copy rows are its ceiling");
	return -EOPNOTSUPP;
}

static const char *const th_paths[] = {
	"/dev/hmm_dmirror0", "/dev/hmm_dmirror1",
	"/dev/hmm_dmirror2", "/dev/hmm_dmirror3", NULL,
};

int test_hmm_probe_caps(struct hmm_dev *dev);

const struct hmm_backend_ops test_hmm_backend = {
	.name = "test_hmm",
	.describe = "lib/test_hmm.c: a device emulated by the CPU (CONFIG_TEST_HMM)",
	.default_paths = th_paths,
	.open = th_open,
	.probe_caps = test_hmm_probe_caps,
	.migrate_to_dev = th_migrate_to_dev,
	.migrate_to_sys = th_migrate_to_sys,
	.snapshot = th_snapshot,
	.dev_read = th_dev_read,
	.dev_write = th_dev_write,
	.exclusive = th_exclusive,
	.check_exclusive = th_check_exclusive,
	.inject_fail_alloc = th_inject_fail_alloc,
	.release = th_release,
	.copy_bus = th_copy_bus,
	.close = th_close,
	.explain = th_explain,
};
