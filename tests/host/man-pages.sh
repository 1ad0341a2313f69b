#!/usr/bin/env bash
# The man pages (man/): every command 'hmmbench --help' lists has one,
# installed by 'make install' (Makefile.am's dist_man1_MANS), that man
# renders without a warning (man --warnings: groff -ww), and that names
# every option the command's own --help lists (read by the same parser
# the bash completion uses), so a new option without its page fails here.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"
[[ -x $HMMBENCH_BIN ]] || bail "hmmbench binary '$HMMBENCH_BIN' not built; run make first"
command -v man >/dev/null 2>&1 || { echo "1..0 # SKIP man is not installed (apt-get install man-db)"; exit 0; }
. "$SRCDIR/completion/hmmbench.bash"
commands=$("$HMMBENCH_BIN" --help | awk '/^example/ { exit } /^  [a-z]/ { print $1 }')
tap_plan $((3 + 3 * $(echo "$commands" | wc -l)))

# The page's text as typed: roff's \- and font changes undone.
page_text() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' "$1"; }
render() {
	local err
	err=$(MANWIDTH=80 man --warnings -l "$1" 2>&1 >"$WORK/page.txt") || { echo "man failed: $err"; return 1; }
	[[ -z $err ]] || { echo "$err"; return 1; }
	grep -q '^NAME' "$WORK/page.txt" || { echo "no NAME section in the output"; return 1; }
}

for c in hmmbench $commands; do
	[[ $c == hmmbench ]] && page=$SRCDIR/man/hmmbench.1 || page=$SRCDIR/man/hmmbench-$c.1
	name=$(basename "$page")
	if [[ ! -f $page ]]; then
		not_ok "$name exists" "'hmmbench --help' lists '$c': write $page"
		[[ $c == hmmbench ]] || not_ok "$name names every option of 'hmmbench $c --help'" "no page"
		continue
	fi
	if grep -q "man/$name\\b" "$SRCDIR/Makefile.am"; then ok "$name exists and make install installs it"
	else not_ok "$name exists and make install installs it" "add man/$name to dist_man1_MANS in Makefile.am"; fi
	if out=$(render "$page"); then ok "man -l $name renders without warnings"
	else not_ok "man -l $name renders without warnings" "$out"; fi
	[[ $c == hmmbench ]] && continue
	# repro's sub-commands have options of their own.
	subs=$(_hmmbench_parse_help "$HMMBENCH_BIN" "$c" | awk -F '\t' '$1 == "sub" { print $2 }')
	missing=() text=$(page_text "$page")
	for w in "" $subs; do
		for o in $(_hmmbench_parse_help "$HMMBENCH_BIN" "$c" $w | awk -F '\t' '$1 != "sub" { print $1 }'); do
			[[ $o == --help || $o == -h ]] && continue
			grep -qF -- "$o" <<<"$text" || missing+=("${w:+$w }$o")
		done
	done
	if ((${#missing[@]} == 0)); then ok "$name names every option of 'hmmbench $c --help'"
	else not_ok "$name names every option of 'hmmbench $c --help'" "missing: ${missing[*]}"; fi
done

# hmmbench(1) names every command.
missing=() text=$(page_text "$SRCDIR/man/hmmbench.1")
for c in $commands; do grep -qw -- "$c" <<<"$text" || missing+=("$c"); done
if ((${#missing[@]} == 0)); then ok "hmmbench.1 names every command"
else not_ok "hmmbench.1 names every command" "missing: ${missing[*]}"; fi
exit $((TAP_FAILED > 0))
