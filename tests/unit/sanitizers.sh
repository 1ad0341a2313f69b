#!/usr/bin/env bash
# The unit tests again, built with AddressSanitizer, LeakSanitizer and
# UndefinedBehaviorSanitizer (tests/unit/unit-tests-san). UBSan aborts at
# the first report (-fno-sanitize-recover) and ASan at the first error, so
# the test that hit it fails; but Criterion runs each test in a process of
# its own and ignores a leak report at that process's exit. So every
# report is written to a file of its own (log_path), and the last TAP line
# fails when any was written, showing them. TAP on stdout.
set -uo pipefail

bin=${HMMBENCH_BUILDDIR:-.}/tests/unit/unit-tests-san
srcdir=${HMMBENCH_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [[ ! -x $bin ]]; then
	echo "1..0 # SKIP $bin not built (configure found no ASan/UBSan)"
	exit 0
fi
logs=$(mktemp -d "${TMPDIR:-/tmp}/hmmbench-san.XXXXXX")
trap 'rm -rf "$logs"' EXIT

# detect_leaks is on by default on x86-64; said here so it stays so.
export ASAN_OPTIONS="log_path=$logs/report:detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$srcdir/tests/unit/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# TAP to a file: with --tap=- Criterion also drops the test processes'
# stderr, where UBSan reports (it has no log_path of its own beside ASan).
"$bin" --tap="$logs/tap" --color=never >/dev/null 2>"$logs/stderr"
rc=$?
plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$logs/tap" | head -n1)
if [[ -z $plan ]]; then
	echo "Bail out! $bin printed no TAP plan (exit $rc)"
	sed 's/^/# /' "$logs/stderr" | tail -n 40
	exit 1
fi
# One more test than Criterion's: the sanitizers' own verdict.
sed "s/^1\.\.$plan\$/1..$((plan + 1))/" "$logs/tap"
reports=("$logs"/report.*)
if [[ -e ${reports[0]} ]]; then
	echo "not ok - sanitizers: ${#reports[@]} report(s) from the test processes (leaks are only seen here)"
	for r in "${reports[@]}"; do
		grep -h -m1 -E 'ERROR: |runtime error' "$r" | sed 's/^/# /'
		sed 's/^/#   /' "$r" | head -n 40
	done
else
	echo "ok - sanitizers: no ASan, LSan or UBSan report from any test process"
fi
# UBSan's reports, each failing its own test already: show them.
grep -A 8 -E 'runtime error' "$logs/stderr" | sed 's/^/# /' | head -n 60
exit "$rc"
