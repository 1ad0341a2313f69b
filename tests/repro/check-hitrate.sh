#!/usr/bin/env bash
# make check-repro: the findings' reproducers still trip what they report.
# A finding is a directory docs/findings/NAME/ with repro.json (the
# reproducer: the minimized one where minimize made progress; the recorded
# one is then in NAME/original/) and a one-line "kernel" file:
#   VERSION FLAVOUR SECONDS [kind=K] MATCH   e.g.  7.2 default 300 RIP: [0-9]+:dmirror_
# For each, 'hmmbench repro try' writes repro.c from repro.json, builds it
# alone and boots VERSION (FLAVOUR: default or debug) N times, the program
# running SECONDS per boot; a boot hits when the kernel's report matches
# MATCH (an extended regex over the whole report) and is of the recorded
# kind, or of kind K where the line names one ('repro try --kind': e.g.
# kernel-report, any report, where one bug shows as a stall or an Oops
# from the same fault, as its README says). The finding holds if at
# least M of N boots hit. A finding without a "kernel" file (one never shown
# to trip anything) is listed and skipped. Slow: each boot is a TCG guest
# (several minutes per finding), so it is not part of 'make check';
# tests/repro/check-findings.sh checks the files themselves in seconds.
set -uo pipefail
SRCDIR=${HMMBENCH_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
HMMBENCH_BIN=${HMMBENCH_BIN:-$SRCDIR/hmmbench}
BOOTS=${REPRO_BOOTS:-5}
NEED=${REPRO_NEED:-4}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hmmbench-check-repro.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HMMBENCH_SRCDIR=$SRCDIR
# shellcheck source=tests/repro/kernel-line.sh
. "$(dirname "$0")/kernel-line.sh"

findings=()
for d in "$SRCDIR"/docs/findings/*/; do
	if [[ -n ${REPRO_ONLY:-} && " $REPRO_ONLY " != *" $(basename "$d") "* ]]; then
		continue
	elif [[ -f $d/repro.json && -f $d/kernel ]]; then
		findings+=("$d")
	elif [[ -f $d/repro.json ]]; then
		echo "# $(basename "$d"): no kernel file, not tried (see its README)"
	fi
done
if [[ ${#findings[@]} == 0 ]]; then
	echo "check-hitrate: no finding to try${REPRO_ONLY:+ named '$REPRO_ONLY'}: name directories of docs/findings/ that have a kernel file" >&2
	exit 2
fi
echo "1..${#findings[@]}"
n=0 failed=0
for d in "${findings[@]}"; do
	n=$((n + 1))
	name=$(basename "$d")
	read_kernel_line "$d/kernel"
	mkdir -p "$WORK/$name" && cp "$d/repro.json" "$WORK/$name/"
	args=(--kernel "$version" --flavour "${flavour:-default}" --boots "$BOOTS")
	[[ -n ${seconds:-} ]] && args+=(--seconds "$seconds")
	[[ -n ${match:-} ]] && args+=(--match "$match")
	[[ -n $kind ]] && args+=(--kind "$kind")
	out=$("$HMMBENCH_BIN" repro try "$WORK/$name" "${args[@]}" 2>"$WORK/$name.err")
	hits=$(sed -n 's/.*: \([0-9]*\) of \([0-9]*\) boots tripped.*/\1/p' <<<"$out" | head -n1)
	# Every boot's outcome, hit or not, for the record (WORK goes at exit).
	sed -n 's/^hmmbench: try \(boot .*\)/# \1/p' "$WORK/$name.err"
	if [[ -n $hits && $hits -ge $NEED ]]; then
		echo "ok $n - $name: $out"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name: ${out:-no result} (need $NEED of $BOOTS)"
		tail -n 5 "$WORK/$name.err" | sed 's/^/# /'
	fi
done
[[ $failed == 0 ]]
