// SPDX-License-Identifier: GPL-2.0
/*
 * The escapers of results/escape.h, one per output language: exact
 * outputs for each kind of character, and round trips through the real
 * interpreters: /bin/sh reads back every quoted word exactly and runs
 * none of it; gnuplot (where installed) prints back every quoted string
 * and runs no backtick or system() inside it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "escape.h"
#include "test_results_util.h"

TestSuite(escape, .init = tu_make_tmp, .fini = tu_remove_tmp);

typedef void (*escaper)(FILE *, const char *);

/* @fn applied to @s, as a malloc'ed string. */
static char *run(escaper fn, const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	cr_assert(f);
	fn(f, s);
	cr_assert_eq(fclose(f), 0);
	return out;
}

static void expect(escaper fn, const char *in, const char *want)
{
	char *got = run(fn, in);

	cr_assert_str_eq(got, want, "escaping \"%s\"", in);
	free(got);
}

/* Every hostile kind of string the records test carries, and plain ones. */
static const char *const hostile[] = {
	"7.2.13",
	"",
	"it's",
	"a'b''c'''",
	"7.2`touch CANARY.bt`",
	"$(touch CANARY.dollar)${HOME}$HOME",
	"; touch CANARY.semi | touch CANARY.pipe && touch CANARY.and",
	"\" . system(\"touch CANARY.sys\") . \"",
	"' . system('touch CANARY.sys2') . '",
	"back\\slash\\ at end\\",
	"two\nlines",
	"tab\there",
	"@macro @ARG1 #not a comment",
	"~user * ? [a-z] {a,b} !1 <in >out",
	"caf\xc3\xa9 \xc2\xb5s \xe2\x82\xac",
};

/* No canary of the strings above was created in @dir: nothing ran. */
static void nothing_ran(const char *dir, const char *who)
{
	static const char *const sfx[] = { "bt", "dollar", "semi", "pipe", "and", "sys", "sys2" };

	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		char path[PATH_MAX + 32];

		snprintf(path, sizeof(path), "%s/CANARY.%s", dir, sfx[i]);
		cr_assert_neq(access(path, F_OK), 0, "%s ran something: %s exists", who, path);
	}
}

Test(escape, terminal_shows_every_control_character)
{
	expect(esc_term, "plain 7.2.13 (ok)", "plain 7.2.13 (ok)");
	expect(esc_term, "a\nb\tc\rd", "a\\nb\\tc\\rd");
	expect(esc_term, "\x1b[31mRED\x1b[0m", "\\x1b[31mRED\\x1b[0m");
	expect(esc_term, "\x1b]0;title\x07", "\\x1b]0;title\\x07");
	expect(esc_term, "\x01\x08\x7f", "\\x01\\x08\\x7f");
	/* C1 CSI, bidi override and isolate: visible; other UTF-8 kept */
	expect(esc_term, "\xc2\x9b" "2J", "\\u009b2J");
	expect(esc_term, "\xe2\x80\xae" "evil\xe2\x81\xa6", "\\u202eevil\\u2066");
	expect(esc_term, "caf\xc3\xa9 \xc2\xb5s \xf0\x9f\x98\x80", "caf\xc3\xa9 \xc2\xb5s \xf0\x9f\x98\x80");
	/* not UTF-8: a stray continuation, a cut sequence, an overlong form */
	expect(esc_term, "\x80x\xc3", "\\x80x\\xc3");
	expect(esc_term, "\xc0\xaf\xff", "\\xc0\\xaf\\xff");
	expect(esc_term, "\xed\xa0\x80", "\\xed\\xa0\\x80");
}

Test(escape, terminal_escaping_twice_changes_nothing)
{
	const char *s = "\x1b[1m\xc2\x9b\n\xff";
	char *once = esc_term_dup(s), *twice = esc_term_dup(once);

	cr_assert(esc_term_needed(s));
	cr_assert_not(esc_term_needed(once), "%s", once);
	cr_assert_str_eq(once, twice);
	cr_assert_not(esc_term_needed("caf\xc3\xa9 7.2.13"));
	free(once);
	free(twice);
}

Test(escape, terminal_buffer_is_cut_between_characters)
{
	char buf[8];

	cr_assert_str_eq(esc_term_buf(buf, sizeof(buf), "ab\x1b[31m"), "ab\\x1b[");
	cr_assert_str_eq(esc_term_buf(buf, 6, "abc\x1b"), "abc", "never half an escape");
	cr_assert_str_eq(esc_term_buf(buf, 6, "abcd\xc3\xa9"), "abcd", "never half a character");
	cr_assert_str_eq(esc_term_buf(buf, sizeof(buf), NULL), "");
}

Test(escape, gnuplot_single_quotes)
{
	expect(esc_gnuplot, "7.2.13", "'7.2.13'");
	expect(esc_gnuplot, "it's", "'it'.\"'\".'s'");
	expect(esc_gnuplot, "''", "''.\"'\".''.\"'\".''");
	expect(esc_gnuplot, "7.2`touch x`", "'7.2`touch x`'");
	expect(esc_gnuplot, "32M\nto-dev", "'32M'.\"\\n\".'to-dev'");
	expect(esc_gnuplot, "a\x1b[31m\\", "'a\\x1b[31m\\'");
	expect(esc_gnuplot, "", "''");
}

/*
 * gnuplot prints each escaped string back: what it prints is the string
 * (control characters as esc_term() shows them, a newline as a newline),
 * and nothing inside ran.
 */
Test(escape, gnuplot_reads_back_and_runs_nothing)
{
	char script[PATH_MAX + 16], outp[PATH_MAX + 16], cmd[3 * PATH_MAX];
	FILE *f;

	if (system("gnuplot --version >/dev/null 2>&1"))
		cr_skip_test("gnuplot is not installed (apt-get install gnuplot-nox)");
	snprintf(script, sizeof(script), "%s/t.gp", tu_tmp);
	snprintf(outp, sizeof(outp), "%s/t.out", tu_tmp);
	f = fopen(script, "w");
	cr_assert(f);
	fprintf(f, "set print '-'\n");
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		fputs("print ", f);
		esc_gnuplot(f, hostile[i]);
		fputs("\nprint '<end>'\n", f);
	}
	cr_assert_eq(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "cd '%s' && gnuplot t.gp >t.out 2>&1", tu_tmp);
	cr_assert_eq(system(cmd), 0, "gnuplot failed on %s", script);
	{
		char *got = NULL, *want = NULL;
		size_t glen = 0, wlen = 0;
		FILE *w = open_memstream(&want, &wlen), *g = fopen(outp, "r");

		cr_assert(w && g);
		for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
			char *t = esc_term_dup(hostile[i]);

			/* the newline is kept as one; everything else as esc_term() */
			for (char *p = t, *q; (q = strstr(p, "\\n")); p = q + 1)
				memmove(q + 1, q + 2, strlen(q + 2) + 1), *q = '\n';
			fprintf(w, "%s\n<end>\n", t);
			free(t);
		}
		fclose(w);
		cr_assert_geq(getdelim(&got, &glen, '\0', g), 0);
		fclose(g);
		cr_assert_str_eq(got, want);
		free(got);
		free(want);
	}
	nothing_ran(tu_tmp, "gnuplot");
}

Test(escape, html_entities)
{
	expect(esc_html, "<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	expect(esc_html, "a & b \"q\"", "a &amp; b &quot;q&quot;");
	expect(esc_html, "&amp;", "&amp;amp;");
	expect(esc_html, "line\n\tnext\x1b[0m", "line\n\tnext\\x1b[0m");
	expect(esc_html, "caf\xc3\xa9", "caf\xc3\xa9");
}

Test(escape, csv_fields)
{
	expect(esc_csv, "7.2.13", "7.2.13");
	expect(esc_csv, "size=32M;pages=thp", "size=32M;pages=thp");
	expect(esc_csv, "a,b", "\"a,b\"");
	expect(esc_csv, "say \"hi\"", "\"say \"\"hi\"\"\"");
	/* one record a line: a newline is shown, not written */
	expect(esc_csv, "two\nlines\r", "two\\nlines\\r");
	/* a spreadsheet evaluates these: a leading ' makes them text */
	expect(esc_csv, "=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
	expect(esc_csv, "+1", "\"'+1\"");
	expect(esc_csv, "-2+3", "\"'-2+3\"");
	expect(esc_csv, "@SUM(A1)", "\"'@SUM(A1)\"");
	expect(esc_csv, "\t=1", "\\t=1");
	expect(esc_csv, "", "");
}

Test(escape, shell_words)
{
	char *s;

	expect(esc_shell, "--seed", "--seed");
	expect(esc_shell, "/dev/hmm_dmirror0", "/dev/hmm_dmirror0");
	expect(esc_shell, "", "''");
	expect(esc_shell, "a b", "'a b'");
	expect(esc_shell, "it's", "'it'\\''s'");
	expect(esc_shell, "$(x)`y`", "'$(x)`y`'");
	expect(esc_shell, "~", "'~'");
	s = esc_shell_dup("a;b");
	cr_assert_str_eq(s, "'a;b'");
	free(s);
}

/* sh reads every quoted word back exactly, and runs nothing in it. */
Test(escape, shell_reads_back_and_runs_nothing)
{
	char script[PATH_MAX + 16], cmd[2 * PATH_MAX];
	FILE *f;

	snprintf(script, sizeof(script), "%s/t.sh", tu_tmp);
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		char *got = NULL;
		size_t len = 0;
		FILE *p;

		f = fopen(script, "w");
		cr_assert(f);
		fputs("printf '%s' ", f);
		esc_shell(f, hostile[i]);
		fputc('\n', f);
		cr_assert_eq(fclose(f), 0);
		snprintf(cmd, sizeof(cmd), "cd '%s' && sh t.sh", tu_tmp);
		p = popen(cmd, "r");
		cr_assert(p);
		if (getdelim(&got, &len, '\0', p) < 0) {
			free(got);
			got = strdup("");	/* printed nothing */
		}
		cr_assert_eq(pclose(p), 0, "sh failed on the word for \"%s\"", hostile[i]);
		cr_assert_str_eq(got, hostile[i]);
		free(got);
	}
	nothing_ran(tu_tmp, "sh");
}
