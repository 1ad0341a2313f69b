#!/usr/bin/env bash
# failure=fragmented in real guests. 7.2: with every free 2 MiB block made
# unusable, the kernel's own order-9 allocation fails and CPU fault-back
# splits THPs (buddyinfo is the evidence), while level 0 splits nothing;
# every system knob the run changed is back afterwards, also when the run
# is interrupted with SIGINT (samples kept) or killed with SIGKILL (the
# guardian restores). 6.12: THPs never reach the device whole, so the
# result is 'unsupported' with the reason and no knob is touched.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

require_qemu 26
res=$WORK/results
mkdir -p "$res"
# Six samples: right after setup, compaction still rebuilds a few blocks
# from movable pages elsewhere (compact_success), which serves the first
# two to four samples' allocations; then fault-back splits every PMD.
printf '[real]\nbench=split\nsizes=16M\nfailure=fragmented\npressure=0,100\nrepetitions=6\n' >"$res/real.ini"
printf '[long]\nbench=split\nsizes=8M\nfailure=fragmented\npressure=100\nrepetitions=40\n' >"$res/long.ini"

# The knobs, one value per line; `at_level NAME PID` waits (bounded, and only
# while PID runs) for the
# run's first sample under pressure, then keeps the knobs as they are then.
guest_lib='knobs="/proc/sys/vm/compact_unevictable_allowed /proc/sys/vm/compaction_proactiveness /sys/kernel/mm/transparent_hugepage/khugepaged/defrag"
snap() { for k in $knobs; do sed "s|^|$k |" $k; done >/results/$1; }
at_level() {
	for i in $(seq 300); do
		grep -qs "\"type\":\"sample\".*\"pressure\":100" /results/$1/*/*/records.jsonl && break
		kill -0 $2 2>/dev/null || break
		sleep 1
	done
	snap $1.during
}'
guest="$guest_lib"'
snap knobs.before
hmmbench run --job /results/real.ini -o /results/real >/results/real.txt 2>/results/real.err
echo $? >/results/real.rc; snap real.after
hmmbench run --job /results/long.ini -o /results/intr >/results/intr.txt 2>/results/intr.err & pid=$!
at_level intr $pid; kill -INT $pid; wait $pid; echo $? >/results/intr.rc; snap intr.after
hmmbench run --job /results/long.ini -o /results/kill >/results/kill.txt 2>/results/kill.err & pid=$!
at_level kill $pid; kill -KILL $pid; wait $pid; echo $? >/results/kill.rc
for i in $(seq 60); do grep -qs hmmbench-guard /proc/[0-9]*/comm || break; sleep 1; done
snap kill.after'
vm "$(kernel_for 7.2)" "$res" sh -c "$guest" >"$WORK/console.txt" 2>&1
rc=$?
check "vm-run exits 0 for the 7.2 guest: no WARNING/BUG/Oops (got $rc)" test "$rc" = 0
[[ $rc == 0 ]] || tail -n 30 "$WORK/console.txt" | sed 's/^/# /'

rec=$(records_in "$res/real")
check "the run exits 0" test "$(cat "$res/real.rc" 2>/dev/null)" = 0
check "level 100: buddyinfo shows free 2 MiB blocks before and none left after setup" \
	jq -e -s '[.[] | select(.type == "pressure" and .params.pressure == 100)]
		| length == 1 and .[0].free_blocks_before > 100 and .[0].free_blocks_after == 0
		  and .[0].blocks_poisoned > 0 and (.[0].buddyinfo_before | test("zone"))' "$rec"
check "level 0 changes no block" \
	jq -e -s '[.[] | select(.type == "pressure" and .params.pressure == 0)]
		| length == 1 and .[0].blocks_poisoned == 0 and .[0].free_blocks_after > 100' "$rec"
check "every sample started from 8 whole PMDs on the device, 6 per method and level" \
	jq -e -s '[.[] | select(.type == "sample" and .params.failure == "fragmented")]
		| length == 24 and all(.pmds_attempted == 8)' "$rec"
check "level 100: every sample starts with no free 2 MiB block" \
	jq -e -s '[.[] | select(.type == "sample" and .params.pressure == 100)] | all(.free_blocks == 0)' "$rec" ||
	jq -c -s '[.[] | select(.type == "sample" and .params.pressure == 100) | .free_blocks]' "$rec" |
		sed 's/^/# free blocks at each sample start: /'
check "level 0: no PMD splits" \
	jq -e -s '[.[] | select(.type == "sample" and .params.pressure == 0)] | all(.pmds_split == 0)' "$rec"
check "level 100: CPU fault-back splits PMDs (the order-9 allocation really failed)" \
	jq -e -s '[.[] | select(.type == "sample" and .params.pressure == 100 and .params.direction == "fault-back")
		| .pmds_split] | add > 0' "$rec"
check "level 100: the kernel counted the splits (thp_split_page)" \
	jq -e -s '[.[] | select(.type == "sample" and .params.pressure == 100) | .counters_delta.thp_split_page // 0] | add > 0' "$rec"
for m in to-sys fault; do
	for what in rate time; do
		check "the summary has a '$m $what' row with n=6 at level 100" \
			grep -qE "^split 16M 100% $m $what +6 " "$res/real.txt"
	done
done
diag "$(grep -E '^split 16M' "$res/real.txt" | sed 's/$/ |/' | tr -d '\n')"
check "every knob changed is recorded as restored" \
	jq -e -s '[.[] | select(.type == "knobs")] | length == 2 and all(.knobs | length == 3 and all(.restored))' "$rec"
check "the knobs are back after a normal run" cmp -s "$res/knobs.before" "$res/real.after"
check "stderr says what was restored" grep -q 'restored /proc/sys/vm/compact_unevictable_allowed=' "$res/real.err"

intr=$(records_in "$res/intr")
check "the knobs were changed while the interrupted run measured" \
	grep -q 'compact_unevictable_allowed 0' "$res/intr.during"
check "SIGINT ends the run with status 130" test "$(cat "$res/intr.rc" 2>/dev/null)" = 130
check "the interrupted run keeps its samples and ends as interrupted" \
	jq -e -s '(map(select(.type == "sample" and .params.pressure == 100)) | length) > 0
		and .[-1].type == "end" and .[-1].status == "interrupted"' "$intr"
check "every knob is back after SIGINT" cmp -s "$res/knobs.before" "$res/intr.after"

check "the knobs were changed while the killed run measured" \
	grep -q 'compact_unevictable_allowed 0' "$res/kill.during"
check "SIGKILL ended the run (status 137)" test "$(cat "$res/kill.rc" 2>/dev/null)" = 137
check "after SIGKILL the guardian restored every knob" cmp -s "$res/knobs.before" "$res/kill.after"
check "the guardian said so on stderr" grep -q 'guardian: .*restored' "$res/kill.err"

res612=$WORK/results-6.12
mkdir -p "$res612"
cp "$res/real.ini" "$res612/"
guest="$guest_lib"'
snap knobs.before
hmmbench run --job /results/real.ini -o /results/runs >/results/run.txt 2>&1; echo $? >/results/run.rc
snap knobs.after'
vm "$(kernel_for 6.12)" "$res612" sh -c "$guest" >"$WORK/console-6.12.txt" 2>&1
rec=$(records_in "$res612/runs")
check "6.12: fragmented split is 'unsupported' with the reason, no samples, exit 0" \
	jq -e -s --arg rc "$(cat "$res612/run.rc" 2>/dev/null)" '$rc == "0" and
		([.[] | select(.bench == "split" and .type == "unsupported")] | length == 2
		 and all(.capability == "thp-pmd" and (.reason | test("split"))))
		and ([.[] | select(.type == "sample")] | length == 0)' "$rec"
check "6.12: no knob was touched" cmp -s "$res612/knobs.before" "$res612/knobs.after"
finish
