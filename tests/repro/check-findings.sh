#!/usr/bin/env bash
# docs/findings/ says only what is true of its own files: no placeholder
# left from a draft, every finding's repro.json loads in this hmmbench and
# its repro.c builds alone (gcc -static -pthread, as its README says), every
# "kernel" line is one that tests/repro/check-hitrate.sh (make check-repro)
# can use, and, given a 7.2 tree in HMMBENCH_KERNEL_SRC, every candidate
# fix applies to it (to lib/test_hmm.c, or to mm/ for close-evict's). Host only, seconds.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"
# shellcheck source=tests/repro/kernel-line.sh
. "$(dirname "$0")/kernel-line.sh"

FINDINGS=$SRCDIR/docs/findings
[[ -d $FINDINGS ]] || bail "no $FINDINGS"
[[ -x $HMMBENCH_BIN ]] || bail "hmmbench binary '$HMMBENCH_BIN' not built; run make first"
trap 'rm -rf "$WORK"' EXIT

mapfile -t models < <(cd "$FINDINGS" && find . -name repro.json | sed 's|^\./||' | sort)
mapfile -t kernels < <(cd "$FINDINGS" && find . -name kernel | sed 's|^\./||' | sort)
mapfile -t patches < <(cd "$FINDINGS" && find . -name '*.patch' | sed 's|^\./||' | sort)
tap_plan $((1 + 2 * ${#models[@]} + ${#kernels[@]} + 1))

# A draft's @STATUS@, @RESULT@ ...: a claim nobody filled in.
left=$(grep -rnoE '@[A-Z_]+@' "$FINDINGS" | sed "s|^$FINDINGS/||")
if [[ -z $left ]]; then
	ok "no placeholder left under docs/findings"
else
	mapfile -t lines <<<"$left"
	not_ok "no placeholder left under docs/findings" "${lines[@]}"
fi

for m in "${models[@]}"; do
	d=$(dirname "$m")
	if out=$("$HMMBENCH_BIN" repro generate "$FINDINGS/$m" -o "$WORK/gen.c" 2>&1); then
		ok "$d/repro.json loads and generates"
	else
		not_ok "$d/repro.json loads and generates" "$out"
	fi
	if ! command -v gcc >/dev/null 2>&1; then
		ok "$d/repro.c builds alone # SKIP gcc is not installed"
	elif [[ ! -f $FINDINGS/$d/repro.c ]]; then
		not_ok "$d/repro.c builds alone" "no repro.c beside repro.json"
	elif out=$(gcc -static -pthread -O2 -o "$WORK/repro" "$FINDINGS/$d/repro.c" 2>&1); then
		ok "$d/repro.c builds alone"
	else
		not_ok "$d/repro.c builds alone" "$(head -n 5 <<<"$out")"
	fi
done

# The line check-hitrate.sh reads: VERSION FLAVOUR SECONDS [kind=K] MATCH.
# hmmbench judges a kind: repro try refuses a bad --kind before it reads
# anything, and says why.
kind_error() {
	"$HMMBENCH_BIN" repro try "$WORK/no-reproducer" --kernel none --kind "$1" 2>&1 >/dev/null |
		sed -n "s/^hmmbench: error: \(--kind .*\)/\1/p"
}
for k in "${kernels[@]}"; do
	d=$(dirname "$k")
	read_kernel_line "$FINDINGS/$k"
	why=
	if [[ -n $kind ]]; then
		e=$(kind_error "$kind")
		[[ -z $e ]] || why+="$e; "
	fi
	[[ $version =~ ^([0-9]+\.[0-9]+|src:.+)$ ]] || why+="version '$version' is not 6.12, 7.2, 7.3 or src:PATH; "
	[[ $flavour == default || $flavour == debug ]] || why+="flavour '$flavour' is not default or debug; "
	[[ $seconds =~ ^[1-9][0-9]*$ ]] || why+="seconds '$seconds' is not a number; "
	if [[ -z $match ]]; then
		why+="no match regex; "
	else
		grep -qE -- "$match" /dev/null 2>/dev/null
		[[ $? == 2 ]] && why+="match '$match' is not an extended regex; "
	fi
	[[ -f $FINDINGS/$d/repro.json ]] || why+="no repro.json beside it for check-hitrate.sh to try; "
	if [[ -z $why ]]; then
		ok "$d/kernel is a line check-hitrate.sh can use"
	else
		not_ok "$d/kernel is a line check-hitrate.sh can use" "${why%; }"
	fi
done

# The patches are a series against Debian's 7.2 tree: 0001, 0002, 0003...
ksrc=${HMMBENCH_KERNEL_SRC:-}
if [[ -z $ksrc || ! -f $ksrc/lib/test_hmm.c ]]; then
	ok "candidate fixes apply to lib/test_hmm.c # SKIP no kernel tree (HMMBENCH_KERNEL_SRC)"
elif ! grep -q '^PATCHLEVEL = 2$' "$ksrc/Makefile" || ! grep -q '^VERSION = 7$' "$ksrc/Makefile"; then
	ok "candidate fixes apply to lib/test_hmm.c # SKIP $ksrc is not a 7.2 tree"
elif ! command -v patch >/dev/null 2>&1; then
	ok "candidate fixes apply to lib/test_hmm.c # SKIP patch is not installed"
else
	# Only the files the patches touch are copied (lib/test_hmm.c, and
	# mm/ for a fix outside the driver).
	while read -r f; do
		mkdir -p "$WORK/tree/$(dirname "$f")" && cp "$ksrc/$f" "$WORK/tree/$f"
	done < <(cd "$FINDINGS" && sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "${patches[@]}" | sort -u)
	fails=()
	while read -r p; do
		out=$(cd "$WORK/tree" && patch -p1 --batch <"$FINDINGS/$p" 2>&1) ||
			fails+=("$p: $(tail -n 2 <<<"$out" | tr '\n' ' ')")
	done < <(printf '%s\n' "${patches[@]}" | awk -F/ '{ print $NF "\t" $0 }' | sort | cut -f2)
	if [[ ${#patches[@]} -gt 0 && ${#fails[@]} == 0 ]]; then
		ok "candidate fixes apply to $(basename "$ksrc") in order (${#patches[@]} patches)"
	else
		not_ok "candidate fixes apply in order" "${fails[@]:-no patch found}"
	fi
fi
[[ $TAP_FAILED == 0 ]]
