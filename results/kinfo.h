/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kernel a run ran on, beyond its release: its config (hashed, and
 * kept beside the records), where its source came from, the patches and
 * config fragments it was built with, and the run's label. Each fact says
 * where it was read from, since a bare-metal run and a run in a guest of
 * scripts/vm-run learn them from different places:
 *
 *   config   /proc/config.gz, else /boot/config-<release>, else the
 *            config scripts/kernel-build left in the kernel info directory
 *   build    <info dir>/build.json: scripts/kernel-build's description of
 *            its cache entry, which scripts/vm-run puts into the guest at
 *            /etc/hmmbench/kernel/ (HMMBENCH_KERNEL_INFO overrides); used
 *            only when its release is the running kernel's
 *   source   the build's source, else a distribution's version in
 *            /proc/version ("Debian 6.12.117-1")
 */
#ifndef HMMBENCH_KINFO_H
#define HMMBENCH_KINFO_H

#include <stddef.h>

#include <jansson.h>

#define KINFO_DIR "/etc/hmmbench/kernel"
/* The config's copy in a run directory. */
#define KINFO_CONFIG_FILE "kernel.config"
/* The patches' copies in a run directory. */
#define KINFO_PATCH_DIR "kernel-patches"
#define KINFO_LABEL_MAX 64

/* Whether @label may name a run: 1-64 of [A-Za-z0-9._+-], no leading '.' or '-'. */
int kinfo_label_ok(const char *label);

/*
 * The sha256 (64 hex digits) of a config's options: its CONFIG_ lines,
 * sorted, without CONFIG_LOCALVERSION, so that a label (which only sets
 * that) and comments do not change it. -1 if @text holds no option.
 */
int kinfo_config_sha256(const char *text, char out[65]);

/* Where the facts are read from; kinfo_add() uses the real places. */
struct kinfo_paths {
	const char *proc_config;	/* /proc/config.gz */
	const char *boot_dir;		/* /boot: config-<release> */
	const char *info_dir;		/* KINFO_DIR or $HMMBENCH_KERNEL_INFO */
	const char *proc_version;	/* /proc/version */
};

/*
 * Adds to @kernel (the metadata's "kernel" object, which has "release"):
 * "label", "config", "source" and "build". Writes the config and the
 * build's patches into @run_dir (none when NULL). Never fails: what it
 * cannot learn it records as unknown, with the reason.
 */
void kinfo_add_from(json_t *kernel, const char *label, const char *run_dir,
		    const struct kinfo_paths *p);
void kinfo_add(json_t *kernel, const char *label, const char *run_dir);

#endif
