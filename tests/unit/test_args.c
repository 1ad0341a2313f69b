// SPDX-License-Identifier: GPL-2.0
/*
 * 'hmmbench run' option parsing (run_parse_opts, cli_parse_uint) and the
 * shell quoting of the recorded command line (cli_command_line), whose
 * output is fed back through /bin/sh to prove it round-trips.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "backend.h"
#include "cli.h"

/* Captures what the code under test prints, so TAP on stdout stays clean. */
struct capture {
	FILE *out, *err;
	int saved_out, saved_err;
};

static void capture_start(struct capture *c)
{
	fflush(stdout);
	fflush(stderr);
	c->out = tmpfile();
	c->err = tmpfile();
	cr_assert(c->out && c->err, "tmpfile() should work");
	c->saved_out = dup(1);
	c->saved_err = dup(2);
	dup2(fileno(c->out), 1);
	dup2(fileno(c->err), 2);
}

static void slurp(FILE *f, char *buf, size_t len)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void capture_stop(struct capture *c, char *out, size_t outlen,
			 char *err, size_t errlen)
{
	fflush(stdout);
	fflush(stderr);
	dup2(c->saved_out, 1);
	dup2(c->saved_err, 2);
	close(c->saved_out);
	close(c->saved_err);
	slurp(c->out, out, outlen);
	slurp(c->err, err, errlen);
}

static char out_text[8192], err_text[8192];

/*
 * run_parse_opts on "run" followed by the NULL-terminated words, into a
 * zeroed @o; what it printed lands in out_text and err_text.
 */
static int parse(struct run_opts *o, ...)
{
	char *argv[32];
	int argc = 0, ret;
	struct capture c;
	va_list ap;

	argv[argc++] = "run";
	va_start(ap, o);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	memset(o, 0, sizeof(*o));
	capture_start(&c);
	ret = run_parse_opts(argc, argv, o);
	capture_stop(&c, out_text, sizeof(out_text), err_text, sizeof(err_text));
	return ret;
}

static void no_results_env(void)
{
	unsetenv("HMMBENCH_RESULTS");
}

TestSuite(args, .init = no_results_env);

Test(args, missing_suite)
{
	struct run_opts o;

	cr_assert(parse(&o, "-o", "out", NULL) == -1, "a run without --suite should be rejected");
	cr_assert(strstr(err_text, "suite"), "the error should mention the suite: \"%s\"", err_text);
}

Test(args, unknown_suite)
{
	struct run_opts o;

	cr_assert(parse(&o, "--suite", "bogus", NULL) == -1, "--suite bogus should be rejected");
	cr_assert(strstr(err_text, "bogus"), "the error should name 'bogus': \"%s\"", err_text);
}

Test(args, unknown_flag)
{
	struct run_opts o;

	cr_assert(parse(&o, "--suite", "smoke", "--bogus", NULL) == -1,
		  "an unknown flag --bogus should be rejected");
	cr_assert(strstr(err_text, "--bogus"), "the error should name '--bogus': \"%s\"", err_text);
	cr_assert(parse(&o, "--suite", "smoke", "-x", NULL) == -1,
		  "an unknown short flag -x should be rejected");
}

Test(args, flag_missing_its_value)
{
	struct run_opts o;

	cr_assert(parse(&o, "--suite", NULL) == -1, "--suite without a value should be rejected");
	cr_assert(parse(&o, "--suite", "smoke", "--iterations", NULL) == -1,
		  "--iterations without a value should be rejected");
}

Test(args, stray_argument)
{
	struct run_opts o;

	cr_assert(parse(&o, "--suite", "smoke", "extra", NULL) == -1,
		  "a stray positional argument should be rejected");
	cr_assert(strstr(err_text, "extra"), "the error should name 'extra': \"%s\"", err_text);
}

static const char *const bad_iterations[] = {
	"0", "-3", "abc", "100001", "", "1.5", "5x", "99999999999999999999",
};

Test(args, iterations_rejected)
{
	struct run_opts o;

	for (size_t i = 0; i < sizeof(bad_iterations) / sizeof(bad_iterations[0]); i++)
		cr_assert(parse(&o, "--suite", "smoke", "--iterations",
				bad_iterations[i], NULL) == -1,
			  "--iterations '%s' should be rejected (valid: 1..100000)",
			  bad_iterations[i]);
}

/* The range in the message is the range accepted (issue 11: it said 0). */
Test(args, iterations_message_names_the_real_range)
{
	struct run_opts o;

	for (size_t i = 0; i < sizeof(bad_iterations) / sizeof(bad_iterations[0]); i++) {
		parse(&o, "--suite", "smoke", "--iterations", bad_iterations[i], NULL);
		cr_expect(strstr(err_text, "between 1 and 100000"),
			  "--iterations '%s': the error should say 1..100000: %s",
			  bad_iterations[i], err_text);
	}
}

Test(args, iterations_bounds_accepted)
{
	struct run_opts o;

	cr_assert(parse(&o, "--suite", "smoke", "--iterations", "1", NULL) == 0 &&
		  o.iterations == 1, "--iterations 1 should be accepted, got %u", o.iterations);
	cr_assert(parse(&o, "--suite", "smoke", "--iterations", "100000", NULL) == 0 &&
		  o.iterations == 100000, "--iterations 100000 should be accepted, got %u",
		  o.iterations);
}

static const char *const bad_seeds[] = {
	"abc", "-1", "", "18446744073709551616", "12z",
};

Test(args, seed_rejected)
{
	struct run_opts o;

	for (size_t i = 0; i < sizeof(bad_seeds) / sizeof(bad_seeds[0]); i++)
		cr_assert(parse(&o, "--suite", "smoke", "--seed", bad_seeds[i], NULL) == -1,
			  "--seed '%s' should be rejected", bad_seeds[i]);
}

Test(args, seed_full_range)
{
	struct run_opts o;

	cr_assert(parse(&o, "--suite", "smoke", "--seed", "18446744073709551615", NULL) == 0,
		  "--seed 2^64-1 should be accepted: %s", err_text);
	cr_assert(o.seed == UINT64_MAX, "seed should be 2^64-1, got %llu",
		  (unsigned long long)o.seed);
	cr_assert(parse(&o, "--suite", "smoke", "--seed", "0", NULL) == 0 && o.seed == 0,
		  "--seed 0 should be accepted as 0, got %llu", (unsigned long long)o.seed);
}

/*
 * strtoull skips leading blanks and then negates "-3" to 2^64-3; a check
 * for '-' in the first byte alone lets " -3" through as a huge seed.
 */
Test(args, negative_after_blank_rejected)
{
	struct run_opts o;
	unsigned long long v = 0;
	struct capture c;
	int ret;

	capture_start(&c);
	ret = cli_parse_uint("--seed", " -3", UINT64_MAX, &v);
	capture_stop(&c, out_text, sizeof(out_text), err_text, sizeof(err_text));
	cr_assert(ret == -1, "cli_parse_uint(\" -3\") should reject a negative number, gave %llu", v);
	cr_assert(parse(&o, "--suite", "smoke", "--seed", " -3", NULL) == -1,
		  "--seed ' -3' should be rejected, was taken as %llu", (unsigned long long)o.seed);
}

Test(args, unknown_backend)
{
	struct run_opts o;

	cr_assert(parse(&o, "--suite", "smoke", "--backend", "nvidia", NULL) == -1,
		  "--backend nvidia should be rejected");
	cr_assert(strstr(err_text, "nvidia"), "the error should name 'nvidia': \"%s\"", err_text);
}

Test(args, suite_and_job_exclusive)
{
	struct run_opts o;

	cr_assert(parse(&o, "--suite", "smoke", "--job", "x.ini", NULL) == -1,
		  "--suite and --job together should be rejected");
	cr_assert(parse(&o, "--job", "x.ini", NULL) == 0 && o.job && !strcmp(o.job, "x.ini") &&
		  !o.suite, "--job alone should be accepted (the file is read later): %s", err_text);
}

Test(args, builtin_suites_accepted)
{
	static const char *const suites[] = { "smoke", "default", "full" };
	struct run_opts o;

	for (size_t i = 0; i < 3; i++)
		cr_assert(parse(&o, "--suite", suites[i], NULL) == 0 && !strcmp(o.suite, suites[i]),
			  "--suite %s should be accepted (run --help lists it): %s", suites[i], err_text);
}

Test(args, format)
{
	struct run_opts o;

	cr_assert(parse(&o, "--suite", "smoke", NULL) == 0 && o.format && !strcmp(o.format, "text"),
		  "--format should default to text, got %s", o.format ? o.format : "(null)");
	cr_assert(parse(&o, "--suite", "smoke", "--format", "ktap", NULL) == 0 &&
		  !strcmp(o.format, "ktap"), "--format ktap should be accepted");
	cr_assert(parse(&o, "--suite", "smoke", "--format", "json", NULL) == -1,
		  "--format json should be rejected (text or ktap)");
}

/* Every rejection is one line, "hmmbench: error: ..." (cli.h). */
Test(args, each_rejection_prints_one_line)
{
	static const char *const lines[][5] = {
		{ "-o", "x" },
		{ "--suite", "bogus" },
		{ "--suite", "smoke", "--bogus" },
		{ "--suite", "smoke", "extra" },
		{ "--suite", "smoke", "--backend", "nvidia" },
		{ "--suite", "smoke", "--seed", "abc" },
		{ "--suite", "smoke", "--iterations", "0" },
		{ "--suite", "smoke", "--iterations", "-3" },
		{ "--suite", "smoke", "--iterations", "100001" },
		{ "--suite", "smoke", "--iterations", "abc" },
		{ "--suite", "smoke", "--job", "x.ini" },
		{ "--suite", "smoke", "--format", "json" },
	};
	struct run_opts o;

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		const char *const *l = lines[i];
		size_t nl = 0;

		cr_assert(parse(&o, l[0], l[1], l[2], l[3], l[4]) == -1,
			  "line %zu (%s %s %s %s) should be rejected", i, l[0], l[1],
			  l[2] ? l[2] : "", l[3] ? l[3] : "");
		for (const char *p = err_text; *p; p++)
			nl += *p == '\n';
		cr_assert(nl == 1 && !strncmp(err_text, "hmmbench: error: ", 17),
			  "'%s %s %s %s' should print one \"hmmbench: error:\" line, printed %zu:\n%s",
			  l[0], l[1], l[2] ? l[2] : "", l[3] ? l[3] : "", nl, err_text);
	}
}

Test(args, good_line_fills_struct)
{
	struct run_opts o;
	int ret = parse(&o, "--suite", "smoke", "-o", "/tmp/res", "--seed", "42",
			"--iterations", "7", NULL);

	cr_assert(ret == 0, "a good line should parse, got %d: %s", ret, err_text);
	cr_assert(o.suite && !strcmp(o.suite, "smoke"), "suite should be smoke");
	cr_assert(o.outdir && !strcmp(o.outdir, "/tmp/res"), "outdir should be /tmp/res, got %s",
		  o.outdir);
	/* lib/test_hmm.c creates /dev/hmm_dmirror0..3; 0 is device-private. */
	cr_assert(o.device && !strcmp(o.device, "/dev/hmm_dmirror0"),
		  "device should default to /dev/hmm_dmirror0, got %s", o.device);
	cr_assert(o.seed == 42, "seed should be 42, got %llu", (unsigned long long)o.seed);
	cr_assert(o.iterations == 7, "iterations should be 7, got %u", o.iterations);
	cr_assert(o.backend == hmm_backend_find("test_hmm"), "backend should default to test_hmm");
	cr_assert(!o.help, "help should not be set");
	cr_assert(!err_text[0], "a good line should print no error, printed \"%s\"", err_text);
}

Test(args, short_options_and_device)
{
	struct run_opts o;
	int ret = parse(&o, "-s", "smoke", "-o", "d", "-d", "/dev/hmm_dmirror2", "-S", "0x10",
			"-i", "3", "-b", "test_hmm", NULL);

	cr_assert(ret == 0, "short options should parse, got %d: %s", ret, err_text);
	cr_assert(!strcmp(o.device, "/dev/hmm_dmirror2"), "device should be /dev/hmm_dmirror2, got %s",
		  o.device);
	cr_assert(!strcmp(o.outdir, "d"), "outdir should be d, got %s", o.outdir);
	cr_assert(o.seed == 16, "seed 0x10 should be 16, got %llu", (unsigned long long)o.seed);
	cr_assert(o.iterations == 3, "iterations should be 3, got %u", o.iterations);
}

Test(args, outdir_default_and_env)
{
	struct run_opts o;

	cr_assert(parse(&o, "--suite", "smoke", NULL) == 0 && !strcmp(o.outdir, "hmmbench-results"),
		  "outdir should default to hmmbench-results, got %s", o.outdir);
	cr_assert(o.iterations == 0, "iterations should stay 0 (the suite's own) when not given");
	setenv("HMMBENCH_RESULTS", "/srv/results", 1);
	cr_assert(parse(&o, "--suite", "smoke", NULL) == 0 && !strcmp(o.outdir, "/srv/results"),
		  "outdir should come from $HMMBENCH_RESULTS, got %s", o.outdir);
	cr_assert(parse(&o, "--suite", "smoke", "-o", "mine", NULL) == 0 && !strcmp(o.outdir, "mine"),
		  "-o should override $HMMBENCH_RESULTS, got %s", o.outdir);
}

/*
 * An empty $HMMBENCH_RESULTS (exported but unset in a script) must not
 * become an empty outdir: rec_open_run would then build "/<release>/<run>"
 * at the filesystem root.
 */
Test(args, empty_results_env_is_not_root)
{
	struct run_opts o;
	int ret;

	setenv("HMMBENCH_RESULTS", "", 1);
	ret = parse(&o, "--suite", "smoke", NULL);
	cr_assert(ret == -1 || (o.outdir && *o.outdir),
		  "HMMBENCH_RESULTS='' should fall back to hmmbench-results or be rejected, "
		  "got outdir \"%s\" (results would go to /)", o.outdir ? o.outdir : "(null)");
}

Test(args, help)
{
	struct run_opts o;

	cr_assert(parse(&o, "--help", NULL) == 0, "--help should return 0");
	cr_assert(o.help == 1, "--help should set help");
	cr_assert(strstr(out_text, "usage: hmmbench run"), "--help should print the usage on stdout");
	cr_assert(!err_text[0], "--help should print nothing on stderr: \"%s\"", err_text);
}

Test(args, parse_twice_in_one_process)
{
	struct run_opts o;

	cr_assert(parse(&o, "--suite", "smoke", "--seed", "1", "--iterations", "2", "-o", "a",
			NULL) == 0 && o.iterations == 2 && o.seed == 1,
		  "the first parse should work");
	cr_assert(parse(&o, "--iterations", "3", "--suite", "smoke", "--seed", "9", NULL) == 0,
		  "the second parse should work: %s", err_text);
	cr_assert(o.iterations == 3 && o.seed == 9 && !strcmp(o.outdir, "hmmbench-results"),
		  "the second parse should see only its own words: iterations %u seed %llu outdir %s",
		  o.iterations, (unsigned long long)o.seed, o.outdir);

	/*
	 * Parses that stop inside a cluster of short flags leave getopt
	 * pointing into it; the next parse must start afresh.
	 */
	cr_assert(parse(&o, "-hx", NULL) == 0 && o.help, "-hx should stop at -h with help set");
	cr_assert(parse(&o, "-s", "smoke", "-i", "4", NULL) == 0 && o.iterations == 4,
		  "a parse after -hx should not see the pending 'x': %s", err_text);
	cr_assert(parse(&o, "-xs", "smoke", NULL) == -1, "-x should be rejected");
	cr_assert(parse(&o, "-s", "smoke", "-i", "5", NULL) == 0 && o.iterations == 5,
		  "a parse after a rejected -xs should work: %s", err_text);
}

/* --- cli_command_line ------------------------------------------------- */

static char *quoted(int argc, const char *const *argv)
{
	char *s = cli_command_line(argc, (char **)argv);

	cr_assert(s, "cli_command_line should return a string");
	return s;
}

Test(cmdline, plain_args_unchanged)
{
	const char *const argv[] = {
		"hmmbench", "run", "--suite", "smoke", "-o", "/tmp/res-1.2_x",
		"--seed=42", "a:b,c%d+e@f",
	};
	char *s = quoted(8, argv);

	cr_assert(!strcmp(s, "hmmbench run --suite smoke -o /tmp/res-1.2_x --seed=42 a:b,c%d+e@f"),
		  "plain words should be joined by single spaces, unquoted: \"%s\"", s);
	free(s);
}

/* POSIX sh: inside '...' nothing is special; a ' is written '\'' . */
Test(cmdline, quoting_by_hand)
{
	static const struct { const char *arg, *want; } t[] = {
		{ "a b", "'a b'" },
		{ "it's", "'it'\\''s'" },
		{ "", "''" },
		{ "$HOME", "'$HOME'" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *argv[] = { t[i].arg };
		char *s = quoted(1, argv);

		cr_assert(!strcmp(s, t[i].want), "\"%s\" should quote as %s, got %s",
			  t[i].arg, t[i].want, s);
		free(s);
	}
}

/* Output of: sh -c "printf '[%s]\n' WORDS". */
static char *sh_printf(const char *words)
{
	static const char prefix[] = "printf '[%s]\\n' ";
	char *script, *out = NULL;
	size_t len = 0, cap = 0;
	int fd[2], status;
	pid_t pid;

	cr_assert(asprintf(&script, "%s%s", prefix, words) > 0, "asprintf");
	cr_assert(pipe(fd) == 0, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	for (;;) {
		ssize_t n;

		if (len + 256 > cap) {
			cap = cap ? 2 * cap : 1024;
			out = realloc(out, cap);
			cr_assert(out, "realloc");
		}
		n = read(fd[0], out + len, cap - len - 1);
		if (n <= 0)
			break;
		len += n;
	}
	out[len] = '\0';
	close(fd[0]);
	waitpid(pid, &status, 0);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "sh -c \"%s\" should exit 0, status 0x%x", script, status);
	free(script);
	return out;
}

static const char *const nasty[] = {
	"a b", "it's", "", "$HOME", "`id`", "$(id)", "\"dq\"", "back\\slash",
	"tab\there", "new\nline", "*", "~", "a;b|c&d", "!bang", "#hash", "'",
	"''", "x'y'z", "--flag=with space", "h\xc3\xa9llo", "{a,b}", "[ab]",
	"-n", "--", "trailing\\", "a=b c", "<in >out", "\\'",
};
#define NNASTY (sizeof(nasty) / sizeof(nasty[0]))

Test(cmdline, each_arg_round_trips_through_sh)
{
	for (size_t i = 0; i < NNASTY; i++) {
		const char *argv[] = { nasty[i] };
		char *q = quoted(1, argv), *want, *got;

		cr_assert(asprintf(&want, "[%s]\n", nasty[i]) > 0, "asprintf");
		got = sh_printf(q);
		cr_assert(!strcmp(got, want),
			  "arg %zu \"%s\" quoted as %s should come back from sh unchanged, got \"%s\"",
			  i, nasty[i], q, got);
		free(q);
		free(want);
		free(got);
	}
}

Test(cmdline, whole_line_round_trips_through_sh)
{
	char *q = quoted(NNASTY, nasty), *got, *want = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&want, &len);

	for (size_t i = 0; i < NNASTY; i++)
		fprintf(f, "[%s]\n", nasty[i]);
	fclose(f);
	got = sh_printf(q);
	cr_assert(!strcmp(got, want),
		  "all %zu args quoted together should come back as %zu words:\nquoted: %s\ngot:\n%s",
		  NNASTY, NNASTY, q, got);
	free(q);
	free(want);
	free(got);
}
