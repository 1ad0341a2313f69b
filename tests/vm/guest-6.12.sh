#!/usr/bin/env bash
# Boots the 6.12 test kernel: test_hmm there has no HMM_DMIRROR_FLAGS and
# migrates THPs as 4 KiB pages. hmmbench must say so by name, never as 0.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

require_qemu 6
bz=$(kernel_for 6.12)
res=$WORK/results
guest='hmmbench probe --json >/results/probe.json; echo $? >/results/probe.rc
hmmbench run --suite smoke --iterations 3 -o /results/runs >/results/smoke.txt 2>&1; echo $? >/results/smoke.rc'
vm "$bz" "$res" sh -c "$guest" >"$WORK/console.txt" 2>&1
rc=$?
check "vm-run exits 0 for a clean 6.12 guest (got $rc)" test "$rc" = 0
probe=$res/probe.json
check "probe: FAIL_ALLOC is reported unsupported by the errno's name" \
	jq -e '.devices[0].caps["fail-alloc"] | type == "string" and test("EINVAL") and test("6.19")' "$probe"
check "probe: THPs are split on migration on 6.12" \
	jq -e '.devices[0].caps["thp-pmd"] | type == "string" and test("split")' "$probe"
rec=$(records_in "$res/runs")
check "smoke exits 0 on 6.12" test "$(cat "$res/smoke.rc" 2>/dev/null)" = 0
check "THP samples on 6.12 show no whole PMD on the device" \
	jq -e -s '[.[] | select(.type == "sample" and .bench == "migrate" and .params.pages == "thp" and .params.direction == "to-dev")]
		| length > 0 and all(.snapshot.whole_pmds == 0 and .snapshot.device == 8192)' "$rec"
check "injected split is recorded as unsupported with the reason, not as 0" \
	jq -e -s '[.[] | select(.bench == "split")] | length == 2 and all(.type == "unsupported" and (.reason | test("EINVAL")))' "$rec"
finish
