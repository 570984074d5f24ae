#!/usr/bin/env bash
# gdb.sh: debug the guest kernel with gdb, through QEMU's gdb stub.
#
# Usage: scripts/gdb.sh [--test] [--help]   (make gdb, make gdb-test)
#
# Builds the kernel of CONFIG=debug (base.config + kernel-config/debug.config:
# the runtime checkers, debug information and the tree's scripts/gdb
# helpers, in build/KERNEL/debug/, so the normal kernel stays small and
# make check builds one kernel for both), boots it paused
# with the gdb stub on a unix socket, and starts gdb on its vmlinux with
# the lx-* helpers loaded. The guest calls "add10 10" once a second, so
# "break __x64_sys_add10" then "continue" stops in our handler at once.
# The guest's console goes to BUILD_DIR/KERNEL/gdb/logs/serial.log;
# quitting gdb stops QEMU.
#
#   --test   non-interactive: break in __x64_sys_add10, read the argument
#            from the saved registers (regs->di, pt_regs), expect 10,
#            "finish", expect 20, continue to the next call; also checks
#            that lx-version (scripts/gdb) works and that the backtrace
#            runs entry_SYSCALL_64 -> do_syscall_64 -> __x64_sys_add10. One result line each,
#            then "N passed, N failed".
#
# Exit codes: 0 ok (or all checks passed), 1 a check failed, others as
# the build stages.

export CONFIG=${CONFIG:-debug}
. "$(dirname -- "$0")/lib.sh" || exit 8
TEST=0
case "${1:-}" in
--test) TEST=1 ;;
*) handle_help "$@" ;;
esac
# The breakpoint (__x64_sys_add10) and the register read (regs->di) are
# x86-64's; another architecture's kernel is not debugged here.
[ "$GUEST_ARCH" = x86_64 ] ||
	die "$E_USAGE" "make gdb and gdb-test debug the x86-64 kernel only (ARCH=$GUEST_ARCH: its entry symbol and argument register differ); for arm64 or riscv64, boot with make run ARCH=$GUEST_ARCH QEMU_ARGS='-s' and attach gdb-multiarch to build/KERNEL/debug-$GUEST_ARCH/obj/vmlinux yourself"
lock_build
need gdb

"$ROOT/scripts/qemu-test.sh" --build-only || exit
grep -q '^CONFIG_DEBUG_INFO=y' "$OBJ/.config" ||
	die "$E_USAGE" "CONFIG=$CONFIG has no debug information; use CONFIG=debug (kernel-config/debug.config)"
[ -f "$OBJ/vmlinux-gdb.py" ] ||
	die "$E_BUILD" "$OBJ/vmlinux-gdb.py is missing: CONFIG_GDB_SCRIPTS is off, or its build failed (see $LOGS/build.log)"

# The socket lives in a short directory of its own: a unix socket path is
# limited to 107 bytes, and QEMU's -gdb option cannot hold a comma, so a
# clone at a long path, or one with a comma or space, cannot hold it.
sockdir=$(mktemp -d "${TMPDIR:-/tmp}/mysyscall-gdb.XXXXXX")
case "$sockdir" in *[,[:space:]]*) sockdir=$(mktemp -d /tmp/mysyscall-gdb.XXXXXX) ;; esac
sock=$sockdir/gdb.sock
# Paused (-S) until gdb says continue; TCG, whose gdb stub always works.
# In a session of its own, so that stopping it stops QEMU and its helpers.
MODE=gdb ACCEL=${ACCEL:-tcg} TIMEOUT=${TIMEOUT:-600} \
	QEMU_ARGS="-gdb unix:$sock,server=on,wait=off -S" \
	setsid "$ROOT/scripts/boot.sh" >/dev/null 2>"$LOGS/gdb-boot.log" &
qemu=$!
trap 'pkill -TERM -s "$qemu" 2>/dev/null || true; rm -rf "$sockdir"' EXIT
for _ in $(seq 50); do
	[ -S "$sock" ] && break
	kill -0 "$qemu" 2>/dev/null || die "$E_BOOT" "QEMU did not start (see $LOGS/gdb-boot.log)"
	sleep 0.2
done
[ -S "$sock" ] || die "$E_BOOT" "QEMU's gdb stub did not appear at $sock"

gdbargs=(-q -nx -iex "add-auto-load-safe-path $OBJ" -ex "target remote $sock" "$OBJ/vmlinux")

if [ "$TEST" = 0 ]; then
	say GDB "attached to the paused guest; try: break __x64_sys_add10, continue, p regs->di, finish"
	say GDB "guest console: $LOGS/serial.log; quit gdb to stop QEMU"
	gdb "${gdbargs[@]}"
	exit 0
fi

out=$LOGS/gdb-test.log
timeout -k 5 240 gdb -batch "${gdbargs[@]}" \
	-ex 'break __x64_sys_add10' \
	-ex 'continue' \
	-ex 'lx-version' \
	-ex 'bt' \
	-ex 'printf "arg=%ld\n", regs->di' \
	-ex 'finish' \
	-ex 'continue' \
	-ex 'printf "again=%ld\n", regs->di' \
	>"$out" 2>&1 || true

check() { # check TEXT PATTERN
	if grep -qE "$2" "$out"; then
		report PASS "gdb: $1"
	else
		report FAIL "gdb: $1 (no /$2/ in $out)"
	fi
}
check "lx-version (scripts/gdb) reads the guest's banner" "^Linux version $(tree_version "$SRC")"
check "the breakpoint in __x64_sys_add10 is hit" "Breakpoint 1, __x64_sys_add10"
check "the backtrace runs entry_SYSCALL_64 -> do_syscall_64 -> our handler" "^#[0-9]+ .* in entry_SYSCALL_64 \\(\\)"
check "do_syscall_64 is on the way" "^#[0-9]+ +(0x[0-9a-f]+ in )?do_syscall_64 \\("
check "the argument in the saved registers (regs->di) is 10" "^arg=10$"
check "finish: add10 returned 20" "Value returned is .* = 20$"
check "continue: the next call stops there again" "^again=10$"
if [ "$nfail" != 0 ]; then
	sed 's/^/        /' "$out" | tail -n 30
fi
report_total || exit "$E_TESTS"
