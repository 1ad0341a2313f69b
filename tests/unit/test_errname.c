// SPDX-License-Identifier: GPL-2.0
/*
 * errno_name() (drivers-ioctl/errname.h): "ENOMEM" for ENOMEM, the same for
 * -ENOMEM, and "E#<n>" for a number libc cannot name. The expected names
 * are the symbolic names of <errno.h>, written out by hand here.
 */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>

#include "errname.h"

Test(errname, enomem)
{
	const char *n = errno_name(ENOMEM);

	cr_assert(n && !strcmp(n, "ENOMEM"),
		  "errno_name(ENOMEM) should be \"ENOMEM\", got \"%s\"", n ? n : "(null)");
}

Test(errname, einval)
{
	const char *n = errno_name(EINVAL);

	cr_assert(n && !strcmp(n, "EINVAL"),
		  "errno_name(EINVAL) should be \"EINVAL\", got \"%s\"", n ? n : "(null)");
}

Test(errname, negative_input_names_the_same_errno)
{
	const char *n = errno_name(-ENOMEM);

	/* Backends return -errno; the name must not depend on the sign. */
	cr_assert(n && !strcmp(n, "ENOMEM"),
		  "errno_name(-ENOMEM) should be \"ENOMEM\", got \"%s\"", n ? n : "(null)");
	n = errno_name(-EBUSY);
	cr_assert(n && !strcmp(n, "EBUSY"),
		  "errno_name(-EBUSY) should be \"EBUSY\", got \"%s\"", n ? n : "(null)");
}

Test(errname, unknown_number)
{
	/* Linux errnos stop well below 4000 (include/uapi/asm-generic/errno.h). */
	const char *n = errno_name(4000);

	cr_assert(n && !strcmp(n, "E#4000"),
		  "errno_name(4000) should be \"E#4000\", got \"%s\"", n ? n : "(null)");
	n = errno_name(-4001);
	cr_assert(n && !strcmp(n, "E#4001"),
		  "errno_name(-4001) should be \"E#4001\" (sign dropped), got \"%s\"",
		  n ? n : "(null)");
}
