#!/usr/bin/env bash
# Bad input as a user meets it, on the host (no guest needed): a one-line
# error and a non-zero exit from kernel-build, quickstart and hmmbench.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tap_plan 8
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
else
	"$HMMBENCH_BIN" probe >/dev/null 2>"$WORK/probe.err"; rc=$?
	check "hmmbench probe on a host without test_hmm: exit 1, one line saying why and what to do" \
		bash -c "test $rc = 1 && test \$(wc -l <'$WORK/probe.err') = 1 && grep -q '/dev/hmm_dmirror0 is missing' '$WORK/probe.err' && grep -q 'vm-run' '$WORK/probe.err'"
fi
finish
