/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The null backend: a "device" made of this process's own memory, so that
 * benchmarks and stress workers can be tested in milliseconds without a
 * kernel module, as fio's engines/null.c lets fio's core run without a
 * disk. It is for tests only: hmm_backend_find() does not know it, and no
 * number measured on it says anything about a kernel.
 *
 * Its model of device-private memory: migrating a page to the "device"
 * memcpy()s it into device storage and makes the page PROT_NONE, so that a
 * CPU access faults and the fault brings the page back (a SIGSEGV handler
 * does what the kernel's migrate_to_ram would), a whole 2 MiB unit at once
 * when it moved as one PMD. A PMD-aligned chunk moves as one PMD entry when
 * the range covers it, its mapping was advised MADV_HUGEPAGE (the model of
 * "a THP formed there"), and HMM_CAP_THP_PMD is on. FAIL_ALLOC makes the
 * next allocation fail once: a THP chunk then splits (and is advised
 * MADV_NOHUGEPAGE, as a split THP stays split), a 4 KiB page stays behind.
 * SNAPSHOT reports what it did in test_hmm's HMM_PAGE_* values.
 * Device READ and WRITE go through the device storage.
 *
 * The device path selects the model: "null" has every capability but
 * dev-coherent; ",no-CAP" switches one off (cap names as hmm_cap_name()
 * gives them, e.g. "null,no-dev-rw,no-fail-alloc"); ",corrupt" flips a
 * byte of the first page each migration to system memory brings back, so
 * tests can see that a check catches it. ",bus" gives it a bus copy
 * (copy_bus) that is a memcpy between two heap buffers: it stands in for
 * the ops table so that copyceil's bus case and bus_fraction can be
 * tested; its times are this CPU's memcpy, never a device's bus. Without
 * ",bus" copy_bus refuses, as test_hmm's does.
 *
 * Limits: it does not see munmap, mremap, mprotect or fork of the pages it
 * holds (stress scenarios with VMA changes cannot run on it); a mapping
 * replaced under pages it holds is noticed when the first of them reads
 * fine again.
 */
#ifndef HMMBENCH_NULL_H
#define HMMBENCH_NULL_H

#include <stdint.h>

#include "backend.h"

extern const struct hmm_backend_ops null_backend;

/* What a null device did, for tests to check against the records. */
struct null_stats {
	uint64_t calls[HMM_OP_COUNT];
	uint64_t pages_to_dev, pmds_to_dev, pages_to_sys, pmds_to_sys;
	uint64_t cpu_faults;		/* units brought back by a CPU access */
	uint64_t splits;		/* THPs split by an injected failure */
	uint64_t pages_left_behind;	/* 4 KiB pages an injected failure kept */
};

void null_dev_stats(const struct hmm_dev *dev, struct null_stats *st);

#endif
