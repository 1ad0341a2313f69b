// SPDX-License-Identifier: GPL-2.0
/*
 * Why a CUDA device cannot migrate pageable memory here. nvidia-uvm
 * migrates malloc'd memory to device-private pages only through HMM,
 * which needs three things; the device attribute PAGEABLE_MEMORY_ACCESS
 * is 0 without any of them, and the driver's files say which is missing:
 *  - NVIDIA's open kernel modules: /proc/driver/nvidia/version names the
 *    "Open Kernel Module"; the closed one has no HMM;
 *  - nvidia_uvm loaded with uvm_disable_hmm=0 (a bool parameter, "N");
 *  - a kernel with CONFIG_DEVICE_PRIVATE and CONFIG_HMM_MIRROR, which
 *    nvidia-uvm was built against (/boot/config-RELEASE or /proc/config.gz).
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <zlib.h>

#include "nvidia_uvm.h"

static void read_first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.159.04 ..." */
static int is_open_module(const char *nvrm)
{
	if (!nvrm[0])
		return -1;
	return strstr(nvrm, "Open Kernel Module") != NULL;
}

/* A bool module parameter reads "Y" or "N"; an int one "1" or "0". */
static int read_bool_param(const char *path)
{
	char v[16];

	read_first_line(path, v, sizeof(v));
	if (v[0] == 'Y' || v[0] == 'y' || v[0] == '1')
		return 1;
	if (v[0] == 'N' || v[0] == 'n' || v[0] == '0')
		return 0;
	return -1;
}

/* Looks for CONFIG_DEVICE_PRIVATE and CONFIG_HMM_MIRROR in one config file. */
static int scan_config(const char *path, int gz, struct nvuvm_sysinfo *s)
{
	char line[256];
	gzFile z = NULL;
	FILE *f = NULL;

	if (gz)
		z = gzopen(path, "r");
	else
		f = fopen(path, "r");
	if (!z && !f)
		return -1;
	s->device_private = 0;
	s->hmm_mirror = 0;
	while (gz ? gzgets(z, line, sizeof(line)) != NULL : fgets(line, sizeof(line), f) != NULL) {
		if (!strcmp(line, "CONFIG_DEVICE_PRIVATE=y\n"))
			s->device_private = 1;
		if (!strcmp(line, "CONFIG_HMM_MIRROR=y\n"))
			s->hmm_mirror = 1;
	}
	if (z)
		gzclose(z);
	if (f)
		fclose(f);
	return 0;
}

void nvuvm_sysinfo_read(const char *root, const char *release, struct nvuvm_sysinfo *s)
{
	char path[512];
	struct utsname u;

	memset(s, 0, sizeof(*s));
	s->device_private = s->hmm_mirror = -1;
	if (!release) {
		uname(&u);
		release = u.release;
	}
	snprintf(s->kernel, sizeof(s->kernel), "%.63s", release);
	snprintf(path, sizeof(path), "%s/proc/driver/nvidia/version", root);
	read_first_line(path, s->nvrm_version, sizeof(s->nvrm_version));
	s->open_module = is_open_module(s->nvrm_version);
	snprintf(path, sizeof(path), "%s/sys/module/nvidia_uvm/parameters/uvm_disable_hmm", root);
	s->disable_hmm = read_bool_param(path);
	snprintf(path, sizeof(path), "%s/boot/config-%s", root, release);
	if (scan_config(path, 0, s)) {
		snprintf(path, sizeof(path), "%s/proc/config.gz", root);
		scan_config(path, 1, s);
	}
}

/* "580.159.04" from the NVRM line, or "" */
static void nvrm_release(const char *nvrm, char *buf, size_t len)
{
	const char *p = nvrm;

	buf[0] = '\0';
	while ((p = strpbrk(p, "0123456789"))) {
		size_t n = strspn(p, "0123456789.");

		if (memchr(p, '.', n) && p > nvrm && p[-1] == ' ') {
			snprintf(buf, len, "%.*s", (int)(n < 32 ? n : 32), p);
			return;
		}
		p += n;
	}
}

static void append(char *buf, size_t len, int *n, const char *fmt, const char *arg)
{
	size_t used = strlen(buf);

	if (used >= len)
		return;
	snprintf(buf + used, len - used, "%s", (*n)++ ? "; " : "");
	used = strlen(buf);
	snprintf(buf + used, len - used, fmt, arg);
}

static void config_causes(const struct nvuvm_sysinfo *s, char *causes, size_t len, int *n)
{
	if (s->device_private == 0)
		append(causes, len, n, "kernel %s without CONFIG_DEVICE_PRIVATE", s->kernel);
	if (s->hmm_mirror == 0)
		append(causes, len, n, "kernel %s without CONFIG_HMM_MIRROR", s->kernel);
}

void nvuvm_no_hmm_reason(const struct nvuvm_sysinfo *s, char *buf, size_t len)
{
	static const char head[] = "pageable memory access is 0: nvidia-uvm runs without HMM here";
	char causes[400] = "", rel[40], module[64];
	int n = 0;

	nvrm_release(s->nvrm_version, rel, sizeof(rel));
	snprintf(module, sizeof(module), "kernel module%s%s", rel[0] ? " " : "", rel);
	if (s->open_module == 0)
		append(causes, sizeof(causes), &n, "the closed %s", module);
	if (s->disable_hmm == 1)
		append(causes, sizeof(causes), &n, "%s", "uvm_disable_hmm=1");
	config_causes(s, causes, sizeof(causes), &n);
	if (n) {
		snprintf(buf, len, "%s (%s)", head, causes);
		return;
	}
	if (s->open_module == 1 && s->disable_hmm == 0 && s->device_private == 1 &&
	    s->hmm_mirror == 1) {
		snprintf(buf, len, "%s (open %s, uvm_disable_hmm=0 and kernel %s with CONFIG_DEVICE_PRIVATE and CONFIG_HMM_MIRROR: nvidia-uvm was built without HMM, or the GPU predates Turing)",
			 head, module, s->kernel);
		return;
	}
	if (s->open_module == 1 && s->disable_hmm == 0) {
		/* Both module-side conditions hold: only the kernel is left. */
		snprintf(buf, len, "%s (open %s with uvm_disable_hmm=0, so kernel %s most likely lacks CONFIG_DEVICE_PRIVATE; its config is not readable here)",
			 head, module, s->kernel);
		return;
	}
	snprintf(buf, len, "%s (kernel without CONFIG_DEVICE_PRIVATE, the closed kernel module, or uvm_disable_hmm=1)",
		 head);
}
