// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "rounds.h"

int rounds_init(struct rounds *rs, unsigned int n)
{
	if (!n || n > ROUNDS_MAX)
		return -1;
	memset(rs, 0, sizeof(*rs));
	rs->n = n;
	memset(rs->active, 1, n);
	return 0;
}

unsigned int rounds_active(const struct rounds *rs)
{
	unsigned int k = 0;

	for (unsigned int i = 0; i < rs->n; i++)
		k += rs->active[i];
	return k;
}

unsigned int rounds_next(struct rounds *rs, unsigned int *order)
{
	unsigned int live[ROUNDS_MAX], k = 0, shift;

	for (unsigned int i = 0; i < rs->n; i++)
		if (rs->active[i])
			live[k++] = i;
	if (!k)
		return 0;
	/*
	 * Rotate among the active cases, not all of them: skipping stopped
	 * ones in a rotation of the full list would make whichever active
	 * case follows a stopped one first more often than the others.
	 */
	shift = rs->round++ % k;
	for (unsigned int i = 0; i < k; i++)
		order[i] = live[(shift + i) % k];
	return k;
}

void rounds_drop(struct rounds *rs, unsigned int i)
{
	if (i < rs->n)
		rs->active[i] = 0;
}
