// SPDX-License-Identifier: GPL-2.0
/* Building a reproducer and booting kernels with it (see boot.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "boot.h"
#include "paths.h"
#include "repro_console.h"

/*
 * In the guest: the program runs in the background while dmesg is
 * watched. A kernel report ends the boot once the kernel stops adding
 * lines to it (an Oops can leave the program stuck in the kernel for
 * ever); so does a REPRO-FAIL line from a program that cannot exit
 * (a thread stuck in the kernel).
 */
static const char guest_script[] =
	"/usr/bin/repro -t %u -w %u >/results/repro.out 2>&1 & p=$!\n"
	"re='BUG: |Oops|general protection fault|Kernel panic|WARNING: |KASAN: |UBSAN: |soft lockup|hard LOCKUP|rcu.*stall|INFO: task .* blocked'\n"
	"match=%s\n"
	"stuck=0\n"
	"while kill -0 $p 2>/dev/null; do\n"
	"  if dmesg | grep -qE \"$re\" && dmesg | grep -qE \"$match\"; then\n"
	"    prev=-1; n=$(dmesg | wc -l)\n"
	"    while [ \"$n\" != \"$prev\" ]; do prev=$n; sleep 3; n=$(dmesg | wc -l); done\n"
	"    echo REPRO_GUEST=kernel-report; exit 0\n"
	"  fi\n"
	"  if grep -q '^REPRO-FAIL' /results/repro.out; then\n"
	"    stuck=$((stuck + 1)); [ $stuck -ge 5 ] && { echo REPRO_GUEST=stuck; exit 0; }\n"
	"  fi\n"
	"  sleep 1\n"
	"done\n"
	"wait $p; echo REPRO_GUEST_EXIT=$?\n";

const char *repro_scripts_dir(void)
{
	return hmmb_scripts_dir();
}

static volatile pid_t running_child;

/* SIGINT/SIGTERM: the guest (vm-run kills its qemu) goes with us. */
static void forward_signal(int sig)
{
	if (running_child > 0)
		kill(running_child, sig);
	_exit(128 + sig);
}

/*
 * Runs @argv with stdout and stderr into @log (NULL: inherited) and
 * returns its exit status, 128+signal, or -1 if it could not start.
 */
static int run_cmd(char *const argv[], const char *log)
{
	static int handlers;
	int status;
	pid_t pid;

	if (!handlers++) {
		signal(SIGINT, forward_signal);
		signal(SIGTERM, forward_signal);
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int fd = open("/dev/null", O_RDONLY);

		if (fd >= 0)
			dup2(fd, 0);
		if (log) {
			fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
			if (fd < 0)
				_exit(127);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	running_child = pid;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			running_child = 0;
			return -1;
		}
	running_child = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

/* The last non-empty line of @text, into @buf. */
static void last_line(const char *text, char *buf, size_t len)
{
	const char *end = text + strlen(text), *start;

	while (end > text && end[-1] == '\n')
		end--;
	start = end;
	while (start > text && start[-1] != '\n')
		start--;
	snprintf(buf, len, "%.*s", (int)(end - start), start);
}

int repro_build(const char *src, const char *bin, char *err, size_t len)
{
	char log[PATH_MAX + 8], *text;
	const char *cc = getenv("CC") && *getenv("CC") ? getenv("CC") : "gcc";
	char *const argv[] = { (char *)cc, "-static", "-pthread", "-O2", "-o", (char *)bin,
			       (char *)src, NULL };
	int rc;

	snprintf(log, sizeof(log), "%s.log", bin);
	rc = run_cmd(argv, log);
	if (!rc)
		return 0;
	text = slurp(log);
	last_line(text ? text : "", err, len);
	if (!*err)
		snprintf(err, len, "%s could not be run (status %d); install gcc and libc6-dev", cc, rc);
	free(text);
	return -1;
}

/* @bz's directory's file @name, as a path. */
static void path_beside(const char *bz, const char *name, char *path, size_t len)
{
	const char *slash = strrchr(bz, '/');

	snprintf(path, len, "%.*s/%s", slash ? (int)(slash - bz) : 1, slash ? bz : ".", name);
}

/* Reads @bz's directory's file @name into @buf (first line), or leaves it empty. */
static void read_beside(const char *bz, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX + 64];
	char *text;

	buf[0] = '\0';
	path_beside(bz, name, path, sizeof(path));
	text = slurp(path);
	if (text) {
		snprintf(buf, len, "%.*s", (int)strcspn(text, "\n"), text);
		free(text);
	}
}

/* The flavour a kernel-build cache entry was built with (build.json). */
static void read_flavour(struct repro_kernel *k)
{
	char path[PATH_MAX + 64];
	const char *f;
	json_t *j;

	path_beside(k->bzimage, "build.json", path, sizeof(path));
	j = json_load_file(path, 0, NULL);
	f = json_string_value(json_object_get(j, "flavour"));
	snprintf(k->flavour, sizeof(k->flavour), "%s", f ? f : "");
	json_decref(j);
}

static void fill_from_build(struct repro_kernel *k)
{
	struct stat st;

	read_beside(k->bzimage, "release", k->release, sizeof(k->release));
	read_beside(k->bzimage, "source-id", k->source_id, sizeof(k->source_id));
	path_beside(k->bzimage, "config", k->config, sizeof(k->config));
	if (stat(k->config, &st))
		k->config[0] = '\0';
	read_flavour(k);
}

/* Splits "7.2+patch:FILE+label=x" into kernel-build arguments. */
static int build_args(const char *spec, const char *flavour, char **argv, size_t max,
		      char *store, size_t store_len)
{
	size_t n = 0, used = 0;
	char *copy = store, *part, *save;

	snprintf(copy, store_len, "%s", spec);
	used = strlen(copy) + 1;
	argv[n++] = NULL;	/* the script, set by the caller */
	for (part = strtok_r(copy, "+", &save); part && n + 4 < max;
	     part = strtok_r(NULL, "+", &save)) {
		if (part == copy) {
			if (!strncmp(part, "src:", 4)) {
				argv[n++] = "--src";
				argv[n++] = part + 4;
			} else {
				argv[n++] = "--version";
				argv[n++] = part;
			}
		} else if (!strncmp(part, "patch:", 6)) {
			argv[n++] = "--patch";
			argv[n++] = part + 6;
		} else if (!strncmp(part, "label=", 6)) {
			argv[n++] = "--label";
			argv[n++] = part + 6;
		} else {
			return -1;
		}
	}
	argv[n++] = "--flavour";
	argv[n++] = (char *)flavour;
	argv[n] = NULL;
	(void)used;
	return 0;
}

int repro_kernel_resolve(struct repro_kernel *k, const char *spec, const char *flavour,
			 char *err, size_t len)
{
	char script[PATH_MAX + 32], log[] = "/tmp/hmmbench-repro-kbuild-XXXXXX", store[1024];
	char *argv[16], *text;
	struct stat st;
	int fd, rc;

	memset(k, 0, sizeof(*k));
	snprintf(k->spec, sizeof(k->spec), "%s", spec);
	if (!strncmp(spec, "image:", 6) || (!stat(spec, &st) && S_ISREG(st.st_mode))) {
		snprintf(k->bzimage, sizeof(k->bzimage), "%s", strncmp(spec, "image:", 6) ? spec : spec + 6);
		if (stat(k->bzimage, &st)) {
			snprintf(err, len, "kernel image '%s' does not exist", k->bzimage);
			return -1;
		}
		fill_from_build(k);
		return 0;
	}
	if (build_args(spec, flavour, argv, 16, store, sizeof(store))) {
		snprintf(err, len, "kernel '%s' is not a bzImage, a version (6.12, 7.2, 7.3) or src:PATH, with +patch:FILE or +label=NAME after it", spec);
		return -1;
	}
	snprintf(script, sizeof(script), "%s/kernel-build", repro_scripts_dir());
	argv[0] = script;
	fd = mkstemp(log);
	if (fd < 0) {
		snprintf(err, len, "cannot create a log file: %s", strerror(errno));
		return -1;
	}
	close(fd);
	fprintf(stderr, "hmmbench: kernel %s: scripts/kernel-build (cached after the first build; log %s)\n",
		spec, log);
	rc = run_cmd(argv, log);
	text = slurp(log);
	if (text)
		last_line(text, k->bzimage, sizeof(k->bzimage));
	if (rc || stat(k->bzimage, &st)) {
		snprintf(err, len, "building kernel '%s' failed (status %d): %.200s; see %s", spec, rc,
			 text ? k->bzimage : "no output", log);
		free(text);
		return -1;
	}
	free(text);
	unlink(log);
	fill_from_build(k);
	return 0;
}

/* 'it'\''s' for sh. */
static void shell_quote(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	buf[n++] = '\'';
	for (; *s && n + 6 < len; s++) {
		if (*s == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else {
			buf[n++] = *s;
		}
	}
	buf[n++] = '\'';
	buf[n] = '\0';
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The program's verdict line and status, from repro.out and the console. */
static void read_program(const char *resdir, const char *console, struct repro_boot *b)
{
	char path[PATH_MAX + 16], *out;
	const char *p;

	snprintf(path, sizeof(path), "%s/repro.out", resdir);
	out = slurp(path);
	b->prog_status = -1;
	if (out) {
		const char *line = strstr(out, "REPRO-FAIL");

		if (!line)
			line = strstr(out, "REPRO-PASS");
		if (!line)
			line = strstr(out, "REPRO-SETUP");
		if (line)
			snprintf(b->prog_line, sizeof(b->prog_line), "%.*s",
				 (int)strcspn(line, "\n"), line);
		free(out);
	}
	p = console ? strstr(console, "REPRO_GUEST_EXIT=") : NULL;
	if (p)
		b->prog_status = atoi(p + strlen("REPRO_GUEST_EXIT="));
}

/*
 * The first report that matches @match, else the first report: a guest
 * starved by a busy host may print a stall before the bug's own report.
 */
static void pick_report(const char *console, const char *match, struct repro_boot *b)
{
	const char *at = console, *next;
	enum kmsg_kind kind;
	char *text;

	b->report = repro_console_report(console, &b->kind);
	if (!b->report || !match || !*match)
		return;
	while ((text = repro_console_report_at(at, &kind, &next))) {
		if (repro_report_matches(text, kind, NULL, match)) {
			free(b->report);
			b->report = text;
			b->kind = kind;
			return;
		}
		free(text);
		if (next == at || !*next)
			return;
		at = next;
	}
}

/*
 * The guest runs with oops=panic: an Oops can leave the CPU that took it
 * dead with interrupts off and the program's other threads stuck, so the
 * guest's own watcher never got to say so and every hit boot used to wait
 * for the timeout (72 s to the Oops, 480 s to the end). Panicking ends the
 * boot at once (vm-run boots with panic=-1 and -no-reboot), after the
 * report is on the console. Stalls and lockups are left to the watcher: a
 * starved TCG guest prints stalls of its own that must not end a boot.
 *
 * softlockup_all_cpu_backtrace=1: a CPU that spins with interrupts off
 * never reports itself; the CPU that reports the soft lockup is often one
 * waiting for it (a TLB-flush IPI it never answers), so without the other
 * CPUs' stacks the report names the victim, not the culprit.
 */
#define REPRO_BOOT_APPEND "oops=panic softlockup_all_cpu_backtrace=1"

int repro_boot_once(const struct repro_boot_opts *o, struct repro_boot *b)
{
	char script[PATH_MAX + 32], add[PATH_MAX + 32], timeout[16], cpus[16], cmd[2048];
	char path[PATH_MAX + 16], *console, quoted[600];
	double t0 = now_s();
	char *const argv[] = { script, "--kernel", (char *)o->kernel, "--results", (char *)o->resdir,
			       "--timeout", timeout, "--cpus", cpus, "--mem", (char *)(o->mem ? o->mem : "2G"),
			       "--add", add, "--append", REPRO_BOOT_APPEND, "--", "sh", "-c", cmd, NULL };

	memset(b, 0, sizeof(*b));
	snprintf(script, sizeof(script), "%s/vm-run", repro_scripts_dir());
	snprintf(add, sizeof(add), "%s:/usr/bin/repro", o->bin);
	snprintf(timeout, sizeof(timeout), "%u", o->timeout);
	snprintf(cpus, sizeof(cpus), "%u", o->cpus ? o->cpus : 2);
	shell_quote(o->match && *o->match ? o->match : ".", quoted, sizeof(quoted));
	snprintf(cmd, sizeof(cmd), guest_script, o->seconds, o->watchdog_s, quoted);
	if (mkdir(o->resdir, 0755) && errno != EEXIST) {
		fprintf(stderr, "hmmbench: cannot create %s: %s\n", o->resdir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/vm-run.log", o->resdir);
	b->vm_status = run_cmd(argv, path);
	b->seconds = now_s() - t0;
	snprintf(path, sizeof(path), "%s/console.log", o->resdir);
	console = slurp(path);
	snprintf(path, sizeof(path), "%s/repro.out", o->resdir);
	/*
	 * The guest ran the program if it says so, or if the program wrote
	 * its output (a loaded serial console has been seen to lose the
	 * guest's own lines, never the kernel's).
	 */
	if (!console || (!strstr(console, "HMMBENCH_VM_START") && access(path, F_OK))) {
		free(console);
		return -1;
	}
	pick_report(console, o->match, b);
	b->functions = b->report ? repro_report_functions(b->report) : json_array();
	read_program(o->resdir, console, b);
	free(console);
	return 0;
}

void repro_boot_free(struct repro_boot *b)
{
	free(b->report);
	json_decref(b->functions);
	memset(b, 0, sizeof(*b));
}

const char *repro_boot_outcome(const struct repro_boot *b, char *buf, size_t len)
{
	char key[128];
	const char *fn = repro_key_function(b->functions, key, sizeof(key));

	if (b->kind != KMSG_NONE)
		snprintf(buf, len, "%s%s%s", kmsg_kind_name(b->kind), fn ? " in " : "", fn ? fn : "");
	else if (!strncmp(b->prog_line, "REPRO-FAIL: integrity", 21))
		snprintf(buf, len, "integrity error");
	else if (!strncmp(b->prog_line, "REPRO-FAIL: SIG", 15))
		snprintf(buf, len, "signal");
	else if (!strncmp(b->prog_line, "REPRO-FAIL: hang", 16))
		snprintf(buf, len, "hang");
	else if (!strncmp(b->prog_line, "REPRO-PASS", 10))
		snprintf(buf, len, "clean");
	else if (b->vm_status == 124)
		snprintf(buf, len, "timeout, no report");
	else
		snprintf(buf, len, "no verdict (vm-run status %d)", b->vm_status);
	return buf;
}

void repro_want_from(const struct repro *r, const char *match, struct repro_want *w)
{
	const char *kind = json_string_value(json_object_get(r->failure, "kind"));
	const char *rk = json_string_value(json_object_get(r->failure, "report_kind"));
	const char *fn = json_string_value(json_object_get(r->failure, "function"));
	const char *report = json_string_value(json_object_get(r->failure, "report"));
	char key[128];

	/* Derived from the report's text, so a newer hmmbench reads it anew. */
	if (report) {
		json_t *fns = repro_report_functions(report);

		if (repro_key_function(fns, key, sizeof(key)))
			fn = key;
		json_decref(fns);
	}
	memset(w, 0, sizeof(*w));
	/* A model drawn from a seed ("none") is tried for kernel reports. */
	if (!kind || !strcmp(kind, "none"))
		kind = "kernel-report";
	snprintf(w->kind, sizeof(w->kind), "%s", kind);
	snprintf(w->report_kind, sizeof(w->report_kind), "%s", rk ? rk : "");
	if (match)
		snprintf(w->match, sizeof(w->match), "%s", match);
	else if (fn)
		snprintf(w->match, sizeof(w->match), "%s", fn);
}

int repro_want_set_kind(struct repro_want *w, const char *kind)
{
	/*
	 * The program's own verdicts, and "kernel-report": a kernel report of
	 * any kind, with no report_kind for the regex alone to decide.
	 */
	static const char *const own[] = { "integrity", "signal", "hang", "kernel-report" };

	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!strcmp(kind, own[i])) {
			snprintf(w->kind, sizeof(w->kind), "%s", kind);
			w->report_kind[0] = '\0';
			return 0;
		}
	for (enum kmsg_kind k = KMSG_NONE + 1; k < KMSG_KIND_COUNT; k++)
		if (!strcmp(kind, kmsg_kind_name(k))) {
			snprintf(w->kind, sizeof(w->kind), "kernel-report");
			snprintf(w->report_kind, sizeof(w->report_kind), "%s", kind);
			return 0;
		}
	return -1;
}

int repro_boot_hit(const struct repro_boot *b, const struct repro_want *w)
{
	if (!strcmp(w->kind, "integrity"))
		return !strncmp(b->prog_line, "REPRO-FAIL: integrity", 21);
	if (!strcmp(w->kind, "signal"))
		return !strncmp(b->prog_line, "REPRO-FAIL: SIG", 15);
	if (!strcmp(w->kind, "hang"))
		return !strncmp(b->prog_line, "REPRO-FAIL: hang", 16) ||
		       repro_report_matches(b->report, b->kind, "hung-task", w->match);
	return repro_report_matches(b->report, b->kind, w->report_kind, w->match);
}

json_t *repro_boot_json(const struct repro_boot *b, const struct repro_kernel *k, int hit)
{
	char outcome[200];
	json_t *j = json_object();

	json_object_set_new(j, "kernel", json_string(k->spec));
	json_object_set_new(j, "release", json_string(k->release));
	json_object_set_new(j, "source_id", json_string(k->source_id));
	json_object_set_new(j, "bzimage", json_string(k->bzimage));
	json_object_set_new(j, "hit", json_boolean(hit));
	json_object_set_new(j, "outcome", json_string(repro_boot_outcome(b, outcome, sizeof(outcome))));
	json_object_set_new(j, "vm_status", json_integer(b->vm_status));
	json_object_set_new(j, "program_status", json_integer(b->prog_status));
	json_object_set_new(j, "program", json_string(b->prog_line));
	json_object_set_new(j, "seconds", json_real(b->seconds));
	if (b->report) {
		json_object_set_new(j, "report_kind", json_string(kmsg_kind_name(b->kind)));
		json_object_set_new(j, "report", json_string(b->report));
		json_object_set(j, "functions", b->functions);
	}
	return j;
}
