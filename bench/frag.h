/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical fragmentation for bench/split's failure=fragmented: makes a
 * chosen fraction of this machine's free 2 MiB blocks unusable for order-9
 * allocations without any driver's help.
 *
 * Order-0 page faults take the buddy allocator's smallest free pieces
 * first and break up whole 2 MiB blocks only after those are gone. So a
 * large MADV_NOHUGEPAGE area is faulted in until enough whole blocks were
 * consumed; /proc/self/pagemap gives each page's PFN; in every chosen
 * block whose 512 pages all became ours, one page is kept (mlocked, so
 * that with vm.compact_unevictable_allowed=0 compaction cannot move it
 * away and rebuild the block) and the other 511 are given back. The
 * memory stays free for 4 KiB fallback allocations; no 2 MiB block can
 * form there. The few blocks the kernel keeps free below its watermarks
 * are taken whole with THPs ("plugs"). /proc/buddyinfo before and after
 * is the evidence.
 */
#ifndef HMMBENCH_FRAG_H
#define HMMBENCH_FRAG_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FRAG_BLOCK_PAGES 512	/* 2 MiB in 4 KiB pages: order 9 */
/*
 * Plugging rounds per call. One round rarely suffices: a THP may come from
 * a per-CPU list rather than a counted free block, and direct compaction
 * may build a block while plugging another (measured in a 7.2 guest: up to
 * 3 rounds for 1 block).
 */
#define FRAG_PLUG_ROUNDS 16
#define FRAG_BUDDY_MAX 4096	/* /proc/buddyinfo: a line per zone and node */

struct frag {
	long blocks_before;		/* free 2 MiB blocks before setup */
	long target_left;		/* blocks to leave free */
	long blocks_after;		/* after setup */
	size_t poisoned;		/* blocks holding one kept page */
	size_t pinned_partial;		/* partly free blocks, one page kept too */
	size_t plugged;			/* blocks taken whole by a THP */
	size_t populated;		/* bytes faulted in to find the blocks */
	uint8_t *area;
	size_t len;
	struct frag_plug { void *addr; size_t len; } *plug;
	size_t nplugs, plug_cap;
	char buddy_before[FRAG_BUDDY_MAX], buddy_after[FRAG_BUDDY_MAX];
};

/* Free 2 MiB blocks in /proc/buddyinfo text: orders >= 9, in 2 MiB units. */
long frag_free_blocks(const char *buddyinfo);
/*
 * Marks in @keep (n bytes, zeroed by the caller) one page in each of up
 * to @want blocks that @pfn (per page, 0 = not present) covers completely,
 * lowest blocks first. Returns the number of blocks chosen, or -ENOMEM
 * (never 0 for a failure: that would read as "nothing to poison"). With @partial,
 * also marks one page in every block @pfn covers only in part and counts
 * those there: such a block had free pages before, and compaction could
 * otherwise move its few used pages away and rebuild a 2 MiB block.
 */
ssize_t frag_choose(const uint64_t *pfn, size_t n, size_t want, uint8_t *keep,
		    size_t *partial);

/*
 * Poisons @level percent of the free blocks. 0; -EPERM when pagemap hides
 * PFNs (no CAP_SYS_ADMIN); -EINTR when *@stop was set; or a negative errno.
 * frag_release() undoes it, also after a failure.
 */
int frag_setup(struct frag *f, unsigned int level, const volatile sig_atomic_t *stop);
/*
 * Takes blocks freed since setup whole again, back to the setup's count.
 * 0 or a negative errno; *@left: the free blocks it ended with (above the
 * target only when FRAG_PLUG_ROUNDS did not suffice; -1 if unreadable).
 */
int frag_replug(struct frag *f, long *left);
/* 1 if /proc/self/pagemap shows PFNs to us (CAP_SYS_ADMIN), 0 if not, or -errno. */
int frag_pfns_visible(void);
/* Free 2 MiB blocks now, or -1. */
long frag_blocks_now(void);
void frag_release(struct frag *f);

#endif
