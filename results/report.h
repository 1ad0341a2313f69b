/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The report: OUT/index.html (self-contained: figures as data: URIs, no
 * external resources), OUT/summary.txt (plain text, at most 80 columns,
 * for mailing lists), OUT/results.csv (one row per kernel, benchmark,
 * metric and parameter set) and the figures as OUT/NAME.svg and OUT/NAME.png.
 * The oldest kernel is the base every other kernel is compared against.
 */
#ifndef HMMBENCH_REPORT_H
#define HMMBENCH_REPORT_H

#include "compare.h"
#include "plot.h"

struct report {
	const char *outdir;
	const char *sources;		/* the directories, for the header */
	struct cmp_opts opts;
	struct cmp_side *sides;
	size_t nsides;
	struct cmp_table *tables;	/* sides[i + 1] against sides[0] */
	size_t ntables;
	struct plot_list plots;
	char *summary;			/* the text of summary.txt */
	char generated[32];
};

/*
 * Writes the report of @set into @r->outdir (created if missing). Returns
 * 0; -1 with a one-line reason in @err when a file could not be written;
 * 1 when everything but some figures was written (@err says why).
 */
int report_write(struct report *r, struct rs_set *set, char *err, size_t errlen);
void report_free(struct report *r);

/* The parts, for the tests. */
int report_csv(const struct report *r, FILE *f);
void report_text(const struct report *r, FILE *f);
int report_html(const struct report *r, FILE *f);

/*
 * The capabilities the device of @s's first run lacked when probed, each
 * with its reason, at most @max of them; returns how many. What the device
 * is (dev-coherent) is not a lack. Both summary.txt and index.html list them.
 */
#define REPORT_CAPS_MAX 32
size_t report_missing_caps(const struct cmp_side *s, const char **cap,
			   const char **why, size_t max);

#endif
