// SPDX-License-Identifier: GPL-2.0
/*
 * The null backend (drivers-ioctl/null.c): what it claims, what SNAPSHOT
 * says after each operation, CPU faults bringing pages back, injected
 * failures splitting THPs, device-side access with and without dev-rw.
 * Everything goes through the hmm_dev_*() wrappers, as benchmarks do.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "backend.h"
#include "buffer.h"
#include "null.h"
#include "pagestate.h"

#define SEED 42

static void open_null(struct hmm_dev *dev, const char *path)
{
	int ret = hmm_dev_open(dev, &null_backend, path);

	cr_assert_eq(ret, 0, "open %s: %d", path, ret);
}

static void filled(struct test_buf *b, size_t size, enum page_mode mode)
{
	cr_assert_eq(buf_alloc(b, size, mode), 0);
	pattern_fill(b->addr, b->npages, SEED, 1);
}

static struct hmm_snapshot_summary snap(struct hmm_dev *dev, struct test_buf *b, uint8_t *first)
{
	uint8_t state[2048];
	struct hmm_snapshot_summary s;

	cr_assert(b->npages <= sizeof(state));
	cr_assert_eq(hmm_dev_snapshot(dev, b->addr, b->npages, state), 0);
	hmm_snapshot_summarise(state, b->npages, 0, &s);
	if (first)
		*first = state[0];
	return s;
}

static void expect_pattern(const struct test_buf *b, const char *when)
{
	uint64_t want, got;
	long off = pattern_check(b->addr, b->npages, SEED, 1, &want, &got);

	cr_expect_eq(off, -1, "%s: data differs at byte %ld", when, off);
}

Test(null, capabilities_from_the_path)
{
	struct hmm_dev dev;

	open_null(&dev, "null");
	cr_expect(hmm_dev_can(&dev, HMM_CAP_DEV_RW) && hmm_dev_can(&dev, HMM_CAP_FAIL_ALLOC) &&
		  hmm_dev_can(&dev, HMM_CAP_THP_PMD) && hmm_dev_can(&dev, HMM_CAP_MIGRATE_TO_SYS));
	cr_expect(!hmm_dev_can(&dev, HMM_CAP_DEV_COHERENT));
	hmm_dev_close(&dev);
	open_null(&dev, "null,no-dev-rw,no-fail-alloc");
	cr_expect(!hmm_dev_can(&dev, HMM_CAP_DEV_RW) && !hmm_dev_can(&dev, HMM_CAP_FAIL_ALLOC));
	cr_expect(hmm_dev_can(&dev, HMM_CAP_SNAPSHOT));
	cr_expect(strstr(hmm_cap_reason(&dev, HMM_CAP_DEV_RW), "switched off"), "%s",
		  hmm_cap_reason(&dev, HMM_CAP_DEV_RW));
	hmm_dev_close(&dev);
	cr_expect_eq(hmm_dev_open(&dev, &null_backend, "nul"), -ENOENT);
	hmm_dev_close(&dev);
	cr_expect_eq(hmm_dev_open(&dev, &null_backend, "null,no-frobnication"), -EINVAL);
	hmm_dev_close(&dev);
}

Test(null, thp_moves_as_pmds_and_a_cpu_touch_brings_one_back)
{
	struct hmm_dev dev;
	struct test_buf b;
	struct hmm_xfer x;
	struct hmm_snapshot_summary s;
	struct null_stats st;
	uint8_t *bounce = malloc(4 << 20), first;

	open_null(&dev, "null");
	filled(&b, 4 << 20, PAGES_THP);
	s = snap(&dev, &b, NULL);
	cr_expect_eq(s.whole_pmds, 2, "two THPs in system memory, got %zu", s.whole_pmds);
	cr_assert_eq(hmm_dev_migrate_to_dev(&dev, b.addr, b.npages, bounce, &x), 0);
	cr_expect_eq(x.cpages, 2, "one entry per PMD, got %llu", (unsigned long long)x.cpages);
	s = snap(&dev, &b, &first);
	cr_expect(s.device == 1024 && s.whole_pmds == 2, "device %zu, whole PMDs %zu", s.device,
		  s.whole_pmds);
	cr_expect_eq(first, 0x26, "SNAPSHOT 0x%02x: dev-private-local|write|pmd as test_hmm", first);
	cr_expect_eq(pattern_check(bounce, b.npages, SEED, 1, &(uint64_t){ 0 }, &(uint64_t){ 0 }), -1,
		     "the device's copy comes back in the bounce buffer");
	/* One read of the second chunk faults its whole PMD unit back. */
	cr_expect_eq(((volatile uint64_t *)b.addr)[PMD_SZ / 8 + 3], ((uint64_t *)bounce)[PMD_SZ / 8 + 3]);
	null_dev_stats(&dev, &st);
	cr_expect_eq(st.cpu_faults, 1);
	s = snap(&dev, &b, NULL);
	cr_expect_eq(s.device, 512, "the first chunk is still on the device, got %zu", s.device);
	cr_assert_eq(hmm_dev_migrate_to_sys(&dev, b.addr, b.npages, &x), 0);
	cr_expect_eq(x.cpages, 1, "one PMD migrated back");
	s = snap(&dev, &b, NULL);
	cr_expect(s.device == 0 && s.whole_pmds == 2);
	expect_pattern(&b, "after the round trip");
	buf_free(&b);
	free(bounce);
	hmm_dev_close(&dev);
}

Test(null, small_pages_move_one_by_one)
{
	struct hmm_dev dev;
	struct test_buf b;
	struct hmm_xfer x;
	struct hmm_snapshot_summary s;

	open_null(&dev, "null");
	filled(&b, 2 << 20, PAGES_4K);
	cr_assert_eq(hmm_dev_migrate_to_dev(&dev, b.addr, b.npages, NULL, &x), 0);
	cr_expect_eq(x.cpages, 512);
	s = snap(&dev, &b, NULL);
	cr_expect(s.device == 512 && s.pmd_pages == 0);
	cr_assert_eq(hmm_dev_migrate_to_sys(&dev, b.addr, 10, &x), 0);
	cr_expect_eq(x.cpages, 10);
	expect_pattern(&b, "after CPU faults and a partial migration back");
	s = snap(&dev, &b, NULL);
	cr_expect_eq(s.device, 0, "reading every page brought them all back");
	buf_free(&b);
	hmm_dev_close(&dev);
}

Test(null, injected_failure_splits_the_first_thp)
{
	struct hmm_dev dev;
	struct test_buf b;
	struct hmm_xfer x;
	struct hmm_snapshot_summary s;
	struct null_stats st;

	open_null(&dev, "null");
	filled(&b, 4 << 20, PAGES_THP);
	cr_assert_eq(hmm_dev_inject_fail_alloc(&dev), 0);
	cr_assert_eq(hmm_dev_migrate_to_dev(&dev, b.addr, b.npages, NULL, &x), 0);
	cr_expect_eq(x.cpages, 513, "512 small pages and one PMD, as test_hmm's 543 = 512 + 31");
	s = snap(&dev, &b, NULL);
	cr_expect(s.device == 1024 && s.whole_pmds == 1, "device %zu, whole %zu", s.device,
		  s.whole_pmds);
	cr_assert_eq(hmm_dev_migrate_to_sys(&dev, b.addr, b.npages, &x), 0);
	s = snap(&dev, &b, NULL);
	cr_expect_eq(s.whole_pmds, 1, "a split THP stays split in system memory");
	null_dev_stats(&dev, &st);
	cr_expect_eq(st.splits, 1);
	expect_pattern(&b, "after a split");
	buf_free(&b);
	hmm_dev_close(&dev);
}

Test(null, without_dev_rw_the_device_cannot_be_read)
{
	struct hmm_dev dev;
	struct test_buf b;
	uint8_t *bounce = malloc(2 << 20);

	open_null(&dev, "null,no-dev-rw");
	filled(&b, 2 << 20, PAGES_THP);
	memset(bounce, 0xab, 2 << 20);
	cr_assert_eq(hmm_dev_migrate_to_dev(&dev, b.addr, b.npages, bounce, NULL), 0);
	cr_expect(bounce[0] == 0xab && bounce[(2 << 20) - 1] == 0xab,
		  "no copy comes back from a device that cannot be read");
	cr_expect_eq(hmm_dev_read(&dev, b.addr, b.npages, bounce, NULL), -EOPNOTSUPP);
	cr_assert_eq(hmm_dev_migrate_to_sys(&dev, b.addr, b.npages, NULL), 0);
	expect_pattern(&b, "after the round trip");
	buf_free(&b);
	free(bounce);
	hmm_dev_close(&dev);
}

Test(null, device_read_write_and_exclusive)
{
	struct hmm_dev dev;
	struct test_buf b;
	uint8_t *bounce = malloc(2 << 20);

	open_null(&dev, "null");
	filled(&b, 2 << 20, PAGES_4K);
	cr_assert_eq(hmm_dev_migrate_to_dev(&dev, b.addr, 4, NULL, NULL), 0);
	memset(bounce, 0x5c, 4 * PAGE_SZ);
	cr_assert_eq(hmm_dev_write(&dev, b.addr, 4, bounce, NULL), 0);
	memset(bounce, 0, 4 * PAGE_SZ);
	cr_assert_eq(hmm_dev_read(&dev, b.addr, 4, bounce, NULL), 0);
	cr_expect(bounce[0] == 0x5c && bounce[4 * PAGE_SZ - 1] == 0x5c, "the device holds what it wrote");
	cr_expect_eq(b.addr[PAGE_SZ], 0x5c, "and the CPU faults it back");
	cr_assert_eq(hmm_dev_exclusive(&dev, b.addr + 8 * PAGE_SZ, 2, NULL), 0);
	cr_expect_eq(hmm_dev_check_exclusive(&dev, b.addr + 8 * PAGE_SZ, 2), -EPERM);
	(void)*(volatile uint8_t *)(b.addr + 8 * PAGE_SZ);
	(void)*(volatile uint8_t *)(b.addr + 9 * PAGE_SZ);
	cr_expect_eq(hmm_dev_check_exclusive(&dev, b.addr + 8 * PAGE_SZ, 2), 0,
		     "CPU accesses end exclusive access");
	buf_free(&b);
	free(bounce);
	hmm_dev_close(&dev);
}

Test(null, corrupt_flips_a_byte_on_the_way_back)
{
	struct hmm_dev dev;
	struct test_buf b;
	uint64_t want, got;

	open_null(&dev, "null,corrupt");
	filled(&b, 2 << 20, PAGES_THP);
	cr_assert_eq(hmm_dev_migrate_to_dev(&dev, b.addr, b.npages, NULL, NULL), 0);
	cr_assert_eq(hmm_dev_migrate_to_sys(&dev, b.addr, b.npages, NULL), 0);
	cr_expect_eq(pattern_check(b.addr, b.npages, SEED, 1, &want, &got), 120,
		     "the word holding byte 123 of page 0 differs");
	buf_free(&b);
	hmm_dev_close(&dev);
}

Test(null, release_and_a_replaced_mapping)
{
	struct hmm_dev dev;
	struct test_buf b;
	struct hmm_snapshot_summary s;
	uint8_t *addr;

	open_null(&dev, "null");
	filled(&b, 2 << 20, PAGES_4K);
	cr_assert_eq(hmm_dev_migrate_to_dev(&dev, b.addr, b.npages, NULL, NULL), 0);
	cr_assert_eq(hmm_dev_release(&dev), 0);
	s = snap(&dev, &b, NULL);
	cr_expect_eq(s.device, 0, "release evicts everything");
	expect_pattern(&b, "after release");
	cr_assert_eq(hmm_dev_migrate_to_dev(&dev, b.addr, b.npages, NULL, NULL), 0);
	/* A fresh mapping where the pages were: they are gone, not on the device. */
	addr = mmap(b.addr, b.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		    -1, 0);
	cr_assert(addr == b.addr);
	s = snap(&dev, &b, NULL);
	cr_expect_eq(s.device, 0, "a replaced mapping holds no device pages, got %zu", s.device);
	buf_free(&b);
	hmm_dev_close(&dev);
}
