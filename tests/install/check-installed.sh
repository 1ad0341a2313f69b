#!/usr/bin/env bash
# An installed hmmbench as a user meets it: run from /, with no checkout
# in its environment. It must find its scripts (libexec) and they their
# data and the installed binary; every command it lists must have a man
# page that renders without a warning; the bash completion must load.
# Usage: check-installed.sh BINARY MAN1DIR COMPLETION-FILE (paths as
# installed, DESTDIR included). TAP on stdout; exit 1 if a check failed.
# Run by 'make installcheck' (so by 'make distcheck') and by
# tests/host/install.sh after a DESTDIR install.
set -uo pipefail
bin=$1 man1=$2 completion=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/fake-kernel.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hmmbench-installcheck.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"; shift
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
}
# The installed binary, as a user runs it.
hb() { (cd / && env -u HMMBENCH_SRCDIR -u HMMBENCH_BIN -u HMMBENCH_BUILD_DIR "$bin" "$@"); }

[[ -x $bin ]] || { echo "Bail out! no installed hmmbench at $bin"; exit 1; }
bin=$(realpath -- "$bin")
hb --help >"$WORK/help" 2>&1
commands=$(awk '/^example/ { exit } /^  [a-z]/ { print $1 }' "$WORK/help")
scripts=$(sed -n 's/^kernels and guests (scripts, in \(.*\)):$/\1/p' "$WORK/help")
echo "1..$((7 + $(echo "$commands" | wc -l)))"

if [[ -n $scripts && -f $scripts/paths.sh && -x $scripts/matrix ]]; then
	ok "hmmbench --help, run from /, names the installed scripts: $scripts"
else
	not_ok "hmmbench --help, run from /, names the installed scripts" "scripts: '$scripts'" "$(cat "$WORK/help")"
fi

rc=0
hb matrix --help >"$WORK/out" 2>&1 || rc=$?
if [[ $rc == 0 ]] && grep -q '^usage: .*matrix' "$WORK/out"; then
	ok "hmmbench matrix --help runs the installed script from /"
else
	not_ok "hmmbench matrix --help runs the installed script from /" "exit $rc" "$(head -n 5 "$WORK/out")"
fi

# What the installed lib.sh resolves: the binary beside it, its data.
got=$(env -u HMMBENCH_BIN bash -c '. "$1/lib.sh" && printf "%s\n" "$INSTALLED_BIN" "$KCONFIG_DIR" "$JOBS_DIR" "$TOP_DIR"' _ "$scripts" 2>&1)
want_bin=$bin
mapfile -t r <<<"$got"
if [[ ${r[0]:-} == "$want_bin" && -f ${r[1]:-}/test-hmm.fragment && -f ${r[2]:-}/crosscheck.ini && -z ${r[3]:-} ]]; then
	ok "the installed scripts find this binary, the kconfig fragments and the job files"
else
	not_ok "the installed scripts find this binary, the kconfig fragments and the job files" \
		"want binary $want_bin; lib.sh said:" "$got"
fi

# kernel-build reads its fragments (and one by name) from the installed data.
export HMMBENCH_CACHE=$WORK/cache
fake_debian_cache "$HMMBENCH_CACHE" 7.2 7.2.13-1 >/dev/null
rc=0
hb kernel-build --offline --version 7.2 --fragment gpu-nouveau-svm.fragment --print-key >"$WORK/out" 2>&1 || rc=$?
if [[ $rc == 0 ]] && grep -q '^key [0-9a-f]\{16\}$' "$WORK/out" && grep -q 'gpu-nouveau-svm' "$WORK/out"; then
	ok "installed kernel-build finds its fragments, a shipped one by name too"
else
	not_ok "installed kernel-build finds its fragments, a shipped one by name too" "exit $rc" "$(cat "$WORK/out")"
fi

# matrix checks the guests' binary before anything starts (--dry-run).
{ head -c 514 /dev/zero; printf HdrS; } >"$WORK/bzImage"
rc=0
hb matrix --dry-run -o "$WORK/m" "image:$WORK/bzImage" >"$WORK/out" 2>&1 || rc=$?
if [[ $rc == 0 ]] && grep -q ": boot $WORK/bzImage as it is; hmmbench run" "$WORK/out"; then
	ok "installed matrix --dry-run finds a hmmbench for its guests"
else
	not_ok "installed matrix --dry-run finds a hmmbench for its guests" "exit $rc" "$(cat "$WORK/out")"
fi

# Every command 'hmmbench --help' lists, and hmmbench itself, has a page
# that man renders without a warning (groff's -ww through man --warnings).
render() {
	local page=$1 err
	err=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >"$WORK/page.txt") || { echo "man failed: $err"; return 1; }
	[[ -z $err ]] || { echo "$err"; return 1; }
	grep -q '^NAME' "$WORK/page.txt" || { echo "no NAME section"; return 1; }
}
for name in hmmbench $(printf 'hmmbench-%s\n' $commands); do
	page=$man1/$name.1
	if [[ ! -f $page ]]; then
		not_ok "man page $name.1 is installed" "missing: $page"
	elif out=$(render "$page"); then
		ok "man -l $name.1 renders without warnings"
	else
		not_ok "man -l $name.1 renders without warnings" "$out"
	fi
done

# The completion loads and completes a command's name.
out=$(bash -c '. "$1" && complete -p hmmbench && COMP_WORDS=("$2" matr) COMP_CWORD=1 && _hmmbench && echo "${COMPREPLY[*]}"' \
	_ "$completion" "$bin" 2>&1)
if [[ $out == *"-F _hmmbench hmmbench"* && $out == *$'\n'matrix ]]; then
	ok "the installed bash completion loads and completes 'hmmbench matr'"
else
	not_ok "the installed bash completion loads and completes 'hmmbench matr'" "$out"
fi
exit $((failed > 0))
