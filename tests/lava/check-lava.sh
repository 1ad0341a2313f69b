#!/usr/bin/env bash
# make check-lava: hmmbench as a LAVA payload, end to end, with LAVA's own
# dispatcher and no server. scripts/lava-job writes a job for the 7.2 test
# kernel and the smoke suite; lava-run (Debian's lava-dispatcher) runs it
# on a local qemu device under TCG, with file:// URLs only; import-lava
# rebuilds the run from the job's log; compare, report and export read it;
# every summary row and every case is a LAVA test case with its
# measurement; and a scripts/matrix run of the same kernel merges with it.
#
# Setup: lava-dispatcher is installed here if lava-run is missing (about
# 150 Debian packages with --no-install-recommends; see the README), never
# by scripts/test or scripts/quickstart.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"
# Our own work directory, kept when a check failed (lib.sh removes its own).
rmdir "$WORK"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/check-lava.XXXXXX")
trap '((TAP_FAILED)) || rm -rf "$WORK"' EXIT
PY=/usr/bin/python3	# Debian's, with lava_common and python3-yaml
START=$SECONDS

install_lava() {
	local sudo= log=$WORK/apt-lava-dispatcher.log t=$SECONDS
	if ((EUID != 0)); then
		command -v sudo >/dev/null && sudo -n true 2>/dev/null ||
			{ echo "1..0 # SKIP lava-run is missing and installing lava-dispatcher needs root (apt-get install --no-install-recommends lava-dispatcher)"; exit 0; }
		sudo=sudo
	fi
	echo "# installing lava-dispatcher (Debian's LAVA dispatcher, for lava-run); log: $log"
	{ $sudo apt-get update -qq &&
	  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends lava-dispatcher; } \
		>"$log" 2>&1 || bail "apt-get install lava-dispatcher failed; see $log"
	echo "# lava-dispatcher installed in $((SECONDS - t))s: $(grep -c '^Setting up' "$log") packages set up"
}
command -v lava-run >/dev/null 2>&1 || install_lava
require_qemu 18

bz=$(kernel_for 7.2)
lava=$WORK/lava
host_vm="$(hostname 2>/dev/null | tr -c 'A-Za-z0-9.\n-' _)-vm"

# 1-4: the job.
t=$SECONDS
"$SRCDIR/scripts/lava-job" --kernel "$bz" --suite smoke --hmmbench "$HMMBENCH_BIN" \
	--host "$host_vm" -o "$lava" >"$WORK/lava-job.out" 2>&1
rc=$?
check "lava-job writes job.yaml, bzImage and initrd.gz (exit $rc, $((SECONDS - t))s)" \
	test "$rc" = 0 -a -s "$lava/job.yaml" -a -s "$lava/bzImage" -a -s "$lava/initrd.gz"
"$SRCDIR/scripts/lava-job" --kernel "$bz" --suite smoke --hmmbench "$HMMBENCH_BIN" \
	--device-type x86 --backend nouveau --url http://lab.example/hmmbench -o "$WORK/x86" \
	>"$WORK/lava-job-x86.out" 2>&1
# LAVA's own schema (lava_common, as lava-server validates a submission).
validate() {
	"$PY" - "$1" <<-'EOF'
	import sys, yaml
	from lava_common.schemas import validate
	validate(yaml.safe_load(open(sys.argv[1])), strict=True)
	EOF
}
check "the qemu job passes LAVA's job schema" validate "$lava/job.yaml"
check "the x86 board job (tftp, ipxe, --backend nouveau) passes LAVA's job schema" validate "$WORK/x86/job.yaml"
# Nothing may reach the network: every URL the qemu job names is file://.
check "the qemu job names file:// URLs only" \
	eval '! grep -E "url:" "$lava/job.yaml" | grep -qv "url: file://"'

# 5: lava-run on a local qemu device (TCG: no_kvm).
t=$SECONDS
out=$lava/out
mkdir -p "$out"
timeout 1800 lava-run --job-id 1 --output-dir "$out" --device "$SRCDIR/tests/lava/qemu-device.yaml" \
	"$lava/job.yaml" >"$out/lava-run.stdout" 2>"$out/output.yaml" </dev/null
rc=$?
lava_secs=$((SECONDS - t))
diag "lava-run: exit $rc in ${lava_secs}s; log: $out/output.yaml"
check "lava-run: the job passed (exit $rc, result.yaml says pass)" \
	eval 'test "$rc" = 0 && grep -q "result: pass" "$out/result.yaml"'

# 6-7: import, twice (the second changes nothing).
imp=$WORK/imported
"$HMMBENCH_BIN" import-lava "$out" -o "$imp" >"$WORK/import.out" 2>&1
rc=$?
run=$(find "$imp" -name records.jsonl -printf '%h\n' | head -n1)
check "import-lava rebuilds one run (exit $rc): $(head -n1 "$WORK/import.out")" \
	eval 'test "$rc" = 0 -a "$(find "$imp" -name records.jsonl | wc -l)" = 1 -a -f "$run/probe.json" -a -x "$run/reproduce.sh"'
"$HMMBENCH_BIN" import-lava "$out/output.yaml" -o "$imp" >"$WORK/import2.out" 2>&1
check "import-lava again: already imported, nothing added" \
	eval 'grep -q "^already imported:" "$WORK/import2.out" && test "$(find "$imp" -name records.jsonl | wc -l)" = 1'

# 8: every summary row and every case is a LAVA test case, with its
# measurement and unit; the records came back whole (the end record).
"$PY" - "$out/output.yaml" "$run/records.jsonl" >"$WORK/cases.out" 2>&1 <<'EOF'
import json, re, sys, yaml

def size(b):
    u = -1
    while b >= 1024 and b % 1024 == 0 and u < 3:
        b //= 1024; u += 1
    return str(b) if u < 0 else "%d%s" % (b, "KMGT"[u])

def case_id(bench, params, metric):
    items = []
    for k, v in params.items():
        if k == "size" and isinstance(v, int): items.append(size(v))
        elif isinstance(v, str): items.append(v)
        elif isinstance(v, bool): items.append("%s=%s" % (k, str(v).lower()))
        elif isinstance(v, int): items.append("%s=%d" % (k, v))
        else: items.append("%s=%g" % (k, v))
    s = "%s.%s.%s" % (bench, "-".join(items) or "-", metric)
    return re.sub(r"[^A-Za-z0-9._+=/%-]", "_", s)

lava = {}
for line in open(sys.argv[1]):
    if '"lvl": "results"' not in line:
        continue
    r = yaml.safe_load(line.lstrip("- "))["msg"]
    if r.get("definition") == "hmmbench":
        lava[r["extra"]["test_case_id"]] = r
recs = [json.loads(l) for l in open(sys.argv[2])]
summaries = [r for r in recs if r["type"] == "summary"]
bad = 0
for s in summaries:
    cid = case_id(s["bench"], s["params"], s["metric"])
    r = lava.get(cid)
    med = s["stats"]["median"]
    if not r or r["result"] != "pass" or r["units"] != s["unit"] or \
       abs(float(r["measurement"]) - med) > 1e-5 * max(abs(med), 1e-9):
        print("missing or wrong:", cid, med, s["unit"], r); bad += 1
cases = [k for k in lava if lava[k]["units"] in ("s", "exit-status")]
print("%d summary rows, %d LAVA measurements; %d cases (%s)" %
      (len(summaries), len(lava) - len(cases), len(cases), ", ".join(
          "%s %s" % (k, lava[k]["result"]) for k in cases)))
ok = summaries and not bad and len(lava) - len(cases) == len(summaries) and \
     cases and all(lava[k]["result"] == "pass" for k in cases) and \
     "guest-command" in lava and \
     recs[-1]["type"] == "end" and recs[-1]["status"] == "complete"
sys.exit(0 if ok else 1)
EOF
rc=$?
diag "$(tail -n1 "$WORK/cases.out")"
check "every summary row is a LAVA test case with its median and unit; every case and the guest command passed; the run is complete" \
	test "$rc" = 0
[[ $rc == 0 ]] || sed 's/^/# /' "$WORK/cases.out"

# 9-10: report and compare read the imported run.
"$HMMBENCH_BIN" report "$imp" -o "$WORK/report" >"$WORK/report.out" 2>&1
rc=$?
check "report reads the imported run (exit $rc)" \
	eval 'test "$rc" = 0 -a -s "$WORK/report/index.html" -a -s "$WORK/report/summary.txt"'
rel=$(basename -- "$(dirname -- "$run")")
"$HMMBENCH_BIN" compare "$imp/$rel" "$imp/$rel" >"$WORK/compare-self.out" 2>&1
rc=$?
# A run against itself is no comparison: refused in one line (check 15
# compares the imported run with the matrix's).
check "compare reads it, and refuses the run against itself in one line (exit $rc)" \
	eval 'test "$rc" = 2 && test "$(wc -l <"$WORK/compare-self.out")" = 1 && grep -q "same" "$WORK/compare-self.out"'

# 11: export: a KCIDB test per summary row, and the kernel's source id and
# config hash as the run recorded them (the release when it did not).
"$HMMBENCH_BIN" export --format kcidb "$imp" -o "$WORK/kcidb.json" 2>"$WORK/export.err"
rc=$?
"$PY" - "$WORK/kcidb.json" "$run/records.jsonl" >"$WORK/export.out" 2>&1 <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
recs = [json.loads(l) for l in open(sys.argv[2])]
k = recs[0]["kernel"]
sid = (k.get("source") or {}).get("id")
sha = (k.get("config") or {}).get("sha256")
want_c = "hmmbench:" + (sid or "release:" + k["release"])
want_b = want_c + ":config:" + (sha or "unknown") if sha or not k.get("build") else None
c, b = d["checkouts"][0]["id"], d["builds"][0]["id"]
done = sum(t["status"] == "DONE" for t in d["tests"])
rows = sum(r["type"] == "summary" for r in recs)
print("checkout %s, build %s, %d DONE tests for %d summary rows" % (c, b, done, rows))
sys.exit(0 if c == want_c and (want_b is None or b == want_b) and done == rows else 1)
EOF
ok_export=$?
diag "$(tail -n1 "$WORK/export.out")"
check "export --format kcidb: a DONE test per summary row, the run's source id and config hash (exit $rc)" \
	test "$rc" = 0 -a "$ok_export" = 0

# 12-15: the same kernel through scripts/matrix; the trees merge.
t=$SECONDS
"$SRCDIR/scripts/matrix" --suite smoke --no-report --hmmbench "$HMMBENCH_BIN" -o "$WORK/matrix" 7.2 \
	>"$WORK/matrix.out" 2>&1
rc=$?
diag "matrix: exit $rc in $((SECONDS - t))s"
check "scripts/matrix runs the smoke suite on 7.2 (exit $rc)" \
	eval 'test "$rc" = 0 -a -d "$WORK/matrix/$rel"'
merged=$WORK/merged
mkdir -p "$merged"
cp -r "$imp/." "$merged/" && cp -r "$WORK/matrix/$rel" "$merged/"
"$HMMBENCH_BIN" ls "$merged" >"$WORK/ls.out" 2>&1
check "the merged tree holds both runs of $rel (LAVA and matrix)" \
	eval 'test "$(grep -c "^$rel .* complete " "$WORK/ls.out")" = 2 && grep -q -- "-lava-" "$WORK/ls.out"'
"$HMMBENCH_BIN" report "$merged" -o "$WORK/report-merged" >"$WORK/report-merged.out" 2>&1
rc=$?
check "report merges them: 2 runs of $rel (exit $rc)" \
	eval 'test "$rc" = 0 && grep -q "2 runs" "$WORK/report-merged/summary.txt"'
"$HMMBENCH_BIN" compare "$WORK/matrix/$rel" "$imp/$rel" >"$WORK/compare.out" 2>&1
rc=$?
diag "compare matrix vs LAVA: exit $rc, $(grep -E '^[0-9]+ compared' "$WORK/compare.out")"
check "compare takes the matrix run as base and the LAVA run as new (exit $rc: 0 or 1, every row comparable)" \
	eval '((rc == 0 || rc == 1)) && grep -qE "^[1-9][0-9]* compared: .*; 0 not comparable" "$WORK/compare.out"'

# 16-17: a damaged or cut-off log is refused, naming what.
sed '0,/HMMBENCH_FILE: [A-Za-z0-9+\/]\{20\}/s//HMMBENCH_FILE: AAAAAAAAAAAAAAAAAAAA/' "$out/output.yaml" >"$WORK/damaged.yaml"
"$HMMBENCH_BIN" import-lava "$WORK/damaged.yaml" -o "$WORK/damaged" >"$WORK/damaged.out" 2>&1
rc=$?
check "a damaged data line: exit 2 (got $rc), 'damaged on the way'" \
	eval 'test "$rc" = 2 && grep -q "damaged on the way" "$WORK/damaged.out"'
n=$(grep -n 'HMMBENCH_FILE: ' "$out/output.yaml" | tail -n1 | cut -d: -f1)
head -n "$n" "$out/output.yaml" >"$WORK/cut.yaml"
"$HMMBENCH_BIN" import-lava "$WORK/cut.yaml" -o "$WORK/cut" >"$WORK/cut.out" 2>&1
rc=$?
check "a log cut off mid-file: exit 2 (got $rc), 'cut off'" \
	eval 'test "$rc" = 2 && grep -q "cut off" "$WORK/cut.out"'

# 18: the guest's verdict is the job's: a failing case is a LAVA fail.
check "no hmmbench case failed or was skipped in LAVA's results" \
	eval '! grep "\"definition\": \"hmmbench\"" "$out/output.yaml" | grep -q "\"result\": \"\(fail\|skip\)\""'

diag "check-lava took $((SECONDS - START))s (lava-run ${lava_secs}s); work: $WORK$( ((TAP_FAILED)) && echo ' (kept)' || echo ' (removed)')"
((TAP_FAILED == 0)) || exit 1
