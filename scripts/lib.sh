# shellcheck shell=bash
# Shared helpers for the stage scripts: paths, progress lines, errors.
# Sourced, never run. Every stage script does:  . "$(dirname -- "$0")/lib.sh" || exit 8
# The variables set here are used by the scripts that source it:
# shellcheck disable=SC2034

set -euo pipefail

# The scripts pass every make variable they mean explicitly: none of
# make's own (a "make qemu-test TESTS=..." puts TESTS in MAKEFLAGS) may
# reach kbuild or the guest programs' Makefile.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS

# Exit codes, one per class of failure (README.md, "Exit codes").
readonly E_TESTS=1     # the guest ran and at least one test failed
readonly E_USAGE=2     # a bad variable or argument
readonly E_BUILD=3     # patch, configure, compile or pack failed
readonly E_BOOT=4      # the guest did not boot, panicked or oopsed
readonly E_TIMEOUT=5   # the guest did not finish in time
readonly E_DEPS=6      # a required program is missing and could not be installed
readonly E_FETCH=7     # download or checksum verification failed
readonly E_INTERNAL=8  # the rig itself failed unexpectedly (a bug, or the machine: disk full...)

ROOT=$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)
# KERNEL names the build: a pinned version from the lock file, or, for a
# tree or tarball of the user's own, "custom" unless they name it.
if [ -n "${KERNEL_SRC:-}" ] || [ -n "${KERNEL_TARBALL:-}" ]; then
	KERNEL=${KERNEL:-custom}
else
	KERNEL=${KERNEL:-6.12}
fi
# CONFIG picks kernel-config/CONFIG.config on top of base.config.
CONFIG=${CONFIG:-base}
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
# Empty only when HOME is unset too: writable_dir then names the fix.
if [ -z "${CACHE_DIR:-}" ]; then
	if [ -n "${XDG_CACHE_HOME:-}" ]; then
		CACHE_DIR=$XDG_CACHE_HOME/mysyscall
	elif [ -n "${HOME:-}" ]; then
		CACHE_DIR=$HOME/.cache/mysyscall
	else
		CACHE_DIR=
	fi
fi
LOCK_FILE=${LOCK_FILE:-$ROOT/kernel-config/kernels.lock}
# A relative path is the caller's (make's: the repository's): absolute
# before any script changes directory.
abspath() { case "$1" in /* | '') printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac }
BUILD_DIR=$(abspath "$BUILD_DIR") CACHE_DIR=$(abspath "$CACHE_DIR") LOCK_FILE=$(abspath "$LOCK_FILE")
for _v in KERNEL_SRC KERNEL_TARBALL DIST_DIR USERSPACE_TESTS; do
	if [ -n "${!_v:-}" ]; then printf -v "$_v" '%s' "$(abspath "${!_v}")"; fi
done
unset _v
V=${V:-0}
JOBS=${JOBS:-$(nproc)}

# ARCH: the guest's architecture, x86_64 (the default), arm64 or riscv64
# (the kernel's own names x86 and riscv, and aarch64, are taken too). Set
# here: GUEST_ARCH (the rig's name), ARCH (kbuild's, exported), SRCARCH
# (arch/SRCARCH in the tree), IMAGE_NAME (what kbuild builds to boot),
# TRIPLET (Debian's cross compilers), DEB_ARCH, QEMU_BIN and the Debian
# package that has it, QEMU_PKG.
case "${ARCH:-x86_64}" in
x86_64 | x86 | amd64)
	GUEST_ARCH=x86_64 ARCH=x86_64 SRCARCH=x86 IMAGE_NAME=bzImage TRIPLET=x86_64-linux-gnu DEB_ARCH=amd64 QEMU_BIN=qemu-system-x86_64 QEMU_PKG=qemu-system-x86 ;;
arm64 | aarch64)
	GUEST_ARCH=arm64 ARCH=arm64 SRCARCH=arm64 IMAGE_NAME=Image TRIPLET=aarch64-linux-gnu DEB_ARCH=arm64 QEMU_BIN=qemu-system-aarch64 QEMU_PKG=qemu-system-arm ;;
riscv64 | riscv)
	GUEST_ARCH=riscv64 ARCH=riscv SRCARCH=riscv IMAGE_NAME=Image TRIPLET=riscv64-linux-gnu DEB_ARCH=riscv64 QEMU_BIN=qemu-system-riscv64 QEMU_PKG=qemu-system-misc ;;
*)
	printf '%s: error: ARCH=%s: the rig builds x86_64 (the default), arm64 or riscv64\n' "${0##*/}" "$ARCH" >&2
	# (a run up to the verdict ends with its line, whatever happens)
	[ "${0##*/}" != qemu-test.sh ] || [ "${1:-}" = --to ] || echo "0 passed, 1 failed"
	exit 2
	;;
esac
export ARCH
# The host's architecture, in the same names
case "$(uname -m)" in
x86_64) HOST_ARCH=x86_64 ;;
aarch64 | arm64) HOST_ARCH=arm64 ;;
riscv64) HOST_ARCH=riscv64 ;;
*) HOST_ARCH=$(uname -m) ;;
esac
# CROSS_COMPILE: the prefix of the compiler for the guest's kernel and
# programs: none for the host's own architecture, Debian's cross
# compiler (aarch64-linux-gnu-) for another. Given, it wins. Passed to
# kbuild on its command line (kbuild_vars), never exported: a script run
# for another ARCH (make check's parts) works out its own.
if [ -z "${CROSS_COMPILE+set}" ]; then
	CROSS_COMPILE=
	[ "$GUEST_ARCH" = "$HOST_ARCH" ] || CROSS_COMPILE=$TRIPLET-
fi

# BUILD_DIR/KERNEL holds the pristine link and the patched source, shared
# by every configuration and architecture; BUILD_DIR/KERNEL/CONFIG holds
# one configuration's kbuild output (obj/), guest programs, initramfs and
# logs for x86_64, BUILD_DIR/KERNEL/CONFIG-ARCH for another architecture.
ARCH_SUFFIX=
[ "$GUEST_ARCH" = x86_64 ] || ARCH_SUFFIX=-$GUEST_ARCH
KDIR=$BUILD_DIR/$KERNEL
SRC=$KDIR/src
OUT=$KDIR/$CONFIG$ARCH_SUFFIX
OBJ=$OUT/obj
LOGS=$OUT/logs
IMAGE=$OBJ/arch/$SRCARCH/boot/$IMAGE_NAME

PROG=${0##*/}

# Fixed build identity, so two builds of the same inputs are identical.
export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-Thu Jan  1 00:00:00 UTC 2026}
export KBUILD_BUILD_USER=${KBUILD_BUILD_USER:-mysyscall}
export KBUILD_BUILD_HOST=${KBUILD_BUILD_HOST:-mysyscall}
export KBUILD_BUILD_VERSION=${KBUILD_BUILD_VERSION:-1}
export LC_ALL=C

# A command that fails where no failure was foreseen stops the script
# (set -e): say which script, line and command, and exit E_INTERNAL, so
# that it is never taken for a failed test (1). What the rig runs of its
# own keeps its exit code: a function, a stage script, a subshell (an
# unforeseen failure inside those has already been reported: errtrace
# carries the trap there). Where errexit is off (set +e, a command
# substitution) the script looks at the status itself: nothing to do.
on_error() { # the ERR trap
	local rc=$1 line=$2 src=$3 cmd=$4 word rest
	local subst='^[A-Za-z_][A-Za-z0-9_]*="?[$][(]([^[:space:])]+)'
	[[ $- == *e* ]] || return 0
	[ "$rc" != "$E_INTERNAL" ] || exit "$rc"
	if [[ $cmd =~ $subst ]]; then
		word=${BASH_REMATCH[1]} # var=$(function ...): as for the function
	else
		# The first word, past "VAR=value" and "env VAR=value".
		rest=$cmd
		while [[ $rest =~ ^[A-Za-z_][A-Za-z0-9_]*=[^[:space:]]*[[:space:]]+(.*)$ ]] || [[ $rest =~ ^env[[:space:]]+(.*)$ ]]; do
			rest=${BASH_REMATCH[1]}
		done
		word=${rest%%[[:space:]]*}
	fi
	word=${word//\"/}
	# shellcheck disable=SC2016 # the text of the command, not its values
	case "$word" in
	return | */scripts/*.sh | ./*.sh | '$0') exit "$rc" ;;
	# A subshell that failed on its last command reports nothing itself:
	# its die codes are 2..7; anything else is a plain command's failure.
	'('*) [ "$rc" -lt 2 ] || [ "$rc" -gt 7 ] || exit "$rc" ;;
	esac
	if declare -F "$word" >/dev/null; then exit "$rc"; fi
	printf '%s: internal error: %s line %s: "%s" failed with status %s (a bug in the rig, or the machine: a full disk, a read-only checkout?)\n' \
		"$PROG" "${src##*/}" "$line" "$cmd" "$rc" >&2
	exit "$E_INTERNAL"
}
set -E
trap 'on_error "$?" "$LINENO" "${BASH_SOURCE[0]:-$0}" "$BASH_COMMAND"' ERR

die() { # die CODE MESSAGE...
	local code=$1
	shift
	printf '%s: error: %s\n' "$PROG" "$*" >&2
	exit "$code"
}

# writable_dir DIR VARIABLE: make DIR, or stop naming the variable that
# sets it (a read-only checkout, HOME unset or not writable).
writable_dir() {
	[ -n "$1" ] || die "$E_USAGE" "$2 is not set, and HOME is not set either to take a default from; give $2=a writable directory on make's command line"
	if ! mkdir -p "$1" 2>/dev/null || [ ! -w "$1" ]; then
		die "$E_USAGE" "cannot write to $2=$1 (a read-only checkout, or HOME=${HOME:-<unset>} is not yours?); give $2=a writable directory on make's command line"
	fi
}

# A kbuild-like progress line:  "  BUILD   linux-6.12.117 (2.1s)"
say() { # say TAG TEXT
	printf '  %-7s %s\n' "$1" "$2"
}

# Time a step and print its progress line when it ends.
_t0=0
begin() { _t0=$(date +%s.%N); }
step_done() { # step_done TAG TEXT: the progress line of a step begun with begin
	local t1
	t1=$(date +%s.%N)
	say "$1" "$2 ($(printf '%.1f' "$(echo "$t1 - $_t0" | bc)")s)"
}

verbose() { [ "$V" = 1 ]; }

# The result counter of the scripts that report checks (lint, gdb,
# methods, series, W=1, make check's tree checks): report prints one
# PASS/FAIL line and counts it; report_total prints the line make check
# adds up, "N passed, N failed", and fails when a check did. With
# REPORT_LOG set, the lines are appended there too.
npass=0 nfail=0
report() { # report PASS|FAIL TEXT [DETAILS: a file, or text]
	if [ "$1" = PASS ]; then npass=$((npass + 1)); else nfail=$((nfail + 1)); fi
	{
		say "$1" "$2"
		if [ -n "${3:-}" ] && [ -f "$3" ]; then
			head -n 20 "$3" | sed 's/^/        /'
		elif [ -n "${3:-}" ]; then
			printf '%s\n' "$3" | tail -n 15 | sed 's/^/        /'
		fi
	} | if [ -n "${REPORT_LOG:-}" ]; then tee -a "$REPORT_LOG"; else cat; fi
}
report_total() {
	echo "$npass passed, $nfail failed" | if [ -n "${REPORT_LOG:-}" ]; then tee -a "$REPORT_LOG"; else cat; fi
	[ "$nfail" = 0 ]
}

# run LOG CMD...: run a command, output to LOG (and the terminal with V=1).
run() {
	local log=$1
	shift
	if verbose; then
		printf '+ %s\n' "$*" >&2
		"$@" 2>&1 | tee -a "$log"
	else
		"$@" >>"$log" 2>&1
	fi
}

# Print the last lines of a log after a failure, and where the rest is.
show_log_tail() { # show_log_tail LOG [N]
	local log=$1 n=${2:-25}
	if [ -s "$log" ]; then
		printf '%s: last %d lines of %s:\n' "$PROG" "$n" "$log" >&2
		tail -n "$n" "$log" | sed 's/^/    /' >&2
	fi
}

need() { # need PROGRAM...: fail with E_DEPS and the fix if one is missing
	local p
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 ||
			die "$E_DEPS" "'$p' is not installed; run 'make deps' (or scripts/deps.sh) to install it"
	done
}

# Is FILE a statically linked executable (what the initramfs needs)?
is_static() { [[ $(file -L "$1" 2>/dev/null) =~ (statically|static-pie)\ linked ]]; }

# Read the pin for $KERNEL from the lock file: sets PIN_PKG, PIN_VERSION,
# PIN_SHA256, PIN_SUITE. Lines: "deb NAME PACKAGE VERSION SHA256 SUITE".
read_pin() {
	[ -r "$LOCK_FILE" ] || die "$E_USAGE" "lock file $LOCK_FILE is missing"
	local kind name pkg version sha suite
	while read -r kind name pkg version sha suite _ || [ -n "$kind" ]; do
		if [ "$kind" = deb ] && [ "$name" = "$KERNEL" ]; then
			[ -n "$suite" ] || die "$E_USAGE" "$LOCK_FILE: the pin of $name names no suite (deb NAME PACKAGE VERSION SHA256 SUITE)"
			PIN_PKG=$pkg PIN_VERSION=$version PIN_SHA256=$sha PIN_SUITE=$suite
			return 0
		fi
	done <"$LOCK_FILE"
	die "$E_USAGE" "KERNEL=$KERNEL is not pinned in $LOCK_FILE (pinned: $(pinned_kernels))"
}

pinned_kernels() { awk '$1 == "deb" { printf "%s%s", sep, $2; sep = " " } END { print "" }' "$LOCK_FILE"; }

# read_busybox_pin: the BusyBox pinned for a guest of GUEST_ARCH (a line
# "busybox ARCH PACKAGE VERSION SHA256 SUITE"): sets PIN_PKG, PIN_VERSION,
# PIN_SHA256, PIN_SUITE, or stops naming what to add.
read_busybox_pin() {
	local kind name pkg version sha suite
	while read -r kind name pkg version sha suite _ || [ -n "$kind" ]; do
		if [ "$kind" = busybox ] && [ "$name" = "$GUEST_ARCH" ] && [ -n "$suite" ]; then
			PIN_PKG=$pkg PIN_VERSION=$version PIN_SHA256=$sha PIN_SUITE=$suite
			return 0
		fi
	done <"$LOCK_FILE"
	die "$E_USAGE" "$LOCK_FILE pins no BusyBox for a $GUEST_ARCH guest (a line: busybox $GUEST_ARCH busybox-static VERSION SHA256 SUITE); or give BUSYBOX=/path/to/a/static/$GUEST_ARCH/busybox"
}

# busybox_default: the BusyBox of the guest, when BUSYBOX does not name
# one: the host's for its own architecture (busybox-static, make deps),
# else the one scripts/fetch.sh downloads for the guest's.
busybox_default() {
	if [ "$GUEST_ARCH" = "$HOST_ARCH" ]; then
		echo /bin/busybox
	else
		echo "$CACHE_DIR/busybox/$GUEST_ARCH/busybox"
	fi
}

# The project's own apt configuration, in CACHE_DIR/apt: a sources list
# with every suite the lock file names, its own package lists and cache.
# The machine's apt setup is read (for its mirror) but never changed, and
# no root is needed. apt_get / apt_cache run apt with it.
APT_DIR=$CACHE_DIR/apt
apt_opts() {
	apt_opts=(-o "Dir::Etc::SourceList=$APT_DIR/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::Cache=$APT_DIR/cache"
		-o "Dir::State::status=/dev/null" -o Debug::NoLocking=1 -o APT::Update::Error-Mode=any)
	# As root apt would drop to _apt, who cannot write our directories.
	[ "$(id -u)" != 0 ] || apt_opts+=(-o APT::Sandbox::User=root)
	# The package lists of one other architecture only (APT_ARCH: a
	# guest's BusyBox), in an APT_DIR of its own
	[ -z "${APT_ARCH:-}" ] || apt_opts+=(-o "APT::Architecture=$APT_ARCH" -o "APT::Architectures=$APT_ARCH")
}
apt_get() { apt_opts && apt-get "${apt_opts[@]}" "$@"; }
apt_cache() { apt_opts && apt-cache "${apt_opts[@]}" "$@"; }

# host_apt_uris: "URI SUITE" for each enabled source of the machine's apt
# setup (one-line sources.list and deb822 .sources files) that has the
# component main, as Debian's archive does (a third-party repository
# for "bookworm" has its own components: "stable", say).
host_apt_uris() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk 'function flush() {
				if (types ~ /(^| )deb( |$)/ && comps ~ /(^| )main( |$)/ && tolower(enabled) != "no") {
					n = split(suites, s, " "); for (i = 1; i <= n; i++) print uri, s[i]
				}
				types = uri = suites = comps = enabled = ""
			}
			/^[[:space:]]*$/ { flush(); next }
			/^#/ { next }
			tolower($1) == "types:" { $1 = ""; types = $0 }
			tolower($1) == "uris:" { uri = $2 }
			tolower($1) == "suites:" { $1 = ""; suites = $0 }
			tolower($1) == "components:" { $1 = ""; comps = $0 }
			tolower($1) == "enabled:" { enabled = $2 }
			END { flush() }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		sed -n 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\{0,1\}\([^[:space:]]\+\)[[:space:]]\+\([^[:space:]]\+\)\(.*\)$/\2 \3 \4 /p' "$f" |
			awk '/ main / { print $1, $2 }'
	done
}

# apt_setup [SUITE...]: write APT_DIR/sources.list for those suites
# (default: those of the lock file's kernel pins).
# The Debian mirror is the machine's own (MYSYSCALL_DEBIAN_MIRROR and
# MYSYSCALL_SECURITY_MIRROR override it); a suite ending in -security
# comes from the security mirror.
apt_setup() {
	local uris main sec suite list=$APT_DIR/sources.list tmp
	uris=$(host_apt_uris)
	main=${MYSYSCALL_DEBIAN_MIRROR:-$(awk '$2 ~ /^(bookworm|trixie|forky|duke|sid|unstable|testing|stable|oldstable)(-updates|-backports)?$/ { print $1; exit }' <<<"$uris")}
	sec=${MYSYSCALL_SECURITY_MIRROR:-$(awk '$2 ~ /-security$/ { print $1; exit }' <<<"$uris")}
	[ -n "$main" ] || die "$E_FETCH" "found no Debian mirror in this machine's apt sources (/etc/apt/sources.list*), so the pinned Debian kernel sources cannot be fetched. Set MYSYSCALL_DEBIAN_MIRROR=URL of a Debian mirror, or build your own tree: make qemu-test KERNEL_SRC=/path/to/linux"
	local suites lines=()
	if [ $# -gt 0 ]; then
		suites=("$@")
	else
		mapfile -t suites < <(awk '$1 == "deb" && $6 != "" { print $6 }' "$LOCK_FILE" | sort -u)
	fi
	for suite in "${suites[@]}"; do
		case "$suite" in
		*-security)
			[ -n "$sec" ] || die "$E_FETCH" "kernels.lock pins a package from $suite, but this machine's apt sources name no security mirror; set MYSYSCALL_SECURITY_MIRROR=URL"
			lines+=("deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $sec $suite main")
			;;
		*) lines+=("deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $main $suite main") ;;
		esac
	done
	mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
	tmp=$(mktemp "$list.XXXXXX")
	printf '%s\n' "${lines[@]}" >"$tmp"
	mv "$tmp" "$list"
}

# apt_update LOG [SUITE...]: fetch the package lists of APT_DIR's
# sources (no root).
apt_update() {
	apt_setup "${@:2}"
	run "$1" apt_get update || {
		show_log_tail "$1" 10
		die "$E_FETCH" "apt-get update of the kernel pins' suites failed (see $1): no network to Debian's archive, or a suite in $LOCK_FILE that Debian does not have"
	}
}

# with_lock FILE CMD...: run CMD holding an exclusive lock on FILE; a
# second run waits for the first, saying so.
with_lock() {
	local file=$1
	shift
	mkdir -p "${file%/*}"
	(
		exec 8>>"$file"
		if ! flock -n 8; then
			say WAIT "another run holds ${file##*/}; waiting for it" >&2
			flock 8
		fi
		"$@"
	)
}

# lock_build: one run at a time in BUILD_DIR/KERNEL (two make qemu-test
# in one clone, say): a second waits for the first, saying so. Held on
# file descriptor 7 until this script and what it runs end; the stage
# scripts it runs see MYSYSCALL_LOCK and do not lock again.
lock_build() {
	[ "${MYSYSCALL_LOCK:-}" != "$KDIR" ] || return 0
	command -v flock >/dev/null || return 0
	writable_dir "$BUILD_DIR" BUILD_DIR
	exec 7>>"$BUILD_DIR/.lock-$KERNEL"
	if ! flock -n 7; then
		say WAIT "another run is using ${KDIR#"$ROOT"/} (make qemu-test, make check...): waiting for it to end" >&2
		flock 7
	fi
	export MYSYSCALL_LOCK=$KDIR
}

# guest_programs: the programs a test boot of this build must run, as
# /init names them: those TESTS names (PROGRAM:CASE counts as PROGRAM),
# else every one of the guest's tests and, with STRESS=1, stress/NAME.
guest_programs() {
	local t
	if [ -n "${TESTS:-}" ]; then
		for t in $TESTS; do printf '%s ' "${t%%:*}"; done
		return
	fi
	{
		sed -n 's/^[^:]*://p' "$OUT/guest/usr/lib/mysyscall/kselftest/kselftest-list.txt" |
			grep -vxF -f "$OUT/guest/usr/lib/mysyscall/stress-tests" | tr '\n' ' '
		find "$OUT/guest/usr/lib/mysyscall/tests" -maxdepth 1 -type f -printf '%f '
		find "$OUT/guest/usr/lib/mysyscall/i386" -maxdepth 1 -type f -printf 'i386/%f '
		find "$OUT/guest/usr/lib/mysyscall/x32" -maxdepth 1 -type f -printf 'x32/%f '
		[ "${STRESS:-0}" != 1 ] ||
			sed 's,^,stress/,' "$OUT/guest/usr/lib/mysyscall/stress-tests" | tr '\n' ' '
	} 2>/dev/null || true
}

# The kernel release of a source tree, e.g. 6.12.117, from its Makefile:
# the four variables kbuild's "make -s kernelversion" prints, read without
# running make, so that it also works on the fixture trees (the files the
# series touches and the top Makefile: kbuild cannot run there).
tree_version() { # tree_version DIR
	awk -F' *= *' '
		$1 == "VERSION" { v = $2 } $1 == "PATCHLEVEL" { p = $2 }
		$1 == "SUBLEVEL" { s = $2 } $1 == "EXTRAVERSION" { e = $2 }
		$1 == "NAME" { exit } END { printf "%s.%s.%s%s\n", v, p, s, e }' "$1/Makefile"
}

# load_series: read patches/series. Sets series (the patch names, in
# order), touched (every file the series touches, from the ---/+++ lines)
# and series_hash (of the series, its patches and their forms). PATCHES,
# where the series' patches are read from, is patches/ until
# resolve_series picks the forms for a tree.
load_series() {
	local name p
	series=()
	PATCHES=$ROOT/patches
	while read -r name _ || [ -n "$name" ]; do
		case "$name" in '' | '#'*) continue ;; esac
		[ -f "$ROOT/patches/$name" ] || die "$E_BUILD" "patches/series names $name, which is not in patches/"
		series+=("$name")
	done <"$ROOT/patches/series"
	mapfile -t touched < <(for p in "${series[@]}"; do
		sed -n 's,^\(---\|+++\) [ab]/\([^[:space:]]*\).*,\2,p' "$ROOT/patches/$p"
	done | sort -u)
	series_hash=$(cd "$ROOT/patches" && { cat series "${series[@]}"
		[ ! -d forms ] || find forms -name '*.diff' | LC_ALL=C sort | while read -r p; do cat "$p"; done; } |
		sha256sum | cut -d' ' -f1)
}

# Forms. Where the lines around a change differ between kernel releases
# (the end of syscall_32.tbl, which grows with every release, say), no
# one patch applies to all of them. patches/forms/NNNN/*.diff then hold
# other forms of patch NNNN's part for one file: a "diff --git" section
# each, adding and removing the same lines at the place that release
# has (make lint checks that). The patch itself has the form for the
# newest kernel, as upstream would take it; resolve_series picks, file
# by file, the first form that applies to a tree. A form that is only
# the "diff --git" line says that the file does not exist in some
# releases (scripts/syscall.tbl before 6.11): where the tree lacks the
# file, the patch leaves that part out.
FORMS=$ROOT/patches/forms

# form_absent FORM: is FORM the "this release has no such file" kind (no
# hunk, only its "diff --git" line)?
form_absent() { ! grep -q '^@@ ' "$1"; }

# split_patch PATCH DIR: PATCH in parts: DIR/head (up to the first
# "diff --git"), DIR/NNN (one file's section each, in order) and DIR/tail
# (from the signature's "-- " on)
split_patch() {
	rm -rf "$2" && mkdir -p "$2"
	awk -v d="$2" '
		/^diff --git / && part != "tail" { part = sprintf("%03d", ++n) }
		/^-- $/ && part != "" && part != "head" { part = "tail" }
		{ if (part == "") part = "head"; print > (d "/" part) }' "$1"
	touch "$2/head" "$2/tail"
}

# section_file SECTION: the file a "diff --git" section changes
section_file() { sed -n '1s,^diff --git a/[^ ]* b/,,p' "$1"; }

# forms_of PATCH FILE: the forms patches/forms/ holds for PATCH's part
# for FILE, one path a line
forms_of() {
	local dir=$FORMS/${1%%-*} f
	[ -d "$dir" ] || return 0
	for f in "$dir"/*.diff; do
		[ "$(section_file "$f")" != "$2" ] || echo "$f"
	done
}

# resolve_series TREE DIR [-R]: apply the series to a copy of the touched
# files of TREE in DIR with patch(1), no fuzz, each file's part in the
# first of its forms that applies (the patch's own first); the patches
# as applied go to DIR.patches (with series, and "forms": PATCH FILE FORM
# for each form other than the patch's own), and PATCHES points there.
# With -R, undo the series instead, newest patch first: TREE has it.
# On failure prints patch's words (they name the file and hunk), sets
# failed_patch, returns 1.
resolve_series() {
	local tree=$1 dir=$2 out=$2.patches p sec f cand chosen parts=$2.parts msg words i
	local -a order=("${series[@]}") mode=(-N)
	[ "${3:-}" != -R ] || mode=(-R -f)
	copy_touched "$tree" "$dir"
	rm -rf "$out" && mkdir -p "$out"
	: >"$out/forms"
	if [ "${mode[0]}" = -R ]; then
		order=()
		for ((i = ${#series[@]} - 1; i >= 0; i--)); do order+=("${series[i]}"); done
	fi
	for p in "${order[@]}"; do
		msg=''
		split_patch "$ROOT/patches/$p" "$parts"
		cat "$parts/head" >"$out/$p"
		for sec in "$parts"/[0-9]*; do
			[ -e "$sec" ] || continue
			chosen=$sec
			f=$(section_file "$sec")
			mapfile -t cand < <(forms_of "$p" "$f")
			if [ "${#cand[@]}" -gt 0 ]; then
				for chosen in "$sec" "${cand[@]}" ""; do
					[ -n "$chosen" ] || break
					if form_absent "$chosen"; then
						# the patch leaves the part out where the file is not
						[ -e "$dir/$f" ] || break
						continue
					fi
					patch "${mode[@]}" -p1 -s --dry-run --fuzz=0 -r - -d "$dir" <"$chosen" >/dev/null 2>&1 && break
				done
				if [ -z "$chosen" ]; then
					chosen=$sec
					msg="(nor does any of the ${#cand[@]} other forms of its part for $f in patches/forms/${p%%-*}/: this release needs a form of its own, see README)"
				fi
				[ "$chosen" = "$sec" ] || echo "$p $f ${chosen#"$ROOT"/}" >>"$out/forms"
			fi
			form_absent "$chosen" || cat "$chosen" >>"$out/$p"
		done
		cat "$parts/tail" >>"$out/$p"
		if ! words=$(patch "${mode[@]}" -p1 --fuzz=0 --no-backup-if-mismatch -r - -d "$dir" <"$out/$p" 2>&1); then
			printf '%s\n' "$words" ${msg:+"$msg"} | sed 's/^/    /' >&2
			failed_patch=$p
			rm -rf "$parts"
			return 1
		fi
	done
	rm -rf "$parts"
	cp "$ROOT/patches/series" "$out/"
	PATCHES=$out
}

# form_note FILE FORM: what taking FORM for FILE means, for a message
form_note() {
	if form_absent "$ROOT/$2"; then
		echo "left out: this release has no $1 ($2)"
	else
		echo "the form $2 (this release's $1 differs around the change)"
	fi
}

# same_change PATCH FILE DIFF: is DIFF (one file's part of a commit) the
# part of PATCH for FILE, in one of its forms? (git patch-id: the lines
# changed and around, not where)
same_change() {
	local parts want got sec
	parts=$(mktemp -d)
	split_patch "$ROOT/patches/$1" "$parts"
	got=$(git patch-id --stable <"$3" | cut -d' ' -f1)
	for sec in "$parts"/[0-9]*; do
		[ "$(section_file "$sec")" = "$2" ] || continue
		for want in "$sec" $(forms_of "$1" "$2"); do
			if [ "$(git patch-id --stable <"$want" | cut -d' ' -f1)" = "$got" ]; then
				rm -rf "$parts"
				return 0
			fi
		done
	done
	rm -rf "$parts"
	return 1
}

# copy_touched TREE DIR [FILE...]: copy to DIR those of the files the
# series touches (and of FILEs) that TREE has, at the same paths: all
# that patch, quilt and git am read of a tree.
copy_touched() {
	local tree=$1 dir=$2 f
	shift 2
	for f in "$@" "${touched[@]}"; do
		if [ -f "$tree/$f" ]; then
			mkdir -p "$dir/$(dirname "$f")"
			cp "$tree/$f" "$dir/$f"
		fi
	done
}

# git_ DIR ARGS...: git in a scratch repository, with an identity of its
# own and none of the user's configuration in the way
git_() {
	local dir=$1
	shift
	# (and none of a git hook's GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE)
	env -u GIT_DIR -u GIT_WORK_TREE -u GIT_INDEX_FILE -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES \
		GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git -C "$dir" -c user.name=mysyscall \
		-c user.email=mysyscall@localhost -c commit.gpgsign=false -c core.autocrlf=false "$@"
}

# The cover letter: patches/COVER, in git format-patch --cover-letter
# form, not in the series (git am, quilt and patch -p1 leave it out).
COVER=0000-cover-letter.patch

# subject_prefix PATCH: what its Subject has in brackets before "N/M"
# ("PATCH v2"), for format-patch to write the same
subject_prefix() { sed -n 's,^Subject: \[\(.*\) [0-9]*/[0-9]*\].*,\1,p' "$1" | sed -n 1p; }

# cover_block DIR: the shortlog and diffstat that git format-patch
# --cover-letter writes for base..HEAD of the scratch repository DIR
cover_block() {
	local out
	out=$(mktemp -d)
	git_ "$1" format-patch -q --cover-letter -o "$out" base..HEAD
	sed -n '/^\*\*\* BLURB HERE \*\*\*$/,/^-- $/p' "$out/$COVER" | sed '1,2d; $d'
	rm -rf "$out"
}

# cover_block_of FILE: that part of a cover letter (from the shortlog's
# "Author (N):" line to the signature)
cover_block_of() { sed -n '/^[^ ].* ([0-9]*):$/,/^-- $/p' "$1" | sed '$d'; }

# series_repo TREE DIR: a scratch git repository in DIR of the files the
# series touches, as TREE has them (that commit tagged base), with the
# series (in TREE's forms) applied by git am on top. Prints git's words
# and returns 1 if it does not apply.
series_repo() {
	local out
	mkdir -p "$2"
	copy_touched "$1" "$2" Makefile
	git_ "$2" init -q && git_ "$2" add -Af && git_ "$2" commit -q -m base && git_ "$2" tag base || return 1
	resolve_series "$1" "$2.resolve" 2>/dev/null || true
	out=$(git_ "$2" am "${series[@]/#/$PATCHES/}" 2>&1) || {
		printf '%s\n' "$out"
		return 1
	}
}

# abi_guard TREE: may the series give out 548 and 549 in TREE? Prints
# "free" (yes) or "ours" (the series is already there); otherwise stops,
# saying what holds the numbers or why the tree is too old. Looks at each
# table the series numbers calls in and TREE has: x86-64's, the generic
# scripts/syscall.tbl (6.11 on) and asm-generic/unistd.h. Needs
# load_series.
abi_guard() {
	local tree=$1 tbl=arch/x86/entry/syscalls/syscall_64.tbl f ours theirs state=free
	for f in "$tbl" scripts/syscall.tbl include/uapi/asm-generic/unistd.h; do
		[ -f "$tree/$f" ] || continue
		ours=$(cd "$ROOT/patches" && awk -v f="$f" '/^\+\+\+ b\// { cur = substr($2, 3); next }
			cur == f && /^\+/ { print substr($0, 2) }' "${series[@]}" | numbered_548 "$f")
		theirs=$(numbered_548 "$f" <"$tree/$f")
		if [ -n "$theirs" ] && [ "$theirs" = "$ours" ]; then
			state=ours
		elif [ -n "$theirs" ]; then
			printf '%s: %s already uses these numbers:\n' "$PROG" "$f" >&2
			printf '%s\n' "$theirs" | sed 's/^/    /' >&2
			die "$E_BUILD" "548/549 are taken in $tree, so the series' numbers would clash; the tree is unchanged. Pick free numbers in patches/0003 and 0004 (and the selftests' mysyscall.h in patches/0005), or use another tree"
		fi
	done
	if [ "$state" = free ] && ! grep -q 'Numbers 548 and above are' "$tree/$tbl"; then
		die "$E_BUILD" "$tree ($(tree_version "$tree")) predates Linux 5.11: its $tbl lacks the comment that makes 548 and up \"not special\" (the last number there is $(awk '$1 ~ /^[0-9]+$/ { n = $1 } END { print n }' "$tree/$tbl")). The series needs 5.11 or later; the tree is unchanged"
	fi
	echo "$state"
}

# numbered_548 FILE: the lines of standard input (FILE's text) that give
# out 548 or 549: table entries, or __NR_ defines of a unistd.h
numbered_548() {
	case "$1" in
	*.tbl) awk '$1 == 548 || $1 == 549' | tr -s ' \t' ' ' ;;
	*) grep -E '^#define __NR_[A-Za-z0-9_]+[[:space:]]+54[89]([^0-9]|$)' | tr -s ' \t' ' ' || true ;;
	esac
}

# copy_kbuild_output FROM TO [FROM_SRC TO_SRC]: TO, a copy of the kbuild
# output directory FROM (written as TO.tmp, renamed when whole), with the
# absolute paths kbuild recorded in its .*.cmd and .*.d files (the tools
# it builds record their output directory; every object its source
# tree) renamed: FROM to TO and, given, FROM_SRC to TO_SRC. kbuild then
# finds the copy as up to date as FROM; whatever else differs, it
# rebuilds (a slower build, never a wrong one).
copy_kbuild_output() {
	local from to sed_script
	from=$(readlink -f "$1")
	rm -rf "$2.tmp"
	mkdir -p "$2.tmp"
	to=$(readlink -f "$2")
	cp -a "$from/." "$2.tmp/" || die "$E_BUILD" "copying $from to $2.tmp failed (disk full?)"
	sed_script="s|$from/|$to/|g"
	[ -z "${3:-}" ] || sed_script="s|$3/|$4/|g; s|$3\([ :]\)|$4\1|g; $sed_script"
	# (no file naming them is no error: an arm64 build has no objtool)
	{ grep -rlZF --include='*.cmd' --include='.*.d' -e "$from/" ${3:+-e "$3"} "$2.tmp" || [ $? = 1 ]; } |
		xargs -0 -r sed -i "$sed_script"
	rm -rf "$2"
	mv -T "$2.tmp" "$2"
}

# config_fragments: the kconfig fragments of CONFIG, into the array
# fragments: kernel-config/base.config, kernel-config/arch/ARCH.config
# (the architecture's console and ABIs), then kernel-config/CONFIG.config
# (the later one wins).
config_fragments() {
	local -a more
	fragments=("$ROOT/kernel-config/base.config" "$ROOT/kernel-config/arch/$GUEST_ARCH.config")
	# No configuration builds Rust code or BTF, but kconfig records the
	# versions of the host's rustc and pahole (CONFIG_RUSTC_VERSION...)
	# when it finds them: named as absent, so that the same tree and
	# fragments give the same .config on every host
	# (kernel-config/resolved/ is compared with it).
	kbuild_vars=(RUSTC=mysyscall-no-rustc PAHOLE=mysyscall-no-pahole CROSS_COMPILE="$CROSS_COMPILE")
	[ "$CONFIG" = base ] && return
	[ -f "$ROOT/kernel-config/$CONFIG.config" ] ||
		die "$E_USAGE" "CONFIG=$CONFIG: there is no kernel-config/$CONFIG.config (have: $(find "$ROOT/kernel-config" -maxdepth 1 -name '*.config' -printf '%f ' | sed 's/\.config//g'))"
	fragments+=("$ROOT/kernel-config/$CONFIG.config")
	# A line "# mysyscall-make: LLVM=1" in a fragment: the variables every
	# make of the kernel gets for that configuration (kmsan.config: built
	# with clang). Checked here, so that a missing compiler is named.
	read -r -a more <<<"$(sed -n 's/^# mysyscall-make: *//p' "${fragments[@]}" | xargs)"
	kbuild_vars+=("${more[@]}")
	if [[ " ${kbuild_vars[*]} " == *" LLVM=1 "* ]]; then
		need clang ld.lld llvm-ar llvm-nm llvm-objcopy
	fi
}

# fragment_wants OPTION: what the fragments ask of CONFIG_OPTION: y, m, a
# value, n ("is not set"), or nothing when they do not mention it. The
# expectations of a test boot come from here, the configuration asked
# for, never from the .config under test.
fragment_wants() {
	awk -v k="CONFIG_$1" '
		index($0, k "=") == 1 { v = substr($0, length(k) + 2) }
		$0 == "# " k " is not set" { v = "n" }
		END { print v }' "${fragments[@]}"
}

# check_config FILE: compare a .config with the fragments. Sets lost (one
# line per option asked for that FILE does not have, though the tree
# defines it) and unknown (options the tree does not define at all: from
# a later release).
check_config() {
	local sym want from got
	lost=() unknown=()
	while read -r sym want from got; do
		[ -n "$sym" ] || continue
		if grep -rqsE --include='Kconfig*' "^[[:space:]]*(menu)?config[[:space:]]+${sym#CONFIG_}[[:space:]]*$" "$SRC"; then
			lost+=("    $want (asked in $from) is $got")
		else
			unknown+=("$sym ($from)")
		fi
	done < <(awk '
		FILENAME == ARGV[1] {
			if ($0 ~ /^CONFIG_[A-Za-z0-9_]+=/) { split($0, kv, "="); have[kv[1]] = $0 }
			else if ($0 ~ /^# CONFIG_[A-Za-z0-9_]+ is not set/) have[$2] = "n"
			next
		}
		/^CONFIG_[A-Za-z0-9_]+=/ { split($0, kv, "="); want[kv[1]] = $0; src[kv[1]] = FILENAME }
		/^# CONFIG_[A-Za-z0-9_]+ is not set/ { want[$2] = "n"; src[$2] = FILENAME }
		END {
			for (k in want) {
				got = (k in have) ? have[k] : "n"
				if (got != want[k]) {
					w = want[k] == "n" ? k "=n" : want[k]
					g = got == "n" ? "not set" : got
					n = split(src[k], parts, "/")
					printf "%s %s %s %s\n", k, w, parts[n], g
				}
			}
		}' "$1" "${fragments[@]}" | sort)
}

# tree_identity TREE: one line that changes whenever TREE's content does.
# A tree in the cache never changes: its path. A git tree: HEAD and a
# hash of "git status" and of its uncommitted diff. Any other tree: a
# hash of every file's path, size and mtime (.git aside).
tree_identity() {
	local tree
	tree=$(readlink -f "$1")
	case "$tree" in
	"$(readlink -m "${CACHE_DIR:-/nonexistent}")"/trees/*)
		echo "$tree"
		return
		;;
	esac
	if [ -d "$tree/.git" ] && command -v git >/dev/null &&
		[ "$(git -C "$tree" rev-parse --show-toplevel 2>/dev/null)" = "$tree" ]; then
		printf '%s git %s %s\n' "$tree" "$(git -C "$tree" rev-parse HEAD 2>/dev/null || echo none)" \
			"$({ git -C "$tree" status --porcelain -uall && { git -C "$tree" diff HEAD 2>/dev/null || true; }; } | sha256sum | cut -c1-16)"
	else
		printf '%s files %s\n' "$tree" \
			"$(cd "$tree" && find . -path ./.git -prune -o -type f -printf '%P %s %T@\n' | sort | sha256sum | cut -c1-16)"
	fi
}

# Build output in a source tree (an in-tree build): kbuild refuses O= on
# such a tree ("source tree is not clean"). Prints what it found.
tree_build_output() { # tree_build_output TREE
	local f
	for f in .config include/config include/generated arch/x86/include/generated; do
		if [ -e "$1/$f" ]; then echo "$f"; fi
	done
}

# Usage text is the comment block at the top of the calling script.
usage() {
	sed -n '2,/^[^#]/{/^#/{s/^# \{0,1\}//;p}}' "$0"
}

handle_help() {
	case "${1:-}" in
	-h | --help)
		usage
		exit 0
		;;
	"") ;;
	*)
		usage >&2
		exit "$E_USAGE"
		;;
	esac
}
