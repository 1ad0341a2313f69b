# bash completion for hmmbench(1)                          -*- shell-script -*-
# Commands come from 'hmmbench --help'; each command's options, and the
# choices of an option such as '--format text|tsv', from that command's
# own --help: completion matches the very binary being completed
# (./build/hmmbench as well as the installed one) and cannot drift from it.

declare -gA _hmmbench_help_cache

# "OPTION<TAB>ARG" per option of 'BIN WORDS... --help' (ARG: empty for a
# flag, the value's name such as DIR, or choices such as text|tsv), then
# "sub<TAB>NAME" per sub-command its usage lines name (repro try, ...).
_hmmbench_parse_help()
{
	"$@" --help 2>/dev/null | awk -v cmd="${*:2}" '
	function scan(s,   n, t, i, a) {
		gsub(/[][(),]/, " ", s)
		n = split(s, t, /[ \t]+/)
		for (i = 1; i <= n; i++) {
			if (t[i] !~ /^--?[A-Za-z][A-Za-z0-9-]*$/)
				continue
			a = (i < n && t[i + 1] !~ /^-/ && t[i + 1] != "|" && t[i + 1] !~ /^\.\.\./) ? t[i + 1] : ""
			if (!(t[i] in arg) || arg[t[i]] == "")
				arg[t[i]] = a
		}
	}
	/^usage:/ { usage = 1 }
	/^$/ { usage = 0 }
	usage {
		line = $0
		sub(/^usage: */, "", line); sub(/^ +/, "", line)
		if (cmd != "" && index(line, "hmmbench " cmd " ") == 1) {
			w = substr(line, length("hmmbench " cmd " ") + 1)
			sub(/ .*/, "", w)
			if (w ~ /^[a-z][a-z-]*$/)
				subs[w] = 1
		}
		scan(line)
		next
	}
	/^ +-/ { line = $0; sub(/^ +/, "", line); sub(/  .*/, "", line); scan(line) }
	END {
		arg["--help"] = arg["--help"]
		for (o in arg) printf "%s\t%s\n", o, arg[o]
		for (w in subs) printf "sub\t%s\n", w
	}'
}

# Cached _hmmbench_parse_help output for BIN WORDS...
_hmmbench_help()
{
	local key="$*"
	[[ -n ${_hmmbench_help_cache[$key]+set} ]] ||
		_hmmbench_help_cache[$key]=$(_hmmbench_parse_help "$@")
	printf '%s\n' "${_hmmbench_help_cache[$key]}"
}

_hmmbench()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev= bin=${COMP_WORDS[0]} help subs opt a
	local cmd=()
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	command -v -- "$bin" >/dev/null 2>&1 || bin=hmmbench

	if ((COMP_CWORD == 1)); then
		local commands
		commands=$("$bin" --help 2>/dev/null | awk '/^example/ { exit } /^  [a-z]/ { print $1 }')
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi
	cmd=("${COMP_WORDS[1]}")
	help=$(_hmmbench_help "$bin" "${cmd[@]}")
	subs=$(awk -F '\t' '$1 == "sub" { print $2 }' <<<"$help")
	if [[ -n $subs ]]; then
		if ((COMP_CWORD == 2)); then
			COMPREPLY=($(compgen -W "$subs --help" -- "$cur"))
			return
		fi
		if [[ $'\n'$subs$'\n' == *$'\n'${COMP_WORDS[2]}$'\n'* ]]; then
			cmd+=("${COMP_WORDS[2]}")
			help=$(_hmmbench_help "$bin" "${cmd[@]}")
		fi
	fi

	# The value of the option before the cursor.
	if [[ $prev == -* ]]; then
		a=$(awk -F '\t' -v o="$prev" '$1 == o { print $2; exit }' <<<"$help")
		case $a in
		'') ;;
		*'|'*)
			if [[ $a != *[A-Z]* ]]; then
				COMPREPLY=($(compgen -W "${a//|/ }" -- "$cur"))
				return
			fi ;;
		DIR) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
		N|PCT|A|S|D|NAME|LIST|SPEC) return ;;
		*) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
		esac
	fi
	if [[ $cur == -* ]]; then
		opt=$(awk -F '\t' '$1 != "sub" { print $1 }' <<<"$help")
		COMPREPLY=($(compgen -W "$opt" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
	compopt -o filenames 2>/dev/null
}
complete -F _hmmbench hmmbench
