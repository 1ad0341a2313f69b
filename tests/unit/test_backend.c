// SPDX-License-Identifier: GPL-2.0
/*
 * The backend registry and the helpers every backend shares
 * (drivers-ioctl/backend.h), and the test_hmm backend's open path.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "backend.h"

static const enum hmm_cap all_caps[HMM_CAP_COUNT] = {
	HMM_CAP_MIGRATE_TO_DEV, HMM_CAP_MIGRATE_TO_SYS, HMM_CAP_SNAPSHOT,
	HMM_CAP_DEV_RW, HMM_CAP_EXCLUSIVE, HMM_CAP_RELEASE,
	HMM_CAP_FAIL_ALLOC, HMM_CAP_THP_PMD, HMM_CAP_DEV_COHERENT,
};

Test(backend, find_test_hmm)
{
	const struct hmm_backend_ops *ops = hmm_backend_find("test_hmm");

	cr_assert(ops != NULL, "hmm_backend_find(\"test_hmm\") should find the test_hmm backend");
	cr_assert(!strcmp(ops->name, "test_hmm"),
		  "the backend found should be named \"test_hmm\", got \"%s\"", ops->name);
	cr_assert(ops->open && ops->close,
		  "the test_hmm backend should have open and close operations");
}

Test(backend, find_unknown_is_null)
{
	cr_assert(hmm_backend_find("radeon") == NULL,
		  "hmm_backend_find(\"radeon\") should be NULL: no such backend");
	cr_assert(hmm_backend_find("") == NULL,
		  "hmm_backend_find(\"\") should be NULL");
	cr_assert(hmm_backend_find("test_hmm2") == NULL,
		  "hmm_backend_find(\"test_hmm2\") should be NULL: names match exactly");
}

Test(backend, registry_lists_test_hmm)
{
	const struct hmm_backend_ops *const *b = hmm_backends();
	int i, found = 0;

	for (i = 0; b[i] && i < 64; i++)
		if (b[i] == hmm_backend_find("test_hmm"))
			found = 1;
	cr_assert(i < 64, "hmm_backends() should be NULL-terminated");
	cr_assert(found, "hmm_backends() should list the test_hmm backend");
}

Test(backend, set_cap_sets_and_clears_bits)
{
	struct hmm_dev dev;

	memset(&dev, 0, sizeof(dev));
	hmm_dev_set_cap(&dev, HMM_CAP_SNAPSHOT, 1, NULL);
	cr_assert(dev.caps == HMM_CAP_SNAPSHOT,
		  "after setting SNAPSHOT on an empty device caps should be 0x%x, got 0x%x",
		  HMM_CAP_SNAPSHOT, dev.caps);
	cr_assert(hmm_dev_can(&dev, HMM_CAP_SNAPSHOT), "hmm_dev_can(SNAPSHOT) should be true");
	cr_assert(!hmm_dev_can(&dev, HMM_CAP_THP_PMD), "hmm_dev_can(THP_PMD) should be false");

	/* All bits on, then clear one: only that one may go. */
	dev.caps = (1u << HMM_CAP_COUNT) - 1;
	hmm_dev_set_cap(&dev, HMM_CAP_FAIL_ALLOC, 0, "no FLAGS ioctl");
	cr_assert(dev.caps == (((1u << HMM_CAP_COUNT) - 1) & ~(unsigned int)HMM_CAP_FAIL_ALLOC),
		  "clearing FAIL_ALLOC should clear bit 6 only: caps 0x%x", dev.caps);
	hmm_dev_set_cap(&dev, HMM_CAP_FAIL_ALLOC, 1, NULL);
	cr_assert(dev.caps == (1u << HMM_CAP_COUNT) - 1,
		  "setting FAIL_ALLOC again should restore all bits: caps 0x%x", dev.caps);
}

Test(backend, set_cap_keeps_reason_per_cap)
{
	struct hmm_dev dev;

	memset(&dev, 0, sizeof(dev));
	hmm_dev_set_cap(&dev, HMM_CAP_FAIL_ALLOC, 0, "FLAGS answered %s: before %d.%d",
			"EINVAL", 6, 19);
	hmm_dev_set_cap(&dev, HMM_CAP_THP_PMD, 0, "a THP was split");
	cr_assert(!strcmp(hmm_cap_reason(&dev, HMM_CAP_FAIL_ALLOC),
			  "FLAGS answered EINVAL: before 6.19"),
		  "the FAIL_ALLOC reason should be the formatted text, got \"%s\"",
		  hmm_cap_reason(&dev, HMM_CAP_FAIL_ALLOC));
	cr_assert(!strcmp(hmm_cap_reason(&dev, HMM_CAP_THP_PMD), "a THP was split"),
		  "the THP_PMD reason should be kept beside FAIL_ALLOC's, got \"%s\"",
		  hmm_cap_reason(&dev, HMM_CAP_THP_PMD));
	cr_assert(hmm_cap_reason(&dev, HMM_CAP_SNAPSHOT)[0] == '\0',
		  "a cap never given a reason should have an empty one, got \"%s\"",
		  hmm_cap_reason(&dev, HMM_CAP_SNAPSHOT));
	cr_assert(dev.caps == 0, "caps should still be 0 after only clearing, got 0x%x", dev.caps);

	/* Once the cap is there, the old reason for its absence must go. */
	hmm_dev_set_cap(&dev, HMM_CAP_THP_PMD, 1, NULL);
	cr_assert(hmm_cap_reason(&dev, HMM_CAP_THP_PMD)[0] == '\0',
		  "setting THP_PMD with no reason should clear the stale one, got \"%s\"",
		  hmm_cap_reason(&dev, HMM_CAP_THP_PMD));
}

Test(backend, set_cap_truncates_long_reason)
{
	struct hmm_dev dev;
	char longer[HMM_REASON_MAX * 2];

	memset(&dev, 0, sizeof(dev));
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	hmm_dev_set_cap(&dev, HMM_CAP_RELEASE, 0, "%s", longer);
	cr_assert(strlen(hmm_cap_reason(&dev, HMM_CAP_RELEASE)) == HMM_REASON_MAX - 1,
		  "a %zu-char reason should be cut to %d chars, got %zu",
		  strlen(longer), HMM_REASON_MAX - 1,
		  strlen(hmm_cap_reason(&dev, HMM_CAP_RELEASE)));
	cr_assert(hmm_cap_reason(&dev, HMM_CAP_DEV_COHERENT)[0] == '\0',
		  "a long reason must not spill into the next cap's reason");
}

Test(backend, cap_names_distinct_and_non_empty)
{
	for (int i = 0; i < HMM_CAP_COUNT; i++) {
		const char *a = hmm_cap_name(all_caps[i]);

		cr_assert(a && *a, "hmm_cap_name(0x%x) should be a non-empty name", all_caps[i]);
		for (int j = 0; j < i; j++)
			cr_assert(strcmp(a, hmm_cap_name(all_caps[j])),
				  "caps 0x%x and 0x%x should have different names, both are \"%s\"",
				  all_caps[i], all_caps[j], a);
	}
}

Test(backend, op_names_distinct_and_non_empty)
{
	for (int i = 0; i < HMM_OP_COUNT; i++) {
		const char *a = hmm_op_name(i);

		cr_assert(a && *a, "hmm_op_name(%d) should be a non-empty name", i);
		for (int j = 0; j < i; j++)
			cr_assert(strcmp(a, hmm_op_name(j)),
				  "ops %d and %d should have different names, both are \"%s\"",
				  i, j, a);
	}
}

static void test_hmm_dev(struct hmm_dev *dev, const char *path)
{
	memset(dev, 0, sizeof(*dev));
	dev->ops = hmm_backend_find("test_hmm");
	dev->fd = -1;
	snprintf(dev->path, sizeof(dev->path), "%s", path);
}

Test(backend, strerror_fail_alloc_einval)
{
	struct hmm_dev dev;
	char buf[512];
	const char *s;

	test_hmm_dev(&dev, "/dev/hmm_dmirror1");
	s = hmm_dev_strerror(&dev, HMM_OP_FAIL_ALLOC, -EINVAL, buf, sizeof(buf));
	cr_assert(s == buf, "hmm_dev_strerror should return its buffer");
	cr_assert(strstr(s, hmm_op_name(HMM_OP_FAIL_ALLOC)),
		  "the message should name the operation \"%s\": \"%s\"",
		  hmm_op_name(HMM_OP_FAIL_ALLOC), s);
	cr_assert(strstr(s, "/dev/hmm_dmirror1"), "the message should name the path: \"%s\"", s);
	cr_assert(strstr(s, "EINVAL"), "the message should name the errno EINVAL: \"%s\"", s);
	cr_assert(strstr(s, strerror(EINVAL)),
		  "the message should carry strerror(EINVAL) \"%s\": \"%s\"", strerror(EINVAL), s);
	/* HMM_DMIRROR_FLAGS came with Linux 6.19 (test_hmm_abi.h); older says EINVAL. */
	cr_assert(strstr(s, "6.19"),
		  "EINVAL from FAIL_ALLOC should say FLAGS needs Linux 6.19: \"%s\"", s);
	cr_assert(!strchr(s, '\n'), "the message should be one line: \"%s\"", s);
}

Test(backend, strerror_sign_does_not_matter)
{
	struct hmm_dev dev;
	char a[512], b[512];

	test_hmm_dev(&dev, "/dev/hmm_dmirror0");
	hmm_dev_strerror(&dev, HMM_OP_MIGRATE_TO_DEV, -EBUSY, a, sizeof(a));
	hmm_dev_strerror(&dev, HMM_OP_MIGRATE_TO_DEV, EBUSY, b, sizeof(b));
	cr_assert(!strcmp(a, b), "-EBUSY and EBUSY should give the same text: \"%s\" vs \"%s\"", a, b);
	cr_assert(strstr(a, "EBUSY") && strstr(a, hmm_op_name(HMM_OP_MIGRATE_TO_DEV)),
		  "the message should name EBUSY and the op: \"%s\"", a);
}

Test(backend, strerror_einval_other_op_has_no_619)
{
	struct hmm_dev dev;
	char buf[512];

	test_hmm_dev(&dev, "/dev/hmm_dmirror0");
	hmm_dev_strerror(&dev, HMM_OP_SNAPSHOT, -EINVAL, buf, sizeof(buf));
	cr_assert(strstr(buf, "EINVAL") && !strstr(buf, "6.19"),
		  "EINVAL from SNAPSHOT is a bad range, not a missing FLAGS ioctl: \"%s\"", buf);
}

Test(backend, strerror_without_meaning_has_no_dangling_colon)
{
	struct hmm_dev dev;
	char buf[512];
	size_t n;

	memset(&dev, 0, sizeof(dev));	/* no ops: nobody to explain */
	snprintf(dev.path, sizeof(dev.path), "/dev/x");
	hmm_dev_strerror(&dev, HMM_OP_RELEASE, -EIO, buf, sizeof(buf));
	n = strlen(buf);
	cr_assert(strstr(buf, "EIO") && strstr(buf, "/dev/x"),
		  "the message should still name EIO and the path: \"%s\"", buf);
	cr_assert(n > 2 && strcmp(buf + n - 2, ": "),
		  "without a driver meaning the message should not end in \": \": \"%s\"", buf);
}

Test(backend, strerror_truncates_to_buffer)
{
	struct hmm_dev dev;
	char buf[16];

	test_hmm_dev(&dev, "/dev/hmm_dmirror0");
	memset(buf, 'Z', sizeof(buf));
	hmm_dev_strerror(&dev, HMM_OP_OPEN, -ENOENT, buf, sizeof(buf));
	cr_assert(memchr(buf, '\0', sizeof(buf)) && strlen(buf) == sizeof(buf) - 1,
		  "a 16-byte buffer should hold 15 chars and a NUL, got length %zu",
		  strnlen(buf, sizeof(buf)));
}

Test(backend, open_nonexistent_path_is_enoent)
{
	const struct hmm_backend_ops *ops = hmm_backend_find("test_hmm");
	const char *path = "/nonexistent-hmmbench-dir/hmm_dmirror9";
	struct hmm_dev dev;
	int ret;

	cr_assert(ops, "the test_hmm backend should exist");
	ret = hmm_dev_open(&dev, ops, path);
	cr_assert(ret == -ENOENT, "opening %s should fail with -ENOENT (%d), got %d",
		  path, -ENOENT, ret);
	cr_assert(!strcmp(dev.path, path), "dev.path should record \"%s\", got \"%s\"",
		  path, dev.path);
	cr_assert(dev.caps == 0, "a device that failed to open should have no caps, got 0x%x",
		  dev.caps);
	hmm_dev_close(&dev);
	cr_assert(dev.fd == -1, "hmm_dev_close should leave fd -1, got %d", dev.fd);
}

/*
 * /dev/null opens but has no ioctls: the kernel answers ENOTTY
 * (drivers/char/mem.c gives null_fops no unlocked_ioctl), so the SNAPSHOT
 * the probe starts with must fail and no cap may be claimed.
 */
Test(backend, open_non_hmm_device_fails_probe)
{
	struct hmm_dev dev;
	int ret;

	ret = hmm_dev_open(&dev, hmm_backend_find("test_hmm"), "/dev/null");
	cr_assert(ret == -ENOTTY, "probing /dev/null should fail with -ENOTTY (%d), got %d",
		  -ENOTTY, ret);
	cr_assert(dev.caps == 0, "no cap should be claimed for /dev/null, got 0x%x", dev.caps);
	hmm_dev_close(&dev);
}
