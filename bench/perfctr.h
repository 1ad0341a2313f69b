/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench/perfctr: perf counters around one measured phase.
 *
 * Event names are encoded with libpfm4 (any name it knows: perf's generic
 * names such as cycles, instructions, dTLB-load-misses, page-faults,
 * task-clock, and PMU-specific ones such as
 * "INST_RETIRED:ANY_P"); built without libpfm4, a table of perf's generic
 * names is used instead. Each event is opened on its own (no group, so one
 * missing event cannot take the others down) for the calling process, on
 * any CPU, user and kernel, with inherit set so threads created after
 * perfctr_open() are counted too. A thread's counts reach the total when
 * it exits: join workers before perfctr_stop_read().
 *
 * Where an event cannot be opened (no hardware PMU, as on this machine and
 * in the TCG guests, where hardware events fail with ENOENT; or
 * perf_event_paranoid; or a kernel without perf events) it is reported
 * unavailable with the reason and the others still count: nothing here
 * aborts a run. A name neither libpfm4 nor the table knows is the one
 * error perfctr_open() returns.
 *
 * Usage, in the style of a measured phase:
 *
 *	struct perfctr_set set;
 *	char err[256];
 *
 *	if (perfctr_open("cycles,page-faults", &set, err, sizeof(err)))
 *		{ fprintf(stderr, "hmmbench: %s\n", err); return 2; }
 *	perfctr_start(&set);
 *	... the phase ...
 *	json_t *counters = perfctr_stop_read(&set);
 *	// {"cycles": {"unavailable": "ENOENT: ..."}, "page-faults": 2048}
 *	perfctr_close(&set);
 */
#ifndef HMMBENCH_PERFCTR_H
#define HMMBENCH_PERFCTR_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#define PERFCTR_NAME_MAX 128
#define PERFCTR_REASON_MAX 200

struct perfctr_event {
	char name[PERFCTR_NAME_MAX];	/* as the user wrote it */
	int fd;				/* -1 when unavailable */
	char reason[PERFCTR_REASON_MAX];	/* why it is unavailable */
	uint64_t value;			/* last read, scaled if multiplexed */
	uint64_t enabled, running;	/* ns the event was enabled / counting */
};

struct perfctr_set {
	size_t n;
	struct perfctr_event *ev;
};

/*
 * Parses the comma-separated @list (empty entries are ignored), encodes
 * and opens every event, disabled. Returns 0 (some events may be
 * unavailable: see ev[i].fd and ev[i].reason), -EINVAL with a one-line
 * message in @err for a name that cannot be encoded, or -ENOMEM.
 */
int perfctr_open(const char *list, struct perfctr_set *set, char *err,
		 size_t errlen);
/* Resets and enables the available events. Returns 0 or -errno. */
int perfctr_start(struct perfctr_set *set);
/*
 * Disables and reads the events. Returns a new JSON object with one key per
 * event: the count (an integer), or {"unavailable": "ENAME: reason"}; a
 * counter that was multiplexed carries {"value", "enabled_ns",
 * "running_ns"} instead of a bare integer. NULL only on -ENOMEM.
 */
json_t *perfctr_stop_read(struct perfctr_set *set);
void perfctr_close(struct perfctr_set *set);

/* Where names come from: "libpfm4 (API 4)" or "built-in table (no libpfm4)". */
const char *perfctr_encoder(void);
/* Prints the event names this machine can encode, one per line. */
void perfctr_list(FILE *f);

#endif
