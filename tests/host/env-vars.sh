#!/usr/bin/env bash
# The README's "Environment variables" table against the code: every
# variable the C code reads with getenv(), and every HMMBENCH_* variable a
# script, test or Makefile.am reads, must have a row; every HMMBENCH_* row
# must still be read somewhere (a stale row fails too). Grep-based, so the
# scanner itself is checked on a file planted with a new variable.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"

tap_plan 4
cd "$SRCDIR" || bail "no source tree at '$SRCDIR'"

# The names in the first column of the README's table.
listed_names() {
	awk -F'|' '/^## Environment variables/ { on = 1; next } /^## / { on = 0 }
		on && /^\| `/ { print $2 }' README.md | grep -o '`[A-Za-z_][A-Za-z0-9_]*`' | tr -d '`' | sort -u
}

# C files: every name passed to getenv().
c_reads() {
	grep -ho 'getenv("[A-Za-z_][A-Za-z0-9_]*")' "$@" 2>/dev/null | sed 's/getenv("//; s/")//'
}

# Shell files and Makefile.am: HMMBENCH_* names read from the environment.
# A name is read when it is expanded with a default (${X:-...} / ${X-...}),
# or expanded ($X, ${X}, $(X)) where none of the files assigns it.
sh_reads() {
	local assigned used
	grep -hoE '\$\{HMMBENCH_[A-Z0-9_]+:?-' "$@" 2>/dev/null | sed -E 's/^\$\{//; s/:?-$//'
	assigned=$(grep -hoE '(^|[[:space:];(])(export[[:space:]]+)?HMMBENCH_[A-Z0-9_]+ ?[:+]?=' "$@" 2>/dev/null |
		grep -oE 'HMMBENCH_[A-Z0-9_]+' | sort -u)
	used=$(grep -hoE '\$[{(]?HMMBENCH_[A-Z0-9_]+' "$@" 2>/dev/null | grep -oE 'HMMBENCH_[A-Z0-9_]+' | sort -u)
	comm -23 <(echo "$used") <(echo "$assigned")
}

all_reads() {
	local c=() sh=() f
	while IFS= read -r f; do c+=("$f"); done < <(find . -path ./build -prune -o \
		-path './build-*' -prune -o \( -name '*.c' -o -name '*.h' \) -print | grep -v '^./fuzz/')
	while IFS= read -r f; do sh+=("$f"); done < <({ find scripts .ci -type f; find tests -name '*.sh';
		ls tests/bisect/make-history tests/criterion-tap 2>/dev/null; echo Makefile.am; } |
		grep -v -e '\.fragment$' -e '^tests/host/env-vars\.sh$')
	{ c_reads "${c[@]}"; sh_reads "${sh[@]}"; } | grep -v '^$' | sort -u
}

listed=$(listed_names)
reads=$(all_reads)
diag "read: $(echo $reads)"

# 1. The table exists and names the variables users set most.
if grep -qx HMMBENCH_CACHE <<<"$listed" && grep -qx HMMBENCH_RESULTS <<<"$listed"; then
	ok "the README has an environment table"
else
	not_ok "the README has an environment table" "listed: $(echo $listed)"
fi

# 2. Everything read is listed: getenv() names, and HMMBENCH_* names.
missing=$(comm -23 <(echo "$reads") <(echo "$listed"))
if [[ -z $missing ]]; then
	ok "every variable the code reads is in the README's table"
else
	not_ok "every variable the code reads is in the README's table" \
		"read but not listed (add a row to README.md 'Environment variables'):" $missing
fi

# 3. No stale HMMBENCH_* row.
stale=$(comm -13 <(echo "$reads") <(grep '^HMMBENCH_' <<<"$listed"))
if [[ -z $stale ]]; then
	ok "every HMMBENCH_* row of the table is still read"
else
	not_ok "every HMMBENCH_* row of the table is still read" "listed but read nowhere:" $stale
fi

# 4. The scanner sees a new variable in C and in a script.
printf 'const char *x = getenv("HMMBENCH_PLANTED_C");\n' >"$WORK/planted.c"
printf 'x=${HMMBENCH_PLANTED_SH:-1}\necho "$HMMBENCH_PLANTED_BARE"\nHMMBENCH_SET=1; echo "$HMMBENCH_SET"\n' >"$WORK/planted.sh"
got=$({ c_reads "$WORK/planted.c"; sh_reads "$WORK/planted.sh"; } | sort -u | tr '\n' ' ')
if [[ $got == "HMMBENCH_PLANTED_BARE HMMBENCH_PLANTED_C HMMBENCH_PLANTED_SH " ]]; then
	ok "the scanner finds a planted getenv(), \${X:-} and bare \$X, not an assigned name"
else
	not_ok "the scanner finds planted variables" "got: $got"
fi
finish
