/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HMMBENCH_BENCH_H
#define HMMBENCH_BENCH_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "backend.h"
#include "buffer.h"
#include "clock.h"
#include "pagestate.h"
#include "record.h"
#include "adaptive.h"
#include "stats.h"

struct bench_ctx {
	struct hmm_dev *dev;
	struct rec_writer *out;
	const volatile sig_atomic_t *stop;	/* set by SIGINT/SIGTERM */
	uint64_t seed;
	/*
	 * Where system knobs (bench/split_real) are read and written: NULL or
	 * "" for the real /proc and /sys; tests point it at a scratch tree.
	 */
	const char *sysknob_root;
	/* Called after every recorded sample (progress display); may be NULL. */
	void (*on_sample)(void *arg, size_t n);
	void *on_sample_arg;

	/* The case being run, as the runner labels it: "migrate 32M thp". */
	char label[64];
	/* Where a case prints its rows (NULL: nowhere), each line after @row_prefix. */
	FILE *table;
	const char *row_prefix;		/* "# " inside KTAP output */
	int interleaved;		/* the case ran in rounds with others */
	/*
	 * This machine's best copy bandwidth, from a copyceil job earlier in
	 * the run (MB/s); 0 if none ran: migrations are also fractions of it.
	 */
	double copy_ceiling_mbps;
	/*
	 * The device's pinned copy bandwidth across its bus each way (MB/s,
	 * by enum hmm_copy_dir), from copyceil's bus case earlier in the run;
	 * 0 if none was measured: migrations are then fractions of it too.
	 */
	double bus_mbps[2];
};

static inline void bench_sampled(struct bench_ctx *ctx, size_t n)
{
	if (ctx->on_sample)
		ctx->on_sample(ctx->on_sample_arg, n);
}

/*
 * Prints the one-line error of this thread's last failed device call
 * (hmm_dev_last_error()) and returns @err.
 */
int bench_dev_error(int err);
/* SNAPSHOTs @b into @state (b->npages bytes) and summarises it. */
int bench_snapshot(struct hmm_dev *dev, struct test_buf *b, uint8_t *state,
		   struct hmm_snapshot_summary *sum);
/* Reports a data mismatch at byte @off of @b with the page's state; -EIO. */
int bench_mismatch(struct hmm_dev *dev, struct test_buf *b, const char *where,
		   long off, uint64_t want, uint64_t got);

/*
 * Checks the copy of @b the driver handed back in @bounce on migration to
 * the device (test_hmm's MIGRATE_TO_DEV does; drivers that cannot read
 * device memory, without HMM_CAP_DEV_RW, do not, and there is nothing to
 * check). Returns 0 or -EIO after reporting the mismatch.
 */
int bench_check_device_copy(struct bench_ctx *ctx, struct test_buf *b,
			    const void *bounce, uint64_t gen, const char *where);
/*
 * Says in @rec ("device_check") that the device's copy could not be
 * checked, when the backend has no device read; data is then checked in
 * system memory only, after it came back. Adds nothing otherwise.
 */
void bench_note_device_check(const struct bench_ctx *ctx, json_t *rec);

/*
 * A summary row: summarises @x (@n samples of @metric, its unit as the
 * metric table declares it), writes the "summary" record of @bench with
 * @params (stolen), why sampling stopped, and "interleaved" when it was,
 * and prints one table row labelled "<case label> @suffix".
 */
void bench_row(struct bench_ctx *ctx, const char *bench, json_t *params, const char *metric,
	       const char *suffix, const double *x, size_t n, const char *note,
	       enum stop_reason stop);
/* Prints one table row of already summarised @s (no record). */
void bench_print_row(struct bench_ctx *ctx, const char *label, const char *unit,
		     const struct sample_stats *s, const char *note);
/* Prints @text line by line with the table's prefix. */
void bench_print_text(struct bench_ctx *ctx, const char *text);
/* 33554432 -> "32M", 524288 -> "512K", into @buf. */
const char *size_str(size_t size, char *buf, size_t len);

#endif
