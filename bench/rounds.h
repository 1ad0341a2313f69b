/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rounds: the order in which interleaved cases take their samples. Every
 * round visits each case still active once; the order is the cases' own
 * order rotated by one more place each round, so every case is first (and
 * last) equally often and slow drift of the host lands on all of them
 * alike instead of becoming a difference between them. A case leaves the
 * rotation when it stops; the rest keep rotating among themselves.
 *
 * Pure bookkeeping, no device: tests/unit/test_rounds.c checks it.
 */
#ifndef HMMBENCH_ROUNDS_H
#define HMMBENCH_ROUNDS_H

#define ROUNDS_MAX 64

struct rounds {
	unsigned int n;			/* cases, active or not */
	unsigned int round;		/* rounds handed out so far */
	unsigned char active[ROUNDS_MAX];
};

/* All @n cases active; -1 if @n is 0 or above ROUNDS_MAX. */
int rounds_init(struct rounds *rs, unsigned int n);
/*
 * Fills @order with the next round's active cases (indices into the
 * original order) and returns how many; 0 once every case has stopped.
 */
unsigned int rounds_next(struct rounds *rs, unsigned int *order);
/* Case @i leaves the rotation (it stopped or failed). */
void rounds_drop(struct rounds *rs, unsigned int i);
unsigned int rounds_active(const struct rounds *rs);

#endif
