// SPDX-License-Identifier: GPL-2.0
/*
 * From recorder to program, on the host: operations drawn by the stress
 * generator are recorded in the per-thread logs as the workers would,
 * turned into a model by the same code a failed run uses, written out as
 * C, built with nothing but 'gcc -static -pthread repro.c' (warnings as
 * errors), and replayed with -n, where the CPU stands in for each ioctl
 * (there is no test_hmm here): every thread must run exactly its
 * operations per round, every page check must pass. A guest test
 * (tests/vm/repro.sh) runs a generated program against the real driver.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "integrity.h"
#include "oplog.h"
#include "pagestate.h"
#include "repro.h"
#include "stress_repro.h"

static char tmpdir[] = "/tmp/hmmbench-repro-test-XXXXXX";

static void setup(void)
{
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

/* Runs @cmd with the shell; its output in @out. Returns its exit status. */
static int run(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0;
	int st;

	cr_assert_not_null(p);
	while (n + 1 < len && fgets(out + n, (int)(len - n), p))
		n += strlen(out + n);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void need_static_gcc(void)
{
	char cmd[512], out[2048];

	snprintf(cmd, sizeof(cmd), "cd '%s' && printf '#include <pthread.h>\\nint main(void){return 0;}\\n' >t.c && "
		 "gcc -static -pthread -o t t.c 2>&1", tmpdir);
	if (run(cmd, out, sizeof(out)))
		cr_skip_test("gcc cannot link a static program here (install gcc and libc6-dev): %s", out);
}

/* Records @nops operations per thread as stress workers of @scenario would. */
static void record(struct stress_config *cfg, const char *scenario, unsigned int threads,
		   unsigned int nops)
{
	size_t n, npages;
	const struct stress_scenario *all = stress_scenarios(&n);

	memset(cfg, 0, sizeof(*cfg));
	cfg->sc = stress_scenario_find(scenario);
	cr_assert_not_null(cfg->sc);
	cfg->sc_index = (unsigned int)(cfg->sc - all);
	cfg->seed = 42;
	cfg->threads = threads;
	cfg->duration_ms = 2000;
	cfg->watchdog_ms = 30000;
	cfg->sh = stress_shared_alloc(threads);
	cr_assert_not_null(cfg->sh);
	cr_assert_not_null(cfg->sh->oplog.base);
	npages = (size_t)cfg->sc->chunks * PAGES_PER_PMD;
	for (unsigned int t = 0; t < threads; t++) {
		struct stress_rng rng;
		struct stress_op op;

		stress_rng_init(&rng, cfg->seed, cfg->sc_index, t, 0);
		for (unsigned int i = 0; i < nops; i++) {
			stress_next_op(&rng, cfg->sc->weights, cfg->sc->chunks, &op);
			if (op.first + op.npages > npages)
				op.npages = (uint32_t)(npages - op.first);
			oplog_add(oplog_of(&cfg->sh->oplog, t), &op,
				  stress_op_runs_solo(cfg->sc, op.kind) ? OPLOG_SOLO : 0);
		}
	}
}

static void build_and_replay(const char *scenario, unsigned int threads, unsigned int nops)
{
	struct stress_config cfg;
	struct stress_result res = { .status = STRESS_PASS };
	char path[128], err[256], cmd[512], out[8192], want[64];
	struct repro r;

	record(&cfg, scenario, threads, nops);
	cr_assert_eq(stress_build_repro(&cfg, &res, &r), 0);
	cr_assert_eq(r.nthreads, threads);
	cr_assert_eq(r.nchunks, cfg.sc->chunks);
	for (unsigned int c = 0; c < r.nchunks; c++)
		cr_assert_eq(r.thp[c], stress_chunk_is_thp(42, c), "chunk %u's THP advice", c);
	for (unsigned int t = 0; t < threads; t++) {
		cr_assert_eq(r.threads[t].n, nops, "thread %u: every operation recorded", t);
		cr_assert_eq(r.threads[t].per_round, nops);
	}
	snprintf(path, sizeof(path), "%s/repro.c", tmpdir);
	cr_assert_eq(repro_write_c_file(&r, path, err, sizeof(err)), 0, "%s", err);
	snprintf(cmd, sizeof(cmd), "cd '%s' && gcc -static -pthread -O2 -Wall -Wextra -Werror -o repro repro.c 2>&1",
		 tmpdir);
	cr_assert_eq(run(cmd, out, sizeof(out)), 0, "repro.c does not build alone:\n%s", out);
	snprintf(cmd, sizeof(cmd), "cd '%s' && ./repro -n -r 2 -t 600 2>&1", tmpdir);
	cr_assert_eq(run(cmd, out, sizeof(out)), 0, "the replay failed:\n%s", out);
	snprintf(want, sizeof(want), "REPRO-PASS: 2 rounds, %u operations", 2 * threads * nops);
	cr_assert(strstr(out, want), "expected '%s' in:\n%s", want, out);
	for (unsigned int t = 0; t < threads; t++) {
		snprintf(want, sizeof(want), "thread %u ran %u operations", t, 2 * nops);
		cr_assert(strstr(out, want), "expected '%s' in:\n%s", want, out);
	}
	repro_free(&r);
	stress_shared_free(cfg.sh, threads);
}

TestSuite(repro_gen, .init = setup, .fini = teardown, .timeout = 120);

Test(repro_gen, vma_churn_builds_alone_and_replays_every_operation)
{
	need_static_gcc();
	build_and_replay("vma-churn", 3, 60);
}

Test(repro_gen, device_access_and_fail_alloc_build_alone_and_replay)
{
	need_static_gcc();
	build_and_replay("fail-alloc-race", 2, 50);
}

Test(repro_gen, a_short_list_repeats_to_the_recorded_length)
{
	struct repro r;
	struct repro_op op = { OP_CPU_WRITE, 0, 512, 8, 0 };
	char path[128], err[256], cmd[512], out[4096];

	need_static_gcc();
	repro_init(&r);
	snprintf(r.scenario, sizeof(r.scenario), "test");
	r.nchunks = 2;
	r.nthreads = 1;
	r.threads = calloc(1, sizeof(*r.threads));
	cr_assert_eq(repro_add_op(&r, 0, &op), 0);
	op.kind = OP_CPU_READ;
	cr_assert_eq(repro_add_op(&r, 0, &op), 0);
	r.threads[0].per_round = 9;	/* as if minimized from 9 */
	snprintf(path, sizeof(path), "%s/repro.c", tmpdir);
	cr_assert_eq(repro_write_c_file(&r, path, err, sizeof(err)), 0, "%s", err);
	snprintf(cmd, sizeof(cmd), "cd '%s' && gcc -static -pthread -o repro repro.c 2>&1 && ./repro -n -r 1 -v 2>&1",
		 tmpdir);
	cr_assert_eq(run(cmd, out, sizeof(out)), 0, "%s", out);
	cr_assert(strstr(out, "thread 0 ran 9 operations"), "2 operations repeated to 9:\n%s", out);
	cr_assert(strstr(out, "thread 0 #1: cpu-read pages 512+8"), "-v names each:\n%s", out);
	repro_free(&r);
}

Test(repro_gen, a_seed_draws_what_stress_would_run)
{
	size_t n;
	const struct stress_scenario *all = stress_scenarios(&n);
	const struct stress_scenario *sc = stress_scenario_find("vma-churn");
	struct repro r;
	char buf[96];

	cr_assert_not_null(sc);
	cr_assert_eq(stress_repro_from_seed(sc, (unsigned int)(sc - all), 42, 4, 1500, &r), 0);
	cr_assert_eq(r.nthreads, 4);
	cr_assert_eq(r.threads[3].n, 1500);
	/* The lockup of issue 17: thread 0 hung in operation #1414. */
	cr_assert_str_eq(repro_op_str(&r.threads[0].ops[1414], buf, sizeof(buf)),
			 "mprotect 4096+1024 0x8f33887bdaf1731f",
			 "seed 42's thread 0 #1414 is the mprotect the issue names: %s", buf);
	repro_free(&r);
}

/* Counts "REPRO: opened" lines of 3 rounds against /dev/null (every ioctl fails). */
static unsigned int opens_in_three_rounds(int keep_open)
{
	struct repro r;
	struct repro_op op = { OP_CPU_WRITE, 0, 0, 8, 0 };
	char path[128], err[256], cmd[512], out[8192];
	unsigned int n = 0;

	repro_init(&r);
	snprintf(r.scenario, sizeof(r.scenario), "test");
	r.nchunks = 1;
	r.nthreads = 1;
	r.keep_open = keep_open;
	r.threads = calloc(1, sizeof(*r.threads));
	cr_assert_eq(repro_add_op(&r, 0, &op), 0);
	snprintf(path, sizeof(path), "%s/repro.c", tmpdir);
	cr_assert_eq(repro_write_c_file(&r, path, err, sizeof(err)), 0, "%s", err);
	snprintf(cmd, sizeof(cmd), "cd '%s' && gcc -static -pthread -o repro repro.c 2>&1 && ./repro -d /dev/null -r 3 -v 2>&1",
		 tmpdir);
	cr_assert_eq(run(cmd, out, sizeof(out)), 0, "%s", out);
	cr_assert(strstr(out, "REPRO-PASS: 3 rounds"), "%s", out);
	for (const char *p = out; (p = strstr(p, "REPRO: opened /dev/null")); p++)
		n++;
	repro_free(&r);
	return n;
}

Test(repro_gen, keep_open_opens_the_device_once_for_all_rounds)
{
	need_static_gcc();
	cr_assert_eq(opens_in_three_rounds(0), 3, "a round opens and closes the device");
	cr_assert_eq(opens_in_three_rounds(1), 1, "keep_open: one open, whatever the rounds");
}
