#!/usr/bin/env bash
# Self-test of scripts/vm-run: argument errors always; with a kernel
# (first argument, $HMMBENCH_KERNEL, or the cached 7.2 test kernel), real
# boots checking every exit status vm-run promises. The boot part is a TAP
# skip only where qemu is not installed. Takes about a minute under TCG.
#   tests/vm/vm-run-selftest.sh "$(scripts/kernel-build | tail -n1)"
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
vmrun=$top/scripts/vm-run
kernel=${1:-${HMMBENCH_KERNEL:-}}
work=$(mktemp -d "${TMPDIR:-/tmp}/vm-run-selftest.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0 count=0

# expect STATUS NAME VM-RUN-ARGUMENT...: runs vm-run with stdin closed,
# as CI does, and checks its exit status; output goes to $work/NAME.out.
expect() {
	local want=$1 name=$2 got=0
	shift 2
	count=$((count + 1))
	"$vmrun" "$@" >"$work/$name.out" 2>&1 <&- || got=$?
	if [[ $got == "$want" ]]; then
		echo "ok $count - $name (exit $got)"
	else
		echo "not ok $count - $name: exit $got, expected $want"
		sed 's/^/#   /' "$work/$name.out" | tail -n 30
		failures=$((failures + 1))
	fi
}

# grep_out NAME REGEX: the output of test NAME must match.
grep_out() {
	count=$((count + 1))
	if grep -q -E -- "$2" "$work/$1.out"; then
		echo "ok $count - $1 output has /$2/"
	else
		echo "not ok $count - $1 output lacks /$2/"
		failures=$((failures + 1))
	fi
}

expect 2 no-kernel -- true
expect 2 missing-kernel --kernel "$work/none" -- true
grep_out missing-kernel "kernel image '.*' does not exist; build one with scripts/kernel-build"
expect 2 unknown-option --kernel /dev/null --frobnicate -- true
expect 0 help --help
grep_out help 'example:'
# The example's guest command must be one hmmbench takes: run on the host
# with a device that cannot exist, it gets past its options (exit 1 at the
# device, not 2 for a bad option).
count=$((count + 1))
hmmbench=${HMMBENCH_BIN:-$top/build/hmmbench}
example=$(sed -n '/^example:/,$p' "$work/help.out" | sed 's/\\$//' | tr '\n' ' ')
guest=${example##* -- hmmbench }
read -r -a words <<<"$guest"
"$hmmbench" "${words[@]}" --device /nonexistent-vm-run-example >"$work/example.out" 2>&1 && rc=0 || rc=$?
if [[ $example == *" -- hmmbench "* && $rc == 1 ]] && grep -q 'nonexistent-vm-run-example does not exist' "$work/example.out"; then
	echo "ok $count - the --help example's guest command parses: hmmbench $guest"
else
	echo "not ok $count - the --help example's guest command (hmmbench $guest) exits $rc:"
	sed 's/^/#   /' "$work/example.out"
	failures=$((failures + 1))
fi
count=$((count + 1))
add=$(grep -o -- '--add [^ :]*' <<<"$example" | cut -d' ' -f2)
if [[ -n $add && -x $top/$add ]] || [[ $add == build/hmmbench && -x $hmmbench ]]; then
	echo "ok $count - the --help example adds $add, the binary scripts/test builds"
else
	echo "not ok $count - the --help example adds '$add', which scripts/test does not build"
	failures=$((failures + 1))
fi

if [[ -z $kernel ]] && ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
	count=$((count + 1))
	echo "ok $count # SKIP the boot tests: qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
	echo "1..$count"
	((failures == 0)) || exit 1
	exit 0
fi
if [[ -z $kernel ]]; then
	# Under make check: the default test kernel, built once and cached.
	echo "# kernel-build --version 7.2 (cached after the first build)"
	kernel=$("$top/scripts/kernel-build" --version 7.2 2>"$work/kernel-build.log" | tail -n1) || {
		sed 's/^/# /' "$work/kernel-build.log" | tail -n 20
		echo "Bail out! kernel-build --version 7.2 failed"
		exit 1
	}
fi
[[ -f $kernel ]] || { echo "kernel '$kernel' does not exist" >&2; exit 1; }
k=(--kernel "$kernel" --timeout 120)

expect 2 no-command "${k[@]}"
expect 2 not-a-bzimage --kernel /etc/passwd -- true
expect 2 add-missing "${k[@]}" --add "$work/none" -- true
expect 2 add-hidden "${k[@]}" --add /bin/true:/dev/true -- true
expect 2 bad-results "${k[@]}" --results /proc/vm-run-selftest -- true

expect 0 hmm-devices "${k[@]}" -- sh -c 'ls /dev/hmm_dmirror0 /dev/hmm_dmirror1 && uname -r'
grep_out hmm-devices '/dev/hmm_dmirror0 +/dev/hmm_dmirror1'
grep_out hmm-devices 'KVM probe failed|using KVM|using TCG'

# A host whose busybox is on PATH but not at /bin/busybox (busybox-static
# elsewhere, as on an Ubuntu host): a copy in a directory of its own first
# on PATH, and the host's /bin/busybox hidden by a whiteout in a private
# mount namespace where that can be done (root, unshare, overlayfs).
fakebin=$work/fakebin
mkdir -p "$fakebin"
cp -L "$(command -v busybox)" "$fakebin/busybox"
hide=() why=
if [[ -e /bin/busybox || -L /bin/busybox ]]; then
	bbdir=$(cd /bin && pwd -P)
	mkdir -p "$work/ov/upper" "$work/ov/work"
	hide=(unshare --mount bash -c 'mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/work" "$1" && shift 2 && exec "$@"' hide "$bbdir" "$work/ov")
	if ((EUID != 0)) || ! command -v unshare >/dev/null 2>&1; then
		why="needs root and unshare"
	elif ! mknod "$work/ov/upper/busybox" c 0 0 2>/dev/null; then
		why="cannot make an overlayfs whiteout (mknod) under ${TMPDIR:-/tmp}"
	elif ! "${hide[@]}" sh -c '! test -e /bin/busybox' 2>"$work/hide.err"; then
		why="no private overlay mount here: $(head -n1 "$work/hide.err")"
	fi
fi
count=$((count + 1))
if [[ -n $why ]]; then
	echo "ok $count # SKIP a host without /bin/busybox cannot be faked here: $why"
else
	rc=0
	PATH=$fakebin:$PATH ${hide[@]+"${hide[@]}"} "$vmrun" "${k[@]}" -- sh -c 'ls -l /bin/sh && echo busybox-from-path-ok' \
		>"$work/busybox-path.out" 2>&1 <&- || rc=$?
	if [[ $rc == 0 ]] && grep -q '^busybox-from-path-ok' "$work/busybox-path.out"; then
		echo "ok $count - a guest boots with busybox only at $fakebin/busybox${hide[*]:+ (/bin/busybox hidden)}"
	else
		echo "not ok $count - with busybox only at $fakebin/busybox, vm-run exits $rc"
		sed 's/^/#   /' "$work/busybox-path.out" | tail -n 30
		failures=$((failures + 1))
	fi
fi

# probe's hint, run exactly as printed, boots a guest where probe finds test_hmm.
count=$((count + 1))
if [[ -e /dev/hmm_dmirror0 ]]; then
	echo "ok $count # SKIP this host has test_hmm: probe prints no hint to follow"
else
	"$hmmbench" probe >/dev/null 2>"$work/probe.err" || true
	hint=$(sed -n 's/.*boot a test kernel with this hmmbench inside: //p' "$work/probe.err")
	rc=0
	(cd "$top" && bash -c "$hint") >"$work/hint.out" 2>&1 <&- || rc=$?
	if [[ -n $hint && $rc == 0 ]] && grep -q 'test_hmm  /dev/hmm_dmirror0:' "$work/hint.out"; then
		echo "ok $count - probe's hint, run as printed, probes test_hmm in a guest"
	else
		echo "not ok $count - probe's hint '$hint' exits $rc"
		sed 's/^/#   /' "$work/hint.out" | tail -n 20
		failures=$((failures + 1))
	fi
fi

expect 0 results "${k[@]}" --results "$work/res" -- sh -c 'echo "$HMMBENCH_RESULTS" >/results/where && mount >/results/mounts'
count=$((count + 1))
if [[ $(cat "$work/res/where" 2>/dev/null) == /results && -s $work/res/console.log ]] &&
	grep -q ' /dev/shm type tmpfs' "$work/res/mounts" && grep -q ' /sys/fs/cgroup type cgroup2' "$work/res/mounts"; then
	echo "ok $count - results landed on the host, console.log saved, /dev/shm and cgroup2 mounted"
else
	echo "not ok $count - results dir: $(ls "$work/res" 2>&1 | tr '\n' ' ')"
	failures=$((failures + 1))
fi

expect 3 argv-survives "${k[@]}" -- sh -c 'test "$1" = "a b" && test "$2" = "it'\''s \$x" && exit 3' sh 'a b' "it's \$x"
expect 1 false "${k[@]}" -- false
expect 126 kernel-warning "${k[@]}" -- sh -c 'echo "WARNING: CPU: 0 PID: 1 at mm/fake.c:1 hmmbench test" >/dev/kmsg'
grep_out kernel-warning 'WARNING: CPU: 0 PID: 1 at mm/fake.c:1 hmmbench test'
expect 0 user-warning-is-not-kernel "${k[@]}" -- echo "WARNING: CPU: 0 printed by the command, not the kernel"
expect 124 timeout --kernel "$kernel" --timeout 8 -- sleep 100
grep_out timeout 'timeout after 8 s'
# A guest that said its command ended but never powers off (as after a
# soft lockup) is killed after the grace, long before this --timeout. The
# command then blocks for good: opening a FIFO that nothing ever writes.
expect 7 no-poweroff --kernel "$kernel" --timeout 600 -- sh -c 'echo HMMBENCH_VM_EXIT=7; mkfifo /tmp/never && exec cat /tmp/never'
grep_out no-poweroff 'did not power off within 30 s of its command.s end'

# A dynamically linked host binary and its libraries.
expect 0 dynamic-elf "${k[@]}" --add /usr/bin/stat:/usr/local/bin/hoststat -- /usr/local/bin/hoststat -c '%F' /results
grep_out dynamic-elf '^directory'

# A file added under /tmp survives the tmpfs the guest mounts there.
printf '#!/bin/sh\necho "tmp-script $#: $1"\n' >"$work/s.sh"
chmod 755 "$work/s.sh"
expect 0 add-under-tmp "${k[@]}" --add "$work/s.sh" -- "$work/s.sh" 'x y'
grep_out add-under-tmp '^tmp-script 1: x y'

echo "1..$count"
((failures == 0))
