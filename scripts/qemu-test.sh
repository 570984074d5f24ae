#!/usr/bin/env bash
# qemu-test.sh: the whole pipeline, from packages to a verdict.
#
# Usage: scripts/qemu-test.sh [--boot-only | --build-only | --to STAGE] [--help]
#        (make qemu-test; make boot is --boot-only, and make fetch, patch,
#        config, kernel, tests and initramfs are --to their stage)
#
# deps -> fetch -> patch -> configure -> build -> build-tests ->
# initramfs -> boot -> verdict: the pipeline's order, written here only.
# Every stage is incremental, so a second run only rebuilds what changed.
# Variables: those of the stages (KERNEL, CONFIG, KERNEL_SRC,
# KERNEL_TARBALL, ACCEL, TIMEOUT, V, ...).
# A run up to the verdict ends with "N passed, N failed" in every case.
# --boot-only skips every stage before the boot; --build-only stops
# before it; --to STAGE (one of the stages above, before boot) stops
# after that stage.
#
# Exit codes: 0 all tests passed, 1 a test failed, 2 bad variable,
# 3 build failed, 4 boot failed or the guest kernel crashed, 5 timeout,
# 6 missing dependency, 7 download or checksum failure.

. "$(dirname -- "$0")/lib.sh" || exit 8
STAGES=(deps fetch patch configure build build-tests initramfs)
BOOT_ONLY=0 TO=""
case "${1:-}" in
--boot-only) BOOT_ONLY=1 ;;
--build-only) TO=initramfs ;;
--to)
	TO=${2:-}
	[[ " ${STAGES[*]} " == *" $TO "* ]] || die "$E_USAGE" "--to ${TO:-?}: one of ${STAGES[*]}"
	;;
*) handle_help "$@" ;;
esac
lock_build

cd "$ROOT/scripts"
if [ "$BOOT_ONLY" = 0 ]; then
	for s in "${STAGES[@]}"; do
		rc=0
		"./$s.sh" || rc=$?
		if [ "$rc" != 0 ]; then
			# A run up to the verdict ends with its line, whatever happens.
			[ -n "$TO" ] || echo "0 passed, 1 failed"
			exit "$rc"
		fi
		[ "$s" != "$TO" ] || exit 0
	done
fi

if [ ! -f "${KERNEL_IMAGE:-$IMAGE}" ] || [ ! -f "${INITRAMFS:-$OUT/initramfs.cpio}" ]; then
	printf '%s: error: nothing built to boot for KERNEL=%s CONFIG=%s%s (no %s): run make qemu-test first (make boot rebuilds nothing)\n' \
		"$PROG" "$KERNEL" "$CONFIG" "${ARCH_SUFFIX:+ ARCH=$GUEST_ARCH}" "${OUT#"$ROOT"/}/initramfs.cpio or its kernel" >&2
	echo "0 passed, 1 failed"
	exit "$E_USAGE"
fi

mkdir -p "$LOGS"
set +e
./boot.sh | tee "$LOGS/verdict.out"
rc=${PIPESTATUS[0]}
set -e
# A boot that stopped before its judge counted (a bad variable, QEMU
# missing) still ends with the line make check adds up.
grep -qE '^[0-9]+ passed, [0-9]+ failed' "$LOGS/verdict.out" || echo "0 passed, 1 failed"
exit "$rc"
