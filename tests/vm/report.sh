#!/usr/bin/env bash
# End to end on real records: the smoke suite in the 7.2 guest (twice, and
# once killed mid-way with SIGKILL) and in the 6.12 guest, then ls,
# compare and report on the host. The unit tests read hand-written trees;
# this checks that what 'hmmbench run' writes today still loads, compares
# and plots, and that the 6.12/7.2 differences come out as capabilities
# and PMD evidence rather than as numbers.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

require_qemu 19
bz72=$(kernel_for 7.2)
bz612=$(kernel_for 6.12)
r72=$WORK/r72
r612=$WORK/r612
quick='hmmbench run --suite smoke --iterations 3'
# The third run is killed once it has written $kill_after samples: an event,
# not a time (a fast host finishes the whole smoke suite in seconds). The
# guest gives up after 300 s and says how many samples it saw.
kill_after=3
vm "$bz72" "$r72" sh -c "$quick -o /results/a >/results/a.txt 2>&1; echo \$? >/results/a.rc
$quick -o /results/b >/results/b.txt 2>&1; echo \$? >/results/b.rc
hmmbench run --suite smoke -o /results/killed >/dev/null 2>&1 & pid=\$!
n=0 t=0
while [ \$n -lt $kill_after ] && [ \$t -lt 3000 ] && kill -0 \$pid 2>/dev/null; do
	sleep 0.1; t=\$((t + 1))
	n=\$(cat /results/killed/*/*/records.jsonl 2>/dev/null | grep -c '\"type\":\"sample\"')
done
echo \$n >/results/killed.samples
kill -KILL \$pid; wait \$pid; echo \$? >/results/killed.rc; true" >"$WORK/console72.txt" 2>&1
rc72=$?
vm "$bz612" "$r612" sh -c "$quick -o /results/a >/results/a.txt 2>&1; echo \$? >/results/a.rc" \
	>"$WORK/console612.txt" 2>&1
rc612=$?
check "both guests ran cleanly (vm-run 7.2: $rc72, 6.12: $rc612)" test "$rc72$rc612" = 00
killed_n=$(cat "$r72/killed.samples" 2>/dev/null) killed_rc=$(cat "$r72/killed.rc" 2>/dev/null)
check "the third run was killed by SIGKILL (status $killed_rc, 137 expected) once it had $kill_after samples (saw ${killed_n:-none}; fewer means it ended or 300 s passed first)" \
	test "$killed_rc:$((${killed_n:-0} >= kill_after))" = 137:1
# The README's "What you get" is what hmmbench prints today: the same
# header, footer and row names (the numbers differ from run to run).
readme=$(sed -n '/^\$ hmmbench run --suite smoke/,/^```/p' "$SRCDIR/README.md" | sed '1d;$d')
printed=$(tr -d '\r' <"$r72/a.txt" 2>/dev/null | sed 's/\x1b\[K//g')
check "the README's 'What you get' has the header, footer and row names hmmbench prints" \
	bash -c 'readme=$1 printed=$2
	[[ -n $readme ]] || exit 1
	while IFS= read -r line; do
		case $line in
		"hmmbench: "*) ;;  # stderr lines name a run of their own
		case*|CI:*|coverage*|stop:*|"(max_samples)"*) grep -qxF -- "$line" <<<"$printed" || exit 1 ;;
		*) grep -q "^${line:0:31}" <<<"$printed" || exit 1 ;;
		esac
	done <<<"$readme"' check "$readme" "$printed"
check "the quick smoke runs exited 0" \
	test "$(cat "$r72/a.rc" "$r72/b.rc" "$r612/a.rc" 2>/dev/null | tr -d '\n')" = 000

out=$WORK/out
"$HMMBENCH_BIN" ls "$r72/a" "$r72/killed" >"$WORK/ls.txt" 2>&1
rc=$?
check "ls lists the runs (exit $rc)" grep -qE '^7\.2\.[0-9]+ .* smoke +complete +[0-9]+' "$WORK/ls.txt"
check "ls marks the run killed mid-way (status $(cat "$r72/killed.rc" 2>/dev/null)) incomplete" \
	grep -qE '^7\.2\.[0-9]+ .* incomplete ' "$WORK/ls.txt"

"$HMMBENCH_BIN" compare "$r72/a" "$r72/a" >"$WORK/same.txt" 2>&1
rc=$?
check "a run compared with itself is refused: exit 2 (got $rc), one line" \
	bash -c "test $rc = 2 && test \$(wc -l <'$WORK/same.txt') = 1 && grep -q 'hold the same run' '$WORK/same.txt'"
"$HMMBENCH_BIN" compare "$r72/a" "$r72/b" >"$WORK/ab.txt" 2>&1
rc=$?
check "two 7.2 runs compare (exit 0 or 1, got $rc) with n 3/3 per row" \
	bash -c "test $rc -le 1 && grep -qE '32M thp to-dev +3/3 ' '$WORK/ab.txt'"

"$HMMBENCH_BIN" compare "$r612/a" "$r72/a" >"$WORK/k.txt" 2>&1
rc=$?
check "6.12 against 7.2 compares (exit 0 or 1, got $rc)" test "$rc" -le 1
check "6.12 moved THPs as 4 KiB pages, 7.2 as whole PMDs" \
	grep -qE '6\.12\.[0-9]+: whole PMDs in 0/3 samples; 7\.2\.[0-9]+: whole PMDs in 3/3 samples' "$WORK/k.txt"
check "FAIL_ALLOC is unsupported on 6.12, not a number" \
	grep -qE 'injected: unsupported on 6\.12\.[0-9]+ \(fail-alloc\)' "$WORK/k.txt"
check "no split row of 6.12 has a value or a verdict" \
	bash -c "! grep -E '^  8M .* (WORSE|better)' '$WORK/k.txt'"
[[ $TAP_FAILED == 0 ]] || sed 's/^/# /' "$WORK/k.txt"

mkdir -p "$WORK/bad/7.2.0/run" && { head -n 3 "$(records_in "$r72/a")"; echo '{"schema":1,"type":'; } \
	>"$WORK/bad/7.2.0/run/records.jsonl"
"$HMMBENCH_BIN" compare "$r72/a" "$WORK/bad" >/dev/null 2>"$WORK/bad.err"
rc=$?
check "a corrupt line is exit 2 (got $rc) with one line naming file and line 4" \
	bash -c "test $rc = 2 && test \$(wc -l <'$WORK/bad.err') = 1 && grep -q 'records.jsonl:4: not valid JSON' '$WORK/bad.err'"

"$HMMBENCH_BIN" report "$r612/a" "$r72/a" "$r72/killed" -o "$out" >"$WORK/report.txt" 2>&1
rc=$?
check "report exits 0 (got $rc) and names index.html" \
	bash -c "test $rc = 0 && grep -q index.html '$WORK/report.txt'"
check "summary.txt is at most 80 columns" \
	bash -c "test -s '$out/summary.txt' && awk 'length > 80 { bad = 1 } END { exit bad }' '$out/summary.txt'"
check "summary.txt marks the killed run incomplete" grep -q 'incomplete' "$out/summary.txt"
check "results.csv has migrate rows for both kernels" \
	bash -c "grep -c '^[67]\.[0-9.]*,migrate,throughput,size=33554432;pages=thp;direction=to-dev,MB/s,' '$out/results.csv' | grep -qx 2"
check "index.html embeds 4 figures as data: URIs and loads nothing else" \
	bash -c "test \$(grep -o 'src=\"data:image/svg+xml;base64,' '$out/index.html' | wc -l) -eq 4 && ! grep -qE 'https?:|<script|<link|url\\(' '$out/index.html'"
check "every figure has an SVG and a PNG" \
	bash -c "for f in throughput-to-dev throughput-to-sys thp-vs-4k split-rate; do test -s '$out/'\$f.svg && test -s '$out/'\$f.png || exit 1; done"
finish
