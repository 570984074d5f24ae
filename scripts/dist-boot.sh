#!/bin/sh
# dist-boot.sh: boot a mysyscall kernel and initramfs in QEMU. It stands
# alone and is POSIX sh, with nothing but QEMU and the basic utilities
# (BusyBox's are enough; GNU coreutils, bash and timeout are not needed):
# "make dist" ships it as the tarball's "boot", and scripts/boot.sh runs
# it for the rig.
#
# Usage: scripts/dist-boot.sh [--test | --version | --help]
#        (in a dist: ./boot [--test | --version | --help])
#
# Without --test: an interactive BusyBox shell on this terminal, with the
# add10 and mysyscall tools, strace, man pages and the tests (quit with
# Ctrl-a x, or "exit" in the guest). --test runs the guest tests instead:
# the console goes to LOG_DIR/serial.log (V=1: to stdout too), and
# verdict.awk, next to this script, judges it as it arrives: a PASS/FAIL
# line per test and per KUnit case (a kernel configured with the KUnit
# tests must show some), every program the guest's plan names (or
# MYSYSCALL_PROGRAMS, or TESTS) must end, then "N passed, N failed";
# TAP and JUnit XML in LOG_DIR/results.tap and results.xml. --version
# says what this is: the dist's VERSION (its kernel, configuration,
# series and how to check its files), or outside a dist the version
# string inside KERNEL_IMAGE.
#
# Variables (defaults in brackets):
#   KERNEL_IMAGE, INITRAMFS   [bzImage (or Image), initramfs.cpio next to
#                  this script]: an x86-64 bzImage, or an arm64 or riscv64
#                  Image; its header says which machine QEMU emulates
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
#   ACCEL=auto     kvm, hvf, tcg, or auto: the host's accelerator when it
#                  has a usable one for the guest's architecture (KVM on
#                  Linux with /dev/kvm, HVF on a Mac), else TCG. auto first boots a probe with it;
#                  if that guest does not reach init in KVM_PROBE seconds
#                  (KVM hangs under nested virtualisation), it says so and
#                  uses TCG. The outcome is remembered (in CACHE_DIR) until
#                  the host reboots.
#   KVM_PROBE=10   seconds the accelerator's probe may take
#   TIMEOUT=300    hard limit, in seconds, on a --test boot: QEMU gets
#                  SIGTERM, and SIGKILL 5 s later
#   MEM=512M SMP=2 guest memory and CPUs
#   QEMU=qemu-system-x86_64 (-aarch64, -riscv64: the kernel's architecture),
#                  QEMU_ARGS= (more QEMU arguments, split at
#                  blanks, never globbed)
#   LOG_DIR        [logs next to this script] serial.log, qemu.log, kvm-probe.log
#   CACHE_DIR      [~/.cache/mysyscall]
#   MYSYSCALL_PROGRAMS   the programs that must run (the rig: all it packed)
#   V=1            print the QEMU command line, and with --test the console
#
# Exit codes: 0 the guest ran to the end (--test: and every test passed),
# 1 a guest test failed, 2 bad argument or variable, 4 the guest did not
# boot, panicked or oopsed (the panic is printed), 5 it did not finish
# within TIMEOUT, 6 QEMU (or a checksum tool) is missing, 7 (a dist) a
# file does not match SHA256SUMS, 130 interrupted (Ctrl-C; QEMU stopped).

set -eu

PROG=${0##*/}
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
die() { # die CODE MESSAGE...
	_code=$1
	shift
	printf '%s: error: %s\n' "$PROG" "$*" >&2
	exit "$_code"
}
say() { printf '  %-7s %s\n' "$1" "$2" >&2; }
tail_of() { # tail_of FILE N: the last N lines of FILE, indented, if any
	[ -s "$1" ] || return 0
	printf '%s: last %d lines of %s:\n' "$PROG" "$2" "$1" >&2
	tail -n "$2" "$1" | sed 's/^/    /' >&2
}
# now_ms: milliseconds since the epoch (whole seconds where date has no %N)
now_ms() {
	_t=$(date +%s%N 2>/dev/null || true)
	case "$_t" in
	*[!0-9]* | '') echo $(($(date +%s) * 1000)) ;;
	*) echo $((_t / 1000000)) ;;
	esac
}

# image_arch FILE: the architecture of a kernel image, from its header:
# x86_64 (a bzImage: "HdrS" in its setup header), arm64 ("ARM\x64" at
# offset 56 of an arm64 Image), riscv64 ("RISCV" at offset 48 of a
# RISC-V Image), or nothing
image_arch() {
	if [ "$(dd if="$1" bs=1 skip=514 count=4 2>/dev/null)" = HdrS ]; then
		echo x86_64
	elif [ "$(dd if="$1" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 41524d64 ]; then
		echo arm64
	elif [ "$(dd if="$1" bs=1 skip=48 count=5 2>/dev/null)" = RISCV ]; then
		echo riscv64
	fi
}

# image_version FILE: the version string a kernel image carries (a
# bzImage's setup header's kernel_version field; an uncompressed Image's
# banner), or nothing
image_version() {
	case "$(image_arch "$1")" in
	arm64 | riscv64)
		LC_ALL=C tr -c ' -~' '\n' <"$1" | sed -n '/^Linux version /{s/^Linux version //p;q;}'
		return 0
		;;
	x86_64) ;;
	*) return 0 ;;
	esac
	_off=$(od -An -tu1 -j526 -N2 "$1" 2>/dev/null | awk 'NF == 2 { print $1 + 256 * $2 + 512 }')
	[ -n "$_off" ] && [ "$_off" -gt 512 ] || return 0
	dd if="$1" bs=1 skip="$_off" count=256 2>/dev/null | tr '\000' '\n' | sed -n 1p
}

MODE=${MODE:-shell} version=0
case "${1:-}" in
-h | --help)
	sed -n '2,/^[^#]/{/^#/{s/^# \{0,1\}//;p;};}' "$0"
	exit 0
	;;
--version) version=1 ;;
--test) MODE="test" ;;
"") ;;
*)
	printf '%s: unknown argument %s (try --help)\n' "$PROG" "$1" >&2
	exit 2
	;;
esac
[ $# -le 1 ] || die 2 "one argument at most (try --help)"

# MODE: shell, test, and for the rig bench and gdb (initramfs/init knows them).
if [ -z "${KERNEL_IMAGE:-}" ]; then
	KERNEL_IMAGE=$here/bzImage
	[ -f "$KERNEL_IMAGE" ] || [ ! -f "$here/Image" ] || KERNEL_IMAGE=$here/Image
fi
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
QEMU_ARGS=${QEMU_ARGS:-}
LOG_DIR=${LOG_DIR:-$here/logs}
CACHE_DIR=${CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/mysyscall}
LABEL=${LABEL:-${KERNEL_IMAGE#"$PWD"/}}

if [ "$version" = 1 ]; then
	if [ -f "$here/VERSION" ]; then
		cat "$here/VERSION"
	else
		[ -f "$KERNEL_IMAGE" ] || die 2 "no kernel at $KERNEL_IMAGE (set KERNEL_IMAGE=, or run this from an unpacked dist)"
		v=$(image_version "$KERNEL_IMAGE")
		[ -n "$v" ] || die 2 "$KERNEL_IMAGE is not a kernel image (no version string in a bzImage's setup header, or an arm64 or riscv64 Image's banner)"
		printf '%s: not a dist (no VERSION next to it); %s says:\n  %s\n' "$PROG" "$KERNEL_IMAGE" "$v"
	fi
	exit 0
fi

case "$MODE" in test | shell | bench | gdb) ;; *) die 2 "MODE=$MODE: use test or shell (bench, gdb: for the rig)" ;; esac
case "$ACCEL" in auto | kvm | hvf | tcg) ;; *) die 2 "ACCEL=$ACCEL: use auto, kvm, hvf or tcg" ;; esac
for n in KVM_PROBE TIMEOUT SMP; do
	eval "v=\$$n"
	case "$v" in
	'' | *[!0-9]* | 0*) die 2 "$n=$v: a positive whole number, please" ;;
	esac
done
[ -f "$KERNEL_IMAGE" ] || die 2 "no kernel at $KERNEL_IMAGE (set KERNEL_IMAGE=, or run this from an unpacked dist)"
# The machine QEMU emulates, from the kernel's own header: x86-64's PC,
# or the virt board of arm64 (its PL011 UART, ttyAMA0) or riscv64
# (OpenSBI, which QEMU brings, and a 16550, ttyS0).
guest_arch=$(image_arch "$KERNEL_IMAGE")
case "$guest_arch" in
x86_64) qemu_bin=qemu-system-x86_64 qemu_pkg=qemu-system-x86 machine="" tcg_cpu=max console=ttyS0 ;;
arm64) qemu_bin=qemu-system-aarch64 qemu_pkg=qemu-system-arm machine=virt tcg_cpu=cortex-a57 console=ttyAMA0 ;;
riscv64) qemu_bin=qemu-system-riscv64 qemu_pkg=qemu-system-misc machine=virt tcg_cpu=rv64 console=ttyS0 ;;
*) die 2 "$KERNEL_IMAGE is not a kernel image this boots: an x86-64 bzImage, or an arm64 or riscv64 Image (arch/*/boot/)" ;;
esac
QEMU=${QEMU:-$qemu_bin}
command -v "$QEMU" >/dev/null 2>&1 ||
	die 6 "'$QEMU' is not installed; install QEMU (Debian, Ubuntu: apt-get install $qemu_pkg; macOS: brew install qemu; in the mysyscall repository: make deps), or set QEMU="
[ -f "$INITRAMFS" ] || die 2 "no initramfs at $INITRAMFS (set INITRAMFS=)"
{ mkdir -p "$LOG_DIR" 2>/dev/null && [ -w "$LOG_DIR" ]; } || die 2 "cannot create LOG_DIR=$LOG_DIR (for the console logs): set LOG_DIR= to a writable directory"
# In a dist: are the files the ones packed?
if [ -f "$here/SHA256SUMS" ]; then
	if command -v sha256sum >/dev/null 2>&1; then
		sum=sha256sum
	elif command -v shasum >/dev/null 2>&1; then
		sum="shasum -a 256"
	else
		die 6 "neither sha256sum nor shasum is installed, to check $here/SHA256SUMS"
	fi
	# shellcheck disable=SC2086 # $sum is a command and its options
	if ! bad=$(cd "$here" && $sum -c SHA256SUMS 2>&1); then
		printf '%s\n' "$bad" | grep -v ': OK$' | sed 's/^/    /' >&2
		die 7 "these files do not match $here/SHA256SUMS: download and unpack the tarball again"
	fi
fi

# configured OPTION: is CONFIG_OPTION=y in KCONFIG (when there is one)?
configured() { [ -f "$KCONFIG" ] && grep -q "^CONFIG_$1=y" "$KCONFIG"; }

# The command line: ours, the configuration's, then the user's.
cmdline="console=$console quiet panic=-1 oops=panic"
if [ -n "$CMDLINE_FILE" ] && [ -f "$CMDLINE_FILE" ]; then
	cmdline="$cmdline $(sed '/^#/d' "$CMDLINE_FILE" | tr '\r\n' '  ')"
fi
# shellcheck disable=SC2086 # TESTS: split at blanks, never globbed
[ -z "$TESTS" ] || cmdline="$cmdline MYSYSCALL_TESTS=$(set -f && set -- $TESTS && IFS=, && printf '%s' "$*")"
[ "${STRESS:-0}" != 1 ] || cmdline="$cmdline MYSYSCALL_STRESS=1"
# What the guest must show: as the rig says (boot.sh: from the
# configuration asked for), or else as KCONFIG says.
if [ -z "${MYSYSCALL_EXPECT:-}" ]; then
	MYSYSCALL_EXPECT=present
	if [ -f "$KCONFIG" ] && ! configured MYSYSCALL; then MYSYSCALL_EXPECT=absent; fi
fi
case "$MYSYSCALL_EXPECT" in present | absent) ;; *) die 2 "MYSYSCALL_EXPECT=$MYSYSCALL_EXPECT: use present or absent" ;; esac
[ "$MYSYSCALL_EXPECT" = present ] || cmdline="$cmdline MYSYSCALL_EXPECT=absent"
# One space between words; quotes are the kernel's (dyndbg="file x.c +p").
# shellcheck disable=SC2086 # split at blanks, never globbed
cmdline=$(set -f && set -- $cmdline $APPEND && printf '%s' "$*")

# This run's temporary files, in LOG_DIR. QEMU's pid is kept in one, as
# QEMU may run in a pipeline's subshell: a signal to this script stops it.
# shellcheck disable=SC2317 # called from the traps
tmp_files() {
	for _t in .timed-out .qemu-status .qemu-pid .summary; do printf '%s\n' "$LOG_DIR/$_t.$$"; done
	printf '%s\n' "$LOG_DIR/results.tap.tmp" "$LOG_DIR/results.xml.tmp"
}
# shellcheck disable=SC2317
cleanup() { tmp_files | while IFS= read -r _t; do rm -f "$_t"; done; }
# shellcheck disable=SC2317
stop_qemu() {
	if [ -s "$LOG_DIR/.qemu-pid.$$" ]; then kill -TERM "$(cat "$LOG_DIR/.qemu-pid.$$")" 2>/dev/null || true; fi
}
# on_signals: an interrupt (Ctrl-C) or SIGTERM stops QEMU and ends this
# script with 130 or 143, no temporary file left.
on_signals() {
	trap 'stop_qemu; end_judge; cleanup; exit 130' INT
	trap 'stop_qemu; end_judge; cleanup; exit 143' TERM
}
# end_judge: let the judge's pipeline, once QEMU is gone, write what it
# writes, so that cleanup finds it
judge_pid=""
# shellcheck disable=SC2317
end_judge() { if [ -n "$judge_pid" ]; then wait "$judge_pid" 2>/dev/null || true; fi; }
on_signals

# limited SECS CMD...: run CMD with a time limit: SIGTERM after SECS
# seconds, SIGKILL 5 s later; then the status is 124. CMD's standard input
# is /dev/null. An interrupt (Ctrl-C) or SIGTERM stops CMD too. The
# watchdog looks once a second, so it ends within a second of CMD.
limited() {
	_secs=$1
	shift
	_flag=$LOG_DIR/.timed-out.$$
	rm -f "$_flag"
	_pid=""
	# An asynchronous command ignores SIGINT in a script: pass it on.
	trap 'if [ -n "$_pid" ]; then kill -TERM "$_pid" 2>/dev/null; fi; cleanup; exit 130' INT
	trap 'if [ -n "$_pid" ]; then kill -TERM "$_pid" 2>/dev/null; fi; cleanup; exit 143' TERM
	"$@" </dev/null &
	_pid=$!
	echo "$_pid" >"$LOG_DIR/.qemu-pid.$$"
	(
		_i=0
		while kill -0 "$_pid" 2>/dev/null; do
			if [ "$_i" -ge "$_secs" ]; then
				: >"$_flag"
				kill -TERM "$_pid" 2>/dev/null || exit 0
				_i=0
				while kill -0 "$_pid" 2>/dev/null && [ "$_i" -lt 5 ]; do
					sleep 1
					_i=$((_i + 1))
				done
				kill -KILL "$_pid" 2>/dev/null || true
				exit 0
			fi
			sleep 1
			_i=$((_i + 1))
		done
	) </dev/null >/dev/null 2>&1 &
	_rc=0
	wait "$_pid" || _rc=$?
	on_signals
	rm -f "$LOG_DIR/.qemu-pid.$$"
	if [ -e "$_flag" ]; then
		rm -f "$_flag"
		return 124
	fi
	return "$_rc"
}

# run_qemu ACCEL MODE SECS [ERRFILE]: run QEMU (SECS=0: in place of this
# script, without a time limit), its standard error to ERRFILE if given.
run_qemu() {
	_cpu=$tcg_cpu _serial=stdio _secs=$3 _err=${4:-}
	[ "$1" = tcg ] || _cpu=host
	# Interactive: multiplex QEMU's monitor in, so Ctrl-a x quits.
	[ "$2" = shell ] && _serial=mon:stdio
	set -f
	# arm64 under KVM: the host's interrupt controller (GICv3 on most)
	_machine=$machine
	[ "$1" = tcg ] || [ "$guest_arch" != arm64 ] || _machine=virt,gic-version=host
	# shellcheck disable=SC2086 # QEMU_ARGS: one argument per word, never globbed
	set -- "$QEMU" ${_machine:+-M "$_machine"} -nodefaults -display none -no-reboot \
		-serial "$_serial" -accel "$1" -cpu "$_cpu" -m "$MEM" -smp "$SMP" \
		-kernel "$KERNEL_IMAGE" -initrd "$INITRAMFS" \
		-append "$cmdline MYSYSCALL_MODE=$2" $QEMU_ARGS
	set +f
	[ "${V:-0}" != 1 ] || printf '+ %s\n' "$*" >&2 # printf: echo would take backslashes
	[ "$_secs" != 0 ] || exec "$@"
	if [ -n "$_err" ]; then
		limited "$_secs" "$@" 2>"$_err"
	else
		limited "$_secs" "$@"
	fi
}

# host_accel: the accelerator this host offers the guest (kvm or hvf),
# or else why it has none
host_accel() {
	_host=$(uname -m)
	case "$_host" in aarch64) _host=arm64 ;; esac
	if [ "$_host" != "$guest_arch" ]; then
		echo "the guest is $guest_arch, this host $_host: QEMU emulates it"
		return
	fi
	case "$(uname -s)" in
	Linux)
		if [ ! -e /dev/kvm ]; then
			echo "no /dev/kvm"
		elif [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
			echo "/dev/kvm is not usable by $(id -un) (join group kvm)"
		else
			echo kvm
		fi
		;;
	Darwin)
		if [ "$(sysctl -n kern.hv_support 2>/dev/null)" != 1 ]; then
			echo "this Mac has no hypervisor support (kern.hv_support)"
		else
			echo hvf
		fi
		;;
	*) echo "no accelerator known for $(uname -s)" ;;
	esac
}

# boot_id: names this boot of the host, for remembering the probe
boot_id() {
	if [ -r /proc/sys/kernel/random/boot_id ]; then
		cat /proc/sys/kernel/random/boot_id
	else
		sysctl -n kern.boottime 2>/dev/null | tr -cd '0-9' || true
	fi
}

# Decide the accelerator; sets accel and says why when it is TCG.
choose_accel() {
	why=""
	accel=$ACCEL
	[ "$ACCEL" = auto ] || return 0
	accel=$(host_accel)
	case "$accel" in
	kvm | hvf) ;;
	*) why=$accel ;;
	esac
	if [ -z "$why" ]; then
		key=$CACHE_DIR/$accel-probe.$(boot_id)
		state=$(cat "$key" 2>/dev/null || true)
		rc=0
		if [ -z "$state" ]; then
			out=$LOG_DIR/kvm-probe.log
			run_qemu "$accel" probe "$KVM_PROBE" >"$out" 2>&1 || rc=$?
			if grep '^mysyscall-guest: probe ok' "$out" >/dev/null 2>&1; then
				state=ok
			elif [ "$rc" = 124 ]; then
				state=hang
			else
				state=failed
			fi
			# Only a verdict on the accelerator itself is worth remembering.
			if [ "$state" != failed ] && mkdir -p "$CACHE_DIR" 2>/dev/null; then
				if echo "$state" >"$key.tmp.$$"; then mv "$key.tmp.$$" "$key"; else rm -f "$key.tmp.$$"; fi
			fi
		fi
		case "$state" in
		ok) return 0 ;;
		hang) why="a guest under $accel did not reach init within ${KVM_PROBE}s (nested virtualisation?); remembered until the host reboots, ACCEL=$accel forces it" ;;
		*) why="the $accel probe failed (QEMU exit status $rc; see $LOG_DIR/kvm-probe.log)" ;;
		esac
	fi
	accel=tcg
	say ACCEL "tcg: $why"
}

choose_accel

if [ "$MODE" = shell ]; then
	say BOOT "interactive shell ($accel): quit with Ctrl-a x, or 'exit' in the guest"
	run_qemu "$accel" shell 0
fi

serial=$LOG_DIR/serial.log
rcfile=$LOG_DIR/.qemu-status.$$
sumfile=$LOG_DIR/.summary.$$
judge=$here/verdict.awk
[ -f "$judge" ] || die 2 "no $judge next to $PROG (the judge of a boot: it comes with it)"
kunit=${MYSYSCALL_KUNIT:-}
if [ -z "$kunit" ]; then
	kunit=0
	! configured MYSYSCALL_KUNIT_TEST || kunit=1
fi
# The programs that must run: as the rig says (boot.sh: those it packed),
# or those TESTS names, or (when empty) those the guest's plan line names.
expected=${MYSYSCALL_PROGRAMS:-}
# shellcheck disable=SC2086 # TESTS: split at blanks, never globbed
[ -n "$expected" ] || [ -z "$TESTS" ] || expected=$(set -f && for t in $TESTS; do printf '%s ' "${t%%:*}"; done)
report=1 verbose=${V:-0}
# A bench or gdb boot: the console on stdout, the crash and the end judged.
[ "$MODE" = test ] || report=0 verbose=1
t0=$(now_ms)
# Progress goes to stderr. stdout carries the judge's lines in a --test
# boot (V=1: and the console), the console in the others (bench, gdb).
say BOOT "$LABEL on QEMU/$accel (timeout ${TIMEOUT}s)"
# One pass over the console as it arrives: the judge, scripts/verdict.awk
# (NUL bytes, which a crashing guest can print, are no trouble to it).
# In the background, so that a signal to this script is acted on at
# once (on_signals), not when the pipeline ends.
{
	rc=0
	run_qemu "$accel" "$MODE" "$TIMEOUT" "$LOG_DIR/qemu.log" || rc=$?
	echo "$rc" >"$rcfile"
} | tee "$serial" |
	LC_ALL=C awk -f "$judge" -v expected="$expected" -v kunit="$kunit" -v report="$report" \
		-v verbose="$verbose" -v tap="$LOG_DIR/results.tap.tmp" -v junit="$LOG_DIR/results.xml.tmp" \
		-v summary="$sumfile" &
judge_pid=$!
judged=0
wait "$judge_pid" || judged=$?
judge_pid=""
rc=$(cat "$rcfile" 2>/dev/null || echo 1)
rm -f "$rcfile"
for f in results.tap results.xml; do
	if [ -f "$LOG_DIR/$f.tmp" ]; then mv -f "$LOG_DIR/$f.tmp" "$LOG_DIR/$f"; fi
done
summary=$(cat "$sumfile" 2>/dev/null || true)
rm -f "$sumfile"

# stop CODE MESSAGE: say why the boot failed, then the judge's count,
# the line make check adds up, last
stop() {
	printf '%s: error: %s\n' "$PROG" "$2" >&2
	[ "$MODE" != test ] || printf '%s\n' "$summary" | sed -n 1p
	exit "$1"
}

# The guest's own words decide, QEMU's exit status only when they are
# missing.
case "$judged" in
10) stop 4 "kernel crash during the boot (the report is above; full console: $serial)" ;;
11 | 12)
	[ "$rc" != 124 ] || stop 5 "the guest did not finish within ${TIMEOUT}s (TIMEOUT=); console: $serial"
	tail_of "$LOG_DIR/qemu.log" 10
	if [ "$judged" = 11 ]; then
		tail_of "$serial" 20
		stop 4 "the guest never reached /init (QEMU exit status $rc; console: $serial)"
	fi
	stop 4 "the guest stopped before the tests finished (QEMU exit status $rc; console: $serial)"
	;;
0 | 1) ;;
*) die 8 "line $LINENO: the judge ($judge) failed with status $judged on $serial (is awk working?)" ;;
esac
ms=$(($(now_ms) - t0))
say BOOT "guest finished ($((ms / 1000)).$((ms % 1000 / 100))s)"
[ "$MODE" = test ] || exit 0
# shellcheck disable=SC2046 # "programs N kunit K": four words
set -- $(printf '%s\n' "$summary" | sed -n 2p)
say "$([ "$judged" = 0 ] && echo PASS || echo FAIL)" "${2:-0} guest program$([ "${2:-0}" = 1 ] || echo s), ${4:-0} KUnit results"
# The line make check adds up comes last.
printf '%s\n' "$summary" | sed -n 1p
exit "$judged"
