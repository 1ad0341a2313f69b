// SPDX-License-Identifier: GPL-2.0
/*
 * hmmbench repro minimize: shrink a reproducer in guests. A candidate is
 * the current reproducer with something removed: a thread, a run of one
 * thread's operations (halves, then quarters, ...), region chunks no
 * operation touches, or half of every operation's pages. It replaces the
 * current one only if it trips the recorded failure within --boots boots
 * (each boot a fresh kernel); --max-boots bounds the whole search. Every
 * candidate tried is a line of OUT/minimize.log, every step kept is in
 * OUT/repro.json's "minimize_steps".
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "meta.h"
#include "pagestate.h"
#include "repro_cli.h"
#include "stress.h"

struct minimizer {
	struct repro cur;
	struct repro_kernel k;
	struct repro_run_opts o;
	struct repro_want want;
	const char *out;
	unsigned int max_boots, boots_used, candidates;
	unsigned int first_boots;	/* boots the original gets */
	FILE *log;
	int out_of_boots;
};

static void logf_(struct minimizer *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct minimizer *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (m->log) {
		va_start(ap, fmt);
		vfprintf(m->log, fmt, ap);
		va_end(ap);
		fflush(m->log);
	}
}

static void size_str(const struct repro *r, char *buf, size_t len)
{
	snprintf(buf, len, "%u thread%s, %zu operations, %u MiB", r->nthreads,
		 r->nthreads == 1 ? "" : "s", repro_total_ops(r), r->nchunks * 2);
}

/* 1 when @cand trips the failure within the boots allowed, else 0. */
static int reproduces(struct minimizer *m, struct repro *cand, const char *what)
{
	char dir[PATH_MAX + 32], bin[PATH_MAX + 64], size[96];
	struct repro_run_opts o = m->o;
	int booted, hits;

	if (m->boots_used >= m->max_boots) {
		m->out_of_boots = 1;
		return 0;
	}
	if (o.boots > m->max_boots - m->boots_used)
		o.boots = m->max_boots - m->boots_used;
	m->candidates++;
	snprintf(dir, sizeof(dir), "%s/candidates/%u", m->out, m->candidates);
	if (repro_build_in(cand, dir, bin, sizeof(bin)))
		return 0;
	size_str(cand, size, sizeof(size));
	hits = repro_boot_series(&m->k, bin, dir, &o, &m->want, 1, NULL, "minimize", &booted);
	if (booted > 0)
		m->boots_used += (unsigned int)booted;
	if (booted < 0)
		logf_(m, "candidate %u: %s -> %s: the guest did not run it (%u of %u boots used)\n",
		      m->candidates, what, size, m->boots_used, m->max_boots);
	else
		logf_(m, "candidate %u: %s -> %s: %s in %d boot%s (%u of %u boots used)\n",
		      m->candidates, what, size, hits ? "trips it" : "does not trip it", booted,
		      booted == 1 ? "" : "s", m->boots_used, m->max_boots);
	return hits > 0;
}

static void keep(struct minimizer *m, struct repro *cand, const char *what)
{
	char before[96], after[96], when[32];
	json_t *step;

	size_str(&m->cur, before, sizeof(before));
	size_str(cand, after, sizeof(after));
	meta_utc_now(when, sizeof(when));
	step = json_pack("{s:s, s:s, s:s, s:i, s:I, s:i, s:s}", "what", what, "before", before,
			 "after", after, "threads", (int)cand->nthreads,
			 "ops", (json_int_t)repro_total_ops(cand), "chunks", (int)cand->nchunks,
			 "at", when);
	if (!cand->steps)
		cand->steps = json_array();
	json_array_append_new(cand->steps, step);
	repro_free(&m->cur);
	m->cur = *cand;
	logf_(m, "kept: %s (%s -> %s)\n", what, before, after);
}

static int try_candidate(struct minimizer *m, struct repro *cand, const char *what)
{
	repro_tidy(cand);
	if (!cand->nthreads || reproduces(m, cand, what) == 0) {
		repro_free(cand);
		return 0;
	}
	keep(m, cand, what);
	return 1;
}

/*
 * A kernel report needs the pages to move, not their contents checked:
 * touching one word per page makes every later candidate much faster.
 */
static void checks_off(struct minimizer *m)
{
	struct repro cand;

	if (!m->cur.page_checks || !strcmp(m->want.kind, "integrity") || repro_copy(&cand, &m->cur))
		return;
	cand.page_checks = 0;
	try_candidate(m, &cand, "touch pages instead of checking their contents");
}

/*
 * Whole kinds of operations at once (every cpu-read, every snapshot,
 * ...), most frequent first: few candidates, and most of them keep
 * tripping it, since a failure usually needs two or three kinds.
 */
static void drop_kinds(struct minimizer *m)
{
	size_t count[OP_KIND_COUNT] = { 0 };

	for (unsigned int t = 0; t < m->cur.nthreads; t++)
		for (size_t i = 0; i < m->cur.threads[t].n; i++)
			count[m->cur.threads[t].ops[i].kind]++;
	for (;;) {
		unsigned int k, best = OP_KIND_COUNT;
		struct repro cand;
		char what[96];

		for (k = 0; k < OP_KIND_COUNT; k++)
			if (count[k] && (best == OP_KIND_COUNT || count[k] > count[best]))
				best = k;
		if (best == OP_KIND_COUNT || m->out_of_boots || repro_copy(&cand, &m->cur))
			return;
		count[best] = 0;	/* tried, kept or not */
		for (unsigned int t = 0; t < cand.nthreads; t++) {
			struct repro_thread *th = &cand.threads[t];
			size_t n = 0;

			for (size_t i = 0; i < th->n; i++)
				if (th->ops[i].kind != best)
					th->ops[n++] = th->ops[i];
			th->n = n;
		}
		snprintf(what, sizeof(what), "remove every %s", stress_op_name(best));
		try_candidate(m, &cand, what);
	}
}

static void drop_threads(struct minimizer *m)
{
	for (int t = (int)m->cur.nthreads - 1; t >= 0 && m->cur.nthreads > 1 && !m->out_of_boots; t--) {
		struct repro cand;
		char what[64];

		if (repro_copy(&cand, &m->cur))
			return;
		snprintf(what, sizeof(what), "remove thread %d", t);
		free(cand.threads[t].ops);
		memmove(&cand.threads[t], &cand.threads[t + 1],
			(cand.nthreads - t - 1) * sizeof(cand.threads[0]));
		cand.nthreads--;
		try_candidate(m, &cand, what);
	}
}

/* Removes runs of @size operations from thread @t, from the end back. */
static void drop_runs(struct minimizer *m, unsigned int t, size_t size)
{
	size_t end = m->cur.threads[t].n;

	while (end > 0 && !m->out_of_boots && t < m->cur.nthreads) {
		size_t start = end > size ? end - size : 0;
		struct repro cand;
		char what[96];

		/* Never the whole list: removing a thread is drop_threads()'s. */
		if (m->cur.threads[t].n <= 1 || (start == 0 && end == m->cur.threads[t].n))
			break;
		if (repro_copy(&cand, &m->cur))
			return;
		snprintf(what, sizeof(what), "remove operations %zu-%zu of thread %u", start, end - 1, t);
		memmove(&cand.threads[t].ops[start], &cand.threads[t].ops[end],
			(cand.threads[t].n - end) * sizeof(struct repro_op));
		cand.threads[t].n -= end - start;
		try_candidate(m, &cand, what);
		/* Kept or not, what lies before @start is unchanged: go on there. */
		end = start;
	}
}

/*
 * What led to the failure is most likely near its end: keep the last
 * half of every thread's operations, then the last quarter, ... while
 * that still trips it. Each thread still runs as many operations per
 * round as recorded, so a shorter list only repeats more often.
 */
static void keep_tails(struct minimizer *m)
{
	for (;;) {
		struct repro cand;
		char what[96];
		int shorter = 0;

		if (m->out_of_boots || repro_copy(&cand, &m->cur))
			return;
		for (unsigned int t = 0; t < cand.nthreads; t++) {
			struct repro_thread *th = &cand.threads[t];
			size_t keep = (th->n + 1) / 2;

			if (keep < th->n) {
				memmove(th->ops, th->ops + (th->n - keep), keep * sizeof(*th->ops));
				th->n = keep;
				shorter = 1;
			}
		}
		if (!shorter) {
			repro_free(&cand);
			return;
		}
		snprintf(what, sizeof(what), "keep the last half of every thread's operations");
		if (!try_candidate(m, &cand, what))
			return;
	}
}

/* Halves, quarters, ... of each thread's list, while boots last. */
static void drop_operations(struct minimizer *m)
{
	for (unsigned int t = 0; t < m->cur.nthreads && !m->out_of_boots; t++) {
		size_t size = m->cur.threads[t].n / 2;

		while (size >= 1 && !m->out_of_boots) {
			drop_runs(m, t, size);
			if (size > m->cur.threads[t].n / 2)
				size = m->cur.threads[t].n / 2;
			else
				size /= 2;
		}
	}
}

static unsigned int chunks_used(const struct repro *r)
{
	unsigned int top = 0;

	for (unsigned int t = 0; t < r->nthreads; t++)
		for (size_t i = 0; i < r->threads[t].n; i++) {
			const struct repro_op *op = &r->threads[t].ops[i];
			unsigned int last = (op->first + op->npages - 1) / PAGES_PER_PMD + 1;

			if (last > top)
				top = last;
		}
	return top;
}

/* Fewer chunks (those no operation touches), then half the pages per operation. */
static void shrink_size(struct minimizer *m)
{
	unsigned int used = chunks_used(&m->cur);
	struct repro cand;
	char what[96];

	if (used && used < m->cur.nchunks && !m->out_of_boots && !repro_copy(&cand, &m->cur)) {
		snprintf(what, sizeof(what), "region of %u chunks instead of %u", used, m->cur.nchunks);
		cand.nchunks = used;
		try_candidate(m, &cand, what);
	}
	while (!m->out_of_boots && !repro_copy(&cand, &m->cur)) {
		int changed = 0;

		for (unsigned int t = 0; t < cand.nthreads; t++)
			for (size_t i = 0; i < cand.threads[t].n; i++)
				if (cand.threads[t].ops[i].npages > 1) {
					cand.threads[t].ops[i].npages /= 2;
					changed = 1;
				}
		if (!changed || !try_candidate(m, &cand, "half the pages of every operation")) {
			if (!changed)
				repro_free(&cand);
			break;
		}
	}
}

static const char min_usage[] =
	"usage: hmmbench repro minimize DIR --kernel K [--boots N] [--first-boots N]\n"
	"                               [--max-boots N] [--seconds S] [--match RE] [--kind K] [-o OUT]\n"
	"\n"
	"Shrinks the reproducer in DIR by booting kernel K with smaller candidates,\n"
	"in this order: page checks off (kernel reports and hangs only); without\n"
	"every operation of one kind; only the last half of every thread's\n"
	"operations; without one thread; without runs of one thread's operations\n"
	"(halves, quarters, ... down to single ones); the region cut to the chunks\n"
	"used; half the pages per operation. A candidate is kept when it trips the\n"
	"recorded failure within --boots boots (default 2); the original is\n"
	"checked first. --max-boots (default 60) bounds the search, and what is\n"
	"kept by then is the result: OUT/repro.json (every step kept in\n"
	"\"minimize_steps\"), OUT/repro.c, OUT/minimize.log (every candidate). OUT\n"
	"defaults to DIR/min.\n"
	"\n";

static int parse_min(int argc, char **argv, struct minimizer *m, const char **dir,
		     const char **kernel)
{
	for (int i = 1; i < argc; i++) {
		unsigned long long v;
		int r = repro_run_opt(argc, argv, &i, &m->o);

		if (r < 0)
			return -1;
		if (r)
			continue;
		if (!strcmp(argv[i], "--kernel") && i + 1 < argc) {
			*kernel = argv[++i];
		} else if (!strcmp(argv[i], "--first-boots") && i + 1 < argc) {
			if (cli_parse_uint("--first-boots", argv[++i], 1000, &v) || !v)
				return -1;
			m->first_boots = (unsigned int)v;
		} else if (!strcmp(argv[i], "--max-boots") && i + 1 < argc) {
			if (cli_parse_uint("--max-boots", argv[++i], 100000, &v) || !v)
				return -1;
			m->max_boots = (unsigned int)v;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			m->out = argv[++i];
		} else if (argv[i][0] == '-') {
			cli_error("unknown or incomplete option '%s' for repro minimize; see 'hmmbench repro minimize --help'", argv[i]);
			return -1;
		} else if (!*dir) {
			*dir = argv[i];
		} else {
			cli_error("unexpected argument '%s'", argv[i]);
			return -1;
		}
	}
	if (!*dir || !*kernel) {
		cli_error("give a reproducer directory and --kernel; see 'hmmbench repro minimize --help'");
		return -1;
	}
	return 0;
}

static int finish(struct minimizer *m, const struct repro *orig)
{
	char path[PATH_MAX + 32], err[PATH_MAX + 100], before[96], after[96];
	size_t orig_ops = repro_total_ops(orig);

	snprintf(path, sizeof(path), "%s/repro.json", m->out);
	if (repro_save(&m->cur, path, err, sizeof(err))) {
		cli_error("%s", err);
		return EXIT_FAIL;
	}
	snprintf(path, sizeof(path), "%s/repro.c", m->out);
	if (repro_write_c_file(&m->cur, path, err, sizeof(err))) {
		cli_error("%s", err);
		return EXIT_FAIL;
	}
	size_str(orig, before, sizeof(before));
	size_str(&m->cur, after, sizeof(after));
	logf_(m, "minimized%s: %s -> %s (%.1f%% of the operations) in %u candidates, %u boots; %s\n",
	      m->out_of_boots ? " (stopped at --max-boots)" : "", before, after,
	      orig_ops ? 100.0 * repro_total_ops(&m->cur) / orig_ops : 0.0, m->candidates,
	      m->boots_used, path);
	printf("repro minimize: %s -> %s; %s\n", before, after, path);
	return EXIT_OK;
}

int cmd_repro_minimize(int argc, char **argv)
{
	struct minimizer m = { .max_boots = 60 };
	const char *dirarg = NULL, *kernel = NULL;
	char dir[PATH_MAX], out[PATH_MAX + 8], path[PATH_MAX + 32], err[1200];
	struct repro orig, first;
	unsigned int boots;
	int ret, hit;

	repro_run_defaults(&m.o, 2);
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("%s%s", min_usage, repro_run_help);
		printf("  --boots N       boots a candidate gets to trip it (default 2)\n"
		       "  --first-boots N boots the original gets (default: --boots); a rare\n"
		       "                  failure may need more to show once\n"
		       "  --max-boots N   boots for the whole search (default 60)\n"
		       "  -o OUT          where the result goes (default DIR/min)\n\nexample:\n"
		       "  hmmbench repro minimize results/7.2.13/RUN/repro-fail-alloc-race --kernel 7.2 --seconds 30\n");
		return EXIT_OK;
	}
	if (parse_min(argc, argv, &m, &dirarg, &kernel) || repro_load_arg(dirarg, &orig))
		return EXIT_USAGE;
	repro_dir_of(dirarg, dir, sizeof(dir));
	snprintf(out, sizeof(out), "%s/min", dir);
	if (!m.out)
		m.out = out;
	if (!m.o.seconds)
		m.o.seconds = orig.seconds;
	if (mkdir(m.out, 0755) && errno != EEXIST) {
		cli_error("cannot create %s: %s", m.out, strerror(errno));
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/candidates", m.out);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/minimize.log", m.out);
	m.log = fopen(path, "a");
	if (repro_kernel_resolve(&m.k, kernel, m.o.flavour, err, sizeof(err))) {
		cli_error("%s", err);
		return EXIT_FAIL;
	}
	repro_run_want(&orig, &m.o, &m.want);
	logf_(&m, "minimize %s on %s (%s): a candidate is kept when it trips %s%s%s within %u boots of %u s\n",
	      dir, m.k.release, m.k.source_id, m.want.kind, m.want.match[0] ? " matching " : "",
	      m.want.match, m.o.boots, m.o.seconds);
	if (repro_copy(&m.cur, &orig) || repro_copy(&first, &orig))
		return EXIT_FAIL;
	boots = m.o.boots;
	if (m.first_boots)
		m.o.boots = m.first_boots;
	hit = reproduces(&m, &first, "the original");
	m.o.boots = boots;
	if (!hit) {
		cli_error("the original does not trip %s%s%s within %u boots of %s; nothing to minimize against (try more --boots or --seconds)",
			  m.want.kind, m.want.match[0] ? " matching " : "", m.want.match, m.o.boots, m.k.release);
		repro_free(&first);
		ret = EXIT_FAIL;
		goto out;
	}
	repro_free(&first);
	checks_off(&m);
	drop_kinds(&m);
	keep_tails(&m);
	drop_threads(&m);
	drop_operations(&m);
	shrink_size(&m);
	ret = finish(&m, &orig);
out:
	if (m.log)
		fclose(m.log);
	repro_free(&m.cur);
	repro_free(&orig);
	return ret;
}
