# shellcheck shell=bash
# Sourced by scripts/vm-run: decides between KVM and TCG. Nested KVM is
# broken on many machines (it dies at once or hangs), so a probe boot
# decides, and its verdict is cached per host kernel, qemu and bzImage.
# Uses vm-run's globals (tmp, kernel, accel, KVM_PROBE_TIMEOUT).

# Boots the kernel under KVM with -cpu $1 and an init that only prints a
# marker; sets probe_reason when that fails.
kvm_probe_cpu() {
	local cpu=$1 dir=$tmp/kvm-probe rc=0 lines
	msg "probing KVM with -cpu $cpu (at most ${KVM_PROBE_TIMEOUT}s; the verdict is cached per kernel)"
	# The braces keep bash's own "Aborted" job notice off the terminal.
	{ timeout -k 5 "$KVM_PROBE_TIMEOUT" qemu-system-x86_64 -nodefaults -no-user-config \
		-accel kvm -cpu "$cpu" -m 256M -smp 1 -display none -monitor none -no-reboot \
		-chardev "file,id=con,path=${dir//,/,,}/console.log" -serial chardev:con \
		-kernel "$kernel" -initrd "$dir/initrd.gz" \
		-append "console=ttyS0 loglevel=4 panic=-1 printk.time=1" \
		</dev/null >"$dir/qemu.err" 2>&1; } 2>/dev/null || rc=$?
	grep -aq HMMBENCH_KVM_PROBE_OK "$dir/console.log" 2>/dev/null && return 0
	lines=$(wc -l <"$dir/console.log" 2>/dev/null || echo 0)
	if ((rc == 124)); then
		probe_reason="with -cpu $cpu the guest hung ($lines console lines in ${KVM_PROBE_TIMEOUT}s)"
	elif grep -q -v '^\s*$' "$dir/qemu.err"; then
		probe_reason="with -cpu $cpu qemu exited with status $rc: $(grep -m1 -v '^\s*$' "$dir/qemu.err")"
	else
		probe_reason="with -cpu $cpu the guest stopped before init ran (status $rc, $lines console lines)"
	fi
	return 1
}

# Sets probe_cpu to a CPU model that boots under KVM, or probe_reason, and
# probe_cacheable.
kvm_probe() {
	local dir=$tmp/kvm-probe cpu reasons=()
	# Access problems are cheap to re-check and may get fixed: not cached.
	probe_cacheable=0
	[[ -e /dev/kvm ]] || { probe_reason="no /dev/kvm"; return 1; }
	[[ -r /dev/kvm && -w /dev/kvm ]] ||
		{ probe_reason="no read/write access to /dev/kvm (is the user in group kvm?)"; return 1; }
	probe_cacheable=1
	mkdir -p "$dir/root/bin"
	cp -L -- "$BUSYBOX" "$dir/root/bin/busybox"
	stage=$dir/root add_libs "$dir/root/bin/busybox"
	printf '#!/bin/busybox sh\n/bin/busybox echo HMMBENCH_KVM_PROBE_OK\n/bin/busybox poweroff -f\n' >"$dir/root/init"
	chmod 0755 "$dir/root/init"
	pack_cpio "$dir/root" "$dir/initrd.gz"
	# -cpu host/max abort when the (nested) KVM refuses an MSR such as
	# 0x10a (IA32_ARCH_CAPABILITIES); the same model without it may boot.
	for cpu in max max,-arch-capabilities; do
		if kvm_probe_cpu "$cpu"; then
			probe_cpu=$cpu
			return 0
		fi
		reasons+=("$probe_reason")
		[[ $probe_reason == *"failed to set MSR"* ]] || break
	done
	probe_reason=$(printf '%s; ' "${reasons[@]}")
	probe_reason=${probe_reason%; }
	return 1
}

# Sets ACCEL_ARGS. The auto verdict is cached per host kernel, qemu and
# bzImage, the three things that decide whether nested KVM boots it.
choose_accel() {
	local key cache verdict cpu=max reason
	case $accel in
	kvm) ACCEL_ARGS=(-accel kvm -cpu max); msg "using KVM with -cpu max (forced by --accel kvm or HMMBENCH_ACCEL)"; return ;;
	tcg) ACCEL_ARGS=(-accel tcg -cpu max); msg "using TCG (forced by --accel tcg or HMMBENCH_ACCEL)"; return ;;
	esac
	key=$( { uname -r; qemu-system-x86_64 --version | head -n1; sha256sum <"$kernel"; } | sha256sum | cut -c1-16)
	cache=$HMMBENCH_CACHE/kvm-probe/$key
	if [[ -s $cache ]]; then
		{ read -r verdict; read -r cpu; read -r reason || true; } <"$cache"
		reason="$reason (cached in $cache)"
	elif kvm_probe; then
		verdict=kvm cpu=$probe_cpu reason="a probe boot under KVM with -cpu $probe_cpu reached init"
	else
		verdict=tcg reason=$probe_reason
		((probe_cacheable)) || cache=
	fi
	if [[ -n $cache && ! -s $cache ]]; then
		# A read-only cache only costs a probe per run.
		{ mkdir -p "${cache%/*}" && printf '%s\n%s\n%s\n' "$verdict" "$cpu" "$reason" >"$cache"; } 2>/dev/null || true
	fi
	if [[ $verdict == kvm ]]; then
		ACCEL_ARGS=(-accel kvm -cpu "$cpu")
		msg "using KVM: $reason"
	else
		ACCEL_ARGS=(-accel tcg -cpu max)
		msg "KVM probe failed: $reason; using TCG"
	fi
}
