// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errname.h"
#include "sysknob.h"

void sysknob_init(struct sysknob_set *s, const char *root)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->root, sizeof(s->root), "%s", root ? root : "");
	s->pipe_fd = -1;
}

int sysknob_read(const char *path, char *val, size_t len)
{
	char buf[256], *open_br, *close_br, *start = buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	open_br = strchr(buf, '[');
	if (open_br && (close_br = strchr(open_br, ']'))) {
		start = open_br + 1;
		*close_br = '\0';
	}
	if (strlen(start) >= len)
		return -ENAMETOOLONG;
	snprintf(val, len, "%s", start);
	return 0;
}

static int write_value(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* The guardian's saved values: "S <path>\t<old>\n" lines, "R\n" when done. */
struct guarded {
	char path[SYSKNOB_MAX][SYSKNOB_PATH_MAX + 128];
	char old[SYSKNOB_MAX][SYSKNOB_VAL_MAX];
	int n, done;
};

static void guardian_line(struct guarded *g, char *line)
{
	char *tab = strchr(line, '\t');

	if (!strcmp(line, "R")) {
		g->done = 1;
	} else if (line[0] == 'S' && line[1] == ' ' && tab && g->n < SYSKNOB_MAX) {
		*tab = '\0';
		snprintf(g->path[g->n], sizeof(g->path[0]), "%s", line + 2);
		snprintf(g->old[g->n], sizeof(g->old[0]), "%s", tab + 1);
		g->n++;
	}
}

/* Runs in the child: only reads, opens and writes until the pipe ends. */
static void __attribute__((noreturn)) guardian_main(int fd)
{
	static struct guarded g;
	char buf[4096], msg[512];
	size_t have = 0;
	ssize_t n;

	while ((n = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0 ||
	       (n < 0 && errno == EINTR)) {
		char *nl, *line = buf;

		if (n < 0)
			continue;
		have += n;
		buf[have] = '\0';
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			guardian_line(&g, line);
			line = nl + 1;
		}
		have -= line - buf;
		memmove(buf, line, have);
	}
	/* EOF: the parent said it restored everything, or it is gone. */
	for (int i = g.n - 1; !g.done && i >= 0; i--) {
		int ret = write_value(g.path[i], g.old[i]);
		int len = snprintf(msg, sizeof(msg), "hmmbench: guardian: hmmbench ended without restoring; %s %s=%s%s%s\n",
				   ret ? "could not restore" : "restored", g.path[i], g.old[i],
				   ret ? ": " : "", ret ? errno_name(-ret) : "");

		if (write(STDERR_FILENO, msg, len) < 0)
			break;
	}
	_exit(0);
}

/* Keeps only stderr and the pipe's end, so no device fd stays open in the child. */
static int guardian_fds(int fd)
{
	int keep = fcntl(fd, F_DUPFD, 3);

	if (keep < 0)
		_exit(1);
	if (keep > 3)
		close_range(3, keep - 1, 0);
	close_range(keep + 1, ~0U, 0);
	return keep;
}

int sysknob_guard(struct sysknob_set *s)
{
	int sv[2];
	pid_t pid;

	/* A socket, not a pipe: send(MSG_NOSIGNAL) cannot raise SIGPIPE. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -errno;
	pid = fork();
	if (pid < 0) {
		int ret = -errno;

		close(sv[0]);
		close(sv[1]);
		return ret;
	}
	if (!pid) {
		/* Ctrl-C reaches the whole process group; the guardian must outlive it. */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		prctl(PR_SET_NAME, "hmmbench-guard");
		/* The OOM killer may take the run; never its guardian. */
		write_value("/proc/self/oom_score_adj", "-1000");
		close(sv[1]);
		guardian_main(guardian_fds(sv[0]));
	}
	close(sv[0]);
	s->guardian = pid;
	s->pipe_fd = sv[1];
	return 0;
}

static int tell_guardian(struct sysknob_set *s, const char *msg)
{
	size_t len = strlen(msg);

	if (s->pipe_fd < 0)
		return 0;
	/* One message is far below PIPE_BUF-sized socket buffers: one send. */
	if (send(s->pipe_fd, msg, len, MSG_NOSIGNAL) != (ssize_t)len)
		return -errno;
	return 0;
}

int sysknob_set(struct sysknob_set *s, const char *path, const char *value)
{
	struct sysknob *k = &s->knob[s->n];
	char full[sizeof(s->root) + SYSKNOB_PATH_MAX], msg[sizeof(full) + SYSKNOB_VAL_MAX + 8];
	int ret;

	if (s->n == SYSKNOB_MAX)
		return -ENOSPC;
	snprintf(full, sizeof(full), "%s%s", s->root, path);
	ret = sysknob_read(full, k->old, sizeof(k->old));
	if (ret == -ENOENT)
		return 1;
	if (ret)
		return ret;
	snprintf(k->path, sizeof(k->path), "%s", path);
	snprintf(k->new, sizeof(k->new), "%s", value);
	/* The guardian holds the old value before the new one is written. */
	snprintf(msg, sizeof(msg), "S %s\t%s\n", full, k->old);
	ret = tell_guardian(s, msg);
	if (ret)
		return ret;
	s->n++;
	return write_value(full, value);
}

int sysknob_restore_all(struct sysknob_set *s)
{
	char full[sizeof(s->root) + SYSKNOB_PATH_MAX];
	int first = 0;

	for (size_t i = s->n; i-- > 0;) {
		struct sysknob *k = &s->knob[i];
		int ret;

		if (k->restored)
			continue;
		snprintf(full, sizeof(full), "%s%s", s->root, k->path);
		ret = write_value(full, k->old);
		if (ret) {
			fprintf(stderr, "hmmbench: cannot restore %s to '%s': %s; set it by hand\n",
				full, k->old, errno_name(-ret));
			if (!first)
				first = ret;
			continue;
		}
		k->restored = 1;
	}
	/* Only when all went back; otherwise the guardian tries once more. */
	if (!first)
		tell_guardian(s, "R\n");
	if (s->pipe_fd >= 0)
		close(s->pipe_fd);
	if (s->guardian > 0)
		waitpid(s->guardian, NULL, 0);
	s->pipe_fd = -1;
	s->guardian = 0;
	return first;
}

json_t *sysknob_json(const struct sysknob_set *s)
{
	json_t *a = json_array();

	for (size_t i = 0; i < s->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b}", "path", s->knob[i].path,
						   "old", s->knob[i].old, "new", s->knob[i].new,
						   "restored", s->knob[i].restored));
	return a;
}

const char *sysknob_restored_str(const struct sysknob_set *s, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->n && at < len; i++)
		if (s->knob[i].restored)
			at += snprintf(buf + at, len - at, "%s%s=%s", at ? ", " : "",
				       s->knob[i].path, s->knob[i].old);
	return buf;
}
