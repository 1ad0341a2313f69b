/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the fuzz targets and the replay driver (fuzz/replay.c). */
#ifndef HMMBENCH_FUZZ_H
#define HMMBENCH_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A promise the code under test broke: say which, then crash like a bug. */
#define fuzz_require(cond, what)						\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "fuzz: broken promise: %s (%s:%d)\n", \
				what, __FILE__, __LINE__);			\
			abort();						\
		}								\
	} while (0)

#endif
