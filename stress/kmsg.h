/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel as witness: a thread reads /dev/kmsg during the run and keeps
 * every BUG, WARNING, Oops, KASAN/UBSAN, lockdep, hung-task, soft-lockup,
 * RCU-stall or panic report with its full text (the lines that follow the
 * first one until the report's end marker or a quiet second).
 */
#ifndef HMMBENCH_STRESS_KMSG_H
#define HMMBENCH_STRESS_KMSG_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

enum kmsg_kind {
	KMSG_NONE, KMSG_BUG, KMSG_WARNING, KMSG_OOPS, KMSG_KASAN, KMSG_UBSAN,
	KMSG_LOCKDEP, KMSG_HUNG_TASK, KMSG_SOFT_LOCKUP, KMSG_RCU_STALL,
	KMSG_PANIC, KMSG_KIND_COUNT
};

/* What kind of report @text (one log line, no prefix) starts, if any. */
enum kmsg_kind kmsg_classify(const char *text);
const char *kmsg_kind_name(enum kmsg_kind kind);

/* One /dev/kmsg record: "PRIO,SEQ,USEC,FLAGS[,...];TEXT\n[ KEY=VALUE\n]...". */
struct kmsg_record {
	int prio;
	uint64_t seq, usec;
	const char *text;	/* points into the buffer parsed */
	size_t text_len;
};
/* 0, or -1 if @buf is not a /dev/kmsg record. */
int kmsg_parse(const char *buf, size_t len, struct kmsg_record *rec);

#define KMSG_MAX_REPORTS 16
#define KMSG_REPORT_MAX (64 * 1024)

struct kmsg_report {
	enum kmsg_kind kind;
	uint64_t usec;		/* kernel timestamp of the first line */
	char *text;		/* the full report, lines joined by '\n' */
	size_t len;
	int complete;
};

struct kmsg_watch {
	int fd, stop_pipe[2];
	pthread_t thread;
	int running;
	pthread_mutex_t lock;
	struct kmsg_report reports[KMSG_MAX_REPORTS];
	unsigned int nreports;	/* reports begun (may exceed the array) */
	char context[4][256];	/* the lines just before, e.g. "cut here" */
	unsigned int ncontext;
	uint64_t last_line_ns;
};

/*
 * Opens /dev/kmsg at its end (older messages are not this run's) and
 * starts the thread; on failure -errno and a one-line reason in @why.
 */
int kmsg_watch_start(struct kmsg_watch *w, char *why, size_t len);
void kmsg_watch_stop(struct kmsg_watch *w);
/* Reports begun so far. */
unsigned int kmsg_watch_count(struct kmsg_watch *w);
/*
 * Waits up to @wait_ms for report @i to complete, then copies it into
 * @out (text malloc'ed; the caller frees it). 0, or -1 if no such report.
 */
int kmsg_watch_get(struct kmsg_watch *w, unsigned int i, unsigned int wait_ms,
		   struct kmsg_report *out);

#endif
