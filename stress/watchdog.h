/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The watchdog: every worker marks when it enters and leaves an operation;
 * the controller looks at the marks and calls anything inside one
 * operation (an ioctl, a fault, a fork) for longer than the limit a hang.
 * Then it saves the stacks the kernel shows, so a stuck migration is
 * reported with where it is stuck rather than left hanging forever.
 */
#ifndef HMMBENCH_STRESS_WATCHDOG_H
#define HMMBENCH_STRESS_WATCHDOG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "stress.h"

/* @now: the start the caller timed the operation from, read once. */
void wd_enter(struct stress_slot *s, const struct stress_op *op, uint64_t index,
	      uint64_t now);
void wd_leave(struct stress_slot *s);

struct wd_hang {
	unsigned int thread;
	pid_t tid;
	struct stress_op op;
	uint64_t index;
	uint64_t elapsed_ns;
};

/* The thread inside one operation longest beyond @limit_ns: 1, else 0. */
int wd_find_hang(struct stress_shared *sh, uint64_t now_ns, uint64_t limit_ns,
		 struct wd_hang *hang);

/*
 * Writes, for every task of process @pid, its name, state, wchan and
 * /proc/PID/task/TID/stack (or why it could not be read) to @path, and
 * returns them as {"TID": "text"} in @stacks. Returns the number of kernel
 * stacks that could be read.
 */
int wd_save_stacks(pid_t pid, const char *path, json_t **stacks);

#endif
