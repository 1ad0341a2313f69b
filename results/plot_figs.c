// SPDX-License-Identifier: GPL-2.0
/* What each figure of the report shows, and the numbers it is drawn from. */
#include <math.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#include "percentile.h"
#include "plot_int.h"

#define MIB 1048576.0
#define MAX_SERIES 64
#define MAX_ROWS 256
#define MAX_COLS 8

static const char *pstr(const struct rs_group *g, const char *k)
{
	const char *s = json_string_value(json_object_get(g->params, k));

	return s ? s : "?";
}

static long long pint(const struct rs_group *g, const char *k)
{
	json_t *v = json_object_get(g->params, k);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

static const char *pages_name(const char *p)
{
	return !strcmp(p, "thp") ? "THP" : !strcmp(p, "4k") ? "4 KiB" : p;
}

static int is(const struct rs_group *g, const char *bench, const char *metric)
{
	return g->n && (!bench || !strcmp(g->bench, bench)) && !strcmp(g->metric, metric);
}

/* ---- throughput against buffer size, one figure per direction ---- */

struct point {
	double size;
	struct sample_stats st;
};

static int by_size(const void *a, const void *b)
{
	double x = ((const struct point *)a)->size, y = ((const struct point *)b)->size;

	return (x > y) - (x < y);
}

struct series {
	size_t side;
	const char *pages;
};

static size_t find_series(const struct cmp_side *s, size_t n, const char *dir,
			  struct series *ser)
{
	size_t ns = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < s[i].merged.ngroups; j++) {
			const struct rs_group *g = &s[i].merged.groups[j];
			size_t k;

			if (!is(g, "migrate", "throughput") || strcmp(pstr(g, "direction"), dir))
				continue;
			for (k = 0; k < ns && (ser[k].side != i || strcmp(ser[k].pages, pstr(g, "pages"))); k++)
				;
			if (k == ns && ns < MAX_SERIES)
				ser[ns++] = (struct series){ i, pstr(g, "pages") };
		}
	return ns;
}

/* Writes one series' points; returns the smallest and largest size. */
static void write_series(FILE *dat, const struct cmp_side *s, const char *dir,
			 const struct series *ser, double dodge,
			 double *lo, double *hi)
{
	const struct rs_run *m = &s[ser->side].merged;
	struct point *pts = calloc(m->ngroups + 1, sizeof(*pts));
	size_t np = 0;

	fputs("# ", dat);	/* a comment: a newline must not end it */
	esc_term(dat, s[ser->side].release);
	fputc(' ', dat);
	esc_term(dat, ser->pages);
	fprintf(dat, " %s: size_MiB median ci_low ci_high n\n", dir);
	for (size_t j = 0; pts && j < m->ngroups; j++) {
		const struct rs_group *g = &m->groups[j];

		if (!is(g, "migrate", "throughput") || strcmp(pstr(g, "direction"), dir) ||
		    strcmp(pstr(g, "pages"), ser->pages) || pint(g, "size") <= 0)
			continue;
		pts[np].size = pint(g, "size") / MIB;
		cmp_side_stats(&s[ser->side], g, &pts[np++].st);
	}
	if (np)
		qsort(pts, np, sizeof(*pts), by_size);
	for (size_t k = 0; k < np; k++) {
		fprintf(dat, "%g %g %g %g %zu\n", pts[k].size * dodge, pts[k].st.median,
			pts[k].st.ci_low, pts[k].st.ci_high, pts[k].st.n);
		*lo = fmin(*lo, pts[k].size);
		*hi = fmax(*hi, pts[k].size);
	}
	fputs("\n\n", dat);
	free(pts);
}

static int throughput_dir(const struct cmp_side *s, size_t n, const char *outdir,
			  struct plot_list *l, const char *dir)
{
	struct series ser[MAX_SERIES];
	size_t ns = find_series(s, n, dir, ser);
	double lo = INFINITY, hi = 0;
	char name[64], title[128];
	struct gp_fig g;

	if (!ns)
		return 0;
	snprintf(name, sizeof(name), "throughput-%s", dir);
	snprintf(title, sizeof(title), "Migration throughput %s by buffer size", dir);
	if (fig_begin(&g, l, outdir, name, title))
		return fig_fail(&g, l);
	for (size_t k = 0; k < ns; k++)
		write_series(g.dat, s, dir, &ser[k], 1 + 0.06 * (k - (ns - 1) / 2.0), &lo, &hi);
	if (hi / lo >= 10)
		fprintf(g.script, "set logscale x 2\nset xrange [%g:%g]\n", lo / 1.5, hi * 1.5);
	else if (hi > lo)
		fprintf(g.script, "set xrange [%g:%g]\n", lo - (hi - lo) * 0.2 - lo * 0.2,
			hi + (hi - lo) * 0.2 + hi * 0.2);
	else	/* one size: the points around it, the axis a size either side */
		fprintf(g.script, "set xrange [0:%g]\nset xtics (\"%g\" %g)\n", 2 * lo, lo, lo);
	fprintf(g.script, "set xlabel \"buffer size (MiB)\"\n"
		"set ylabel \"throughput (MB/s, median and spread)\"\nset yrange [0:*]\nplot ");
	for (size_t k = 0; k < ns; k++) {
		char t[160];

		snprintf(t, sizeof(t), "%s %s", s[ser[k].side].release, pages_name(ser[k].pages));
		fprintf(g.script, "%s\"%s.dat\" index %zu using 1:2:3:4 with yerrorlines lw 2 lc %zu pt %d ps 1.3 title ",
			k ? ", \\\n     " : "", name, k, k + 1,
			strcmp(ser[k].pages, "thp") ? 5 : 7);
		esc_gnuplot(g.script, t);
	}
	fputc('\n', g.script);
	snprintf(g.meta->caption, sizeof(g.meta->caption),
		 "Median throughput (MB/s = 10^6 B/s, buffer bytes over the time of the "
		 "migration call) %s, one line per kernel and page size (circles THP, "
		 "squares 4 KiB). " PLOT_ERRORBARS " Points at one size are spread a "
		 "little sideways so that their bars stay apart.", dir);
	return fig_end(&g, l);
}

int plot_throughput(const struct cmp_side *s, size_t n, const char *outdir,
		    struct plot_list *l)
{
	int ret = throughput_dir(s, n, outdir, l, "to-dev");

	ret |= throughput_dir(s, n, outdir, l, "to-sys");
	if (!l->n)
		plot_absent(l, "No migrate throughput samples, so no throughput figures.");
	return ret;
}

/* ---- clustered bars with error bars ---- */

struct bars {
	size_t rows, cols;
	char *row[MAX_ROWS];
	const char *group[MAX_ROWS];	/* the kernel under a run of rows, or NULL */
	const char *col[MAX_COLS];
	char coltext[MAX_COLS][96];
	struct { double v, lo, hi; int have; } cell[MAX_ROWS][MAX_COLS];
	const char *unsup[MAX_ROWS];	/* the capability a row's kernel lacks */
	int no_values;		/* too many bars to write each value */
};

static void bars_free(struct bars *b)
{
	for (size_t i = 0; i < b->rows; i++)
		free(b->row[i]);
}

static void bars_set(struct bars *b, size_t r, size_t c, const struct sample_stats *st)
{
	b->cell[r][c].v = st->median;
	b->cell[r][c].lo = st->ci_low;
	b->cell[r][c].hi = st->ci_high;
	b->cell[r][c].have = 1;
}

static void bars_data(const struct bars *b, FILE *dat)
{
	fprintf(dat, "# row");
	for (size_t c = 0; c < b->cols; c++) {
		fputs(" | ", dat);
		esc_term(dat, b->col[c]);
		fputs(": value ci_low ci_high", dat);
	}
	fputc('\n', dat);
	for (size_t r = 0; r < b->rows; r++) {
		fprintf(dat, "%zu", r);
		for (size_t c = 0; c < b->cols; c++)
			if (b->cell[r][c].have)
				fprintf(dat, " %g %g %g", b->cell[r][c].v, b->cell[r][c].lo,
					b->cell[r][c].hi);
			else
				fprintf(dat, " ? ? ?");
		fputc('\n', dat);
	}
}

/*
 * The kernel once under each run of its rows, and a dashed line between
 * kernels, so the tick labels need not repeat it.
 */
static void group_labels(const struct bars *b, FILE *gp, int lines)
{
	for (size_t r = 0, first = 0; r < b->rows; r++) {
		if (!b->group[r] || (r + 1 < b->rows && b->group[r + 1] == b->group[r]))
			continue;
		fprintf(gp, "set label ");
		esc_gnuplot(gp, b->group[r]);
		fprintf(gp, " at first %g, graph 0 center offset 0, -%g font \",,11\"\n",
			(first + r) / 2.0, lines + 1.4);
		if (r + 1 < b->rows)
			fprintf(gp, "set arrow from first %g, graph 0 to first %g, graph 1 "
				"nohead dt 2 lc rgb \"gray40\"\n", r + 0.5, r + 0.5);
		first = r + 1;
	}
}

/* "CAPABILITY unsupported: nothing measured" over a kernel's empty row. */
static void unsupported_labels(const struct bars *b, FILE *gp)
{
	for (size_t r = 0; r < b->rows; r++) {
		char text[256];

		if (!b->unsup[r])
			continue;
		snprintf(text, sizeof(text), "%s unsupported:\nnothing measured", b->unsup[r]);
		fputs("set label ", gp);
		esc_gnuplot(gp, text);
		fprintf(gp, " at %zu, graph 0.5 center\n", r);
	}
}

/*
 * One box per cell with its CI as an error bar and its value written
 * above it, so a measured 0 shows as "0" and a missing cell as nothing.
 */
static int draw_bars(struct bars *b, struct gp_fig *g, const char *ylabel,
		     int logy, struct plot_list *l)
{
	double w = 0.8 / b->cols;
	int lines = 1;

	for (size_t r = 0; r < b->rows; r++) {
		int n = 1;

		for (const char *p = b->row[r]; *p; p++)
			n += *p == '\n';
		lines = n > lines ? n : lines;
	}
	bars_data(b, g->dat);
	g->width = b->rows > 8 ? 900 + (b->rows - 8) * 70 : 900;
	fprintf(g->script, "set style fill solid 0.6 border -1\nset xrange [-0.6:%g]\n"
		"set bmargin %d\nset offsets 0, 0, graph 0.12, 0\nset xtics (",
		b->rows - 0.4, lines + (b->group[0] ? 3 : 2));
	for (size_t r = 0; r < b->rows; r++) {
		fprintf(g->script, "%s", r ? ", " : "");
		esc_gnuplot(g->script, b->row[r]);
		fprintf(g->script, " %zu", r);
	}
	fputs(")\n", g->script);
	group_labels(b, g->script, lines);
	fprintf(g->script, "set ylabel ");
	esc_gnuplot(g->script, ylabel);
	fprintf(g->script, logy ? "\nset logscale y\n" : "\nset yrange [0:*]\n");
	unsupported_labels(b, g->script);
	fputs("plot ", g->script);
	for (size_t c = 0; c < b->cols; c++) {
		double off = (c - (b->cols - 1) / 2.0) * w;
		size_t v = 2 + 3 * c;

		fprintf(g->script, "%s\"%s.dat\" using ($1%+g):%zu:%zu:%zu:(%g) with boxerrorbars lc %zu title ",
			c ? ", \\\n     " : "", g->meta->name, off, v, v + 1, v + 2, w, c + 1);
		esc_gnuplot(g->script, b->col[c]);
		if (!b->no_values)
			fprintf(g->script, ", \\\n     \"%s.dat\" using ($1%+g):%zu:(sprintf(\"%%.3g\", $%zu)) with labels offset 0,0.7 font \",9\" notitle",
				g->meta->name, off, v + 2, v);
	}
	fputc('\n', g->script);
	bars_free(b);
	return fig_end(g, l);
}

/*
 * Draws @b as figure @name and frees it. With nothing to draw it notes
 * @absent instead (when given); a figure that cannot be opened is
 * reported by fig_fail().
 */
static int render_bars(struct bars *b, struct plot_list *l, const char *outdir,
		       const char *name, const char *title, const char *caption,
		       const char *ylabel, int logy, const char *absent)
{
	struct gp_fig g;
	int ret;

	if (!b->rows || !b->cols) {
		bars_free(b);
		free(b);
		if (absent)
			plot_absent(l, absent);
		return 0;
	}
	if (fig_begin(&g, l, outdir, name, title)) {
		bars_free(b);
		free(b);
		return fig_fail(&g, l);
	}
	snprintf(g.meta->caption, sizeof(g.meta->caption), "%s", caption);
	ret = draw_bars(b, &g, ylabel, logy, l);
	free(b);
	return ret;
}

static size_t bars_row(struct bars *b, const char *group, const char *label)
{
	for (size_t r = 0; r < b->rows; r++)
		if (!strcmp(b->row[r], label) && b->group[r] == group)
			return r;
	if (b->rows == MAX_ROWS)
		return MAX_ROWS;
	b->group[b->rows] = group;
	b->row[b->rows] = strdup(label);
	return b->row[b->rows] ? b->rows++ : MAX_ROWS;
}

static size_t bars_col(struct bars *b, const char *title)
{
	for (size_t c = 0; c < b->cols; c++)
		if (!strcmp(b->col[c], title))
			return c;
	if (b->cols == MAX_COLS)
		return MAX_COLS;
	snprintf(b->coltext[b->cols], sizeof(b->coltext[0]), "%s", title);
	b->col[b->cols] = b->coltext[b->cols];
	return b->cols++;
}

/* ---- THP against 4 KiB pages ---- */

int plot_thp_vs_4k(const struct cmp_side *s, size_t n, const char *outdir,
		   struct plot_list *l)
{
	struct bars *b = calloc(1, sizeof(*b));

	if (!b)
		return -1;
	bars_col(b, "THP");
	bars_col(b, "4 KiB");
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < s[i].merged.ngroups; j++) {
			const struct rs_group *gr = &s[i].merged.groups[j];
			char row[160], size[32];
			struct sample_stats st;
			size_t r, c;

			if (!is(gr, "migrate", "throughput"))
				continue;
			c = !strcmp(pstr(gr, "pages"), "thp") ? 0 : !strcmp(pstr(gr, "pages"), "4k") ? 1 : MAX_COLS;
			if (c == MAX_COLS)
				continue;
			rs_format_size(pint(gr, "size"), size, sizeof(size));
			snprintf(row, sizeof(row), "%s\n%s", size, pstr(gr, "direction"));
			r = bars_row(b, s[i].release, row);
			if (r == MAX_ROWS)
				continue;
			cmp_side_stats(&s[i], gr, &st);
			bars_set(b, r, c, &st);
		}
	return render_bars(b, l, outdir, "thp-vs-4k",
			   "THP against 4 KiB pages: migration throughput",
			   "Median migration throughput of a buffer of transparent huge pages "
			   "against the same buffer of 4 KiB pages, per kernel, buffer size and "
			   "direction. " PLOT_ERRORBARS " Whether "
			   "THPs really moved as whole PMDs is in the tables below.",
			   "throughput (MB/s, median and spread)", 0, NULL);
}

/* ---- split rate per kernel ---- */

static const struct rs_unsupported *side_unsup(const struct cmp_side *s, const char *bench)
{
	for (size_t i = 0; i < s->merged.nunsup; i++)
		if (!strcmp(s->merged.unsup[i].bench, bench))
			return &s->merged.unsup[i];
	return NULL;
}

/* "8M to-dev, FAIL_ALLOC injected" / "8M to-dev, no injection" */
static const char *split_title(const struct rs_group *g, char *buf, size_t len)
{
	const char *failure = pstr(g, "failure");
	char size[32];

	rs_format_size(pint(g, "size"), size, sizeof(size));
	snprintf(buf, len, "%s %s, %s", size, pstr(g, "direction"),
		 !strcmp(failure, "injected") ? "FAIL_ALLOC injected" :
		 !strcmp(failure, "none") ? "no injection" : failure);
	return buf;
}

int plot_split_rate(const struct cmp_side *s, size_t n, const char *outdir,
		    struct plot_list *l)
{
	struct bars *b = calloc(1, sizeof(*b));

	if (!b)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct rs_unsupported *u = side_unsup(&s[i], "split");
		size_t r = bars_row(b, NULL, s[i].release);

		for (size_t j = 0; r < MAX_ROWS && j < s[i].merged.ngroups; j++) {
			const struct rs_group *gr = &s[i].merged.groups[j];
			struct sample_stats st;
			char title[96];
			size_t c;

			if (!is(gr, "split", "split_rate") ||
			    (c = bars_col(b, split_title(gr, title, sizeof(title)))) == MAX_COLS)
				continue;
			cmp_side_stats(&s[i], gr, &st);
			bars_set(b, r, c, &st);
		}
		if (u && r < MAX_ROWS)
			b->unsup[r] = u->capability;
	}
	return render_bars(b, l, outdir, "split-rate", "Split rate per kernel",
			   "PMDs split over PMDs attempted in one migration of a THP buffer, per "
			   "kernel: with FAIL_ALLOC injected (one large allocation made to fail) "
			   "and without injection (only real allocation failures split). "
			   PLOT_ERRORBARS " A kernel that cannot inject failures is labelled, not drawn "
			   "as 0.",
			   "split rate (split PMDs / PMDs attempted)", 0,
			   "No split samples, so no split-rate figure.");
}

/* ---- fault-back latency percentiles ---- */

static void percentile_stats(double *sorted, size_t n, int i, struct sample_stats *st)
{
	size_t lo, hi;
	double cover;

	percentile_ci_ranks(n, pct_ppm(i), CMP_CI_LEVEL, &lo, &hi, &cover);
	st->median = sorted[percentile_rank(n, pct_ppm(i)) - 1] / 1000;
	st->ci_low = sorted[lo - 1] / 1000;
	st->ci_high = sorted[hi - 1] / 1000;
}

/* "16M thp\nT=2\nwrite seq disjoint": short enough to sit under a bar group. */
static void fault_mode(const struct rs_group *g, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s %s", pstr(g, "access"), pstr(g, "pattern"),
		 pstr(g, "sharing"));
}

/* The access mode shared by every fault job, or "" when they differ. */
static void common_fault_mode(const struct cmp_side *s, size_t n, char *buf, size_t len)
{
	char mode[160];

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < s[i].merged.ngroups; j++) {
			if (!is(&s[i].merged.groups[j], NULL, "fault_latency"))
				continue;
			fault_mode(&s[i].merged.groups[j], mode, sizeof(mode));
			if (buf[0] && strcmp(buf, mode)) {
				buf[0] = '\0';
				return;
			}
			snprintf(buf, len, "%s", mode);
		}
}

static void fault_row(const struct rs_group *g, int with_mode, char *buf, size_t len)
{
	char size[32], mode[160];

	if (pint(g, "threads") < 0) {
		snprintf(buf, len, "%s", g->label);
		return;
	}
	rs_format_size(pint(g, "size"), size, sizeof(size));
	fault_mode(g, mode, sizeof(mode));
	snprintf(buf, len, "%s %s\nT=%lld%s%s%s", size, pstr(g, "pages"), pint(g, "threads"),
		 g->snap_samples && g->pmd_samples == g->snap_samples ? " PMD" : "",
		 with_mode ? "\n" : "", with_mode ? mode : "");
}

int plot_fault_latency(const struct cmp_side *s, size_t n, const char *outdir,
		       struct plot_list *l)
{
	char common[160], title[200];
	struct bars *b = calloc(1, sizeof(*b));

	if (!b)
		return -1;
	common_fault_mode(s, n, common, sizeof(common));
	for (int p = 0; p < NR_PCTS; p++)
		bars_col(b, pct_name(p));
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < s[i].merged.ngroups; j++) {
			const struct rs_group *gr = &s[i].merged.groups[j];
			double *x;
			char row[256];
			size_t r;

			if (!is(gr, NULL, "fault_latency"))
				continue;
			fault_row(gr, !common[0], row, sizeof(row));
			r = bars_row(b, s[i].release, row);
			x = malloc(gr->n * sizeof(*x));
			if (r == MAX_ROWS || !x) {
				free(x);
				continue;
			}
			memcpy(x, gr->x, gr->n * sizeof(*x));
			gsl_sort(x, 1, gr->n);
			for (int p = 0; p < NR_PCTS; p++) {
				struct sample_stats st;

				percentile_stats(x, gr->n, p, &st);
				bars_set(b, r, p, &st);
			}
			free(x);
		}
	snprintf(title, sizeof(title), "CPU fault-back latency percentiles%s%s%s",
		 common[0] ? " (" : "", common, common[0] ? ")" : "");
	b->no_values = 1;
	return render_bars(b, l, outdir, "fault-latency", title,
			   "Latency of the CPU access that faulted a device-private page back, "
			   "per kernel and fault job (size, pages, thread count, access): p50, "
			   "p90, p99 and p99.9 by nearest rank over every fault, with their "
			   "order-statistic 95% intervals. 'PMD': every THP was on the device as a "
			   "whole PMD, so one fault brought back 2 MiB; otherwise a fault is one 4 KiB "
			   "page. With few faults (one per 2 MiB) "
			   "the top percentiles are the maximum and their "
			   "interval covers far less than 95%. Log scale.",
			   "fault latency (µs, log scale)", 1,
			   "No fault samples (bench \"fault\"), so no fault-latency figure.");
}

/* ---- stress operations ---- */

static int stress_ops(const struct cmp_side *s, size_t n, const char *outdir,
		      struct plot_list *l)
{
	struct bars *b = calloc(1, sizeof(*b));

	if (!b)
		return -1;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < s[i].merged.ngroups; j++) {
			const struct rs_group *gr = &s[i].merged.groups[j];
			char row[256];
			size_t r, c;
			struct sample_stats st;

			if (!is(gr, NULL, "ops_per_s"))
				continue;
			snprintf(row, sizeof(row), "%s\n%s", gr->bench, gr->label);
			r = bars_row(b, s[i].release, row);
			c = bars_col(b, "operations/s");
			if (r == MAX_ROWS || c == MAX_COLS)
				continue;
			cmp_side_stats(&s[i], gr, &st);
			bars_set(b, r, c, &st);
		}
	return render_bars(b, l, outdir, "stress", "Stress operations",
			   "Stress operations per second per kernel and scenario, over the "
			   "measurement windows of each scenario. " PLOT_ERRORBARS,
			   "operations per second (median and spread)", 0,
			   "No stress samples (metric ops_per_s), so no stress figure.");
}

static void count_cell(struct bars *b, size_t r, size_t c, long long v)
{
	b->cell[r][c].v = b->cell[r][c].have ? b->cell[r][c].v + v : v;
	b->cell[r][c].lo = b->cell[r][c].hi = b->cell[r][c].v;
	b->cell[r][c].have = 1;
}

/* Errors of each scenario, summed over a kernel's runs; its worst status under it. */
static int stress_errors(const struct cmp_side *s, size_t n, const char *outdir,
			 struct plot_list *l)
{
	static const char *const cols[] = { "failed calls", "integrity errors",
					    "kernel reports", "hangs" };
	struct bars *b = calloc(1, sizeof(*b));

	if (!b)
		return -1;
	for (int c = 0; c < 4; c++)
		bars_col(b, cols[c]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < s[i].merged.nstress; j++) {
			const struct rs_stress *st = &s[i].merged.stress[j];
			const struct rs_stress *worst = cmp_stress_outcome(&s[i], st->scenario);
			char row[256];
			size_t r;

			snprintf(row, sizeof(row), "%s\n%s", st->scenario, worst->status);
			r = bars_row(b, s[i].release, row);
			if (r == MAX_ROWS)
				continue;
			count_cell(b, r, 0, st->errors);
			count_cell(b, r, 1, st->integrity_errors);
			count_cell(b, r, 2, st->kernel_reports);
			count_cell(b, r, 3, st->hangs);
		}
	return render_bars(b, l, outdir, "stress-errors", "Stress errors per scenario",
			   "What went wrong in each stress scenario, per kernel, summed over its "
			   "runs: driver calls that failed (an errno the scenario may expect, such "
			   "as EBUSY under contention), pages whose data did not survive, kernel "
			   "reports (BUG, WARNING, Oops, ...) and hung operations. Counts of "
			   "events, so no confidence intervals; the scenario's worst status is "
			   "under its name.",
			   "count", 0,
			   NULL);
}

int plot_stress(const struct cmp_side *s, size_t n, const char *outdir,
		struct plot_list *l)
{
	int ret = stress_ops(s, n, outdir, l);

	return stress_errors(s, n, outdir, l) | ret;
}
