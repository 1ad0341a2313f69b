#!/usr/bin/env bash
# The default suite in the 7.2 guest reports what a kernel developer quotes:
# THP and 4 KiB throughput per size and direction with CIs and PMD evidence
# per THP sample, the copy ceiling (and its bus case, unsupported on
# test_hmm), fault-back latency percentiles for 1, 2 and 4 threads, and the
# injected split rate per direction. Checks the records' content, never the
# speed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

require_qemu 10
bz=$(kernel_for 7.2)
res=$WORK/results
vm "$bz" "$res" sh -c 'hmmbench run --suite default -o /results/runs >/results/out.txt 2>&1; echo $? >/results/rc' \
	>"$WORK/console.txt" 2>&1
rc=$?
check "vm-run exits 0 (got $rc)" test "$rc" = 0
check "the default suite exits 0" test "$(cat "$res/rc" 2>/dev/null)" = 0
rec=$(records_in "$res/runs")
sum='map(select(.type == "summary"))'
check "throughput with a 95% CI for every size, page mode and direction (12 cases)" \
	jq -e -s "$sum | map(select(.bench == \"migrate\" and .metric == \"throughput\" and .stats.n >= 6 and .stats.ci_low <= .stats.median and .stats.median <= .stats.ci_high))
		| map(.params | [.size, .pages, .direction]) | unique | length == 12" "$rec"
check "every summary says why its sampling stopped" \
	jq -e -s "$sum | map(select(.bench == \"migrate\")) | all(.stop | IN(\"target_ci\", \"max_time\", \"max_samples\"))" "$rec"
check "PMD evidence with every THP sample: all PMDs of the buffer moved whole" \
	jq -e -s 'map(select(.type == "sample" and .bench == "migrate" and .params.pages == "thp" and .params.direction == "to-dev"))
		| length > 0 and all(.snapshot.whole_pmds == .params.size / 2097152)' "$rec"
check "a copy ceiling was measured and every migration is also a fraction of it" \
	jq -e -s "($sum | map(select(.bench == \"copyceil\" and .ceiling == true)) | length == 1)
		and ($sum | map(select(.metric == \"copy_fraction\")) | length == 12)" "$rec"
check "fault-back latency p50, p90, p99, p99.9 and max for 1, 2 and 4 threads, THP and 4 KiB" \
	jq -e -s "$sum | map(select(.bench == \"fault\" and .metric == \"fault_latency\" and (.percentiles | has(\"p99.9\") and has(\"max\"))))
		| map(.params | [.threads, .pages]) | unique == [[1,\"4k\"],[1,\"thp\"],[2,\"4k\"],[2,\"thp\"],[4,\"4k\"],[4,\"thp\"]]" "$rec"
check "injected split rate per direction, above 0 (FAIL_ALLOC split a PMD)" \
	jq -e -s "$sum | map(select(.bench == \"split\" and .metric == \"split_rate\")) | length == 2 and all(.stats.median > 0)" "$rec"
check "copyceil's bus case is unsupported on test_hmm, with its reason and no number" \
	jq -e -s '(map(select(.type == "unsupported" and .bench == "copyceil")) | length == 1
			and all(.capability == "bus-copy" and (.reason | test("system RAM copied by the CPU"))))
		and (map(select(.params.method? // "" | startswith("bus-"))) | length == 0)
		and (map(select(.metric == "bus_fraction")) | length == 0)' "$rec"
check "every one of the 16 cases (the bus case too) left a phase record with its counter deltas" \
	jq -e -s 'map(select(.type == "phase")) | length == 16 and all(has("counters_delta"))' "$rec"
finish
