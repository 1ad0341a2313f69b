// SPDX-License-Identifier: GPL-2.0
/*
 * interleave=true for bench=migrate: a job's cases take turns, one round
 * trip each per round, so a host that drifts (load, TCG warming up) moves
 * every case's samples alike rather than whichever case ran later.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "migrate.h"
#include "rounds.h"

void bench_migrate_rounds(struct bench_ctx *ctx, const struct migrate_job *jobs,
			  unsigned int n, struct migrate_result *res, int *rets)
{
	struct migrate_run *run = calloc(n, sizeof(*run));
	unsigned int order[ROUNDS_MAX], k;
	struct rounds rs;

	if (!run || rounds_init(&rs, n)) {
		for (unsigned int i = 0; i < n; i++) {
			memset(&res[i], 0, sizeof(res[i]));
			rets[i] = run ? -EINVAL : -ENOMEM;
		}
		free(run);
		return;
	}
	/*
	 * Every buffer is set up before the first round: all of them live
	 * for the whole job, which is the memory cost of interleaving.
	 */
	for (unsigned int i = 0; i < n; i++) {
		rets[i] = migrate_start(ctx, &jobs[i], &res[i], &run[i]);
		if (rets[i])
			rounds_drop(&rs, i);
	}
	/*
	 * After SIGINT each remaining case's next step records
	 * STOP_INTERRUPTED and ends it, so the loop drains in one round.
	 */
	while ((k = rounds_next(&rs, order)))
		for (unsigned int i = 0; i < k; i++)
			if (migrate_step(ctx, &run[order[i]]))
				rounds_drop(&rs, order[i]);
	for (unsigned int i = 0; i < n; i++) {
		if (!rets[i])
			rets[i] = run[i].ret;
		migrate_finish(&run[i]);
	}
	free(run);
}
