#!/usr/bin/env bash
# build-tests.sh: build the guest programs from userspace-tests/.
#
# Usage: scripts/build-tests.sh [--help]
#
# Compiles every userspace-tests/*.c (a test), userspace-tests/stress/*.c
# (a stress test: run with STRESS=1, after all the others, as it exhausts
# mysyscall()'s printk ratelimit) and userspace-tests/seeds/* (the seeds' example
# programs) statically, against the built kernel's UAPI headers and the
# tree's kselftest_harness.h, and the tests of the calls again as i386 and
# x32 programs (Debian's i686-linux-gnu-gcc and x86_64-linux-gnux32-gcc),
# into BUILD_DIR/KERNEL/CONFIG/guest/usr/{lib/mysyscall/tests,
# lib/mysyscall/i386,lib/mysyscall/x32,lib/mysyscall/stress,bin}:
# the part of the initramfs that is ours. Incremental (make). V=1 shows
# the commands.
#
# USERSPACE_TESTS=DIR builds another directory laid out the same way.
#
# Exit codes: 0 ok, 3 a program did not compile.

. "$(dirname -- "$0")/lib.sh" || exit 8
handle_help "$@"
lock_build

[ -f "$OBJ/usr/include/asm/unistd_64.h" ] ||
	die "$E_USAGE" "no UAPI headers in $OBJ/usr/include; run scripts/build.sh (make kernel) first"
need make gcc i686-linux-gnu-gcc x86_64-linux-gnux32-gcc

tests=${USERSPACE_TESTS:-$ROOT/userspace-tests}
guest=$OUT/guest
# A test whose source is gone must not stay in the initramfs.
prune() { # prune BINDIR SRCDIR: remove each BINDIR/NAME without a SRCDIR/NAME.c
	local bin
	for bin in "$1"/*; do
		[ -e "$bin" ] || continue
		[ -f "$2/${bin##*/}.c" ] || rm -f "$bin"
	done
}
prune "$guest/usr/lib/mysyscall/tests" "$tests"
prune "$guest/usr/lib/mysyscall/stress" "$tests/stress"
prune "$guest/usr/lib/mysyscall/bench" "$tests/bench"
prune "$guest/usr/lib/mysyscall/i386" "$tests"
prune "$guest/usr/lib/mysyscall/x32" "$tests"
for bin in "$guest"/usr/bin/*; do
	[ -e "$bin" ] || continue
	compgen -G "$tests/seeds/${bin##*/}.[cS]" >/dev/null ||
		[ -f "$tests/tools/${bin##*/}.c" ] || rm -f "$bin"
done

# Real paths (gcc records those), which the Makefile maps out of the debug
# info, for builds that do not depend on where they ran.
if ! make -s -C "$tests" --no-print-directory V="$V" O="$guest" \
	KHDR="$(readlink -f "$OBJ/usr/include")" SELFTESTS="$(readlink -f "$SRC/tools/testing/selftests")"; then
	die "$E_BUILD" "a guest program did not compile (see the errors above)"
fi
