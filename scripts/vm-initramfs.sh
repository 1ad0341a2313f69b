# shellcheck shell=bash
# Sourced by scripts/initramfs (which scripts/vm-run and scripts/lava-job
# run): builds the guest's busybox initramfs with the files given by --add
# and the command to run. Uses its globals (tmp, adds, command, results_via,
# host, kernel, BUSYBOX, SCRIPTS_DIR) and lib.sh's msg/die.

# Single-quotes a word for any POSIX sh, busybox ash included: 'it'\''s'.
sh_quote() {
	local s=${1//\'/\'\\\'\'}
	printf "'%s'" "$s"
}

is_elf() {
	[[ -f $1 && $(head -c4 -- "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n') == 7f454c46 ]]
}

# Directories the guest's dynamic loader searches without an ld.so.cache
# (Debian's ld.so has the multiarch directories built in). Libraries found
# elsewhere get their directory into LD_LIBRARY_PATH instead.
LOADER_DIRS=" /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64 /lib /usr/lib "
extra_libdirs=()

# Copies into $stage the shared libraries that ldd resolves for ELF file $1
# (the loader included), each at the path ldd names.
add_libs() {
	local elf=$1 out line lib
	if ! out=$(LC_ALL=C ldd -- "$elf" 2>&1); then
		[[ $out == *"not a dynamic executable"* ]] && return 0
		usage_error "ldd failed on '$elf': ${out%%$'\n'*}"
	fi
	while IFS= read -r line; do
		case $line in
		*"=> not found"*) usage_error "'$elf' needs ${line%% =>*}, which the host does not have either" ;;
		*"=> /"*) lib=${line#*=> }; lib=${lib% (0x*} ;;
		*/*" (0x"*) lib=${line#"${line%%[![:space:]]*}"}; lib=${lib% (0x*} ;;
		*) continue ;;  # linux-vdso.so.1, "statically linked"
		esac
		[[ -e $stage$lib ]] && continue
		mkdir -p -- "$stage$(dirname -- "$lib")"
		cp -L -- "$lib" "$stage$lib"
		local dir=${lib%/*}
		if [[ $LOADER_DIRS != *" $dir "* && " ${extra_libdirs[*]} " != *" $dir "* ]]; then
			extra_libdirs+=("$dir")
		fi
	done <<<"$out"
}

# Busybox with every applet linked at build time: /init's #!/bin/sh must
# resolve before anything in the guest has run. $BUSYBOX is wherever the
# host keeps it (command -v); in the guest it is /bin/busybox. The links
# are relative, so they resolve inside $stage as they will in the guest:
# absolute ones would point at the host's /bin/busybox while staging,
# which need not exist (busybox-static elsewhere on PATH).
install_busybox() {
	local applet dir up
	mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin}
	cp -L -- "$BUSYBOX" "$stage/bin/busybox"
	chmod 0755 "$stage/bin/busybox"
	add_libs "$stage/bin/busybox"  # no-op for busybox-static
	while IFS= read -r applet; do
		applet=${applet#/}
		[[ -n $applet && $applet != bin/busybox ]] || continue
		[[ -e $stage/$applet || -L $stage/$applet ]] && continue
		# One "../" per directory level, without a process per applet.
		dir=${applet%/*} up=.
		if [[ $dir != "$applet" ]]; then
			[[ -d $stage/$dir ]] || mkdir -p -- "$stage/$dir"
			up=${dir//[!\/]/}
			up=${up//\//../}..
		fi
		ln -s -- "$up/bin/busybox" "$stage/$applet"
	done < <("$BUSYBOX" --list-full 2>/dev/null || "$BUSYBOX" --list | sed 's|^|bin/|')
	[[ -e $stage/bin/sh || -L $stage/bin/sh ]] || ln -s busybox "$stage/bin/sh"
	[[ -x $stage/bin/sh ]] || usage_error "the initramfs has no working /bin/sh ('$BUSYBOX --list-full' gave no sh)"
}

# One --add HOSTPATH[:GUESTPATH].
add_path() {
	local spec=$1 host guest dest f
	# A host path may itself contain ':'; only split when it does not exist.
	if [[ -e $spec || $spec != *:* ]]; then
		host=$spec guest=
	else
		host=${spec%:*} guest=${spec##*:}
	fi
	[[ -e $host ]] || usage_error "--add: '$host' does not exist"
	[[ -n $guest ]] || guest=$(realpath -s -- "$host")
	[[ $guest == /* ]] || usage_error "--add: guest path '$guest' must be absolute"
	[[ $guest == */ ]] && guest=$guest$(basename -- "$host")
	case $guest in
	/proc|/proc/*|/sys|/sys/*|/dev|/dev/*|/results|/results/*)
		f=${guest#/}
		usage_error "--add: guest path '$guest' would be hidden by the filesystem the guest mounts on /${f%%/*}" ;;
	esac
	dest=$stage$guest
	mkdir -p -- "$(dirname -- "$dest")"
	if [[ -d $host ]]; then
		mkdir -p -- "$dest"
		cp -R --preserve=mode,timestamps -- "$host/." "$dest/"
		while IFS= read -r -d '' f; do
			is_elf "$f" && add_libs "$f"
		done < <(find "$host" -type f -perm /111 -print0)
	else
		# The added file wins over a busybox applet link of the same name.
		rm -f -- "$dest"
		cp -L --preserve=mode,timestamps -- "$host" "$dest"
		is_elf "$host" && add_libs "$host"
	fi
	return 0
}

# The command file /init runs: one quoted word per argument, so spaces,
# quotes and newlines in arguments reach the guest intact.
write_command() {
	local file=$1 word line=
	shift
	for word in "$@"; do line+="$(sh_quote "$word") "; done
	{
		echo "# Written by scripts/vm-run: the command given after '--'."
		if ((${#extra_libdirs[@]})); then
			local IFS=:
			echo "export LD_LIBRARY_PATH=$(sh_quote "${extra_libdirs[*]}")"
		fi
		echo "$line"
	} >"$file"
}

# Packs directory $1 into gzip'd newc cpio $2, every file owned by root
# whoever runs this (no fakeroot needed).
pack_cpio() {
	(cd "$1" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$2"
}

# What scripts/kernel-build recorded beside the kernel (build.json, the
# config, the patches) goes to /etc/hmmbench/kernel/, where 'hmmbench run'
# reads it: the guest cannot see the host's cache entry.
add_kernel_info() {
	local entry=${kernel%/*} dir=$stage/etc/hmmbench/kernel
	[[ -f $entry/build.json ]] || return 0
	mkdir -p "$dir"
	cp -- "$entry/build.json" "$dir/build.json"
	[[ ! -f $entry/config ]] || cp -- "$entry/config" "$dir/config"
	[[ ! -d $entry/patches.d ]] || cp -R -- "$entry/patches.d" "$dir/patches"
}

build_initramfs() {
	local out=$1 spec
	stage=$tmp/root
	mkdir -p "$stage"/{dev,proc,sys,tmp,results,root,etc/hmmbench}
	chmod 1777 "$stage/tmp"
	install_busybox
	install -m 0755 "$SCRIPTS_DIR/vm-init" "$stage/init"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$stage/etc/passwd"
	printf 'root:x:0:\n' >"$stage/etc/group"
	for spec in ${adds[@]+"${adds[@]}"}; do
		add_path "$spec"
	done
	add_kernel_info
	write_command "$stage/etc/hmmbench/command" "${command[@]}"
	# The guest is named after the host, so results merged from several
	# machines still say where they were measured (not on the kernel
	# command line, which compare checks for unfair differences).
	if [[ -n ${host:-} ]]; then
		printf '%s\n' "$host" >"$stage/etc/hmmbench/host"
	else
		printf '%s-vm\n' "$(hostname 2>/dev/null | tr -c 'A-Za-z0-9.\n-' _)" >"$stage/etc/hmmbench/host"
	fi
	# Where /results is: vm-run's 9p share, or a tmpfs streamed to the console.
	printf '%s\n' "${results_via:-share}" >"$stage/etc/hmmbench/results"
	pack_cpio "$stage" "$out"
}
