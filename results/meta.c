// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "gitversion.h"
#include "meta.h"
#include "record.h"

#define THP_DIR "/sys/kernel/mm/transparent_hugepage"

char *meta_read_file(const char *path)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return strdup(buf);
}

void meta_utc_now(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "always [madvise] never" -> "madvise"; plain values pass through. */
static json_t *selected_value(const char *raw)
{
	const char *open = strchr(raw, '['), *close;

	if (!open || !(close = strchr(open, ']')))
		return json_string(raw);
	return json_stringn(open + 1, close - open - 1);
}

static void add_file(json_t *obj, const char *key, const char *path)
{
	char *v = meta_read_file(path);

	if (v)
		json_object_set_new(obj, key, selected_value(v));
	free(v);
}

json_t *meta_thp_settings(void)
{
	json_t *thp = json_object();

	add_file(thp, "enabled", THP_DIR "/enabled");
	add_file(thp, "defrag", THP_DIR "/defrag");
	add_file(thp, "shmem_enabled", THP_DIR "/shmem_enabled");
	add_file(thp, "use_zero_page", THP_DIR "/use_zero_page");
	add_file(thp, "hpage_pmd_size", THP_DIR "/hpage_pmd_size");
	add_file(thp, "khugepaged_defrag", THP_DIR "/khugepaged/defrag");
	add_file(thp, "hugepages-2048kB_enabled", THP_DIR "/hugepages-2048kB/enabled");
	return thp;
}

static int counter_wanted(const char *name)
{
	static const char *const prefixes[] = {
		"thp_", "pgmigrate_", "compact_", "pgfault", "pgmajfault",
		"nr_free_pages", "nr_anon_transparent_hugepages", NULL,
	};

	for (int i = 0; prefixes[i]; i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return 1;
	return 0;
}

json_t *meta_vmstat(void)
{
	json_t *vm = json_object();
	char name[128];
	long long value;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return vm;
	while (fscanf(f, "%127s %lld", name, &value) == 2)
		if (counter_wanted(name))
			json_object_set_new(vm, name, json_integer(value));
	fclose(f);
	return vm;
}

/* hugepages-2048kB/stats/split -> "hugepages-2048kB/split": N */
static void add_thp_size_stats(json_t *obj)
{
	DIR *top = opendir(THP_DIR);
	struct dirent *d;

	while (top && (d = readdir(top))) {
		char path[512];
		DIR *stats;
		struct dirent *s;

		if (strncmp(d->d_name, "hugepages-", 10))
			continue;
		snprintf(path, sizeof(path), THP_DIR "/%s/stats", d->d_name);
		stats = opendir(path);
		while (stats && (s = readdir(stats))) {
			char file[800], key[800], *v;

			if (s->d_name[0] == '.')
				continue;
			snprintf(file, sizeof(file), "%s/%s", path, s->d_name);
			snprintf(key, sizeof(key), "%s/%s", d->d_name, s->d_name);
			v = meta_read_file(file);
			if (v)
				json_object_set_new(obj, key, json_integer(strtoll(v, NULL, 10)));
			free(v);
		}
		if (stats)
			closedir(stats);
	}
	if (top)
		closedir(top);
}

json_t *meta_counters(void)
{
	json_t *c = meta_vmstat();

	add_thp_size_stats(c);
	return c;
}

json_t *meta_counter_delta(json_t *before, json_t *after)
{
	json_t *delta = json_object(), *v;
	const char *key;

	json_object_foreach(after, key, v) {
		json_t *b = json_object_get(before, key);
		long long d;

		if (!json_is_integer(b) || !json_is_integer(v))
			continue;
		d = json_integer_value(v) - json_integer_value(b);
		if (d)
			json_object_set_new(delta, key, json_integer(d));
	}
	return delta;
}

static json_t *cpu_info(void)
{
	char line[512], *model = NULL;
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			model = strdup(colon + 2);
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	json_t *cpu = json_pack("{s:s, s:i}", "model", model ? model : "unknown",
				"count", (int)sysconf(_SC_NPROCESSORS_ONLN));
	free(model);
	return cpu;
}

long meta_meminfo_kib(const char *key)
{
	char *text = meta_read_file("/proc/meminfo"), *at;
	long kib = -1;

	if (text && (at = strstr(text, key)))
		kib = strtol(at + strlen(key), NULL, 10);
	free(text);
	return kib;
}

static json_t *kernel_info(void)
{
	struct utsname u;
	char *version = meta_read_file("/proc/version");
	char *cmdline = meta_read_file("/proc/cmdline");
	json_t *k;

	uname(&u);
	k = json_pack("{s:s, s:s, s:s, s:s}", "release", u.release,
		      "machine", u.machine,
		      "proc_version", version ? version : "",
		      "cmdline", cmdline ? cmdline : "");
	free(version);
	free(cmdline);
	return k;
}

json_t *meta_collect(const char *suite, const char *command_line, json_t *job)
{
	char host[256] = "unknown", start[32];
	json_t *m = rec_new("meta");

	gethostname(host, sizeof(host) - 1);
	meta_utc_now(start, sizeof(start));
	json_object_set_new(m, "hmmbench", json_pack("{s:s, s:s}",
			    "version", PACKAGE_VERSION, "commit", HMMBENCH_GIT_COMMIT));
	json_object_set_new(m, "start", json_string(start));
	json_object_set_new(m, "host", json_string(host));
	json_object_set_new(m, "suite", json_string(suite));
	json_object_set_new(m, "command", json_string(command_line));
	json_object_set_new(m, "kernel", kernel_info());
	json_object_set_new(m, "thp", meta_thp_settings());
	json_object_set_new(m, "cpu", cpu_info());
	json_object_set_new(m, "memory_kib", json_integer(meta_meminfo_kib("MemTotal:")));
	json_object_set_new(m, "job", job ? job : json_object());
	json_object_set_new(m, "counters", meta_counters());
	return m;
}
