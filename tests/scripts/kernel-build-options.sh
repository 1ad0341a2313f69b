#!/usr/bin/env bash
# scripts/kernel-build's option handling, fast: argument checks, the cache
# key's composition (--print-key) and whole builds of a fake kernel tree
# (tests/scripts/fake-kernel.sh) in a private cache with --offline, so no
# network, no compiler run and no real kernel source are needed.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"
. "$(dirname "$0")/fake-kernel.sh"

tap_plan 29
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

# --label, --fragment, --config: argument checks first.
printf 'CONFIG_FOO=y\n# CONFIG_DRM_VKMS is not set\n' >"$WORK/foo.fragment"
printf 'CONFIG_UNMET_BAR=y\n' >"$WORK/unmet.fragment"
printf '# nothing\n' >"$WORK/none.fragment"
printf 'CONFIG_64BIT=y\nCONFIG_MINE=y\nCONFIG_TEST_HMM=y\n' >"$WORK/my.config"
refused "--label with a space" "--label 'a b' must be" "${kb[@]}" --label 'a b' --print-key
refused "--label too long" "must be 1-32" "${kb[@]}" --label "$(printf 'x%.0s' {1..33})" --print-key
refused "--fragment that does not exist" "does not exist" "${kb[@]}" --fragment "$WORK/nope" --print-key
refused "--fragment that sets nothing" "sets no option" "${kb[@]}" --fragment "$WORK/none.fragment" --print-key
refused "--config that is not a config" "is not a kernel config" "${kb[@]}" --config "$WORK/none.fragment" --print-key
refused "--config twice" "given twice" "${kb[@]}" --config "$WORK/my.config" --config "$WORK/my.config" --print-key
refused "an option without its value" "--fragment needs a value" "${kb[@]}" --fragment

l=$(key_of --label mypatch) f=$(key_of --fragment "$WORK/foo.fragment") c=$(key_of --config "$WORK/my.config")
if [[ -n $l && -n $f && -n $c && $(printf '%s\n' "$plain" "$l" "$f" "$c" "$p1" | sort -u | wc -l) == 5 ]]; then
	ok "--label, --fragment and --config each change the key"
else
	not_ok "--label, --fragment and --config each change the key" "plain $plain label $l fragment $f config $c"
fi

# build NAME ARGS...: builds with the fake tree; sets entry.
build() {
	local bz
	bz=$("${kb[@]}" "${@:2}" 2>"$WORK/$1.err" | tail -n1)
	entry=${bz%/bzImage}
	[[ -f $bz ]] || { entry=/nonexistent; sed 's/^/# /' "$WORK/$1.err"; }
}
json() { jq -e "$1" "$entry/build.json" >/dev/null 2>&1; }

# Under another make (make check) -w adds "Entering directory" lines: not to the release.
plain_kb=("${kb[@]}")
kb=(env MAKEFLAGS=w MAKELEVEL=1 "${kb[@]}")
build label --label mypatch
kb=("${plain_kb[@]}")
check "--label: the release says the label, and only it" test "$(cat "$entry/release")" == 7.2.13-mypatch
check "--label: CONFIG_LOCALVERSION is in the config" grep -qx 'CONFIG_LOCALVERSION="-mypatch"' "$entry/config"

build frag --fragment "$WORK/foo.fragment"
check "--fragment: its options are in the config, a later 'is not set' winning" \
	eval 'grep -qx CONFIG_FOO=y "$entry/config" && ! grep -q "^CONFIG_DRM_VKMS=y" "$entry/config"'

rc=0
"${kb[@]}" --fragment "$WORK/unmet.fragment" >/dev/null 2>"$WORK/unmet.err" || rc=$?
check "--fragment: an option olddefconfig drops is named (exit $rc)" \
	eval '[[ $rc != 0 ]] && grep -q "did not survive olddefconfig.*CONFIG_UNMET_BAR" "$WORK/unmet.err"'

build config --config "$WORK/my.config"
check "--config: the user's options stay, hmmbench's are merged on top" \
	eval 'grep -qx CONFIG_MINE=y "$entry/config" && grep -qx CONFIG_9P_FS=y "$entry/config"'
check "--config: what the user's config lacked is said" grep -q "your --config lacks .*CONFIG_9P_FS" "$WORK/config.err"

if ! command -v jq >/dev/null 2>&1; then
	for i in 1 2 3; do ok "# SKIP jq is not installed (apt-get install jq)"; done
else
	build patched --patch "$WORK/answer.patch" --label fix --fragment "$WORK/foo.fragment"
	check "build.json names the source, patches, fragments and label" json '
		.source.kind == "debian" and .source.version == "7.2.13-1" and .label == "fix" and
		.release == "7.2.13-fix" and [.patches[].name] == ["answer.patch"] and
		[.fragments[] | "\(.from) \(.name)"] == ["hmmbench test-hmm.fragment", "--fragment foo.fragment"] and
		.config_inputs.describe == "tinyconfig + test-hmm.fragment + foo.fragment"'
	ci_patched=$(jq -r .config_inputs.sha256 "$entry/build.json")
	build plain
	rm -f "$entry/build.json"
	printf "make[1]: Entering directory '/x'\n7.2.13\nmake[1]: Leaving directory '/x'\n" >"$entry/release"
	build plain-again
	check "a cached entry without build.json gets one, with its release cleaned" \
		eval 'json ".label == null and .patches == [] and .cache_key != null and .release == \"7.2.13\"" &&
		      test "$(cat "$entry/release")" == 7.2.13'
	build patch-only --patch "$WORK/answer.patch" --label fix2 --fragment "$WORK/foo.fragment"
	check "patches and label leave the config inputs as they are" \
		test "$(jq -r .config_inputs.sha256 "$entry/build.json")" == "$ci_patched"
fi
finish
