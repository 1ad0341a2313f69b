#!/bin/sh
# Turns repro/skel-1-base.c, skel-2-ops.c and skel-3-main.c (given in that
# order) into C strings repro_skel_base, repro_skel_ops and repro_skel_main,
# which hmmbench writes out as the body of every reproducer.
set -e
for name in repro_skel_base repro_skel_ops repro_skel_main; do
	[ $# -gt 0 ] || { echo "embed.sh: three skeleton files expected" >&2; exit 1; }
	echo "const char $name[] ="
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/	"/' -e 's/$/\\n"/' "$1"
	echo ";"
	shift
done
