#!/usr/bin/env bash
# The fast half of scripts/matrix and scripts/bisect: bad input is one line
# and exit 2 with nothing started and the tree untouched, and result trees
# from two hosts merge by copying, with the host difference flagged by
# compare and report. No guest boots here: the matrix itself is exercised
# by hand (README) and the bisect by 'make check-bisect'.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

MATRIX=$SRCDIR/scripts/matrix
BISECT=$SRCDIR/scripts/bisect
[[ -x $HMMBENCH_BIN ]] || bail "hmmbench binary '$HMMBENCH_BIN' not built; run make first"
tap_plan 17

# refused NAME PATTERN CMD...: exit 2, one line matching PATTERN, and no
# results directory $WORK/out created.
refused() {
	local what=$1 pat=$2 rc=0; shift 2
	"$@" >"$WORK/out.txt" 2>&1 </dev/null || rc=$?
	if [[ $rc == 2 && $(wc -l <"$WORK/out.txt") == 1 ]] && grep -qE -- "$pat" "$WORK/out.txt" &&
		[[ ! -e $WORK/out ]]; then
		ok "$what"
	else
		not_ok "$what" "exit $rc, output:" "$(cat "$WORK/out.txt")"
	fi
}

m=("$MATRIX" --hmmbench "$HMMBENCH_BIN" -o "$WORK/out")
refused "matrix: an unknown kernel spec" "unknown kernel '6\.2'; give a Debian version" "${m[@]}" 7.2 6.2
refused "matrix: src: that is not a kernel tree" "is not a kernel source tree" "${m[@]}" "src:$WORK"
refused "matrix: image: that does not exist" "does not exist" "${m[@]}" "image:$WORK/no-bzImage"
refused "matrix: image: that is not a bzImage" "not an x86 bzImage" "${m[@]}" "image:$HMMBENCH_BIN"
refused "matrix: a suite hmmbench does not know" "unknown suite 'nope'" "${m[@]}" --suite nope 7.2
refused "matrix: --jobs 0" "--jobs '0' is not a positive number" "${m[@]}" --jobs 0 7.2
refused "matrix: the same kernel twice" "given twice" "${m[@]}" 7.2 7.2
refused "matrix: no -o" "give -o DIR" "$MATRIX" --hmmbench "$HMMBENCH_BIN" 7.2

# A kernel-shaped git tree (bisect only looks for these files before it
# measures anything): base, then two commits on each of two branches.
tree=$WORK/linux
mkdir -p "$tree/mm" "$tree/lib"
git -C "$tree" init -q -b main
for f in Makefile Kconfig mm/Makefile lib/test_hmm.c; do echo "# $f" >"$tree/$f"; done
g() { git -C "$tree" -c user.name=t -c user.email=t@invalid "$@"; }
g add -A && g commit -q -m base && g tag base
echo a >>"$tree/Makefile" && g commit -q -am a1 && echo b >>"$tree/Makefile" && g commit -q -am a2
g checkout -q -b side base && echo c >>"$tree/Kconfig" && g commit -q -am s1
g checkout -q main
untouched() {
	[[ $(g symbolic-ref -q --short HEAD) == main && -z $(g status --porcelain | head -n1) &&
	   ! -e $tree/.git/BISECT_START ]]
}
b=("$BISECT" --hmmbench "$HMMBENCH_BIN" -o "$WORK/out" --suite smoke --metric migrate:throughput)
refused "bisect: src that is not a kernel tree" "not a kernel source tree" "${b[@]}" --src "$WORK" --good base --bad main
refused "bisect: good not an ancestor of bad" "is not an ancestor of --bad" "${b[@]}" --src "$tree" --good side --bad main
check "bisect: the tree is untouched after a refusal" untouched
refused "bisect: a revision that does not exist" "--bad 'nope' is not a commit" "${b[@]}" --src "$tree" --good base --bad nope
touch "$tree/stray"
refused "bisect: a tree with an untracked file" "uncommitted changes or untracked files" "${b[@]}" --src "$tree" --good base --bad main
rm -f "$tree/stray"
refused "bisect: a metric that is not METRIC or BENCH:METRIC" "is not METRIC or BENCH:METRIC" \
	"${b[@]}" --src "$tree" --good base --bad main --metric 'a b'

# Two hosts' trees merged by copying: the same 7.2 run measured "on box2"
# as well, then compare and report on the merged tree.
merged=$WORK/merged
cp -r "$SRCDIR/tests/fixtures/results-two-kernels" "$merged"
cp -r "$merged/7.2.13/run-b" "$merged/7.2.13/run-b-box2"
sed -i '1s/"host":"[^"]*"/"host":"box2"/' "$merged/7.2.13/run-b-box2/records.jsonl"
rc=0
"$HMMBENCH_BIN" compare "$merged/6.12.117" "$merged/7.2.13" >"$WORK/refused.txt" 2>&1 || rc=$?
check "compare refuses sides whose THP settings and hosts differ, naming them (exit $rc)" \
	eval '[[ $rc == 2 && $(wc -l <"$WORK/refused.txt") == 1 ]] &&
	      grep -q "refusing to compare 7.2.13 with 6.12.117 (base): they differ in THP defrag .*; host (.lab1. on 6.12.117 vs" "$WORK/refused.txt"'
"$HMMBENCH_BIN" compare --allow-differences "$merged/6.12.117" "$merged/7.2.13" >"$WORK/cmp.txt" 2>&1
check "compare --allow-differences on a tree merged from two hosts flags the host difference" \
	grep -qE "host differs between the runs of 7.2.13 \(new\): '(lab1', 'box2|box2', 'lab1)'" "$WORK/cmp.txt"
"$HMMBENCH_BIN" report "$merged" -o "$WORK/report" >/dev/null 2>&1
check "report on the merged tree counts both runs of 7.2.13 and flags the host" \
	eval 'grep -q "^kernel 7.2.13: 2 runs" "$WORK/report/summary.txt" &&
	      grep -q "host differs between the runs of 7.2.13" "$WORK/report/summary.txt"'
finish
