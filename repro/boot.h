/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a reproducer where it matters: building repro.c on the host
 * (gcc -static -pthread, nothing else) and booting a test kernel with it
 * through scripts/vm-run, one boot per try; then reading what the guest's
 * console and the program said.
 */
#ifndef HMMBENCH_REPRO_BOOT_H
#define HMMBENCH_REPRO_BOOT_H

#include <limits.h>

#include <jansson.h>

#include "kmsg.h"
#include "repro.h"

/* A kernel to boot: resolved from a spec like the matrix's (see below). */
struct repro_kernel {
	char spec[512];
	char bzimage[PATH_MAX];
	char release[128];	/* uname -r, from kernel-build's "release" file */
	char source_id[512];	/* "debian:linux-source-7.2=7.2.13-1", "src:..." */
	char config[PATH_MAX];	/* the .config it was built with, if known */
	char flavour[16];	/* kernel-build's build.json says; "" if unknown */
};

/*
 * @spec: a bzImage path (or image:PATH); a Debian version (6.12, 7.2, 7.3)
 * or src:PATH, built (or found cached) by scripts/kernel-build with
 * @flavour; "+patch:FILE" and "+label=NAME" after a version pass --patch
 * and --label to it. 0, or -1 with a one-line reason in @err.
 */
int repro_kernel_resolve(struct repro_kernel *k, const char *spec, const char *flavour,
			 char *err, size_t len);

/* hmmbench's scripts: hmmb_scripts_dir() (common/paths.h). */
const char *repro_scripts_dir(void);

/* gcc -static -pthread -O2 -o @bin @src; 0, or -1 with the log's tail in @err. */
int repro_build(const char *src, const char *bin, char *err, size_t len);

struct repro_boot_opts {
	const char *kernel;	/* bzImage */
	const char *bin;	/* the static reproducer */
	const char *resdir;	/* vm-run --results: console.log, repro.out */
	unsigned int seconds;	/* the program's -t */
	unsigned int timeout;	/* vm-run --timeout */
	unsigned int cpus;
	const char *mem;
	/*
	 * The boot ends early only at a kernel report matching this extended
	 * regex (NULL: any report); others (a stall of a starved guest) let
	 * the program go on. The program's own watchdog: 0 for none.
	 */
	const char *match;
	unsigned int watchdog_s;
};

struct repro_boot {
	int vm_status;		/* vm-run's exit status */
	int prog_status;	/* the program's, -1 if it never ended */
	enum kmsg_kind kind;	/* the first kernel report's, KMSG_NONE if none */
	char *report;		/* its text (malloc'ed) */
	json_t *functions;	/* the functions it names */
	char prog_line[300];	/* the program's REPRO-FAIL/REPRO-PASS line */
	double seconds;		/* the whole boot */
};

/* One boot. 0 when the guest ran (whatever it saw), -1 when it did not. */
int repro_boot_once(const struct repro_boot_opts *o, struct repro_boot *b);
void repro_boot_free(struct repro_boot *b);
/* "soft-lockup in dmirror_migrate_to_system", "integrity error", "clean"... */
const char *repro_boot_outcome(const struct repro_boot *b, char *buf, size_t len);

/*
 * What counts as the failure again: the recorded failure's kind (a kernel
 * report of the same class, or the program's own integrity, signal or hang
 * verdict) and, for kernel reports, the extended regex @match over the
 * report's text (NULL: the recorded report's key function).
 */
struct repro_want {
	char kind[32];		/* "kernel-report", "integrity", "signal", "hang" */
	char report_kind[32];
	char match[256];
};
void repro_want_from(const struct repro *r, const char *match, struct repro_want *w);
/*
 * --kind: a kernel report kind (Oops, RCU-stall, ...; its class counts:
 * a soft lockup stands for an RCU stall) or integrity, signal, hang, in
 * place of the recorded failure's. -1 for an unknown name.
 */
int repro_want_set_kind(struct repro_want *w, const char *kind);
int repro_boot_hit(const struct repro_boot *b, const struct repro_want *w);
json_t *repro_boot_json(const struct repro_boot *b, const struct repro_kernel *k, int hit);

#endif
