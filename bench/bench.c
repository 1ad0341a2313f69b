// SPDX-License-Identifier: GPL-2.0
/* What every workload shares: error reports, SNAPSHOT evidence. */
#include <errno.h>
#include <stdio.h>

#include "bench.h"
#include "pagestate.h"

int bench_dev_error(int err)
{
	char msg[512];

	fprintf(stderr, "hmmbench: %s\n", hmm_dev_last_error(msg, sizeof(msg)));
	return err;
}

int bench_snapshot(struct hmm_dev *dev, struct test_buf *b,
			    uint8_t *state, struct hmm_snapshot_summary *sum)
{
	int ret = hmm_dev_snapshot(dev, b->addr, b->npages, state);

	if (ret)
		return bench_dev_error(ret);
	hmm_snapshot_summarise(state, b->npages, 0, sum);
	return 0;
}

/* Reports where a round trip corrupted data, with the page's state. */
int bench_mismatch(struct hmm_dev *dev, struct test_buf *b,
			   const char *where, long off, uint64_t want,
			   uint64_t got)
{
	uint8_t state;
	char desc[64] = "unknown";
	void *page = b->addr + (off & ~(PAGE_SZ - 1));

	if (!hmm_dev_snapshot(dev, page, 1, &state))
		hmm_page_state_str(state, desc, sizeof(desc));
	fprintf(stderr,
		"hmmbench: data mismatch %s at %p (page %ld, offset %ld): expected 0x%016llx, found 0x%016llx; page state %s\n",
		where, (void *)(b->addr + off), off / (long)PAGE_SZ, off % (long)PAGE_SZ,
		(unsigned long long)want, (unsigned long long)got, desc);
	return -EIO;
}


void bench_note_device_check(const struct bench_ctx *ctx, json_t *rec)
{
	if (!hmm_dev_can(ctx->dev, HMM_CAP_DEV_RW))
		json_object_set_new(rec, "device_check",
				    json_string("not available (backend has no device read)"));
}

int bench_check_device_copy(struct bench_ctx *ctx, struct test_buf *b,
			    const void *bounce, uint64_t gen, const char *where)
{
	uint64_t want, got;
	long off;

	if (!hmm_dev_can(ctx->dev, HMM_CAP_DEV_RW))
		return 0;
	off = pattern_check(bounce, b->npages, ctx->seed, gen, &want, &got);
	if (off < 0)
		return 0;
	return bench_mismatch(ctx->dev, b, where, off, want, got);
}
