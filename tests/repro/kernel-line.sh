# shellcheck shell=bash
# A finding's "kernel" file, one line: VERSION FLAVOUR SECONDS [kind=K] MATCH.
# read_kernel_line FILE sets version, flavour, seconds, kind ("" when the
# line names none: the recorded kind) and match (the rest of the line).
read_kernel_line() {
	# shellcheck disable=SC2034 # set for the caller
	read -r version flavour seconds match <"$1"
	kind=
	if [[ $match == kind=* ]]; then
		kind=${match%% *} && kind=${kind#kind=}
		[[ $match == *" "* ]] && match=${match#* } || match=
	fi
}
