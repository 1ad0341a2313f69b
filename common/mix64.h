/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HMMBENCH_MIX64_H
#define HMMBENCH_MIX64_H

#include <stdint.h>

/*
 * splitmix64's finaliser: cheap, and every input bit moves every output
 * bit. The page patterns (common/buffer.c, stress/integrity.c), the
 * stress operation streams (stress/ops.c) and bench/fault's random
 * orders are all built on it.
 */
static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* splitmix64: the next number of the stream whose state is *@state. */
static inline uint64_t mix64_next(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ULL;
	return mix64(*state);
}

#endif
