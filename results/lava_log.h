/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reads what a guest of scripts/initramfs --results console wrote to its
 * console (see scripts/vm-init): the files of its results directory, each
 * gzip'd and base64'd between markers, and its exit status.
 *
 * The console text comes from either
 * - a LAVA job log: lava-run's standard error or a LAVA server's
 *   output.yaml, one YAML flow mapping a line,
 *     - {"dt": "...", "lvl": "target", "msg": "HMMBENCH_FILE: H4sI..."}
 *   of which only the "target" lines (the device's console) count; or
 * - a plain console log (a serial capture, vm-run's console.log).
 * Markers are found anywhere in a line, so a prefix a capture tool adds
 * does no harm; a damaged file (a kernel message inside a data line, a
 * lost line) fails gzip's CRC or length check and is an error naming it.
 */
#ifndef HMMBENCH_LAVA_LOG_H
#define HMMBENCH_LAVA_LOG_H

#include <stdio.h>

#define LAVA_FILE_BEGIN "HMMBENCH_FILE_BEGIN "
#define LAVA_FILE_DATA "HMMBENCH_FILE: "
#define LAVA_FILE_END "HMMBENCH_FILE_END "
#define LAVA_FILES_DONE "HMMBENCH_FILES_DONE "

struct lava_file {
	char *path;		/* relative to the guest's /results */
	unsigned char *data;	/* decoded; NUL-terminated for convenience */
	size_t len;
};

struct lava_capture {
	struct lava_file *files;
	size_t nfiles;
	long files_done;	/* HMMBENCH_FILES_DONE's count, -1: never seen */
	int exit_status;	/* HMMBENCH_VM_EXIT=, -1: never seen */
	char vm_error[256];	/* HMMBENCH_VM_ERROR's text, if any */
	size_t lines;		/* console lines read */
	int lava;		/* the input was a LAVA log */
};

/*
 * The console line a LAVA log line carries, unescaped into @out: 1 for a
 * "target" line, 0 for another level, -1 when @line is no LAVA log line.
 */
int lava_log_target(const char *line, char *out, size_t outlen);

/*
 * Reads @f (named @name in errors) into @c (which the caller zeroes).
 * Returns 0, or -1 with a one-line reason in @err.
 */
int lava_capture_read(FILE *f, const char *name, struct lava_capture *c,
		      char *err, size_t errlen);
void lava_capture_free(struct lava_capture *c);

/* Decodes base64 @in (whitespace ignored) into @out; the length, or -1. */
long lava_base64_decode(const char *in, size_t len, unsigned char *out);

#endif
