# TAP helpers and VM plumbing for the integration tests. Sourced.
# shellcheck shell=bash

SRCDIR=${HMMBENCH_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
HMMBENCH_BIN=${HMMBENCH_BIN:-$SRCDIR/hmmbench}
VM_RUN=$SRCDIR/scripts/vm-run
KERNEL_BUILD=$SRCDIR/scripts/kernel-build
TAP_N=0
TAP_FAILED=0

tap_plan() { echo "1..$1"; }
ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
not_ok() {
	TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
	shift
	for line in "$@"; do echo "# $line"; done
}
diag() { echo "# $*"; }
# check "description" COMMAND...: ok when the command succeeds.
check() {
	local what=$1; shift
	if "$@" >/dev/null; then ok "$what"; else not_ok "$what" "failed: $*"; return 1; fi
}
bail() { echo "Bail out! $*"; exit 1; }

# 'jq -e' exits 0 on empty input (no result, no false): a check on a record
# that was never written would pass. Here -e also needs a result.
jq() {
	local out rc
	out=$(command jq "$@")
	rc=$?
	[[ -n $out ]] && printf '%s\n' "$out"
	if ((rc == 0)) && [[ ${1-} == -*e* && ${1-} != --* && -z $out ]]; then
		echo "jq: no input to check" >&2
		return 1
	fi
	return "$rc"
}
export -f jq

# Integration tests skip only where qemu itself is missing.
require_qemu() {
	local plan=$1
	if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
		echo "1..0 # SKIP qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
		exit 0
	fi
	[[ -x $HMMBENCH_BIN ]] || bail "hmmbench binary '$HMMBENCH_BIN' not built; run make first"
	tap_plan "$plan"
}

# Builds (or reuses from the cache) the test kernel of Debian version $1.
kernel_for() {
	local log=$WORK/kernel-build-$1.log bz
	diag "kernel-build --version $1 (cached after the first build; log: $log)" >&2
	bz=$("$KERNEL_BUILD" --version "$1" 2>"$log" | tail -n1) || {
		tail -n 20 "$log" | sed 's/^/# /' >&2
		bail "kernel-build --version $1 failed"
	}
	echo "$bz"
}

# vm BZIMAGE RESULTS_DIR GUEST_COMMAND...: boots with hmmbench inside.
vm() {
	local bz=$1 results=$2; shift 2
	"$VM_RUN" --kernel "$bz" --results "$results" --timeout "${VM_TIMEOUT:-900}" \
		--add "$HMMBENCH_BIN:/usr/bin/hmmbench" -- "$@" </dev/null
}

# The records of the single run under a results dir (first match).
records_in() {
	find "$1" -name records.jsonl | head -n1
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hmmbench-vmtest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

finish() {
	[[ $TAP_FAILED == 0 ]]
}
