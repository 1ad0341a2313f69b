#!/usr/bin/env bash
# bench=migrate in a 7.2 guest: a THP case of fewer than 8 PMDs rotates
# among enough buffers for 8 placements (README, "One placement per case"),
# each buffer keeping its own system THP; larger THP cases and 4 KiB cases
# keep one buffer. Checks the records, not the times.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

require_qemu 10
res=$WORK/results
mkdir -p "$res"
printf '[p]\nbench=migrate\nsizes=2M,4M,16M\npages=thp,4k\ndirection=roundtrip\nwarmup=1\n' >"$res/p.ini"
vm "$(kernel_for 7.2)" "$res" sh -c \
	'hmmbench run --job /results/p.ini --iterations 8 -o /results/out >/results/p.txt 2>/results/p.err; echo $? >/results/p.rc' \
	>"$WORK/console.txt" 2>&1
rc=$?
check "vm-run exits 0 for the 7.2 guest: no WARNING/BUG/Oops (got $rc)" test "$rc" = 0
[[ $rc == 0 ]] || tail -n 30 "$WORK/console.txt" | sed 's/^/# /'
check "the run exits 0" test "$(cat "$res/p.rc" 2>/dev/null)" = 0
rec=$(records_in "$res/out")
[[ -n $rec ]] || bail "no records.jsonl under $res/out; see $res/p.err"

# samples SIZE PAGES [warm]: the to-sys samples of one case, measured or warm-ups.
samples() {
	echo "[.[] | select(.type == \"sample\" and .bench == \"migrate\" and .params.size == $1
		and .params.pages == \"$2\" and .params.direction == \"to-sys\"
		and (.warmup == true) == ${3:-false})]"
}
check "2M thp: the 8 samples used buffers 0..7 once each" \
	jq -e -s "$(samples 2097152 thp) | map(.buffer) | sort == [0,1,2,3,4,5,6,7]" "$rec"
check "2M thp: one warm-up, on buffer 0; the samples start at buffer 1" \
	jq -e -s "($(samples 2097152 thp true) | map(.buffer)) == [0] and ($(samples 2097152 thp) | min_by(.iter) | .buffer) == 1" "$rec"
check "2M thp: 8 different page frames, and buffer 0 kept its own from warm-up to sample" \
	jq -e -s "($(samples 2097152 thp true) + $(samples 2097152 thp))
		| all(.pfn > 0) and (map(.pfn) | unique | length == 8)
		and (group_by(.buffer) | all(map(.pfn) | unique | length == 1))" "$rec"
check "2M thp: every sample moved its PMD whole (SNAPSHOT after to-dev)" \
	jq -e -s '[.[] | select(.type == "sample" and .params.size == 2097152 and .params.pages == "thp"
		and .params.direction == "to-dev")] | length == 9 and all(.snapshot.whole_pmds == 1)' "$rec"
check "4M thp: 4 buffers, twice each" \
	jq -e -s "$(samples 4194304 thp) | map(.buffer) | sort == [0,0,1,1,2,2,3,3]" "$rec"
check "16M thp and every 4k case: one buffer" \
	jq -e -s "($(samples 16777216 thp) + $(samples 2097152 4k) + $(samples 16777216 4k)) | length == 24 and all(.buffer == 0)" "$rec"
check "the 2M thp rows say '8 bufs'" test "$(grep -cE '^migrate 2M thp to-(dev|sys) .*PMD 8/8, 8 bufs' "$res/p.txt")" = 2
check "the 16M thp rows name no buffers" \
	test "$(grep -E '^migrate 16M thp to-' "$res/p.txt" | grep -c 'PMD 8/8' )-$(grep -E '^migrate 16M thp' "$res/p.txt" | grep -c bufs)" = 2-0
diag "$(grep -E '^migrate (2|16)M thp' "$res/p.txt" | sed 's/$/ |/' | tr -d '\n')"
finish
