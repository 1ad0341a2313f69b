# shellcheck shell=bash
# A kernel-shaped tree whose Makefile answers what scripts/kernel-build asks
# (tinyconfig, olddefconfig, bzImage, kernelrelease) in a fraction of a
# second, so kernel-build's option handling is tested without a compiler
# run. olddefconfig keeps the last value of each option, and drops
# CONFIG_UNMET_* as the real one drops options whose dependencies fail.
# Sourced by tests/scripts/*.sh.

# fake_kernel_tree DIR RELEASE
fake_kernel_tree() {
	local d=$1 rel=$2
	mkdir -p "$d/mm" "$d/lib" "$d/scripts/kconfig"
	echo "# Kconfig" >"$d/Kconfig"
	printf '%s\n' '// SPDX-License-Identifier: GPL-2.0' 'static int dmirror_answer = 42;' \
		'/* the end */' >"$d/lib/test_hmm.c"
	cat >"$d/Makefile" <<'EOM'
O ?= .
REL ?= @REL@
.PHONY: tinyconfig olddefconfig bzImage kernelrelease
tinyconfig:
	printf 'CONFIG_64BIT=y\n# CONFIG_TEST_HMM is not set\n' >$(O)/.config
olddefconfig:
	awk '{ k = $$0; if (match(k, /^CONFIG_[A-Za-z0-9_]+/)) k = substr(k, RSTART, RLENGTH); \
		else if (match(k, /^# CONFIG_[A-Za-z0-9_]+ is not set/)) k = substr(k, 3, RLENGTH - 13); \
		else next; if (!(k in v)) o[n++] = k; v[k] = $$0 } \
		END { for (i = 0; i < n; i++) if (o[i] !~ /^CONFIG_UNMET_/) print v[o[i]] }' \
		$(O)/.config >$(O)/.config.new && mv $(O)/.config.new $(O)/.config
bzImage:
	mkdir -p $(O)/arch/x86/boot
	{ head -c 514 /dev/zero; printf HdrS; cat $(O)/.config; } >$(O)/arch/x86/boot/bzImage
kernelrelease:
	@echo $(REL)$$(sed -n 's/^CONFIG_LOCALVERSION="\(.*\)"/\1/p' $(O)/.config)
EOM
	sed -i "s/@REL@/$rel/" "$d/Makefile"
	cat >"$d/scripts/kconfig/merge_config.sh" <<'EOM'
#!/bin/sh
# merge_config.sh -m -O DIR BASE FRAGMENT...: the fragments after the base.
out=.
while :; do case $1 in -m) shift ;; -O) out=$2; shift 2 ;; *) break ;; esac; done
base=$1; shift
cat "$base" "$@" >"$out/.config.merged" && mv "$out/.config.merged" "$out/.config"
EOM
	chmod +x "$d/scripts/kconfig/merge_config.sh"
}

# fake_debian_cache CACHE VERSION FULL: an unpacked linux-source-VERSION
# as kernel-build leaves it; prints the tree's path.
fake_debian_cache() {
	local cache=$1 v=$2 full=$3 t
	t=$cache/src/linux-source-${v}_$full/linux-source-$v
	fake_kernel_tree "$t" "${full%%-*}"
	touch "$t/.hmmbench-unpacked"
	echo "$t"
}
