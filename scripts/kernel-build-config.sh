# shellcheck shell=bash
# Sourced by scripts/kernel-build: the user's config (--config), fragments
# (--fragment), --label, the check that every requested option landed, and
# build.json, the cache entry's description that scripts/vm-run puts into
# the guest for 'hmmbench run' to record.

user_fragments=()	# --fragment FILE, absolute, in order
base_config=		# --config FILE, absolute
label=			# --label NAME

add_fragment_arg() {
	# A shipped fragment by its name alone, wherever hmmbench is installed.
	[[ -e $1 || $1 == */* || ! -f $KCONFIG_DIR/$1 ]] || set -- "$KCONFIG_DIR/$1"
	[[ -f $1 && -r $1 ]] || die "--fragment '$1' does not exist or is not readable"
	grep -qE '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set$)' "$1" ||
		die "--fragment '$1' sets no option (lines like CONFIG_FOO=y or '# CONFIG_FOO is not set')"
	user_fragments+=("$(realpath -- "$1")")
}

set_config_arg() {
	[[ -z $base_config ]] || die "--config given twice; merge the second into the first, or give it as --fragment"
	[[ -f $1 && -r $1 ]] || die "--config '$1' does not exist or is not readable"
	grep -qE '^CONFIG_[A-Za-z0-9_]+=' "$1" ||
		die "--config '$1' is not a kernel config (no CONFIG_ lines); for a few options use --fragment"
	base_config=$(realpath -- "$1")
}

# uname -r becomes <release>-NAME; 64 characters is all utsname holds.
set_label_arg() {
	[[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9._+-]{0,31}$ ]] ||
		die "--label '$1' must be 1-32 letters, digits, '.', '_', '+' or '-', starting with a letter or digit"
	label=$1
}

sha256_of() { sha256sum <"$1" | cut -c1-64; }

# The key lines a plain build lacks (none for a plain build).
config_key_lines() {
	local f
	[[ -z $base_config ]] || echo "config $(sha256_of "$base_config")"
	for f in ${user_fragments[@]+"${user_fragments[@]}"}; do
		echo "fragment $(basename -- "$f") $(sha256_of "$f")"
	done
	[[ -z $label ]] || echo "label $label"
}

# Whether this build differs from a plain one in its config.
custom_config() { [[ -n $base_config || -n $label || ${#user_fragments[@]} -gt 0 ]]; }

# The fragments merged after hmmbench's own: the user's, then the label's.
extra_fragments() {
	extra=(${user_fragments[@]+"${user_fragments[@]}"})
	if [[ -n $label ]]; then
		printf 'CONFIG_LOCALVERSION="-%s"\n' "$label" >"$out/label.fragment"
		extra+=("$out/label.fragment")
	fi
}

# Every option the fragments ask for, the last word on each winning:
# "CONFIG_FOO=y" or "# CONFIG_FOO is not set", one per option.
requested_options() {
	awk '/^CONFIG_[A-Za-z0-9_]+=/ { k = $0; sub(/=.*/, "", k) }
	     /^# CONFIG_[A-Za-z0-9_]+ is not set$/ { k = $2 }
	     k != "" { if (!(k in v)) o[n++] = k; v[k] = $0; k = "" }
	     END { for (i = 0; i < n; i++) print v[o[i]] }' "$@"
}

# Dies naming every requested option that is not in $1 (a .config).
check_options() {
	local config=$1 line missing=()
	shift
	while IFS= read -r line; do
		if [[ $line == \#* ]]; then
			line=${line#\# }; line=${line% is not set}
			! grep -qE "^$line=[ym]$" "$config" || missing+=("$line (should be off)")
		else
			grep -qxF -- "$line" "$config" || missing+=("${line%%=*}")
		fi
	done < <(requested_options "$@")
	((${#missing[@]} == 0)) ||
		die "these options did not survive olddefconfig (unmet dependencies in this tree?): ${missing[*]}"
}

# What the user's --config lacked of hmmbench's own fragments (said, then added).
report_config_gaps() {
	local line gaps=()
	while IFS= read -r line; do
		[[ $line == \#* ]] && continue
		grep -qxF -- "$line" "$base_config" || gaps+=("${line%%=*}")
	done < <(requested_options "${fragments[@]}")
	((${#gaps[@]} == 0)) ||
		msg "your --config lacks ${#gaps[@]} option(s) test_hmm and scripts/vm-run need; adding: ${gaps[*]}"
}

# Writes $objdir/.config: tinyconfig (or --config), hmmbench's fragments
# appended, olddefconfig; then the user's fragments and the label merged
# with the tree's own merge_config.sh, olddefconfig again; then the check.
# A plain build takes exactly the first steps, as it always has.
configure_kernel() {
	local extra=()
	if [[ -n $base_config ]]; then
		report_config_gaps
		cp -- "$base_config" "$objdir/.config"
	else
		with_progress "tinyconfig" "$log" kmake tinyconfig || die "tinyconfig failed; see $log"
	fi
	cat "${fragments[@]}" >>"$objdir/.config"
	with_progress "olddefconfig" "$out/config.log" kmake olddefconfig || die "olddefconfig failed; see $out/config.log"
	extra_fragments
	if ((${#extra[@]})); then
		[[ -f $srcdir/scripts/kconfig/merge_config.sh ]] ||
			die "this tree has no scripts/kconfig/merge_config.sh to merge --fragment with"
		(cd "$objdir" && sh "$srcdir/scripts/kconfig/merge_config.sh" -m -O "$objdir" \
			"$objdir/.config" "${extra[@]}") >"$out/merge.log" 2>&1 ||
			die "merge_config.sh failed; see $out/merge.log"
		with_progress "olddefconfig" "$out/config.log" kmake olddefconfig || die "olddefconfig failed; see $out/config.log"
	fi
	check_options "$objdir/.config" "${fragments[@]}" ${extra[@]+"${extra[@]}"}
}

# A JSON string: backslash, quote and control characters escaped.
json_str() {
	local s=$1
	s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\t'/\\t}; s=${s//$'\n'/\\n}
	s=$(printf '%s' "$s" | tr -d '\000-\037')
	printf '"%s"' "$s"
}

# {"name", "sha256", "from", "path"} per file, comma-separated.
json_items() {
	local from=$1 f sep=
	shift
	for f in "$@"; do
		printf '%s{"name": %s, "sha256": "%s", "from": %s, "path": %s}' "$sep" \
			"$(json_str "$(basename -- "$f")")" "$(sha256_of "$f")" "$(json_str "$from")" "$(json_str "$f")"
		sep=', '
	done
}

json_source() {
	local head describe
	if [[ $source_id == debian:* ]]; then
		printf '{"id": %s, "kind": "debian", "package": %s, "version": %s}' "$(json_str "$source_id")" \
			"$(json_str "linux-source-$version")" "$(json_str "$full")"
	elif head=$(git -C "$srcdir" rev-parse HEAD 2>/dev/null); then
		describe=$(git -C "$srcdir" describe --always --dirty 2>/dev/null || echo "$head")
		printf '{"id": %s, "kind": "git", "path": %s, "head": "%s", "describe": %s}' "$(json_str "$source_id")" \
			"$(json_str "$srcdir")" "$head" "$(json_str "$describe")"
	else
		printf '{"id": %s, "kind": "tree", "path": %s}' "$(json_str "$source_id")" "$(json_str "$srcdir")"
	fi
}

# What the config was made from, as hashes and in words; the label is not
# part of it (it only sets CONFIG_LOCALVERSION), so two builds that differ
# only by their patches or label have the same config inputs.
config_inputs() {
	local f words=tinyconfig
	{
		if [[ -n $base_config ]]; then
			echo "config $(sha256_of "$base_config")"
		else
			echo tinyconfig
		fi
		for f in "${fragments[@]}" ${user_fragments[@]+"${user_fragments[@]}"}; do
			echo "fragment $(sha256_of "$f")"
		done
	} | sha256sum | cut -c1-64
	[[ -z $base_config ]] || words="$(basename -- "$base_config")"
	for f in "${fragments[@]}" ${user_fragments[@]+"${user_fragments[@]}"}; do
		words+=" + $(basename -- "$f")"
	done
	echo "$words"
}

# $out/build.json: everything this cache entry was built from.
write_build_json() {
	local rel ci lab=null base=null
	rel=$(cat "$out/release" 2>/dev/null || echo "")
	mapfile -t ci < <(config_inputs)
	[[ -z $label ]] || lab=$(json_str "$label")
	[[ -z $base_config ]] || base=$(json_items --config "$base_config")
	local frags
	frags=$(json_items hmmbench "${fragments[@]}")
	((${#user_fragments[@]} == 0)) || frags+=", $(json_items --fragment "${user_fragments[@]}")"
	{
		printf '{"schema": 1, "made_by": "scripts/kernel-build", "cache_key": "%s",\n' "$key"
		printf ' "release": %s, "label": %s, "flavour": %s,\n' "$(json_str "$rel")" "$lab" "$(json_str "$flavour")"
		printf ' "source": %s,\n' "$(json_source)"
		printf ' "patches": [%s],\n' "$(json_items --patch ${patch_files[@]+"${patch_files[@]}"})"
		printf ' "fragments": [%s],\n' "$frags"
		printf ' "base_config": %s,\n' "$base"
		printf ' "config_inputs": {"sha256": "%s", "describe": %s},\n' "${ci[0]}" "$(json_str "${ci[1]}")"
		printf ' "compiler": %s}\n' "$(json_str "$compiler")"
	} >"$out/build.json.tmp"
	mv -f "$out/build.json.tmp" "$out/build.json"
	# The patches themselves, so a run's records can carry them.
	if ((${#patch_files[@]})); then
		rm -rf "$out/patches.d"; mkdir -p "$out/patches.d"
		local i=0 f
		for f in "${patch_files[@]}"; do
			cp -- "$f" "$out/patches.d/$(printf '%04d' $((++i)))-$(basename -- "$f")"
		done
	fi
}
