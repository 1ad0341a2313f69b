#!/usr/bin/env bash
# make check-repro: the findings' reproducers still trip what they report.
# For each docs/findings/*/repro.json, 'hmmbench repro try' builds repro.c
# alone and boots the kernel the finding names (its "kernel" file: a
# version like 7.2, with "flavour debug" if it needs the debug kernel) N
# times; the finding holds if at least M of N boots hit. Slow: each boot is
# a TCG guest running the program for the finding's seconds (several
# minutes per finding), so it is not part of 'make check'.
set -uo pipefail
SRCDIR=${HMMBENCH_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
HMMBENCH_BIN=${HMMBENCH_BIN:-$SRCDIR/hmmbench}
BOOTS=${REPRO_BOOTS:-5}
NEED=${REPRO_NEED:-4}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hmmbench-check-repro.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HMMBENCH_SRCDIR=$SRCDIR

findings=()
for d in "$SRCDIR"/docs/findings/*/; do
	[[ -f $d/repro.json && -f $d/kernel ]] && findings+=("$d")
done
echo "1..${#findings[@]}"
n=0 failed=0
for d in "${findings[@]}"; do
	n=$((n + 1))
	name=$(basename "$d")
	read -r version flavour seconds match <"$d/kernel"
	mkdir -p "$WORK/$name" && cp "$d/repro.json" "$WORK/$name/"
	args=(--kernel "$version" --flavour "${flavour:-default}" --boots "$BOOTS")
	[[ -n ${seconds:-} ]] && args+=(--seconds "$seconds")
	[[ -n ${match:-} ]] && args+=(--match "$match")
	out=$("$HMMBENCH_BIN" repro try "$WORK/$name" "${args[@]}" 2>"$WORK/$name.err")
	hits=$(sed -n 's/.*: \([0-9]*\) of \([0-9]*\) boots tripped.*/\1/p' <<<"$out" | head -n1)
	if [[ -n $hits && $hits -ge $NEED ]]; then
		echo "ok $n - $name: $out"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name: ${out:-no result} (need $NEED of $BOOTS)"
		tail -n 5 "$WORK/$name.err" | sed 's/^/# /'
	fi
done
[[ $failed == 0 ]]
