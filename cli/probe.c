// SPDX-License-Identifier: GPL-2.0
/* hmmbench probe: what this kernel and its devices can do, measured. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <jansson.h>
#ifdef HAVE_LIBPFM
#include <perfmon/pfmlib.h>
#endif

#include "backend.h"
#include "cli.h"
#include "errname.h"
#include "meta.h"

static const char probe_usage[] =
	"usage: hmmbench probe [--json] [--backend NAME] [--device PATH]\n"
	"\n"
	"Opens every device of every backend (or just PATH), measures what it can\n"
	"do (FAIL_ALLOC injection, whole-PMD THP migration, coherent or private),\n"
	"and prints it with the kernel release, THP settings and PMU availability.\n"
	"GPU backends list every DRM device with why they cannot use it, if so.\n"
	"Exits 1 when no test_hmm device can be used (with --backend: no device of\n"
	"that backend), saying why.\n"
	"\n"
	"  --json          one JSON object on stdout instead of text\n"
	"  --backend NAME  only this backend (test_hmm, nouveau, amdkfd, xe, nvidia-uvm)\n"
	"  --device PATH   only this device (/dev/dri/* for nouveau, amdkfd and xe,\n"
	"                  cuda:N for nvidia-uvm)\n"
	"\n"
	"example:\n  hmmbench probe --json | jq .devices\n";

/* "CONFIG_TEST_HMM=m" -> 'm', not set -> 'n', no config to read -> '?'. */
static char kernel_config_test_hmm(const char *release)
{
	char path[300], line[256];
	char value = '?';
	FILE *f;

	snprintf(path, sizeof(path), "/boot/config-%s", release);
	f = fopen(path, "r");
	if (!f)
		return value;
	value = 'n';
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CONFIG_TEST_HMM=", 16))
			value = line[16];
	fclose(f);
	return value;
}

/*
 * The command that boots a test kernel with this very hmmbench inside, for
 * a user to copy: vm-run needs --add to bring the binary along.
 */
static void vm_run_hint(char *buf, size_t len)
{
	char self[PATH_MAX] = "hmmbench", *quoted, spec[PATH_MAX + 32], *arg = spec;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0)
		self[n] = '\0';
	snprintf(spec, sizeof(spec), "%s:/usr/bin/hmmbench", self);
	quoted = cli_command_line(1, &arg);
	snprintf(buf, len, "scripts/vm-run --kernel \"$(scripts/kernel-build | tail -n1)\" --add %s -- hmmbench probe",
		 quoted ? quoted : spec);
	free(quoted);
}

void cli_explain_missing_test_hmm(const char *path, int err, char *buf, size_t len)
{
	const char *dflt = "/dev/hmm_dmirror0";
	char hint[PATH_MAX * 2 + 128];
	struct utsname u;
	struct stat st;
	const char *why;

	if (!path)
		path = dflt;
	if (err == EACCES || err == EPERM) {
		snprintf(buf, len, "%s exists but cannot be opened: %s; run hmmbench as root or give your user access to /dev/hmm_dmirror*",
			 path, errno_name(err));
		return;
	}
	if (strcmp(path, dflt)) {
		/* A node the user named: say what is wrong with that one. */
		snprintf(buf, len, "%s %s (%s); test_hmm's nodes are /dev/hmm_dmirror0 and 1 (device-private), 2 and 3 (device-coherent, with spm_addr_dev0/1); leave out --device for %s",
			 path, err == ENOENT ? "does not exist" : "cannot be opened",
			 errno_name(err), dflt);
		return;
	}
	uname(&u);
	switch (kernel_config_test_hmm(u.release)) {
	case 'm':
		why = stat("/sys/module/test_hmm", &st) ? "the test_hmm module is not loaded"
			: "test_hmm is loaded but created no device node (is devtmpfs mounted on /dev?)";
		break;
	case 'y':
		why = "test_hmm is built in but created no device node (is devtmpfs mounted on /dev?)";
		break;
	case 'n':
		why = "this kernel was built without CONFIG_TEST_HMM";
		break;
	default:
		why = "this kernel has no test_hmm (built without CONFIG_TEST_HMM, or the module is not loaded)";
	}
	vm_run_hint(hint, sizeof(hint));
	snprintf(buf, len, "%s is missing (%s): %s (kernel %s); load it (modprobe test_hmm) or boot a test kernel with this hmmbench inside: %s",
		 path, errno_name(err), why, u.release, hint);
}

static int perf_open(uint32_t type, uint64_t config)
{
	struct perf_event_attr attr = {
		.type = type,
		.size = sizeof(attr),
		.config = config,
		.disabled = 1,
		.exclude_kernel = 0,
	};
	int fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static json_t *pmu_info(void)
{
	int hw = perf_open(PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES);
	int sw = perf_open(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK);
	json_t *pmu = json_object();

	json_object_set_new(pmu, "hardware", hw ? json_string(errno_name(-hw)) : json_string("available"));
	json_object_set_new(pmu, "software", sw ? json_string(errno_name(-sw)) : json_string("available"));
#ifdef HAVE_LIBPFM
	if (pfm_initialize() == PFM_SUCCESS) {
		int present = 0;
		pfm_pmu_t p;

		pfm_for_all_pmus(p) {
			pfm_pmu_info_t info = { .size = sizeof(info) };

			if (pfm_get_pmu_info(p, &info) == PFM_SUCCESS && info.is_present)
				present++;
		}
		json_object_set_new(pmu, "libpfm4_pmus", json_integer(present));
		pfm_terminate();
	}
#else
	json_object_set_new(pmu, "libpfm4_pmus", json_string("built without libpfm4"));
#endif
	return pmu;
}

json_t *cli_device_json(const struct hmm_dev *dev)
{
	json_t *caps = json_object();

	for (int i = 0; i < HMM_CAP_COUNT; i++) {
		enum hmm_cap cap = 1u << i;
		const char *reason = hmm_cap_reason(dev, cap);

		json_object_set_new(caps, hmm_cap_name(cap),
				    hmm_dev_can(dev, cap) ? json_true()
				    : json_string(*reason ? reason : "no"));
	}
	return json_pack("{s:s, s:s, s:o}", "backend", dev->ops->name,
			 "path", dev->path, "caps", caps);
}

/* What probing found for one backend. */
struct backend_result {
	int probed, usable, first_err;
	char reason[1400];	/* why none is usable */
};

/* Probes one node; returns its JSON, or an object saying why not. */
static json_t *probe_path(const struct hmm_backend_ops *ops, const char *path,
			  struct backend_result *r)
{
	struct hmm_dev dev;
	char msg[512];
	struct stat st;
	json_t *j;
	int ret;

	/* Only device nodes can be absent; "cuda:0" is a name, not a file. */
	if (path[0] == '/' && stat(path, &st) < 0) {
		if (!r->first_err)
			r->first_err = errno;
		return json_pack("{s:s, s:s, s:s}", "backend", ops->name, "path", path,
				 "absent", errno_name(errno));
	}
	ret = hmm_dev_open(&dev, ops, path);
	if (ret) {
		hmm_dev_strerror(&dev, HMM_OP_OPEN, ret, msg, sizeof(msg));
		if (!r->reason[0])
			snprintf(r->reason, sizeof(r->reason), "%s", dev.why[0] ? dev.why : msg);
		hmm_dev_close(&dev);
		if (!r->first_err)
			r->first_err = -ret;
		return json_pack("{s:s, s:s, s:s}", "backend", ops->name, "path", path,
				 "error", msg);
	}
	j = cli_device_json(&dev);
	hmm_dev_close(&dev);
	r->usable++;
	return j;
}

/* A GPU backend's nodes: usable ones probed, the others with why not. */
static void probe_discovered(const struct hmm_backend_ops *ops, json_t *devices,
			     struct backend_result *r)
{
	struct hmm_discovery d;

	hmm_backend_discover(ops, &d);
	for (int i = 0; i < d.n; i++) {
		const struct hmm_candidate *c = &d.c[i];
		json_t *j;

		if (c->reason[0]) {
			j = json_pack("{s:s, s:s, s:s, s:s}", "backend", ops->name,
				      "path", c->path, "what", c->what, "unusable", c->reason);
		} else {
			j = probe_path(ops, c->path, r);
			json_object_set_new(j, "what", json_string(c->what));
		}
		json_array_append_new(devices, j);
	}
	if (!r->usable && !r->reason[0])
		snprintf(r->reason, sizeof(r->reason), "%s", d.reason[0] ? d.reason : "no device found");
}

static int prefix_of(const struct hmm_backend_ops *ops, const char *device)
{
	return ops->path_prefix && !strncmp(device, ops->path_prefix, strlen(ops->path_prefix));
}

/*
 * --device PATH goes to the backends whose prefix it has (/dev/dri/ to the
 * DRM GPU backends, cuda: to nvidia-uvm); a path no prefix claims goes to
 * the backends without one (test_hmm).
 */
static int backend_takes(const struct hmm_backend_ops *ops, const char *device)
{
	const struct hmm_backend_ops *const *b = hmm_backends();

	if (!device)
		return 1;
	if (ops->path_prefix)
		return prefix_of(ops, device);
	for (int i = 0; b[i]; i++)
		if (prefix_of(b[i], device))
			return 0;
	return 1;
}

static void probe_backend(const struct hmm_backend_ops *ops, const char *device,
			  json_t *devices, struct backend_result *r)
{
	r->probed = 1;
	if (device)
		json_array_append_new(devices, probe_path(ops, device, r));
	else if (ops->discover)
		probe_discovered(ops, devices, r);
	else
		for (const char *const *p = ops->default_paths; *p; p++)
			json_array_append_new(devices, probe_path(ops, *p, r));
}

static json_t *backends_json(const struct backend_result *res)
{
	const struct hmm_backend_ops *const *b = hmm_backends();
	json_t *all = json_array();

	for (int i = 0; b[i]; i++) {
		json_t *j;

		if (!res[i].probed)
			continue;
		j = json_pack("{s:s, s:s, s:i}", "name", b[i]->name,
			      "describe", b[i]->describe, "usable", res[i].usable);
		if (!res[i].usable)
			json_object_set_new(j, "reason", json_string(res[i].reason));
		json_array_append_new(all, j);
	}
	return all;
}

static void print_text(json_t *info)
{
	json_t *d, *v;
	const char *k;
	size_t i;

	printf("kernel:  %s\n", json_string_value(json_object_get(json_object_get(info, "kernel"), "release")));
	printf("thp:    ");
	json_object_foreach(json_object_get(info, "thp"), k, v)
		printf(" %s=%s", k, json_string_value(v));
	printf("\npmu:    ");
	json_object_foreach(json_object_get(info, "pmu"), k, v)
		json_is_string(v) ? printf(" %s=%s", k, json_string_value(v))
				  : printf(" %s=%lld", k, (long long)json_integer_value(v));
	printf("\n");
	json_array_foreach(json_object_get(info, "devices"), i, d) {
		const char *path = json_string_value(json_object_get(d, "path"));
		const char *be = json_string_value(json_object_get(d, "backend"));

		if (json_object_get(d, "unusable")) {
			printf("%-9s %s (%s): not used: %s\n", be, path,
			       json_string_value(json_object_get(d, "what")),
			       json_string_value(json_object_get(d, "unusable")));
			continue;
		}
		if (json_object_get(d, "absent")) {
			printf("%-9s %s: absent\n", be, path);
			continue;
		}
		if (json_object_get(d, "error")) {
			printf("%-9s %s: %s\n", be, path, json_string_value(json_object_get(d, "error")));
			continue;
		}
		printf("%-9s %s:\n", be, path);
		json_object_foreach(json_object_get(d, "caps"), k, v)
			printf("    %-15s %s\n", k, json_is_true(v) ? "yes" : json_string_value(v));
	}
	json_array_foreach(json_object_get(info, "backends"), i, d)
		if (json_object_get(d, "reason"))
			printf("%-9s no usable device: %s\n",
			       json_string_value(json_object_get(d, "name")),
			       json_string_value(json_object_get(d, "reason")));
}

/* The exit status and its one line: test_hmm's rule unless only GPUs were asked. */
static int probe_verdict(const struct backend_result *res, const char *device)
{
	const struct hmm_backend_ops *const *b = hmm_backends();
	const struct backend_result *first = NULL;
	char why[1400];

	for (int i = 0; b[i]; i++) {
		if (!res[i].probed)
			continue;
		if (!strcmp(b[i]->name, "test_hmm")) {
			if (res[i].usable)
				return EXIT_OK;
			cli_explain_missing_test_hmm(device, res[i].first_err ? res[i].first_err : ENOENT,
						     why, sizeof(why));
			cli_error("%s", why);
			return EXIT_FAIL;
		}
		if (res[i].usable)
			return EXIT_OK;
		if (!first)
			first = &res[i];
	}
	if (!first)
		return EXIT_OK;
	cli_error("no usable %s device: %s", b[first - res]->name, first->reason);
	return EXIT_FAIL;
}

int probe_parse_opts(int argc, char **argv, struct probe_opts *o)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "backend", required_argument, NULL, 'b' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jb:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = 1; break;
		case 'd': o->device = optarg; break;
		case 'b':
			o->only = hmm_backend_find(optarg);
			if (!o->only) {
				cli_error("unknown backend '%s'; known: %s", optarg, hmm_backend_names());
				return -1;
			}
			break;
		case 'h': fputs(probe_usage, stdout); o->help = 1; return 0;
		default:
			cli_error("unknown or incomplete option '%s' for probe; see 'hmmbench probe --help'",
				  argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s'; see 'hmmbench probe --help'", argv[optind]);
		return -1;
	}
	return 0;
}

int cmd_probe(int argc, char **argv)
{
	struct backend_result res[16] = { 0 };
	const struct hmm_backend_ops *const *b = hmm_backends();
	struct probe_opts o = { 0 };
	const struct hmm_backend_ops *only;
	const char *device;
	json_t *info, *devices;

	if (probe_parse_opts(argc, argv, &o))
		return EXIT_USAGE;
	if (o.help)
		return EXIT_OK;
	only = o.only;
	device = o.device;

	devices = json_array();
	for (int i = 0; b[i] && i < 16; i++)
		if (only ? only == b[i] : backend_takes(b[i], device))
			probe_backend(b[i], device, devices, &res[i]);
	for (int i = 0; b[i] && i < 16; i++)
		if (res[i].probed && !res[i].usable && !strcmp(b[i]->name, "test_hmm"))
			cli_explain_missing_test_hmm(device, res[i].first_err ? res[i].first_err : ENOENT,
						     res[i].reason, sizeof(res[i].reason));
	info = meta_collect("probe", "hmmbench probe", NULL);
	json_object_del(info, "counters");
	json_object_set_new(info, "pmu", pmu_info());
	json_object_set_new(info, "devices", devices);
	json_object_set_new(info, "backends", backends_json(res));
	if (o.json) {
		json_dumpf(info, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else {
		print_text(info);
	}
	json_decref(info);
	fflush(stdout);
	return probe_verdict(res, device);
}
