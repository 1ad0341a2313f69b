#!/usr/bin/env bash
# make install into a staging tree (DESTDIR), then the installed hmmbench
# as a user meets it (tests/install/check-installed.sh: run from /, finds
# its scripts, data and man pages, completion loads); a missing script is
# a one-line error naming it; the tree still works once its prefix is
# moved elsewhere; the build tree's binary keeps using the checkout's
# scripts; make uninstall leaves no file behind.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"
BUILDDIR=${HMMBENCH_BUILDDIR:-$(dirname "$HMMBENCH_BIN")}
[[ -x $HMMBENCH_BIN ]] || bail "hmmbench binary '$HMMBENCH_BIN' not built; run make first"
root=$WORK/root

if make -s -C "$BUILDDIR" install DESTDIR="$root" >"$WORK/install.log" 2>&1; then
	ok "make install DESTDIR=... succeeds"
else
	not_ok "make install DESTDIR=... succeeds" "$(tail -n 20 "$WORK/install.log")"
	echo "1..$TAP_N"; exit 1
fi
bin=$(find "$root" -path '*/bin/hmmbench' -type f | head -n1)
man1=$(dirname "$(find "$root" -path '*/man1/hmmbench.1' | head -n1)")
completion=$(find "$root" -path '*/completions/hmmbench' -type f | head -n1)
scripts=$(dirname "$(find "$root" -path '*/hmmbench/paths.sh' | head -n1)")

# Its checks, numbered on after ours.
while IFS= read -r l; do
	case $l in
	"ok "*) ok "installed: ${l#ok * - }" ;;
	"not ok "*) not_ok "installed: ${l#not ok * - }" ;;
	"#"*|"Bail out!"*) echo "$l" ;;
	esac
done < <(bash "$SRCDIR/tests/install/check-installed.sh" "$bin" "$man1" "$completion" 2>&1)

rc=0
out=$(cd / && env -u HMMBENCH_SRCDIR -u HMMBENCH_BIN "$bin" --help 2>&1) || rc=$?
[[ $out == *"scripts, in $scripts)"* ]] && ok "the staged binary uses the staged scripts ($scripts)" ||
	not_ok "the staged binary uses the staged scripts" "want $scripts" "$out"

rc=0
out=$(cd / && env -u HMMBENCH_SRCDIR -u HMMBENCH_BIN "$bin" matrix --help 2>&1) || rc=$?
if [[ $rc == 0 && $out == "usage: hmmbench matrix "* && $out != *scripts/matrix* && $out != *scripts/kernel-build* ]]; then
	ok "installed 'hmmbench matrix --help' names the commands, not a checkout's scripts/"
else
	not_ok "installed 'hmmbench matrix --help' names the commands, not a checkout's scripts/" "exit $rc" "$(head -n 3 <<<"$out")"
fi

mv "$scripts/vm-run" "$WORK/vm-run.away"
rc=0
out=$(cd / && env -u HMMBENCH_SRCDIR "$bin" vm-run --help 2>&1) || rc=$?
if [[ $rc == 2 && $(wc -l <<<"$out") == 1 && $out == *"$scripts/vm-run"*"make install"* ]]; then
	ok "a missing script is one line naming it and how to fix it"
else
	not_ok "a missing script is one line naming it and how to fix it" "exit $rc" "$out"
fi
mv "$WORK/vm-run.away" "$scripts/vm-run"

# The prefix moved elsewhere (bindir, libexecdir and datadir under it).
prefix=$(dirname "$(dirname "$bin")")
if [[ $scripts == "$prefix"/* && $man1 == "$prefix"/* ]]; then
	mv "$prefix" "$WORK/moved"
	rc=0
	out=$(cd / && env -u HMMBENCH_SRCDIR -u HMMBENCH_BIN "$WORK/moved/bin/hmmbench" kernel-build --help 2>&1) || rc=$?
	if [[ $rc == 0 && $out == *"in $WORK/moved/share/hmmbench/kconfig"* ]]; then
		ok "a moved prefix still finds its scripts and their data"
	else
		not_ok "a moved prefix still finds its scripts and their data" "exit $rc" "$(grep -i -e kconfig -e error <<<"$out")"
	fi
	mv "$WORK/moved" "$prefix"
else
	ok "# SKIP libexecdir or mandir is outside the prefix: nothing to move"
fi

src_scripts=$(realpath "$SRCDIR/scripts")
out=$(env -u HMMBENCH_SRCDIR "$HMMBENCH_BIN" --help 2>&1)
[[ $out == *"scripts, in $src_scripts)"* ]] && ok "the build tree's binary uses the checkout's scripts" ||
	not_ok "the build tree's binary uses the checkout's scripts" "want $src_scripts" "$out"

make -s -C "$BUILDDIR" uninstall DESTDIR="$root" >"$WORK/uninstall.log" 2>&1
left=$(find "$root" -type f 2>/dev/null)
[[ -z $left ]] && ok "make uninstall leaves no file" || not_ok "make uninstall leaves no file" "$left"
echo "1..$TAP_N"
exit $((TAP_FAILED > 0))
