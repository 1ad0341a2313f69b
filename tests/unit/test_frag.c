// SPDX-License-Identifier: GPL-2.0
/*
 * failure=fragmented's pure parts: counting free 2 MiB blocks in
 * /proc/buddyinfo, choosing the blocks to poison from pagemap PFNs, and
 * saving and restoring system knobs (in a temporary directory), also by
 * the guardian when its parent never says it restored them.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "frag.h"
#include "sysknob.h"

Test(frag, free_blocks_count_orders_9_and_up_in_2M_units)
{
	/* Orders 0..10; order 9 is one 2 MiB block, order 10 is two. */
	const char *text =
		"Node 0, zone      DMA      1      1      1      0      2      1      1      0      1      1      3 \n"
		"Node 0, zone    DMA32    914    913    914    910    913    910    912    913    912      2     10 \n";

	cr_assert_eq(frag_free_blocks(text), (1 + 3 * 2) + (2 + 10 * 2),
		     "DMA: 1 + 3*2, DMA32: 2 + 10*2 blocks");
	cr_assert_eq(frag_free_blocks("Node 0, zone   Normal   5 4 3\n"), 0,
		     "a zone with orders below 9 only has no free block");
	cr_assert_eq(frag_free_blocks(""), 0);
}

/* PFNs of @n pages starting at block @block, page @first within it. */
static void fill(uint64_t *pfn, size_t n, uint64_t block, uint64_t first)
{
	for (size_t i = 0; i < n; i++)
		pfn[i] = block * FRAG_BLOCK_PAGES + first + i;
}

Test(frag, choose_keeps_one_page_in_each_whole_block_only)
{
	size_t n = 3 * FRAG_BLOCK_PAGES + 10;
	uint64_t *pfn = calloc(n, sizeof(*pfn));
	uint8_t *keep = calloc(n, 1);
	size_t kept = 0;

	/* Block 7 whole, 10 pages of block 3, block 5 whole, block 9 all but one page. */
	fill(pfn, FRAG_BLOCK_PAGES, 7, 0);
	fill(pfn + FRAG_BLOCK_PAGES, 10, 3, 100);
	fill(pfn + FRAG_BLOCK_PAGES + 10, FRAG_BLOCK_PAGES, 5, 0);
	fill(pfn + 2 * FRAG_BLOCK_PAGES + 10, FRAG_BLOCK_PAGES, 9, 0);
	pfn[n - 1] = 0;		/* not present: block 9 is not whole */
	cr_assert_eq(frag_choose(pfn, n, 100, keep, NULL), 2, "blocks 5 and 7 are the whole ones");
	for (size_t i = 0; i < n; i++)
		kept += keep[i];
	cr_assert_eq(kept, 2, "one page kept per chosen block");
	cr_assert(keep[0] && keep[FRAG_BLOCK_PAGES + 10], "the first page of blocks 7 and 5");

	memset(keep, 0, n);
	cr_assert_eq(frag_choose(pfn, n, 1, keep, NULL), 1, "no more than asked for");
	cr_assert(keep[FRAG_BLOCK_PAGES + 10], "lowest block first: 5 before 7");
	memset(keep, 0, n);
	cr_assert_eq(frag_choose(pfn, n, 0, keep, NULL), 0, "level 0 poisons nothing");

	size_t partial = 0;
	memset(keep, 0, n);
	cr_assert_eq(frag_choose(pfn, n, 1, keep, &partial), 1);
	cr_assert_eq(partial, 2, "blocks 3 and 9 are partly ours");
	cr_assert(keep[FRAG_BLOCK_PAGES] && keep[2 * FRAG_BLOCK_PAGES + 10],
		  "their first pages are kept; the whole block 7 beyond @want is not");
	cr_assert(!keep[0]);
	free(pfn);
	free(keep);
}

static char dir[64];

static void make_knob(const char *rel, const char *content)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	f = fopen(path, "w");
	cr_assert_not_null(f, "create %s", path);
	fputs(content, f);
	fclose(f);
}

static const char *knob_value(const char *rel)
{
	static char val[64];
	char path[256];

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	cr_assert_eq(sysknob_read(path, val, sizeof(val)), 0, "read %s", path);
	return val;
}

static void setup_dir(void)
{
	char path[128];

	snprintf(dir, sizeof(dir), "/tmp/hmmbench-knobs.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/vm", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	make_knob("/vm/a", "1\n");
	make_knob("/vm/defrag", "always defer [madvise] never\n");
}

static void teardown_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		cr_log_warn("could not remove %s", dir);
}

TestSuite(sysknob, .init = setup_dir, .fini = teardown_dir);

Test(sysknob, restore_all_puts_every_old_value_back)
{
	struct sysknob_set s;
	char list[256];

	sysknob_init(&s, dir);
	cr_assert_eq(sysknob_set(&s, "/vm/a", "0"), 0);
	cr_assert_eq(sysknob_set(&s, "/vm/defrag", "never"), 0);
	cr_assert_eq(sysknob_set(&s, "/vm/missing", "0"), 1, "an absent knob is skipped, not an error");
	cr_assert_str_eq(knob_value("/vm/a"), "0", "the new value was written");
	cr_assert_str_eq(s.knob[1].old, "madvise", "a selection list saves the selected value");
	cr_assert_eq(sysknob_restore_all(&s), 0);
	cr_assert_str_eq(knob_value("/vm/a"), "1");
	cr_assert_str_eq(knob_value("/vm/defrag"), "madvise");
	cr_assert(s.knob[0].restored && s.knob[1].restored);
	cr_assert_str_eq(sysknob_restored_str(&s, list, sizeof(list)), "/vm/a=1, /vm/defrag=madvise");
}

Test(sysknob, guardian_restores_when_the_parent_never_says_it_did)
{
	struct sysknob_set s;
	int status;

	sysknob_init(&s, dir);
	cr_assert_eq(sysknob_guard(&s), 0, "fork the guardian");
	cr_assert_eq(sysknob_set(&s, "/vm/a", "0"), 0);
	cr_assert_eq(sysknob_set(&s, "/vm/defrag", "never"), 0);
	/* What the guardian sees when its parent dies: EOF, no "restored". */
	close(s.pipe_fd);
	cr_assert_eq(waitpid(s.guardian, &status, 0), s.guardian);
	cr_assert(WIFEXITED(status) && !WEXITSTATUS(status), "the guardian exits cleanly");
	cr_assert_str_eq(knob_value("/vm/a"), "1", "the guardian wrote the old value back");
	cr_assert_str_eq(knob_value("/vm/defrag"), "madvise");
}

Test(sysknob, guardian_leaves_knobs_alone_after_a_normal_restore)
{
	struct sysknob_set s;
	char other[sizeof(s.root)];

	sysknob_init(&s, dir);
	cr_assert_eq(sysknob_guard(&s), 0);
	cr_assert_eq(sysknob_set(&s, "/vm/a", "0"), 0);
	/*
	 * The parent restores a copy elsewhere; only a guardian that ignored
	 * "restored" would still write the original back to 1.
	 */
	snprintf(other, sizeof(other), "%s/vm/vm", dir);
	cr_assert_eq(mkdir(other, 0755), 0);
	make_knob("/vm/vm/a", "0\n");
	snprintf(s.root, sizeof(s.root), "%s/vm", dir);
	cr_assert_eq(sysknob_restore_all(&s), 0, "restores, tells the guardian, reaps it");
	cr_assert_eq(s.guardian, 0, "the guardian was reaped");
	cr_assert_str_eq(knob_value("/vm/vm/a"), "1", "the parent restored (the copy)");
	cr_assert_str_eq(knob_value("/vm/a"), "0", "the guardian wrote nothing after 'restored'");
}
