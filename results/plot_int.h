/* SPDX-License-Identifier: GPL-2.0 */
/* Between plot.c (files, gnuplot) and plot_figs.c (what each figure shows). */
#ifndef HMMBENCH_PLOT_INT_H
#define HMMBENCH_PLOT_INT_H

#include <stdio.h>

#include "escape.h"
#include "plot.h"

/*
 * What a figure's points and error bars are (results/compare.h,
 * cmp_side_stats): the runs of a kernel, not its samples pooled.
 */
#define PLOT_ERRORBARS "Points and bars: with several runs (boots) of a kernel, the " \
	"geometric mean of the runs' medians and the range from the smallest to the " \
	"largest run median, the spread between boots that compare tests against; " \
	"with one run, its median and the distribution-free 95 percent confidence " \
	"interval of that median, which says nothing of other boots."

struct gp_fig {
	struct plot_fig *meta;
	const char *outdir;
	FILE *dat;		/* NAME.dat */
	FILE *script;		/* the plotting commands, between terminals */
	char *buf;
	size_t len;
	int width;		/* pixels; height is fixed */
};

/* Opens NAME.dat and the script; the title is set already. */
int fig_begin(struct gp_fig *g, struct plot_list *l, const char *outdir,
	      const char *name, const char *title);
/* Writes NAME.gp (SVG, then PNG) and runs gnuplot on it. */
int fig_end(struct gp_fig *g, struct plot_list *l);
/* Gives up on a figure that could not be begun; returns -1. */
int fig_fail(struct gp_fig *g, struct plot_list *l);
/* Notes why a figure is not in the report. */
void plot_absent(struct plot_list *l, const char *why);

int plot_throughput(const struct cmp_side *s, size_t n, const char *outdir,
		    struct plot_list *l);
int plot_thp_vs_4k(const struct cmp_side *s, size_t n, const char *outdir,
		   struct plot_list *l);
int plot_split_rate(const struct cmp_side *s, size_t n, const char *outdir,
		    struct plot_list *l);
int plot_fault_latency(const struct cmp_side *s, size_t n, const char *outdir,
		       struct plot_list *l);
int plot_stress(const struct cmp_side *s, size_t n, const char *outdir,
		struct plot_list *l);

#endif
