// SPDX-License-Identifier: GPL-2.0
/*
 * The operation generator: one splitmix64 stream per (seed, scenario,
 * thread, life), a fixed number of draws per operation, so that the same
 * seed replays the same sequence whatever the kernel answered.
 */
#include <stdio.h>
#include <string.h>

#include "mix64.h"
#include "pagestate.h"
#include "stress.h"

void stress_rng_init(struct stress_rng *r, uint64_t seed, unsigned int scenario,
		     unsigned int thread, unsigned int life)
{
	r->state = mix64(seed ^ mix64(((uint64_t)scenario << 48) |
				      ((uint64_t)life << 24) | thread));
}

uint64_t stress_rng_next(struct stress_rng *r)
{
	return mix64_next(&r->state);
}

static unsigned int pick_kind(const uint8_t *weights, uint64_t draw)
{
	unsigned int total = 0, k;

	for (k = 0; k < OP_KIND_COUNT; k++)
		total += weights[k];
	if (!total)
		return OP_SNAPSHOT;
	draw %= total;
	for (k = 0; k < OP_KIND_COUNT; k++) {
		if (draw < weights[k])
			return k;
		draw -= weights[k];
	}
	return OP_SNAPSHOT;
}

/*
 * Half the operations take a whole chunk (a THP or 512 small pages), the
 * rest a few pages, a random sub-range (partial THP) or two chunks.
 */
void stress_next_op(struct stress_rng *r, const uint8_t *weights,
		    size_t nchunks, struct stress_op *op)
{
	uint64_t a = stress_rng_next(r), b = stress_rng_next(r);
	uint64_t c = stress_rng_next(r);
	uint32_t chunk = (uint32_t)((b >> 8) % (nchunks ? nchunks : 1));
	uint32_t off = 0, len = PAGES_PER_PMD;

	op->kind = pick_kind(weights, a);
	switch (b & 7) {
	case 4:
	case 5:
		len = 1 + (c & 15);
		off = (uint32_t)((c >> 8) % (PAGES_PER_PMD - len + 1));
		break;
	case 6:
		if (chunk + 1 < nchunks)
			len = 2 * PAGES_PER_PMD;
		break;
	case 7:
		off = (uint32_t)((c >> 8) % PAGES_PER_PMD);
		len = 1 + (uint32_t)((c >> 20) % (PAGES_PER_PMD - off));
		break;
	default:
		break;
	}
	op->first = chunk * PAGES_PER_PMD + off;
	op->npages = len;
	op->arg = stress_rng_next(r);
}

static const char *const op_names[OP_KIND_COUNT] = {
	"migrate-to-dev", "migrate-to-sys", "cpu-read", "cpu-write",
	"dev-read", "dev-write", "exclusive", "snapshot",
	"munmap", "mremap", "mremap-dontunmap", "mprotect",
	"madv-dontneed", "madv-free", "fork", "fail-alloc",
};

const char *stress_op_name(unsigned int kind)
{
	return kind < OP_KIND_COUNT ? op_names[kind] : "unknown";
}

char *stress_op_str(const struct stress_op *op, char *buf, size_t len)
{
	snprintf(buf, len, "%s pages %u+%u arg 0x%016llx",
		 stress_op_name(op->kind), op->first, op->npages,
		 (unsigned long long)op->arg);
	return buf;
}
