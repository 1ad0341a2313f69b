/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Our own statement of lib/test_hmm_uapi.h's ABI (Linux 6.0 and later).
 * The kernel does not install that header, so we carry the facts here;
 * tests/unit/test_abi.c checks them against a kernel tree when one is found.
 */
#ifndef HMMBENCH_TEST_HMM_ABI_H
#define HMMBENCH_TEST_HMM_ABI_H

#include <linux/ioctl.h>
#include <stdint.h>

struct hmmb_dmirror_cmd {
	uint64_t addr;		/* in: page-aligned user address */
	uint64_t ptr;		/* in: bounce buffer, or snapshot byte array */
	uint64_t npages;	/* in: pages; for FLAGS the flags word */
	uint64_t cpages;	/* out: pages copied */
	uint64_t faults;	/* out: device faults seen */
};

#define HMMB_DMIRROR_READ		_IOWR('H', 0x00, struct hmmb_dmirror_cmd)
#define HMMB_DMIRROR_WRITE		_IOWR('H', 0x01, struct hmmb_dmirror_cmd)
#define HMMB_DMIRROR_MIGRATE_TO_DEV	_IOWR('H', 0x02, struct hmmb_dmirror_cmd)
#define HMMB_DMIRROR_MIGRATE_TO_SYS	_IOWR('H', 0x03, struct hmmb_dmirror_cmd)
#define HMMB_DMIRROR_SNAPSHOT		_IOWR('H', 0x04, struct hmmb_dmirror_cmd)
#define HMMB_DMIRROR_EXCLUSIVE		_IOWR('H', 0x05, struct hmmb_dmirror_cmd)
#define HMMB_DMIRROR_CHECK_EXCLUSIVE	_IOWR('H', 0x06, struct hmmb_dmirror_cmd)
#define HMMB_DMIRROR_RELEASE		_IOWR('H', 0x07, struct hmmb_dmirror_cmd)
/* Linux 6.19 and later; older kernels fall to the default case: EINVAL. */
#define HMMB_DMIRROR_FLAGS		_IOWR('H', 0x08, struct hmmb_dmirror_cmd)

#define HMMB_DMIRROR_FLAG_FAIL_ALLOC	(1ULL << 0)

/* Devices 0 and 1 are device-private; 2 and 3 device-coherent. */
#define HMMB_DMIRROR_PATH_FMT "/dev/hmm_dmirror%d"
#define HMMB_DMIRROR_NDEVS 4

#endif
