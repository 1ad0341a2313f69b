# shellcheck shell=bash
# The commands the user is shown: in the README's code blocks and in every
# --help example of hmmbench and its scripts. Sourced by the examples tests.
# Each command is printed as one line "SOURCE<TAB>COMMAND": continuation
# lines joined with one space, a trailing "  # comment" dropped.

# Joins "\"-continued lines and drops comments and blank lines from stdin.
examples_join() {
	awk '{
		sub(/[ \t][ \t]+#.*$/, "")
		sub(/^[ \t]+/, ""); sub(/[ \t]+$/, "")
		if ($0 ~ /^#/ || $0 == "") { if (cur == "") next }
		if ($0 ~ /\\$/) { sub(/[ \t]*\\$/, ""); cur = cur (cur == "" ? "" : " ") $0; next }
		line = cur (cur == "" ? "" : " ") $0; cur = ""
		if (line != "") print line
	}'
}

# README.md: every line of a ```sh block, and "$ " lines of plain ``` blocks.
examples_readme() {
	local readme=$1
	awk '/^```/ { if (inb) { inb = 0 } else { inb = 1; lang = substr($0, 4) } next }
		inb && lang == "sh" { print; next }
		inb && lang == "" && /^\$ / { sub(/^\$ /, ""); print }' "$readme" | examples_join |
		sed 's/^/README.md\t/'
}

# An --help text on stdin: the indented lines after "example:"/"examples:".
examples_help_text() {
	awk 'tolower($0) ~ /^ *examples?:$/ { on = 1; next }
		on && (/^$/ || /^[^ \t]/) { on = 0 }
		on { print }' | examples_join
}

# Every --help example: hmmbench, each command and repro subcommand, and
# every executable script. $1: the hmmbench binary; $2: the source tree.
examples_help() {
	local bin=$1 src=$2 c s
	"$bin" --help | examples_help_text | sed 's/^/hmmbench --help\t/'
	for c in $("$bin" --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }'); do
		"$bin" "$c" --help | examples_help_text | sed "s/^/hmmbench $c --help\t/"
	done
	for s in try minimize report generate; do
		"$bin" repro "$s" --help | examples_help_text | sed "s/^/hmmbench repro $s --help\t/"
	done
	for s in "$src"/scripts/*; do
		[[ -f $s && -x $s ]] || continue
		"$s" --help </dev/null 2>&1 | examples_help_text | sed "s|^|scripts/${s##*/} --help\t|"
	done
}
