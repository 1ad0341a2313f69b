/* --- threads and rounds ---------------------------------------------- */

static void on_fault_signal(int sig, siginfo_t *si, void *uc)
{
	struct worker *w = current;

	(void)uc;
	if (!w || !w->in_op) {
		signal(sig, SIG_DFL);
		return;
	}
	w->sig = sig;
	w->sig_addr = si->si_addr;
	siglongjmp(w->jb, 1);
}

static void run_op(struct worker *w, const struct op *op)
{
	int mv = op_locks[op->kind][0], ct = op_locks[op->kind][1];

	if (g.verbose)
		printf("thread %u #%lu: %s pages %u+%u arg 0x%016llx%s\n", w->id, w->index,
		       op_names[op->kind], op->first, op->npages,
		       (unsigned long long)op->arg, op->solo ? " solo" : "");
	if (op->solo)
		pthread_rwlock_wrlock(&g.solo);
	else
		pthread_rwlock_rdlock(&g.solo);
	if (mv != L_NONE)
		move_lock(op->first, op->npages, mv == L_WRITE);
	if (ct != L_NONE)
		content_lock(op->first, op->npages, ct == L_WRITE);
	w->cur = op;
	atomic_store(&w->busy_since, now_ns());
	if (sigsetjmp(w->jb, 1))
		die(2, "REPRO-FAIL: SIG%s at %p inside thread %u op #%lu (%s pages %u+%u): the kernel could not resolve a fault on the region",
		    w->sig == SIGBUS ? "BUS" : "SEGV", w->sig_addr, w->id, w->index,
		    op_names[op->kind], op->first, op->npages);
	w->in_op = 1;
	op_run[op->kind](w, op);
	w->in_op = 0;
	atomic_store(&w->busy_since, 0);
	if (ct != L_NONE)
		content_unlock(op->first, op->npages, ct == L_WRITE);
	if (mv != L_NONE)
		move_unlock(op->first, op->npages);
	pthread_rwlock_unlock(&g.solo);
	w->ran++;
}

static void *thread_main(void *arg)
{
	struct worker *w = arg;
	const struct thread_ops *t = &rp_threads[w->id];
	unsigned long done = 0, want = t->per_round > t->nops ? t->per_round : t->nops;

	current = w;
	w->ktid = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&g.start);
	while (done < want && t->nops) {
		for (unsigned long i = 0; i < t->nops && done < want; i++, done++) {
			if (atomic_load(&g.stop))
				return NULL;
			w->index = i;
			run_op(w, &t->ops[i]);
		}
	}
	/*
	 * The deadline is looked at between rounds only (main()): a thread
	 * that stopped the others mid-round would leave their recorded
	 * operations unreplayed.
	 */
	return NULL;
}

/* Prints the kernel stack of a stuck thread (root only) and gives up. */
static void watchdog_check(void)
{
	uint64_t now = now_ns();

	for (unsigned int i = 0; i < RP_NTHREADS; i++) {
		struct worker *w = &g.w[i];
		uint64_t since = atomic_load(&w->busy_since);
		const struct op *op = w->cur;
		char path[64], line[256];
		FILE *f;

		if (!since || !g.watchdog_s || now - since < g.watchdog_s * 1000000000ULL)
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%d/stack", (int)w->ktid);
		f = fopen(path, "r");
		printf("REPRO: the kernel stack of thread %u (%s):\n", w->id, f ? path : "unreadable");
		while (f && fgets(line, sizeof(line), f))
			printf("REPRO:   %s", line);
		if (f)
			fclose(f);
		die(3, "REPRO-FAIL: hang: thread %u stuck in op #%lu (%s pages %u+%u) for %llu s, past the %d s watchdog",
		    w->id, w->index, op_names[op->kind], op->first, op->npages,
		    (unsigned long long)((now - since) / 1000000000ULL), g.watchdog_s);
	}
}

static void drain_device(void)
{
	for (size_t c = 0; c < RP_NCHUNKS; c++)
		dev_cmd(HMM_DMIRROR_MIGRATE_TO_SYS, page_at(c * PMD_PAGES), PMD_PAGES, NULL);
}

static void open_device(void)
{
	static int opened;

	if (g.null_dev || (RP_KEEP_OPEN && opened++))
		return;
	g.fd = open(g.device, O_RDWR | O_CLOEXEC);
	if (g.fd < 0)
		die(4, "REPRO-SETUP: cannot open %s: %s (needs a kernel with CONFIG_TEST_HMM, run as root)",
		    g.device, strerror(errno));
	if (g.verbose)
		printf("REPRO: opened %s\n", g.device);
}

static void run_round(void)
{
	struct worker *m = &g.w[RP_NTHREADS];
	struct op all = { OP_CPU_READ, 0, 0, 0, 0 };
	unsigned int n = 0;

	open_device();
	region_map();
	pthread_barrier_init(&g.start, NULL, RP_NTHREADS);
	for (unsigned int i = 0; i < RP_NTHREADS; i++) {
		g.w[i].joined = 0;
		if (pthread_create(&g.w[i].tid, NULL, thread_main, &g.w[i]))
			die(4, "REPRO-SETUP: pthread_create failed");
		n++;
	}
	for (unsigned int joined = 0; joined < n;) {
		for (unsigned int i = 0; i < n; i++)
			if (!g.w[i].joined && pthread_tryjoin_np(g.w[i].tid, NULL) != EBUSY) {
				g.w[i].joined = 1;
				joined++;
			}
		if (joined == n)
			break;
		watchdog_check();
		usleep(100000);
	}
	pthread_barrier_destroy(&g.start);
	if (!RP_EVICT_ON_CLOSE)
		drain_device();
	if (!g.null_dev && !RP_KEEP_OPEN)
		close(g.fd);	/* evicts every page still on the device */
	current = m;
	all.npages = (uint32_t)g.npages;
	if (sigsetjmp(m->jb, 1))
		die(2, "REPRO-FAIL: SIG%s at %p reading the region after closing the device",
		    m->sig == SIGBUS ? "BUS" : "SEGV", m->sig_addr);
	m->in_op = 1;
	check(m, &all, g.addr, 0, g.npages,
	      RP_KEEP_OPEN ? "the end of the round" : "closing the device (eviction)");
	m->in_op = 0;
	munmap(g.addr, g.npages * PAGE_SZ);
}

static void setup(void)
{
	struct sigaction sa = { .sa_sigaction = on_fault_signal, .sa_flags = SA_SIGINFO };
	pthread_rwlockattr_t attr;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	for (int c = 0; c < RP_NCHUNKS; c++) {
		pthread_rwlock_init(&g.lock[c], &attr);
		pthread_rwlock_init(&g.move[c], &attr);
	}
	pthread_rwlock_init(&g.solo, NULL);
	g.sink = mmap(NULL, PAGE_SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (unsigned int i = 0; i <= RP_NTHREADS; i++) {
		struct worker *w = &g.w[i];

		w->id = i;
		w->bounce = malloc(2 * PMD_SZ);
		w->scratch_len = 3 * PMD_SZ;
		w->scratch = map_pmd_aligned(w->scratch_len, PROT_NONE, MAP_NORESERVE);
		if (!w->bounce || !w->scratch || g.sink == MAP_FAILED)
			die(4, "REPRO-SETUP: out of memory for the threads' buffers");
	}
}

static void usage(const char *prog)
{
	printf("usage: %s [-t SECONDS] [-r ROUNDS] [-w SECONDS] [-d DEVICE] [-n] [-v]\n"
	       "  -t S  start rounds until S seconds have passed (default %d)\n"
	       "  -r N  at most N rounds\n"
	       "  -w S  an operation stuck for S seconds is a hang (default %d; 0: never)\n"
	       "  -d D  the test_hmm device (default /dev/hmm_dmirror0)\n"
	       "  -n    no device: the CPU does what each ioctl would (checks this program)\n"
	       "  -v    print every operation as it starts\n", prog, RP_SECONDS, RP_WATCHDOG_S);
}

int main(int argc, char **argv)
{
	unsigned long rounds = 0, max_rounds = 0, ops = 0, errors = 0;
	double seconds = RP_SECONDS;
	uint64_t t0 = now_ns();
	int c;

	g.device = "/dev/hmm_dmirror0";
	g.watchdog_s = RP_WATCHDOG_S;
	while ((c = getopt(argc, argv, "t:r:w:d:nvh")) != -1) {
		switch (c) {
		case 't': seconds = atof(optarg); break;
		case 'w': g.watchdog_s = strtoul(optarg, NULL, 0); break;
		case 'r': max_rounds = strtoul(optarg, NULL, 0); break;
		case 'd': g.device = optarg; break;
		case 'n': g.null_dev = 1; break;
		case 'v': g.verbose = 1; break;
		default: usage(argv[0]); return c == 'h' ? 0 : 4;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	setup();
	g.deadline_ns = t0 + (uint64_t)(seconds * 1e9);
	printf("REPRO: %d threads, %d MiB region, seed 0x%llx; rounds for %.0f s\n",
	       RP_NTHREADS, RP_NCHUNKS * 2, (unsigned long long)RP_SEED, seconds);
	do {
		run_round();
		rounds++;
	} while (now_ns() < g.deadline_ns && (!max_rounds || rounds < max_rounds));
	if (RP_KEEP_OPEN && !g.null_dev)
		close(g.fd);	/* the one close: a report now comes after every round */
	for (unsigned int i = 0; i < RP_NTHREADS; i++) {
		ops += g.w[i].ran;
		errors += g.w[i].errors;
		printf("REPRO: thread %u ran %lu operations\n", i, g.w[i].ran);
	}
	printf("REPRO-PASS: %lu round%s, %lu operations (%lu ioctl or syscall errors, expected under races) in %.1f s; this program saw no failure: look for a kernel report in dmesg\n",
	       rounds, rounds == 1 ? "" : "s", ops, errors, (now_ns() - t0) / 1e9);
	return 0;
}
