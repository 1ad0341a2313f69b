// SPDX-License-Identifier: GPL-2.0
/*
 * bench/perfctr on the machine the tests run on: software events count,
 * bad names are refused with a message, hardware events are either
 * counted or reported unavailable with an errno name, never fatal.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "perfctr.h"

#define TOUCH_PAGES 1024

/* Faults in @TOUCH_PAGES fresh 4 KiB pages; no assertions: may run in a thread. */
static void *touch_fresh_memory(void *arg)
{
	size_t len = TOUCH_PAGES * 4096UL;
	volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	if (p == MAP_FAILED)
		return MAP_FAILED;
	madvise((void *)p, len, MADV_NOHUGEPAGE);
	for (size_t off = 0; off < len; off += 4096)
		p[off] = 1;
	munmap((void *)p, len);
	return NULL;
}

static json_t *measure(const char *events, void *(*phase)(void *), int in_thread)
{
	struct perfctr_set set;
	char err[256] = "";
	json_t *counts;
	void *ret;
	pthread_t t;

	cr_assert_eq(perfctr_open(events, &set, err, sizeof(err)), 0,
		     "perfctr_open(%s): %s", events, err);
	cr_assert_eq(perfctr_start(&set), 0, "perfctr_start failed");
	if (in_thread) {
		cr_assert_eq(pthread_create(&t, NULL, phase, NULL), 0);
		pthread_join(t, &ret);
	} else {
		ret = phase(NULL);
	}
	cr_assert(ret != MAP_FAILED, "the measured phase could not map memory");
	counts = perfctr_stop_read(&set);
	perfctr_close(&set);
	cr_assert(counts, "perfctr_stop_read returned NULL");
	return counts;
}

/* A software event must count; if the kernel refuses it, skip and say why. */
static void expect_counted(json_t *counts, const char *name)
{
	json_t *v = json_object_get(counts, name);
	json_t *why = json_object_get(v, "unavailable");

	cr_assert(v, "no entry for %s", name);
	if (why)
		cr_skip_test("%s unavailable on this machine: %s", name, json_string_value(why));
	cr_assert(json_is_integer(v), "%s: expected a count, got %s", name,
		  json_dumps(v, JSON_ENCODE_ANY));
	cr_expect(json_integer_value(v) > 0, "%s counted %lld over a phase that faulted in %d pages",
		  name, (long long)json_integer_value(v), TOUCH_PAGES);
}

Test(perfctr, software_events_count)
{
	json_t *c = measure("page-faults,task-clock", touch_fresh_memory, 0);

	expect_counted(c, "page-faults");
	expect_counted(c, "task-clock");
	json_decref(c);
}

/* inherit: a thread created after perfctr_open() and joined is counted. */
Test(perfctr, counts_threads)
{
	json_t *c = measure("page-faults", touch_fresh_memory, 1);

	expect_counted(c, "page-faults");
	json_decref(c);
}

Test(perfctr, unknown_event_rejected)
{
	struct perfctr_set set;
	char err[256] = "";
	int ret = perfctr_open("task-clock,no-such-event-xyz", &set, err, sizeof(err));

	cr_assert_eq(ret, -EINVAL, "expected -EINVAL for a bad name, got %d", ret);
	cr_expect(strstr(err, "'no-such-event-xyz'"), "the message should name the event: %s", err);
	cr_expect(strstr(err, "--events list"), "the message should say how to list names: %s", err);
	cr_expect(!strchr(err, '\n'), "the message should be one line: %s", err);
	cr_expect_eq(set.n, 0, "nothing stays open after an error");
}

/* Whatever the PMU, a hardware event is a count or a reason, and software events still count. */
Test(perfctr, hardware_event_not_fatal)
{
	json_t *c = measure("cycles,instructions,dTLB-load-misses,page-faults",
			    touch_fresh_memory, 0);
	const char *hw[] = { "cycles", "instructions", "dTLB-load-misses" };

	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(c, hw[i]);
		const char *why = json_string_value(json_object_get(v, "unavailable"));

		cr_assert(v, "no entry for %s", hw[i]);
		if (json_is_integer(v) || json_is_integer(json_object_get(v, "value")))
			continue;
		cr_assert(why, "%s: neither a count nor a reason: %s", hw[i],
			  json_dumps(v, JSON_ENCODE_ANY));
		cr_expect(why[0] == 'E' && strchr(why, ':'),
			  "%s: the reason should start with an errno name: %s", hw[i], why);
	}
	expect_counted(c, "page-faults");
	json_decref(c);
}

Test(perfctr, empty_list_is_no_events)
{
	struct perfctr_set set;
	char err[64] = "";
	json_t *c;

	cr_assert_eq(perfctr_open(",,", &set, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(set.n, 0);
	cr_assert_eq(perfctr_start(&set), 0);
	c = perfctr_stop_read(&set);
	cr_expect_eq(json_object_size(c), 0);
	json_decref(c);
	perfctr_close(&set);
}

/* The list the error message points to names the generic events. */
Test(perfctr, list_names_generic_events)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert(f, "open_memstream failed");
	perfctr_list(f);
	fclose(f);
	cr_expect(strstr(buf, "\ntask-clock\n"), "task-clock missing from the list");
	cr_expect(strstr(buf, "\npage-faults\n"), "page-faults missing from the list");
	cr_expect(strstr(buf, "\ndTLB-load-misses\n"), "dTLB-load-misses missing from the list");
	free(buf);
}
