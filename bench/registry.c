// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmarks register themselves from constructors in their own files,
 * as fio's engines call register_ioengine(): no central list to edit.
 * They are kept in name order, so every listing is the same on every run.
 */
#include <stdio.h>
#include <string.h>

#include "bench_ops.h"

static const struct bench_ops *head;

/*
 * A static library links only the members something references, and
 * nothing but this list references a benchmark's file: it keeps every
 * benchmark, and so its constructor, in every program that looks one up,
 * whatever the program's link flags (the sanitizer and fuzzer builds).
 */
extern const void *const bench_anchor_copyceil_ops, *const bench_anchor_fault_ops,
	*const bench_anchor_migrate_ops, *const bench_anchor_split_ops;
const void *const *const bench_builtin[] = {
	&bench_anchor_copyceil_ops, &bench_anchor_fault_ops,
	&bench_anchor_migrate_ops, &bench_anchor_split_ops,
};

void bench_register(struct bench_ops *ops)
{
	const struct bench_ops **at = &head;

	while (*at && strcmp((*at)->name, ops->name) < 0)
		at = (const struct bench_ops **)&(*at)->next;
	ops->next = *at;
	*at = ops;
	metric_register(ops->metrics);
}

const struct bench_ops *bench_first(void)
{
	return head;
}

const struct bench_ops *bench_find(const char *name)
{
	for (const struct bench_ops *b = head; b; b = b->next)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

const char *bench_names(void)
{
	static char names[256];

	names[0] = '\0';
	for (const struct bench_ops *b = head; b; b = b->next)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 b == head ? "" : ", ", b->name);
	return names;
}

const struct job_key *bench_key(const struct bench_ops *ops, const char *name)
{
	for (const struct job_key *const *k = ops->keys; *k; k++)
		if (!strcmp((*k)->name, name) || ((*k)->alias && !strcmp((*k)->alias, name)))
			return *k;
	return NULL;
}

unsigned int mask_count(unsigned int mask)
{
	return __builtin_popcount(mask);
}

unsigned int mask_nth(unsigned int mask, unsigned int k)
{
	for (unsigned int bit = 0; bit < 32; bit++)
		if (mask & 1u << bit && !k--)
			return bit;
	return 0;
}
