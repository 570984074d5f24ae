#!/usr/bin/env bash
# launch.sh: boot a mysyscall bzImage and initramfs in QEMU. It needs only
# bash, coreutils and QEMU, and stands alone: "make dist" ships it as the
# tarball's "boot", and scripts/boot.sh runs it for the rig.
#
# Usage: scripts/launch.sh [--test] [--help]     (in a dist: ./boot [--test])
#
# Without --test: an interactive BusyBox shell on this terminal, with the
# add10 and mysyscall tools, strace, man pages and the tests (quit with
# Ctrl-a x, or "exit" in the guest). --test runs the guest tests instead,
# copies the console to stdout and to LOG_DIR/serial.log, and ends with
# the guest's own verdict: every test program's exit status and KUnit's
# (a kernel configured with the KUnit tests must show some).
#
# Variables (defaults in brackets):
#   KERNEL_IMAGE, INITRAMFS   [bzImage, initramfs.cpio next to this script]
#   KCONFIG        the kernel's .config [config next to this script]: without
#                  CONFIG_MYSYSCALL=y the tests are told to expect ENOSYS
#                  (MYSYSCALL_EXPECT=absent); with the KUnit tests, --test
#                  wants their results in the kernel log
#   MYSYSCALL_EXPECT, MYSYSCALL_KUNIT   [from KCONFIG] present or absent, and
#                  1 or 0: what the guest must show, when the caller knows
#                  better than the .config (the rig: from the configuration
#                  asked for)
#   CMDLINE_FILE   kernel arguments the build's configuration needs, one
#                  line [cmdline next to this script, when there is one]
#   APPEND         more kernel arguments, after those
#   TESTS          --test runs only these guest programs, e.g. "add10 table";
#                  PROGRAM:CASE runs one case ("add10:ten_gives_twenty")
#   STRESS=1       --test runs the stress tests too, after the others (about
#                  8 s more: stress/flood waits out the printk ratelimit)
#   ACCEL=auto     kvm, tcg, or auto: KVM when /dev/kvm works, else TCG.
#                  auto first boots a probe with KVM; if that guest does
#                  not reach init in KVM_PROBE seconds (KVM hangs under
#                  nested virtualisation), it says so and uses TCG. The
#                  outcome is remembered (in CACHE_DIR) until the host reboots.
#   KVM_PROBE=10   seconds the KVM probe may take
#   TIMEOUT=300    hard limit, in seconds, on a --test boot
#   MEM=512M SMP=2 guest memory and CPUs
#   QEMU=qemu-system-x86_64, QEMU_ARGS= (more QEMU arguments)
#   LOG_DIR        [logs next to this script] serial.log, qemu.log, kvm-probe.log
#   CACHE_DIR      [~/.cache/mysyscall]
#   V=1            print the QEMU command line
#
# Exit codes: 0 the guest ran to the end (--test: and every test passed),
# 1 a guest test failed, 2 bad argument or variable, 4 the guest did not
# boot, panicked or oopsed (the panic is printed), 5 it did not finish
# within TIMEOUT, 6 QEMU is missing, 7 (a dist) a file does not match
# SHA256SUMS.

set -euo pipefail

here=$(cd "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
PROG=${0##*/}
die() { # die CODE MESSAGE...
	local code=$1
	shift
	printf '%s: error: %s\n' "$PROG" "$*" >&2
	exit "$code"
}
say() { printf '  %-7s %s\n' "$1" "$2" >&2; }
tail_of() { # tail_of FILE N: the last N lines of FILE, indented, if any
	[ -s "$1" ] || return 0
	printf '%s: last %d lines of %s:\n' "$PROG" "$2" "$1" >&2
	tail -n "$2" "$1" | sed 's/^/    /' >&2
}

if [ "${BASH_VERSINFO[0]}" -lt 4 ]; then
	echo "$PROG: error: needs bash 4 or later (this is $BASH_VERSION)" >&2
	exit 6
fi

case "${1:-}" in
-h | --help)
	sed -n '2,/^[^#]/{/^#/{s/^# \{0,1\}//;p}}' "$0"
	exit 0
	;;
--test) MODE="test" ;;
"") ;;
*)
	printf '%s: unknown argument %s (try --help)\n' "$PROG" "$1" >&2
	exit 2
	;;
esac

# MODE: shell, test, and for the rig bench and gdb (initramfs/init knows them).
MODE=${MODE:-shell}
KERNEL_IMAGE=${KERNEL_IMAGE:-$here/bzImage}
INITRAMFS=${INITRAMFS:-$here/initramfs.cpio}
CMDLINE_FILE=${CMDLINE_FILE-$here/cmdline}
KCONFIG=${KCONFIG:-$here/config}
APPEND=${APPEND:-}
TESTS=${TESTS:-}
ACCEL=${ACCEL:-auto}
KVM_PROBE=${KVM_PROBE:-10}
TIMEOUT=${TIMEOUT:-300}
MEM=${MEM:-512M}
SMP=${SMP:-2}
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_ARGS=${QEMU_ARGS:-}
LOG_DIR=${LOG_DIR:-$here/logs}
CACHE_DIR=${CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/mysyscall}
LABEL=${LABEL:-${KERNEL_IMAGE#"$PWD"/}}

case "$MODE" in test | shell | bench | gdb) ;; *) die 2 "MODE=$MODE: use test or shell (bench, gdb: for the rig)" ;; esac
case "$ACCEL" in auto | kvm | tcg) ;; *) die 2 "ACCEL=$ACCEL: use auto, kvm or tcg" ;; esac
for n in KVM_PROBE TIMEOUT SMP; do
	[[ ${!n} =~ ^[1-9][0-9]*$ ]] || die 2 "$n=${!n}: a positive whole number, please"
done
command -v "$QEMU" >/dev/null 2>&1 ||
	die 6 "'$QEMU' is not installed; install QEMU (Debian, Ubuntu: apt-get install qemu-system-x86; in the mysyscall repository: make deps), or set QEMU="
command -v timeout >/dev/null 2>&1 || die 6 "'timeout' (coreutils) is not installed"
[ -f "$KERNEL_IMAGE" ] || die 2 "no kernel at $KERNEL_IMAGE (set KERNEL_IMAGE=, or run this from an unpacked dist)"
[ -f "$INITRAMFS" ] || die 2 "no initramfs at $INITRAMFS (set INITRAMFS=)"
{ mkdir -p "$LOG_DIR" 2>/dev/null && [ -w "$LOG_DIR" ]; } || die 2 "cannot create LOG_DIR=$LOG_DIR (for the console logs): set LOG_DIR= to a writable directory"
# In a dist: are the files the ones packed?
if [ -f "$here/SHA256SUMS" ]; then
	if ! bad=$(cd "$here" && sha256sum --quiet -c SHA256SUMS 2>&1); then
		printf '%s\n' "$bad" | sed 's/^/    /' >&2
		die 7 "these files do not match $here/SHA256SUMS: download and unpack the tarball again"
	fi
fi

# configured OPTION: is CONFIG_OPTION=y in KCONFIG (when there is one)?
configured() { [ -f "$KCONFIG" ] && grep -q "^CONFIG_$1=y" "$KCONFIG"; }

# The command line: ours, the configuration's, then the user's.
cmdline="console=ttyS0 quiet panic=-1 oops=panic"
if [ -n "$CMDLINE_FILE" ] && [ -f "$CMDLINE_FILE" ]; then
	cmdline+=" $(sed '/^#/d' "$CMDLINE_FILE" | tr '\r\n' '  ')"
fi
read -r -a tests <<<"$TESTS"
[ "${#tests[@]}" = 0 ] || cmdline+=" MYSYSCALL_TESTS=$(IFS=,; echo "${tests[*]}")"
[ "${STRESS:-0}" != 1 ] || cmdline+=" MYSYSCALL_STRESS=1"
# One space between words; quotes are the kernel's (dyndbg="file x.c +p").
# What the guest must show: as the rig says (boot.sh: from the
# configuration asked for), or else as KCONFIG says.
if [ -z "${MYSYSCALL_EXPECT:-}" ]; then
	MYSYSCALL_EXPECT=present
	if [ -f "$KCONFIG" ] && ! configured MYSYSCALL; then MYSYSCALL_EXPECT=absent; fi
fi
case "$MYSYSCALL_EXPECT" in present | absent) ;; *) die 2 "MYSYSCALL_EXPECT=$MYSYSCALL_EXPECT: use present or absent" ;; esac
[ "$MYSYSCALL_EXPECT" = present ] || cmdline+=" MYSYSCALL_EXPECT=absent"
read -r -a words <<<"$cmdline $APPEND"
cmdline=${words[*]}

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
	# One argument per word of QEMU_ARGS, split at blanks, never globbed.
	local extra
	read -r -a extra <<<"$QEMU_ARGS"
	[ "${#extra[@]}" = 0 ] || printf '%s\n' "${extra[@]}"
}

# Decide between KVM and TCG; sets accel and says why when it is TCG.
choose_accel() {
	local why="" key state rc=0
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
			local out=$LOG_DIR/kvm-probe.log cmd
			mapfile -t cmd < <(qemu_cmd kvm probe)
			# The braces keep bash's own word on a QEMU killed by a signal
			# ("Aborted") off the terminal; the exit status says it.
			{ timeout --foreground -k 2 "$KVM_PROBE" "${cmd[@]}" </dev/null >"$out" 2>&1; } 2>/dev/null || rc=$?
			if grep -aq '^mysyscall-guest: probe ok' "$out"; then
				state=ok
			elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
				state=hang
			else
				state=failed
			fi
			# Only a verdict on KVM itself is worth remembering.
			if [ "$state" != failed ] && mkdir -p "$CACHE_DIR" 2>/dev/null; then
				if echo "$state" >"$key.tmp.$$"; then mv "$key.tmp.$$" "$key"; else rm -f "$key.tmp.$$"; fi
			fi
		fi
		case "$state" in
		ok)
			accel=kvm
			return 0
			;;
		hang) why="a KVM guest did not reach init within ${KVM_PROBE}s (nested virtualisation?); remembered until the host reboots, ACCEL=kvm forces KVM" ;;
		*) why="the KVM probe failed (QEMU exit status $rc; see $LOG_DIR/kvm-probe.log)" ;;
		esac
	fi
	accel=tcg
	say ACCEL "tcg: $why"
}

choose_accel
mapfile -t cmd < <(qemu_cmd "$accel" "$MODE")
[ "${V:-0}" != 1 ] || printf '+ %s\n' "${cmd[*]}" >&2

if [ "$MODE" = shell ]; then
	say BOOT "interactive shell ($accel): quit with Ctrl-a x, or 'exit' in the guest"
	exec "${cmd[@]}"
fi

serial=$LOG_DIR/serial.log
t0=$(date +%s%N)
# Progress goes to stderr: stdout carries the console.
say BOOT "$LABEL on QEMU/$accel (timeout ${TIMEOUT}s)"
set +e
timeout --foreground -k 5 "$TIMEOUT" "${cmd[@]}" </dev/null 2>"$LOG_DIR/qemu.log" | tee "$serial"
rc=${PIPESTATUS[0]}
set -e

# The guest's own words decide, QEMU's exit status only when they are missing.
# Crashes, and the reports of the debug kernel's checkers (KASAN, KFENCE,
# UBSAN, lockdep, might_sleep), some of which do not panic even with
# panic_on_warn=1. Only at the start of a kernel line: what a test logs
# through mysyscall() starts with "mysyscall: ".
panic_at=$(grep -an -m1 -E '^(\[[ 0-9.]+\] )?(Kernel panic|BUG: |Oops: |general protection fault|WARNING: |UBSAN: |INFO: (possible|task .* blocked|rcu))' "$serial" | cut -d: -f1 || true)
if [ -n "$panic_at" ]; then
	printf '%s: the guest kernel crashed:\n' "$PROG" >&2
	sed -n "${panic_at},$((panic_at + 39))s/^/    /p" "$serial" >&2
	die 4 "kernel crash during the test boot (full console: $serial)"
fi
if ! grep -aq '^mysyscall-guest: done' "$serial"; then
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		die 5 "the guest did not finish within ${TIMEOUT}s (TIMEOUT=); console: $serial"
	fi
	tail_of "$LOG_DIR/qemu.log" 10
	if ! grep -aq '^mysyscall-guest: begin' "$serial"; then
		tail_of "$serial" 20
		die 4 "the guest never reached /init (QEMU exit status $rc; console: $serial)"
	fi
	die 4 "the guest stopped before the tests finished (QEMU exit status $rc; console: $serial)"
fi
secs=$((($(date +%s%N) - t0) / 1000000))
say BOOT "guest finished ($((secs / 1000)).$((secs % 1000 / 100))s)"
[ "$MODE" = test ] || exit 0

# The guest's verdict: each program's exit status (the harness exits
# non-zero when a test failed), every program TESTS named, and every KUnit
# result in the kernel log; a kernel configured with the KUnit tests must
# show some.
kunit=${MYSYSCALL_KUNIT:-0}
[ -n "${MYSYSCALL_KUNIT:-}" ] || ! configured MYSYSCALL_KUNIT_TEST || kunit=1
mapfile -t bad < <(LC_ALL=C awk -v named="${tests[*]}" -v kunit="$kunit" '
	{ sub(/\r$/, "") }
	/^mysyscall-guest: run / { run = $3 }
	/^mysyscall-guest: end / { n++; ended[$3] = 1; if ($4 !~ /^0$/) print $3 " (exit status " $4 ")"; run = "" }
	/^mysyscall-guest: dmesg/ { dmesg = 1 }
	dmesg && /(^|[] \t])not ok [0-9]+ / { sub(/^.*not ok [0-9]+ /, ""); print "kunit: " $0 }
	dmesg && /(^|[] \t])(not )?ok [0-9]+ / { k++ }
	END {
		if (run != "") print run " (did not end)"
		if (!n) print "no test program ran"
		split(named, want, " ")
		for (i in want) { sub(/:.*/, "", want[i]); if (!(want[i] in ended)) print want[i] " (named in TESTS, never ran)" }
		if (kunit && !k) print "kunit: no results in the kernel log (the config has CONFIG_MYSYSCALL_KUNIT_TEST=y)"
		print n + 0, k + 0
	}' "$serial")
read -r n k <<<"${bad[-1]}"
unset 'bad[-1]'
if [ "${#bad[@]}" -gt 0 ]; then
	printf '%s: failed in the guest:\n' "$PROG" >&2
	printf '    %s\n' "${bad[@]}" >&2
	exit 1
fi
say PASS "$n guest program$([ "$n" = 1 ] || echo s), $k KUnit results"
