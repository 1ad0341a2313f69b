/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine state a run keeps with its results (mmtests keeps the same):
 * kernel, command line, THP settings, CPU, memory, host, hmmbench build.
 */
#ifndef HMMBENCH_META_H
#define HMMBENCH_META_H

#include <stddef.h>

#include <jansson.h>

/* The metadata record for a run of @suite started by @command_line. */
json_t *meta_collect(const char *suite, const char *command_line,
		     json_t *job);
/* The THP sysfs knobs as {"enabled": "always", ...} (selected values). */
json_t *meta_thp_settings(void);
/* /proc/vmstat counters for THP, migration and compaction. */
json_t *meta_vmstat(void);
/* meta_vmstat() plus the per-size THP stats, "hugepages-2048kB/split". */
json_t *meta_counters(void);
/* @after - @before per counter, only those that moved. */
json_t *meta_counter_delta(json_t *before, json_t *after);
/* Trimmed contents of a small file, or NULL. Caller frees. */
char *meta_read_file(const char *path);
/* A /proc/meminfo field in KiB ("MemAvailable:"), or -1. */
long meta_meminfo_kib(const char *key);
/* "2026-11-24T23:10:59Z" */
void meta_utc_now(char *buf, size_t len);

#endif
