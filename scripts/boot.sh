#!/usr/bin/env bash
# boot.sh: boot the built bzImage and initramfs in QEMU.
#
# Usage: scripts/boot.sh [--help]
#
# MODE=test (default) runs the guest tests (MODE=bench: the programs of
# userspace-tests/bench/, for scripts/bench.sh) and copies the serial console
# to stdout and to BUILD_DIR/KERNEL/CONFIG/logs/serial.log; pipe it into
# scripts/verdict.sh for the results. MODE=shell gives an interactive
# BusyBox shell on the serial console instead.
#
# Variables:
#   ACCEL=auto     kvm, tcg, or auto: KVM when /dev/kvm works, else TCG.
#                  auto first boots a probe with KVM; if that guest does
#                  not reach init in KVM_PROBE seconds (KVM hangs under
#                  nested virtualisation), it says so and uses TCG. The
#                  outcome is remembered until the host reboots.
#   KVM_PROBE=10   seconds the KVM probe may take
#   TIMEOUT=300    hard limit, in seconds, on a test boot
#   MEM=512M SMP=2 guest memory and CPUs
#   TESTS=         run only these guest programs, e.g. "add10 stress/flood";
#                  PROGRAM:CASE runs one case ("add10:ten_gives_twenty")
#   APPEND=        more kernel command-line arguments, after those of
#                  kernel-config/CONFIG.cmdline (e.g. debug.cmdline)
#
# A kernel built without CONFIG_MYSYSCALL (the negative control) gets
# MYSYSCALL_EXPECT=absent, which tells the guest tests to expect ENOSYS.
#   QEMU=qemu-system-x86_64
#   QEMU_ARGS=     more QEMU arguments (scripts/gdb.sh adds its gdb stub)
#
# Exit codes: 0 the guest ran to the end (verdict.sh judges the tests),
# 4 the guest did not boot, panicked or oopsed (the panic is printed),
# 5 it did not finish within TIMEOUT, 6 QEMU is missing.

. "${0%/*}/lib.sh"
handle_help "$@"

MODE=${MODE:-test}
ACCEL=${ACCEL:-auto}
KVM_PROBE=${KVM_PROBE:-10}
TIMEOUT=${TIMEOUT:-300}
MEM=${MEM:-512M}
SMP=${SMP:-2}
QEMU=${QEMU:-qemu-system-x86_64}
APPEND=${APPEND:-}
KERNEL_IMAGE=${KERNEL_IMAGE:-$OBJ/arch/x86/boot/bzImage}
INITRAMFS=${INITRAMFS:-$OUT/initramfs.cpio}

need "$QEMU" timeout
[ -f "$KERNEL_IMAGE" ] || die "$E_USAGE" "no kernel at $KERNEL_IMAGE; run make kernel first"
[ -f "$INITRAMFS" ] || die "$E_USAGE" "no initramfs at $INITRAMFS; run make initramfs first"
case "$ACCEL" in auto | kvm | tcg) ;; *) die "$E_USAGE" "ACCEL=$ACCEL: use auto, kvm or tcg" ;; esac
case "$MODE" in test | shell | bench | gdb) ;; *) die "$E_USAGE" "MODE=$MODE: use test, shell, bench or gdb" ;; esac
mkdir -p "$LOGS"

# The command line: ours, the configuration's, then the user's.
cmdline="console=ttyS0 quiet panic=-1 oops=panic"
if [ -f "$ROOT/kernel-config/$CONFIG.cmdline" ]; then
	cmdline+=" $(grep -v '^#' "$ROOT/kernel-config/$CONFIG.cmdline" | tr '\n' ' ')"
fi
if [ -f "$OBJ/.config" ] && ! grep -q '^CONFIG_MYSYSCALL=y' "$OBJ/.config"; then
	cmdline+=" MYSYSCALL_EXPECT=absent"
fi
if [ -n "${TESTS:-}" ]; then
	for t in $TESTS; do
		[ -x "$OUT/guest/usr/lib/mysyscall/tests/${t%%:*}" ] ||
			[ -x "$OUT/guest/usr/lib/mysyscall/${t%%:*}" ] ||
			die "$E_USAGE" "TESTS: there is no guest program '${t%%:*}' (have: $(cd "$OUT/guest/usr/lib/mysyscall" && find tests stress -type f 2>/dev/null | sed 's|^tests/||' | sort | xargs))"
	done
	cmdline+=" MYSYSCALL_TESTS=$(echo "$TESTS" | xargs | tr ' ' ,)"
fi
cmdline+=" $APPEND"

# qemu_cmd ACCEL MODE: the QEMU command line, one word per line.
qemu_cmd() {
	local cpu=max serial=stdio
	[ "$1" = kvm ] && cpu=host
	# Interactive: multiplex QEMU's monitor in, so Ctrl-a x quits.
	[ "$2" = shell ] && serial=mon:stdio
	printf '%s\n' "$QEMU" -nodefaults -display none -no-reboot \
		-serial "$serial" -accel "$1" -cpu "$cpu" -m "$MEM" -smp "$SMP" \
		-kernel "$KERNEL_IMAGE" -initrd "$INITRAMFS" \
		-append "$cmdline MYSYSCALL_MODE=$2"
	# shellcheck disable=SC2086 # one argument per word
	[ -z "${QEMU_ARGS:-}" ] || printf '%s\n' $QEMU_ARGS
}

# Decide between KVM and TCG; sets accel and prints why.
choose_accel() {
	local why="" key state
	accel=$ACCEL
	[ "$ACCEL" = auto ] || return 0
	if [ ! -e /dev/kvm ]; then
		why="no /dev/kvm"
	elif [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
		why="/dev/kvm is not usable by $(id -un) (join group kvm)"
	else
		key=$CACHE_DIR/kvm-probe.$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)
		state=$(cat "$key" 2>/dev/null || true)
		if [ -z "$state" ]; then
			local out=$LOGS/kvm-probe.log cmd rc=0
			mapfile -t cmd < <(qemu_cmd kvm probe)
			timeout -k 2 "$KVM_PROBE" "${cmd[@]}" </dev/null >"$out" 2>&1 || rc=$?
			if grep -q '^mysyscall-guest: probe ok' "$out"; then
				state=ok
			elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
				state=hang
			else
				state=failed
			fi
			# Only a verdict on KVM itself is worth remembering.
			if [ "$state" != failed ]; then
				mkdir -p "$CACHE_DIR"
				echo "$state" >"$key"
			fi
		fi
		case "$state" in
		ok)
			accel=kvm
			return 0
			;;
		hang) why="a KVM guest did not reach init within ${KVM_PROBE}s (nested virtualisation?); remembered until the host reboots, ACCEL=kvm forces KVM" ;;
		*) why="the KVM probe failed (QEMU exit status $rc; see $LOGS/kvm-probe.log)" ;;
		esac
	fi
	accel=tcg
	say ACCEL "tcg: $why" >&2
}

choose_accel
mapfile -t cmd < <(qemu_cmd "$accel" "$MODE")
verbose && printf '+ %s\n' "${cmd[*]}" >&2

if [ "$MODE" = shell ]; then
	say BOOT "interactive shell ($accel): quit with Ctrl-a x, or 'exit' in the guest"
	exec "${cmd[@]}"
fi

serial=$LOGS/serial.log
# Progress goes to stderr: stdout carries the console, for verdict.sh.
begin
say BOOT "linux-$(tree_version "$SRC") on QEMU/$accel (timeout ${TIMEOUT}s)" >&2
set +e
timeout -k 5 "$TIMEOUT" "${cmd[@]}" </dev/null 2>"$LOGS/qemu.log" | tee "$serial"
rc=${PIPESTATUS[0]}
set -e

# The guest's own words decide, QEMU's exit status only when they are missing.
# Crashes, and the reports of the debug kernel's checkers (KASAN, KFENCE,
# UBSAN, lockdep, might_sleep), some of which do not panic even with
# panic_on_warn=1. Only at the start of a kernel line: what a test logs
# through mysyscall() starts with "mysyscall: ".
panic_at=$(grep -n -m1 -E '^(\[[ 0-9.]+\] )?(Kernel panic|BUG: |Oops: |general protection fault|WARNING: |UBSAN: |INFO: (possible|task .* blocked|rcu))' "$serial" | cut -d: -f1 || true)
if [ -n "$panic_at" ]; then
	printf '%s: the guest kernel crashed:\n' "$PROG" >&2
	tail -n +"$panic_at" "$serial" | head -n 40 | sed 's/^/    /' >&2
	die "$E_BOOT" "kernel crash during the test boot (full console: $serial)"
fi
if grep -q '^mysyscall-guest: done' "$serial"; then
	done_ BOOT "guest finished" >&2
	exit 0
fi
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	die "$E_TIMEOUT" "the guest did not finish within ${TIMEOUT}s (TIMEOUT=); console: $serial"
fi
show_log_tail "$LOGS/qemu.log" 10
if ! grep -q '^mysyscall-guest: begin' "$serial"; then
	show_log_tail "$serial" 20
	die "$E_BOOT" "the guest never reached /init (QEMU exit status $rc; console: $serial)"
fi
die "$E_BOOT" "the guest stopped before the tests finished (QEMU exit status $rc; console: $serial)"
