#!/usr/bin/env bash
# Bad input as a user meets it, on the host (no guest needed): a one-line
# error and a non-zero exit from kernel-build, quickstart and hmmbench.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tap_plan 14
"$KERNEL_BUILD" --version 5.4 >/dev/null 2>"$WORK/kb.err"; rc=$?
check "kernel-build --version 5.4: exit 2, one line naming the supported versions (got $rc)" \
	bash -c "test $rc = 2 && test \$(wc -l <'$WORK/kb.err') = 1 && grep -q '6.1 6.12 7.2 7.3' '$WORK/kb.err'"
"$KERNEL_BUILD" --src "$WORK" >/dev/null 2>"$WORK/kbsrc.err"; rc=$?
check "kernel-build --src on a directory that is not a kernel tree: exit 2 (got $rc)" \
	bash -c "test $rc = 2 && grep -q 'is not a kernel source tree' '$WORK/kbsrc.err'"
"$KERNEL_BUILD" --flavour fancy >/dev/null 2>"$WORK/kbfl.err"; rc=$?
check "kernel-build --flavour fancy: exit 2 (got $rc)" bash -c "test $rc = 2 && grep -q 'unknown flavour' '$WORK/kbfl.err'"
"$SRCDIR/scripts/quickstart" --frobnicate >/dev/null 2>"$WORK/qs.err"; rc=$?
check "quickstart with an unknown flag: exit 2 with a one-line error (got $rc)" \
	bash -c "test $rc = 2 && test \$(wc -l <'$WORK/qs.err') = 1"
"$HMMBENCH_BIN" frobnicate >/dev/null 2>"$WORK/cmd.err"; rc=$?
check "hmmbench with an unknown subcommand: exit 2 (got $rc)" \
	bash -c "test $rc = 2 && grep -q \"unknown command 'frobnicate'\" '$WORK/cmd.err'"
"$HMMBENCH_BIN" run --suite smoke --bogus >/dev/null 2>"$WORK/flag.err"; rc=$?
check "hmmbench run with an unknown flag: exit 2 (got $rc)" \
	bash -c "test $rc = 2 && grep -q \"'--bogus'\" '$WORK/flag.err'"
"$HMMBENCH_BIN" run --help >"$WORK/help.out" 2>&1; rc=$?
check "hmmbench run --help shows an example and exits 0" bash -c "test $rc = 0 && grep -q '^example:' '$WORK/help.out'"
if [[ -e /dev/hmm_dmirror0 ]]; then
	ok "# SKIP this host has test_hmm, so probe's missing-device message cannot be shown"
	ok "# SKIP this host has test_hmm, so probe prints no vm-run hint"
else
	"$HMMBENCH_BIN" probe >/dev/null 2>"$WORK/probe.err"; rc=$?
	check "hmmbench probe on a host without test_hmm: exit 1, one line saying why and what to do" \
		bash -c "test $rc = 1 && test \$(wc -l <'$WORK/probe.err') = 1 && grep -q '/dev/hmm_dmirror0 is missing' '$WORK/probe.err' && grep -q 'vm-run' '$WORK/probe.err'"
	# tests/vm/vm-run-selftest.sh runs the hint as printed, in a guest.
	check "probe's vm-run hint brings this hmmbench into the guest with --add" \
		grep -qF -- "--add $HMMBENCH_BIN:/usr/bin/hmmbench -- hmmbench probe" "$WORK/probe.err"
fi
# A device the user named is the device the error names.
"$HMMBENCH_BIN" probe --device /nonexistent >/dev/null 2>"$WORK/probedev.err"; rc=$?
check "probe --device /nonexistent: exit 1, one line naming /nonexistent, not /dev/hmm_dmirror0 (got $rc)" \
	bash -c "test $rc = 1 && test \$(wc -l <'$WORK/probedev.err') = 1 && grep -q '/nonexistent does not exist (ENOENT)' '$WORK/probedev.err' && ! grep -q 'hmm_dmirror0 is missing' '$WORK/probedev.err'"
"$HMMBENCH_BIN" run --suite smoke --device /nonexistent >/dev/null 2>"$WORK/rundev.err"; rc=$?
check "run --device /nonexistent: exit 1, one line naming /nonexistent (got $rc)" \
	bash -c "test $rc = 1 && test \$(wc -l <'$WORK/rundev.err') = 1 && grep -q '/nonexistent does not exist (ENOENT)' '$WORK/rundev.err' && ! grep -q 'hmm_dmirror0 is missing' '$WORK/rundev.err'"
"$HMMBENCH_BIN" run --job "$WORK" >/dev/null 2>"$WORK/jobdir.err"; rc=$?
check "run --job DIRECTORY: exit 2, one line saying it is a directory (got $rc)" \
	bash -c "test $rc = 2 && test \$(wc -l <'$WORK/jobdir.err') = 1 && grep -q '$WORK: is a directory' '$WORK/jobdir.err'"
"$HMMBENCH_BIN" run --suite smoke --iterations -3 >/dev/null 2>"$WORK/iter.err"; rc=$?
check "run --iterations -3: exit 2, the range accepted is 1..100000 (got $rc)" \
	bash -c "test $rc = 2 && grep -q \"'-3' is not a number between 1 and 100000\" '$WORK/iter.err'"
printf '[a\nbench=migrate\n' >"$WORK/unclosed.ini"
"$HMMBENCH_BIN" run --job "$WORK/unclosed.ini" >/dev/null 2>"$WORK/unclosed.err"; rc=$?
check "run --job with an unclosed [a: exit 2, named at line 1 (got $rc)" \
	bash -c "test $rc = 2 && grep -q \"unclosed.ini:1: section header '\\[a' has no closing\" '$WORK/unclosed.err'"
finish
