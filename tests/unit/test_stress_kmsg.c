// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-log witness (stress/kmsg.c) on sample lines written the way
 * the kernel prints them, /dev/kmsg record parsing, and the watchdog's
 * choice of the thread it calls hung (stress/watchdog.c), and which of a
 * hang and a kernel report names a failed run (stress/stress_records.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "clock.h"
#include "kmsg.h"
#include "record.h"
#include "stress.h"
#include "stress_records.h"
#include "watchdog.h"

static void kind_is(const char *line, enum kmsg_kind want)
{
	enum kmsg_kind got = kmsg_classify(line);

	cr_assert_eq(got, want, "\"%s\" should be %s, got %s", line,
		     kmsg_kind_name(want), kmsg_kind_name(got));
}

Test(stress_kmsg, reports_are_classified)
{
	kind_is("WARNING: CPU: 1 PID: 123 at mm/migrate_device.c:456 migrate_vma_collect_pmd+0x1f/0x80", KMSG_WARNING);
	kind_is("BUG: KASAN: slab-use-after-free in dmirror_do_read+0x65/0x80", KMSG_KASAN);
	kind_is("UBSAN: array-index-out-of-bounds in lib/test_hmm.c:12:3", KMSG_UBSAN);
	kind_is("BUG: unable to handle page fault for address: ff1100fcffe00000", KMSG_OOPS);
	kind_is("Oops: Oops: 0000 [#1] SMP", KMSG_OOPS);
	kind_is("general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP KASAN", KMSG_OOPS);
	kind_is("kernel BUG at mm/huge_memory.c:3012!", KMSG_BUG);
	kind_is("BUG: sleeping function called from invalid context at mm/migrate.c:1", KMSG_BUG);
	kind_is("BUG: Bad page state in process hmmbench  pfn:1234", KMSG_BUG);
	kind_is("WARNING: possible circular locking dependency detected", KMSG_LOCKDEP);
	kind_is("WARNING: possible recursive locking detected", KMSG_LOCKDEP);
	kind_is("WARNING: inconsistent lock state", KMSG_LOCKDEP);
	kind_is("WARNING: suspicious RCU usage", KMSG_LOCKDEP);
	kind_is("INFO: task hmmbench:123 blocked for more than 120 seconds.", KMSG_HUNG_TASK);
	kind_is("rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:", KMSG_RCU_STALL);
	kind_is("rcu: INFO: rcu_sched self-detected stall on CPU", KMSG_RCU_STALL);
	kind_is("watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [hmmbench:77]", KMSG_SOFT_LOCKUP);
	kind_is("Kernel panic - not syncing: Fatal exception", KMSG_PANIC);
}

Test(stress_kmsg, ordinary_lines_are_not_reports)
{
	kind_is("------------[ cut here ]------------", KMSG_NONE);
	kind_is("==================================================================", KMSG_NONE);
	kind_is("Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF", KMSG_NONE);
	kind_is("Out of memory and no killable processes...", KMSG_NONE);
	kind_is("Memory cgroup out of memory: Killed process 77 (hmmbench) total-vm:1kB", KMSG_NONE);
	kind_is("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null)", KMSG_NONE);
	kind_is("HMM test module loaded. This is only for testing HMM.", KMSG_NONE);
	kind_is("the word WARNING: in the middle of a line", KMSG_NONE);
	kind_is("", KMSG_NONE);
}

Test(stress_kmsg, record_parsing)
{
	const char rec[] = "4,1234,5678901,-;WARNING: at lib/test_hmm.c:1\n SUBSYSTEM=hmm\n";
	const char caller[] = "6,10,20,-,caller=T12;hello world\n";
	struct kmsg_record r;

	cr_assert_eq(kmsg_parse(rec, strlen(rec), &r), 0);
	cr_assert_eq(r.prio, 4);
	cr_assert_eq(r.seq, 1234u);
	cr_assert_eq(r.usec, 5678901u);
	cr_assert_eq(r.text_len, strlen("WARNING: at lib/test_hmm.c:1"));
	cr_assert(!strncmp(r.text, "WARNING: at lib/test_hmm.c:1", r.text_len));
	cr_assert_eq(kmsg_parse(caller, strlen(caller), &r), 0);
	cr_assert(!strncmp(r.text, "hello world", r.text_len) && r.text_len == 11);
	cr_assert_eq(kmsg_parse("garbage", 7, &r), -1, "no fields, no record");
	cr_assert_eq(kmsg_parse("6,1,2,-no semicolon", 19, &r), -1);
}

Test(stress_kmsg, kind_names)
{
	cr_assert_str_eq(kmsg_kind_name(KMSG_HUNG_TASK), "hung-task");
	cr_assert_str_eq(kmsg_kind_name(KMSG_RCU_STALL), "RCU-stall");
	cr_assert_str_eq(kmsg_kind_name(KMSG_KIND_COUNT), "unknown");
}

Test(stress_watchdog, longest_operation_over_the_limit_is_the_hang)
{
	struct stress_shared *sh = stress_shared_alloc(3);
	struct stress_op a = { OP_MIGRATE_TO_DEV, 0, 512, 0 }, b = { OP_FORK, 1024, 16, 0 };
	struct wd_hang hang;
	uint64_t now;

	cr_assert(sh, "stress_shared_alloc(3)");
	now = now_ns();
	wd_enter(&sh->threads[0].wd, &a, 5, now);
	wd_enter(&sh->threads[2].wd, &b, 9, now);
	cr_assert(!wd_find_hang(sh, now, 3600ULL * 1000000000ULL, &hang),
		  "nothing has been inside an operation for an hour");
	/* Pretend thread 2 entered 5 s ago and thread 0 2 s ago. */
	atomic_store(&sh->threads[2].wd.start_ns, now - 5000000000ULL);
	atomic_store(&sh->threads[0].wd.start_ns, now - 2000000000ULL);
	cr_assert(wd_find_hang(sh, now, 1000000000ULL, &hang));
	cr_assert_eq(hang.thread, 2u, "the longest one (thread 2) should be reported");
	cr_assert_eq(hang.op.kind, (uint32_t)OP_FORK);
	cr_assert_eq(hang.op.first, 1024u);
	cr_assert_eq(hang.index, 9u);
	cr_assert_eq(hang.elapsed_ns, 5000000000ULL);
	wd_leave(&sh->threads[2].wd);
	cr_assert(wd_find_hang(sh, now, 1000000000ULL, &hang));
	cr_assert_eq(hang.thread, 0u, "after thread 2 left, thread 0 is the one over the limit");
	cr_assert(!wd_find_hang(sh, now, 3000000000ULL, &hang),
		  "thread 0 at 2 s is within a 3 s limit");
	stress_shared_free(sh, 3);
}

static const struct stress_scenario churn = { .name = "vma-churn" };

/* A watcher holding one complete report, as if read from /dev/kmsg. */
static void watch_one(struct kmsg_watch *kw, enum kmsg_kind kind, const char *text)
{
	memset(kw, 0, sizeof(*kw));
	pthread_mutex_init(&kw->lock, NULL);
	kw->reports[0] = (struct kmsg_report){ .kind = kind, .text = strdup(text),
					       .len = strlen(text), .complete = 1 };
	kw->nreports = 1;
}

/*
 * A soft lockup stalls the thread on the stuck CPU, and the kernel-log
 * thread can be starved behind it: the watchdog then sees the hang before
 * the report is passed on (CI, 2026-12-05). The report is the cause, so it
 * names the failure; the hang is still counted.
 */
Test(stress_verdict, a_kernel_report_names_a_failure_over_the_hang_it_caused)
{
	char dir[] = "/tmp/hmmbench-verdict-XXXXXX";
	struct rec_writer w = { .f = tmpfile() };
	struct kmsg_watch kw;
	struct stress_env env = { .w = &w, .kmsg = &kw };
	struct stress_config cfg = { .sc = &churn, .watchdog_ms = 60000 };
	struct stress_result res = { 0 };
	struct wd_hang hang = { .thread = 3, .op = { OP_MIGRATE_TO_SYS, 0, 512, 0 },
				.elapsed_ns = 60000000000ULL };
	char path[PATH_MAX + 32];

	cr_assert(w.f && mkdtemp(dir), "a scratch records file and folder");
	snprintf(w.dir, sizeof(w.dir), "%s", dir);
	watch_one(&kw, KMSG_SOFT_LOCKUP,
		  "watchdog: BUG: soft lockup - CPU#0 stuck for 45s! [hmmbench:75]\n"
		  "RIP: 0010:folio_lruvec_relock_irqsave+0x2a/0x80");
	report_hang(&env, &cfg, &res, &hang, getpid());
	cr_assert_str_eq(res.first_failure, "hang in vma-churn: thread 3 inside migrate-to-sys for 60.0 s",
			 "before the report is read, the hang is all there is");
	report_kernel(&env, &cfg, &res);
	cr_assert_str_eq(res.first_failure,
			 "kernel soft-lockup in vma-churn: watchdog: BUG: soft lockup - CPU#0 stuck for 45s! [hmmbench:75]",
			 "the report names the failure");
	cr_assert_eq(res.hangs, 1u);
	cr_assert_eq(res.kernel_reports, 1u);
	cr_assert_eq(env.kmsg_seen, 1u);

	/* With no hang, the first failure seen keeps its name. */
	memset(&res, 0, sizeof(res));
	snprintf(res.first_failure, sizeof(res.first_failure), "integrity error in vma-churn");
	env.kmsg_seen = 0;
	report_kernel(&env, &cfg, &res);
	cr_assert_str_eq(res.first_failure, "integrity error in vma-churn");

	free(kw.reports[0].text);
	fclose(w.f);
	snprintf(path, sizeof(path), "%s/kernel-report-1.txt", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/hang-vma-churn-stacks.txt", dir);
	unlink(path);
	rmdir(dir);
}
