/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runs as KernelCI's common database (KCIDB) takes them: I/O schema v5.3
 * (kernelci/kcidb-io, kcidb_io/schema/v05_03.py), one JSON document with
 *
 *   checkouts  one per kernel source (and patch series): its id is the
 *              source id scripts/kernel-build recorded (a Debian package
 *              version, a git commit, a tree), else the release;
 *   builds     one per source and config: the config's sha256 as the run
 *              recorded it, else kernel-build's config inputs, else unknown;
 *   tests      one per summary record of every run: path
 *              "hmmbench.<bench>.<params>.<metric>", status DONE (a
 *              measurement, not a verdict), number {value: the median,
 *              unit}; the rest of the statistics in misc. A capability the
 *              kernel lacked is a SKIP test with the reason; a stress
 *              scenario is PASS, FAIL, SKIP or ERROR.
 *
 * Every id starts with the origin ("hmmbench" unless told otherwise), as
 * KCIDB requires; a test's id holds its run's directory name, which is
 * unique across machines (scripts/matrix, import-lava), so the exports of
 * many labs merge.
 */
#ifndef HMMBENCH_KCIDB_H
#define HMMBENCH_KCIDB_H

#include <stddef.h>

#include <jansson.h>

#include "reader.h"

#define KCIDB_MAJOR 5
#define KCIDB_MINOR 3

/* Whether @origin is a KCIDB origin: [a-z0-9_]+. */
int kcidb_origin_ok(const char *origin);

/*
 * The document for every run of @set. NULL with a one-line reason in @err
 * when a run's records cannot be read again.
 */
json_t *kcidb_export(const struct rs_set *set, const char *origin, char *err,
		     size_t errlen);

#endif
