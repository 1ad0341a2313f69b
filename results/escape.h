/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Strings from records and probes are data, never code: one escaper per
 * output language. A records file may come from any host (the README
 * invites merging result trees), so whatever it holds must reach a
 * terminal, a gnuplot script, HTML, CSV or a shell script as inert text.
 *
 * The reader (results/reader.c) already makes every string of a record
 * printable with esc_term_dup(); each writer then quotes for its own
 * language, so a string is safe even where it did not come through the
 * reader (paths, directory names, command-line arguments).
 */
#ifndef HMMBENCH_ESCAPE_H
#define HMMBENCH_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Terminal (and TSV, and one-line messages): every byte a terminal acts
 * on becomes visible text: C0 controls and DEL as \n \t \r or \xNN, the
 * C1 controls (U+0080..U+009F, e.g. the one-byte CSI) and the
 * bidirectional overrides as \uNNNN, bytes that are not UTF-8 as \xNN.
 * Printable text, UTF-8 included, is kept as it is, so escaping twice
 * changes nothing.
 */
void esc_term(FILE *f, const char *s);
/* The same into @buf (cut at @len, always terminated); returns @buf. */
char *esc_term_buf(char *buf, size_t len, const char *s);
/* The same, malloc'ed; NULL without memory. */
char *esc_term_dup(const char *s);
/* Whether esc_term() would change @s. */
int esc_term_needed(const char *s);

/*
 * A JSON string (jansson) of @s as esc_term() shows it, so a string from
 * anywhere (a record, a path) is valid UTF-8 and holds no control
 * character once decoded; JSON null for @s NULL or without memory.
 */
struct json_t;
struct json_t *esc_json(const char *s);

/*
 * gnuplot: a single-quoted string, in which gnuplot expands nothing (in
 * double quotes it runs `backticks` as shell commands). A quote becomes
 * '."'".' and a newline '."\n".' (string concatenation: gnuplot 5.4's
 * own '' misreads runs of quotes), so labels keep their lines; other
 * control characters as in esc_term().
 */
void esc_gnuplot(FILE *f, const char *s);

/*
 * HTML text and double- or single-quoted attribute values: & < > " ' as
 * character references; control characters but newline and tab as in
 * esc_term().
 */
void esc_html(FILE *f, const char *s);

/*
 * One CSV field (RFC 4180): in double quotes, with " doubled, when it
 * holds a comma, quote, CR or LF. A field a spreadsheet would evaluate as
 * a formula (first character = + - @) gets a leading ' (OWASP's guard
 * against CSV injection) and is quoted. Control characters are shown as
 * in esc_term() (a newline too: one record a line), so a tab or CR never
 * leads a field.
 */
void esc_csv(FILE *f, const char *s);

/*
 * One shell word: as it is when made only of characters no shell treats
 * specially, else in single quotes with each ' as '\''. Inside single
 * quotes a POSIX shell expands nothing.
 */
void esc_shell(FILE *f, const char *s);
/* The same, malloc'ed; NULL without memory. */
char *esc_shell_dup(const char *s);

#endif
