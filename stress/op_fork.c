// SPDX-License-Identifier: GPL-2.0
/*
 * fork() while pages sit on the device. Device-private pages become
 * copy-on-write between parent and child: both read them (each read may
 * migrate the shared page back for both), both write their own copies,
 * and the child exits with the pages it never touched still on the
 * device. The child issues no ioctl: its fd mirrors the parent's mm.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "worker.h"

struct child_report {
	uint32_t page, gen;
	int64_t off;
	uint64_t expected, found;
};

/* Runs in the child: only async-signal-safe work, no locks, no malloc. */
static void __attribute__((noreturn))
child_main(struct stress_worker *w, const struct stress_op *op, size_t touched, int fd)
{
	struct stress_region *rg = &w->ctx->rg;
	struct child_report rep;
	uint64_t want, got;

	signal(SIGBUS, SIG_DFL);
	signal(SIGSEGV, SIG_DFL);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t p = op->first; p < op->first + touched; p++) {
			uint32_t gen = rg->gen[p];
			long off;

			if (pass && (p & 1))
				continue;
			if (pass) {
				gen = (gen & STRESS_GEN_MASK) | STRESS_GEN_CHILD;
				stress_page_fill(stress_page(w, p), rg->seed, p, gen);
			}
			off = stress_page_check(stress_page(w, p), rg->seed, p, gen, &want, &got);
			if (off >= 0) {
				rep = (struct child_report){ (uint32_t)p, gen, off, want, got };
				if (write(fd, &rep, sizeof(rep)) < 0)
					_exit(3);
				_exit(1);
			}
			atomic_fetch_add(&w->st->pages_verified, 1);
		}
	}
	_exit(0);
}

static size_t device_pages(struct stress_worker *w, size_t first, size_t n)
{
	size_t count = 0;

	if (!n || hmm_dev_snapshot(&w->ctx->dev, stress_page(w, first), n, w->state))
		return 0;
	for (size_t i = 0; i < n; i++)
		count += hmm_page_on_device(w->state[i]);
	return count;
}

static int child_verdict(struct stress_worker *w, const struct stress_op *op,
			 pid_t pid, int status, int fd)
{
	struct child_report rep;

	if (read(fd, &rep, sizeof(rep)) == sizeof(rep))
		return stress_mismatch(w, op, "fork (in the child)", stress_page(w, rep.page),
				       rep.page, rep.off, rep.expected, rep.found, rep.gen);
	if (WIFSIGNALED(status))
		return stress_harness_fail(w, op, "fork child %d was killed by SIG%s while reading or writing its copy of pages %u+%u",
					   (int)pid, sigabbrev_np(WTERMSIG(status)) ?
					   sigabbrev_np(WTERMSIG(status)) : "?",
					   op->first, op->npages);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return stress_harness_fail(w, op, "fork child %d exited with status %d", (int)pid,
					   WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

int stress_op_fork(struct stress_worker *w, const struct stress_op *op)
{
	size_t touched = 1 + op->arg % op->npages;
	int fds[2], status, ret;
	pid_t pid;

	ret = stress_to_dev(w, op, 1);
	if (ret < 0)
		return ret;
	if (pipe2(fds, O_CLOEXEC)) {
		stress_count_error(w, op, errno);
		return 0;
	}
	size_t left = device_pages(w, op->first + touched, op->npages - touched);

	pid = fork();
	if (pid < 0) {
		stress_count_error(w, op, errno);
		close(fds[0]);
		close(fds[1]);
		return 0;
	}
	if (!pid)
		child_main(w, op, touched, fds[1]);
	close(fds[1]);
	atomic_fetch_add(&w->ctx->sh->forks, 1);
	atomic_fetch_add(&w->ctx->sh->child_pages_on_device, left);
	/* The parent reads and writes its own view while the child runs. */
	ret = stress_check_home(w, op, "fork (in the parent)");
	if (!ret) {
		stress_fill(w, op->first + op->npages / 2, op->npages - op->npages / 2);
		ret = stress_check_home(w, op, "fork (parent write)");
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!ret)
		ret = child_verdict(w, op, pid, status, fds[0]);
	close(fds[0]);
	return ret;
}
