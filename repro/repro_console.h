/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel reports as text (see repro/console.c). */
#ifndef HMMBENCH_REPRO_CONSOLE_H
#define HMMBENCH_REPRO_CONSOLE_H

#include <jansson.h>

#include "kmsg.h"

/*
 * The first kernel report on a serial console log (lines stamped
 * "[ seconds] "), without the stamps, up to its end marker or 80 lines;
 * malloc'ed, or NULL with *@kind KMSG_NONE when there is none.
 */
char *repro_console_report(const char *console, enum kmsg_kind *kind);
/* The same from @console on; *@next: where the search may go on. */
char *repro_console_report_at(const char *console, enum kmsg_kind *kind, const char **next);
/* The functions a report names: the RIP's first, then its call trace. */
json_t *repro_report_functions(const char *text);
/*
 * The first dmirror_* function of @functions, else the first, without the
 * compiler's suffix (.constprop.0, .isra.0, .part.0, .cold), which differs
 * between builds of the same source: into @buf, or NULL if there is none.
 */
const char *repro_key_function(json_t *functions, char *buf, size_t len);
/*
 * Whether a report of @kind with @text is the failure wanted: of the same
 * class as @want_kind (oops-like, lockup-like, other; NULL: any) and
 * matching the extended regex @match (NULL: any).
 */
int repro_report_matches(const char *text, enum kmsg_kind kind, const char *want_kind,
			 const char *match);

#endif
