// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errname.h"
#include "record.h"

/* mkdir -p: creates every missing component of @path. */
static int make_dirs(const char *path)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char saved = *p;

			*p = '\0';
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				return -errno;
			*p = saved;
			if (!saved)
				break;
		}
	}
	return 0;
}

int rec_open_run(struct rec_writer *w, const char *outdir,
		 const char *release, const char *run_id,
		 char *err, size_t errlen)
{
	int ret;

	memset(w, 0, sizeof(*w));
	if ((size_t)snprintf(w->dir, sizeof(w->dir), "%s/%s/%s", outdir,
			     release, run_id) >= sizeof(w->dir)) {
		snprintf(err, errlen, "results path under '%s' is too long", outdir);
		return -ENAMETOOLONG;
	}
	ret = make_dirs(w->dir);
	if (ret) {
		snprintf(err, errlen,
			 "cannot create results directory '%s': %s (%s); choose a writable -o DIR",
			 w->dir, errno_name(-ret), strerror(-ret));
		return ret;
	}
	if ((size_t)snprintf(w->path, sizeof(w->path), "%s/records.jsonl", w->dir) >= sizeof(w->path)) {
		snprintf(err, errlen, "results path under '%s' is too long; choose a shorter -o DIR", outdir);
		return -ENAMETOOLONG;
	}
	w->f = fopen(w->path, "wx");
	if (!w->f) {
		ret = -errno;
		snprintf(err, errlen, "cannot create '%s': %s (%s)", w->path,
			 errno_name(-ret), strerror(-ret));
		return ret;
	}
	return 0;
}

json_t *rec_new(const char *type)
{
	return json_pack("{s:i, s:s}", "schema", RECORD_SCHEMA, "type", type);
}

int rec_write(struct rec_writer *w, json_t *rec)
{
	int ret = 0;

	if (!w->f) {
		json_decref(rec);
		return 0;
	}
	/* Every record carries its schema, however it was made. */
	if (!json_object_get(rec, "schema"))
		json_object_set_new(rec, "schema", json_integer(RECORD_SCHEMA));
	if (json_dumpf(rec, w->f, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0 ||
	    fputc('\n', w->f) == EOF || fflush(w->f) == EOF)
		ret = -errno ? -errno : -EIO;
	json_decref(rec);
	return ret;
}

int rec_close(struct rec_writer *w)
{
	int ret = 0;

	if (w->f) {
		if (fsync(fileno(w->f)) < 0 && errno != EINVAL)
			ret = -errno;
		if (fclose(w->f) == EOF && !ret)
			ret = -errno;
	}
	w->f = NULL;
	return ret;
}

static int check_record(json_t *rec, const char *path, size_t line,
			char *err, size_t errlen)
{
	json_t *schema;

	if (!json_is_object(rec)) {
		snprintf(err, errlen, "%s:%zu: record is not a JSON object", path, line);
		return -EINVAL;
	}
	schema = json_object_get(rec, "schema");
	if (!json_is_integer(schema) || !json_is_string(json_object_get(rec, "type"))) {
		snprintf(err, errlen, "%s:%zu: record has no integer \"schema\" and string \"type\"",
			 path, line);
		return -EINVAL;
	}
	if (json_integer_value(schema) > RECORD_SCHEMA ||
	    json_integer_value(schema) < 1) {
		snprintf(err, errlen,
			 "%s:%zu: record schema %lld is not one this hmmbench reads (1..%d)%s",
			 path, line, (long long)json_integer_value(schema), RECORD_SCHEMA,
			 json_integer_value(schema) > RECORD_SCHEMA ? "; it is newer: use a newer hmmbench" : "");
		return -EPROTO;
	}
	return 0;
}

int rec_read_file(const char *path, rec_visit_fn fn, void *arg,
		  char *err, size_t errlen)
{
	char *buf = NULL;
	size_t cap = 0, line = 0, records = 0;
	ssize_t len;
	FILE *f;
	int ret = 0;

	f = fopen(path, "r");
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "cannot open '%s': %s (%s)", path,
			 errno_name(-ret), strerror(-ret));
		return ret;
	}
	while (!ret && (len = getline(&buf, &cap, f)) >= 0) {
		json_error_t jerr;
		json_t *rec;

		line++;
		if (len == 0 || (len == 1 && buf[0] == '\n'))
			continue;
		if (buf[len - 1] != '\n') {
			snprintf(err, errlen,
				 "%s:%zu: last record is cut off (the run died while writing it); %zu complete records kept",
				 path, line, records);
			ret = -ENODATA;
			break;
		}
		rec = json_loadb(buf, len, 0, &jerr);
		if (!rec) {
			snprintf(err, errlen, "%s:%zu: not valid JSON: %s", path, line, jerr.text);
			ret = -EINVAL;
			break;
		}
		ret = check_record(rec, path, line, err, errlen);
		if (!ret) {
			records++;
			ret = fn(rec, line, arg);
		}
		json_decref(rec);
	}
	free(buf);
	fclose(f);
	return ret;
}
