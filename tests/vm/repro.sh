#!/usr/bin/env bash
# The reproducer's round trip against the real driver, two 7.2 boots. A
# short, clean migrate-fault run in the first writes its reproducer
# (--repro always) beside the records; on the host that repro.c, alone in
# an empty directory, must build with gcc -static -pthread; then 'hmmbench
# repro try' boots the kernel again with it: the program replays every
# thread's operations against /dev/hmm_dmirror0 (page checks included) and
# must end clean, as the recorded run did; 'repro report' drafts a report
# that names the kernel and the boots.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

require_qemu 13
command -v gcc >/dev/null 2>&1 || bail "gcc is needed to build the reproducer (apt-get install gcc libc6-dev)"
bz=$(kernel_for 7.2)
res=$WORK/results
guest='hmmbench stress --scenario migrate-fault --duration 3s --threads 2 --seed 5 --repro always -o /results/s >/results/s.out 2>/results/s.err; echo $? >/results/s.rc'
vm "$bz" "$res" sh -c "$guest" >"$WORK/console.txt" 2>&1
rc=$?
check "vm-run exits 0 for the short clean run (got $rc)" test "$rc" = 0
check "the stress run passed (exit $(cat "$res/s.rc" 2>/dev/null))" test "$(cat "$res/s.rc" 2>/dev/null)" = 0
dir=$(find "$res/s" -type d -name repro-migrate-fault | head -n1)
check "--repro always wrote repro-migrate-fault/ with repro.c and repro.json" \
	test -n "$dir" -a -s "$dir/repro.c" -a -s "$dir/repro.json"
[[ -n $dir ]] || bail "no reproducer written; see $res/s.err"
rec=$(records_in "$res/s")
ops=$(jq -s '[.[] | select(.type == "stress")][0].ops' "$rec")
recorded=$(jq '[.threads[].ops | length] | add' "$dir/repro.json")
check "every operation the run counted is in the reproducer ($ops counted, $recorded recorded)" \
	test -n "$ops" -a "$ops" = "$recorded"
check "the model names the scenario, seed, 2 threads and 16 chunks" \
	jq -e '.scenario == "migrate-fault" and .seed == "5" and (.threads | length) == 2 and .chunks == 16 and .failure.kind == "none"' "$dir/repro.json"

mkdir -p "$WORK/alone"
cp "$dir/repro.c" "$WORK/alone/"
check "repro.c builds alone: gcc -static -pthread -Wall -Werror repro.c" \
	bash -c "cd '$WORK/alone' && gcc -static -pthread -O2 -Wall -Werror -o repro repro.c"
check "it is one static program" bash -c "file '$WORK/alone/repro' | grep -q 'statically linked'"

"$HMMBENCH_BIN" repro try "$dir" --kernel "$bz" --boots 1 --seconds 1 >"$WORK/try.out" 2>"$WORK/try.err"
rc=$?
check "repro try boots it once (exit $rc)" test "$rc" = 0
[[ $rc == 0 ]] || tail -n 15 "$WORK/try.err" | sed 's/^/# /'
boot=$(tail -n1 "$dir/tries.jsonl" 2>/dev/null)
# jq -e passes on empty input: a missing boot line must fail these checks.
check "the replay ran clean against test_hmm: no kernel report, no integrity error" \
	bash -c "test -n '$boot' && echo '$boot' | jq -e '.hit == false and .outcome == \"clean\" and .vm_status == 0 and .program_status == 0'"
bootlog=$(find "$dir/tries" -name vm-run.log 2>/dev/null | head -n1)
check "the guest boots with oops=panic, so a hit ends its boot at the Oops" \
	bash -c "test -n '$bootlog' && grep -q 'appended:.*oops=panic' '$bootlog'"
check "and with softlockup_all_cpu_backtrace=1, so a lockup names every CPU's stack" \
	bash -c "test -n '$bootlog' && grep -q 'appended:.*softlockup_all_cpu_backtrace=1' '$bootlog'"
per=$(jq '[.threads[].per_round] | add' "$dir/repro.json")
check "one round replayed every recorded operation ($per)" \
	bash -c "test -n '$boot' && echo '$boot' | jq -e --arg want 'REPRO-PASS: 1 round, $per operations' '.program | startswith(\$want)'"
diag "$(echo "$boot" | jq -r .program)"
"$HMMBENCH_BIN" repro report "$dir" >"$WORK/report.txt" 2>&1
check "repro report drafts a subject and counts the boot on 7.2.13" \
	bash -c "grep -q '^Subject: ' '$WORK/report.txt' && grep -qE '^  7\\.2\\.[0-9]+ .* 0/1' '$WORK/report.txt'"
finish
