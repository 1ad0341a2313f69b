/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The result record format: JSON Lines, one object per line, each with
 * "schema" and "type". A run directory holds records.jsonl whose first
 * record is the run's metadata; samples follow as they are measured, so a
 * run that dies mid-way keeps everything it measured.
 *
 *   DIR/<kernel-release>/<run-id>/records.jsonl
 *   DIR/<kernel-release>/<run-id>/reproduce.sh
 */
#ifndef HMMBENCH_RECORD_H
#define HMMBENCH_RECORD_H

#include <limits.h>
#include <stdio.h>

#include <jansson.h>

#define RECORD_SCHEMA 1

struct rec_writer {
	FILE *f;
	char dir[PATH_MAX];
	char path[PATH_MAX];
};

/*
 * Creates @outdir/@release/@run_id/ (and parents) and opens records.jsonl.
 * On failure returns -errno and writes a one-line reason into @err.
 */
int rec_open_run(struct rec_writer *w, const char *outdir,
		 const char *release, const char *run_id,
		 char *err, size_t errlen);
/* Stamps the schema, writes one line and flushes it; steals @rec. */
int rec_write(struct rec_writer *w, json_t *rec);
int rec_close(struct rec_writer *w);

/* A fresh record {"schema": N, "type": @type}. */
json_t *rec_new(const char *type);

/*
 * Reads a records file, calling @fn for each record. Stops at the first
 * bad line with a one-line error in @err naming the file and line: not
 * JSON, not an object, no schema or type, or a schema newer than ours.
 * A file whose last line is cut off (a crash mid-write) is reported too,
 * but every record before it has been handed to @fn already.
 */
typedef int (*rec_visit_fn)(json_t *rec, size_t line, void *arg);
int rec_read_file(const char *path, rec_visit_fn fn, void *arg,
		  char *err, size_t errlen);

#endif
