// SPDX-License-Identifier: GPL-2.0
/*
 * The pages the null backend holds: one record per 2 MiB chunk it has
 * touched, in an open-addressed table that the SIGSEGV handler searches
 * without taking a lock (records are only ever added, never removed), and
 * the CPU fault that brings a page, or a whole PMD unit, back.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "null_int.h"

#define TABLE_SIZE (1u << 14)	/* chunks: 32 GiB of address space */

static _Atomic(struct null_chunk *) table[TABLE_SIZE];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t slot_of(uintptr_t base)
{
	return (size_t)(((uint64_t)base >> 21) * 0x9e3779b97f4a7c15ULL >> 50) % TABLE_SIZE;
}

static struct null_chunk *find(uintptr_t base)
{
	for (size_t i = slot_of(base), n = 0; n < TABLE_SIZE; i = (i + 1) % TABLE_SIZE, n++) {
		struct null_chunk *c = atomic_load_explicit(&table[i], memory_order_acquire);

		if (!c || c->base == base)
			return c;
	}
	return NULL;
}

struct null_chunk *null_chunk_get(uintptr_t addr, int create)
{
	uintptr_t base = addr & ~(PMD_SZ - 1);
	struct null_chunk *c = find(base), *fresh;

	if (c || !create)
		return c;
	pthread_mutex_lock(&table_lock);
	c = find(base);			/* another thread may have added it */
	for (size_t i = slot_of(base), n = 0; !c && n < TABLE_SIZE; i = (i + 1) % TABLE_SIZE, n++) {
		if (atomic_load(&table[i]))
			continue;
		fresh = calloc(1, sizeof(*fresh));
		if (fresh) {
			fresh->base = base;
			atomic_flag_clear(&fresh->lock);
			atomic_store_explicit(&table[i], fresh, memory_order_release);
		}
		c = fresh;
		break;
	}
	pthread_mutex_unlock(&table_lock);
	return c;
}

void null_chunk_lock(struct null_chunk *c)
{
	while (atomic_flag_test_and_set_explicit(&c->lock, memory_order_acquire))
		;
}

void null_chunk_unlock(struct null_chunk *c)
{
	atomic_flag_clear_explicit(&c->lock, memory_order_release);
}

int null_readable(uintptr_t addr)
{
	char byte;
	struct iovec local = { &byte, 1 }, remote = { (void *)addr, 1 };

	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == 1;
}

void null_chunk_release_page(struct null_chunk *c, size_t i)
{
	if (c->state[i] == NP_SYS)
		return;
	mprotect((void *)(c->base + i * PAGE_SZ), PAGE_SZ, PROT_READ | PROT_WRITE);
	c->state[i] = NP_SYS;
	if (!--c->ndev)
		c->pmd = 0;
}

/* Every page back at once: one mprotect() for a device PMD. */
static void release_chunk(struct null_chunk *c)
{
	if (c->pmd)
		mprotect((void *)c->base, PMD_SZ, PROT_READ | PROT_WRITE);
	for (size_t i = 0; i < PAGES_PER_PMD && c->ndev; i++) {
		if (c->pmd && c->state[i] != NP_SYS) {
			c->state[i] = NP_SYS;
			c->ndev--;
		} else {
			null_chunk_release_page(c, i);
		}
	}
	c->pmd = 0;
}

int null_chunk_check(struct null_chunk *c, int need_store)
{
	size_t first = 0;

	while (c->ndev && c->state[first] == NP_SYS)
		first++;
	/* A page we hold reads fine: the mapping was replaced under us. */
	if (c->ndev && null_readable(c->base + first * PAGE_SZ)) {
		memset(c->state, NP_SYS, sizeof(c->state));
		c->ndev = 0;
		c->pmd = 0;
	}
	if (!c->ndev && !need_store) {
		free(c->store);
		c->store = NULL;
	}
	if (need_store && !c->store)
		c->store = malloc(PMD_SZ);
	return need_store && !c->store ? -ENOMEM : 0;
}

void null_release_all(struct null_dev *owner)
{
	for (size_t i = 0; i < TABLE_SIZE; i++) {
		struct null_chunk *c = atomic_load(&table[i]);

		if (!c || c->owner != owner)
			continue;
		null_chunk_lock(c);
		null_chunk_check(c, 0);
		release_chunk(c);
		null_chunk_check(c, 0);
		c->owner = NULL;
		null_chunk_unlock(c);
	}
}

static struct sigaction chained;
static __thread uintptr_t last_fault;
static __thread unsigned int same_fault;

/* Not ours: whatever handled SIGSEGV before the null backend does. */
static void chain(int sig, siginfo_t *si, void *uc)
{
	if (chained.sa_flags & SA_SIGINFO && chained.sa_sigaction) {
		chained.sa_sigaction(sig, si, uc);
		return;
	}
	if (chained.sa_handler != SIG_DFL && chained.sa_handler != SIG_IGN) {
		chained.sa_handler(sig);
		return;
	}
	signal(sig, SIG_DFL);	/* the access repeats and kills us, with a core */
}

/*
 * A CPU access to a page on the device: bring back its unit, as the
 * kernel's migrate_to_ram does. A page another thread brought back in the
 * meantime reads fine; the access is repeated then, a few times at most.
 */
static int fault_back(struct null_chunk *c, uintptr_t addr)
{
	size_t i = (addr - c->base) / PAGE_SZ;
	int handled = 1;

	null_chunk_lock(c);
	if (c->state[i] != NP_SYS) {
		if (c->owner)
			atomic_fetch_add(&c->owner->cpu_faults, 1);
		if (c->pmd)
			release_chunk(c);
		else
			null_chunk_release_page(c, i);
		same_fault = 0;
	} else {
		same_fault = addr == last_fault ? same_fault + 1 : 0;
		handled = same_fault < 100 && null_readable(addr);
	}
	last_fault = addr;
	null_chunk_unlock(c);
	return handled;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	uintptr_t addr = (uintptr_t)si->si_addr;
	struct null_chunk *c = si->si_code == SEGV_ACCERR ? null_chunk_get(addr, 0) : NULL;

	if (c && fault_back(c, addr))
		return;
	chain(sig, si, uc);
}

static int install_ret;

static void install_once(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_NODEFER };

	sigemptyset(&sa.sa_mask);
	install_ret = sigaction(SIGSEGV, &sa, &chained) ? -errno : 0;
}

int null_fault_handler_install(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, install_once);
	return install_ret;
}

void null_thp_map_read(uintptr_t start, uintptr_t end, struct null_thp_map *m)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	unsigned long lo = 0, hi = 0;
	char *line = NULL;
	size_t cap = 0;

	start &= ~(PMD_SZ - 1);			/* whole chunks: their mappings */
	end = (end + PMD_SZ - 1) & ~(PMD_SZ - 1);
	m->n = 0;
	while (f && getline(&line, &cap, f) > 0) {
		unsigned long a, b;

		if (sscanf(line, "%lx-%lx ", &a, &b) == 2) {
			if (a >= end)
				break;	/* in address order: nothing further matters */
			lo = a;
			hi = b;
			continue;
		}
		if (strncmp(line, "VmFlags:", 8) || hi <= start || !strstr(line, " hg"))
			continue;
		if (m->n && m->r[m->n - 1].end == lo) {	/* split by mprotect: one mapping */
			m->r[m->n - 1].end = hi;
		} else if (m->n < NULL_THP_RANGES) {
			m->r[m->n].start = lo;
			m->r[m->n].end = hi;
			m->n++;
		}
	}
	free(line);
	if (f)
		fclose(f);
}

int null_thp_covers(const struct null_thp_map *m, uintptr_t base)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->r[i].start <= base && base + PMD_SZ <= m->r[i].end)
			return 1;
	return 0;
}
