/* SPDX-License-Identifier: GPL-2.0 */
/* hmmbench repro's subcommands (cli/repro*.c). */
#ifndef HMMBENCH_REPRO_CLI_H
#define HMMBENCH_REPRO_CLI_H

#include <stddef.h>

#include "boot.h"
#include "repro.h"

int cmd_repro(int argc, char **argv);
int cmd_repro_try(int argc, char **argv);
int cmd_repro_minimize(int argc, char **argv);
int cmd_repro_report(int argc, char **argv);

/* DIR/repro.json for a directory, else @arg itself. */
void repro_model_path(const char *arg, char *buf, size_t len);
/* The reproducer's directory: @arg, or the one holding it. */
void repro_dir_of(const char *arg, char *buf, size_t len);
/* Loads the model @arg names; a one-line error and -1 if it cannot. */
int repro_load_arg(const char *arg, struct repro *r);

/*
 * Writes @r's repro.c into @dir (created) and builds it there with
 * nothing beside it: the program must build from the file alone.
 * @bin gets the binary's path. 0, or -1 after a one-line error.
 */
int repro_build_in(const struct repro *r, const char *dir, char *bin, size_t len);

/* Options shared by try and minimize. */
struct repro_run_opts {
	const char *flavour;		/* kernel-build --flavour */
	const char *match;		/* --match REGEX */
	const char *kind;		/* --kind K, else the recorded one */
	unsigned int boots, seconds, timeout, cpus;
};
/* Parses one shared option at argv[*i]; 1 taken, 0 not ours, -1 bad. */
int repro_run_opt(int argc, char **argv, int *i, struct repro_run_opts *o);
void repro_run_defaults(struct repro_run_opts *o, unsigned int boots);
/* What a hit is: the model's failure, unless --match or --kind say otherwise. */
void repro_run_want(const struct repro *r, const struct repro_run_opts *o, struct repro_want *w);
/* "--boots N  ..." lines for the help texts. */
extern const char repro_run_help[];

/*
 * Boots @k up to @o->boots times with @bin under @resdir/boot-N and stops
 * at the first hit when @stop_at_hit. Appends each boot to @log (JSONL)
 * when not NULL. Returns the hits; *@booted gets the boots made, -1 when
 * a guest did not even run.
 */
int repro_boot_series(const struct repro_kernel *k, const char *bin, const char *resdir,
		      const struct repro_run_opts *o, const struct repro_want *want,
		      int stop_at_hit, const char *log, const char *label, int *booted);

#endif
