#!/usr/bin/env bash
# The installed hmmbench end to end (make install DESTDIR=...): from /,
# with no checkout in its environment, 'hmmbench vm-run' boots the 7.2
# test kernel and a guest command that runs hmmbench gets the installed
# binary without any --add; 'hmmbench probe' in the guest finds test_hmm.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
require_qemu 3
BUILDDIR=${HMMBENCH_BUILDDIR:-$(dirname "$HMMBENCH_BIN")}
root=$WORK/root
make -s -C "$BUILDDIR" install DESTDIR="$root" >"$WORK/install.log" 2>&1 ||
	bail "make install DESTDIR=$root failed: $(tail -n 5 "$WORK/install.log")"
bin=$(find "$root" -path '*/bin/hmmbench' -type f | head -n1)
bz=$(kernel_for 7.2)
want=$("$bin" --version)

rc=0
(cd / && env -u HMMBENCH_SRCDIR -u HMMBENCH_BIN -u HMMBENCH_BUILD_DIR \
	"$bin" vm-run --kernel "$bz" --results "$WORK/r" --timeout "${VM_TIMEOUT:-900}" \
	-- sh -c 'hmmbench --version && hmmbench probe' </dev/null >"$WORK/out" 2>"$WORK/err") || rc=$?
check "installed 'hmmbench vm-run' boots the guest and its command succeeds (exit $rc)" test "$rc" = 0
[[ $rc == 0 ]] || tail -n 15 "$WORK/err" | sed 's/^/# /'
if grep -qF -- "$want" "$WORK/out"; then
	ok "the guest ran the installed binary without --add ($want)"
else
	not_ok "the guest ran the installed binary without --add" "want '$want' in the guest's output" "$(grep -a hmmbench "$WORK/out" | head -n 5)"
fi
check "hmmbench probe in the guest names test_hmm" grep -aq 'test_hmm' "$WORK/out"
finish
