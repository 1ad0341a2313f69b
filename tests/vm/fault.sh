#!/usr/bin/env bash
# Boots the 7.2 test kernel once and runs bench/fault, bench/copyceil and
# bench/perfctr through the test-only driver tests/vm/fault-check: every
# device page comes back to the CPU and is counted once as a fault, a THP
# comes back as a whole PMD with one fault, latencies are kept for every
# fault, and counters report software events while hardware events are a
# count or a reason. Facts only: no timing is asserted.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

FAULT_CHECK=${FAULT_CHECK:-$(dirname "$HMMBENCH_BIN")/tests/vm/fault-check}
require_qemu 13
[[ -x $FAULT_CHECK ]] || bail "'$FAULT_CHECK' not built; 'make check' builds it (or: make tests/vm/fault-check)"
# kernel_for prints a diag line on stdout before the path: keep the path.
bz=$(kernel_for 7.2 | tail -n1)
res=$WORK/results
guest='fault-check --pages thp --size 16M --threads 1,2 --warmup 1 --iterations 2 --events cycles,page-faults,task-clock --copy-size 8M --copy-samples 3 --out /results/thp.jsonl >/results/thp.txt 2>&1; echo $? >/results/thp.rc
fault-check --pages 4k --size 4M --threads 1,2 --warmup 1 --iterations 2 --out /results/4k.jsonl >/results/4k.txt 2>&1; echo $? >/results/4k.rc
fault-check --pages 4k --size 4M --threads 2 --access write --pattern random --sharing overlap --warmup 0 --iterations 2 --out /results/ovl.jsonl >/results/ovl.txt 2>&1; echo $? >/results/ovl.rc'
"$VM_RUN" --kernel "$bz" --results "$res" --timeout "${VM_TIMEOUT:-900}" \
	--add "$FAULT_CHECK:/usr/bin/fault-check" -- sh -c "$guest" >"$WORK/console.txt" 2>&1 </dev/null
rc=$?
check "vm-run exits 0 for a clean guest (got $rc)" test "$rc" = 0
[[ $rc == 0 ]] || tail -n 30 "$WORK/console.txt" | sed 's/^/# /'
for run in thp 4k ovl; do
	check "fault-check $run exits 0 (data verified after every fault-back)" \
		test "$(cat "$res/$run.rc" 2>/dev/null)" = 0
	[[ $(cat "$res/$run.rc" 2>/dev/null) == 0 ]] || sed 's/^/# /' "$res/$run.txt" 2>/dev/null | tail -n 20
done

# jq -e as a check, without its "true" in the TAP stream.
jqc() { jq -e "$@" >/dev/null; }
samples='[.[] | select(.type == "sample" and .bench == "fault")]'
check "every iteration brought the whole range back (SNAPSHOT: nothing left on the device)" \
	jqc -s "$samples | length == 14 and all(.snapshot_after.device == 0 and .pages_back == .snapshot_before.device and .pages_back > 0)" \
	"$res/thp.jsonl" "$res/4k.jsonl" "$res/ovl.jsonl"
check "4 KiB: every page was its own fault, taken once; the kernel counted at least as many" \
	jqc -s "$samples | length == 6 and all(.pmd_units == 0 and .faults == 1024 and .kernel_faults >= .faults)" \
	"$res/4k.jsonl"
check "THP on 7.2: 8 device PMDs, each brought back whole by one fault" \
	jqc -s "$samples | length == 6 and all(.snapshot_before.whole_pmds == 8 and .pmd_units == 8 and .faults == 8 and .resident == 4096 - 8)" \
	"$res/thp.jsonl"
check "every fault's latency is kept: raw list, exact summary and histogram agree on n" \
	jqc -s "$samples | all((.latency_ns | length) == .faults and .latency.n == .faults and .latency_hist.n == .faults and .latency.p50 <= .latency.p99 and .latency.p99 <= .latency.max)" \
	"$res/thp.jsonl" "$res/4k.jsonl" "$res/ovl.jsonl"
check "overlap: both threads touch every page; each page is won once" \
	jqc -s "$samples | length == 2 and all(.faults == 1024 and .faults + .contended + .resident == 2 * 1024)" \
	"$res/ovl.jsonl"
check "fault_latency and fault_throughput summaries for each thread count" \
	jqc -s '[.[] | select(.type == "summary" and .bench == "fault")] | length == 4
		and (map(select(.metric == "fault_latency")) | all(.percentiles["p99.9"] >= .percentiles.p50 and .unit == "ns"))
		and (map(select(.metric == "fault_throughput")) | all(.stats.n == 2 and .unit == "pages/s"))' \
	"$res/thp.jsonl"
check "page-faults counted in the guest; cycles is a count or unavailable with a reason" \
	bash -c "set -o pipefail; grep '^counters T=1' '$res/thp.txt' | sed 's/^[^{]*//' | jq -e '(.\"page-faults\" > 0) and ((.cycles | type) == \"number\" or (.cycles.unavailable | test(\"^E[A-Z]+ \")))' >/dev/null"
check "copyceil: every method sampled 3 times after a first pass, one ceiling" \
	jqc -s '([.[] | select(.bench == "copyceil" and .type == "sample")] | group_by(.params.method)
			| length >= 1 and all(length == 4 and (map(select(.first_pass)) | length) == 1))
		and ([.[] | select(.bench == "copyceil" and .type == "summary" and .ceiling)] | length == 1)' \
	"$res/thp.jsonl"
check "latency percentiles are printed with n, interval and coverage" \
	grep -qE '^fault 4M 4k T=2 read seq disjoint +p99 +n=2048 .*\[.*\] cover' "$res/4k.txt"
finish
