#!/usr/bin/env bash
# build.sh: build the kernel (bzImage; Image on arm64 and riscv64), its
# UAPI headers and gen_init_cpio.
#
# Usage: scripts/build.sh [--w1] [--help]
#
# Out-of-tree kbuild in BUILD_DIR/KERNEL/CONFIG/obj, incremental, with a fixed
# build identity (KBUILD_BUILD_TIMESTAMP/USER/HOST/VERSION). The full
# kbuild output goes to BUILD_DIR/KERNEL/CONFIG/logs/build.log; V=1 shows it
# (with full commands) as it runs.
#
# CCACHE=1 compiles through ccache (make deps does not install it). Measured
# here: a build ccache has seen before from the same source tree (into
# another O= directory, or after make clean) takes 25 s instead of 180 s,
# with the same bzImage; a first one 246 s. So it pays for rebuilding from
# scratch, not on a fresh machine, and not in the hack loop, which kbuild
# keeps incremental anyway.
#
#   --w1   instead of building: compile kernel/mysyscall.c (and the
#          KUnit file it includes) once more with W=1, and run sparse
#          (C=2) on it, and fail on any warning there.
#          make check runs it on every pinned kernel. It leaves kbuild's
#          few "prepare" objects built with W=1, so the next build
#          redoes them (a few seconds): not part of every build.
#
# For ARCH=arm64 or riscv64, with CROSS_COMPILE (default: Debian's
# aarch64-linux-gnu- / riscv64-linux-gnu- when the host is another
# architecture), in BUILD_DIR/KERNEL/CONFIG-ARCH.
#
# Results, in BUILD_DIR/KERNEL/CONFIG/obj:
#   arch/x86/boot/bzImage   the kernel to boot (arch/arm64/boot/Image,
#                           arch/riscv/boot/Image)
#   vmlinux                 the same, uncompressed, with symbols
#   usr/include/            UAPI headers: __NR_mysyscall, __NR_add10
#   usr/gen_init_cpio       the tree's initramfs packer (built with usr/)
#   vmlinux-gdb.py          gdb's lx-* helpers, when CONFIG_GDB_SCRIPTS=y (CONFIG=debug)
#
# Exit codes: 0 ok, 3 the build failed (its errors are printed).

. "$(dirname -- "$0")/lib.sh" || exit 8
W1=0
case "${1:-}" in
--w1) W1=1 ;;
*) handle_help "$@" ;;
esac
lock_build

[ -f "$OBJ/.config" ] || die "$E_USAGE" "no $OBJ/.config; run scripts/configure.sh (make config) first"
need make gcc "${CROSS_COMPILE}gcc" flex bison bc perl
config_fragments	# kbuild_vars: LLVM=1 for a clang configuration

if [ "$W1" = 1 ]; then
	grep -q '^CONFIG_MYSYSCALL=y' "$OBJ/.config" ||
		die "$E_USAGE" "CONFIG=$CONFIG builds without CONFIG_MYSYSCALL: nothing for W=1 to check"
	mkdir -p "$LOGS"
	w1=$LOGS/w1.log
	# The object, not just the assembly: W=1 also runs kernel-doc on the
	# file as it builds an object. Built again without W=1 after, so the
	# next build's objects are those of the configuration as it is.
	if ! make -C "$SRC" O="$OBJ" "${kbuild_vars[@]}" W=1 kernel/mysyscall.o >"$w1" 2>&1; then
		show_log_tail "$w1" 15
		die "$E_BUILD" "kernel/mysyscall.c does not compile with W=1 (see $w1)"
	fi
	make -C "$SRC" O="$OBJ" "${kbuild_vars[@]}" kernel/mysyscall.o >>"$w1" 2>&1 ||
		die "$E_BUILD" "kernel/mysyscall.o does not build again without W=1 (see $w1)"
	# Every diagnostic from the compile of our file on, wherever its
	# first line points (a warning in a macro that our code expands is
	# reported at the header, "in expansion of" ours).
	if sed -n '/ CC  *kernel\/mysyscall\.o$/,$p' "$w1" | grep -E ': (warning|error): ' >&2; then
		report FAIL "W=1: linux-$(tree_version "$SRC") warns about the series' code (above; all of it in $w1)"
	else
		report PASS "W=1: nothing to report on kernel/mysyscall.c with linux-$(tree_version "$SRC")'s warnings"
	fi
	# sparse (C=2: checks the file whether or not it is rebuilt), on the
	# file and the KUnit file it includes
	need sparse
	sp=$LOGS/sparse.log
	if ! make -C "$SRC" O="$OBJ" "${kbuild_vars[@]}" C=2 kernel/mysyscall.o >"$sp" 2>&1; then
		show_log_tail "$sp" 15
		report FAIL "sparse: kernel/mysyscall.o does not build with C=2 (see $sp)"
	elif grep -E '(^|/)kernel/(tests/mysyscall_kunit|mysyscall)\.c:[0-9]+:' "$sp" >&2; then
		report FAIL "sparse: reports on the series' code with linux-$(tree_version "$SRC") (above; all of it in $sp)"
	else
		report PASS "sparse: nothing to report on kernel/mysyscall.c with linux-$(tree_version "$SRC")"
	fi
	report_total || exit "$E_TESTS"
	exit 0
fi

begin
mkdir -p "$LOGS"
log=$LOGS/build.log
: >"$log"
kv=0
verbose && kv=1
cc=()
if [ "${CCACHE:-0}" = 1 ]; then
	command -v ccache >/dev/null 2>&1 ||
		die "$E_DEPS" "CCACHE=1 but ccache is not installed: apt-get install ccache (or drop CCACHE=1)"
	# No CCACHE_BASEDIR: the relative paths it makes ccache pass defeat
	# the kernel's -fmacro-prefix-map, and file names in the kernel (and
	# so its bytes) would change. Hits need the same source tree path.
	unset CCACHE_BASEDIR
	cc=(CC="ccache ${CROSS_COMPILE}gcc")
	[[ " ${kbuild_vars[*]} " != *" LLVM=1 "* ]] || cc=(CC="ccache clang")
fi
targets=("$IMAGE_NAME" headers)
# With CONFIG_GDB_SCRIPTS, the lx-* helpers for gdb (vmlinux-gdb.py).
grep -q '^CONFIG_GDB_SCRIPTS=y' "$OBJ/.config" && targets+=(scripts_gdb)
if ! run "$log" make -C "$SRC" O="$OBJ" -j"$JOBS" V="$kv" "${kbuild_vars[@]}" "${cc[@]}" "${targets[@]}"; then
	# The compiler's own error lines first, then the end of the log.
	grep -E '(error:|undefined reference|\*\*\* )' "$log" | grep -v __sub-make |
		head -n 20 | sed 's/^/    /' >&2 || true
	show_log_tail "$log" 15
	die "$E_BUILD" "the kernel build failed (full log: $log)"
fi
# kbuild brings .config in line with src's Kconfig files as it builds
# (syncconfig): after an edit there, an option asked for can be gone.
check_config "$OBJ/.config"
if [ "${#lost[@]}" -gt 0 ]; then
	printf '%s after the build\n' "${lost[@]}" >&2
	die "$E_BUILD" "the kernel was built without options its configuration asks for: kbuild dropped them from $OBJ/.config, so a Kconfig file in $SRC no longer allows them (an edit of yours?). Fix that Kconfig file, or kernel-config/"
fi
step_done BUILD "linux-$(tree_version "$SRC") -> ${IMAGE#"$ROOT"/}, $(du -k "$IMAGE" | cut -f1) KiB"
