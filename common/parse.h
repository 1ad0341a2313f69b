/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The value grammars every part of hmmbench shares, so that a size, a
 * duration or a count means the same in a job file, on the command line
 * and in a test driver. Each returns 0, -EINVAL for text that does not
 * follow the grammar, or -ERANGE for a value outside what it may be;
 * nothing is stored on an error. Leading or trailing blanks and signs are
 * errors: "+5", " 5" and "5 " are not numbers here.
 */
#ifndef HMMBENCH_PARSE_H
#define HMMBENCH_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define PARSE_SIZE_MAX (1ULL << 40)	/* 1 TiB */

/*
 * A whole number up to @max: decimal ("4096"), or hexadecimal after "0x"
 * ("0x10"). A leading zero does not make it octal.
 */
int parse_uint(const char *s, unsigned long long max, unsigned long long *out);
/*
 * A size in bytes: a number, optionally with a fraction, then K, M or G
 * (powers of 1024), optionally followed by "B" or "iB": "4096", "512K",
 * "2M", "1.5K", "64MiB", "1GB". It must come to a whole number of bytes
 * above 0 and at most PARSE_SIZE_MAX.
 */
int parse_size(const char *s, size_t *out);
/*
 * A duration in seconds: a number, optionally with a fraction, then one
 * of ms, s, m, h, or nothing (seconds): "500ms", "30s", "1.5m", "2h", "45".
 */
int parse_duration(const char *s, double *seconds);
/*
 * parse_duration() in whole milliseconds, at least 1 ms (-EINVAL below,
 * so "0s" is refused) and at most @max_ms (-ERANGE above).
 */
int parse_duration_ms(const char *s, unsigned long long max_ms, unsigned long long *ms);
/* A fraction in (0, 1): "2%" or "0.02". */
int parse_fraction(const char *s, double *out);
/* true, false, 1 or 0. */
int parse_bool(const char *s, int *out);

#endif
