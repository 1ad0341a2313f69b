/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gnuplot figures for the report. Each figure is OUT/NAME.dat (the numbers
 * plotted), OUT/NAME.gp (the script, runnable by hand to restyle it) and
 * the OUT/NAME.svg and OUT/NAME.png gnuplot draws from them.
 */
#ifndef HMMBENCH_PLOT_H
#define HMMBENCH_PLOT_H

#include "compare.h"

struct plot_fig {
	char name[64];		/* file name without extension */
	char title[160];
	char caption[1024];	/* what it shows, for the HTML */
	int drawn;		/* gnuplot produced the SVG and PNG */
};

struct plot_list {
	struct plot_fig *figs;
	size_t n;
	char absent[1024];	/* figures not drawn for lack of data, why */
	char error[512];	/* why gnuplot failed, if it did */
};

/*
 * Writes every figure the data in @sides supports into @outdir and runs
 * gnuplot on each. Returns 0, or -1 when a figure could not be drawn
 * (@out->error says why; the others are still drawn).
 */
int plot_all(const struct cmp_side *sides, size_t nsides, const char *outdir,
	     struct plot_list *out);
void plot_list_free(struct plot_list *l);

#endif
