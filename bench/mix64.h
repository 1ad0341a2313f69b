/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HMMBENCH_MIX64_H
#define HMMBENCH_MIX64_H

#include <stdint.h>

/*
 * splitmix64's finaliser: cheap, and every input bit moves every output
 * bit. The page patterns (bench/buffer.c, stress/integrity.c) and the
 * stress operation streams (stress/ops.c) are all built on it.
 */
static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

#endif
