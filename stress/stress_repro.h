/* SPDX-License-Identifier: GPL-2.0 */
/* A failed stress scenario as a standalone reproducer (stress_repro.c). */
#ifndef HMMBENCH_STRESS_REPRO_H
#define HMMBENCH_STRESS_REPRO_H

#include "repro.h"
#include "stress_runner.h"

/* Notes how many operations each thread had begun: the failure is now. */
void stress_oplog_freeze(struct stress_shared *sh);
/* The scenario's run so far as a reproducer model. 0 or -ENOMEM. */
int stress_build_repro(const struct stress_config *cfg, const struct stress_result *res,
		       struct repro *r);
/*
 * The operations @nops per thread that stress would run for @seed in
 * scenario @sc, drawn without running them (a seed fixes every thread's
 * sequence): a reproducer of a run that never happened here, e.g. one
 * reported from a faster machine. 0 or -ENOMEM.
 */
int stress_repro_from_seed(const struct stress_scenario *sc, unsigned int sc_index,
			   uint64_t seed, unsigned int threads, unsigned int nops,
			   struct repro *r);
/*
 * Writes DIR/repro-SCENARIO/repro.json and repro.c for a failed scenario
 * (or any, with --repro always) and sets @res->repro_dir. 0, or -1 after
 * saying why on stderr.
 */
int stress_write_repro(const struct stress_env *env, const struct stress_config *cfg,
		       struct stress_result *res);

#endif
