#!/usr/bin/env bash
# Replays every fuzz corpus and every kept crasher (tests/fixtures/fuzz-*)
# through the real parsers, with the drivers fuzz/replay.c builds with gcc
# (and ASan/UBSan where configure found them): the records reader, job
# files and the command line. One TAP line per fuzz target. A crash, a
# sanitizer report or a broken promise (fuzz/fuzz.h) fails it.
set -uo pipefail

builddir=${HMMBENCH_BUILDDIR:-.}
srcdir=${HMMBENCH_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
fixtures=$srcdir/tests/fixtures
logs=$(mktemp -d "${TMPDIR:-/tmp}/hmmbench-replay.XXXXXX")
trap 'rm -rf "$logs"' EXIT
export ASAN_OPTIONS="log_path=$logs/report:detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# target corpus-dir regress-dir
targets=(
	"records fuzz-corpus fuzz-regress"
	"jobs fuzz-jobs-corpus fuzz-jobs-regress"
	"cmdline fuzz-cmdline-corpus fuzz-cmdline-regress"
)
echo "1..${#targets[@]}"
failed=0 n=0
for t in "${targets[@]}"; do
	read -r name corpus regress <<<"$t"
	n=$((n + 1))
	bin=$builddir/fuzz/replay-$name
	inputs=$(find "$fixtures/$corpus" "$fixtures/$regress" -type f ! -name README 2>/dev/null | wc -l)
	rm -f "$logs"/report.*
	"$bin" "$fixtures/$corpus" "$fixtures/$regress" >"$logs/out" 2>"$logs/err"
	rc=$?
	reports=("$logs"/report.*)
	if [[ $rc == 0 && ! -e ${reports[0]} && $inputs -gt 0 ]] &&
		grep -qx "replayed $inputs inputs" "$logs/out"; then
		echo "ok $n - $name: $inputs inputs from $corpus and $regress replayed cleanly"
	else
		echo "not ok $n - $name: replay exits $rc after $(grep -c '^replay: ' "$logs/err") of $inputs inputs"
		tail -n 5 "$logs/err" | sed 's/^/# /'
		cat "$logs"/report.* 2>/dev/null | head -n 40 | sed 's/^/#   /'
		failed=1
	fi
done
exit "$failed"
