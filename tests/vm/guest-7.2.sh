#!/usr/bin/env bash
# Boots the 7.2 test kernel once and checks real facts about test_hmm:
# probe finds both device-private mirrors with FAIL_ALLOC and whole-PMD THP
# migration; the smoke suite verifies data and moves THPs as whole PMDs;
# FAIL_ALLOC makes the next THP migration split, and the kernel counts it;
# interleave=true takes a migrate job's samples round-robin across its cases.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

require_qemu 23
bz=$(kernel_for 7.2)
res=$WORK/results
mkdir -p "$res"
printf '[j]\nbench=migrate\nsizes=2M,4M\npages=thp,4k\ninterleave=true\nmin_samples=3\nmax_samples=4\n' >"$res/il.ini"
# The interrupted run gets its SIGINT when its first case's KTAP "ok" line
# says that case's samples are recorded (an event, not a fixed wait); 200
# iterations a case keep the rest of the suite running well past it.
guest='hmmbench probe --json >/results/probe.json; echo $? >/results/probe.rc
hmmbench run --suite smoke -o /results/runs >/results/smoke.txt 2>/results/smoke.err; echo $? >/results/smoke.rc
hmmbench run --suite smoke -o /proc/hmmbench-cannot-exist 2>/results/badout.err; echo $? >/results/badout.rc
hmmbench run --suite smoke --iterations 0 2>/results/badflag.err; echo $? >/results/badflag.rc
hmmbench run --job /results/il.ini -o /results/il >/results/il.txt 2>/results/il.err; echo $? >/results/il.rc
mkdir -p /tmp && mkfifo /tmp/intr.fifo
hmmbench run --suite smoke --iterations 200 --format ktap -o /results/intr >/tmp/intr.fifo 2>/results/intr.err & pid=$!
{ grep -m1 -q "^ok " && kill -INT $pid; cat >/results/intr.txt; } </tmp/intr.fifo
wait $pid; echo $? >/results/intr.rc'
vm "$bz" "$res" sh -c "$guest" >"$WORK/console.txt" 2>&1
rc=$?
check "vm-run exits 0 for a clean guest (got $rc)" test "$rc" = 0
[[ $rc == 0 ]] || tail -n 30 "$WORK/console.txt" | sed 's/^/# /'

probe=$res/probe.json
check "probe exits 0 in the guest" test "$(cat "$res/probe.rc" 2>/dev/null)" = 0
for n in 0 1; do
	check "probe finds /dev/hmm_dmirror$n with its capabilities" \
		jq -e --arg p /dev/hmm_dmirror$n '.devices[] | select(.path == $p) | .caps["migrate-to-dev"] == true' "$probe"
done
check "probe: FAIL_ALLOC injection is supported on 7.2" \
	jq -e '.devices[0].caps["fail-alloc"] == true' "$probe"
check "probe: a THP migrates as a whole PMD on 7.2" \
	jq -e '.devices[0].caps["thp-pmd"] == true' "$probe"
check "probe reports the kernel release 7.2.x" \
	jq -e '.kernel.release | startswith("7.2")' "$probe"

check "smoke run exits 0" test "$(cat "$res/smoke.rc" 2>/dev/null)" = 0
rec=$(records_in "$res/runs")
check "smoke run wrote records under DIR/<release>/<run-id>/" test -s "$rec"
check "first record is the metadata, with kernel, THP settings and CPU" \
	jq -e -s '.[0].type == "meta" and .[0].kernel.release != null and .[0].thp.enabled != null and .[0].cpu.count > 0' "$rec"
check "every measured THP sample moved all 16 PMDs whole (SNAPSHOT PMD bit)" \
	jq -e -s '[.[] | select(.type == "sample" and .bench == "migrate" and .params.pages == "thp" and .params.direction == "to-dev" and (.warmup | not))]
		| length == 8 and all(.snapshot.whole_pmds == 16 and .snapshot.device == 8192)' "$rec"
check "the summary prints THP and 4 KiB throughput for both directions with n=8" \
	bash -c "grep -cE '^migrate 32M (thp|4k) to-(dev|sys) +8 ' '$res/smoke.txt' | grep -qx 4"
check "FAIL_ALLOC splits PMDs on migration to the device, and only then" \
	jq -e -s '[.[] | select(.bench == "split" and .type == "sample" and .params.direction == "to-dev")]
		| (map(select(.params.failure == "injected")) | all(.pmds_split >= 1))
		and (map(select(.params.failure == "none")) | all(.pmds_split == 0))' "$rec"
check "the kernel's THP split counters moved with each injected split" \
	jq -e -s '[.[] | select(.bench == "split" and .type == "sample" and .params.failure == "injected")]
		| length == 10 and all(.counters_delta | to_entries | any(.key | test("^thp_split_(pmd|page)$|/split$")))' "$rec"
check "the run ends with a complete end record" \
	jq -e -s '.[-1].type == "end" and .[-1].status == "complete"' "$rec"
check "an uncreatable results directory is a one-line error and exit 2" \
	bash -c "test \"\$(cat '$res/badout.rc')\" = 2 && grep -q 'cannot create results directory' '$res/badout.err' && test \"\$(wc -l <'$res/badout.err')\" = 1"
check "a bad flag value is a one-line error and exit 2" \
	bash -c "test \"\$(cat '$res/badflag.rc')\" = 2 && grep -q 'iterations' '$res/badflag.err'"

il=$(records_in "$res/il")
check "an interleave=true migrate job exits 0" test "$(cat "$res/il.rc" 2>/dev/null)" = 0
# One to-dev record per round trip; cases in the order size, then pages.
il_seq='[.[] | select(.type == "sample" and .bench == "migrate" and .params.direction == "to-dev")
	| "\(.params.size / 1048576)M-\(.params.pages)" + (if .warmup then "(w)" else "" end)]'
diag "interleaved round trips in record order: $(jq -r -s "$il_seq | join(\" \")" "$il" 2>/dev/null)"
check "interleave=true: each of 5 rounds (1 warm-up, 4 samples) has every case once, not one case's run" \
	jq -e -s "$il_seq | map(sub(\"[(]w[)]\$\"; \"\")) as \$s | (\$s | length) == 20
		and ([range(0; 5) as \$r | \$s[4 * \$r:4 * \$r + 4] | unique | length] | all(. == 4))" "$il"
check "interleave=true: the order rotates, each case leads one of the first 4 rounds; round 0 is the warm-up" \
	jq -e -s "$il_seq as \$s | [range(0; 4) as \$r | \$s[4 * \$r]] == [\"2M-thp(w)\", \"2M-4k\", \"4M-thp\", \"4M-4k\"]
		and (\$s[0:4] | all(endswith(\"(w)\")))" "$il"
check "interleave=true: every case and direction has its summary, n=4 (max_samples), marked interleaved" \
	jq -e -s '[.[] | select(.type == "summary" and .bench == "migrate" and .metric == "throughput")]
		| length == 8 and all(.interleaved == true and .stats.n == 4 and .stop == "max_samples")
		and (map("\(.params.size)-\(.params.pages)-\(.params.direction)") | unique | length == 8)' "$il"
intr=$(records_in "$res/intr")
check "SIGINT ends a run with status 130" test "$(cat "$res/intr.rc" 2>/dev/null)" = 130
check "an interrupted run keeps every sample measured before it, as valid records" \
	jq -e -s '(map(select(.type == "sample")) | length) > 0 and .[-1].type == "end" and .[-1].status == "interrupted"' "$intr"
finish
