#!/usr/bin/env bash
# hmmbench repro minimize against a fake guest (tests/repro/fake-scripts/
# vm-run: an "Oops" exactly when the reproducer holds an EXCLUSIVE and a
# device READ), so the search itself is checked in seconds: the result
# must keep both kinds and little else, every kept step must be recorded,
# the original must be tried first, and --max-boots must bound the search.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"

command -v gcc >/dev/null 2>&1 || { echo "1..0 # SKIP gcc is needed to build reproducers"; exit 0; }
[[ -x $HMMBENCH_BIN ]] || bail "hmmbench binary '$HMMBENCH_BIN' not built; run make first"
tap_plan 16
export HMMBENCH_SRCDIR=$WORK/src FAKE_VM_LOG=$WORK/boots.log
mkdir -p "$WORK/src/scripts" "$WORK/r"
cp "$SRCDIR/tests/repro/fake-scripts/vm-run" "$WORK/src/scripts/"
printf 'fake bzImage\n' >"$WORK/bzImage"
echo 7.2.13 >"$WORK/release"
ops() { printf '"%s",' "$@" | sed 's/,$//'; }
cat >"$WORK/r/repro.json" <<JSON
{"schema": "hmmbench-repro/1", "scenario": "dev-access-race", "seed": "2", "chunks": 16,
 "thp": [1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],
 "failure": {"kind": "kernel-report", "report_kind": "Oops",
   "report": "BUG: unable to handle page fault for address: ff1100fcffc6b000\nRIP: 0010:dmirror_do_read+0x65/0x80\n"},
 "threads": [
  {"per_round": 12, "ops": [$(ops "cpu-read 0+512 0x1" "migrate-to-dev 512+512 0x2" "snapshot 0+16 0x3" "cpu-write 1024+8 0x4" "dev-read 512+512 0x5" "migrate-to-sys 0+512 0x6")]},
  {"per_round": 8, "ops": [$(ops "migrate-to-dev 2048+512 0x7" "cpu-read 2048+512 0x8" "exclusive 0+512 0x9" "snapshot 7000+3 0xa")]},
  {"per_round": 5, "ops": [$(ops "cpu-write 3072+512 0xb" "migrate-to-sys 3072+512 0xc" "cpu-read 100+4 0xd")]}
 ]}
JSON
"$HMMBENCH_BIN" repro minimize "$WORK/r" --kernel "$WORK/bzImage" --boots 1 --max-boots 60 \
	--seconds 1 >"$WORK/out" 2>"$WORK/err"
rc=$?
check "minimize exits 0 (got $rc)" test "$rc" = 0
[[ $rc == 0 ]] || tail -n 5 "$WORK/err" | sed 's/^/# /'
min=$WORK/r/min/repro.json
check "the first boot was the original, unchanged" \
	bash -c "head -n1 '$FAKE_VM_LOG' | grep -q 'candidates/1/repro.c' && grep -q '^candidate 1: the original -> 3 threads, 13 operations' '$WORK/err'"
check "what is left still holds an exclusive and a dev-read" \
	jq -e '[.threads[].ops[]] | (map(startswith("exclusive ")) | any) and (map(startswith("dev-read ")) | any)' "$min"
check "and nothing else: 2 operations ($(jq '[.threads[].ops | length] | add' "$min" 2>/dev/null))" \
	jq -e '[.threads[].ops | length] | add == 2' "$min"
check "page checks are off (a kernel report needs no contents checked)" jq -e '.page_checks == false' "$min"
check "every step kept is recorded with its sizes" \
	jq -e '(.minimize_steps | length) >= 3 and all(.minimize_steps[]; .what != null and .before != null and .after != null)' "$min"
check "the repro.c written beside it builds alone" \
	bash -c "cd '$WORK/r/min' && gcc -static -pthread -O2 -Wall -Werror -o repro repro.c"
check "the last line says before and after" \
	grep -q '^repro minimize: 3 threads, 13 operations, 32 MiB -> .* 2 operations' "$WORK/out"
"$HMMBENCH_BIN" repro minimize "$WORK/r" --kernel "$WORK/bzImage" --boots 1 --max-boots 3 \
	--seconds 1 -o "$WORK/bounded" >/dev/null 2>"$WORK/err2"
check "--max-boots 3 stops after 3 boots and keeps what it has" \
	bash -c "grep -q '(3 of 3 boots used)' '$WORK/err2' && ! grep -q '(4 of' '$WORK/err2' && test -s '$WORK/bounded/repro.json'"
# repro try on a directory it never saw: DIR/tries/ must be made first.
mkdir -p "$WORK/t" && cp "$WORK/r/min/repro.json" "$WORK/t/"
"$HMMBENCH_BIN" repro try "$WORK/t" --kernel "$WORK/bzImage" --boots 2 --seconds 1 \
	>"$WORK/try.out" 2>"$WORK/try.err"
check "repro try on a fresh directory boots twice and logs both boots ($(wc -l <"$WORK/t/tries.jsonl" 2>/dev/null))" \
	bash -c "grep -q ': 2 of 2 boots tripped' '$WORK/try.out' && test \$(wc -l <'$WORK/t/tries.jsonl') = 2"
"$HMMBENCH_BIN" repro report "$WORK/t" >"$WORK/report.txt" 2>&1
check "repro report gives the seconds the boots ran it (1 s, not the recorded run's) and says pages were touched" \
	bash -c "grep -q 'running the reproducer for 1 s' '$WORK/report.txt' && grep -q 'touch (not check) every page' '$WORK/report.txt'"
# Another kernel tried for longer: each row then says its own seconds.
head -n1 "$WORK/t/tries.jsonl" | jq -c '.release = "7.3.4" | .source_id = "debian:linux-source-7.3=7.3.4-1"
	| .program_seconds = 5' >>"$WORK/t/tries.jsonl"
"$HMMBENCH_BIN" repro report "$WORK/t" >"$WORK/report2.txt" 2>&1
check "kernels tried for different seconds: each row says its own (1 s and 5 s)" \
	bash -c "grep -qE '^  7\.2\.13 .* 2/2 in 1 s' '$WORK/report2.txt' && grep -qE '^  7\.3\.4 .* 1/1 in 5 s' '$WORK/report2.txt' && ! grep -q 'running the reproducer for' '$WORK/report2.txt'"
# One kernel tried for different seconds in two runs: its row gives both.
head -n1 "$WORK/t/tries.jsonl" | jq -c '.program_seconds = 4' >>"$WORK/t/tries.jsonl"
"$HMMBENCH_BIN" repro report "$WORK/t" >"$WORK/report4.txt" 2>&1
check "a kernel tried for 1 s and for 4 s says so (1-4 s), not only the longer" \
	grep -qE '^  7\.2\.13 .* 3/3 in 1-4 s' "$WORK/report4.txt"
# A keep_open model: the report says the device stays open, not that each round closes it.
jq '.keep_open = true' "$WORK/t/repro.json" >"$WORK/t/ko.json" && mv "$WORK/t/ko.json" "$WORK/t/repro.json"
"$HMMBENCH_BIN" repro report "$WORK/t" >"$WORK/report5.txt" 2>&1
check "a keep_open reproducer's report says the device stays open across rounds" \
	bash -c "grep -q 'stays open, closed once at exit' '$WORK/report5.txt' && ! grep -q 'close the device' '$WORK/report5.txt'"
jq 'del(.keep_open)' "$WORK/t/repro.json" >"$WORK/t/ko.json" && mv "$WORK/t/ko.json" "$WORK/t/repro.json"
# Operations a person wrote: the report never calls them recorded.
jq '.written = "Two threads written by hand to test the report."' "$WORK/t/repro.json" >"$WORK/t/w.json" &&
	mv "$WORK/t/w.json" "$WORK/t/repro.json"
"$HMMBENCH_BIN" repro report "$WORK/t" >"$WORK/report6.txt" 2>&1
check "a hand-written reproducer's report says it was written by hand, not recorded" \
	bash -c "grep -q 'written by hand, not recorded: Two threads written by hand' '$WORK/report6.txt' && ! grep -q 'recorded by hmmbench stress (scenario' '$WORK/report6.txt'"
jq 'del(.written)' "$WORK/t/repro.json" >"$WORK/t/w.json" && mv "$WORK/t/w.json" "$WORK/t/repro.json"
# A recorded report that starts with a driver's message: the subject
# quotes the report of a boot instead.
jq '.failure.report = "Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF\n" + .failure.report' \
	"$WORK/t/repro.json" >"$WORK/t/repro.json.new" && mv "$WORK/t/repro.json.new" "$WORK/t/repro.json"
"$HMMBENCH_BIN" repro report "$WORK/t" >"$WORK/report3.txt" 2>&1
check "the subject comes from a boot's report, not a message recorded before it" \
	grep -q '^Subject: \[BUG\] lib/test_hmm: BUG: unable to handle page fault via dmirror_do_read (7\.2\.13)$' "$WORK/report3.txt"
finish
