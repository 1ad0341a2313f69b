/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the job-file parser: bench/job.c reads keys, job_values.c values. */
#ifndef HMMBENCH_JOB_INT_H
#define HMMBENCH_JOB_INT_H

#include "job.h"

/* A decimal number up to @max. */
int job_parse_uint(const char *s, unsigned int max, unsigned int *out);
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

#endif
