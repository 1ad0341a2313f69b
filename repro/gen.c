// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the standalone reproducer: a comment saying what it reproduces
 * and how to build and run it, then repro/skel-1-base.c with the
 * recorded operations in place of its #include "repro_tables.h", then
 * skel-2-ops.c and skel-3-main.c.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "repro.h"
#include "stress.h"

#define TABLES_MARK "#include \"repro_tables.h\"\n"

/* "mremap-dontunmap" -> "OP_MREMAP_DONTUNMAP", the skeleton's enum. */
static const char *enum_name(unsigned int kind, char *buf, size_t len)
{
	const char *n = stress_op_name(kind);
	size_t i = 3;

	snprintf(buf, len, "OP_");
	for (; *n && i + 1 < len; n++)
		buf[i++] = *n == '-' ? '_' : (char)toupper((unsigned char)*n);
	buf[i] = '\0';
	return buf;
}

/* Text from the kernel or a user, safe inside a C comment. */
static void comment_line(FILE *f, const char *prefix, const char *text, size_t max_lines)
{
	size_t lines = 0;

	while (*text && lines < max_lines) {
		size_t n = strcspn(text, "\n");

		fprintf(f, " *%s", prefix);
		for (size_t i = 0; i < n && i < 160; i++) {
			unsigned char c = (unsigned char)text[i];

			if (c == '*' && text[i + 1] == '/')
				fputs("* ", f);
			else
				fputc(isprint(c) || c == '\t' ? c : '?', f);
		}
		fputc('\n', f);
		text += n + (text[n] == '\n');
		lines++;
	}
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* A person's note, wrapped to the width of a comment. */
static void comment_wrapped(FILE *f, const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	cmp_put_wrapped(m, "", "", text);
	fclose(m);
	comment_line(f, " ", buf, 40);
	free(buf);
}

/*
 * Who wrote the operations: hmmbench stress, or a person ("written" in
 * repro.json), who must not pass for a recording.
 */
static void write_provenance(const struct repro *r, FILE *f, const char *release)
{
	const char *written = json_string_value(r->written);

	if (!written) {
		fprintf(f, " *\n * Recorded by hmmbench stress, scenario %s, seed %" PRIu64 ", %u thread%s,\n"
			" * on Linux %s. ", r->scenario, r->seed, r->nthreads,
			r->nthreads == 1 ? "" : "s", *release ? release : "(unknown)");
		return;
	}
	fprintf(f, " *\n * Written by hand, not recorded:\n");
	comment_wrapped(f, written);
	fprintf(f, " * The failure below was recorded by hmmbench stress (scenario %s,\n"
		" * seed %" PRIu64 ") on Linux %s.\n * ", r->scenario, r->seed,
		*release ? release : "(unknown)");
}

static void write_header(const struct repro *r, FILE *f)
{
	const char *summary = jstr(r->failure, "summary");
	const char *report = jstr(r->failure, "report");
	const char *release = jstr(r->origin, "kernel_release");
	json_int_t from_ops = json_integer_value(json_object_get(r->origin, "recorded_ops"));
	json_int_t from_threads = json_integer_value(json_object_get(r->origin, "recorded_threads"));

	fprintf(f, "// SPDX-License-Identifier: GPL-2.0\n/*\n");
	comment_line(f, " Reproducer: ", *summary ? summary : "a recorded hmmbench stress run", 2);
	write_provenance(r, f, release);
	fprintf(f, "%zu operations in %u thread%s", repro_total_ops(r), r->nthreads,
		r->nthreads == 1 ? "" : "s");
	if (r->written && repro_minimized_from(r))	/* recorded_ops is not where it started */
		fprintf(f, " (minimized from %s)", repro_minimized_from(r));
	else if (r->steps && json_array_size(r->steps))
		fprintf(f, " (minimized from %lld in %lld)", (long long)from_ops, (long long)from_threads);
	fprintf(f, ", %u MiB region.\n *\n", r->nchunks * 2);
	fprintf(f, " * Build and run as root on a kernel with CONFIG_TEST_HMM=y (lib/test_hmm.c;\n"
		" * the test_hmm uapi is inlined below, nothing else is needed):\n"
		" *   gcc -static -pthread -O2 -o repro repro.c\n"
		" *   ./repro -t %u     # rounds of the recorded operations for %u s; -v prints each\n"
		" * then look at dmesg. Exit 1-3: this program saw the failure itself.\n",
		r->seconds, r->seconds);
	if (*report) {
		fprintf(f, " *\n * What the kernel printed when it was recorded:\n");
		comment_line(f, "   ", report, 40);
	}
	fprintf(f, " */\n");
}

static void write_tables(const struct repro *r, FILE *f)
{
	char name[32], buf[96];

	fprintf(f, "/* The recorded run: operations per thread, in the order each thread ran them. */\n");
	fprintf(f, "#define RP_NTHREADS %u\n#define RP_NCHUNKS %u\n#define RP_SEED 0x%" PRIx64 "ULL\n",
		r->nthreads, r->nchunks, r->seed);
	fprintf(f, "#define RP_EVICT_ON_CLOSE %d\t/* close the device with pages still on it */\n",
		r->evict_on_close);
	fprintf(f, "#define RP_KEEP_OPEN %d\t/* open the device once, close it at exit */\n",
		r->keep_open);
	fprintf(f, "#define RP_SERIAL_INJECTION %d\t/* FAIL_ALLOC only while no other operation runs */\n",
		r->serial_injection);
	fprintf(f, "#define RP_PAGE_CHECKS %d\t/* 0: pages are touched, not checked */\n", r->page_checks);
	fprintf(f, "#define RP_SECONDS %u\n#define RP_WATCHDOG_S %u\n\n", r->seconds, r->watchdog_s);
	fprintf(f, "/* Per 2 MiB chunk: 1 = MADV_HUGEPAGE (a THP), 0 = MADV_NOHUGEPAGE. */\n");
	fprintf(f, "static const unsigned char rp_thp[RP_NCHUNKS] = {");
	for (unsigned int c = 0; c < r->nchunks; c++)
		fprintf(f, "%s%u", c ? ", " : " ", r->thp[c]);
	fprintf(f, " };\n");
	for (unsigned int t = 0; t < r->nthreads; t++) {
		const struct repro_thread *th = &r->threads[t];

		fprintf(f, "\n/* thread %u: { kind, solo, first page, pages, arg } */\n", t);
		fprintf(f, "static const struct op rp_ops%u[] = {\n", t);
		for (size_t i = 0; i < th->n; i++) {
			const struct repro_op *op = &th->ops[i];

			fprintf(f, "\t{ %s, %u, %" PRIu32 ", %" PRIu32 ", 0x%" PRIx64 "ULL },",
				enum_name(op->kind, name, sizeof(name)), op->solo, op->first,
				op->npages, op->arg);
			if (th->n <= 64)
				fprintf(f, "\t/* #%zu %s */", i, repro_op_str(op, buf, sizeof(buf)));
			fputc('\n', f);
		}
		fprintf(f, "};\n");
	}
	fprintf(f, "\n/* { operations, how many, how many to run per round (as recorded) } */\n");
	fprintf(f, "static const struct thread_ops rp_threads[RP_NTHREADS] = {\n");
	for (unsigned int t = 0; t < r->nthreads; t++)
		fprintf(f, "\t{ rp_ops%u, %zu, %" PRIu64 " },\n", t, r->threads[t].n,
			r->threads[t].per_round);
	fprintf(f, "};\n");
}

int repro_write_c(const struct repro *r, FILE *f)
{
	const char *mark = strstr(repro_skel_base, TABLES_MARK);

	if (!mark || !r->nthreads)
		return -EINVAL;
	write_header(r, f);
	fwrite(repro_skel_base, 1, mark - repro_skel_base, f);
	write_tables(r, f);
	fputs(mark + strlen(TABLES_MARK), f);
	fputs(repro_skel_ops, f);
	fputs(repro_skel_main, f);
	return ferror(f) ? -EIO : 0;
}

int repro_write_c_file(const struct repro *r, const char *path, char *err, size_t len)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f) {
		snprintf(err, len, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	ret = repro_write_c(r, f);
	if (fclose(f) || ret) {
		snprintf(err, len, "writing %s failed%s", path, ret == -EINVAL ? ": no threads" : "");
		return -1;
	}
	return 0;
}
