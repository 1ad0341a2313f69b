#!/usr/bin/env bash
# hmmbench export --format kcidb against KernelCI's own schema: the KCIDB
# I/O schema v5.3 from kernelci/kcidb-io, vendored in tests/fixtures/kcidb/
# (its README says from where), validated the way kcidb-io validates
# (jsonschema's Draft7Validator with its format checker) by Debian's
# python3-jsonschema. Then every way a broken field must fail: a status
# KCIDB does not know, an id without its origin, a missing required
# field, a string for a number, an unknown property, a bad origin.
set -uo pipefail
SRCDIR=${HMMBENCH_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
HMMBENCH_BIN=${HMMBENCH_BIN:-$SRCDIR/hmmbench}
SCHEMA=$SRCDIR/tests/fixtures/kcidb/kcidb-io.schema.v5.3.json
PY=/usr/bin/python3	# Debian's, where python3-jsonschema installs
WORK=$(mktemp -d "${TMPDIR:-/tmp}/export-kcidb.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
N=0 FAILED=0

ok() { N=$((N + 1)); echo "ok $N - $*"; }
not_ok() { N=$((N + 1)); FAILED=$((FAILED + 1)); echo "not ok $N - $1"; shift; for l in "$@"; do echo "# $l"; done; }

if ! "$PY" -c 'import jsonschema' 2>/dev/null; then
	echo "1..0 # SKIP Debian's python3-jsonschema is not installed (apt-get install python3-jsonschema)"
	exit 0
fi
[[ -x $HMMBENCH_BIN ]] || { echo "Bail out! hmmbench binary '$HMMBENCH_BIN' not built; run make first"; exit 1; }
echo "1..11"

# validate FILE: exit 0 when valid, else 1 with the first error on stdout.
validate() {
	"$PY" - "$SCHEMA" "$1" <<-'EOF'
	import json, sys
	import jsonschema
	schema = json.load(open(sys.argv[1]))
	V = jsonschema.Draft7Validator
	checker = getattr(V, "FORMAT_CHECKER", None) or jsonschema.draft7_format_checker
	errors = sorted(V(schema, format_checker=checker).iter_errors(json.load(open(sys.argv[2]))),
	                key=lambda e: list(e.absolute_path))
	for e in errors[:1]:
	    print("%s: %s" % ("/".join(map(str, e.absolute_path)), e.message[:200]))
	sys.exit(1 if errors else 0)
	EOF
}

doc=$WORK/kcidb.json
fx=$SRCDIR/tests/fixtures
if "$HMMBENCH_BIN" export --format kcidb -o "$doc" "$fx/results-kcidb" "$fx/results-two-kernels" \
	"$fx/results-stress" 2>"$WORK/err"; then
	ok "export --format kcidb writes a document"
else
	not_ok "export --format kcidb writes a document" "$(cat "$WORK/err")"
fi
counts=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["checkouts"]), len(d["builds"]), len(d["tests"]), sum(t["status"] == "DONE" for t in d["tests"]))' "$doc")
summaries=$(cat "$fx"/results-kcidb/*/*/records.jsonl "$fx"/results-two-kernels/*/*/records.jsonl \
	"$fx"/results-stress/*/*/records.jsonl | grep '"type":"summary"' | grep -c '"median":')
read -r nc nb nt ndone <<<"$counts"
if ((ndone == summaries && nc == 3 && nb == 3)); then
	ok "a DONE test per summary record with a median ($ndone), 3 checkouts and builds ($nt tests in all)"
else
	not_ok "a DONE test per summary record" "got checkouts builds tests DONE: $counts; summary records: $summaries"
fi
if out=$(validate "$doc"); then
	ok "the export validates against KCIDB schema v5.3 (kcidb-io)"
else
	not_ok "the export validates against KCIDB schema v5.3 (kcidb-io)" "$out"
fi

# break FIELD-DESCRIPTION PYTHON-STATEMENT: the statement changes document
# d; the result must fail validation, naming the field.
break_field() {
	local what=$1 change=$2 where=$3 out
	"$PY" - "$doc" "$WORK/broken.json" <<-EOF
	import json, sys
	d = json.load(open(sys.argv[1]))
	$change
	json.dump(d, open(sys.argv[2], "w"))
	EOF
	if out=$(validate "$WORK/broken.json"); then
		not_ok "a broken field fails validation: $what" "the broken document validated"
	elif [[ $out == *"$where"* ]]; then
		ok "a broken field fails validation: $what ($out)"
	else
		not_ok "a broken field fails validation: $what" "failed elsewhere: $out"
	fi
}
break_field "a test status KCIDB does not know" 'd["tests"][0]["status"] = "WORSE"' "tests/0/status"
break_field "an id without its origin prefix" 'd["builds"][0]["id"] = "no-origin"' "builds/0/id"
break_field "a build without its checkout_id" 'del d["builds"][1]["checkout_id"]' "builds/1"
break_field "a value as a string" 'd["tests"][0]["number"]["value"] = "148.9"' "tests/0/number/value"
break_field "a property KCIDB does not have" 'd["tests"][2]["median"] = 1.0' "tests/2"
break_field "a test path with a space" 'd["tests"][3]["path"] = "hmmbench.migrate 32M"' "tests/3/path"
break_field "a schema major version of 4" 'd["version"]["major"] = 4' "version/major"

# An origin KCIDB would refuse is refused before anything is written.
if ! "$HMMBENCH_BIN" export --format kcidb --origin My-Lab "$fx/results-kcidb" >/dev/null 2>"$WORK/err" &&
	grep -q "not a KCIDB origin" "$WORK/err"; then
	ok "--origin My-Lab is refused: $(cat "$WORK/err")"
else
	not_ok "--origin My-Lab is refused" "$(cat "$WORK/err")"
fi
((FAILED == 0))
