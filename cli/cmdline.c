// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <limits.h>

#include "backend.h"
#include "cli.h"
#include "escape.h"

/*
 * One line, whatever the message quotes (a path, a release from a records
 * file): its control characters are shown, not sent to the terminal.
 */
void cli_error(const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	fputs("hmmbench: error: ", stderr);
	esc_term(stderr, n < 0 ? "(out of memory formatting the message)" : msg);
	fputc('\n', stderr);
	free(msg);
}

/* Single-quotes anything a shell would split or expand (esc_shell()). */
char *cli_command_line(int argc, char **argv)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	for (int i = 0; i < argc; i++) {
		if (i)
			fputc(' ', f);
		esc_shell(f, argv[i]);
	}
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}


int cli_open_device(struct hmm_dev *dev, const struct hmm_backend_ops *ops,
		    const char *path)
{
	char msg[PATH_MAX * 3 + 600];
	int ret = hmm_dev_open(dev, ops, path);

	if (!ret)
		return 0;
	if (!strcmp(ops->name, "test_hmm") && (ret == -ENOENT || ret == -EACCES))
		cli_explain_missing_test_hmm(path, -ret, msg, sizeof(msg));
	else
		hmm_dev_strerror(dev, HMM_OP_OPEN, ret, msg, sizeof(msg));
	cli_error("%s", msg);
	hmm_dev_close(dev);
	return ret;
}
