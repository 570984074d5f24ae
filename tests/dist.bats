#!/usr/bin/env bats
# The prebuilt images of "make dist", and the QEMU launcher they ship as
# "boot" (scripts/dist-boot.sh, which scripts/boot.sh runs too). They use the
# 6.12 build of "make qemu-test" (brought up to date first) and write only
# under BATS_TEST_TMPDIR.

load helpers

setup_file() {
	export ROOT=$BATS_TEST_DIRNAME/..
	real_build
}

teardown() {
	if [ -n "${GUEST_SID:-}" ]; then pkill -KILL -s "$GUEST_SID" 2>/dev/null || true; fi
}

setup() {
	unset KERNEL CONFIG KERNEL_SRC KERNEL_TARBALL APPEND TIMEOUT QEMU V TESTS KERNEL_IMAGE \
		INITRAMFS CMDLINE_FILE MODE LOG_DIR
	export ACCEL=tcg DIST_DIR=$BATS_TEST_TMPDIR/dist
}

# unpack: make the dist tarball and unpack it; sets dir.
unpack() {
	"$ROOT/scripts/dist.sh"
	tarball=$(echo "$DIST_DIR"/mysyscall-*-x86_64.tar.gz)
	[ -f "$tarball" ]
	tar -xzf "$tarball" -C "$BATS_TEST_TMPDIR"
	dir=$BATS_TEST_TMPDIR/$(basename "$tarball" .tar.gz)
}

@test "make dist: the unpacked tarball boots with only QEMU and its guest tests pass" {
	unpack
	for f in boot bzImage initramfs.cpio cmdline config README SHA256SUMS patches/series; do
		[ -f "$dir/$f" ] || { echo "no $f in the dist"; false; }
	done
	cmp "$dir/bzImage" "$REAL/base/obj/arch/x86/boot/bzImage"
	(cd "$dir" && sha256sum -c SHA256SUMS)
	# Away from the repository: only what the tarball holds.
	cd "$BATS_TEST_TMPDIR"
	run env -i PATH="$PATH" HOME="$HOME" ACCEL=tcg "$dir/boot" --test
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"PASS    add10: ten_gives_twenty"* ]]
	[[ "$output" == *"PASS    kunit: mysyscall: mysyscall_escape_round_trip_test"* ]]
	[[ "$output" =~ PASS\ +[1-9][0-9]*\ guest\ programs,\ [1-9][0-9]*\ KUnit\ results ]]
	[[ "${lines[-1]}" =~ ^[1-9][0-9]*\ passed,\ 0\ failed(,\ [0-9]+\ skipped)?$ ]]
	[ -s "$dir/logs/serial.log" ]
}

@test "make dist ARCH=arm64 and riscv64: ./boot reads the architecture from the Image, picks QEMU's virt machine, and the tests pass" {
	local a n=0 atar adir
	for a in arm64 riscv64; do
		# make check builds them (KERNEL=7.3) before the host tests
		[ -f "$REAL_BUILD_DIR/7.3/base-$a/initramfs.cpio" ] || continue
		n=$((n + 1))
		KERNEL=7.3 ARCH=$a BUILD_DIR=$REAL_BUILD_DIR "$ROOT/scripts/dist.sh"
		atar=$(echo "$DIST_DIR"/mysyscall-7.3.*-$a.tar.gz)
		tar -xzf "$atar" -C "$BATS_TEST_TMPDIR"
		adir=$BATS_TEST_TMPDIR/$(basename "$atar" .tar.gz)
		[ -f "$adir/Image" ]
		[ ! -e "$adir/bzImage" ]
		cd "$BATS_TEST_TMPDIR"
		run env -i PATH="$PATH" HOME="$HOME" "$adir/boot" --version
		[[ "$output" == *"kernel:        Linux 7.3."*", $a (QEMU's virt machine"* ]]
		# --version outside a dist: the Image's own banner
		run env -i PATH="$PATH" KERNEL_IMAGE="$adir/Image" "$ROOT/scripts/dist-boot.sh" --version
		[[ "$output" == *"says:"*"7.3."*"(mysyscall@mysyscall)"* ]]
		# no accelerator for another architecture: TCG, said why
		run env -i PATH="$PATH" HOME="$HOME" V=1 TESTS="add10 raw seeds cli" "$adir/boot" --test
		echo "$output" | grep -v '^\[' | tail -n 40
		[ "$status" -eq 0 ]
		[[ "$output" == *"ACCEL   tcg: the guest is $a, this host "*": QEMU emulates it"* ]]
		[[ "$output" == *"qemu-system-$([ "$a" = arm64 ] && echo aarch64 || echo riscv64) -M virt "* ]]
		[[ "$output" == *"PASS    add10: ten_gives_twenty"* ]]
		[[ "$output" == *"PASS    raw: "* ]]
		[[ "$output" == *"SKIP    seeds: hi_prints_hi_and_exits_3"* ]]
		[[ "$output" == *"# SKIP hi is the seeds' x86-64 assembly"* ]]
		[[ "$output" == *"SKIP    cli: strace_shows_the_raw_add10_call_and_result"* ]]
		[[ "$output" == *"PASS    kunit: "* ]]
		[[ "${lines[-1]}" =~ ^[1-9][0-9]*\ passed,\ 0\ failed,\ [1-9][0-9]*\ skipped$ ]]
	done
	[ "$n" -gt 0 ] || skip "no arm64 or riscv64 build of 7.3 (make qemu-test ARCH=arm64 KERNEL=7.3; make check builds both first)"
}

@test "make dist twice gives the same tarball, byte for byte" {
	unpack
	cp "$tarball" "$BATS_TEST_TMPDIR/first.tar.gz"
	"$ROOT/scripts/dist.sh"
	cmp "$BATS_TEST_TMPDIR/first.tar.gz" "$tarball"
	# Nothing half-written is left next to it.
	[ "$(ls -A "$DIST_DIR")" = "$(basename "$tarball")" ]
}

@test "a dist file that does not match SHA256SUMS: exit 7, named, nothing booted" {
	unpack
	printf 'x' >>"$dir/bzImage"
	QEMU=/nonexistent/never-run run "$dir/boot" --test
	echo "$output"
	[ "$status" -eq 6 ]
	run "$dir/boot" --test
	echo "$output"
	[ "$status" -eq 7 ]
	[[ "$output" == *"bzImage: FAILED"* ]]
	[[ "$output" == *"download and unpack the tarball again"* ]]
	[ ! -e "$dir/logs/serial.log" ]
}

# fake_qemu CONSOLE-LINES...: a QEMU that prints a canned console (CRLF,
# as a serial console has it).
fake_qemu() {
	export QEMU=$BATS_TEST_TMPDIR/qemu
	printf '#!/bin/sh\ncat "%s"\n' "$QEMU.console" >"$QEMU"
	printf '%s\r\n' "$@" >"$QEMU.console"
	chmod +x "$QEMU"
	export KERNEL_IMAGE=$REAL/base/obj/arch/x86/boot/bzImage \
		INITRAMFS=$REAL/base/initramfs.cpio LOG_DIR=$BATS_TEST_TMPDIR/logs
}

@test "the launcher's verdict: a failed program or KUnit case is exit 1, and named" {
	fake_qemu 'mysyscall-guest: begin 6.12' 'mysyscall-guest: run add10' 'ok 1 ten_gives_twenty' 'mysyscall-guest: end add10 0' \
		'mysyscall-guest: run table' 'mysyscall-guest: end table 1' 'mysyscall-guest: dmesg' \
		'[    0.4] KTAP version 1' '[    0.4] 1..1' '[    0.4]     KTAP version 1' '[    0.4]     # Subtest: mysyscall' \
		'[    0.4]     1..2' '[    0.4]     ok 1 sum 0' '[    0.4]     not ok 2 sum -1 is ERANGE' '[    0.4] not ok 1 mysyscall' \
		'mysyscall-guest: done'
	run "$ROOT/scripts/dist-boot.sh" --test
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    table: exit status 1"* ]]
	[[ "$output" == *"FAIL    kunit: mysyscall: sum -1 is ERANGE"* ]]
	[[ "$output" == *"PASS    add10: ten_gives_twenty"* ]]
	[[ "$output" == *"PASS    kunit: mysyscall: sum 0"* ]]
	[ "${lines[-1]}" = "2 passed, 2 failed" ]
	# All passed: exit 0.
	fake_qemu 'mysyscall-guest: begin 6.12' 'mysyscall-guest: run add10' 'ok 1 ten_gives_twenty' 'mysyscall-guest: end add10 0' \
		'mysyscall-guest: dmesg' '[    0.4] KTAP version 1' '[    0.4] 1..1' '[    0.4] ok 1 mysyscall' 'mysyscall-guest: done'
	run "$ROOT/scripts/dist-boot.sh" --test
	echo "$output"
	[ "$status" -eq 0 ]
	# A program that never ended, and a guest that ran none, fail; so does
	# one its plan names that never ran.
	fake_qemu 'mysyscall-guest: begin 6.12' 'mysyscall-guest: run add10' 'mysyscall-guest: done'
	run "$ROOT/scripts/dist-boot.sh" --test
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    guest: no test program ran"* ]]
	fake_qemu 'mysyscall-guest: begin 6.12' 'mysyscall-guest: plan add10 table' 'mysyscall-guest: run add10' 'mysyscall-guest: done'
	run "$ROOT/scripts/dist-boot.sh" --test
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    add10: did not finish"* ]]
	[[ "$output" == *"FAIL    table: did not run"* ]]
	fake_qemu 'mysyscall-guest: begin 6.12' 'mysyscall-guest: done'
	run "$ROOT/scripts/dist-boot.sh" --test
	[ "$status" -eq 1 ]
	[[ "$output" == *"no test program ran"* ]]
	# A crash outranks everything: exit 4, with the report; also after a
	# NUL byte on the console (grep must not take it for a binary file).
	fake_qemu 'mysyscall-guest: begin 6.12' '[    1.0] UBSAN: array-index-out-of-bounds in kernel/mysyscall.c:42' \
		'mysyscall-guest: done'
	run "$ROOT/scripts/dist-boot.sh" --test
	[ "$status" -eq 4 ]
	[[ "$output" == *"UBSAN: array-index-out-of-bounds"* ]]
	fake_qemu 'mysyscall-guest: begin 6.12' 'mysyscall-guest: run add10' 'ok 1 ten_gives_twenty' 'mysyscall-guest: end add10 0' \
		'mysyscall-guest: dmesg' $'nul\x01here' '[    1.0] BUG: sleeping function called from invalid context' \
		'mysyscall-guest: done'
	sed -i 's/\x01/\x00/' "$QEMU.console"
	grep -qaP '\x00' "$QEMU.console"
	run "$ROOT/scripts/dist-boot.sh" --test
	echo "$output"
	[ "$status" -eq 4 ]
	[[ "$output" == *"BUG: sleeping function"* ]]
	# A guest that stops early, and one that never reaches /init: exit 4.
	fake_qemu 'mysyscall-guest: begin 6.12' 'mysyscall-guest: run add10'
	run "$ROOT/scripts/dist-boot.sh" --test
	[ "$status" -eq 4 ]
	[[ "$output" == *"stopped before the tests finished"* ]]
	fake_qemu '[    0.1] Linux version 6.12'
	run "$ROOT/scripts/dist-boot.sh" --test
	[ "$status" -eq 4 ]
	[[ "$output" == *"never reached /init"* ]]
	# A program TESTS names that never ran (a typo) fails.
	fake_qemu 'mysyscall-guest: begin 6.12' 'mysyscall-guest: run add10' 'ok 1 ten_gives_twenty' 'mysyscall-guest: end add10 0' \
		'mysyscall-guest: done'
	TESTS="add10:ten_gives_twenty tabel" run "$ROOT/scripts/dist-boot.sh" --test
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    tabel: did not run"* ]]
	[[ "$output" != *"add10: did not"* ]]
}

@test "a dist whose config has the KUnit tests fails a boot without KUnit results" {
	fake_qemu 'mysyscall-guest: begin 6.12' 'mysyscall-guest: run add10' 'ok 1 ten_gives_twenty' 'mysyscall-guest: end add10 0' \
		'mysyscall-guest: dmesg' '[    0.4] no tests here' 'mysyscall-guest: done'
	d=$BATS_TEST_TMPDIR/d
	mkdir -p "$d"
	cp "$ROOT/scripts/dist-boot.sh" "$d/boot"
	cp "$ROOT/scripts/verdict.awk" "$d/"
	echo CONFIG_MYSYSCALL_KUNIT_TEST=y >"$d/config"
	run "$d/boot" --test
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    kunit: did not run"* ]]
	[[ "$output" == *"no KTAP results in the kernel log"* ]]
	echo '# CONFIG_MYSYSCALL_KUNIT_TEST is not set' >"$d/config"
	run "$d/boot" --test
	[ "$status" -eq 0 ]
	# Kernel arguments keep their quotes; no HOME is fine.
	APPEND='dyndbg="file kernel/mysyscall.c +p"' V=1 run env -u HOME "$d/boot" --test
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *'dyndbg="file kernel/mysyscall.c +p" MYSYSCALL_MODE=test'* ]]
}

@test "the launcher refuses bad variables with exit 2 and says which" {
	ACCEL=xen run "$ROOT/scripts/dist-boot.sh" --test
	[ "$status" -eq 2 ]
	[[ "$output" == *"ACCEL=xen: use auto, kvm, hvf or tcg"* ]]
	SMP=0 run "$ROOT/scripts/dist-boot.sh" --test
	[ "$status" -eq 2 ]
	[[ "$output" == *"SMP=0"* ]]
	KERNEL_IMAGE=/nonexistent run "$ROOT/scripts/dist-boot.sh" --test
	[ "$status" -eq 2 ]
	[[ "$output" == *"no kernel at /nonexistent"* ]]
	run "$ROOT/scripts/dist-boot.sh" --frobnicate
	[ "$status" -eq 2 ]
	# A dist unpacked where its user cannot write: the logs must go elsewhere.
	KERNEL_IMAGE=$REAL/base/obj/arch/x86/boot/bzImage INITRAMFS=$REAL/base/initramfs.cpio \
		LOG_DIR=/proc/no-such-dir run "$ROOT/scripts/dist-boot.sh" --test
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot create LOG_DIR=/proc/no-such-dir"*"set LOG_DIR= to a writable directory"* ]]
}

# busybox_path: a directory holding BusyBox's applets and QEMU, and
# nothing else (no bash, no GNU coreutils); sets bb.
busybox_path() {
	bb=$BATS_TEST_TMPDIR/bin
	mkdir -p "$bb"
	local busybox=${BUSYBOX:-/bin/busybox} a
	for a in $("$busybox" --list); do ln -sf "$busybox" "$bb/$a"; done
	ln -sf "$(command -v qemu-system-x86_64)" "$bb/qemu-system-x86_64"
	[ ! -e "$bb/bash" ]
	[ "$(readlink "$bb/sha256sum")" = "$busybox" ]
	[ "$(readlink "$bb/timeout")" = "$busybox" ]
}

@test "the dist's ./boot --test passes under dash and BusyBox sh, with only BusyBox and QEMU on PATH" {
	unpack
	busybox_path
	cd "$BATS_TEST_TMPDIR"
	# (two programs: the launcher is under test here, not the suite)
	run env -i PATH="$bb" HOME="$HOME" ACCEL=tcg TESTS="add10 table" /usr/bin/dash "$dir/boot" --test
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ PASS\ +[1-9][0-9]*\ guest\ programs,\ [1-9][0-9]*\ KUnit\ results ]]
	# BusyBox's sha256sum checks the files too: a changed one is refused.
	printf 'x' >>"$dir/config"
	run env -i PATH="$bb" ACCEL=tcg "$bb/sh" "$dir/boot" --test
	echo "$output"
	[ "$status" -eq 7 ]
	[[ "$output" == *"config: FAILED"* ]]
}

@test "./boot --version and README say what the dist is: kernel, configuration, series, checksums; --help" {
	unpack
	busybox_path
	run env -i PATH="$bb" /usr/bin/dash "$dir/boot" --version
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$dir/VERSION")" ]
	release=$(cat "$REAL/base/obj/include/config/kernel.release")
	[[ "${lines[0]}" == "mysyscall-$release-x86_64" ]]
	[[ "$output" == *"kernel:        Linux $release, x86-64; source: Debian's linux-source-6.12 "* ]]
	[[ "$output" == *"configuration: base "* ]]
	n=$(grep -c '^[^#]' "$ROOT/patches/series")
	[[ "$output" =~ series:\ +v[0-9]+,\ $n\ patches ]]
	[[ "$output" == *"sha256sum -c SHA256SUMS (macOS: shasum -a 256 -c SHA256SUMS)"* ]]
	run env -i PATH="$bb" /usr/bin/dash "$dir/boot" --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "dist-boot.sh: boot a mysyscall kernel and initramfs in QEMU."* ]]
	[[ "$output" == *"Exit codes: 0 the guest ran to the end"* ]]
	run env -i PATH="$bb" /usr/bin/dash "$dir/boot" --version
	# README starts with the same lines; VERSION is checksummed too.
	[ "$(head -n "${#lines[@]}" "$dir/README")" = "$output" ]
	grep -q ' VERSION$' "$dir/SHA256SUMS"
	# Outside a dist: the version string inside the bzImage.
	run "$ROOT/scripts/dist-boot.sh" --version
	[ "$status" -eq 2 ]
	KERNEL_IMAGE=$REAL/base/obj/arch/x86/boot/bzImage run "$ROOT/scripts/dist-boot.sh" --version
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == "  $release (mysyscall@mysyscall) #1 "* ]]
}

# hanging_qemu: a QEMU that never ends (it sleeps) and counts its runs;
# with -accel tcg it prints a canned console instead.
hanging_qemu() {
	fake_qemu 'mysyscall-guest: begin 6.12' 'mysyscall-guest: run add10' 'ok 1 ten_gives_twenty' 'mysyscall-guest: end add10 0' \
		'mysyscall-guest: done'
	cat >"$QEMU" <<SH
#!/bin/sh
echo "\$*" >>"$QEMU.calls"
case " \$* " in *" -accel tcg "*) [ -z "\${HANG_TCG:-}" ] && exec cat "$QEMU.console" ;; esac
exec sleep 4321
SH
}

@test "a boot that outlasts TIMEOUT: exit 5 after TIMEOUT s, QEMU gone; Ctrl-C: exit 130, QEMU gone" {
	hanging_qemu
	SECONDS=0
	HANG_TCG=1 TIMEOUT=2 run /usr/bin/dash "$ROOT/scripts/dist-boot.sh" --test
	echo "$output"
	[ "$status" -eq 5 ]
	[[ "$output" == *"did not finish within 2s"* ]]
	[ "$SECONDS" -lt 10 ]
	[ -z "$(pgrep -f "sleep 4321" || true)" ]
	# Ctrl-C: SIGINT to the whole process group, as a terminal sends it
	# (perl undoes the SIGINT-ignoring of a background job).
	rm -f "$QEMU.calls"
	HANG_TCG=1 perl -e '$SIG{INT} = "DEFAULT"; setpgrp; exec @ARGV' \
		/usr/bin/dash "$ROOT/scripts/dist-boot.sh" --test 3>&- &
	pid=$!
	for _ in $(seq 100); do
		[ ! -s "$QEMU.calls" ] || break
		sleep 0.1
	done
	[ -s "$QEMU.calls" ]
	sleep 0.5
	kill -INT -- "-$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 130 ]
	sleep 0.5
	[ -z "$(pgrep -f "sleep 4321" || true)" ]
	[ -z "$(find "$LOG_DIR" -name '.*')" ]
}

@test "ACCEL=auto: a KVM guest that hangs is given up after KVM_PROBE s, TCG used, and that remembered" {
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || skip "no usable /dev/kvm here"
	hanging_qemu
	export CACHE_DIR=$BATS_TEST_TMPDIR/cache
	ACCEL=auto KVM_PROBE=1 run /usr/bin/dash "$ROOT/scripts/dist-boot.sh" --test
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ACCEL   tcg: a guest under kvm did not reach init within 1s (nested virtualisation?)"* ]]
	[[ "$output" != *Terminated* ]]
	[ "$(grep -c -- '-accel kvm' "$QEMU.calls")" = 1 ]
	[ "$(cat "$CACHE_DIR"/kvm-probe.*)" = hang ]
	# The next boot does not probe again.
	ACCEL=auto KVM_PROBE=1 run /usr/bin/dash "$ROOT/scripts/dist-boot.sh" --test
	[ "$status" -eq 0 ]
	[ "$(grep -c -- '-accel kvm' "$QEMU.calls")" = 1 ]
	[ -z "$(pgrep -f "sleep 4321" || true)" ]
}

@test "./boot: a typed command gets its answer, exit leaves QEMU" {
	unpack
	cd "$BATS_TEST_TMPDIR"
	start_guest env -i PATH="$PATH" ACCEL=tcg /bin/sh "$dir/boot"
	echo 'add10 10; echo "rc=$?"' >&"${GUEST[1]}"
	expect_out "rc=0" 30
	# shellcheck disable=SC2154 # seen: what start_guest and expect_out read
	[[ "$seen" == *$'\n20\r\nrc=0'* ]]
	exit_guest
}

@test "the judge (verdict.awk) gives the same lines, TAP and JUnit under BWK awk (macOS's), mawk and BusyBox awk" {
	command -v original-awk >/dev/null || skip "no original-awk (make deps installs it with the check packages)"
	export LOG_DIR=$BATS_TEST_TMPDIR/logs
	KERNEL_IMAGE=$REAL/base/obj/arch/x86/boot/bzImage INITRAMFS=$REAL/base/initramfs.cpio \
		KCONFIG=$REAL/base/obj/.config TESTS="add10 table mysyscall" run "$ROOT/scripts/dist-boot.sh" --test
	[ "$status" -eq 0 ]
	printf '%s\r\n' 'mysyscall-guest: begin 6.12' 'mysyscall-guest: plan add10 table' 'mysyscall-guest: run add10' \
		'1..2' 'ok 1 ten_gives_twenty' '# add10.c:12:small_values:Expected 11 (11) == 12 (12)' 'not ok 2 small_values' \
		'mysyscall-guest: end add10 1' 'mysyscall-guest: dmesg' '[    0.4] KTAP version 1' '[    0.4] 1..1' \
		'[    0.4]     # Subtest: mysyscall' '[    0.4]     1..1' '[    0.4]     not ok 1 sum -1 is ERANGE' \
		'[    0.4] not ok 1 mysyscall' 'mysyscall-guest: done' >"$BATS_TEST_TMPDIR/failing.log"
	for log in "$LOG_DIR/serial.log" "$BATS_TEST_TMPDIR/failing.log"; do
		for a in original-awk mawk "${BUSYBOX:-/bin/busybox} awk"; do
			name=${a%% *}
			d=$BATS_TEST_TMPDIR/$(basename "$log")-${name##*/}
			mkdir -p "$d"
			rc=0
			tr -d '\000' <"$log" | LC_ALL=C $a -f "$ROOT/scripts/verdict.awk" -v expected= -v kunit=1 -v report=1 \
				-v verbose=0 -v tap="$d/tap" -v junit="$d/xml" -v summary= >"$d/out" || rc=$?
			echo "$rc" >"$d/rc"
		done
		for a in mawk busybox; do
			diff -r "$BATS_TEST_TMPDIR/$(basename "$log")-original-awk" "$BATS_TEST_TMPDIR/$(basename "$log")-$a"
		done
	done
	[ "$(cat "$BATS_TEST_TMPDIR/serial.log-mawk/rc")" = 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/failing.log-mawk/rc")" = 1 ]
	grep -qx '1 passed, 3 failed' "$BATS_TEST_TMPDIR/failing.log-mawk/out"
	grep -q 'FAIL    table: did not run' "$BATS_TEST_TMPDIR/failing.log-mawk/out"
	grep -q 'Expected 11 (11) == 12 (12)' "$BATS_TEST_TMPDIR/failing.log-mawk/out"
}
