#!/usr/bin/env bash
# scripts/matrix's kernel specs (BASE[+patch:P][+fragment:F][+config:F]
# [+label=NAME]): every bad spec is one line and exit 2 with nothing
# started, and --dry-run shows the kernel-build and run options each
# kernel gets. No kernel is built, no guest boots.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"
. "$(dirname "$0")/fake-kernel.sh"

MATRIX=$SRCDIR/scripts/matrix
[[ -x $HMMBENCH_BIN ]] || bail "hmmbench binary '$HMMBENCH_BIN' not built; run make first"
tap_plan 16

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
# plan NAME EXPECTED-LINE SPEC...: --dry-run prints EXPECTED-LINE.
plan() {
	local what=$1 want=$2 rc=0; shift 2
	"${m[@]}" --dry-run "$@" >"$WORK/plan.txt" 2>&1 </dev/null || rc=$?
	if [[ $rc == 0 ]] && grep -qxF -- "$want" "$WORK/plan.txt"; then
		ok "$what"
	else
		not_ok "$what" "exit $rc; want: $want" "$(cat "$WORK/plan.txt")"
	fi
}

cd "$WORK" || bail "no work directory"
printf -- '--- a/lib/test_hmm.c\n+++ b/lib/test_hmm.c\n' >0001-fix-race.patch
printf 'CONFIG_FOO=y\n' >gpu.fragment
printf 'CONFIG_64BIT=y\n' >my.config
fake_kernel_tree "$WORK/linux" 7.2.13
{ head -c 514 /dev/zero; printf HdrS; } >bzImage
m=("$MATRIX" --hmmbench "$HMMBENCH_BIN" -o "$WORK/out")

refused "a patch that does not exist" "kernel '7.2\+patch:nope.patch': patch 'nope.patch' does not exist" "${m[@]}" 7.2 7.2+patch:nope.patch
refused "a patch on src:" "applies to a Debian version" "${m[@]}" "src:$WORK/linux+patch:0001-fix-race.patch"
refused "a fragment on image:" "image: is built already" "${m[@]}" "image:$WORK/bzImage+fragment:gpu.fragment"
refused "a bad label" "label 'a/b' must be" "${m[@]}" "7.2+label=a/b"
refused "two labels" "give one \+label=NAME" "${m[@]}" "7.2+label=a+label=b"
refused "an unknown base with a modifier" "unknown kernel '6.2\+patch:0001-fix-race.patch'" "${m[@]}" 6.2+patch:0001-fix-race.patch
refused "the same label on two kernels" "label 'x' is taken" "${m[@]}" 7.2+label=x 6.12+label=x
refused "the same patched kernel twice" "given twice" "${m[@]}" 7.2+patch:0001-fix-race.patch 7.2+patch:./0001-fix-race.patch
refused "two configs" "give one \+config:FILE" "${m[@]}" 7.2+config:my.config+config:my.config

kb="scripts/kernel-build --flavour default"
plan "a plain kernel keeps its plain build and unlabelled run" "7.2: $kb --version 7.2; hmmbench run" 7.2
plan "a patch labels its kernel after the patch's name" \
	"fix-race: $kb --version 7.2 --patch $WORK/0001-fix-race.patch --label fix-race; hmmbench run --label fix-race" \
	7.2 7.2+patch:0001-fix-race.patch
plan "an explicit label wins, and a fragment goes to kernel-build" \
	"svm: $kb --version 7.3 --fragment $WORK/gpu.fragment --label svm; hmmbench run --label svm" \
	7.3+fragment:gpu.fragment+label=svm
plan "a config goes to kernel-build" \
	"my: $kb --version 7.2 --config $WORK/my.config --label my; hmmbench run --label my" 7.2+config:my.config
plan "two derived labels that collide are told apart" \
	"gpu-2: $kb --version 6.12 --fragment $WORK/gpu.fragment --label gpu-2; hmmbench run --label gpu-2" \
	7.2+fragment:gpu.fragment 6.12+fragment:gpu.fragment
plan "image: with a label names its runs only" \
	"mine: boot $WORK/bzImage as it is; hmmbench run --label mine" "image:bzImage+label=mine"
"${m[@]}" --dry-run >"$WORK/plan.txt" 2>&1
check "the default kernels are 6.1 6.12 7.2 7.3" \
	test "$(cut -d: -f1 "$WORK/plan.txt" | tr '\n' ' ')" == "6.1 6.12 7.2 7.3 "
finish
