#!/usr/bin/env bash
# build-tests.sh: build the guest programs: the series' kselftests and
# the rig's own programs from userspace-tests/.
#
# Usage: scripts/build-tests.sh [--help]
#
# Into BUILD_DIR/KERNEL/CONFIG/guest/usr, the part of the initramfs that
# is ours:
#   lib/mysyscall/kselftest/  the series' tests of the calls
#       (tools/testing/selftests/mysyscall/ in the patched tree), built and
#       installed by the tree's own kselftest Makefile (make -C
#       tools/testing/selftests TARGETS=mysyscall install), statically and
#       against the built UAPI headers; with its run_kselftest.sh, which the
#       guest runs them through
#   lib/mysyscall/{i386,x32}/  three of them again as i386 and x32 programs
#       (Debian's i686-linux-gnu-gcc and x86_64-linux-gnux32-gcc; x86-64
#       only)
#   lib/mysyscall/tests/, bench/, bin/  userspace-tests/*.c (the rig's
#       checks), the tools, the benchmark and the seeds' example programs
#   lib/mysyscall/stress-tests  userspace-tests/stress-tests: which of the
#       kselftests /init runs only with STRESS=1, last, as stress/NAME
# Incremental (make). V=1 shows the commands.
#
# For ARCH=arm64 or riscv64, with ${CROSS_COMPILE}gcc (Debian's
# aarch64-linux-gnu-gcc, riscv64-linux-gnu-gcc on another host).
# USERSPACE_TESTS=DIR builds another directory laid out the same way.
#
# Exit codes: 0 ok, 3 a program did not compile.

. "$(dirname -- "$0")/lib.sh" || exit 8
handle_help "$@"
lock_build

[ -f "$OBJ/usr/include/asm/unistd.h" ] ||
	die "$E_USAGE" "no UAPI headers in $OBJ/usr/include; run scripts/build.sh (make kernel) first"
# The guest's compiler: CROSS_COMPILE's (lib.sh: Debian's cross compiler
# for another architecture than the host's). On x86-64, the i386 and x32
# builds too; another architecture has neither ABI, nor the seeds' x86
# assembly program (the guest's checks say SKIP for those, with why).
cc=${CROSS_COMPILE}gcc
xabis=()
[ "$GUEST_ARCH" != x86_64 ] || xabis=(i386 x32)
need make "$cc" rsync
[ "$GUEST_ARCH" != x86_64 ] || need i686-linux-gnu-gcc x86_64-linux-gnux32-gcc

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
rm -rf "$guest/usr/lib/mysyscall/stress" # the stress tests were the rig's before v2
prune "$guest/usr/lib/mysyscall/bench" "$tests/bench"
sel=$(readlink -f "$SRC/tools/testing/selftests")
[ -f "$sel/mysyscall/Makefile" ] ||
	die "$E_USAGE" "$SRC has no tools/testing/selftests/mysyscall: the series' selftests patch is not applied (make patch)"
prune "$guest/usr/lib/mysyscall/i386" "$sel/mysyscall"
prune "$guest/usr/lib/mysyscall/x32" "$sel/mysyscall"
for bin in "$guest"/usr/bin/*; do
	[ -e "$bin" ] || continue
	compgen -G "$tests/seeds/${bin##*/}.[cS]" >/dev/null ||
		[ -f "$tests/tools/${bin##*/}.c" ] || rm -f "$bin"
done

# Real paths (gcc records those), which the Makefile maps out of the debug
# info, for builds that do not depend on where they ran.
if ! make -s -C "$tests" --no-print-directory V="$V" O="$guest" CC="$cc" GUEST_ARCH="$GUEST_ARCH" \
	XABIS="${xabis[*]}" KHDR="$(readlink -f "$OBJ/usr/include")" SELFTESTS="$sel"; then
	die "$E_BUILD" "a guest program did not compile (see the errors above)"
fi

sed '/^#/d; /^$/d' "$tests/stress-tests" >"$guest/usr/lib/mysyscall/stress-tests.tmp"
mv "$guest/usr/lib/mysyscall/stress-tests.tmp" "$guest/usr/lib/mysyscall/stress-tests"

# The series' kselftests, by the tree's own kselftest Makefile: objects
# in OBJ/kselftest (its place for O=), static (the guest has no shared C
# library), against the built UAPI headers, and no directory of this
# machine in the binaries (the same bytes wherever they are built).
obj=$(readlink -f "$OBJ")
ksft=$guest/usr/lib/mysyscall/kselftest
log=$LOGS/kselftest.log
mkdir -p "$LOGS"
: >"$log"
rm -rf "$ksft.tmp"
if ! run "$log" make -C "$sel" O="$obj" TARGETS=mysyscall CROSS_COMPILE="$CROSS_COMPILE" \
	CC="$cc -ffile-prefix-map=$sel=selftests -ffile-prefix-map=$obj=obj" LDFLAGS=-static \
	KHDR_INCLUDES="-isystem $obj/usr/include" INSTALL_PATH="$ksft.tmp" install ||
	[ ! -x "$ksft.tmp/run_kselftest.sh" ]; then
	show_log_tail "$log"
	rm -rf "$ksft.tmp"
	die "$E_BUILD" "the series' kselftests did not build or install (see $log)"
fi
if diff -r "$ksft.tmp" "$ksft" >/dev/null 2>&1; then
	rm -rf "$ksft.tmp"
else
	rm -rf "$ksft"
	mv "$ksft.tmp" "$ksft"
	say KSFT "$(sed 's/^mysyscall://' "$ksft/kselftest-list.txt" | xargs) -> ${ksft#"$ROOT"/}"
fi
# kselftest installs its runner 744, for root; the guest runs the tests
# as uid 65534 too (/init: nobody/NAME).
chmod -R a+rX "$ksft"
