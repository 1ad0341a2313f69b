#!/usr/bin/env bash
# Boots the 7.2 test kernel (CONFIG_DRM_VKMS=y: a real DRM device that is
# no GPU) and checks what can be checked without a GPU: probe lists the
# vkms device and each GPU backend's reason for not using it; a run on a
# GPU backend fails with that reason, not a crash; and the pagemap
# residency helper the GPU backends rely on agrees page for page with
# test_hmm's SNAPSHOT on real device-private pages (tests/vm/residency-check).
# nvidia-uvm, with no NVIDIA driver in the guest, names the missing
# libcuda.so.1 in probe and in a run, in one line, without crashing.
# No GPU answers anything here: nothing below pretends one did.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

RESIDENCY_CHECK=${RESIDENCY_CHECK:-$(dirname "$HMMBENCH_BIN")/tests/vm/residency-check}
require_qemu 26
[[ -x $RESIDENCY_CHECK ]] || bail "'$RESIDENCY_CHECK' not built; 'make check' builds it (or: make tests/vm/residency-check)"
# kernel_for prints a diag line on stdout before the path: keep the path.
bz=$(kernel_for 7.2 | tail -n1)
res=$WORK/results
guest='ls -l /dev/dri >/results/dri.txt 2>&1
hmmbench probe --json >/results/probe.json 2>/results/probe.err; echo $? >/results/probe.rc
hmmbench probe >/results/probe.txt 2>&1
for b in nouveau amdkfd xe; do
	hmmbench probe --backend $b >/results/probe-$b.txt 2>/results/probe-$b.err; echo $? >/results/probe-$b.rc
	hmmbench run --suite smoke --backend $b -o /results/runs >/results/run-$b.out 2>/results/run-$b.err; echo $? >/results/run-$b.rc
done
hmmbench probe --backend nvidia-uvm >/results/probe-nvidia-uvm.txt 2>/results/probe-nvidia-uvm.err; echo $? >/results/probe-nvidia-uvm.rc
hmmbench run --suite smoke --backend nvidia-uvm -o /results/runs >/results/run-nvidia-uvm.out 2>/results/run-nvidia-uvm.err; echo $? >/results/run-nvidia-uvm.rc
hmmbench run --suite smoke --backend nvidia-uvm --device cuda:0 -o /results/runs >/results/run-cuda0.out 2>/results/run-cuda0.err; echo $? >/results/run-cuda0.rc
residency-check >/results/residency.txt 2>&1; echo $? >/results/residency.rc'
"$VM_RUN" --kernel "$bz" --results "$res" --timeout "${VM_TIMEOUT:-900}" \
	--add "$HMMBENCH_BIN:/usr/bin/hmmbench" \
	--add "$RESIDENCY_CHECK:/usr/bin/residency-check" -- sh -c "$guest" >"$WORK/console.txt" 2>&1 </dev/null
rc=$?
check "vm-run exits 0 for a clean guest (got $rc)" test "$rc" = 0
[[ $rc == 0 ]] || tail -n 30 "$WORK/console.txt" | sed 's/^/# /'
diag "guest /dev/dri: $(tr '\n' ' ' <"$res/dri.txt" 2>/dev/null)"

# jq -e as a check, without its output in the TAP stream.
jqc() { jq -e "$@" >/dev/null; }
probe=$res/probe.json
check "probe exits 0 in the guest (test_hmm is there)" test "$(cat "$res/probe.rc" 2>/dev/null)" = 0
for b in nouveau amdkfd xe; do
	case $b in nouveau) drv=nouveau ;; amdkfd) drv=amdgpu ;; xe) drv=xe ;; esac
	check "probe: $b lists the vkms device and why it is not $drv" \
		jqc --arg b "$b" --arg d "$drv" '[.devices[] | select(.backend == $b and (.what | startswith("vkms")))]
			| length >= 1 and all(.unusable | test("is vkms, not " + $d + "$"))' "$probe"
	check "probe: $b has no usable device: 'no render node is $drv'" \
		jqc --arg b "$b" --arg d "$drv" '.backends[] | select(.name == $b) | .usable == 0 and (.reason | startswith("no render node is " + $d + " ("))' "$probe"
	check "probe --backend $b exits 1 with that reason on one line" \
		bash -c "test \"\$(cat '$res/probe-$b.rc')\" = 1 && test \"\$(wc -l <'$res/probe-$b.err')\" = 1 && grep -q '^hmmbench: error: no usable $b device: no render node is $drv (' '$res/probe-$b.err'"
	check "run --backend $b exits 1 (no crash) with the same reason" \
		bash -c "test \"\$(cat '$res/run-$b.rc')\" = 1 && grep -q 'no render node is $drv (.*vkms' '$res/run-$b.err'"
	[[ $(cat "$res/run-$b.rc" 2>/dev/null) == 1 ]] || sed 's/^/# /' "$res/run-$b.err" 2>/dev/null
done
check "the text probe prints each GPU backend's verdict" \
	bash -c "grep -c '^\(nouveau\|amdkfd\|xe\) *no usable device: no render node is' '$res/probe.txt' | grep -qx 3"
nolib='libcuda.so.1 not found (no NVIDIA driver)'
check "probe: nvidia-uvm has no usable device: '$nolib'" \
	jqc --arg r "$nolib" '.backends[] | select(.name == "nvidia-uvm") | .usable == 0 and .reason == $r' "$probe"
check "probe --backend nvidia-uvm exits 1 with that reason on one line" \
	bash -c "test \"\$(cat '$res/probe-nvidia-uvm.rc')\" = 1 && test \"\$(wc -l <'$res/probe-nvidia-uvm.err')\" = 1 && grep -qx 'hmmbench: error: no usable nvidia-uvm device: $nolib' '$res/probe-nvidia-uvm.err'"
for r in nvidia-uvm cuda0; do
	check "run --backend nvidia-uvm ($r) exits 1 (no crash) with one line naming libcuda.so.1" \
		bash -c "test \"\$(cat '$res/run-$r.rc')\" = 1 && test \"\$(wc -l <'$res/run-$r.err')\" = 1 && grep -q ': $nolib\$' '$res/run-$r.err'"
	[[ $(cat "$res/run-$r.rc" 2>/dev/null) == 1 ]] || sed 's/^/# /' "$res/run-$r.err" 2>/dev/null
done
check "the text probe prints nvidia-uvm's verdict" \
	grep -qx "nvidia-uvm no usable device: $nolib" "$res/probe.txt"
check "test_hmm still comes first in probe's devices (the guest tests rely on it)" \
	jqc '.devices[0].path == "/dev/hmm_dmirror0" and .devices[0].caps["migrate-to-dev"] == true' "$probe"

sed 's/^/# residency-check: /' "$res/residency.txt" 2>/dev/null
check "residency-check exits 0: pagemap agrees with SNAPSHOT page for page, both ways" \
	test "$(cat "$res/residency.rc" 2>/dev/null)" = 0
check "residency-check ran its whole plan with no failure" \
	bash -c "grep -q '^1\.\.20$' '$res/residency.txt' && test \"\$(grep -c '^ok ' '$res/residency.txt')\" = 20"
check "the THP went to the device as one PMD, and pagemap saw the PMD (PAGEMAP_SCAN)" \
	grep -q '^ok [0-9]* - thp on the device: pagemap agrees with SNAPSHOT on 512 of 512 pages (SNAPSHOT: 512 device, 0 system, 512 PMD-mapped; pagemap: 512 device-private, 0 present, PMD bits from PAGEMAP_SCAN; first 0x26/0x26)' "$res/residency.txt"
check "read-only pages became SWP_DEVICE_READ entries, seen as such (0x21)" \
	grep -q '^ok [0-9]* - read-only on the device: .*first 0x21/0x21)' "$res/residency.txt"
check "read-faulted memory is the zero page in the guest, for pagemap and SNAPSHOT alike" \
	bash -c "grep -q '^ok [0-9]* - zero page: pagemap shows 16 of 16 read-faulted pages as ZERO|READ (0x11)$' '$res/residency.txt' && grep -q '^ok [0-9]* - zero page: SNAPSHOT agrees on 16 of 16 pages$' '$res/residency.txt'"
finish
