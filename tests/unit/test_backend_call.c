// SPDX-License-Identifier: GPL-2.0
/*
 * The hmm_dev_*() wrappers (drivers-ioctl/backend_call.c) in front of a
 * fake backend that counts its calls: an operation the backend lacks, or
 * whose capability it did not probe, is refused without a call and
 * explained by the capability's reason; EINTR is retried; the last
 * failure names the operation and the device.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "backend.h"

static int calls, eintr_left;

static int fake_migrate_to_dev(struct hmm_dev *dev, void *addr, size_t npages, void *bounce,
			       struct hmm_xfer *xfer)
{
	(void)dev, (void)addr, (void)bounce;
	calls++;
	if (eintr_left) {
		eintr_left--;
		return -EINTR;
	}
	xfer->cpages = npages;	/* a NULL @xfer from the caller must not reach here */
	return 0;
}

static int fake_inject(struct hmm_dev *dev)
{
	(void)dev;
	calls++;
	return -EBUSY;
}

static const struct hmm_backend_ops fake = {
	.name = "fake",
	.migrate_to_dev = fake_migrate_to_dev,
	.inject_fail_alloc = fake_inject,
};

static void fake_dev(struct hmm_dev *dev)
{
	memset(dev, 0, sizeof(*dev));
	dev->ops = &fake;
	dev->fd = -1;
	snprintf(dev->path, sizeof(dev->path), "/dev/fake0");
	calls = eintr_left = 0;
}

Test(backend_call, retries_eintr_and_takes_a_null_xfer)
{
	struct hmm_dev dev;
	struct hmm_xfer x = { 0 };

	fake_dev(&dev);
	hmm_dev_set_cap(&dev, HMM_CAP_MIGRATE_TO_DEV, 1, NULL);
	eintr_left = 2;
	cr_expect_eq(hmm_dev_migrate_to_dev(&dev, NULL, 4, NULL, &x), 0, "EINTR twice, then done");
	cr_expect_eq(calls, 3, "called %d times, expected 3", calls);
	cr_expect_eq(x.cpages, 4);
	cr_expect_eq(hmm_dev_migrate_to_dev(&dev, NULL, 4, NULL, NULL), 0, "xfer may be NULL");
}

Test(backend_call, refuses_without_capability_and_says_why)
{
	struct hmm_dev dev;
	char msg[512];

	fake_dev(&dev);
	hmm_dev_set_cap(&dev, HMM_CAP_MIGRATE_TO_DEV, 0, "the probe migration moved nothing");
	cr_expect_eq(hmm_dev_migrate_to_dev(&dev, NULL, 1, NULL, NULL), -EOPNOTSUPP);
	cr_expect_eq(calls, 0, "a refused operation never reaches the backend");
	hmm_dev_last_error(msg, sizeof(msg));
	cr_expect(strstr(msg, "migrate to device on /dev/fake0 failed: EOPNOTSUPP") &&
		  strstr(msg, "the probe migration moved nothing"),
		  "the message names operation, device, errno and the capability's reason: %s", msg);
}

Test(backend_call, refuses_what_the_backend_lacks)
{
	struct hmm_dev dev;
	char msg[512];

	fake_dev(&dev);
	dev.caps = ~0u;		/* even if it claimed the capability */
	cr_expect_eq(hmm_dev_snapshot(&dev, NULL, 1, NULL), -EOPNOTSUPP, "no snapshot pointer");
	cr_expect_eq(hmm_dev_read(&dev, NULL, 1, NULL, NULL), -EOPNOTSUPP);
	cr_expect_eq(hmm_dev_release(&dev), -EOPNOTSUPP);
	hmm_dev_last_error(msg, sizeof(msg));
	cr_expect(strstr(msg, "release on /dev/fake0 failed: EOPNOTSUPP"), "%s", msg);
}

Test(backend_call, last_error_is_the_drivers_errno)
{
	struct hmm_dev dev;
	char msg[512];

	fake_dev(&dev);
	hmm_dev_set_cap(&dev, HMM_CAP_FAIL_ALLOC, 1, NULL);
	cr_expect_eq(hmm_dev_inject_fail_alloc(&dev), -EBUSY);
	cr_expect_eq(calls, 1);
	hmm_dev_last_error(msg, sizeof(msg));
	cr_expect(strstr(msg, "inject allocation failure on /dev/fake0 failed: EBUSY"), "%s", msg);
}

Test(backend_call, every_gated_operation_names_a_capability)
{
	static const enum hmm_op gated[] = {
		HMM_OP_MIGRATE_TO_DEV, HMM_OP_SNAPSHOT, HMM_OP_DEV_READ, HMM_OP_DEV_WRITE,
		HMM_OP_EXCLUSIVE, HMM_OP_CHECK_EXCLUSIVE, HMM_OP_FAIL_ALLOC, HMM_OP_RELEASE,
	};

	for (size_t i = 0; i < sizeof(gated) / sizeof(gated[0]); i++)
		cr_expect(hmm_op_needs(gated[i]), "%s needs a capability", hmm_op_name(gated[i]));
	cr_expect_eq(hmm_op_needs(HMM_OP_MIGRATE_TO_SYS), 0,
		     "a backend without the ioctl may still fault pages back (nouveau)");
	cr_expect_eq(hmm_op_needs(HMM_OP_DEV_READ), HMM_CAP_DEV_RW);
}

Test(backend_call, a_backend_without_bus_copy_says_so)
{
	struct hmm_dev dev;
	uint64_t ns[1];
	char msg[512];

	fake_dev(&dev);
	cr_expect_eq(hmm_dev_copy_bus(&dev, HMM_COPY_TO_DEV, 4096, 1, ns), -EOPNOTSUPP);
	cr_expect_str_eq(dev.why, "the fake backend has no bus copy");
	hmm_dev_last_error(msg, sizeof(msg));
	cr_expect(strstr(msg, "copy across the bus on /dev/fake0 failed: EOPNOTSUPP") &&
		  strstr(msg, "no bus copy"), "%s", msg);
}
