#!/usr/bin/env bash
# Records no run can have written, as ls, compare and report meet them
# (issue 11, item 7): a one-line error that says what and how to fix it
# and exit 2, or a warning that says what it means. Also 'compare X X':
# a run compared with itself measures nothing.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"

[[ -x $HMMBENCH_BIN ]] || bail "hmmbench binary '$HMMBENCH_BIN' not built; run make first"
tap_plan 9
fx=$SRCDIR/tests/fixtures/results-two-kernels
meta='{"schema":1,"type":"meta","kernel":{"release":"7.2.13"}}'
sample() { printf '{"schema":1,"type":"sample","bench":"migrate","params":{"size":4096,"pages":"4k","direction":"to-dev"},"values":{"throughput":%s}}\n' "$1"; }
end='{"schema":1,"type":"end","status":"complete"}'
tree() {	# tree NAME LINE...: a results tree NAME/7.2.13/run holding the lines
	mkdir -p "$WORK/$1/7.2.13/run"
	local name=$1; shift
	printf '%s\n' "$@" >"$WORK/$name/7.2.13/run/records.jsonl"
}
# one_line_error WHAT EXPECTED-TEXT COMMAND...: exit 2, one line, the text
one_line_error() {
	local what=$1 text=$2 rc; shift 2
	"$@" >"$WORK/out" 2>"$WORK/err"; rc=$?
	if [[ $rc == 2 && $(wc -l <"$WORK/err") == 1 ]] && grep -qF -- "$text" "$WORK/err"; then
		ok "$what"
	else
		not_ok "$what" "exit $rc (want 2), stderr:" "$(cat "$WORK/err")"
	fi
}

tree negative "$meta" "$(sample 100)" "$(sample -5)" "$end"
one_line_error "a negative throughput: exit 2 naming the line and the fix" \
	"records.jsonl:3: throughput is -5, but a throughput (MB/s) is never negative; no run writes that, so the record is corrupt or was edited: correct or delete the line" \
	"$HMMBENCH_BIN" ls "$WORK/negative"
tree nometa "$(sample 100)" "$end"
one_line_error "records without a meta record: exit 2, not a run of kernel '?'" \
	"records.jsonl:1: a \"sample\" record before any \"meta\" record" \
	"$HMMBENCH_BIN" report "$WORK/nometa" -o "$WORK/nometa-report"
tree unknown "$meta" "$(sample 100)" '{"schema":1,"type":"smaple","values":{"throughput":1}}' "$end"
"$HMMBENCH_BIN" ls "$WORK/unknown" >"$WORK/out" 2>"$WORK/err"; rc=$?
check "an unknown record type: listed (exit $rc), with a warning that it was skipped and why" \
	bash -c "test $rc = 0 && test \$(wc -l <'$WORK/err') = 1 && grep -q '^hmmbench: warning: .*records.jsonl:3: record type \"smaple\" is unknown to this hmmbench; skipped' '$WORK/err' && grep -q 'a newer hmmbench wrote it, or the file was edited' '$WORK/err'"
"$HMMBENCH_BIN" report "$WORK/unknown" -o "$WORK/unknown-report" >/dev/null 2>&1
check "the report keeps that warning" bash -c "tr -s ' \n' ' ' <'$WORK/unknown-report/summary.txt' | grep -q 'warning: .*record type \"smaple\" is unknown'"

one_line_error "compare X X: exit 2, nothing compared" "hold the same run" \
	"$HMMBENCH_BIN" compare "$fx/7.2.13" "$fx/7.2.13"
cp -r "$fx/7.2.13" "$WORK/copy"
one_line_error "compare X with a copy of X: exit 2" "hold the same run" \
	"$HMMBENCH_BIN" compare "$fx/7.2.13" "$WORK/copy"
one_line_error "compare BASE with a NEW tree that holds BASE's runs: exit 2" "hold the same run" \
	"$HMMBENCH_BIN" compare "$fx/6.12.117" "$fx"
# The fixture's kernels differ in THP defrag on purpose: compare would refuse.
"$HMMBENCH_BIN" compare --allow-differences "$fx/6.12.117" "$fx/7.2.13" >/dev/null 2>"$WORK/err"; rc=$?
check "compare of two different kernels still works (exit $rc)" test "$rc" -lt 2
one_line_error "report X X: exit 2, the samples would count twice" "would count twice" \
	"$HMMBENCH_BIN" report "$fx" "$fx" -o "$WORK/twice"
finish
