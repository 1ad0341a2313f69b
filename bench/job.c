// SPDX-License-Identifier: GPL-2.0
/*
 * Job files: INI (inih) into struct job, in two steps. First every
 * section's entries are collected with their line numbers; then each job
 * is built from its benchmark's key table: defaults, the [global] entries
 * before it that its benchmark takes, its own entries. So a section may
 * name its bench= after other keys, and every error still names file,
 * line and key.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "backend.h"
#include "bench_ops.h"

struct entry {
	char *key, *value;
	int line;
};

struct section {
	char name[64];
	int global;
	int line;			/* its header's */
	size_t first, n;		/* its entries */
};

struct parse_state {
	const char *file;
	int line;			/* lines read so far */
	struct entry *e;
	size_t ne;
	struct section *s;
	size_t ns;
	char msg[320];			/* the first error, without file:line */
};

static void state_free(struct parse_state *st)
{
	for (size_t i = 0; i < st->ne; i++) {
		free(st->e[i].key);
		free(st->e[i].value);
	}
	free(st->e);
	free(st->s);
}

static int new_section(struct parse_state *st, const char *name)
{
	struct section *s;

	/* [global] may come back: it sets the defaults of the jobs after it. */
	for (size_t i = 0; strcmp(name, "global") && i < st->ns; i++) {
		if (!strcmp(st->s[i].name, name)) {
			snprintf(st->msg, sizeof(st->msg),
				 "duplicate section [%s] (first at line %d); give each job a name of its own",
				 name, st->s[i].line);
			return -1;
		}
	}
	s = realloc(st->s, (st->ns + 1) * sizeof(*s));
	if (!s) {
		snprintf(st->msg, sizeof(st->msg), "out of memory");
		return -1;
	}
	st->s = s;
	s = &st->s[st->ns++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->global = !strcmp(name, "global");
	s->line = st->line;
	s->first = st->ne;
	return 0;
}

static int on_entry(void *user, const char *section, const char *key, const char *value)
{
	struct parse_state *st = user;
	struct entry *e;

	if (!key)		/* inih built to announce sections */
		return 1;
	if (!*section) {
		snprintf(st->msg, sizeof(st->msg), "key '%s' before any [section]", key);
		return 0;
	}
	/* read_line() saw the header already; this is for what it could not parse. */
	if ((!st->ns || strcmp(st->s[st->ns - 1].name, section)) && new_section(st, section))
		return 0;
	e = realloc(st->e, (st->ne + 1) * sizeof(*e));
	if (!e) {
		snprintf(st->msg, sizeof(st->msg), "out of memory");
		return 0;
	}
	st->e = e;
	e = &st->e[st->ne++];
	e->key = strdup(key);
	e->value = strdup(value);
	e->line = st->line;
	st->s[st->ns - 1].n++;
	return e->key && e->value;
}

/*
 * The text for inih, line by line and counted, so that each entry knows its
 * own line. inih (Debian's libinih, INI_MAX_LINE 200) silently cuts a
 * longer line in two: such a line is refused, as is a NUL byte.
 */
struct reader {
	struct parse_state *st;
	const char *next, *end;
	int key_seen;			/* a key since the last header */
	int failed;			/* the line the reader refused */
};

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\v' || *s == '\f')
		s++;
	return s;
}

/* inih's find_chars_or_comment(): the first of @chars, or an inline ';' comment. */
static const char *find_chars_or_comment(const char *s, const char *chars)
{
	int was_space = 0;

	while (*s && !strchr(chars, *s) && !(was_space && *s == ';')) {
		was_space = isspace((unsigned char)*s);
		s++;
	}
	return s;
}

/*
 * A "[name]" line starts a section, also one with no keys (a job of
 * defaults), which inih would not tell its handler about. Lines are read
 * as inih reads them: a UTF-8 BOM, inline comments, and indented lines
 * after a key continue its value.
 */
static int section_header(struct reader *r, const char *line)
{
	char name[50];		/* inih's MAX_SECTION: it would cut a longer one */
	const char *start, *end;

	if (r->st->line == 1 && !strncmp(line, "\xEF\xBB\xBF", 3))
		line += 3;
	start = skip_blanks(line);
	if (!*start || *start == ';' || *start == '#' || (r->key_seen && start > line))
		return 0;
	if (*start != '[') {
		end = find_chars_or_comment(start, "=:");
		r->key_seen |= *end == '=' || *end == ':';
		return 0;
	}
	end = find_chars_or_comment(start + 1, "]");
	if (*end != ']') {
		int len = strcspn(start, "\r\n");

		snprintf(r->st->msg, sizeof(r->st->msg),
			 "section header '%.*s' has no closing ']'; write it as [name]",
			 len < 40 ? len : 40, start);
		return -1;
	}
	if ((size_t)(end - start - 1) >= sizeof(name)) {
		snprintf(r->st->msg, sizeof(r->st->msg), "section name longer than %zu characters",
			 sizeof(name) - 1);
		return -1;
	}
	memcpy(name, start + 1, end - start - 1);
	name[end - start - 1] = '\0';
	r->key_seen = 0;
	return new_section(r->st, name);
}

static char *read_line(char *buf, int size, void *stream)
{
	struct reader *r = stream;
	const char *nl;
	size_t len;

	/* After an error (inih goes on past one) the first stands: stop reading. */
	if (r->failed || r->st->msg[0] || r->next >= r->end)
		return NULL;
	nl = memchr(r->next, '\n', r->end - r->next);
	len = nl ? (size_t)(nl - r->next) + 1 : (size_t)(r->end - r->next);
	r->st->line++;
	if (memchr(r->next, '\0', len))
		snprintf(r->st->msg, sizeof(r->st->msg), "a NUL byte; a job file is text");
	else if (len >= (size_t)size)
		snprintf(r->st->msg, sizeof(r->st->msg), "line is longer than %d characters",
			 size - 2);
	if (r->st->msg[0]) {	/* nothing else can have set it: see above */
		r->failed = r->st->line;
		return NULL;
	}
	memcpy(buf, r->next, len);
	buf[len] = '\0';
	r->next += len;
	if (section_header(r, buf)) {
		r->failed = r->st->line;
		return NULL;
	}
	return buf;
}

/* Entry @e of a section with benchmark @b: its key, or an error in st->msg. */
static const struct job_key *job_key_of(struct parse_state *st, const struct bench_ops *b,
					const struct entry *e, const char *section)
{
	const struct job_key *k = bench_key(b, e->key);
	char takes[400] = "";

	if (k)
		return k;
	for (const struct job_key *const *kk = b->keys; *kk; kk++)
		snprintf(takes + strlen(takes), sizeof(takes) - strlen(takes), ", %s", (*kk)->name);
	for (const struct bench_ops *o = bench_first(); o; o = o->next) {
		if (bench_key(o, e->key)) {
			snprintf(st->msg, sizeof(st->msg),
				 "key '%s' is not a key of bench=%s (bench=%s takes it); bench=%s takes: bench%s",
				 e->key, b->name, o->name, b->name, takes);
			return NULL;
		}
	}
	snprintf(st->msg, sizeof(st->msg), "unknown key '%s' in [%s]; bench=%s takes: bench%s",
		 e->key, section, b->name, takes);
	return NULL;
}

static int is_run_key(const char *key)
{
	return !strcmp(key, "device") || !strcmp(key, "backend");
}

/* The benchmark a section runs: its own bench=, else the last [global] one, else migrate. */
static const struct entry *bench_entry(const struct parse_state *st, const struct section *s,
				       size_t nglobal, const size_t *global)
{
	const struct entry *found = NULL;

	for (size_t i = 0; i < nglobal; i++)
		if (!strcmp(st->e[global[i]].key, "bench"))
			found = &st->e[global[i]];
	for (size_t i = s->first; i < s->first + s->n; i++)
		if (!strcmp(st->e[i].key, "bench"))
			found = &st->e[i];
	return found;
}

static int set_entry(struct parse_state *st, struct job *j, const struct job_key *k,
		     const struct entry *e)
{
	char why[280];

	if (!job_key_set(j, k, e->value, why, sizeof(why)))
		return 0;
	snprintf(st->msg, sizeof(st->msg), "key '%s': %s", e->key, why);
	return -1;
}

static int check_job(struct parse_state *st, const struct job *j)
{
	char why[280] = "";

	if (!j->reps.fixed && job_takes(j, "max_samples") && j->reps.min_samples > j->reps.max_samples) {
		snprintf(st->msg, sizeof(st->msg), "[%s]: min_samples %u is above max_samples %u",
			 j->name, j->reps.min_samples, j->reps.max_samples);
		return -1;
	}
	if (j->bench->check && j->bench->check(j, why, sizeof(why))) {
		snprintf(st->msg, sizeof(st->msg), "[%s]: %s", j->name, why);
		return -1;
	}
	return 0;
}

/* Builds the job of section @s; its line on error (0: no line to name). */
static int build_job(struct parse_state *st, const struct section *s, const size_t *global,
		     size_t nglobal, struct job *j)
{
	const struct entry *be = bench_entry(st, s, nglobal, global);
	const struct bench_ops *b = bench_find(be ? be->value : "migrate");

	memset(j, 0, sizeof(*j));
	snprintf(j->name, sizeof(j->name), "%s", s->name);
	if (!b) {
		snprintf(st->msg, sizeof(st->msg), "key 'bench': bad value '%s'; expected %s",
			 be->value, bench_names());
		return be->line;
	}
	j->bench = b;
	j->opts = calloc(1, b->opts_size ? b->opts_size : 1);
	if (!j->opts) {
		snprintf(st->msg, sizeof(st->msg), "out of memory");
		return -1;
	}
	for (const struct job_key *const *k = b->keys; *k; k++) {
		struct entry def = { (char *)(*k)->name, (char *)(*k)->def, 0 };

		if ((*k)->def && set_entry(st, j, *k, &def))
			return -1;
	}
	for (size_t i = 0; i < nglobal; i++) {
		const struct entry *e = &st->e[global[i]];
		const struct job_key *k = bench_key(b, e->key);

		if (k && set_entry(st, j, k, e))
			return e->line;
	}
	for (size_t i = s->first; i < s->first + s->n; i++) {
		const struct entry *e = &st->e[i];
		const struct job_key *k;

		if (!strcmp(e->key, "bench"))
			continue;
		if (is_run_key(e->key)) {
			snprintf(st->msg, sizeof(st->msg),
				 "key '%s' applies to the whole run: set it in [global]", e->key);
			return e->line;
		}
		k = job_key_of(st, b, e, s->name);
		if (!k || set_entry(st, j, k, e))
			return e->line;
	}
	return check_job(st, j) ? -1 : 0;
}

/* A [global] entry: a run key, bench=, or a key some later job takes. */
static int check_global(struct parse_state *st, const struct entry *e, const struct job_list *l,
			size_t first_job)
{
	const struct bench_ops *owner = NULL;

	if (!strcmp(e->key, "bench")) {
		if (bench_find(e->value))
			return 0;
		snprintf(st->msg, sizeof(st->msg), "key 'bench': bad value '%s'; expected %s",
			 e->value, bench_names());
		return -1;
	}
	for (size_t i = first_job; i < l->n; i++)
		if (bench_key(l->jobs[i].bench, e->key))
			return 0;
	for (const struct bench_ops *o = bench_first(); o && !owner; o = o->next)
		if (bench_key(o, e->key))
			owner = o;
	if (owner)
		snprintf(st->msg, sizeof(st->msg),
			 "key '%s' in [global] applies to no job after it: only bench=%s takes it",
			 e->key, owner->name);
	else
		snprintf(st->msg, sizeof(st->msg), "unknown key '%s' in [global]", e->key);
	return -1;
}

static int run_key(struct parse_state *st, const struct entry *e, struct job_list *l)
{
	int backend = !strcmp(e->key, "backend");
	char *dst = backend ? l->backend : l->device;
	size_t len = backend ? sizeof(l->backend) : sizeof(l->device);

	if (*e->value && strlen(e->value) < len &&
	    (!backend || hmm_backend_find(e->value))) {
		memcpy(dst, e->value, strlen(e->value) + 1);
		return 0;
	}
	snprintf(st->msg, sizeof(st->msg), "key '%s': bad value '%s'; expected %s", e->key,
		 e->value, backend ? hmm_backend_names() : "a device path");
	return -1;
}

/* Every job, in file order; the line of the first error, or -1 for one without. */
static int build_jobs(struct parse_state *st, struct job_list *l)
{
	size_t *global = calloc(st->ne + 1, sizeof(*global)), nglobal = 0;
	size_t *first_after = calloc(st->ne + 1, sizeof(*first_after));
	int ret = 0;

	if (!global || !first_after) {
		snprintf(st->msg, sizeof(st->msg), "out of memory");
		ret = -1;
	}
	l->jobs = calloc(st->ns + 1, sizeof(*l->jobs));
	for (size_t i = 0; !ret && i < st->ns; i++) {
		const struct section *s = &st->s[i];

		if (!s->global) {
			ret = build_job(st, s, global, nglobal, &l->jobs[l->n]);
			l->n++;
			continue;
		}
		for (size_t k = s->first; !ret && k < s->first + s->n; k++) {
			first_after[nglobal] = l->n;
			global[nglobal++] = k;
			if (is_run_key(st->e[k].key) && run_key(st, &st->e[k], l))
				ret = st->e[k].line;
		}
	}
	if (!ret && !l->n) {
		snprintf(st->msg, sizeof(st->msg),
			 "no job sections; add one like [my-job] with bench=migrate");
		ret = -1;
	}
	for (size_t g = 0; !ret && g < nglobal; g++)
		if (!is_run_key(st->e[global[g]].key) &&
		    check_global(st, &st->e[global[g]], l, first_after[g]))
			ret = st->e[global[g]].line;
	free(global);
	free(first_after);
	return ret;
}

static int parse(struct reader *r, const char *name, struct job_list *out, char *err,
		 size_t errlen)
{
	struct parse_state st = { .file = name };
	int line;

	r->st = &st;
	memset(out, 0, sizeof(*out));
	line = ini_parse_stream(read_line, r, on_entry, &st);
	/* inih goes on past a syntax error: the earliest error stands. */
	if (r->failed && line && line < r->failed)
		st.msg[0] = '\0';
	else if (r->failed)
		line = r->failed;
	if (!line)
		line = build_jobs(&st, out);
	if (line > 0 && st.msg[0])
		snprintf(err, errlen, "%s:%d: %s", name, line, st.msg);
	else if (line > 0)
		snprintf(err, errlen, "%s:%d: not INI syntax; expected [section] or key=value",
			 name, line);
	else if (line)
		snprintf(err, errlen, "%s: %s", name, st.msg[0] ? st.msg : "out of memory");
	state_free(&st);
	if (line)
		job_list_free(out);
	return line ? -1 : 0;
}

/* Job files are a few dozen lines; anything this big is not one. */
#define JOB_FILE_MAX (1 << 20)

/* Reads a whole job file into @buf (JOB_FILE_MAX + 1 bytes); its length, or -1. */
static ssize_t load_job_file(const char *path, char *buf, char *err, size_t errlen)
{
	struct stat st;
	ssize_t n = 0, len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "%s: cannot open job file: %s", path, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen,
			 "%s: is a directory; --job takes a job file, such as bench/jobs/crosscheck.ini",
			 path);
		goto fail;
	}
	while (len <= JOB_FILE_MAX && (n = read(fd, buf + len, JOB_FILE_MAX + 1 - len)) > 0)
		len += n;
	if (n < 0) {
		snprintf(err, errlen, "%s: cannot read job file: %s", path, strerror(errno));
		goto fail;
	}
	if (len > JOB_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d KiB; a job file is a short INI text",
			 path, JOB_FILE_MAX >> 10);
		goto fail;
	}
	close(fd);
	return len;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

int job_parse_file(const char *path, struct job_list *out, char *err, size_t errlen)
{
	char *text = malloc(JOB_FILE_MAX + 1);
	struct reader r = { 0 };
	ssize_t len;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	len = load_job_file(path, text, err, errlen);
	if (len >= 0) {
		r.next = text;
		r.end = text + len;
		ret = parse(&r, path, out, err, errlen);
	}
	free(text);
	return ret;
}

int job_parse_string(const char *name, const char *text, struct job_list *out, char *err,
		     size_t errlen)
{
	struct reader r = { .next = text, .end = text + strlen(text) };

	return parse(&r, name, out, err, errlen);
}

void job_list_free(struct job_list *l)
{
	for (size_t i = 0; l->jobs && i < l->n; i++)
		free(l->jobs[i].opts);
	free(l->jobs);
	memset(l, 0, sizeof(*l));
}
