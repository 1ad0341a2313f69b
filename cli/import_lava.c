// SPDX-License-Identifier: GPL-2.0
/*
 * hmmbench import-lava: rebuilds the results tree a guest wrote, from the
 * console of its LAVA job (scripts/lava-job), so that compare, report and
 * export read a LAVA run exactly as a local one.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "cli.h"
#include "errname.h"
#include "lava_log.h"
#include "reader.h"

static const char import_usage[] =
	"usage: hmmbench import-lava SOURCE... -o DIR\n"
	"\n"
	"Rebuilds the runs of LAVA jobs made by scripts/lava-job under DIR, as\n"
	"DIR/<kernel-release>/<run-id>-lava-<crc>/ (records.jsonl, reproduce.sh,\n"
	"probe.json, ...), so that 'hmmbench compare', 'report', 'ls' and 'export'\n"
	"read them as they read local runs, and merge them with runs of\n"
	"scripts/matrix in the same tree. The guest wrote each file of its results\n"
	"directory to the console (gzip'd, base64, between markers); gzip's CRC\n"
	"and the announced length prove each copy whole.\n"
	"\n"
	"SOURCE is a LAVA job's output directory (its output.yaml, or console.log),\n"
	"a job log (a LAVA server's output.yaml, lava-run's standard error) or a\n"
	"plain console log; '-' reads standard input. <crc> is the CRC-32 of the\n"
	"run's records, so importing the same job twice changes nothing.\n"
	"\n"
	"  -o, --output DIR  the results tree to add the runs to (created)\n"
	"\n"
	"exit status: 0 every run imported and every guest command exited 0;\n"
	"1 the runs were imported but a guest command failed or exited non-zero\n"
	"(its runs may be incomplete: 'hmmbench ls DIR' says); 2 bad input: no\n"
	"results in SOURCE, a damaged or cut-off file, an unwritable DIR.\n"
	"\n"
	"example:\n"
	"  hmmbench import-lava /srv/lava/job-output/2026/12/04/1234 -o results\n"
	"  hmmbench compare results/7.2.13 results/7.3.4 --allow-differences\n";

/* SOURCE as a log file to open: a directory's output.yaml or console.log. */
static int find_log(const char *src, char *path, size_t len)
{
	static const char *const names[] = { "output.yaml", "console.log" };
	struct stat st;

	if (!strcmp(src, "-") || (!stat(src, &st) && !S_ISDIR(st.st_mode))) {
		snprintf(path, len, "%s", src);
		return 0;
	}
	if (stat(src, &st)) {
		cli_error("'%s': %s; give a LAVA job's output directory or its log", src,
			  strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, len, "%s/%s", src, names[i]);
		if (!access(path, R_OK))
			return 0;
	}
	cli_error("'%s' holds no output.yaml or console.log; give the job's log file itself", src);
	return -1;
}

static int make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	return mkdir(path, 0755) && errno != EEXIST ? -errno : 0;
}

static int write_file(const char *path, const struct lava_file *f)
{
	FILE *out;
	int ok;

	out = fopen(path, "wx");
	if (!out)
		return -errno;
	ok = fwrite(f->data, 1, f->len, out) == f->len;
	if (fclose(out) || !ok)
		return -EIO;
	/* reproduce.sh came back without its mode: it is a script to run. */
	if (strlen(path) > 3 && !strcmp(path + strlen(path) - 3, ".sh"))
		chmod(path, 0755);
	return 0;
}

/* Whether @path holds exactly @f's bytes. */
static int same_content(const char *path, const struct lava_file *f)
{
	FILE *in = fopen(path, "r");
	unsigned char *buf = malloc(f->len + 1);
	size_t got = 0;
	int same;

	if (!in || !buf) {
		if (in)
			fclose(in);
		free(buf);
		return 0;
	}
	got = fread(buf, 1, f->len + 1, in);
	same = got == f->len && !memcmp(buf, f->data, f->len);
	fclose(in);
	free(buf);
	return same;
}

/* "<release>/<run-id>/records.jsonl" -> run directory and file name. */
static int split_run_path(const char *path, char *rundir, size_t len, const char **name)
{
	const char *slash = strchr(path, '/'), *last = strrchr(path, '/');

	if (!slash || slash == last || strchr(slash + 1, '/') != last)
		return -1;
	snprintf(rundir, len, "%.*s", (int)(last - path), path);
	*name = last + 1;
	return 0;
}

/*
 * Writes the run whose records are @rec (index @r in @c) with every file
 * of its directory, and the guest's top-level files (probe.json), to
 * @out/<release>/<run-id>-lava-<crc>/. 1: already there, identical.
 */
static int import_run(const struct lava_capture *c, size_t r, const char *out,
		      char *dest, size_t destlen)
{
	const struct lava_file *rec = &c->files[r];
	char rundir[PATH_MAX], other[PATH_MAX], path[PATH_MAX * 2];
	const char *name;
	unsigned long crc = crc32(0L, rec->data, rec->len);
	int ret, existed;

	split_run_path(rec->path, rundir, sizeof(rundir), &name);
	if ((size_t)snprintf(dest, destlen, "%s/%s-lava-%08lx", out, rundir, crc) >= destlen ||
	    (size_t)snprintf(path, sizeof(path), "%s/records.jsonl", dest) >= sizeof(path))
		return -ENAMETOOLONG;
	existed = !access(path, F_OK);
	if (existed)
		return same_content(path, rec) ? 1 : -EEXIST;
	ret = make_dirs(dest);
	if (ret)
		return ret;
	for (size_t i = 0; i < c->nfiles; i++) {
		const struct lava_file *f = &c->files[i];
		const char *fname;

		if (!strchr(f->path, '/')) {
			fname = f->path;	/* the guest's own, beside every run */
		} else if (split_run_path(f->path, other, sizeof(other), &fname) ||
			   strcmp(other, rundir)) {
			continue;
		}
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dest, fname) >= sizeof(path))
			return -ENAMETOOLONG;
		ret = write_file(path, f);
		if (ret)
			return ret;
	}
	return 0;
}

/* Imports every run of one log; the exit status it earns. */
static int import_one(const char *src, const char *out)
{
	struct lava_capture c = { 0 };
	char log[PATH_MAX], err[PATH_MAX + 256], dest[PATH_MAX * 2];
	size_t runs = 0;
	int status = EXIT_OK;
	FILE *f;

	if (find_log(src, log, sizeof(log)))
		return EXIT_USAGE;
	f = strcmp(log, "-") ? fopen(log, "r") : stdin;
	if (!f) {
		cli_error("cannot open '%s': %s", log, strerror(errno));
		return EXIT_USAGE;
	}
	if (lava_capture_read(f, log, &c, err, sizeof(err))) {
		cli_error("%s", err);
		status = EXIT_USAGE;
		goto out;
	}
	if (c.files_done >= 0 && (size_t)c.files_done != c.nfiles) {
		cli_error("%s: %zu of the %ld files the guest wrote came back whole; run the job again",
			  log, c.nfiles, c.files_done);
		status = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < c.nfiles; i++) {
		char rundir[PATH_MAX];
		const char *name;
		int ret;

		if (split_run_path(c.files[i].path, rundir, sizeof(rundir), &name) ||
		    strcmp(name, "records.jsonl"))
			continue;
		ret = import_run(&c, i, out, dest, sizeof(dest));
		if (ret < 0) {
			cli_error(ret == -EEXIST ? "'%s' exists with other records: %s" :
				  "cannot write '%s': %s", dest, ret == -EEXIST ?
				  "a CRC-32 collision; import into another directory" : strerror(-ret));
			status = EXIT_USAGE;
			goto out;
		}
		printf("%s %s\n", ret ? "already imported:" : "imported:", dest);
		runs++;
	}
	if (!runs) {
		if (c.vm_error[0])
			cli_error("%s: the guest failed before running anything: %s", log, c.vm_error);
		else if (c.files_done < 0)
			cli_error("%s: no results in this log (no HMMBENCH_FILES_DONE marker): not a job from scripts/lava-job, or it ended before the guest command did", log);
		else
			cli_error("%s: the guest wrote no run (%zu files, no records.jsonl); see the log", log, c.nfiles);
		status = EXIT_USAGE;
	} else if (c.exit_status != 0) {
		fprintf(stderr, "hmmbench: %s: the guest command %s; its runs may be incomplete (hmmbench ls %s)\n",
			log, c.exit_status < 0 ? "never reported its exit status" : "exited non-zero", out);
		if (c.exit_status > 0)
			fprintf(stderr, "hmmbench: guest exit status %d\n", c.exit_status);
		status = EXIT_FAIL;
	}
out:
	if (f != stdin)
		fclose(f);
	lava_capture_free(&c);
	return status;
}

int cmd_import_lava(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *out = NULL;
	char dir[PATH_MAX];
	int c, status = EXIT_OK;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h': fputs(import_usage, stdout); return EXIT_OK;
		default:
			cli_error("unknown option '%s' for import-lava; see 'hmmbench import-lava --help'",
				  argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_error("import-lava needs a LAVA job's output directory or log; see 'hmmbench import-lava --help'");
		return EXIT_USAGE;
	}
	if (!out) {
		cli_error("import-lava needs -o DIR, the results tree to add the runs to");
		return EXIT_USAGE;
	}
	snprintf(dir, sizeof(dir), "%s", out);
	if (make_dirs(dir)) {
		cli_error("cannot create '%s': %s; choose a writable -o DIR", out, strerror(errno));
		return EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++) {
		int s = import_one(argv[i], out);

		if (s == EXIT_USAGE)
			return s;
		if (s > status)
			status = s;
	}
	return status;
}
