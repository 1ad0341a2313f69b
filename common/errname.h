/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HMMBENCH_ERRNAME_H
#define HMMBENCH_ERRNAME_H

/* "ENOMEM" for ENOMEM; "E#1234" for a number libc cannot name. */
const char *errno_name(int err);

#endif
