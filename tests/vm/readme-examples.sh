#!/usr/bin/env bash
# The README's and --help's examples that need the test kernels or a guest
# (tests/examples/examples.list, kinds "vm" and "guest"), with the
# arguments shown: "vm" rows run on the host once the 7.2 kernel is built
# (kernel-build --print-key, lava-job, vm-run booting hmmbench), "guest"
# rows together in one 7.2 guest. tests/host/readme-examples.sh checks that
# every example is classified and runs the host ones.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$SRCDIR/tests/examples/lib.sh"

mapfile -t vm_rows < <(examples_of_kind vm)
mapfile -t guest_rows < <(examples_of_kind guest)
require_qemu $((${#vm_rows[@]} + ${#guest_rows[@]} + 1))
bz=$(kernel_for 7.2)
kernel_for 6.12 >/dev/null	# kernel-build --version 6.12 --print-key reads its source
d=$WORK/scratch
examples_scratch "$d" || bail "could not set up the scratch directory $d"

for row in "${vm_rows[@]}"; do
	IFS=$'\t' read -r kind arg cmd <<<"$row"
	examples_run "$d" "$kind" "$arg" "$cmd"
done
# vm-run's smoke example left a run behind.
if [[ -n $(find "$d/out/run1" -name records.jsonl 2>/dev/null) ]]; then
	ok "vm-run's smoke example wrote its records under out/run1"
else
	not_ok "vm-run's smoke example wrote its records under out/run1" "$(ls -R "$d/out" 2>&1 | head)"
fi

# The guest rows, one after another in one guest, in a copy of the scratch
# directory's user files; a pipe's right-hand side runs here afterwards.
res=$WORK/guest
mkdir -p "$res/work"
cp "$d/sweep.ini" "$res/work/"
{
	echo 'cd /results/work || exit 1'
	for i in "${!guest_rows[@]}"; do
		IFS=$'\t' read -r _ _ cmd <<<"${guest_rows[$i]}"
		printf '%s >/results/ex-%d.out 2>&1; echo $? >/results/ex-%d.rc\n' "${cmd%%|*}" "$i" "$i"
	done
} >"$res/examples.sh"
vm "$bz" "$res" sh /results/examples.sh >"$WORK/guest.log" 2>&1 ||
	diag "vm-run exited non-zero; console: $res/console.log"
for i in "${!guest_rows[@]}"; do
	IFS=$'\t' read -r _ allowed cmd <<<"${guest_rows[$i]}"
	rc=$(cat "$res/ex-$i.rc" 2>/dev/null || echo none)
	if [[ $cmd == *'|'* && $rc == 0 ]]; then
		bash -c "${cmd#*|}" <"$res/ex-$i.out" >"$WORK/right.out" 2>&1 || rc="$? (host side)"
	fi
	if [[ ,$allowed, == *,$rc,* ]]; then
		ok "example runs in the guest (exit $rc): $cmd"
	else
		not_ok "example runs in the guest: $cmd" "exit $rc (want $allowed); output:" \
			"$(tail -n 15 "$res/ex-$i.out" 2>/dev/null)" "$(tail -n 5 "$WORK/guest.log")"
	fi
done
finish
