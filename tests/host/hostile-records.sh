#!/usr/bin/env bash
# Results from elsewhere are data, never code (issue 11, item 4). Two runs
# whose every string (release, host, labels, params, reasons, scenario,
# status, metric and capability names, ...) carries gnuplot backticks and
# system(), shell $() ; | &&, HTML tags, CSV quotes, commas and newlines,
# a spreadsheet formula and ANSI escapes and other control characters, in
# run directories whose names do too, go through ls, compare (text and
# TSV) and report (HTML, text, CSV, gnuplot figures, which gnuplot really
# draws where it is installed), and compare and ls as JSON. Nothing may
# run: no canary file appears.
# Every output shows the strings as text: no control character reaches a
# terminal, HTML has its tags escaped, CSV and TSV keep their columns,
# JSON parses and every string in it decodes to printable text.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"

[[ -x $HMMBENCH_BIN ]] || bail "hmmbench binary '$HMMBENCH_BIN' not built; run make first"
tap_plan 17
canary=$WORK/canary
tree=$WORK/results
out=$WORK/report
# a name cannot hold a '/': these canaries are relative to $WORK, the
# directory everything runs in (gnuplot runs in $out)
odd=$'run-\e[31m`touch canary.dirname`$(touch canary.dirname2)\a'
for side in base new; do
	rel=6.1
	[[ $side == base ]] || rel=7.2
	mkdir -p "$tree/$rel/$odd"
	sed "s|@C@|$canary|g" "$SRCDIR/tests/fixtures/hostile/records-$side.jsonl" \
		>"$tree/$rel/$odd/records.jsonl" || bail "cannot write the hostile tree"
done

cd "$WORK" || bail "no $WORK"
"$HMMBENCH_BIN" ls "$tree" >"$WORK/ls.out" 2>&1; ls_rc=$?
"$HMMBENCH_BIN" ls --format tsv "$tree" >"$WORK/ls.tsv" 2>/dev/null; lstsv_rc=$?
"$HMMBENCH_BIN" compare "$tree/6.1" "$tree/7.2" >"$WORK/cmp.out" 2>&1; cmp_rc=$?
"$HMMBENCH_BIN" compare --format tsv "$tree/6.1" "$tree/7.2" >"$WORK/cmp.tsv" 2>"$WORK/cmp.err"; tsv_rc=$?
"$HMMBENCH_BIN" compare --format json --allow-differences "$tree/6.1" "$tree/7.2" >"$WORK/cmp.json" 2>/dev/null; json_rc=$?
"$HMMBENCH_BIN" ls --format json "$tree" >"$WORK/ls.json" 2>/dev/null; lsjson_rc=$?
"$HMMBENCH_BIN" report "$tree" -o "$out" >"$WORK/report.out" 2>&1; rep_rc=$?
have_gnuplot=0
if command -v gnuplot >/dev/null 2>&1; then
	have_gnuplot=1
	# each NAME.gp says "regenerate with 'gnuplot NAME.gp'": so do that too
	for gp in "$out"/*.gp; do
		[[ -e $gp ]] && (cd "$out" && gnuplot "$(basename "$gp")") >>"$WORK/gnuplot-again.log" 2>&1
	done
fi

# The bytes a terminal acts on: C0 controls but tab and newline, DEL, the
# C1 controls (CSI as U+009B) and the bidirectional overrides.
controls() {
	LC_ALL=C perl -ne 'if (/[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]/) {
		s/([^\x20-\x7e])/sprintf("<%02x>", ord($1))/ge; print "$ARGV:$.: $_\n"; $bad = 1 }
		close ARGV if eof; END { exit !$bad }' "$@"
}
no_controls() {
	local what=$1 found; shift
	if found=$(controls "$@"); then
		not_ok "$what: no control character or escape sequence" "$(head -n 3 <<<"$found")"
	else
		ok "$what: no control character or escape sequence"
	fi
}
shows() {	# shows WHAT FILE TEXT: FILE holds TEXT, the escaped form
	if grep -qF -- "$3" "$2"; then ok "$1"; else not_ok "$1" "no '$3' in $2:" "$(head -c 600 "$2")"; fi
}

# without gnuplot the report says the figures are missing (exit 1)
check "ls, compare (text and TSV) and report read the hostile runs (exits $ls_rc $cmp_rc $tsv_rc $rep_rc)" \
	test "$ls_rc" = 0 -a "$cmp_rc" -lt 2 -a "$tsv_rc" -lt 2 -a "$rep_rc" = $((1 - have_gnuplot))
no_controls "terminal output of ls, compare and report" "$WORK/ls.out" "$WORK/cmp.out" \
	"$WORK/cmp.err" "$WORK/report.out"
shows "ls shows an escape sequence as text" "$WORK/ls.out" '\x1b[31mRED'
shows "compare shows the release as text" "$WORK/cmp.out" '\x1b[31mRED'
no_controls "compare --format tsv and ls --format tsv" "$WORK/cmp.tsv" "$WORK/ls.tsv"
check "ls --format tsv (exit $lstsv_rc): every line has the header's 10 fields" \
	awk -F'\t' 'NF != 10 { bad = 1 } END { exit bad || NR < 10 }' "$WORK/ls.tsv"
"$HMMBENCH_BIN" ls --format tsv "$SRCDIR/tests/fixtures/results-two-kernels" >"$WORK/golden.tsv" 2>&1
check "ls --format tsv of the golden tree: one line per measured group, as compare labels it" \
	grep -qxF "$(printf '7.2.13\t7.2.13/run-b\tcomplete\tsplit\ttime\t8M to-dev injected\t{"direction":"to-dev","failure":"injected","size":8388608}\tms\t3\t0')" "$WORK/golden.tsv"
check "compare --format tsv: every line has the header's 29 fields" \
	awk -F'\t' 'NF != 29 { bad = 1 } END { exit bad || NR < 3 }' "$WORK/cmp.tsv"
# JSON::PP is in perl's core: each file one document, every string and
# key free of C0/C1 controls (tab and newline too: they are shown as \t,
# \n) and bidi overrides once decoded, and its exit_status the command's.
check "compare --format json (exit $json_rc) and ls --format json (exit $lsjson_rc): valid JSON, every string printable once decoded" \
	env LC_ALL=C perl -MJSON::PP -e '
	sub bad { if ($_[0] =~ /[\x00-\x1f\x7f-\x9f\x{202a}-\x{202e}\x{2066}-\x{2069}]/) {
		(my $s = $_[0]) =~ s/([^\x20-\x7e])/sprintf("<U+%04x>", ord($1))/ge;
		print STDERR "$ARGV: control character in: $s\n"; exit 1 } }
	sub walk { my $v = shift; if (ref $v eq "HASH") { for (keys %$v) { bad($_); walk($v->{$_}) } }
		elsif (ref $v eq "ARRAY") { walk($_) for @$v } elsif (defined $v && !ref $v) { bad($v) } }
	my %rc = @ARGV[0 .. 3]; local $/;
	for my $f (keys %rc) { open my $h, "<", $f or die "$f: $!"; my $d = JSON::PP->new->utf8->decode(<$h>);
		walk($d); $d->{exit_status} == $rc{$f} or die "$f: exit_status $d->{exit_status}, not $rc{$f}\n";
		$n += @{$d->{comparisons} // $d->{runs}} }
	exit !($n >= 3)' "$WORK/cmp.json" "$json_rc" "$WORK/ls.json" "$lsjson_rc"
shows "compare --format json shows the release as text" "$WORK/cmp.json" '\\x1b[31mRED'
no_controls "summary.txt" "$out/summary.txt"
if grep -qi '<script\|<img src=x' "$out/index.html"; then
	not_ok "index.html has no tag from the records" "$(grep -oi '.\{60\}<\(script\|img src=x\).\{20\}' "$out/index.html" | head -n 2)"
else
	ok "index.html has no tag from the records"
fi
shows "index.html shows the tags as text" "$out/index.html" '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;'
no_controls "index.html" "$out/index.html"
# RFC 4180, one record a line, and no text field a spreadsheet would
# evaluate (=, +, -, @ first); the numbers are the last four columns.
check "results.csv: 9 fields a row, no formula" env LC_ALL=C perl -ne '
	chomp; my @f; pos($_) = 0;
	while (1) {
		if (/\G"((?:[^"]|"")*)"(,|$)/gc || /\G([^,"]*)(,|$)/gc) { push @f, $1; last if $2 eq "" }
		else { print STDERR "line $.: not CSV\n"; exit 1 }
	}
	if (@f != 9) { print STDERR "line $.: ", scalar(@f), " fields\n"; exit 1 }
	for (@f[0 .. 4]) { if (/^[=+\-\@\t\r]/) { print STDERR "line $.: formula $_\n"; exit 1 } }
	$rows++; END { exit !($rows > 10) }' "$out/results.csv"
if ((have_gnuplot)); then
	svgs=0 bad=
	for f in throughput-to-dev thp-vs-4k split-rate fault-latency stress stress-errors; do
		[[ -s $out/$f.svg ]] && svgs=$((svgs + 1)) || bad+=" $f.svg missing;"
		grep -qi '<script' "$out/$f.svg" 2>/dev/null && bad+=" $f.svg has a <script>;"
	done
	# gnuplot's SVG escapes < and & itself; the backticks are drawn as text
	if [[ -z $bad ]] && grep -qF '&lt;script>alert(1)&lt;/script>' "$out/stress.svg" &&
		grep -qF 'capability`touch' "$out/split-rate.svg"; then
		ok "gnuplot drew all $svgs figures with the strings as text"
	else
		not_ok "gnuplot drew all figures with the strings as text" "$bad" "$(cat "$out"/*.log 2>/dev/null | head -n 5)"
	fi
else
	ok "# SKIP gnuplot is not installed (apt-get install gnuplot-nox): the figures were not drawn"
fi
ran=$(ls -d "$canary"* "$out"/canary* 2>/dev/null)
if [[ -z $ran ]]; then
	ok "nothing from the records ran: no canary file"
else
	not_ok "nothing from the records ran: no canary file" "created:" $ran
fi
finish
