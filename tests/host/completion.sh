#!/usr/bin/env bash
# The bash completion (completion/hmmbench.bash), sourced as bash-completion
# would, then called the way bash calls it (COMP_WORDS, COMP_CWORD) for
# commands, a C command's and a script's options, an option's choices
# read from the usage line, repro's sub-commands and their options, and a
# directory argument.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"
[[ -x $HMMBENCH_BIN ]] || bail "hmmbench binary '$HMMBENCH_BIN' not built; run make first"
tap_plan 10
. "$SRCDIR/completion/hmmbench.bash"

# comp WORD...: COMPREPLY, sorted, one per line, completing the last WORD.
comp() {
	(
		set +euo pipefail
		COMP_WORDS=("$HMMBENCH_BIN" "$@")
		COMP_CWORD=$#
		COMP_LINE="${COMP_WORDS[*]}" COMP_POINT=${#COMP_LINE}
		_hmmbench
		printf '%s\n' "${COMPREPLY[@]}" | sort
	)
}
# expect DESCRIPTION WANT WORD...: COMPREPLY (as one line) equals WANT.
expect() {
	local what=$1 want=$2 got; shift 2
	got=$(comp "$@" | paste -sd' ')
	if [[ $got == "$want" ]]; then ok "$what"; else not_ok "$what" "want: $want" "got:  $got"; fi
}

if complete -p hmmbench 2>/dev/null | grep -q -- '-F _hmmbench hmmbench$'; then
	ok "sourcing it registers _hmmbench for hmmbench"
else
	not_ok "sourcing it registers _hmmbench for hmmbench" "complete -p: $(complete -p hmmbench 2>&1)"
fi
all=$("$HMMBENCH_BIN" --help | awk '/^example/ { exit } /^  [a-z]/ { print $1 }' | sort | paste -sd' ')
got=$(comp "" | grep -v '^--' | paste -sd' ')
if [[ -n $all && $got == "$all" ]]; then ok "an empty word offers every command --help lists ($(wc -w <<<"$all"))"
else not_ok "an empty word offers every command --help lists" "want: $all" "got:  $got"; fi
expect "a command's prefix" "compare" com
expect "a C command's options" "--threshold" compare --thr
expect "an option's choices from the usage line" "json text tsv" compare --format ""
expect "a script command's options" "--dry-run" matrix --dry
expect "a script option's choices" "debug default" kernel-build --flavour ""
expect "repro's sub-commands" "--help generate minimize report try" repro ""
expect "a sub-command's own options" "--boots" repro try --boo
mkdir -p "$WORK/d/resdir" && touch "$WORK/d/resfile"
expect "a DIR argument completes directories only" "$WORK/d/resdir" run -o "$WORK/d/res"
exit $((TAP_FAILED > 0))
