// SPDX-License-Identifier: GPL-2.0
/* What every workload shares: error reports, SNAPSHOT evidence. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "metrics.h"
#include "pagestate.h"
#include "summary.h"

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

void bench_print_row(struct bench_ctx *ctx, const char *label, const char *unit,
		     const struct sample_stats *s, const char *note)
{
	if (!ctx->table)
		return;
	summary_print_row(ctx->table, ctx->row_prefix ? ctx->row_prefix : "", label, unit, s,
			  note);
	fflush(ctx->table);
}

void bench_row(struct bench_ctx *ctx, const char *bench, json_t *params, const char *metric,
	       const char *suffix, const double *x, size_t n, const char *note,
	       enum stop_reason stop)
{
	const struct metric_info *mi = metric_find(metric);
	const char *unit = mi ? mi->unit : "?";
	json_t *extra = json_pack("{s:s}", "stop", stop_reason_name(stop));
	struct sample_stats s;
	char label[128], full[96];

	/* compare and report must be able to tell rounds from runs in a row. */
	if (ctx->interleaved)
		json_object_set_new(extra, "interleaved", json_true());
	if (summary_record(ctx->out, bench, params, metric, unit, x, n, extra, &s))
		return;
	snprintf(label, sizeof(label), "%s%s%s", ctx->label, suffix && *suffix ? " " : "",
		 suffix ? suffix : "");
	snprintf(full, sizeof(full), "%s %s", stop_reason_short(stop), note ? note : "");
	bench_print_row(ctx, label, unit, &s, full);
}

void bench_print_text(struct bench_ctx *ctx, const char *text)
{
	const char *nl;

	if (!ctx->table)
		return;
	for (; *text; text = nl + 1) {
		nl = strchr(text, '\n');
		if (!nl)
			nl = text + strlen(text) - 1;
		fprintf(ctx->table, "%s%.*s\n", ctx->row_prefix ? ctx->row_prefix : "",
			(int)(nl - text + (*nl != '\n')), text);
	}
	fflush(ctx->table);
}

const char *size_str(size_t size, char *buf, size_t len)
{
	if (size >= (1UL << 30) && !(size % (1UL << 30)))
		snprintf(buf, len, "%zuG", size >> 30);
	else if (size >= (1UL << 20) && !(size % (1UL << 20)))
		snprintf(buf, len, "%zuM", size >> 20);
	else
		snprintf(buf, len, "%zuK", size >> 10);
	return buf;
}
