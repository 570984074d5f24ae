#!/usr/bin/env bash
# qemu-test.sh: the whole pipeline, from packages to a verdict.
#
# Usage: scripts/qemu-test.sh [--boot-only | --build-only] [--help]   (make qemu-test)
#
# deps -> fetch -> patch -> configure -> build -> build-tests ->
# initramfs -> boot -> verdict. Every stage is incremental, so a second
# run only rebuilds what changed. Variables: those of the stages (KERNEL,
# CONFIG, KERNEL_SRC, KERNEL_TARBALL, ACCEL, TIMEOUT, V, ...).
# Ends with "N passed, N failed" in every case. --boot-only (make boot)
# skips every stage before the boot; --build-only stops before it.
#
# Exit codes: 0 all tests passed, 1 a test failed, 2 bad variable,
# 3 build failed, 4 boot failed or the guest kernel crashed, 5 timeout,
# 6 missing dependency, 7 download or checksum failure.

. "$(dirname -- "$0")/lib.sh" || exit 8
BOOT_ONLY=0 BUILD_ONLY=0
case "${1:-}" in
--boot-only) BOOT_ONLY=1 ;;
--build-only) BUILD_ONLY=1 ;;
*) handle_help "$@" ;;
esac
lock_build

cd "$ROOT/scripts"
stage() { # stage SCRIPT...: run one stage; on failure end with the verdict line
	local rc=0
	"$@" || rc=$?
	if [ "$rc" != 0 ]; then
		echo "0 passed, 1 failed"
		exit "$rc"
	fi
}
if [ "$BOOT_ONLY" = 0 ]; then
	stage ./deps.sh
	stage ./fetch.sh
	stage ./patch.sh
	stage ./configure.sh
	stage ./build.sh
	stage ./build-tests.sh
	stage ./initramfs.sh
fi

[ "$BUILD_ONLY" = 0 ] || exit 0
if [ ! -f "${KERNEL_IMAGE:-$OBJ/arch/x86/boot/bzImage}" ] || [ ! -f "${INITRAMFS:-$OUT/initramfs.cpio}" ]; then
	printf '%s: error: nothing built to boot for KERNEL=%s CONFIG=%s (no %s): run make qemu-test first (make boot rebuilds nothing)\n' \
		"$PROG" "$KERNEL" "$CONFIG" "${OUT#"$ROOT"/}/initramfs.cpio or its kernel" >&2
	echo "0 passed, 1 failed"
	exit "$E_USAGE"
fi

set +e
./boot.sh | ./verdict.sh -
rcs=("${PIPESTATUS[@]}")
set -e
# A boot failure outranks the test results it cut short.
[ "${rcs[0]}" != 0 ] && exit "${rcs[0]}"
exit "${rcs[1]}"
