// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel reports as text: finding the first one on a serial console,
 * naming the functions it shows (RIP first, then the call trace) and
 * telling whether a report is the one a reproducer is after.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "kmsg.h"
#include "repro_console.h"

/*
 * A soft lockup with every CPU's backtrace (softlockup_all_cpu_backtrace)
 * runs to about 45 lines per CPU.
 */
#define REPORT_MAX_LINES 200

/* The log line without the console's "[   12.345678] " stamp. */
static const char *unstamp(const char *line)
{
	const char *p = line;

	if (*p != '[')
		return line;
	p++;
	while (*p == ' ')
		p++;
	while ((*p >= '0' && *p <= '9') || *p == '.')
		p++;
	if (*p != ']')
		return line;
	return p[1] == ' ' ? p + 2 : p + 1;
}

/* Lines of the console that belong to the kernel (stamped). */
static int stamped(const char *line)
{
	return unstamp(line) != line;
}

char *repro_console_report(const char *console, enum kmsg_kind *kind)
{
	return repro_console_report_at(console, kind, NULL);
}

char *repro_console_report_at(const char *console, enum kmsg_kind *kind, const char **next)
{
	const char *line = console, *start = NULL;
	size_t lines = 0, cap = 0, used = 0;
	char *out = NULL;

	*kind = KMSG_NONE;
	for (; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] == '\n')) {
		size_t n = strcspn(line, "\n");
		char buf[512];

		if (!stamped(line))
			continue;
		snprintf(buf, sizeof(buf), "%.*s", (int)(n < sizeof(buf) ? n : sizeof(buf) - 1), line);
		if (!start) {
			*kind = kmsg_classify(unstamp(buf));
			if (*kind == KMSG_NONE)
				continue;
			start = line;
		}
		if (used + n + 2 > cap) {
			char *p = realloc(out, cap = 2 * cap + n + 256);

			if (!p)
				break;
			out = p;
		}
		used += sprintf(out + used, "%s\n", unstamp(buf));
		if (strstr(buf, "---[ end trace") || ++lines >= REPORT_MAX_LINES) {
			line += n + (line[n] == '\n');
			break;
		}
	}
	if (next)
		*next = line;
	return out;
}

/* "RIP: 0010:dmirror_do_read+0x5a/0x120" and " dmirror_read+0x8c/0x1a0". */
static int function_of(const char *line, char *name, size_t len)
{
	const char *p = strstr(line, "RIP: ");
	size_t n;

	if (p) {
		p = strchr(p, ':');
		if (!p || !(p = strchr(p + 1, ':')))
			return 0;
		p++;
	} else {
		p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		/*
		 * "? " marks an entry the unwinder is unsure of; without frame
		 * pointers or ORC (tinyconfig) every entry is one, so keep them.
		 */
		if (*p == '?' && p[1] == ' ')
			p += 2;
		if (*p == '<')
			return 0;	/* <IRQ>, <TASK> */
	}
	n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");
	if (!n || p[n] != '+' || strncmp(p + n, "+0x", 3) || !strchr(p + n, '/'))
		return 0;
	snprintf(name, len, "%.*s", (int)n, p);
	return 1;
}

json_t *repro_report_functions(const char *text)
{
	json_t *arr = json_array();
	const char *line = text;
	char name[128];

	for (; line && *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] == '\n')) {
		char buf[512];
		size_t n = strcspn(line, "\n"), i;
		json_t *v;
		int dup = 0;

		snprintf(buf, sizeof(buf), "%.*s", (int)(n < sizeof(buf) ? n : sizeof(buf) - 1), line);
		if (!function_of(buf, name, sizeof(name)))
			continue;
		json_array_foreach(arr, i, v)
			dup |= !strcmp(json_string_value(v), name);
		if (!dup && json_array_size(arr) < 32)
			json_array_append_new(arr, json_string(name));
	}
	return arr;
}

const char *repro_key_function(json_t *functions, char *buf, size_t len)
{
	const char *name = json_string_value(json_array_get(functions, 0));
	size_t i;
	json_t *v;

	json_array_foreach(functions, i, v)
		if (!strncmp(json_string_value(v), "dmirror_", 8)) {
			name = json_string_value(v);
			break;
		}
	if (!name)
		return NULL;
	snprintf(buf, len, "%.*s", (int)strcspn(name, "."), name);
	return buf;
}

/* Oopses and memory-safety reports vs. lockups and stalls vs. the rest. */
static int kind_class(enum kmsg_kind k)
{
	switch (k) {
	case KMSG_BUG: case KMSG_OOPS: case KMSG_KASAN: case KMSG_PANIC:
		return 1;
	case KMSG_SOFT_LOCKUP: case KMSG_RCU_STALL: case KMSG_HUNG_TASK:
		return 2;
	default:
		return 3;
	}
}

int repro_report_matches(const char *text, enum kmsg_kind kind, const char *want_kind,
			 const char *match)
{
	regex_t re;
	int ok;

	if (!text || kind == KMSG_NONE)
		return 0;
	if (want_kind && *want_kind) {
		enum kmsg_kind k;

		for (k = KMSG_NONE + 1; k < KMSG_KIND_COUNT; k++)
			if (!strcmp(kmsg_kind_name(k), want_kind))
				break;
		if (k < KMSG_KIND_COUNT && kind_class(k) != kind_class(kind))
			return 0;
	}
	if (!match || !*match)
		return 1;
	if (regcomp(&re, match, REG_EXTENDED | REG_NOSUB))
		return 0;
	ok = !regexec(&re, text, 0, NULL, 0);
	regfree(&re);
	return ok;
}
