#!/usr/bin/env bash
# scripts/kernel-build's option handling, fast: argument checks, the cache
# key's composition (--print-key) and whole builds of a fake kernel tree
# (tests/scripts/fake-kernel.sh) in a private cache with --offline, so no
# network, no compiler run and no real kernel source are needed.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"
. "$(dirname "$0")/fake-kernel.sh"

tap_plan 12
export HMMBENCH_CACHE=$WORK/cache
tree=$(fake_debian_cache "$HMMBENCH_CACHE" 7.2 7.2.13-1)
kb=("$KERNEL_BUILD" --offline --version 7.2)

# refused NAME PATTERN ARGS...: exit 2 with one line matching PATTERN.
refused() {
	local what=$1 pat=$2 rc=0; shift 2
	"$@" >"$WORK/out.txt" 2>&1 </dev/null || rc=$?
	if [[ $rc == 2 && $(wc -l <"$WORK/out.txt") == 1 ]] && grep -qE -- "$pat" "$WORK/out.txt"; then
		ok "$what"
	else
		not_ok "$what" "exit $rc, output:" "$(cat "$WORK/out.txt")"
	fi
}
key_of() { "${kb[@]}" --print-key "$@" 2>/dev/null | awk '$1 == "key" { print $2 }'; }

# A plain build's key is the one every cache entry made before --patch
# existed has: the recipe, source, flavour, compiler and fragment text.
compiler="$(gcc --version | head -n1); $(ld --version | head -n1)"
want=$( { echo "recipe 1"; echo "debian:linux-source-7.2=7.2.13-1"; echo default; echo "$compiler";
	cat "$SRCDIR/scripts/kconfig/test-hmm.fragment"; } | sha256sum | cut -c1-16)
plain=$(key_of)
if [[ -n $plain && $plain == "$want" ]]; then ok "a plain build keeps its cache key ($plain)"
else not_ok "a plain build keeps its cache key" "got '$plain', want '$want'"; fi

cat >"$WORK/answer.patch" <<'EOP'
--- a/lib/test_hmm.c
+++ b/lib/test_hmm.c
@@ -1,3 +1,3 @@
 // SPDX-License-Identifier: GPL-2.0
-static int dmirror_answer = 42;
+static int dmirror_answer = 43;
 /* the end */
EOP
sed 's/= 43;/= 44;/; s/-static int dmirror_answer = 42;/-static int dmirror_answer = 43;/' \
	"$WORK/answer.patch" >"$WORK/again.patch"
mkdir -p "$WORK/series" "$WORK/empty"
# Name order would be again, answer: the series file says otherwise.
cp "$WORK/answer.patch" "$WORK/again.patch" "$WORK/series/"
printf '# quilt order\nanswer.patch\nagain.patch -p1\n' >"$WORK/series/series"

p1=$(key_of --patch "$WORK/answer.patch")
p2=$(key_of --patch "$WORK/answer.patch" --patch "$WORK/again.patch")
p3=$(key_of --patch "$WORK/series")
if [[ -n $p1 && $p1 != "$plain" && $p2 != "$p1" && $p3 == "$p2" ]]; then
	ok "--patch is part of the key; a directory's series file gives the order"
else
	not_ok "--patch is part of the key; a directory's series file gives the order" "plain $plain, one $p1, two $p2, series $p3"
fi

refused "--patch with --src is refused" "applies to Debian sources" \
	"$KERNEL_BUILD" --src "$tree" --patch "$WORK/answer.patch" --print-key
refused "--patch of a missing file" "neither a file nor a directory" "${kb[@]}" --patch "$WORK/nope" --print-key
refused "--patch of a directory without patches" "holds no patches" "${kb[@]}" --patch "$WORK/empty" --print-key
refused "--patch of a file that is not a patch" "is not a patch" "${kb[@]}" --patch "$tree/Kconfig" --print-key

before=$(sha256sum <"$tree/lib/test_hmm.c")
bz=$("${kb[@]}" --patch "$WORK/series" 2>"$WORK/build.err" | tail -n1)
entry=${bz%/bzImage}
if [[ -f $bz && $(basename -- "$entry") == *-"$p3" ]]; then ok "a patched build lands in its own cache entry"
else not_ok "a patched build lands in its own cache entry" "got '$bz'" "$(tail -n 5 "$WORK/build.err")"; fi
check "the shared unpacked tree is untouched by the patches" \
	test "$(sha256sum <"$tree/lib/test_hmm.c")" == "$before"
patched=$(ls -d "$HMMBENCH_CACHE"/src/patched/*/linux-source-7.2 2>/dev/null | head -n1)
check "the patched copy holds both patches, in series order" \
	grep -q 'dmirror_answer = 44;' "${patched:-/nonexistent}/lib/test_hmm.c"
check "the cache entry lists the patches with their sha256" \
	grep -qE "^answer\.patch [0-9a-f]{64}$" "$entry/patches"
bz2=$("${kb[@]}" --patch "$WORK/series" 2>"$WORK/build2.err" | tail -n1)
check "the same series again is a cache hit" eval '[[ $bz2 == "$bz" ]] && grep -q "cached:" "$WORK/build2.err"'

# A patch that does not apply: one error line naming it; nothing cached.
sed 's/= 42;/= 41;/' "$WORK/answer.patch" >"$WORK/stale.patch"
rc=0
"${kb[@]}" --patch "$WORK/stale.patch" >/dev/null 2>"$WORK/stale.err" || rc=$?
if [[ $rc != 0 ]] && grep -q "patch 'stale.patch' does not apply to debian:linux-source-7.2=7.2.13-1" "$WORK/stale.err" &&
	! ls "$HMMBENCH_CACHE"/kernels/*/bzImage 2>/dev/null | grep -qv "$bz"; then
	ok "a patch that does not apply is named, and nothing is built"
else
	not_ok "a patch that does not apply is named, and nothing is built" "exit $rc" "$(cat "$WORK/stale.err")"
fi
finish
