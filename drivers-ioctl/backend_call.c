// SPDX-License-Identifier: GPL-2.0
/*
 * The one way into a backend's operations, as fio's core goes through
 * td_io_queue(): each wrapper refuses an operation the backend lacks or
 * has not probed as working (-EOPNOTSUPP, explained by the capability's
 * reason), repeats a call a signal interrupted, and remembers this
 * thread's last failure so that whoever reports it names the operation,
 * the device, the errno and what it means for this driver in one place.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"

static __thread struct {
	const struct hmm_dev *dev;
	enum hmm_op op;
	int err;
} last;

/* The capability without which @op is refused; 0 when the pointer is enough. */
unsigned int hmm_op_needs(enum hmm_op op)
{
	switch (op) {
	case HMM_OP_MIGRATE_TO_DEV: return HMM_CAP_MIGRATE_TO_DEV;
	/* Without the capability a backend may still bring pages back (by CPU faults). */
	case HMM_OP_MIGRATE_TO_SYS: return 0;
	case HMM_OP_SNAPSHOT: return HMM_CAP_SNAPSHOT;
	case HMM_OP_DEV_READ:
	case HMM_OP_DEV_WRITE: return HMM_CAP_DEV_RW;
	case HMM_OP_EXCLUSIVE:
	case HMM_OP_CHECK_EXCLUSIVE: return HMM_CAP_EXCLUSIVE;
	case HMM_OP_FAIL_ALLOC: return HMM_CAP_FAIL_ALLOC;
	case HMM_OP_RELEASE: return HMM_CAP_RELEASE;
	default: return 0;
	}
}

static int call_begin(struct hmm_dev *dev, enum hmm_op op, int has_fn)
{
	unsigned int cap = hmm_op_needs(op);

	return has_fn && (!cap || hmm_dev_can(dev, cap)) ? 0 : -EOPNOTSUPP;
}

static int call_end(struct hmm_dev *dev, enum hmm_op op, int ret)
{
	if (ret) {
		last.dev = dev;
		last.op = op;
		last.err = ret;
	}
	return ret;
}

#define RETRY_EINTR(expr) ({ int r_; do r_ = (expr); while (r_ == -EINTR); r_; })

/* @xfer may be NULL for callers that do not want the driver's counts. */
#define XFER_OR_SCRATCH(x) ((x) ? (x) : &(struct hmm_xfer){ 0 })

int hmm_dev_migrate_to_dev(struct hmm_dev *dev, void *addr, size_t npages, void *bounce,
			   struct hmm_xfer *xfer)
{
	int ret = call_begin(dev, HMM_OP_MIGRATE_TO_DEV, !!dev->ops->migrate_to_dev);

	if (!ret)
		ret = RETRY_EINTR(dev->ops->migrate_to_dev(dev, addr, npages, bounce,
							   XFER_OR_SCRATCH(xfer)));
	return call_end(dev, HMM_OP_MIGRATE_TO_DEV, ret);
}

int hmm_dev_migrate_to_sys(struct hmm_dev *dev, void *addr, size_t npages,
			   struct hmm_xfer *xfer)
{
	int ret = call_begin(dev, HMM_OP_MIGRATE_TO_SYS, !!dev->ops->migrate_to_sys);

	if (!ret)
		ret = RETRY_EINTR(dev->ops->migrate_to_sys(dev, addr, npages, XFER_OR_SCRATCH(xfer)));
	return call_end(dev, HMM_OP_MIGRATE_TO_SYS, ret);
}

int hmm_dev_snapshot(struct hmm_dev *dev, void *addr, size_t npages, uint8_t *state)
{
	int ret = call_begin(dev, HMM_OP_SNAPSHOT, !!dev->ops->snapshot);

	if (!ret)
		ret = RETRY_EINTR(dev->ops->snapshot(dev, addr, npages, state));
	return call_end(dev, HMM_OP_SNAPSHOT, ret);
}

int hmm_dev_read(struct hmm_dev *dev, void *addr, size_t npages, void *bounce,
		 struct hmm_xfer *xfer)
{
	int ret = call_begin(dev, HMM_OP_DEV_READ, !!dev->ops->dev_read);

	if (!ret)
		ret = RETRY_EINTR(dev->ops->dev_read(dev, addr, npages, bounce, XFER_OR_SCRATCH(xfer)));
	return call_end(dev, HMM_OP_DEV_READ, ret);
}

int hmm_dev_write(struct hmm_dev *dev, void *addr, size_t npages, void *bounce,
		  struct hmm_xfer *xfer)
{
	int ret = call_begin(dev, HMM_OP_DEV_WRITE, !!dev->ops->dev_write);

	if (!ret)
		ret = RETRY_EINTR(dev->ops->dev_write(dev, addr, npages, bounce, XFER_OR_SCRATCH(xfer)));
	return call_end(dev, HMM_OP_DEV_WRITE, ret);
}

int hmm_dev_exclusive(struct hmm_dev *dev, void *addr, size_t npages, struct hmm_xfer *xfer)
{
	int ret = call_begin(dev, HMM_OP_EXCLUSIVE, !!dev->ops->exclusive);

	if (!ret)
		ret = RETRY_EINTR(dev->ops->exclusive(dev, addr, npages, XFER_OR_SCRATCH(xfer)));
	return call_end(dev, HMM_OP_EXCLUSIVE, ret);
}

int hmm_dev_check_exclusive(struct hmm_dev *dev, void *addr, size_t npages)
{
	int ret = call_begin(dev, HMM_OP_CHECK_EXCLUSIVE, !!dev->ops->check_exclusive);

	if (!ret)
		ret = RETRY_EINTR(dev->ops->check_exclusive(dev, addr, npages));
	return call_end(dev, HMM_OP_CHECK_EXCLUSIVE, ret);
}

int hmm_dev_inject_fail_alloc(struct hmm_dev *dev)
{
	int ret = call_begin(dev, HMM_OP_FAIL_ALLOC, !!dev->ops->inject_fail_alloc);

	if (!ret)
		ret = RETRY_EINTR(dev->ops->inject_fail_alloc(dev));
	return call_end(dev, HMM_OP_FAIL_ALLOC, ret);
}

int hmm_dev_release(struct hmm_dev *dev)
{
	int ret = call_begin(dev, HMM_OP_RELEASE, !!dev->ops->release);

	if (!ret)
		ret = RETRY_EINTR(dev->ops->release(dev));
	return call_end(dev, HMM_OP_RELEASE, ret);
}

int hmm_dev_copy_bus(struct hmm_dev *dev, enum hmm_copy_dir dir, size_t bytes,
		     unsigned int reps, uint64_t *ns)
{
	int ret = call_begin(dev, HMM_OP_COPY_BUS, !!dev->ops->copy_bus);

	dev->why[0] = '\0';
	if (ret)
		snprintf(dev->why, sizeof(dev->why), "the %s backend has no bus copy", dev->ops->name);
	else if (!bytes || !reps || !ns)
		ret = -EINVAL;
	else
		ret = RETRY_EINTR(dev->ops->copy_bus(dev, dir, bytes, reps, ns));
	return call_end(dev, HMM_OP_COPY_BUS, ret);
}

void hmm_backend_discover(const struct hmm_backend_ops *ops, struct hmm_discovery *d)
{
	memset(d, 0, sizeof(*d));
	if (ops->discover)
		ops->discover(d);
}

const char *hmm_dev_last_error(char *buf, size_t len)
{
	if (!last.dev) {
		snprintf(buf, len, "no device operation has failed");
		return buf;
	}
	return hmm_dev_strerror(last.dev, last.op, last.err, buf, len);
}
