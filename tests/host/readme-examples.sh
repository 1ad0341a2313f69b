#!/usr/bin/env bash
# Every command the README's code blocks and the --help examples of
# hmmbench and its scripts show is classified in tests/examples/examples.list
# (an unclassified one fails: a new example must say how it is tested), no
# row is stale, and every example that can run on the host runs, with the
# arguments shown, and exits as it should. The examples that need the test
# kernels or a guest run in tests/vm/readme-examples.sh.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"
. "$SRCDIR/tests/examples/lib.sh"

[[ -x $HMMBENCH_BIN ]] || bail "hmmbench binary '$HMMBENCH_BIN' not built; run make first"
shown=$({ examples_readme "$SRCDIR/README.md"; examples_help "$HMMBENCH_BIN" "$SRCDIR"; } | sort -t$'\t' -k2 -u)
[[ -n $shown ]] || bail "no examples found in the README or --help"
classified=$(examples_table | cut -f3 | sort -u)
mapfile -t host_rows < <(examples_of_kind host)
tap_plan $((3 + ${#host_rows[@]}))

# 1. Both sources yield examples (the extraction itself works).
if grep -q $'^README.md\t' <<<"$shown" && grep -q $'^scripts/matrix --help\t' <<<"$shown"; then
	ok "examples found in the README and in --help texts ($(wc -l <<<"$shown") commands)"
else
	not_ok "examples found in the README and in --help texts" "$shown"
fi

# 2. Every example shown is classified.
missing=$(cut -f2- <<<"$shown" | sort -u | comm -23 - <(cut -f1 <<<"$classified") )
if [[ -z $missing ]]; then
	ok "every example is run or listed with a reason in tests/examples/examples.list"
else
	unclassified=()
	while IFS= read -r c; do
		unclassified+=("$(awk -F'\t' -v c="$c" '$2 == c { print $1 ": " c; exit }' <<<"$shown")")
	done <<<"$missing"
	not_ok "every example is run or listed with a reason in tests/examples/examples.list" \
		"not classified (add a row: host, vm, guest, or skip with the reason):" "${unclassified[@]}"
fi

# 3. No row names an example that is no longer shown.
stale=$(comm -13 <(cut -f2 <<<"$shown" | sort -u) <(cut -f1 <<<"$classified"))
if [[ -z $stale ]]; then
	ok "every row of examples.list is an example still shown"
else
	not_ok "every row of examples.list is an example still shown" "stale rows:" "$stale"
fi

# 4... The host examples, in the table's order, in one scratch directory.
d=$WORK/scratch
examples_scratch "$d" || bail "could not set up the scratch directory $d"
for row in "${host_rows[@]}"; do
	IFS=$'\t' read -r kind arg cmd <<<"$row"
	examples_run "$d" "$kind" "$arg" "$cmd"
done
finish
