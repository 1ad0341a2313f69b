// SPDX-License-Identifier: GPL-2.0
/* The kernel a run ran on: config, source, build inputs, label. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "kinfo.h"

int kinfo_label_ok(const char *label)
{
	size_t n = strlen(label);

	if (!n || n > KINFO_LABEL_MAX || label[0] == '.' || label[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)label[i]) && !strchr("._+-", label[i]))
			return 0;
	return 1;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return -1;
	for (unsigned int i = 0; i < mdlen; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
	return 0;
}

/* The CONFIG_ lines of @copy (modified in place), LOCALVERSION left out. */
static size_t option_lines(char *copy, char ***lines)
{
	size_t n = 0, cap = 0;
	char *save = NULL;

	*lines = NULL;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(l);

		while (len && (l[len - 1] == '\r' || l[len - 1] == ' '))
			l[--len] = '\0';
		if (strncmp(l, "CONFIG_", 7) || !strncmp(l, "CONFIG_LOCALVERSION=", 20))
			continue;
		if (n == cap) {
			char **more = realloc(*lines, (cap = cap ? 2 * cap : 256) * sizeof(*more));

			if (!more)
				return n;
			*lines = more;
		}
		(*lines)[n++] = l;
	}
	return n;
}

int kinfo_config_sha256(const char *text, char out[65])
{
	char *copy = strdup(text), **lines, *joined, *p;
	size_t n, len = 0;
	int ret = -1;

	if (!copy)
		return -1;
	n = option_lines(copy, &lines);
	if (n) {
		qsort(lines, n, sizeof(*lines), by_string);
		for (size_t i = 0; i < n; i++)
			len += strlen(lines[i]) + 1;
		joined = p = malloc(len + 1);
		if (joined) {
			for (size_t i = 0; i < n; i++)
				p += sprintf(p, "%s\n", lines[i]);
			ret = sha256_hex(joined, len, out);
			free(joined);
		}
	}
	free(lines);
	free(copy);
	return ret;
}

/* The whole of a plain or gzip'd file (zlib reads both), or NULL. */
static char *slurp(const char *path)
{
	gzFile gz = gzopen(path, "rb");
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	int n;

	if (!gz || !buf)
		goto fail;
	for (;;) {
		if (cap - len < 4096 + 1) {
			char *more = realloc(buf, cap *= 2);

			if (!more)
				goto fail;
			buf = more;
		}
		n = gzread(gz, buf + len, cap - len - 1);
		if (n < 0)
			goto fail;
		if (!n)
			break;
		len += n;
	}
	gzclose(gz);
	buf[len] = '\0';
	return buf;
fail:
	if (gz)
		gzclose(gz);
	free(buf);
	return NULL;
}

/* The running kernel's config text and where it came from; NULL if none. */
static char *read_config(const char *release, const struct kinfo_paths *p,
			 char *from, size_t len)
{
	char *text;

	snprintf(from, len, "%s", p->proc_config);
	text = slurp(from);
	if (text)
		return text;
	snprintf(from, len, "%s/config-%s", p->boot_dir, release);
	text = slurp(from);
	if (text)
		return text;
	snprintf(from, len, "%s/config", p->info_dir);
	return slurp(from);
}

static int write_text(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;
	int ret = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "w");
	if (!f)
		return -errno;
	if (fputs(text, f) == EOF)
		ret = -EIO;
	if (fclose(f))
		ret = -errno;
	return ret;
}

static json_t *config_json(const char *release, const struct kinfo_paths *p,
			   const char *run_dir)
{
	char from[PATH_MAX], sha[65];
	char *text = read_config(release, p, from, sizeof(from));
	json_t *c;

	if (!text)
		return json_pack("{s:n, s:n, s:s}", "sha256", "from", "why",
				 "no /proc/config.gz (CONFIG_IKCONFIG_PROC), no /boot/config-<release> and no config from scripts/kernel-build");
	if (kinfo_config_sha256(text, sha)) {
		free(text);
		return json_pack("{s:n, s:s, s:s}", "sha256", "from", from, "why",
				 "the config holds no CONFIG_ option");
	}
	c = json_pack("{s:s, s:s, s:s}", "sha256", sha, "from", from,
		      "hashed", "CONFIG_ lines sorted, CONFIG_LOCALVERSION left out");
	json_object_set_new(c, "file", run_dir && !write_text(run_dir, KINFO_CONFIG_FILE, text)
			    ? json_string(KINFO_CONFIG_FILE) : json_null());
	free(text);
	return c;
}

/* build.json if it describes the running kernel; *why says why not. */
static json_t *read_build(const char *release, const char *path, char *why, size_t len)
{
	json_error_t jerr;
	json_t *b = json_load_file(path, 0, &jerr);
	const char *brel;

	if (!b) {
		if (access(path, F_OK))
			snprintf(why, len, "no %s from scripts/kernel-build (a kernel built otherwise, or bare metal)", path);
		else
			snprintf(why, len, "%s: %s", path, jerr.text);
		return NULL;
	}
	brel = json_string_value(json_object_get(b, "release"));
	if (!json_is_object(b) || !brel || strcmp(brel, release)) {
		snprintf(why, len, "%s describes release '%s', not the running %s: ignored",
			 path, brel ? brel : "?", release);
		json_decref(b);
		return NULL;
	}
	return b;
}

/* "Debian 6.12.117-1" in /proc/version: a distribution kernel's source. */
static json_t *proc_version_source(const char *proc_version)
{
	char *v = NULL, *at, ver[128];
	FILE *f = fopen(proc_version, "r");
	size_t cap = 0;
	json_t *s = NULL;

	if (f && getline(&v, &cap, f) > 0 && (at = strstr(v, " Debian ")) &&
	    sscanf(at, " Debian %127s", ver) == 1) {
		char id[160];

		snprintf(id, sizeof(id), "debian:linux=%s", ver);
		s = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "kind", "debian",
			      "version", ver, "from", proc_version);
	}
	if (f)
		fclose(f);
	free(v);
	return s ? s : json_pack("{s:n, s:s, s:s}", "id", "from", proc_version, "why",
				 "no scripts/kernel-build build.json and no distribution version in /proc/version");
}

/* Copies the build's patches (in @info_dir/patches/) into @run_dir. */
static void copy_patches(const char *info_dir, const char *run_dir)
{
	char src[PATH_MAX], dst[PATH_MAX];
	struct dirent *d;
	DIR *dir;

	snprintf(src, sizeof(src), "%s/patches", info_dir);
	dir = opendir(src);
	if (!dir)
		return;
	snprintf(dst, sizeof(dst), "%s/" KINFO_PATCH_DIR, run_dir);
	if (mkdir(dst, 0755) && errno != EEXIST) {
		closedir(dir);
		return;
	}
	while ((d = readdir(dir))) {
		char path[PATH_MAX + 256], *text;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", src, d->d_name);
		text = slurp(path);
		if (text)
			write_text(dst, d->d_name, text);
		free(text);
	}
	closedir(dir);
}

void kinfo_add_from(json_t *kernel, const char *label, const char *run_dir,
		    const struct kinfo_paths *p)
{
	const char *release = json_string_value(json_object_get(kernel, "release"));
	char path[PATH_MAX], why[PATH_MAX + 512];
	json_t *build, *source;

	if (!release)
		release = "";
	json_object_set_new(kernel, "label", label ? json_string(label) : json_null());
	json_object_set_new(kernel, "config", config_json(release, p, run_dir));
	snprintf(path, sizeof(path), "%s/build.json", p->info_dir);
	build = read_build(release, path, why, sizeof(why));
	if (build) {
		json_object_set_new(build, "from", json_string(path));
		source = json_deep_copy(json_object_get(build, "source"));
		if (json_is_object(source))
			json_object_set_new(source, "from", json_string(path));
		else
			source = proc_version_source(p->proc_version);
		if (run_dir && json_array_size(json_object_get(build, "patches")))
			copy_patches(p->info_dir, run_dir);
	} else {
		build = json_pack("{s:s}", "why", why);
		source = proc_version_source(p->proc_version);
	}
	json_object_set_new(kernel, "source", source);
	json_object_set_new(kernel, "build", build);
}

void kinfo_add(json_t *kernel, const char *label, const char *run_dir)
{
	struct kinfo_paths p = {
		.proc_config = "/proc/config.gz",
		.boot_dir = "/boot",
		.info_dir = getenv("HMMBENCH_KERNEL_INFO"),
		.proc_version = "/proc/version",
	};

	if (!p.info_dir || !*p.info_dir)
		p.info_dir = KINFO_DIR;
	kinfo_add_from(kernel, label, run_dir, &p);
}
