#!/usr/bin/env bash
# deps.sh: install the Debian/Ubuntu packages the rig needs, if missing.
#
# Usage: scripts/deps.sh [--for-check] [--help]
#
# Checks for each program or file the stages use and installs the missing
# packages with apt-get: directly as root, through sudo otherwise. When
# neither can install, it prints the exact command to run and fails.
# Installs nothing when everything is there (a second run is instant).
#
# What it installs depends on ARCH (the guest's: its QEMU, and for
# another architecture than the host's its cross compiler).
#
#   --for-check  also what "make check" needs (every ARCH's packages; the
#             programs shellcheck, bats, sparse;
#             node and npm, for the workflows' schema validator; dash;
#             python3, for the tree's kunit.py; clang, lld and llvm, for
#             CONFIG=kmsan, which CONFIG=kmsan alone also installs)
#
# Exit codes: 0 everything is there, 6 something is missing and could not
# be installed.

. "$(dirname -- "$0")/lib.sh" || exit 8
CHECK_DEPS=0
case "${1:-}" in
--for-check) CHECK_DEPS=1 ;;
*) handle_help "$@" ;;
esac

# package  what proves it is installed (a command, an absolute path, or
# a static library gcc finds)
wanted="
build-essential  gcc
build-essential  make
libc6-dev        libc.a
flex             flex
bison            bison
bc               bc
libelf-dev       /usr/include/libelf.h
xz-utils         xz
quilt            quilt
rsync            rsync
patch            patch
file             file
mandoc           mandoc
"
# What a guest of architecture $1 needs: its QEMU; for another
# architecture than the host's, Debian's cross compiler and C library
# (the kernel and the static guest programs) and dpkg-deb (its BusyBox
# comes from Debian's archive: scripts/fetch.sh); for the host's own, its
# static BusyBox and strace; on x86-64, the i386 and x32 compilers.
arch_wants() {
	local triplet=$1-linux-gnu debarch=$1
	case "$1" in
	x86_64) debarch=amd64 wanted+=$'qemu-system-x86  qemu-system-x86_64\n' ;;
	arm64) triplet=aarch64-linux-gnu wanted+=$'qemu-system-arm  qemu-system-aarch64\n' ;;
	riscv64) wanted+=$'qemu-system-misc qemu-system-riscv64\nqemu-system-data /usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin\n' ;;
	esac
	if [ "$1" = "$HOST_ARCH" ]; then
		wanted+="
busybox-static   ${BUSYBOX:-/bin/busybox}
strace           strace
"
	else
		wanted+="
gcc-${triplet//_/-}  $triplet-gcc
libc6-dev-$debarch-cross  /usr/$triplet/lib/libc.a
dpkg             dpkg-deb
"
	fi
	if [ "$1" = x86_64 ]; then
		wanted+="
gcc-i686-linux-gnu       i686-linux-gnu-gcc
libc6-dev-i386-cross     /usr/i686-linux-gnu/lib/libc.a
gcc-x86-64-linux-gnux32  x86_64-linux-gnux32-gcc
libc6-dev-x32-cross      /usr/x86_64-linux-gnux32/lib/libc.a
"
	fi
}
# make check builds all three; make qemu-test the one ARCH names.
if [ "$CHECK_DEPS" = 1 ]; then
	for a in x86_64 arm64 riscv64; do arch_wants "$a"; done
else
	arch_wants "$GUEST_ARCH"
fi
# A pinned kernel is a Debian package; your own tree or tarball is not.
if [ -z "${KERNEL_SRC:-}" ] && [ -z "${KERNEL_TARBALL:-}" ]; then
	wanted+="
dpkg             dpkg-deb
"
fi
# A configuration built with clang (a "# mysyscall-make: LLVM=1" line in
# its fragment: kmsan.config), and make check, which builds it.
if [ "$CHECK_DEPS" = 1 ] || grep -qs '^# mysyscall-make:.*LLVM=1' "$ROOT/kernel-config/${CONFIG:-base}.config"; then
	wanted+="
clang            clang
lld              ld.lld
llvm             llvm-ar
"
fi
if [ "$CHECK_DEPS" = 1 ]; then
	wanted+="
shellcheck       shellcheck
bats             bats
sparse           sparse
nodejs           node
npm              npm
dash             dash
original-awk     original-awk
python3          python3
"
fi

missing=()
while read -r pkg probe; do
	[ -n "$pkg" ] || continue
	case "$probe" in
	/*) [ -e "$probe" ] && continue ;;
	*.a) [[ $(gcc -print-file-name="$probe" 2>/dev/null) == /* ]] && continue ;; # a static library gcc finds
	*) command -v "$probe" >/dev/null 2>&1 && continue ;;
	esac
	# Debian's dynamic busybox also installs /bin/busybox: want the static one.
	[[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
done <<<"$wanted"
if [ -z "${BUSYBOX:-}" ] && [ -x /bin/busybox ] && ! is_static /bin/busybox &&
	[[ " ${missing[*]} " != *" busybox-static "* ]]; then
	missing+=(busybox-static)
fi
[ "${#missing[@]}" -eq 0 ] && exit 0

line="apt-get install -y --no-install-recommends ${missing[*]}"
command -v apt-get >/dev/null ||
	die "$E_DEPS" "missing: ${missing[*]}. This is not a Debian/Ubuntu system: install the equivalents with your package manager"
if [ "$(id -u)" = 0 ]; then
	sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
	sudo=(sudo -n)
else
	die "$E_DEPS" "missing packages: ${missing[*]}. Install them as root: sudo $line"
fi

begin
log=$BUILD_DIR/deps.log
writable_dir "$BUILD_DIR" BUILD_DIR
: >"$log"
export DEBIAN_FRONTEND=noninteractive
# Package lists may be missing or stale on a fresh machine: update once on failure.
if ! run "$log" "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
	if ! run "$log" "${sudo[@]}" apt-get update ||
		! run "$log" "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
		show_log_tail "$log"
		die "$E_DEPS" "could not install ${missing[*]} (log: $log). Try by hand: sudo $line"
	fi
fi
step_done DEPS "installed ${missing[*]}"
