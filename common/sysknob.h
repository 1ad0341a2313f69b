/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System knobs (sysctls and sysfs files) a benchmark changes for a while
 * and must put back: the old value of each is saved before the new one is
 * written, and every one is restored by sysknob_restore_all(). Because a
 * run can also die without reaching that (SIGKILL, the OOM killer, a
 * crash), sysknob_guard() first forks a tiny guardian that is sent each
 * saved value over a pipe; when the pipe reaches EOF without a "restored"
 * message, the parent is gone and the guardian writes the old values back.
 */
#ifndef HMMBENCH_SYSKNOB_H
#define HMMBENCH_SYSKNOB_H

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#define SYSKNOB_MAX 8
#define SYSKNOB_PATH_MAX 160
#define SYSKNOB_VAL_MAX 64

struct sysknob {
	char path[SYSKNOB_PATH_MAX];	/* e.g. /proc/sys/vm/compaction_proactiveness */
	char old[SYSKNOB_VAL_MAX];
	char new[SYSKNOB_VAL_MAX];
	int restored;
};

struct sysknob_set {
	char root[128];			/* prefix of every path; "" for the real system */
	struct sysknob knob[SYSKNOB_MAX];
	size_t n;
	pid_t guardian;			/* 0: none */
	int pipe_fd;			/* write end to the guardian, or -1 */
};

void sysknob_init(struct sysknob_set *s, const char *root);
/* Forks the guardian; 0 or a negative errno. Call before any sysknob_set(). */
int sysknob_guard(struct sysknob_set *s);
/*
 * Saves @path's value, hands it to the guardian and writes @value. 0;
 * 1 when the file does not exist (the kernel lacks the knob; nothing is
 * changed); or a negative errno.
 */
int sysknob_set(struct sysknob_set *s, const char *path, const char *value);
/*
 * Writes every old value back, newest first, tells the guardian it is
 * done and reaps it. Returns 0 or the first negative errno.
 */
int sysknob_restore_all(struct sysknob_set *s);
/* [{"path":..., "old":..., "new":..., "restored": bool}, ...] */
json_t *sysknob_json(const struct sysknob_set *s);
/* "vm/compaction_proactiveness=20, ..." of the restored knobs, into @buf. */
const char *sysknob_restored_str(const struct sysknob_set *s, char *buf, size_t len);

/* A knob file's value: trimmed, and "a [b] c" selection lists give "b". */
int sysknob_read(const char *path, char *val, size_t len);

#endif
