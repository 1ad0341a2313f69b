#!/usr/bin/env bash
# scripts/vm-run and scripts/kernel-build as a user meets them: a guest
# exit status passes through, a guest kernel WARNING fails the run, a hung
# guest times out, and bad input gets a one-line error.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

require_qemu 11
bz=$(kernel_for 7.2)

out=$("$VM_RUN" --kernel /nonexistent/bzImage -- true 2>&1 </dev/null); rc=$?
check "vm-run: a kernel path that does not exist is exit 2 (got $rc)" test "$rc" = 2
check "vm-run: ... with a one-line error naming the path" \
	bash -c "[[ \$(wc -l <<<'$out') == 1 && '$out' == *'/nonexistent/bzImage'* ]]"

"$VM_RUN" --kernel "$bz" --bogus-flag -- true >/dev/null 2>&1 </dev/null; rc=$?
check "vm-run: an unknown flag is exit 2 (got $rc)" test "$rc" = 2

"$VM_RUN" --kernel "$bz" --timeout 300 -- sh -c 'exit 3' >"$WORK/exit3.log" 2>&1 </dev/null; rc=$?
check "vm-run: the guest command's exit status becomes vm-run's (3, got $rc)" test "$rc" = 3

# The same as CI: no standard input at all.
"$VM_RUN" --kernel "$bz" --timeout 300 --results "$WORK/r" -- sh -c 'echo hello >/results/out.txt' >"$WORK/stdin.log" 2>&1 <&-; rc=$?
check "vm-run works with stdin closed and brings files back (got $rc)" \
	bash -c "test $rc = 0 && grep -qx hello '$WORK/r/out.txt'"
check "vm-run saves the guest console log beside the results" test -s "$WORK/r/console.log"

"$VM_RUN" --kernel "$bz" --timeout 300 -- sh -c \
	'echo "WARNING: CPU: 0 PID: 1 at mm/migrate_device.c:1 hmmbench_selftest+0x0/0x10" >/dev/kmsg' \
	>"$WORK/warn.log" 2>&1 </dev/null; rc=$?
check "vm-run fails when the guest kernel log shows a WARNING (exit 126, got $rc)" test "$rc" = 126
check "... and prints the WARNING excerpt" grep -q 'WARNING: CPU: 0 PID: 1 at mm/migrate_device.c' "$WORK/warn.log"

"$VM_RUN" --kernel "$bz" --timeout 20 -- sleep 600 >"$WORK/timeout.log" 2>&1 </dev/null; rc=$?
check "vm-run ends a guest that outlives --timeout with exit 124 (got $rc)" test "$rc" = 124

"$KERNEL_BUILD" --version 5.4 >"$WORK/kb.log" 2>&1; rc=$?
check "kernel-build --version 5.4 is exit 2 naming the supported versions (got $rc)" \
	bash -c "test $rc = 2 && grep -q '6.1 6.12 7.2 7.3' '$WORK/kb.log'"

if [[ -e /dev/hmm_dmirror0 ]]; then
	ok "# SKIP this host has test_hmm, so probe's missing-device message cannot be shown"
else
	"$HMMBENCH_BIN" probe >/dev/null 2>"$WORK/probe.err"; rc=$?
	check "hmmbench probe on a host without test_hmm: exit 1 and one line that says why and what to do" \
		bash -c "test $rc = 1 && test \$(wc -l <'$WORK/probe.err') = 1 && grep -q '/dev/hmm_dmirror0 is missing' '$WORK/probe.err' && grep -q 'vm-run' '$WORK/probe.err'"
fi
finish
