#!/usr/bin/env bash
# bench.sh: measure what the system calls and the rig cost, print a table.
#
# Usage: scripts/bench.sh [--help]
#
# Figures, never pass/fail (a noisy machine must not fail a test suite):
#   guest  ns per call of add10(), mysyscall() (short message; past the
#          ratelimit's 10 lines it is copied, checked and not printed),
#          getppid() (entry and exit only) and vDSO clock_gettime() (no
#          trap), each the median of 9 runs of 200000 calls, measured by
#          userspace-tests/bench/syscalls.c in a MODE=bench boot; and the
#          ratio add10 / getppid. Under TCG the absolute numbers are
#          emulation cost; the ratio is what carries over.
#   rig    cold make qemu-test (in a scratch BUILD_DIR, the download cached;
#          BENCH_COLD=0 skips it) and its kernel build, rebuild after
#          touching kernel/mysyscall.c, edit to verdict
#          (make qemu-test after that touch), initramfs pack, boot to the
#          first test, the whole guest suite (and with STRESS=1), bzImage
#          and initramfs sizes.
#   per architecture: the same guest figures from the kernels of the other
#          architectures (ARCH=arm64, riscv64, x86_64) already built for
#          this KERNEL and CONFIG (make qemu-test ARCH=...), one row each:
#          under TCG an emulated arm64 or riscv64 is slower in absolute
#          terms than an emulated x86-64, so only the ratios compare.
# Builds what is missing first (scripts/qemu-test.sh). KERNEL, CONFIG and
# ARCH pick the build, as everywhere.
#
# Exit codes: 0 measured, or the exit code of the stage that failed.

. "$(dirname -- "$0")/lib.sh" || exit 8
handle_help "$@"
lock_build
BENCH_COLD=${BENCH_COLD:-1}
need bc

cd "$ROOT/scripts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
secs() { printf '%.1f' "$(echo "$2 - $1" | bc)"; } # secs T0 T1

say BENCH "building what is missing and running the tests once"
STRESS=0 ./qemu-test.sh >"$work/qemu-test.out" 2>&1 || {
	tail -n 20 "$work/qemu-test.out" >&2
	die "$E_TESTS" "make qemu-test fails here; benchmark a working build"
}

# Guest: the microbenchmark boot.
say BENCH "guest: system call costs (MODE=bench boot)"
MODE=bench ./boot.sh >"$work/bench.out" 2>"$work/bench.err" || {
	cat "$work/bench.err" >&2
	die "$E_BOOT" "the benchmark boot failed"
}
accel=$(sed -n 's/.* on QEMU\/\([a-z]*\) .*/\1/p' "$work/bench.err" | sed -n 1p)
val() { awk -v n="$1" '$1 == "bench:" && $2 == n { print $3; exit }' "$work/bench.out"; }
getppid=$(val getppid) add10=$(val add10) mysys=$(val mysyscall) vdso=$(val vdso_clock_gettime)
{ [ -n "$getppid" ] && [ -n "$add10" ]; } ||
	die "$E_TESTS" "no benchmark figures in the console (see $LOGS/serial.log)"

# The other architectures' kernels built for this KERNEL and CONFIG: the
# same benchmark boot, one row each.
others=()
for a in x86_64 arm64 riscv64; do
	[ "$a" != "$GUEST_ARCH" ] || continue
	o=$KDIR/$CONFIG
	[ "$a" = x86_64 ] || o+=-$a
	[ -f "$o/initramfs.cpio" ] || continue
	say BENCH "guest: the same on the $a kernel built (${o#"$ROOT"/})"
	if ARCH=$a MODE=bench ./boot.sh >"$work/bench-$a.out" 2>"$work/bench-$a.err"; then
		row=$(awk '$1 == "bench:" { v[$2] = $3 } END { if (v["getppid"] && v["add10"])
			printf "%-9s %9s %9s %9s   %.2f", "'"$a"'", v["getppid"], v["add10"], v["mysyscall"], v["add10"] / v["getppid"] }' "$work/bench-$a.out")
		others+=("${row:-$a: no figures in the console}")
	else
		others+=("$a: the benchmark boot failed ($(tail -n 1 "$work/bench-$a.err"))")
	fi
done

# Rig: one step at a time.
say BENCH "rig: rebuild after touching kernel/mysyscall.c"
touch "$SRC/kernel/mysyscall.c"
t0=$(now)
./build.sh >/dev/null
t1=$(now)
rebuild=$(secs "$t0" "$t1")

touch "$SRC/kernel/mysyscall.c"
t0=$(now)
./qemu-test.sh >/dev/null 2>&1
t1=$(now)
loop=$(secs "$t0" "$t1")

rm -f "$OUT/initramfs.cpio"
t0=$(now)
./initramfs.sh >/dev/null
t1=$(now)
pack=$(secs "$t0" "$t1")

say BENCH "rig: boot to the first test, the whole suite"
t0=$(now)
first=""
while IFS= read -r line; do
	if [ -z "$first" ] && [[ "$line" == "mysyscall-guest: run "* ]]; then first=$(now); fi
done < <(V=1 ./boot.sh 2>/dev/null) # V=1: the console, as it arrives
t1=$(now)
to_first=$(secs "$t0" "${first:-$t1}")
suite=$(secs "$t0" "$t1")
t0=$(now)
STRESS=1 ./boot.sh >/dev/null 2>&1 || true
t1=$(now)
stress=$(secs "$t0" "$t1")

cold="skipped (BENCH_COLD=0)" coldk=$cold
if [ "$BENCH_COLD" = 1 ]; then
	# Everything after the download: copy and patch the tree, configure,
	# build, the guest programs, pack, boot, verdict.
	say BENCH "rig: cold make qemu-test (scratch BUILD_DIR, download cached, ~4 min)"
	cold_dir=$BUILD_DIR/bench-cold
	rm -rf "$cold_dir"
	t0=$(now)
	BUILD_DIR=$cold_dir STRESS=0 ./qemu-test.sh >"$work/cold.log" 2>&1 ||
		die "$E_BUILD" "the cold make qemu-test failed: $(tail -n 5 "$work/cold.log")"
	t1=$(now)
	cold="$(secs "$t0" "$t1") s"
	coldk="$(sed -n 's/^  BUILD .*(\([0-9.]*\)s)$/\1/p' "$work/cold.log" | sed -n 1p) s"
	rm -rf "$cold_dir"
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed -n 1p)
ratio=$(printf '%.2f' "$(echo "$add10 / $getppid" | bc -l)")
cat <<EOF

mysyscall benchmark, $(date -u +%F), linux-$(tree_version "$SRC") CONFIG=$CONFIG ARCH=$GUEST_ARCH
host: $cpu, $(nproc) CPUs; guest: QEMU/$accel, SMP=${SMP:-2}

guest, ns per call (median of 9 runs of 200000 calls)
  getppid                       $getppid
  add10                         $add10
  mysyscall (short, ratelimited) $mysys
  vDSO clock_gettime            $vdso
  add10 / getppid               $ratio   (goal: <= 1.10)
$([ "$accel" = tcg ] && echo "  (TCG: absolute figures are emulation cost; the ratio carries over)")
$([ "${#others[@]}" = 0 ] || printf '\nper architecture (the same boot; ns per call, under QEMU/TCG for another architecture than the host'"'"'s)\n  %-9s %9s %9s %9s   %s\n  %-9s %9s %9s %9s   %.2f\n' ARCH getppid add10 mysyscall add10/getppid "$GUEST_ARCH" "$getppid" "$add10" "$mysys" "$ratio")
$(for r in "${others[@]}"; do printf '  %s\n' "$r"; done)

rig
  cold make qemu-test           $cold   (goal: <= 240 s; download cached)
    of which the kernel build   $coldk
  rebuild, kernel/mysyscall.c touched  $rebuild s
  edit to verdict (qemu-test)   $loop s   (goal: <= 30 s)
  initramfs pack                $pack s
  boot to the first test        $to_first s
  boot + whole guest suite      $suite s   (goal: <= 3 s)
  the same with STRESS=1        $stress s   (flood waits out the 5 s ratelimit)
  $(printf '%-30s' "$IMAGE_NAME")$(du -k "$IMAGE" | cut -f1) KiB
  initramfs (uncompressed)      $(du -k "$OUT/initramfs.cpio" | cut -f1) KiB
EOF
