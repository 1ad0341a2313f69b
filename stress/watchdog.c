// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errname.h"
#include "meta.h"
#include "watchdog.h"

void wd_enter(struct stress_slot *s, const struct stress_op *op, uint64_t index,
	      uint64_t now)
{
	atomic_store(&s->kind, op->kind);
	atomic_store(&s->first, op->first);
	atomic_store(&s->npages, op->npages);
	atomic_store(&s->index, index);
	atomic_store(&s->start_ns, now);
}

void wd_leave(struct stress_slot *s)
{
	atomic_store(&s->start_ns, 0);
}

int wd_find_hang(struct stress_shared *sh, uint64_t now_ns, uint64_t limit_ns,
		 struct wd_hang *hang)
{
	int found = 0;

	for (unsigned int i = 0; i < sh->nthreads; i++) {
		struct stress_slot *s = &sh->threads[i].wd;
		uint64_t start = atomic_load(&s->start_ns);

		if (!start || now_ns < start || now_ns - start <= limit_ns)
			continue;
		if (found && now_ns - start <= hang->elapsed_ns)
			continue;
		found = 1;
		hang->thread = i;
		hang->tid = atomic_load(&s->tid);
		hang->op.kind = atomic_load(&s->kind);
		hang->op.first = atomic_load(&s->first);
		hang->op.npages = atomic_load(&s->npages);
		hang->op.arg = 0;
		hang->index = atomic_load(&s->index);
		hang->elapsed_ns = now_ns - start;
	}
	return found;
}

/* One task's name, state, wait channel and kernel stack, as text. */
static int task_text(pid_t pid, const char *tid, char *out, size_t len)
{
	char path[320], *comm, *stat, *wchan, *stack;
	size_t n = 0;
	int got = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%s/comm", (int)pid, tid);
	comm = meta_read_file(path);
	snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", (int)pid, tid);
	stat = meta_read_file(path);
	snprintf(path, sizeof(path), "/proc/%d/task/%s/wchan", (int)pid, tid);
	wchan = meta_read_file(path);
	snprintf(path, sizeof(path), "/proc/%d/task/%s/stack", (int)pid, tid);
	errno = 0;
	stack = meta_read_file(path);
	if (stack && *stack)
		got = 1;
	/* stat: "tid (comm) S ..." - the state is the field after the ')' */
	const char *st = stat && strrchr(stat, ')') ? strrchr(stat, ')') + 2 : "?";

	n += snprintf(out + n, len - n, "task %s (%s) state %c wchan %s\n", tid,
		      comm ? comm : "?", *st ? *st : '?', wchan && *wchan ? wchan : "-");
	if (got)
		snprintf(out + n, len - n, "%s\n", stack);
	else
		snprintf(out + n, len - n, "  (no kernel stack: %s%s)\n",
			 stack ? "empty" : errno_name(errno ? errno : ENOENT),
			 stack ? "" : "; needs root and CONFIG_STACKTRACE");
	free(comm);
	free(stat);
	free(wchan);
	free(stack);
	return got;
}

int wd_save_stacks(pid_t pid, const char *path, json_t **stacks)
{
	char dir[64], text[8192];
	struct dirent *de;
	int got = 0;
	FILE *f = fopen(path, "w");
	DIR *d;

	*stacks = json_object();
	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	d = opendir(dir);
	if (!d) {
		if (f)
			fprintf(f, "cannot list %s: %s\n", dir, errno_name(errno));
		goto out;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		got += task_text(pid, de->d_name, text, sizeof(text));
		json_object_set_new(*stacks, de->d_name, json_string(text));
		if (f)
			fputs(text, f);
	}
	closedir(d);
out:
	if (f)
		fclose(f);
	return got;
}
