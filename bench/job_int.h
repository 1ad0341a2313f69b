/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the job-file parser: bench/job.c reads keys, job_values.c values. */
#ifndef HMMBENCH_JOB_INT_H
#define HMMBENCH_JOB_INT_H

#include "job.h"

/* A decimal number up to @max. */
int job_parse_uint(const char *s, unsigned int max, unsigned int *out);
/* true/false/1/0 */
int job_parse_bool(const char *s, int *out);
/* "2M-64M": doubling from the first to the last. */
int job_parse_size_range(const char *v, struct job *j);
/* Splits a comma list and calls @one on each item; -1 on any failure. */
int job_for_each_item(const char *v, int (*one)(const char *, struct job *),
		      struct job *j);
/* One item of sizes=, pages=, direction=, threads= or pressure= ("90%"). */
int job_add_size(const char *s, struct job *j);
int job_add_pages(const char *s, struct job *j);
int job_add_direction(const char *s, struct job *j);
int job_add_threads(const char *s, struct job *j);
int job_add_pressure(const char *s, struct job *j);

/*
 * A job file's text as inih reads it (ini_parse_stream), one counted line
 * at a time, so that every error names its line. The reader also refuses
 * what inih would silently mangle (lines longer than its buffer, NUL bytes)
 * and duplicate section names, which it sees as they go by.
 */
struct job_text {
	const char *start, *next, *end;
	int line;		/* lines handed to inih so far */
	int key_seen;		/* a key since the last header: indented lines continue it */
	struct job_header {
		char name[50];	/* inih's own limit for a section name */
		int line;
	} *headers;
	size_t nheaders;
	char msg[160];		/* the first error, without file:line */
	int msg_line;
	char scratch[48];	/* job_text_trimmed()'s answer */
};

void job_text_init(struct job_text *t, const char *text, size_t len);
void job_text_free(struct job_text *t);
/* An ini_reader: @stream is a struct job_text. */
char *job_text_read(char *buf, int size, void *stream);
/* 1 if line @line starts with '[' (inih's error there is an unclosed header). */
int job_text_is_header(const struct job_text *t, int line);
/* Line @line without surrounding blanks, in a buffer of @t's (40 bytes at most). */
const char *job_text_trimmed(struct job_text *t, int line);
/* Reads a whole job file; a one-line error naming @path otherwise. */
int job_text_load(const char *path, char **text, size_t *len, char *err, size_t errlen);

#endif
