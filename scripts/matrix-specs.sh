# shellcheck shell=bash
# Sourced by scripts/matrix: kernel specs, all checked before anything
# starts (bad input: one line, exit 2).
#
#   SPEC    = BASE [+patch:FILE|DIR]... [+fragment:FILE]... [+config:FILE] [+label=NAME]
#   BASE    = a Debian version (6.1 6.12 7.2 7.3) | src:PATH | image:PATH
#
# A spec with a patch, fragment or config is a kernel of its own: it gets a
# label (label=NAME, else the first such file's name without extension), built
# into its release with kernel-build --label (uname -r: 7.2.13-NAME) and
# given to 'hmmbench run --label', so its runs never merge with the plain
# kernel's. Paths containing "+patch:", "+fragment:", "+config:" or "+label="
# cannot be given.
#
# Sets, per kernel i: kinds[i] (version, src, image), args[i] (the version
# or absolute path), labels[i] (the name in logs and progress lines),
# run_labels[i] (for 'hmmbench run --label', empty for a plain kernel) and
# kb_extra[i] (kernel-build options, separated by $'\x1f').

versions=$(sed -n 's/^SUPPORTED_VERSIONS="\(.*\)"$/\1/p' "$SCRIPTS_DIR/kernel-build")
kinds=() args=() labels=() run_labels=() kb_extra=() spec_keys=()

spec_die() { die "kernel '$spec': $*"; }

# A label from a file name: "0001-fix-race.patch" -> "fix-race".
label_from_file() {
	local b
	b=$(basename -- "$1")
	b=${b%.*}
	b=$(sed -E 's/^[0-9]{4}-//; s/[^A-Za-z0-9._+-]/_/g; s/^[._+-]+//' <<<"$b")
	printf '%s' "${b:0:32}"
}

# parse_spec SPEC: sets base and mods (TYPE<TAB>VALUE, in order).
parse_spec() {
	local rest=$1 re='^(.*)\+(patch:|fragment:|config:|label=)(.*)$'
	mods=()
	while [[ $rest =~ $re ]]; do
		mods=("${BASH_REMATCH[2]%[:=]}"$'\t'"${BASH_REMATCH[3]}" ${mods[@]+"${mods[@]}"})
		rest=${BASH_REMATCH[1]}
	done
	base=$rest
}

check_base() {
	local path
	case $base in
	src:*)
		path=${base#src:}
		[[ -d $path ]] || spec_die "'$path' is not a directory"
		[[ -f $path/Makefile && -f $path/Kconfig && -d $path/mm ]] ||
			spec_die "'$path' is not a kernel source tree (no Makefile, Kconfig and mm/)"
		[[ -f $path/lib/test_hmm.c ]] ||
			spec_die "'$path' has no lib/test_hmm.c; test_hmm first appeared in Linux 5.7"
		kind=src arg=$(realpath -- "$path") name=src-$(basename -- "$path") ;;
	image:*)
		path=${base#image:}
		[[ -f $path && -r $path ]] || spec_die "'$path' does not exist or is not readable"
		[[ $(od -An -c -j 514 -N 4 -- "$path" | tr -d ' ') == HdrS ]] ||
			spec_die "'$path' is not an x86 bzImage (no HdrS boot header)"
		kind=image arg=$(realpath -- "$path") name=image-$(basename -- "$path") ;;
	*)
		[[ " $versions " == *" $base "* ]] ||
			die "unknown kernel '$spec'; give a Debian version ($versions), src:PATH or image:PATH, optionally with +patch:FILE, +fragment:FILE, +config:FILE, +label=NAME"
		kind=version arg=$base name=$base ;;
	esac
}

# Checks the modifiers; sets extra (kernel-build options), run_label and
# explicit (whether the label was given).
check_mods() {
	local m type value first= nconfig=0
	extra=() run_label= explicit=0
	for m in ${mods[@]+"${mods[@]}"}; do
		type=${m%%$'\t'*} value=${m#*$'\t'}
		case $type in
		label)
			[[ $value =~ ^[A-Za-z0-9][A-Za-z0-9._+-]{0,31}$ ]] ||
				spec_die "label '$value' must be 1-32 letters, digits, '.', '_', '+' or '-', starting with a letter or digit"
			((!explicit)) || spec_die "give one +label=NAME"
			run_label=$value explicit=1 ;;
		patch)
			[[ $kind == version ]] ||
				spec_die "+patch: applies to a Debian version; apply your patches in your tree (src:) yourself"
			[[ -e $value ]] || spec_die "patch '$value' does not exist"
			extra+=(--patch "$(realpath -- "$value")") ;;
		fragment|config)
			[[ $kind != image ]] || spec_die "+$type: needs a kernel to build; image: is built already"
			[[ -f $value && -r $value ]] || spec_die "$type '$value' does not exist or is not readable"
			[[ $type == fragment ]] || ((++nconfig == 1)) || spec_die "give one +config:FILE"
			extra+=("--$type" "$(realpath -- "$value")") ;;
		esac
		[[ -n $first || $type == label ]] || first=$value
	done
	if [[ -z $run_label && -n $first ]]; then
		run_label=$(label_from_file "$first")
		[[ -n $run_label ]] || spec_die "cannot make a label of '$first'; add +label=NAME"
	fi
	return 0
}

# Adds the checked kernel; its name in logs is its label, else its base.
add_kernel() {
	local key n=2 l
	# The same kernel twice: same base and same modifiers, in any order.
	key=$kind:$arg:$(printf '%s\n' ${extra[@]+"${extra[@]}"} | sort | tr '\n' ' ')
	((!explicit)) || key+="label=$run_label"
	[[ " ${spec_keys[*]} " != *" $key "* ]] ||
		spec_die "given twice; use --repeat N for more runs of one kernel"
	name=${run_label:-${name//[^A-Za-z0-9._+-]/_}}
	if [[ -n $run_label ]] && ((explicit)) && [[ " ${labels[*]} " == *" $name "* ]]; then
		spec_die "label '$name' is taken by another kernel; give each its own +label=NAME"
	fi
	l=$name
	while [[ " ${labels[*]} " == *" $l "* ]]; do l=$name-$((n++)); done
	[[ -z $run_label ]] || run_label=$l
	# An image is booted as it is: its label names its runs only.
	[[ -z $run_label || $kind == image ]] || extra+=(--label "$run_label")
	local IFS=$'\x1f'
	kinds+=("$kind") args+=("$arg") labels+=("$l") run_labels+=("$run_label")
	kb_extra+=("${extra[*]}") spec_keys+=("$key")
}

check_kernel() {
	local spec=$1 base mods kind arg name extra run_label explicit
	parse_spec "$spec"
	check_base
	check_mods
	add_kernel
}

check_kernels() {
	((${#specs[@]})) || specs=(6.1 6.12 7.2 7.3)
	local s
	for s in "${specs[@]}"; do check_kernel "$s"; done
}

# kernel-build's options for kernel $1 beyond --flavour and the source.
kernel_extra_args() {
	local IFS=$'\x1f'
	extra=()
	[[ -z ${kb_extra[$1]} ]] || read -r -a extra <<<"${kb_extra[$1]}"
}
