// SPDX-License-Identifier: GPL-2.0
/*
 * The reproducer's pieces that need no compiler and no kernel: the
 * operation log (a ring per thread, oldest kept first), the model's
 * operation strings and JSON (round trips, bad input refused with a
 * reason), tidying after a size cut, and reading kernel reports off a
 * serial console (the first report, its functions, whether it matches).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "boot.h"
#include "oplog.h"
#include "pagestate.h"
#include "repro.h"
#include "repro_console.h"
#include "stress.h"
#include "test_results_util.h"

Test(repro_oplog, keeps_every_op_in_order_until_the_ring_wraps)
{
	struct oplog_set s;
	struct stress_op op = { OP_MPROTECT, 0, 16, 0 };

	cr_assert_eq(oplog_set_alloc(&s, 2, 8), 0);
	for (uint32_t i = 0; i < 5; i++) {
		op.first = i;
		oplog_add(oplog_of(&s, 1), &op, i & 1 ? OPLOG_SOLO : 0);
	}
	cr_assert_eq(atomic_load(&oplog_of(&s, 0)->n), 0, "thread 0 recorded nothing");
	cr_assert_eq(oplog_kept(oplog_of(&s, 1), 5), 5);
	for (uint64_t i = 0; i < 5; i++) {
		const struct oplog_entry *e = oplog_get(oplog_of(&s, 1), 5, i);

		cr_assert_eq(e->first, i, "entry %llu is op %u", (unsigned long long)i, e->first);
		cr_assert_eq(e->kind, OP_MPROTECT);
		cr_assert_eq(e->flags, i & 1 ? OPLOG_SOLO : 0);
	}
	for (uint32_t i = 5; i < 20; i++) {
		op.first = i;
		oplog_add(oplog_of(&s, 1), &op, 0);
	}
	cr_assert_eq(oplog_kept(oplog_of(&s, 1), 20), 8, "a ring of 8 keeps 8");
	cr_assert_eq(oplog_get(oplog_of(&s, 1), 20, 0)->first, 12, "the oldest kept is op 12");
	cr_assert_eq(oplog_get(oplog_of(&s, 1), 20, 7)->first, 19, "the newest is op 19");
	cr_assert_eq(oplog_get(oplog_of(&s, 1), 15, 7)->first, 14,
		     "frozen at 15, the newest is op 14 although 19 came later");
	oplog_set_reset(&s);
	cr_assert_eq(atomic_load(&oplog_of(&s, 1)->n), 0);
	oplog_set_free(&s);
}

Test(repro_model, op_strings_round_trip)
{
	struct repro_op op = { OP_MREMAP_DONTUNMAP, 1, 4096, 1024, 0xdeadbeefcafef00dULL }, back;
	char buf[96];

	repro_op_str(&op, buf, sizeof(buf));
	cr_assert_str_eq(buf, "mremap-dontunmap 4096+1024 0xdeadbeefcafef00d solo");
	cr_assert_eq(repro_op_parse(buf, &back), 0);
	cr_assert(!memcmp(&op, &back, sizeof(op)) || (back.kind == op.kind && back.solo == op.solo &&
		  back.first == op.first && back.npages == op.npages && back.arg == op.arg));
	cr_assert_eq(repro_op_parse("fail-alloc 0+512 0x1", &back), 0);
	cr_assert_eq(back.kind, OP_FAIL_ALLOC);
	cr_assert_eq(back.solo, 0);
}

Test(repro_model, bad_op_strings_are_refused)
{
	struct repro_op op;

	cr_assert_neq(repro_op_parse("teleport 0+1 0x0", &op), 0, "unknown kind");
	cr_assert_neq(repro_op_parse("mprotect 0+0 0x0", &op), 0, "no pages");
	cr_assert_neq(repro_op_parse("mprotect 0+1025 0x0", &op), 0, "more than two chunks");
	cr_assert_neq(repro_op_parse("mprotect 0+1 0x0 alone", &op), 0, "a flag it does not know");
	cr_assert_neq(repro_op_parse("mprotect 0+1", &op), 0, "no arg");
}

static void two_threads(struct repro *r)
{
	struct repro_op a = { OP_MIGRATE_TO_DEV, 0, 0, 512, 1 }, b = { OP_CPU_READ, 0, 600, 16, 0 };

	repro_init(r);
	snprintf(r->scenario, sizeof(r->scenario), "vma-churn");
	r->seed = 0xfedcba9876543210ULL;
	r->nchunks = 4;
	r->thp[0] = r->thp[2] = 1;
	r->nthreads = 2;
	r->threads = calloc(2, sizeof(*r->threads));
	cr_assert_eq(repro_add_op(r, 0, &a), 0);
	cr_assert_eq(repro_add_op(r, 0, &b), 0);
	cr_assert_eq(repro_add_op(r, 1, &b), 0);
	r->threads[0].per_round = 7;
	r->failure = json_pack("{s:s, s:s}", "kind", "kernel-report", "function", "dmirror_write");
}

Test(repro_model, json_round_trip_keeps_everything)
{
	struct repro r, back;
	char err[200];
	json_t *j;

	two_threads(&r);
	r.keep_open = 1;
	j = repro_to_json(&r);
	cr_assert_str_eq(json_string_value(json_object_get(j, "seed")), "18364758544493064720",
			 "the seed is a string: all 64 bits survive");
	cr_assert_eq(repro_from_json(j, &back, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(back.seed, r.seed);
	cr_assert_eq(back.nchunks, 4);
	cr_assert_eq(back.thp[2], 1);
	cr_assert_eq(back.thp[1], 0);
	cr_assert_eq(back.keep_open, 1);
	cr_assert_eq(back.nthreads, 2);
	cr_assert_eq(back.threads[0].n, 2);
	cr_assert_eq(back.threads[0].per_round, 7);
	cr_assert_eq(back.threads[0].ops[1].first, 600);
	cr_assert_str_eq(json_string_value(json_object_get(back.failure, "function")), "dmirror_write");
	json_decref(j);
	repro_free(&back);
	repro_free(&r);
}

Test(repro_model, bad_models_are_refused_with_a_reason)
{
	char err[200];
	struct repro r;
	json_t *j = json_pack("{s:s}", "schema", "something-else");

	cr_assert_neq(repro_from_json(j, &r, err, sizeof(err)), 0);
	cr_assert(strstr(err, "schema"), "says why: %s", err);
	json_decref(j);
	j = json_pack("{s:s, s:i, s:[i], s:[{s:[s]}]}", "schema", REPRO_SCHEMA, "chunks", 1,
		      "thp", 1, "threads", "ops", "mprotect 0+1");
	cr_assert_neq(repro_from_json(j, &r, err, sizeof(err)), 0);
	cr_assert(strstr(err, "thread 0 operation 0"), "names the operation: %s", err);
	json_decref(j);
}

/* repro.c's first comment as repro_write_c() writes it. */
static char *header_of(const struct repro *r)
{
	char *buf = NULL, *end;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	cr_assert(m);
	cr_assert_eq(repro_write_c(r, m), 0);
	fclose(m);
	end = strstr(buf, " */");
	cr_assert(end, "the header comment ends");
	*end = '\0';
	return buf;
}

Test(repro_model, a_hand_written_model_says_so_and_never_passes_for_a_recording)
{
	struct repro r, back;
	char err[200], *head;
	json_t *j;

	two_threads(&r);
	head = header_of(&r);
	cr_assert(strstr(head, "Recorded by hmmbench stress"), "%s", head);
	cr_assert_null(strstr(head, "Written by hand"), "%s", head);
	free(head);

	r.written = json_string("One thread migrates a THP back and forth while three fork */ "
				"children that exit at once, a sentence long enough to wrap.");
	j = repro_to_json(&r);
	cr_assert_eq(repro_from_json(j, &back, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(json_string_value(back.written), json_string_value(r.written),
			 "\"written\" survives a round trip (and so minimize)");
	head = header_of(&back);
	cr_assert(strstr(head, " * Written by hand, not recorded:\n * One thread migrates"), "%s", head);
	cr_assert(strstr(head, "recorded by hmmbench stress (scenario"), "%s", head);
	cr_assert_null(strstr(head, "Recorded by hmmbench stress"), "%s", head);
	cr_assert_null(strstr(head, "*/"), "the note cannot end the comment: %s", head);
	for (const char *l = head; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0))
		cr_assert_leq(strcspn(l, "\n"), 84, "wrapped: %.*s", (int)strcspn(l, "\n"), l);
	free(head);
	json_decref(j);
	repro_free(&back);

	/* Minimized: from the size minimize started at, not the recorded run's. */
	r.steps = json_pack("[{s:s}]", "before", "4 threads, 5 operations, 8 MiB");
	head = header_of(&r);
	cr_assert(strstr(head, "(minimized from 4 threads, 5 operations, 8 MiB)"), "%s", head);
	free(head);

	j = repro_to_json(&r);
	json_object_set_new(j, "written", json_true());
	cr_assert_neq(repro_from_json(j, &back, err, sizeof(err)), 0);
	cr_assert(strstr(err, "\"written\" must be a string"), "says why: %s", err);
	json_decref(j);
	repro_free(&r);
}

Test(repro_model, tidy_cuts_to_the_region_and_drops_empty_threads)
{
	struct repro r;

	two_threads(&r);
	r.nchunks = 1;		/* pages 0-511 */
	repro_tidy(&r);
	cr_assert_eq(r.nthreads, 1, "thread 1 only touched page 600: gone");
	cr_assert_eq(r.threads[0].n, 1);
	cr_assert_eq(r.threads[0].ops[0].kind, OP_MIGRATE_TO_DEV);
	repro_free(&r);
}

static const char console[] =
	"HMMBENCH_VM_START kernel=7.2.13 cpus=2\n"
	"REPRO: 4 threads, 32 MiB region\n"
	"[   40.100000] hmm_dmirror: added new 256 MB chunk\n"
	"[   61.512345] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [repro:93]\n"
	"[   61.512400] Modules linked in:\n"
	"[   61.512500] RIP: 0010:folio_lruvec_relock_irqsave+0x2c/0x90\n"
	"[   61.512600] Call Trace:\n"
	"[   61.512601]  <TASK>\n"
	"[   61.512602]  folio_batch_move_lru+0x5e/0x120\n"
	"[   61.512603]  ? __pfx_lru_add+0x10/0x10\n"
	"[   61.512604]  __migrate_device_finalize+0x1d1/0x2a0\n"
	"[   61.512605]  dmirror_migrate_to_system.isra.0+0x1f0/0x300\n"
	"[   61.512606]  dmirror_fops_unlocked_ioctl+0x9c/0x2d0\n"
	"[   61.512607]  </TASK>\n"
	"[   62.000000] rcu: INFO: rcu_preempt self-detected stall on CPU\n";

Test(repro_console, finds_the_first_report_and_its_functions)
{
	enum kmsg_kind kind;
	char *text = repro_console_report(console, &kind), key[64];
	json_t *fns;

	cr_assert_not_null(text);
	cr_assert_eq(kind, KMSG_SOFT_LOCKUP);
	cr_assert(!strncmp(text, "watchdog: BUG: soft lockup", 26), "starts at the report: %s", text);
	cr_assert_null(strstr(text, "added new"), "nothing before the report");
	cr_assert_null(strstr(text, "[   61"), "the stamps are gone");
	fns = repro_report_functions(text);
	cr_assert_str_eq(json_string_value(json_array_get(fns, 0)), "folio_lruvec_relock_irqsave");
	cr_assert_str_eq(json_string_value(json_array_get(fns, 1)), "folio_batch_move_lru");
	cr_assert_str_eq(json_string_value(json_array_get(fns, 2)), "__pfx_lru_add",
			 "'? ' entries count: without ORC every entry is one");
	cr_assert_str_eq(json_string_value(json_array_get(fns, 4)), "dmirror_migrate_to_system.isra.0");
	cr_assert_str_eq(repro_key_function(fns, key, sizeof(key)), "dmirror_migrate_to_system",
			 "the key function drops the compiler's suffix");
	json_decref(fns);
	free(text);
}

Test(repro_console, a_clean_console_has_no_report)
{
	enum kmsg_kind kind;

	cr_assert_null(repro_console_report("HMMBENCH_VM_START\nREPRO-PASS: 3 rounds\n"
					    "[    1.0] Linux version 7.2.13\n", &kind));
	cr_assert_eq(kind, KMSG_NONE);
}

Test(repro_console, matching_wants_the_same_class_and_the_regex)
{
	const char *lockup = "watchdog: BUG: soft lockup - CPU#0\n dmirror_migrate_to_system+0x1/0x2\n";

	cr_assert(repro_report_matches(lockup, KMSG_SOFT_LOCKUP, "RCU-stall", "dmirror_migrate_to_system"),
		  "a soft lockup stands for an RCU stall: same class");
	cr_assert_not(repro_report_matches(lockup, KMSG_SOFT_LOCKUP, "Oops", NULL),
		      "a lockup is not an Oops");
	cr_assert_not(repro_report_matches(lockup, KMSG_SOFT_LOCKUP, "soft-lockup", "dmirror_write"),
		      "another function is another bug");
	cr_assert(repro_report_matches("BUG: unable to handle page fault\n dmirror_do_read+0x1/0x2\n",
				       KMSG_OOPS, "Oops", "dmirror_(do_)?(read|write)"));
	cr_assert_not(repro_report_matches(NULL, KMSG_NONE, NULL, NULL), "no report, no hit");
}

Test(repro_console, the_reports_after_the_first_are_found_too)
{
	static const char two[] =
		"[   10.0] rcu: INFO: rcu_sched self-detected stall on CPU\n"
		"[   10.1]  ? migrate_vma_collect_pmd+0xce/0x976\n"
		"[   10.2] ---[ end trace 0000000000000000 ]---\n"
		"[   50.0] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [repro:70]\n"
		"[   50.1]  ? folio_batch_move_lru+0x81/0x135\n";
	const char *next;
	enum kmsg_kind kind;
	char *first = repro_console_report_at(two, &kind, &next), *second;

	cr_assert_eq(kind, KMSG_RCU_STALL);
	cr_assert_null(strstr(first, "folio_batch_move_lru"), "the first ends at its end marker");
	second = repro_console_report_at(next, &kind, &next);
	cr_assert_not_null(second);
	cr_assert_eq(kind, KMSG_SOFT_LOCKUP);
	cr_assert(repro_report_matches(second, kind, "RCU-stall", "folio_batch_move_lru|folio_lruvec"));
	cr_assert_null(repro_console_report_at(next, &kind, &next), "no third");
	free(first);
	free(second);
}

/*
 * softlockup_all_cpu_backtrace: the CPU that reports is waiting for a TLB
 * flush; the one it waits for spins with interrupts off and shows up only
 * in the NMI backtrace that follows, well past the first 80 lines.
 */
Test(repro_console, a_lockup_keeps_the_other_cpus_backtrace)
{
	char *console = NULL, *text;
	size_t len = 0;
	FILE *f = open_memstream(&console, &len);
	enum kmsg_kind kind;

	fprintf(f, "[   36.5] watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [repro:72]\n"
		   "[   36.5] RIP: 0010:smp_call_function_many_cond+0x2b2/0x2e9\n"
		   "[   36.5]  ? flush_tlb_mm_range+0x24f/0x443\n"
		   "[   36.5]  ? dmirror_migrate_to_device.constprop.0+0x1b2/0x70e\n"
		   "[   36.6] Sending NMI from CPU 1 to CPUs 0:\n"
		   "[   36.6] NMI backtrace for cpu 0\n");
	for (int i = 0; i < 100; i++)
		fprintf(f, "[   36.6] R%02d: 0000000000000000\n", i);
	fprintf(f, "[   36.7]  ? folio_batch_move_lru+0x81/0x135\n"
		   "[   36.7]  ? dmirror_migrate_to_system.constprop.0+0x1f0/0x300\n");
	fclose(f);
	text = repro_console_report(console, &kind);
	cr_assert_eq(kind, KMSG_SOFT_LOCKUP);
	cr_assert(repro_report_matches(text, kind, "RCU-stall", "folio_batch_move_lru"),
		  "the culprit's stack is part of the report");
	free(text);
	free(console);
}

Test(repro_console, a_model_drawn_from_a_seed_is_tried_for_kernel_reports)
{
	struct repro r;
	struct repro_want w;
	struct repro_boot b = { 0 };

	two_threads(&r);
	json_decref(r.failure);
	r.failure = json_pack("{s:s}", "kind", "none");
	repro_want_from(&r, "folio_batch_move_lru", &w);
	cr_assert_str_eq(w.kind, "kernel-report", "not a kind called 'none'");
	b.report = "rcu: INFO: rcu_sched self-detected stall on CPU\n folio_batch_move_lru+0x1/0x2\n";
	b.kind = KMSG_RCU_STALL;
	cr_assert(repro_boot_hit(&b, &w), "a matching stall is a hit");
	b.report = "rcu: INFO: rcu_sched self-detected stall on CPU\n schedule+0x1/0x2\n";
	cr_assert_not(repro_boot_hit(&b, &w), "another stack is not");
	repro_free(&r);
}

Test(repro_console, kind_overrides_the_recorded_failure)
{
	struct repro r;
	struct repro_want w;
	struct repro_boot b = { 0 };

	two_threads(&r);
	json_decref(r.failure);
	r.failure = json_pack("{s:s,s:s}", "kind", "kernel-report", "report_kind", "Oops");
	repro_want_from(&r, "dmirror_devmem_fault", &w);
	b.report = "rcu: INFO: rcu_sched self-detected stall on CPU\n dmirror_devmem_fault+0x1/0x2\n";
	b.kind = KMSG_RCU_STALL;
	cr_assert_not(repro_boot_hit(&b, &w), "an Oops was recorded: a stall is a miss");
	cr_assert_eq(repro_want_set_kind(&w, "soft-lockup"), 0);
	cr_assert(repro_boot_hit(&b, &w), "--kind soft-lockup: a stall (same class) is a hit");
	b.kind = KMSG_OOPS;
	cr_assert_not(repro_boot_hit(&b, &w), "and the Oops a miss");
	cr_assert_eq(repro_want_set_kind(&w, "kernel-report"), 0);
	cr_assert(repro_boot_hit(&b, &w), "--kind kernel-report: the Oops is a hit");
	b.kind = KMSG_RCU_STALL;
	cr_assert(repro_boot_hit(&b, &w), "and so is the stall");
	b.report = "rcu: INFO: rcu_sched self-detected stall on CPU\n schedule+0x1/0x2\n";
	cr_assert_not(repro_boot_hit(&b, &w), "but not a report the regex does not match");
	b.kind = KMSG_NONE;
	b.report = NULL;
	cr_assert_not(repro_boot_hit(&b, &w), "nor a boot with no report");
	cr_assert_eq(repro_want_set_kind(&w, "hang"), 0);
	cr_assert_str_eq(w.kind, "hang");
	cr_assert_eq(repro_want_set_kind(&w, "Opps"), -1, "an unknown kind is refused");
	repro_free(&r);
}

TestSuite(repro_kernel, .init = tu_make_tmp, .fini = tu_remove_tmp);

Test(repro_kernel, a_bzimage_path_takes_its_flavour_from_build_json)
{
	char bz[PATH_MAX + 16], err[256];
	struct repro_kernel k;

	snprintf(bz, sizeof(bz), "%s/bzImage", tu_tmp);
	tu_write(tu_tmp, "bzImage", "not a kernel");
	tu_write(tu_tmp, "release", "7.2.13-fix\n");
	cr_assert_eq(repro_kernel_resolve(&k, bz, "default", err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(k.release, "7.2.13-fix");
	cr_assert_str_eq(k.flavour, "", "no build.json: the flavour is not known");
	tu_write(tu_tmp, "build.json", "{\"schema\": 1, \"flavour\": \"debug\"}\n");
	cr_assert_eq(repro_kernel_resolve(&k, bz, "default", err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(k.flavour, "debug", "build.json's flavour, not the one asked for");
}
