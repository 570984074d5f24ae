#!/usr/bin/env bash
# boot.sh: the pipeline's boot stage: boot this build's kernel and
# initramfs in QEMU, through the dist's own boot script.
#
# Usage: scripts/boot.sh [--help]
#
# The rig's side of scripts/dist-boot.sh (the QEMU launcher that make dist
# ships as "boot"): points it at BUILD_DIR/KERNEL/CONFIG's kernel and
# initramfs, kernel-config/CONFIG.cmdline and logs/, checks TESTS against
# the guest programs built, and runs it.
#
# MODE=test (default) runs the guest tests and prints the results as
# scripts/verdict.awk judges them (the console goes to
# BUILD_DIR/KERNEL/CONFIG/logs/serial.log; V=1 prints it too), ending
# with "N passed, N failed"; every program packed must run. MODE=bench
# runs the programs of userspace-tests/bench/ (for scripts/bench.sh),
# with the console on stdout. MODE=shell gives an interactive BusyBox
# shell on the serial console instead.
#
# Variables: those of scripts/dist-boot.sh (ACCEL=auto with its KVM probe,
# KVM_PROBE, TIMEOUT, MEM, SMP, TESTS, APPEND, QEMU, QEMU_ARGS, ...),
# and KERNEL_IMAGE, INITRAMFS to boot other files with this build's setup.
# The expectations come from the configuration asked for (CONFIG's
# fragments), not from the .config built: CONFIG=nosyscall gets
# MYSYSCALL_EXPECT=absent, which tells the guest tests to expect ENOSYS,
# and a configuration with the KUnit tests MYSYSCALL_KUNIT=1, which makes
# a boot without KUnit results fail.
#
# Exit codes: those of scripts/dist-boot.sh: 0 the guest ran to the end and
# its tests passed, 1 a guest test failed or did not run,
# 4 the guest did not boot, panicked or oopsed (the panic is printed),
# 5 it did not finish within TIMEOUT, 6 QEMU is missing.

. "$(dirname -- "$0")/lib.sh" || exit 8
handle_help "$@"
lock_build

export MODE=${MODE:-test}
export KERNEL_IMAGE=${KERNEL_IMAGE:-$IMAGE}
export INITRAMFS=${INITRAMFS:-$OUT/initramfs.cpio}
export CMDLINE_FILE=$ROOT/kernel-config/$CONFIG.cmdline
export KCONFIG=$OBJ/.config LOG_DIR=$LOGS CACHE_DIR V
# What the guest must show comes from the configuration asked for, not
# from the .config under test: a kernel that lost CONFIG_MYSYSCALL by
# accident must fail as base, not pass as the negative control.
config_fragments
MYSYSCALL_EXPECT=present MYSYSCALL_KUNIT=0
[ "$(fragment_wants MYSYSCALL)" != n ] || MYSYSCALL_EXPECT=absent
[ "$(fragment_wants MYSYSCALL_KUNIT_TEST)" != y ] || MYSYSCALL_KUNIT=1
export MYSYSCALL_EXPECT MYSYSCALL_KUNIT
# A configuration whose guest is slow under TCG ("# mysyscall-timeout:
# 900" in its fragment: kmsan.config) has a longer default TIMEOUT; a
# TIMEOUT given still wins.
if [ -z "${TIMEOUT:-}" ]; then
	t=$(sed -n 's/^# mysyscall-timeout: *\([0-9][0-9]*\).*/\1/p' "${fragments[@]}" | tail -n 1)
	[ -z "$t" ] || export TIMEOUT=$t
fi
# Every program packed must run (a dist's boot only knows the guest's plan).
MYSYSCALL_PROGRAMS=$(guest_programs)
export MYSYSCALL_PROGRAMS
LABEL=linux-$(tree_version "$SRC")
export LABEL
[ -f "$KERNEL_IMAGE" ] || die "$E_USAGE" "no kernel at $KERNEL_IMAGE; run make kernel first"
[ -f "$INITRAMFS" ] || die "$E_USAGE" "no initramfs at $INITRAMFS; run make initramfs first"
command -v "${QEMU:-$QEMU_BIN}" >/dev/null 2>&1 ||
	die "$E_DEPS" "'${QEMU:-$QEMU_BIN}' is not installed; run 'make deps${ARCH_SUFFIX:+ ARCH=$GUEST_ARCH}' (or scripts/deps.sh) to install it ($QEMU_PKG)"

for t in ${TESTS:-}; do
	p=${t%%:*}
	[ -x "$OUT/guest/usr/lib/mysyscall/tests/$p" ] ||
		[ -x "$OUT/guest/usr/lib/mysyscall/kselftest/mysyscall/${p#*/}" ] ||
		[ -x "$OUT/guest/usr/lib/mysyscall/$p" ] ||
		die "$E_USAGE" "TESTS: there is no guest program '${t%%:*}' (have: $(cd "$OUT/guest/usr/lib/mysyscall" && { find tests i386 x32 -type f; sed -n 's/^mysyscall://p' kselftest/kselftest-list.txt | grep -vxF -f stress-tests | sed 'p; s|^|nobody/|'; sed 's|^|stress/|' stress-tests; } 2>/dev/null | sed 's|^tests/||' | sort | xargs))"
done
exec "$ROOT/scripts/dist-boot.sh"
