# shellcheck shell=bash
# Sourced by scripts/kernel-build: --patch FILE|DIR. A patch series is
# applied to a copy of the unpacked Debian source, one copy per series, so
# the shared tree every plain build uses is never touched.

patch_files=()	# every patch, in the order it is applied

# Adds the patches of one --patch argument: a file, or a directory whose
# 'series' file (quilt) names them in order, else its *.patch and *.diff
# files in name order.
add_patch_arg() {
	local arg=$1 f name n=${#patch_files[@]}
	if [[ -f $arg ]]; then
		[[ -r $arg ]] || die "--patch '$arg' is not readable"
		patch_files+=("$(realpath -- "$arg")")
	elif [[ -d $arg ]]; then
		arg=$(realpath -- "$arg")
		if [[ -f $arg/series ]]; then
			while read -r name _; do
				[[ -z $name || $name == \#* ]] && continue
				[[ -f $arg/$name && -r $arg/$name ]] ||
					die "--patch '$arg': its series names '$name', which is not a readable file there"
				patch_files+=("$arg/$name")
			done <"$arg/series"
		else
			while IFS= read -r -d '' f; do
				patch_files+=("$f")
			done < <(find "$arg" -maxdepth 1 -type f \( -name '*.patch' -o -name '*.diff' \) -print0 |
				LC_ALL=C sort -z)
		fi
		((${#patch_files[@]} > n)) ||
			die "--patch '$arg' holds no patches (no series file, no *.patch or *.diff)"
	else
		die "--patch '$arg' is neither a file nor a directory"
	fi
	for f in "${patch_files[@]:n}"; do
		grep -qE '^(\+\+\+|---) ' "$f" ||
			die "--patch '$f' is not a patch (no '---'/'+++' lines); give a unified diff or git format-patch output"
	done
}

# "0001-fix.patch <sha256>" per patch, in order: what the cache key and the
# records hold.
patch_lines() {
	local f
	for f in ${patch_files[@]+"${patch_files[@]}"}; do
		printf '%s %s\n' "$(basename -- "$f")" "$(sha256sum <"$f" | cut -c1-64)"
	done
}

# The files a patch names, -p1 (a/..., b/...), without timestamps.
patch_targets() {
	sed -n -E 's/^(\+\+\+|---) ([^\t]+).*/\2/p' "$1" | grep -v '^/dev/null$' |
		sed -E 's|^[^/]*/||' | sort -u
}

# Replaces srcdir with a patched copy of it, made once per source and
# series under $HMMBENCH_CACHE/src/patched/, and extends source_id's tag.
# The copy is hard-linked (cheap); every file a patch touches is first
# replaced by a private copy, so the shared tree keeps its contents.
apply_patches() {
	local sum dir tree tmpd f t
	((${#patch_files[@]})) || return 0
	sum=$( { echo "$source_id"; patch_lines; } | sha256sum | cut -c1-12)
	dir=$HMMBENCH_CACHE/src/patched/$(basename -- "$(dirname -- "$srcdir")")-patched-$sum
	tree=$dir/$(basename -- "$srcdir")
	mkdir -p "$HMMBENCH_CACHE/src/patched"
	exec 8>"$dir.lock"
	flock 8
	if [[ ! -f $tree/.hmmbench-patched ]]; then
		rm -rf "$dir"
		tmpd=$dir.tmp.$$
		rm -rf "$tmpd"; mkdir -p "$tmpd"
		msg "copying $srcdir for ${#patch_files[@]} patch(es) (hard links; the shared tree stays as it is)"
		cp -al -- "$srcdir" "$tmpd/tree" 2>/dev/null || cp -a -- "$srcdir" "$tmpd/tree" ||
			{ rm -rf "$tmpd"; die "could not copy $srcdir to $tmpd; check the free space"; }
		rm -f "$tmpd/tree/.hmmbench-unpacked"
		for f in "${patch_files[@]}"; do
			while IFS= read -r t; do
				[[ -f $tmpd/tree/$t ]] || continue
				cp -p -- "$tmpd/tree/$t" "$tmpd/tree/$t.hmmbench-unlink" &&
					mv -f -- "$tmpd/tree/$t.hmmbench-unlink" "$tmpd/tree/$t"
			done < <(patch_targets "$f")
			if ! patch -d "$tmpd/tree" -p1 --batch --forward --no-backup-if-mismatch -r - \
				<"$f" >"$tmpd/patch.log" 2>&1; then
				t=$(grep -m1 -iE 'fail|malformed|garbage|can.t find|reversed' "$tmpd/patch.log" ||
					head -n1 "$tmpd/patch.log")
				rm -rf "$tmpd"
				die "patch '$(basename -- "$f")' does not apply to $source_id: ${t:-patch failed}"
			fi
		done
		patch_lines >"$tmpd/tree/.hmmbench-patched"
		mv -T -- "$tmpd" "$dir"
		mv -T -- "$dir/tree" "$tree"
	fi
	exec 8>&-
	srcdir=$tree
}
