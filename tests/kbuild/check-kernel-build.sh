#!/usr/bin/env bash
# kernel-build's --patch, --label and --fragment on real Debian 7.2 sources,
# and what a run in their guests records: slow (two kernel builds beyond the
# cached plain 7.2, about 10 and 20 minutes on 2 cores, then two smoke
# runs), so 'make check-kernel-build', not 'make check'.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"

require_qemu 10
KB=("$KERNEL_BUILD" --version 7.2)
PATCH=$SRCDIR/tests/kbuild/test_hmm-banner.patch
NOUVEAU=$SRCDIR/scripts/kconfig/gpu-nouveau-svm.fragment

plain=$(kernel_for 7.2)
key=$("${KB[@]}" --print-key 2>/dev/null | awk '$1 == "entry" { print $2 }')
check "a plain build's cache entry is the one --print-key names" test "$key/bzImage" == "$plain"

diag "kernel-build --patch test_hmm-banner.patch --label banner (a full build the first time)"
patched=$("${KB[@]}" --patch "$PATCH" --label banner 2>"$WORK/patched.log" | tail -n1)
[[ -f $patched ]] || { sed 's/^/# /' "$WORK/patched.log" | tail -n 20; bail "the patched build failed"; }
check "the patched kernel's release carries its label" test "$(cat "${patched%/*}/release")" == 7.2.13-banner

check "a smoke run on plain 7.2" vm "$plain" "$WORK/plain" \
	hmmbench run --suite smoke --iterations 2 -o /results
check "a smoke run, labelled, on the patched 7.2" vm "$patched" "$WORK/patched" \
	sh -c 'dmesg >/results/dmesg.txt; hmmbench run --suite smoke --iterations 2 --label banner -o /results'
check "the patched guest runs the patched test_hmm" grep -q "hmmbench banner patch" "$WORK/patched/dmesg.txt"
rec=$(records_in "$WORK/patched/banner")
check "its records hold the patch, with its sha256" \
	jq -e --arg s "$(sha256sum <"$PATCH" | cut -c1-64)" \
	'select(.type == "meta") | .kernel.build.patches[0].sha256 == $s and .kernel.label == "banner"' "${rec:-/nonexistent}"
check "its records hold the config's hash, and the config beside them" \
	eval 'jq -e "select(.type == \"meta\") | .kernel.config.sha256 | test(\"^[0-9a-f]{64}$\")" "$rec" >/dev/null &&
	      grep -q "^CONFIG_TEST_HMM=y" "${rec%/*}/kernel.config"'
"$HMMBENCH_BIN" compare "$WORK/plain/7.2.13" "$WORK/patched/banner" >"$WORK/cmp.txt" 2>&1
check "compare shows both kernels, the patched one by label and release, without refusing" \
	eval 'grep -q "^base 7.2.13:" "$WORK/cmp.txt" && grep -qE "^new +banner \(release 7.2.13-banner\):" "$WORK/cmp.txt"'

diag "kernel-build --fragment gpu-nouveau-svm.fragment --jobs 2 (the largest build here)"
nv=$("${KB[@]}" --fragment "$NOUVEAU" --jobs 2 2>"$WORK/nv.log" | tail -n1)
check "the nouveau SVM fragment builds" test -f "$nv"
check "its config has DRM_NOUVEAU, STAGING and DRM_NOUVEAU_SVM" \
	eval 'for o in DRM_NOUVEAU STAGING DRM_NOUVEAU_SVM; do grep -qx "CONFIG_$o=y" "${nv%/*}/config" || exit 1; done'
finish
