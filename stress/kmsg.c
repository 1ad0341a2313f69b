// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "errname.h"
#include "kmsg.h"

static const char *const kind_names[KMSG_KIND_COUNT] = {
	"none", "BUG", "WARNING", "Oops", "KASAN", "UBSAN", "lockdep",
	"hung-task", "soft-lockup", "RCU-stall", "panic",
};

const char *kmsg_kind_name(enum kmsg_kind kind)
{
	return kind < KMSG_KIND_COUNT ? kind_names[kind] : "unknown";
}

/* The most specific first: lockdep and KASAN reports also say WARNING/BUG. */
static const struct {
	enum kmsg_kind kind;
	const char *re;
} patterns[] = {
	{ KMSG_KASAN, "BUG: KASAN: " },
	{ KMSG_UBSAN, "UBSAN: " },
	{ KMSG_LOCKDEP, "^WARNING: (possible (circular|recursive) locking|inconsistent lock state|suspicious RCU usage|bad unlock balance|held lock freed|lock held when returning|possible irq lock inversion)" },
	{ KMSG_HUNG_TASK, "^INFO: task .* blocked for more than" },
	{ KMSG_SOFT_LOCKUP, "BUG: soft lockup|hard LOCKUP" },
	{ KMSG_RCU_STALL, "(rcu|RCU).*(detected stall|self-detected stall)|rcu_[a-z]+ detected stalls" },
	{ KMSG_PANIC, "^Kernel panic" },
	{ KMSG_OOPS, "^Oops|general protection fault|^BUG: unable to handle|Unable to handle kernel" },
	{ KMSG_BUG, "^([A-Za-z0-9_]+: )?BUG: |^kernel BUG at" },
	{ KMSG_WARNING, "^WARNING: " },
};
#define NPATTERNS (sizeof(patterns) / sizeof(patterns[0]))

static regex_t compiled[NPATTERNS];
static pthread_once_t compile_once = PTHREAD_ONCE_INIT;

static void compile_patterns(void)
{
	for (size_t i = 0; i < NPATTERNS; i++)
		if (regcomp(&compiled[i], patterns[i].re, REG_EXTENDED | REG_NOSUB))
			abort();	/* a bad pattern is a bug in this file */
}

enum kmsg_kind kmsg_classify(const char *text)
{
	pthread_once(&compile_once, compile_patterns);
	for (size_t i = 0; i < NPATTERNS; i++)
		if (!regexec(&compiled[i], text, 0, NULL, 0))
			return patterns[i].kind;
	return KMSG_NONE;
}

int kmsg_parse(const char *buf, size_t len, struct kmsg_record *rec)
{
	const char *semi = memchr(buf, ';', len), *nl;
	unsigned long long seq, usec;
	int prio;

	if (!semi || sscanf(buf, "%d,%llu,%llu,", &prio, &seq, &usec) != 3)
		return -1;
	rec->prio = prio;
	rec->seq = seq;
	rec->usec = usec;
	rec->text = semi + 1;
	nl = memchr(rec->text, '\n', len - (rec->text - buf));
	rec->text_len = nl ? (size_t)(nl - rec->text) : len - (rec->text - buf);
	return 0;
}

static void append(struct kmsg_report *r, const char *line)
{
	size_t n = strlen(line);

	if (r->len + n + 2 > KMSG_REPORT_MAX)
		return;
	memcpy(r->text + r->len, line, n);
	r->len += n;
	r->text[r->len++] = '\n';
	r->text[r->len] = '\0';
}

static int ends_report(const struct kmsg_report *r, const char *line)
{
	if (strstr(line, "---[ end trace") || strstr(line, "---[ end Kernel panic"))
		return 1;
	/* KASAN and UBSAN reports close with the ==== line they opened with. */
	return (r->kind == KMSG_KASAN || r->kind == KMSG_UBSAN) &&
	       !strncmp(line, "====================", 20);
}

static void open_report(struct kmsg_watch *w, enum kmsg_kind kind,
			const char *line, uint64_t usec)
{
	struct kmsg_report *r;

	if (w->nreports++ >= KMSG_MAX_REPORTS)
		return;
	r = &w->reports[w->nreports - 1];
	r->text = malloc(KMSG_REPORT_MAX);
	if (!r->text) {
		r->complete = 1;
		return;
	}
	r->text[0] = '\0';
	r->kind = kind;
	r->usec = usec;
	for (unsigned int i = 0; i < w->ncontext; i++)
		append(r, w->context[i]);
	append(r, line);
}

static struct kmsg_report *open_one(struct kmsg_watch *w)
{
	struct kmsg_report *r;

	if (!w->nreports || w->nreports > KMSG_MAX_REPORTS)
		return NULL;
	r = &w->reports[w->nreports - 1];
	return r->complete ? NULL : r;
}

static void remember_context(struct kmsg_watch *w, const char *line)
{
	if (w->ncontext == 4) {
		memmove(w->context[0], w->context[1], sizeof(w->context[0]) * 3);
		w->ncontext = 3;
	}
	snprintf(w->context[w->ncontext++], sizeof(w->context[0]), "%.255s", line);
}

static void handle_line(struct kmsg_watch *w, const char *line, uint64_t usec)
{
	struct kmsg_report *r;
	enum kmsg_kind kind = kmsg_classify(line);

	pthread_mutex_lock(&w->lock);
	r = open_one(w);
	if (r) {
		append(r, line);
		if (ends_report(r, line))
			r->complete = 1;
	} else if (kind != KMSG_NONE) {
		open_report(w, kind, line, usec);
		w->ncontext = 0;
	} else {
		remember_context(w, line);
	}
	w->last_line_ns = now_ns();
	pthread_mutex_unlock(&w->lock);
}

/* A report no line has joined for a second is complete. */
static void close_quiet(struct kmsg_watch *w)
{
	struct kmsg_report *r;

	pthread_mutex_lock(&w->lock);
	r = open_one(w);
	if (r && now_ns() - w->last_line_ns > 1000000000ULL)
		r->complete = 1;
	pthread_mutex_unlock(&w->lock);
}

static void read_records(struct kmsg_watch *w)
{
	char buf[8192], line[1024];
	struct kmsg_record rec;
	ssize_t n;

	for (;;) {
		n = read(w->fd, buf, sizeof(buf) - 1);
		if (n < 0 && (errno == EINTR || errno == EPIPE))
			continue;	/* EPIPE: the ring overwrote records; go on */
		if (n <= 0)
			return;
		buf[n] = '\0';
		if (kmsg_parse(buf, n, &rec))
			continue;
		snprintf(line, sizeof(line), "%.*s", (int)rec.text_len, rec.text);
		handle_line(w, line, rec.usec);
	}
}

static void *watch_thread(void *arg)
{
	struct kmsg_watch *w = arg;

	for (;;) {
		struct pollfd p[2] = { { w->fd, POLLIN, 0 }, { w->stop_pipe[0], POLLIN, 0 } };

		if (poll(p, 2, 200) < 0 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN)
			read_records(w);
		close_quiet(w);
		if (p[1].revents)
			break;
	}
	return NULL;
}

int kmsg_watch_start(struct kmsg_watch *w, char *why, size_t len)
{
	int ret;

	memset(w, 0, sizeof(*w));
	pthread_mutex_init(&w->lock, NULL);
	w->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (w->fd < 0) {
		ret = -errno;
		snprintf(why, len, "cannot read /dev/kmsg: %s (needs root or kernel.dmesg_restrict=0)",
			 errno_name(-ret));
		return ret;
	}
	/* Reports from before the run are not this run's: start at the end. */
	if (lseek(w->fd, 0, SEEK_END) < 0) {
		ret = -errno;
		close(w->fd);
		snprintf(why, len, "cannot seek /dev/kmsg to its end: %s", errno_name(-ret));
		return ret;
	}
	if (pipe2(w->stop_pipe, O_CLOEXEC)) {
		ret = -errno;
		close(w->fd);
		snprintf(why, len, "pipe: %s", errno_name(-ret));
		return ret;
	}
	ret = -pthread_create(&w->thread, NULL, watch_thread, w);
	if (ret) {
		close(w->fd);
		close(w->stop_pipe[0]);
		close(w->stop_pipe[1]);
		snprintf(why, len, "pthread_create: %s", errno_name(-ret));
		return ret;
	}
	w->running = 1;
	return 0;
}

void kmsg_watch_stop(struct kmsg_watch *w)
{
	if (!w->running)
		return;
	if (write(w->stop_pipe[1], "x", 1) < 0)
		pthread_cancel(w->thread);
	pthread_join(w->thread, NULL);
	close(w->fd);
	close(w->stop_pipe[0]);
	close(w->stop_pipe[1]);
	for (unsigned int i = 0; i < KMSG_MAX_REPORTS; i++)
		free(w->reports[i].text);
	w->running = 0;
}

unsigned int kmsg_watch_count(struct kmsg_watch *w)
{
	unsigned int n;

	pthread_mutex_lock(&w->lock);
	n = w->nreports;
	pthread_mutex_unlock(&w->lock);
	return n;
}

int kmsg_watch_get(struct kmsg_watch *w, unsigned int i, unsigned int wait_ms,
		   struct kmsg_report *out)
{
	struct timespec tick = { 0, 50 * 1000000L };
	int ret = -1;

	for (unsigned int waited = 0;; waited += 50) {
		pthread_mutex_lock(&w->lock);
		if (i < w->nreports && i < KMSG_MAX_REPORTS &&
		    (w->reports[i].complete || waited >= wait_ms)) {
			*out = w->reports[i];
			out->text = strdup(w->reports[i].text ? w->reports[i].text : "");
			ret = 0;
		}
		pthread_mutex_unlock(&w->lock);
		if (!ret || waited >= wait_ms || i >= KMSG_MAX_REPORTS)
			return ret;
		nanosleep(&tick, NULL);
	}
}
