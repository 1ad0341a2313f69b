// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <string.h>

#include "backend.h"
#include "cli.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("hmmbench: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Single-quotes anything a shell would split or expand. */
char *cli_command_line(int argc, char **argv)
{
	size_t cap = 1;
	char *out, *p;

	for (int i = 0; i < argc; i++)
		cap += 4 * strlen(argv[i]) + 3;
	out = p = malloc(cap);
	if (!out)
		return NULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int plain = *a && !a[strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,%+@")];

		if (i)
			*p++ = ' ';
		if (plain) {
			p = stpcpy(p, a);
			continue;
		}
		*p++ = '\'';
		for (; *a; a++)
			p = *a == '\'' ? stpcpy(p, "'\\''") : (*p = *a, p + 1);
		*p++ = '\'';
	}
	*p = '\0';
	return out;
}


int cli_open_device(struct hmm_dev *dev, const struct hmm_backend_ops *ops,
		    const char *path)
{
	char msg[600];
	int ret = hmm_dev_open(dev, ops, path);

	if (!ret)
		return 0;
	if (!strcmp(ops->name, "test_hmm") && (ret == -ENOENT || ret == -EACCES))
		cli_explain_missing_test_hmm(-ret, msg, sizeof(msg));
	else
		hmm_dev_strerror(dev, HMM_OP_OPEN, ret, msg, sizeof(msg));
	cli_error("%s", msg);
	hmm_dev_close(dev);
	return ret;
}
