#!/usr/bin/env bash
# hmmbench stress in the 7.2 guest, booted twice. In the first boot each
# detector is made to fire and must name what it saw: a byte flipped in a
# device-resident page through the device WRITE ioctl (the integrity check,
# with the page's address), a WARNING line written to /dev/kmsg (the
# kernel-log witness), an operation sleeping past the watchdog (a hang
# report instead of a hang). The same seed prints the same first
# operations; bad input is a one-line error with exit 2; without cgroup v2
# the pressure scenario is skipped with the reason; with --format ktap, the
# integrity error and the hang are "not ok" after a "# reason:" line naming
# the page and offset, or the thread and operation. In the second boot
# every scenario runs for a short while, and a KTAP run with them: clean
# unless 7.2.13's own test_hmm bugs trip (then the report must be recorded
# whole, and what it cut short is skipped, naming it).
#
# The fake WARNING makes scripts/vm-run itself exit 126; the test asserts
# hmmbench's own statuses and output (saved under /results) and that every
# other kernel report either console holds was recorded by stress.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# Seconds per scenario of the clean run; make check keeps it short.
DURATION=${HMMBENCH_STRESS_DURATION:-15}
# The kernel-log witness is tested with fake WARNINGs that stress itself
# writes to /dev/kmsg once the named scenario has run an operation
# (--inject-report SCENARIO:FUNCTION): mid-run, as a real report comes.
# HMMBENCH_STRESS_REHEARSE_TRIP=1 rehearses the checks of a clean run that
# the kernel cut short: a second fake WARNING, in fork (after vma-churn has
# passed), stands in for a real test_hmm bug tripping there.
rehearse=
[[ -z ${HMMBENCH_STRESS_REHEARSE_TRIP-} ]] || rehearse='--inject-report fork:hmmbench_rehearsed_trip'

require_qemu 40
bz=$(kernel_for 7.2)
res=$WORK/results
clean=$WORK/clean
hugetlbfs="mkdir -p /dev/hugepages && mount -t hugetlbfs none /dev/hugepages"
# Two boots. 7.2.13's own test_hmm bugs can trip in the clean runs, and a
# trip can leave the guest wedged for the rest of its boot (CI, 2026-12-05:
# an Oops with irqs disabled, then nothing more on the console). So the
# detectors, the seeds, bad input and the run without cgroup v2, which
# need a working kernel, boot first; the clean runs boot alone after them.
# The run without cgroup v2 unmounts it, so it goes first and cgroup v2 is
# mounted again for the rest.
checks="$hugetlbfs
umount /sys/fs/cgroup && hmmbench stress --scenario pressure --duration 2s -o /results/nocg >/results/nocg.out 2>&1; echo \$? >/results/nocg.rc
grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts || mount -t cgroup2 cgroup2 /sys/fs/cgroup
hmmbench stress --scenario migrate-fault --duration 60s --threads 2 --seed 12 --inject-corruption -o /results/corrupt >/results/corrupt.out 2>/results/corrupt.err; echo \$? >/results/corrupt.rc
hmmbench stress --scenario migrate-fault --duration 60s --seed 13 --inject-report migrate-fault:hmmbench_fake_report -o /results/kmsg >/results/kmsg.out 2>/results/kmsg.err; echo \$? >/results/kmsg.rc
hmmbench stress --scenario migrate-fault --duration 60s --watchdog 3s --inject-hang --seed 14 -o /results/hang >/results/hang.out 2>/results/hang.err; echo \$? >/results/hang.rc
hmmbench stress --scenario migrate-fault --duration 60s --threads 2 --seed 12 --inject-corruption --format ktap -o /results/ktap >/results/ktap-corrupt.out 2>/dev/null; echo \$? >/results/ktap-corrupt.rc
hmmbench stress --scenario migrate-fault --duration 60s --watchdog 3s --inject-hang --seed 14 --format ktap -o /results/ktap >/results/ktap-hang.out 2>/dev/null; echo \$? >/results/ktap-hang.rc
for run in a b; do hmmbench stress --scenario migrate-fault --duration 2s --threads 2 --seed 42 --print-ops 5 -o /results/seed >/results/seed-\$run.out 2>&1; done
hmmbench stress --scenario migrate-fault --duration 2s --threads 2 --seed 43 --print-ops 5 -o /results/seed >/results/seed-c.out 2>&1
hmmbench stress --duration -1 2>/results/baddur.err; echo \$? >/results/baddur.rc
hmmbench stress --scenario nope 2>/results/badsc.err; echo \$? >/results/badsc.rc
hmmbench stress --inject-report fork:Bad 2>/results/badinj.err; echo \$? >/results/badinj.rc"
VM_TIMEOUT=${VM_TIMEOUT:-1800} vm "$bz" "$res" sh -c "$checks" >"$WORK/console.txt" 2>&1
rc=$?
check "vm-run exits 126, for the fake WARNING line (got $rc)" test "$rc" = 126
# The clean runs take 5 scenarios x DURATION, then the KTAP run; the bound
# is only for a guest a kernel bug wedged.
guest="$hugetlbfs
cat /proc/sys/vm/nr_hugepages >/results/hp.before
hmmbench stress --scenario all --duration ${DURATION}s --seed 11 $rehearse -o /results/all >/results/all.out 2>/results/all.err; echo \$? >/results/all.rc
cat /proc/sys/vm/nr_hugepages >/results/hp.after
hmmbench stress --scenario all --duration 1s --seed 15 --format ktap -o /results/ktap-pass >/results/ktap-pass.out 2>/dev/null; echo \$? >/results/ktap-pass.rc"
VM_TIMEOUT=$((10 * DURATION + 300)) vm "$bz" "$clean" sh -c "$guest" >"$WORK/console-clean.txt" 2>&1
clean_rc=$?

# Files of a guest command NAME: the clean boot's for the clean runs.
dir_of() { case $1 in all | hp.* | ktap-pass) echo "$clean" ;; *) echo "$res" ;; esac; }
rc_of() { cat "$(dir_of "$1")/$1.rc" 2>/dev/null || echo none; }
last_line() { tail -n1 "$(dir_of "$1")/$1.out" 2>/dev/null; }
skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1 # SKIP $2"; }

# Debian's 7.2.13 test_hmm has races (docs/findings/), and a fast host can
# trip one even in the clean runs (CI did, in fork with seed 11, on
# 2026-12-05). A kernel report is then a finding about the kernel, not a
# failure of hmmbench: the run must have recorded it whole, and the checks
# it cut short are skipped with the report named, never counted as passed.
# kernel_trip RUN: "SCENARIO: FIRST LINE" of the first real kernel
# report recorded by RUN, or nothing.
kernel_trip() {
	find "$(dir_of "$1")/$1" -name records.jsonl -exec cat {} + 2>/dev/null |
		command jq -r -s 'first(.[] | select(.type == "kernel-report" and
			(.first_line | contains("hmmbench_fake_report") | not))) |
			"\(.scenario): \(.first_line)"' 2>/dev/null
}
# first_recorded BOOT DIR: the guest kernel's reports on BOOT's console,
# but the fake ones, must be none, or the first a stress run's record.
# Stress stops at a report, so a later one (a lockup repeated after the
# run) may go unrecorded.
first_recorded() {
	local boot=$1 dir=$2 reports others first
	reports=$(grep -a -E '^\[ *[0-9]+\.[0-9]+\] (WARNING: |(.*: )?BUG: |kernel BUG at|Oops|Kernel panic|.*KASAN|.*UBSAN: |.*possible (circular|recursive) locking|INFO: task .* blocked for more than|.*rcu.*detected stall|.*self-detected stall|.*general protection fault)' \
		"$dir/console.log" | grep -v hmmbench_fake_report)
	others=$(grep -c . <<<"$reports")
	if [[ $others == 0 ]]; then
		ok "the $boot boot's kernel printed no report but fake ones"
		return
	fi
	first=$(head -n1 <<<"$reports" | sed -E 's/^\[ *[0-9]+\.[0-9]+\] //; s/[[:space:]]+$//')
	check "the $boot boot's kernel printed $others reports besides fake ones, and a stress run recorded the first (${first:0:160})" \
		bash -c 'find "$1" -name records.jsonl -exec cat {} + | jq -e -s --arg l "$2" "any(.[]; .type == \"kernel-report\" and (.first_line | sub(\"\\\\s+$\"; \"\")) == \$l)" >/dev/null' _ "$dir" "$first"
	head -n5 <<<"$reports" | sed 's/^/# /'
}
first_recorded checks "$res"
first_recorded clean "$clean"
diag "the clean boot: vm-run exit $clean_rc"

# 1. All scenarios, clean as far as the kernel lets them be.
rec=$(records_in "$clean/all")
trip=$(kernel_trip all)
if [[ -z $trip ]]; then
	check "stress --scenario all exits 0 (got $(rc_of all))" test "$(rc_of all)" = 0
	[[ $(rc_of all) == 0 ]] || tail -n 15 "$clean/all.out" "$clean/all.err" | sed 's/^/# /'
	check "the last line is a PASS verdict with zero integrity errors, kernel reports and hangs" \
		bash -c "tail -n1 '$clean/all.out' | grep -qE '^stress: PASS: 5 scenarios run, 0 skipped; [0-9]+ operations, [0-9]+ page checks; 0 integrity errors, 0 kernel reports, 0 hangs'"
	check "records: meta first, a complete end record last" \
		jq -e -s '.[0].type == "meta" and .[0].command != null and .[-1].type == "end" and .[-1].status == "complete"' "$rec"
else
	diag "the clean run tripped a kernel bug: $trip"
	file=$(command jq -r -s 'first(.[] | select(.type == "kernel-report")) | .file' "$rec" 2>/dev/null)
	check "stress --scenario all, stopped by a kernel report, exits 1 with a FAIL verdict naming it (got $(rc_of all))" \
		bash -c "test '$(rc_of all)' = 1 && tail -n1 '$clean/all.out' | grep -q '^stress: FAIL: kernel '"
	check "the kernel report is recorded whole: scenario, kind, first line, text, and the text saved beside the records" \
		bash -c "jq -e -s '[.[] | select(.type == \"kernel-report\")][0] | (.scenario | length) > 0 and (.kind | length) > 0
			and (.first_line | length) > 0 and (.text | length) > 0' '$rec' >/dev/null && test -s '$clean${file#/results}'"
	check "records: meta first, an end record last that says the run failed" \
		jq -e -s '.[0].type == "meta" and .[0].command != null and .[-1].type == "end" and .[-1].status == "failed"' "$rec"
fi
diag "$(last_line all)"
passed=0
for sc in migrate-fault vma-churn fork pressure fail-alloc; do
	what="$sc passed with operations and page checks recorded, the kernel log watched"
	if [[ -n $trip ]] && ! jq -e -s --arg sc "$sc" 'any(.[]; .type == "stress" and .scenario == $sc and .status == "pass")' "$rec" >/dev/null; then
		skip "$what" "the kernel reported a bug before $sc could pass ($trip)"
		continue
	fi
	check "$what" \
		jq -e -s --arg sc "$sc" '[.[] | select(.type == "stress" and .scenario == $sc)] | length == 1 and
			(.[0] | .status == "pass" and .ops > 0 and .pages_verified > 0 and .integrity_errors == 0
			 and .kernel_reports == 0 and .kernel_log_watched and .seed == 11 and (.first_ops | length) == 4)' "$rec" &&
		passed=$((passed + 1))
	diag "$sc: $(jq -r -s --arg sc "$sc" '.[] | select(.type == "stress" and .scenario == $sc) | "\(.ops) operations, \(.pages_verified) page checks, errors \(.errors | tostring)"' "$rec")"
done
check "every scenario that passed ($passed) has an ops/s summary over one-second samples" \
	jq -e -s --argjson want "$([[ -n $trip ]] && echo "$passed" || echo 5)" \
		'[.[] | select(.type == "stress" and .status == "pass") | .scenario] as $p |
		 [.[] | select(.type == "summary" and .bench == "stress" and .metric == "ops_per_s" and .params.op == null and .stats.n >= 1) | .params.scenario] as $s |
		 ($p | length) == $want and ($p - $s) == []' "$rec"
if [[ -n $trip ]] && ! jq -e -s 'any(.[]; .type == "stress" and .scenario == "fork" and .status == "pass")' "$rec" >/dev/null; then
	skip "fork children exited with pages still on the device" "fork did not pass: the kernel reported a bug first ($trip)"
else
	check "fork children exited with pages still on the device" \
		jq -e -s '.[] | select(.type == "stress" and .scenario == "fork") | .forks > 0 and .child_pages_left_on_device > 0' "$rec"
fi
hp="$(cat "$clean/hp.before" 2>/dev/null) -> $(cat "$clean/hp.after" 2>/dev/null)"
if [[ -n $trip ]] && ! jq -e -s 'any(.[]; .type == "stress" and .scenario == "pressure" and .status == "pass")' "$rec" >/dev/null; then
	skip "pressure raised nr_hugepages and put it back ($hp)" "pressure did not pass: the kernel reported a bug first ($trip)"
else
	check "pressure raised nr_hugepages and put it back ($hp)" \
		bash -c "test -s '$clean/hp.before' && cmp -s '$clean/hp.before' '$clean/hp.after' &&
			jq -e -s '.[] | select(.type == \"stress\" and .scenario == \"pressure\") | .notes | test(\"hugetlbfs: 16 pages\")' '$rec' >/dev/null"
fi
check "reproduce.sh repeats the run with its seed" grep -q -- '--scenario all .*--seed 11 ' "$(dirname "$rec")/reproduce.sh"
# 2. Integrity: the flipped byte is caught at the page it was flipped in.
rec=$(records_in "$res/corrupt")
hooked=$(grep -o 'flipped byte 123 of device-resident page 0x[0-9a-f]*' "$res/corrupt.err" | grep -o '0x[0-9a-f]*$')
caught=$(grep -o 'integrity error at 0x[0-9a-f]*: page 0x[0-9a-f]*' "$res/corrupt.err" | head -n1 | grep -o '0x[0-9a-f]*$')
check "the corruption hook flipped a byte of a device-resident page" test -n "$hooked"
check "the integrity check caught it at that page ($hooked, caught at ${caught:-nothing})" test -n "$hooked" -a "$hooked" = "$caught"
check "the integrity-error record names the page, word offset 120 and both words" \
	jq -e -s --arg p "$hooked" '[.[] | select(.type == "integrity-error")][0] | .page_address == $p and .offset == 120 and .expected != .found and .page_state != null' "$rec"
check "the corrupted run exits 1 with a FAIL verdict naming the integrity error" \
	bash -c "test '$(rc_of corrupt)' = 1 && tail -n1 '$res/corrupt.out' | grep -q '^stress: FAIL: integrity error at'"

# 3. The kernel-log witness.
rec=$(records_in "$res/kmsg")
check "a WARNING line in /dev/kmsg fails the run (exit $(rc_of kmsg))" test "$(rc_of kmsg)" = 1
check "the kernel-report record holds the line as the report's first line" \
	jq -e -s '[.[] | select(.type == "kernel-report")][0] | .kind == "WARNING" and (.first_line | contains("hmmbench_fake_report")) and (.text | contains("hmmbench_fake_report"))' "$rec"
check "the full text is saved beside the records" grep -q hmmbench_fake_report "$(dirname "$rec")/kernel-report-1.txt"
check "the verdict names the kernel WARNING" bash -c "tail -n1 '$res/kmsg.out' | grep -q '^stress: FAIL: kernel WARNING in migrate-fault'"

# 4. The watchdog.
rec=$(records_in "$res/hang")
check "an operation past the watchdog limit ends the run with exit 1 (got $(rc_of hang))" test "$(rc_of hang)" = 1
check "the hang record names thread 0, its first operation, the limit and the stacks read" \
	jq -e -s '[.[] | select(.type == "hang")][0] | .thread == 0 and .op_index == 0 and .limit_s == 3 and .stacks_read >= 1' "$rec"
check "the kernel stacks of the stuck worker are saved" grep -q '^task ' "$(dirname "$rec")/hang-migrate-fault-stacks.txt"
check "the run still ends cleanly: an end record and a FAIL verdict naming the hang" \
	bash -c "jq -e -s '.[-1].type == \"end\"' '$rec' >/dev/null && tail -n1 '$res/hang.out' | grep -q '^stress: FAIL: hang in migrate-fault'"

# 5. KTAP: every line a version, plan, result or "# " diagnostic; the
# reasons before the "not ok" they explain.
ktap_lines_ok() {
	awk 'NR == 1 && $0 != "KTAP version 1" { bad = 1 } NR == 2 && !/^1\.\.[0-9]+$/ { bad = 1 }
		NR > 2 && !/^(ok|not ok) [0-9]+ stress / && !/^# / { bad = 1; print "bad line: " $0 }
		END { exit bad || NR < 3 }' "$1"
}
ktrip=$(kernel_trip ktap-pass)
if [[ -z $ktrip ]]; then
	check "stress --format ktap, clean: exit 0, 5 scenarios planned, all ok (got $(rc_of ktap-pass))" \
		bash -c "test '$(rc_of ktap-pass)' = 0 && sed -n 2p '$clean/ktap-pass.out' | grep -qx '1..5' &&
			test \$(grep -cE '^ok [1-5] stress [a-z-]+( # SKIP .*)?$' '$clean/ktap-pass.out') = 5 &&
			! grep -q '^not ok' '$clean/ktap-pass.out'"
else
	diag "the clean KTAP run tripped a kernel bug: $ktrip"
	check "stress --format ktap, stopped by a kernel report: exit 1, 5 planned, '# reason: kernel' before a not ok (got $(rc_of ktap-pass))" \
		bash -c "test '$(rc_of ktap-pass)' = 1 && sed -n 2p '$clean/ktap-pass.out' | grep -qx '1..5' &&
			grep -A20 '^# reason: kernel ' '$clean/ktap-pass.out' | grep -qE '^not ok [1-5] stress '"
fi
check "stress --format ktap, clean: every line is KTAP" ktap_lines_ok "$clean/ktap-pass.out"
check "stress --format ktap, integrity error: exit 1, '# reason:' with the page and offset, then not ok (got $(rc_of ktap-corrupt))" \
	bash -c "test '$(rc_of ktap-corrupt)' = 1 && ktap=\$(cat '$res/ktap-corrupt.out') &&
		grep -qE '^# reason: integrity error in migrate-fault at region page [0-9]+, byte offset 120 \\(address 0x[0-9a-f]+ in page 0x[0-9a-f]+\\): expected 0x[0-9a-f]+, found 0x[0-9a-f]+; thread [01], ' <<<\"\$ktap\" &&
		grep -A20 '^# reason: integrity error' <<<\"\$ktap\" | grep -qx 'not ok 1 stress migrate-fault'"
check "stress --format ktap, integrity error: every line is KTAP" ktap_lines_ok "$res/ktap-corrupt.out"
check "stress --format ktap, hang: exit 1, '# reason:' with the thread and operation, then not ok (got $(rc_of ktap-hang))" \
	bash -c "test '$(rc_of ktap-hang)' = 1 &&
		grep -qE '^# reason: hang in migrate-fault: thread 0 \\(tid [0-9]+\\) inside its operation 0 \\([a-z-]+ ' '$res/ktap-hang.out' &&
		grep -qx 'not ok 1 stress migrate-fault' '$res/ktap-hang.out'"
check "stress --format ktap, hang: every line is KTAP" ktap_lines_ok "$res/ktap-hang.out"
diag "$(grep -m1 '^# reason: integrity' "$res/ktap-corrupt.out")"
diag "$(grep -m1 '^# reason: hang' "$res/ktap-hang.out")"

# 6. Same seed, same first operations per thread. A slow thread may not
# reach its fifth operation in 2 s, so operations are compared where both
# runs reached them: "first-op SCENARIO thread T #I: OP".
grep '^first-op' "$res/seed-a.out" >"$WORK/a"
grep '^first-op' "$res/seed-b.out" >"$WORK/b"
grep '^first-op' "$res/seed-c.out" >"$WORK/c"
# compare A B: "same N" or "differ N" over the operations both reached
compare() {
	awk -F': ' 'NR == FNR { op[$1] = $2; next }
		($1 in op) { n++; if (op[$1] != $2) d++ }
		END { print (d ? "differ" : "same"), n + 0 }' "$1" "$2"
}
ab=$(compare "$WORK/a" "$WORK/b")
ac=$(compare "$WORK/a" "$WORK/c")
check "both runs printed at least 2 first operations of each of the 2 threads" \
	bash -c "test \$(grep -c 'thread 0 #[01]:' '$WORK/a') = 2 && test \$(grep -c 'thread 1 #[01]:' '$WORK/a') = 2 &&
		test \$(grep -c 'thread 0 #[01]:' '$WORK/b') = 2 && test \$(grep -c 'thread 1 #[01]:' '$WORK/b') = 2"
check "the same seed printed the same operations ($ab compared)" test "${ab%% *}" = same -a "${ab##* }" -ge 4
check "another seed printed other operations ($ac compared)" test "${ac%% *}" = differ
diag "$(head -n2 "$WORK/a")"

# 7. Bad input and a missing cgroup v2.
check "--duration -1 is a one-line error, exit 2" \
	bash -c "test '$(rc_of baddur)' = 2 && test \$(wc -l <'$res/baddur.err') = 1 && grep -q \"duration '-1'\" '$res/baddur.err'"
check "an unknown scenario is a one-line error naming the choices, exit 2" \
	bash -c "test '$(rc_of badsc)' = 2 && test \$(wc -l <'$res/badsc.err') = 1 && grep -q \"unknown scenario 'nope'.*migrate-fault\" '$res/badsc.err'"
check "a bad --inject-report is a one-line error saying the form, exit 2" \
	bash -c "test '$(rc_of badinj)' = 2 && test \$(wc -l <'$res/badinj.err') = 1 && grep -q 'must be SCENARIO:FUNCTION' '$res/badinj.err'"
check "without cgroup v2, pressure is skipped with the reason (exit $(rc_of nocg))" \
	bash -c "test '$(rc_of nocg)' = 0 && grep -q '^stress pressure: skip: no cgroup v2' '$res/nocg.out' && tail -n1 '$res/nocg.out' | grep -q '^stress: SKIP: 0 scenarios run, 1 skipped'"
finish
