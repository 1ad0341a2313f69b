// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"
#include "plot.h"
#include "plot_int.h"

#define FIG_HEIGHT 520

static struct plot_fig *fig_add(struct plot_list *l, const char *name,
				const char *title)
{
	struct plot_fig *figs = realloc(l->figs, (l->n + 1) * sizeof(*figs));

	if (!figs)
		return NULL;
	l->figs = figs;
	memset(&figs[l->n], 0, sizeof(*figs));
	snprintf(figs[l->n].name, sizeof(figs[l->n].name), "%s", name);
	snprintf(figs[l->n].title, sizeof(figs[l->n].title), "%s", title);
	return &figs[l->n++];
}

int fig_begin(struct gp_fig *g, struct plot_list *l, const char *outdir,
	      const char *name, const char *title)
{
	char path[PATH_MAX];

	memset(g, 0, sizeof(*g));
	g->outdir = outdir;
	g->width = 900;
	g->meta = fig_add(l, name, title);
	g->script = open_memstream(&g->buf, &g->len);
	snprintf(path, sizeof(path), "%s/%s.dat", outdir, name);
	g->dat = fopen(path, "w");
	if (!g->meta || !g->script || !g->dat)
		return -1;
	fprintf(g->script, "set title ");
	esc_gnuplot(g->script, title);
	fprintf(g->script, "\nset grid\nset key outside right top\n"
		"set datafile missing \"?\"\n");
	return 0;
}

/* Runs gnuplot on @name.gp in @outdir; its output goes to @name.log. */
static int run_gnuplot(const char *outdir, const char *name, char *err, size_t len)
{
	char gp[80], log[80], path[PATH_MAX];
	int status, fd;
	pid_t pid;

	snprintf(gp, sizeof(gp), "%s.gp", name);
	snprintf(log, sizeof(log), "%s.log", name);
	pid = fork();
	if (pid < 0) {
		snprintf(err, len, "cannot start gnuplot: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (chdir(outdir) < 0)
			_exit(126);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("gnuplot", "gnuplot", gp, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			snprintf(err, len, "gnuplot not found; install it (apt-get install gnuplot-nox) and run the report again");
		else
			snprintf(err, len, "gnuplot failed on %.150s/%.70s; its messages are in %.70s there",
				 outdir, gp, log);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", outdir, log);
	unlink(path);	/* kept only when it failed */
	return 0;
}

int fig_end(struct gp_fig *g, struct plot_list *l)
{
	char path[PATH_MAX];
	FILE *f;
	int ret = -1;

	if (g->script)
		fclose(g->script);
	if (g->dat)
		fclose(g->dat);
	if (!g->meta || !g->buf)
		goto out;
	snprintf(path, sizeof(path), "%s/%s.gp", g->outdir, g->meta->name);
	f = fopen(path, "w");
	if (!f)
		goto out;
	fprintf(f, "# %s: regenerate with 'gnuplot %s.gp' in this directory\n"
		"set terminal svg size %d,%d noenhanced font \"sans,12\" background rgb \"white\"\n"
		"set output \"%s.svg\"\n%s"
		"set terminal pngcairo size %d,%d noenhanced font \"sans,10\" background rgb \"white\"\n"
		"set output \"%s.png\"\nreplot\n",
		g->meta->name, g->meta->name, g->width, FIG_HEIGHT, g->meta->name, g->buf,
		g->width, FIG_HEIGHT, g->meta->name);
	if (fclose(f) == 0 && !run_gnuplot(g->outdir, g->meta->name, l->error, sizeof(l->error))) {
		g->meta->drawn = 1;
		ret = 0;
	}
out:
	free(g->buf);
	return ret;
}

int fig_fail(struct gp_fig *g, struct plot_list *l)
{
	if (g->script)
		fclose(g->script);
	if (g->dat)
		fclose(g->dat);
	free(g->buf);
	snprintf(l->error, sizeof(l->error), "cannot write the figure files in %.400s: %s",
		 g->outdir, strerror(errno));
	return -1;
}

void plot_absent(struct plot_list *l, const char *why)
{
	size_t used = strlen(l->absent);

	snprintf(l->absent + used, sizeof(l->absent) - used, "%s%s",
		 used ? " " : "", why);
}

int plot_all(const struct cmp_side *sides, size_t nsides, const char *outdir,
	     struct plot_list *out)
{
	int ret = 0;

	memset(out, 0, sizeof(*out));
	ret |= plot_throughput(sides, nsides, outdir, out);
	ret |= plot_thp_vs_4k(sides, nsides, outdir, out);
	ret |= plot_split_rate(sides, nsides, outdir, out);
	ret |= plot_fault_latency(sides, nsides, outdir, out);
	ret |= plot_stress(sides, nsides, outdir, out);
	return ret ? -1 : 0;
}

void plot_list_free(struct plot_list *l)
{
	free(l->figs);
	memset(l, 0, sizeof(*l));
}
