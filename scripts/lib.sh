# Shared shell helpers for hmmbench's scripts. Sourced, never run.
# shellcheck shell=bash

HMMBENCH_CACHE=${HMMBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hmmbench}
SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROG=${PROG:-$(basename "$0")}

# Installed ('make install' wrote paths.sh beside the scripts, in
# $(pkglibexecdir)): the binary and the data are looked for relative to
# here first, so a DESTDIR staging tree or a moved prefix works, then at
# the configured paths; there is no source tree. From a checkout: the
# checkout's own files, and a hmmbench built from it.
if [[ -f $SCRIPTS_DIR/paths.sh ]]; then
	. "$SCRIPTS_DIR/paths.sh"
	TOP_DIR=
	DATA_DIR=$SCRIPTS_DIR/$REL_DATA
	[[ -d $DATA_DIR ]] || DATA_DIR=$INSTALLED_DATA
	DATA_DIR=$(cd "$DATA_DIR" 2>/dev/null && pwd) || DATA_DIR=$INSTALLED_DATA
	INSTALLED_BIN=$SCRIPTS_DIR/$REL_BIN
	[[ -x $INSTALLED_BIN ]] || INSTALLED_BIN=$INSTALLED_BIN_PATH
	INSTALLED_BIN=$(realpath -m -- "$INSTALLED_BIN")
	KCONFIG_DIR=$DATA_DIR/kconfig
	JOBS_DIR=$DATA_DIR/jobs
else
	TOP_DIR=$(cd "$SCRIPTS_DIR/.." && pwd)
	INSTALLED_BIN=
	KCONFIG_DIR=$SCRIPTS_DIR/kconfig
	JOBS_DIR=$TOP_DIR/bench/jobs
fi
# For --help texts: where the guests' hmmbench comes from by default.
DEFAULT_BIN_DOC=${INSTALLED_BIN:-built in ${HMMBENCH_BUILD_DIR:-$TOP_DIR/build}}

msg() { printf '[%s] %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit "${DIE_STATUS:-2}"; }

# Runs "$@" while printing a line every 30 s, so a long step is never silent.
# The command's output goes to $LOG; on failure its tail is shown.
with_progress() {
	local what=$1 log=$2; shift 2
	local start=$SECONDS pid next=$((SECONDS + 30))
	"$@" >"$log" 2>&1 &
	pid=$!
	# A short poll: a quick step (a config target) costs no idle second.
	while kill -0 "$pid" 2>/dev/null; do
		sleep 0.2
		if ((SECONDS >= next)); then
			msg "$what: $((SECONDS - start))s, $(wc -l <"$log") lines of output so far"
			next=$((next + 30))
		fi
	done
	if ! wait "$pid"; then
		tail -n 25 "$log" >&2
		msg "$what failed after $((SECONDS - start))s; full log: $log"
		return 1
	fi
	msg "$what: done in $((SECONDS - start))s"
}

# A private apt configuration that reaches the suites carrying Debian's
# newer kernel sources, on the mirror the machine itself uses. The
# machine's own apt setup is never touched.
debian_mirror() {
	local uri
	uri=$(grep -hs -E '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources \
		/etc/apt/sources.list.d/*.list /etc/apt/sources.list 2>/dev/null |
		grep -v -e security -e 'cloud.google' -e nodesource |
		sed -E 's/^URIs: *//; s/^deb (\[[^]]*\] )?//' | awk '{print $1}' | head -n1)
	echo "${uri:-http://deb.debian.org/debian}"
}

private_apt_opts() {
	local dir=$HMMBENCH_CACHE/apt mirror sec
	mirror=$(debian_mirror)
	sec=${mirror%/debian}/debian-security
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	local kr=/usr/share/keyrings/debian-archive-keyring.gpg
	cat >"$dir/sources.list" <<-EOS
	deb [signed-by=$kr] $mirror sid main
	deb [signed-by=$kr] $mirror trixie-backports main
	deb [signed-by=$kr] $mirror bookworm main
	deb [signed-by=$kr] $sec bookworm-security main
	EOS
	APT_OPTS=(-o "Dir::Etc::SourceList=$dir/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$dir/lists"
		-o "Dir::Cache=$dir/cache"
		-o APT::Sandbox::User=root)
}

need_cmd() {
	local cmd=$1 pkg=$2
	command -v "$cmd" >/dev/null 2>&1 ||
		die "'$cmd' not found; install it with: apt-get install $pkg"
}

# Debian packages hmmbench needs to build, test and boot its test kernels.
HMMBENCH_DEB_PACKAGES=(
	build-essential autoconf automake pkg-config git
	libjansson-dev libgsl-dev libinih-dev libdrm-dev libpfm4-dev
	libhugetlbfs-dev libcriterion-dev gnuplot-nox jq zlib1g-dev python3-jsonschema
	qemu-system-x86 busybox-static
	bc bison flex libelf-dev libssl-dev xz-utils cpio debian-archive-keyring
)

# Installs whichever of HMMBENCH_DEB_PACKAGES is missing (apt-get as root).
install_packages() {
	local missing=() p sudo=
	for p in "${HMMBENCH_DEB_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	if ((EUID != 0)); then
		command -v sudo >/dev/null 2>&1 ||
			die "missing packages: ${missing[*]}; install them as root: apt-get install ${missing[*]}"
		sudo=sudo
	fi
	msg "installing Debian packages: ${missing[*]}"
	$sudo apt-get update -qq >&2 || msg "apt-get update failed; trying the install anyway"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
		die "apt-get install failed for: ${missing[*]}"
}

# Configures (once) and builds hmmbench out of tree in $BUILD_DIR.
BUILD_DIR=${HMMBENCH_BUILD_DIR:-${TOP_DIR:+$TOP_DIR/build}}
build_hmmbench() {
	[[ -n $TOP_DIR ]] ||
		die "these scripts are installed, with no source tree to build hmmbench from; give --hmmbench PATH or set HMMBENCH_BIN"
	if [[ ! -x $TOP_DIR/configure || $TOP_DIR/configure.ac -nt $TOP_DIR/configure ]]; then
		msg "autoreconf"
		(cd "$TOP_DIR" && autoreconf -fi >/dev/null 2>&1) || die "autoreconf failed; run 'autoreconf -fi' to see why"
	fi
	mkdir -p "$BUILD_DIR"
	if [[ ! -f $BUILD_DIR/Makefile ]]; then
		msg "configure"
		(cd "$BUILD_DIR" && "$TOP_DIR/configure" -q) || die "configure failed; see $BUILD_DIR/config.log"
	fi
	msg "building hmmbench"
	make -C "$BUILD_DIR" -s -j"$(nproc)" >/dev/null || die "build failed; run 'make -C $BUILD_DIR' to see why"
}

# Sets HMMBENCH to the hmmbench binary the guests run when no --hmmbench
# was given: $HMMBENCH_BIN ('hmmbench COMMAND' sets it to itself), else the
# installed one beside these scripts, else one built from this checkout.
default_hmmbench() {
	if [[ -n ${HMMBENCH_BIN:-} ]]; then
		HMMBENCH=$HMMBENCH_BIN
	elif [[ -n $INSTALLED_BIN ]]; then
		HMMBENCH=$INSTALLED_BIN
	else
		build_hmmbench
		HMMBENCH=$BUILD_DIR/hmmbench
	fi
}

# A script's --help text, from stdin. Run as 'hmmbench matrix' and so on
# (the installed way: hmmbench execs the script with HMMBENCH_COMMAND=1),
# it names the scripts as the commands the user types, not as files of a
# checkout the user may not have.
usage_text() {
	if [[ ${HMMBENCH_COMMAND:-} == 1 ]]; then
		sed -E 's#scripts/crosscheck-hmm-tests#hmmbench crosscheck#g
			s#scripts/(kernel-build|vm-run|matrix|bisect|quickstart|initramfs|lava-job)([^-a-z]|$)#hmmbench \1\2#g'
	else
		cat
	fi
}
