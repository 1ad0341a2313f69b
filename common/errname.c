// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "errname.h"

const char *errno_name(int err)
{
	static __thread char unknown[16];
	const char *name;

	if (err < 0)
		err = -err;
	name = strerrorname_np(err);
	if (name)
		return name;
	snprintf(unknown, sizeof(unknown), "E#%d", err);
	return unknown;
}
