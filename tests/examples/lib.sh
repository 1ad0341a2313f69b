# shellcheck shell=bash
# Shared by tests/host/readme-examples.sh and tests/vm/readme-examples.sh:
# the examples table (tests/examples/examples.list) and the scratch
# directory the examples run in. Sourced after tests/vm/lib.sh.
. "$SRCDIR/tests/examples/extract.sh"
. "$SRCDIR/tests/scripts/fake-kernel.sh"
EXAMPLES_LIST=$SRCDIR/tests/examples/examples.list

# KIND<TAB>ARG<TAB>COMMAND for every row of the table.
examples_table() {
	grep -v -e '^#' -e '^$' "$EXAMPLES_LIST"
}

# The rows whose KIND is $1 or starts with "$1:".
examples_of_kind() {
	examples_table | awk -F'\t' -v k="$1" '$1 == k || index($1, k ":") == 1'
}

# The scratch directory $1 the examples run in (see examples.list).
examples_scratch() {
	local d=$1 r
	mkdir -p "$d/bin" "$d/tmp" "$d/home" "$d/build" "$d/results"
	ln -s "$HMMBENCH_BIN" "$d/bin/hmmbench"
	ln -s "$HMMBENCH_BIN" "$d/build/hmmbench"
	printf '#!/bin/sh\nexec cat "$@"\n' >"$d/bin/less" && chmod +x "$d/bin/less"
	ln -s "$SRCDIR/scripts" "$d/scripts"
	cp -r "$SRCDIR/tests/fixtures/results-two-kernels/." "$d/results/"
	# A third kernel, for import-lava's compare example.
	mkdir -p "$d/results/7.3.4/run-c"
	sed 's/6\.12\.117/7.3.4/g' "$d/results/6.12.117/run-a/records.jsonl" \
		>"$d/results/7.3.4/run-c/records.jsonl"
	# A matrix's parts on two hosts, to merge.
	for r in 6.12.117 7.2.13; do
		mkdir -p "$d/part-$r"
		cp -r "$SRCDIR/tests/fixtures/results-two-kernels/$r" "$d/part-$r/"
	done
	# Reproducers as hmmbench repro minimize leaves them.
	mkdir -p "$d/results/7.2.13/RUN/repro-close-evict" "$d/DIR"
	"$HMMBENCH_BIN" repro generate --scenario close-evict --seed 1 --ops 50 \
		-o "$d/results/7.2.13/RUN/repro-close-evict/min" >/dev/null 2>&1 &&
		"$HMMBENCH_BIN" repro generate --scenario fail-alloc-race --seed 1 --ops 50 \
		-o "$d/DIR/min" >/dev/null 2>&1 || return 1
	# The user's files the examples name.
	cp "$SRCDIR/tests/kbuild/test_hmm-banner.patch" "$d/fix-race.patch"
	cp "$SRCDIR/tests/kbuild/test_hmm-banner.patch" "$d/fix.patch"
	printf '[sweep]\nbench=migrate\nsizes=2M,4M\npages=thp\ndirection=roundtrip\nrepetitions=3\n' >"$d/sweep.ini"
	fake_kernel_tree "$d/home/linux" 7.2.13
	{ head -c 514 /dev/zero; printf HdrS; } >"$d/tmp/bzImage"
}

# examples_run DIR KIND ARG COMMAND: runs one example in DIR; ok when its
# exit status is one of ARG's (a comma list). Output goes to $WORK/ex.out.
examples_run() {
	local d=$1 kind=$2 allowed=$3 cmd=$4 extra= rc=0
	[[ $kind == *:* ]] && extra=" ${kind#*:}"
	local run=${cmd//\/tmp\//$d/tmp/}
	(cd "$d" && HMMBENCH_CACHE=$HMMBENCH_CACHE HOME=$d/home PATH=$d/bin:$PATH \
		HMMBENCH_BIN=$HMMBENCH_BIN timeout "${EXAMPLE_TIMEOUT:-900}" \
		bash -c "$run$extra" </dev/null) >"$WORK/ex.out" 2>&1 || rc=$?
	if [[ ,$allowed, == *,$rc,* ]]; then
		ok "example runs (exit $rc): $cmd$extra"
	else
		not_ok "example runs: $cmd$extra" "exit $rc (want $allowed); last lines of its output:" \
			"$(tail -n 15 "$WORK/ex.out")"
	fi
}
HMMBENCH_CACHE=${HMMBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hmmbench}
