#!/usr/bin/env bats
# Host-side tests of the rig: break things on purpose and check that each
# failure stops with the right exit code, a message naming the cause, and
# nothing left half-done. They reuse the 6.12 build of "make qemu-test"
# (brought up to date first, kernel and initramfs together: real_build)
# through a scratch BUILD_DIR of symlinks, where kbuild then has nothing
# to do; what they write goes to the scratch directory.

# Each test is a subshell of its own: its exports are meant to stay there.
# shellcheck disable=SC2030,SC2031

load helpers

setup_file() {
	export ROOT=$BATS_TEST_DIRNAME/..
	real_build
}

teardown() {
	if [ -n "${GUEST_SID:-}" ]; then pkill -KILL -s "$GUEST_SID" 2>/dev/null || true; fi
}

setup() {
	unset KERNEL CONFIG KERNEL_SRC KERNEL_TARBALL APPEND TIMEOUT QEMU V TESTS KERNEL_IMAGE STRESS
	export ACCEL=tcg
	# A scratch build dir sharing the real tree and kernel build.
	export BUILD_DIR=$BATS_TEST_TMPDIR/build
	mkdir -p "$BUILD_DIR/6.12/base"
	ln -s "$(readlink -f "$REAL/pristine")" "$BUILD_DIR/6.12/pristine"
	ln -s "$REAL/src" "$BUILD_DIR/6.12/src"
	ln -s "$REAL/base/obj" "$BUILD_DIR/6.12/base/obj"
	cp -a "$REAL/base/guest" "$BUILD_DIR/6.12/base/guest"
	cp "$REAL/base/initramfs.cpio" "$BUILD_DIR/6.12/base/"
}


@test "a failing and a crashing guest test make qemu-test exit 1 and are named" {
	ut=$BATS_TEST_TMPDIR/ut
	cp -a "$ROOT/userspace-tests" "$ut"
	cat >"$ut/fail.c" <<'C'
#include "kselftest_harness.h"
TEST(deliberately_fails) { ASSERT_EQ(20, 21); }
TEST_HARNESS_MAIN
C
	printf 'int main(void) { *(volatile int *)0 = 1; return 0; }\n' >"$ut/crash.c"
	USERSPACE_TESTS=$ut TESTS="add10 fail crash" run "$ROOT/scripts/qemu-test.sh"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    fail: deliberately_fails"* ]]
	[[ "$output" == *"Expected 20 (20) == 21 (21)"* ]]
	[[ "$output" == *"FAIL    crash: exit status 139"* ]]
	[[ "$output" == *"PASS    add10: ten_gives_twenty"* ]]
	[[ "${lines[-1]}" =~ ^[0-9]+\ passed,\ 2\ failed$ ]]
}

@test "TESTS= runs just the named programs and cases; an unknown name is exit 2" {
	TESTS="add10:ten_gives_twenty table" run "$ROOT/scripts/qemu-test.sh" --boot-only
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"PASS    add10: ten_gives_twenty"* ]]
	[[ "$output" != *"add10: small_values"* ]]
	[[ "$output" == *"PASS    table: next_number_is_enosys"* ]]
	[[ "$output" != *"PASS    mysyscall: returns_zero"* ]]
	[[ "$output" != *"stress/"* ]]
	TESTS="add10 no_such_program" run "$ROOT/scripts/boot.sh"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"there is no guest program 'no_such_program' (have: add10 "*"stress/flood"* ]]
}

@test "the negative control can fail: either expectation on the other kernel fails" {
	nosys=$REAL/nosyscall/obj/arch/x86/boot/bzImage
	[ -f "$nosys" ] || skip "no CONFIG=nosyscall kernel built (make qemu-test CONFIG=nosyscall)"
	# The real calls, but the tests told they are absent.
	APPEND=MYSYSCALL_EXPECT=absent TESTS="add10 mysyscall" run "$ROOT/scripts/qemu-test.sh" --boot-only
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    add10: ten_gives_twenty"* ]]
	[[ "$output" != *"PASS    add10:"* ]]
	# No calls, but the tests expect them.
	KERNEL_IMAGE=$nosys TESTS="add10 mysyscall" run "$ROOT/scripts/qemu-test.sh" --boot-only
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    add10: ten_gives_twenty"* ]]
	[[ "$output" != *"PASS    mysyscall:"* ]]
}

@test "make run: README's session, typed, gets README's answers; exit leaves QEMU" {
	start_guest make -C "$ROOT" --no-print-directory run
	type_readme_session
	echo 'mysyscall; echo "rc=$?"' >&"${GUEST[1]}"
	expect_out "rc=1" 30
	# shellcheck disable=SC2154 # seen: what start_guest and expect_out read
	[[ "$seen" == *"mysyscall: EFAULT (Bad address)"* ]]
	exit_guest
}

@test "make run ARCH=arm64: the calls answer at the guest's shell; exit leaves QEMU" {
	# (riscv64's shell is the same code path; dist.bats boots both)
	# make check builds it (KERNEL=7.3) before the host tests
	[ -f "$REAL_BUILD_DIR/7.3/base-arm64/initramfs.cpio" ] ||
		skip "no arm64 build of 7.3 (make qemu-test ARCH=arm64 KERNEL=7.3; make check builds it first)"
	start_guest make -C "$ROOT" --no-print-directory run ARCH=arm64 KERNEL=7.3 BUILD_DIR="$REAL_BUILD_DIR"
	echo 'uname -m; add10 10; mysyscall "hello from the shell"; dmesg | tail -n 1; echo "@@end"' >&"${GUEST[1]}"
	expect_out "@@end"$'\r' 60
	[[ "$seen" == *$'\naarch64\r'* ]]
	[[ "$seen" == *$'\n20\r'* ]]
	[[ "$seen" == *"] mysyscall: hello from the shell"* ]]
	exit_guest
}

@test "make run CONFIG=debug: README's tracefs session, typed, shows add10's argument and result" {
	[ -f "$REAL/debug/obj/arch/x86/boot/bzImage" ] || skip "no CONFIG=debug kernel built (make qemu-test CONFIG=debug)"
	ln -s "$REAL/debug" "$BUILD_DIR/6.12/debug"
	start_guest make -C "$ROOT" --no-print-directory run CONFIG=debug BUILD_DIR="$BUILD_DIR"
	local cmd rest want w n=0 from out
	while IFS=$'\t' read -r cmd rest; do
		n=$((n + 1))
		from=${#seen}
		echo "$cmd; echo \"@@end-$n\"" >&"${GUEST[1]}"
		expect_out "@@end-$n"$'\r' 30 >/dev/null
		out=${seen:$from}
		IFS=$'\t' read -r -a want <<<"$rest"
		for w in "${want[@]}"; do
			# a trace line: what follows its task, CPU, flags and time
			[[ "$w" != *sys_add10* ]] || w=sys_add10${w#*sys_add10}
			[[ "$out" == *"$w"* ]] || { echo "README shows '$w' for '$cmd'; the guest answered: $out"; false; }
		done
	done < <(readme_trace_session)
	[ "$n" = 4 ]
	exit_guest
}

@test "a kernel panic at boot: exit 4, the panic is printed, make says Error 4" {
	# A requested init that cannot run makes the kernel panic.
	no_init="rdinit=/does-not-exist init=/does-not-exist"
	APPEND=$no_init TIMEOUT=60 run "$ROOT/scripts/qemu-test.sh"
	echo "$output"
	[ "$status" -eq 4 ]
	[[ "$output" == *"Kernel panic - not syncing: Requested init /does-not-exist failed"* ]]
	[[ "$output" == *"kernel crash during the boot"* ]]
	[[ "${lines[-1]}" =~ ^0\ passed,\ [1-9][0-9]*\ failed$ ]]
	run make -C "$ROOT" --no-print-directory qemu-test APPEND="$no_init" TIMEOUT=60
	[ "$status" -eq 2 ]
	[[ "$output" == *"Error 4"* ]]
}

@test "a guest that never finishes hits TIMEOUT: exit 5" {
	APPEND=rdinit=/bin/sh TIMEOUT=8 run "$ROOT/scripts/boot.sh"
	echo "$output"
	[ "$status" -eq 5 ]
	[[ "$output" == *"did not finish within 8s"* ]]
}

@test "QEMU missing: exit 6 and the fix" {
	QEMU=/nonexistent/qemu-system-x86_64 run "$ROOT/scripts/boot.sh"
	echo "$output"
	[ "$status" -eq 6 ]
	[[ "$output" == *"make deps"* ]]
}

@test "checksum mismatch: exit 7, the download is deleted, nothing is extracted" {
	local cache=${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mysyscall}
	deb=$(ls "$cache"/downloads/linux-source-6.12_*.deb)
	export CACHE_DIR=$BATS_TEST_TMPDIR/cache LOCK_FILE=$BATS_TEST_TMPDIR/lock
	mkdir -p "$CACHE_DIR/downloads"
	cp -l "$deb" "$CACHE_DIR/downloads/" 2>/dev/null || cp "$deb" "$CACHE_DIR/downloads/"
	version=$(basename "$deb" | sed 's/^linux-source-6.12_\(.*\)_all.deb$/\1/')
	echo "deb 6.12 linux-source-6.12 $version 0000000000000000000000000000000000000000000000000000000000000000 bookworm-security" >"$LOCK_FILE"
	BUILD_DIR=$BATS_TEST_TMPDIR/fresh run "$ROOT/scripts/fetch.sh"
	echo "$output"
	[ "$status" -eq 7 ]
	[[ "$output" == *"checksum mismatch for linux-source-6.12"* ]]
	[ -z "$(ls -A "$CACHE_DIR/downloads")" ]
	[ -z "$(ls -A "$CACHE_DIR/trees" 2>/dev/null)" ]
	[ ! -e "$BATS_TEST_TMPDIR/fresh/6.12/pristine" ]
}

@test "a patch that does not apply: exit 3, names it, creates no tree" {
	repo=$(copy_repo)
	cat >"$repo/patches/0003-broken.patch" <<'P'
Subject: [PATCH] broken on purpose

--- a/kernel/Makefile
+++ b/kernel/Makefile
@@ -1,3 +1,3 @@
-# this line is not in kernel/Makefile
+# so the hunk cannot apply
 #
P
	echo 0003-broken.patch >>"$repo/patches/series"
	rm "$BUILD_DIR/6.12/src"
	run "$repo/scripts/patch.sh"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"patches/0003-broken.patch does not apply"* ]]
	[ ! -e "$BUILD_DIR/6.12/src" ]
	[ ! -e "$BUILD_DIR/6.12/src.tmp" ]
}

@test "a config option that does not survive olddefconfig: exit 3, named; one the tree lacks: named, skipped" {
	repo=$(copy_repo)
	# EXT4_FS exists but needs BLOCK, which tinyconfig leaves out
	printf 'CONFIG_PRINTK=y\nCONFIG_EXT4_FS=y\nCONFIG_MYSYSCALL_NO_SUCH_OPTION=y\n' >"$repo/kernel-config/bad.config"
	CONFIG=bad run "$repo/scripts/configure.sh"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"CONFIG_EXT4_FS=y (asked in bad.config) is not set after olddefconfig"* ]]
	[[ "$output" == *"has no CONFIG_MYSYSCALL_NO_SUCH_OPTION (bad.config)"*": skipped"* ]]
	[ ! -e "$BUILD_DIR/6.12/bad/obj/.config" ]
	# an option of a later release alone (as on an older tree): no failure
	printf 'CONFIG_PRINTK=y\nCONFIG_MYSYSCALL_NO_SUCH_OPTION=y\n' >"$repo/kernel-config/later.config"
	CONFIG=later run "$repo/scripts/configure.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"has no CONFIG_MYSYSCALL_NO_SUCH_OPTION (later.config)"*": skipped"* ]]
	[ -f "$BUILD_DIR/6.12/later/obj/.config" ]
}

@test "an unknown KERNEL: exit 2, lists the pinned ones" {
	KERNEL=9.9 run "$ROOT/scripts/fetch.sh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"KERNEL=9.9 is not pinned"*"6.12"* ]]
}

@test "an unknown ARCH: exit 2, names the three; ARCH=aarch64 and riscv are taken" {
	ARCH=sparc64 run "$ROOT/scripts/qemu-test.sh" --to configure
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"ARCH=sparc64: the rig builds x86_64 (the default), arm64 or riscv64"* ]]
	run make -C "$ROOT" --no-print-directory boot ARCH=sparc64
	[ "$status" -ne 0 ]
	[[ "$output" == *"ARCH=sparc64: the rig builds"* ]]
	[[ "$output" == *"0 passed, 1 failed"* ]]
	# kbuild's names and aarch64 name the same builds
	for a in aarch64:arm64 riscv:riscv64 x86:x86_64; do
		# shellcheck disable=SC2016 # the inner shell's variables
		run env ARCH="${a%:*}" bash -c '. "$1/scripts/lib.sh"; echo "$GUEST_ARCH $OUT"' _ "$ROOT"
		[ "$output" = "${a#*:} $BUILD_DIR/6.12/base$([ "${a#*:}" = x86_64 ] || echo "-${a#*:}")" ]
	done
}

@test "re-running fetch and patch re-extracts and re-applies nothing" {
	run "$ROOT/scripts/fetch.sh"
	[ "$status" -eq 0 ]
	[[ "$output" == *"(cached)"* ]]
	run "$ROOT/scripts/patch.sh"
	[ "$status" -eq 0 ]
	[[ "$output" == *"up to date"* ]]
	run "$ROOT/scripts/patch.sh" --check
	[ "$status" -eq 0 ]
}

@test "the verdict counts a program that never finished as failed" {
	log=$BATS_TEST_TMPDIR/serial.log
	printf '%s\n' 'mysyscall-guest: begin 6.12' 'mysyscall-guest: run add10' \
		'TAP version 13' '1..2' 'ok 1 global.ten_gives_twenty' >"$log"
	run "$ROOT/scripts/verdict.sh" "$log"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    add10: did not finish"* ]]
	[[ "$output" == *"FAIL    mysyscall: did not run"* ]]
	[[ "${lines[-1]}" =~ ^1\ passed,\ [0-9]+\ failed$ ]]
}

@test "the verdict counts planned tests that never reported, even after exit 0" {
	log=$BATS_TEST_TMPDIR/serial.log
	printf '%s\n' 'mysyscall-guest: begin 6.12' 'mysyscall-guest: run add10' \
		'TAP version 13' '1..3' 'ok 1 global.ten_gives_twenty' \
		'mysyscall-guest: end add10 0' >"$log"
	run "$ROOT/scripts/verdict.sh" "$log"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    add10: tests missing from its report"* ]]
	[[ "$output" == *"planned 3 tests, reported 1"* ]]
}

@test "the verdict fails a program that ran but reported no test at all" {
	log=$BATS_TEST_TMPDIR/serial.log
	printf '%s\n' 'mysyscall-guest: begin 6.12' 'mysyscall-guest: run nobody/add10' \
		'sh: line 0: ./run_kselftest.sh: Permission denied' \
		'mysyscall-guest: end nobody/add10 0' >"$log"
	run "$ROOT/scripts/verdict.sh" "$log"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    nobody/add10: reported no tests"* ]]
}

@test "the verdict counts KUnit cases from the kernel log and names a failed one" {
	log=$BATS_TEST_TMPDIR/serial.log
	{
		printf '%s\n' 'mysyscall-guest: begin 6.12' 'mysyscall-guest: dmesg'
		printf '[    0.4] %s\n' 'KTAP version 1' '1..1' '    KTAP version 1' \
			'    # Subtest: mysyscall' '    1..2' '        KTAP version 1' \
			'        # Subtest: mysyscall_add10_test' '        ok 1 seed example' \
			'        # mysyscall_add10_test: EXPECTATION FAILED at kernel/mysyscall_kunit.c:50' \
			'        Expected mysyscall_add10(t->x) == t->want, but' \
			'clocksource: an unrelated kernel message' \
			'        not ok 2 sum -1 is ERANGE' '    not ok 1 mysyscall_add10_test' \
			'    ok 2 mysyscall_format_e2big_test # SKIP not today' 'not ok 1 mysyscall'
		echo 'mysyscall-guest: done'
	} >"$log"
	run "$ROOT/scripts/verdict.sh" "$log"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"PASS    kunit: mysyscall.mysyscall_add10_test: seed example"* ]]
	[[ "$output" == *"FAIL    kunit: mysyscall.mysyscall_add10_test: sum -1 is ERANGE"* ]]
	[[ "$output" == *"Expected mysyscall_add10(t->x) == t->want"* ]]
	[[ "$output" != *"unrelated kernel message"* ]]
	[[ "$output" == *"SKIP    kunit: mysyscall: mysyscall_format_e2big_test"* ]]
	# The suite and the parameterised test are parents, not cases.
	[[ "$output" != *"kunit: mysyscall: mysyscall_add10_test"* ]]
	[[ "$output" != *"(failed as a whole)"* ]]
	# The same in the JUnit report, escaped
	xml=$BUILD_DIR/6.12/base/logs/results.xml
	grep -q '<testcase classname="kunit" name="mysyscall.mysyscall_add10_test: sum -1 is ERANGE"><failure' "$xml"
	grep -q 'Expected mysyscall_add10(t-&gt;x) == t-&gt;want' "$xml"
	grep -q '<testcase classname="kunit" name="mysyscall: mysyscall_format_e2big_test"><skipped/>' "$xml"
	[ "$(grep -c '<testsuite ' "$xml")" = "$(grep -c '</testsuite>' "$xml")" ]
	tail -n 1 "$xml" | grep -qx '</testsuites>'
}

@test "the verdict fails a KUnit kernel whose log has no KTAP" {
	grep -q '^CONFIG_MYSYSCALL_KUNIT_TEST=y' "$BUILD_DIR/6.12/base/obj/.config"
	log=$BATS_TEST_TMPDIR/serial.log
	printf '%s\n' 'mysyscall-guest: begin 6.12' 'mysyscall-guest: dmesg' \
		'[    0.4] no tests here' 'mysyscall-guest: done' >"$log"
	run "$ROOT/scripts/verdict.sh" "$log"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    kunit: did not run"* ]]
	[[ "$output" == *"no KTAP results in the kernel log"* ]]
}

@test "every script answers --help with its usage and exit 0" {
	for s in "$ROOT"/scripts/*.sh; do
		[ "$(basename "$s")" = lib.sh ] && continue
		run "$s" --help
		[ "$status" -eq 0 ] || { echo "$s: $status"; false; }
		[[ "$output" == *"Usage: scripts/"* ]] || { echo "$s: no usage"; false; }
	done
}

@test "README's make qemu-test TESTS=\"ptrace stress/flood\" works through make (TESTS reaches no sub-make)" {
	run make -s -C "$ROOT" qemu-test TESTS="ptrace stress/flood" BUILD_DIR="$BUILD_DIR" ACCEL=tcg
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"PASS    ptrace: tracer_rewrites_the_add10_argument"* ]]
	[[ "$output" == *"PASS    stress/flood: "* ]]
	[[ "$output" != *"PASS    add10: "* ]]
	[[ "$output" == *"PASS    2 guest programs"* ]]
}

@test "make clean removes exactly the BUILD_DIR given, spaces and quotes included, and ignores an exported one" {
	repo=$(copy_repo)
	mkdir -p "$BATS_TEST_TMPDIR/x/my" "$BATS_TEST_TMPDIR/x/build" "$BATS_TEST_TMPDIR/x/my build/6.12" \
		"$BATS_TEST_TMPDIR/x/it's" "$repo/build/keep"
	run make -s -C "$repo" clean BUILD_DIR="$BATS_TEST_TMPDIR/x/my build"
	[ "$status" -eq 0 ]
	[ ! -e "$BATS_TEST_TMPDIR/x/my build" ]
	[ -d "$BATS_TEST_TMPDIR/x/my" ]
	[ -d "$BATS_TEST_TMPDIR/x/build" ]
	[ -d "$repo/build/keep" ]
	run make -s -C "$repo" clean BUILD_DIR="$BATS_TEST_TMPDIR/x/it's"
	[ "$status" -eq 0 ]
	[ ! -e "$BATS_TEST_TMPDIR/x/it's" ]
	# exported, not given: the default build/ of that checkout goes, nothing else
	mkdir -p "$BATS_TEST_TMPDIR/x/exported"
	BUILD_DIR=$BATS_TEST_TMPDIR/x/exported run make -s -C "$repo" clean
	[ "$status" -eq 0 ]
	[ -d "$BATS_TEST_TMPDIR/x/exported" ]
	[ ! -e "$repo/build" ]
}

@test "an unforeseen failure of the rig is exit 8, naming the script, line and command, never 1" {
	fake=$BATS_TEST_TMPDIR/bin
	mkdir -p "$fake"
	printf '#!/bin/sh\nexit 1\n' >"$fake/mv"
	chmod +x "$fake/mv"
	rm -f "$BUILD_DIR/6.12/pristine"
	PATH=$fake:$PATH run "$ROOT/scripts/fetch.sh"
	echo "$output"
	[ "$status" -eq 8 ]
	[[ "$output" == *"fetch.sh: internal error: fetch.sh line "*': "mv -T '*'" failed with status 1'* ]]
}

@test "HOME unset, or a BUILD_DIR that cannot be written: exit 2, naming the variable" {
	env -u HOME -u XDG_CACHE_HOME -u CACHE_DIR "$ROOT/scripts/fetch.sh" >"$BATS_TEST_TMPDIR/out" 2>&1 || status=$?
	cat "$BATS_TEST_TMPDIR/out"
	[ "${status:-0}" -eq 2 ]
	grep -q 'CACHE_DIR is not set, and HOME is not set either' "$BATS_TEST_TMPDIR/out"
	printf 'x' >"$BATS_TEST_TMPDIR/file"
	BUILD_DIR=$BATS_TEST_TMPDIR/file/build run "$ROOT/scripts/fetch.sh"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot write to BUILD_DIR="* ]]
}

@test "a stage script run from inside scripts/ finds lib.sh" {
	cd "$ROOT/scripts"
	run bash ./deps.sh --help
	[ "$status" -eq 0 ]
	cd "$ROOT/scripts" && run bash deps.sh --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: scripts/deps.sh"* ]]
}

@test "the expectation comes from the configuration asked for: a base kernel that lost CONFIG_MYSYSCALL fails" {
	nosys=$REAL/nosyscall/obj
	[ -f "$nosys/arch/x86/boot/bzImage" ] || skip "no CONFIG=nosyscall kernel built (make qemu-test CONFIG=nosyscall)"
	# CONFIG=base, but its obj/ holds a kernel (and .config) without the calls,
	# as after an edit of init/Kconfig that made MYSYSCALL unselectable
	rm "$BUILD_DIR/6.12/base/obj"
	mkdir -p "$BUILD_DIR/6.12/base/obj/arch/x86/boot"
	cp "$nosys/.config" "$BUILD_DIR/6.12/base/obj/.config"
	ln -s "$nosys/arch/x86/boot/bzImage" "$BUILD_DIR/6.12/base/obj/arch/x86/boot/bzImage"
	TESTS="add10 table" run "$ROOT/scripts/qemu-test.sh" --boot-only
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    add10: ten_gives_twenty"* ]]
	# and the same kernel as what it is, the negative control, passes
	CONFIG=nosyscall KERNEL_IMAGE=$nosys/arch/x86/boot/bzImage INITRAMFS=$BUILD_DIR/6.12/base/initramfs.cpio \
		run "$ROOT/scripts/boot.sh"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "configure checks .config against the fragments on every run, not only when its inputs change" {
	repo=$(copy_repo)
	printf 'CONFIG_MYSYSCALL=y\n' >"$repo/kernel-config/again.config"
	CONFIG=again run "$repo/scripts/configure.sh"
	[ "$status" -eq 0 ]
	cfg=$BUILD_DIR/6.12/again/obj/.config
	grep -qx 'CONFIG_MYSYSCALL=y' "$cfg"
	CONFIG=again run "$repo/scripts/configure.sh"
	[[ "$output" == *"up to date"* ]]
	# a hand edit (or kbuild after a Kconfig edit) drops it
	sed -i 's/^CONFIG_MYSYSCALL=y/# CONFIG_MYSYSCALL is not set/' "$cfg"
	CONFIG=again run "$repo/scripts/configure.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"lost what the fragments ask for"*"configuring again"* ]]
	grep -qx 'CONFIG_MYSYSCALL=y' "$cfg"
}

@test "two runs at once in one build directory: the second waits, both pass" {
	TESTS=table "$ROOT/scripts/qemu-test.sh" --boot-only >"$BATS_TEST_TMPDIR/a" 2>&1 &
	a=$!
	TESTS=table "$ROOT/scripts/qemu-test.sh" --boot-only >"$BATS_TEST_TMPDIR/b" 2>&1 &
	b=$!
	ra=0 rb=0
	wait "$a" || ra=$?
	wait "$b" || rb=$?
	cat "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	[ "$ra" -eq 0 ]
	[ "$rb" -eq 0 ]
	grep -q 'waiting for it to end' "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	grep -qE '^[1-9][0-9]* passed, 0 failed(, [0-9]+ skipped)?$' "$BATS_TEST_TMPDIR/a"
	grep -qE '^[1-9][0-9]* passed, 0 failed(, [0-9]+ skipped)?$' "$BATS_TEST_TMPDIR/b"
}

@test "clones sharing one cache fetch at once: one extracts, the others wait and reuse it" {
	tree=$BATS_TEST_TMPDIR/linux-9.9
	mkdir -p "$tree"
	(cd "$(readlink -f "$REAL/pristine")" && cp --parents Makefile arch/x86/entry/syscalls/syscall_64.tbl "$tree/")
	tar -C "$BATS_TEST_TMPDIR" -cJf "$BATS_TEST_TMPDIR/linux-9.9.tar.xz" linux-9.9
	sum=$(sha256sum "$BATS_TEST_TMPDIR/linux-9.9.tar.xz" | cut -d' ' -f1)
	export CACHE_DIR=$BATS_TEST_TMPDIR/cache KERNEL_TARBALL=$BATS_TEST_TMPDIR/linux-9.9.tar.xz KERNEL_TARBALL_SHA256=$sum
	pids=()
	for i in 1 2 3 4 5 6; do
		BUILD_DIR=$BATS_TEST_TMPDIR/clone$i "$ROOT/scripts/fetch.sh" >"$BATS_TEST_TMPDIR/f$i" 2>&1 &
		pids+=($!)
	done
	for i in 1 2 3 4 5 6; do
		wait "${pids[$((i - 1))]}" || { cat "$BATS_TEST_TMPDIR/f$i"; false; }
		[ -f "$BATS_TEST_TMPDIR/clone$i/custom/pristine/Makefile" ]
	done
	cat "$BATS_TEST_TMPDIR"/f*
	[ "$(grep -l 'FETCH   linux-9.9.tar.xz -> ' "$BATS_TEST_TMPDIR"/f* | wc -l)" -eq 1 ]
	[ "$(ls "$CACHE_DIR/trees")" = "tarball-${sum:0:16}" ]
	# six fetches in one clone at once (one link to publish): all fine too
	pids=()
	for i in 1 2 3 4 5 6; do
		BUILD_DIR=$BATS_TEST_TMPDIR/one "$ROOT/scripts/fetch.sh" >/dev/null 2>&1 &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
	[ -f "$BATS_TEST_TMPDIR/one/custom/pristine/Makefile" ]
	[ -z "$(find "$BATS_TEST_TMPDIR/one" -name '*.tmp*')" ]
}

@test "make boot with nothing built: exit 2 and what to run, no awk error" {
	run make -s -C "$ROOT" boot BUILD_DIR="$BATS_TEST_TMPDIR/empty"
	echo "$output"
	[[ "$output" == *"nothing built to boot for KERNEL=6.12 CONFIG=base"*"run make qemu-test first"* ]]
	[[ "$output" == *"0 passed, 1 failed"* ]]
	[[ "$output" == *"Error 2"* ]]
	[[ "$output" != *awk* ]]
	BUILD_DIR=$BATS_TEST_TMPDIR/empty run "$ROOT/scripts/qemu-test.sh" --boot-only
	[ "$status" -eq 2 ]
}

@test "check-series with nothing to compare with, or with src edits not in patches/: fails at once, naming it" {
	rm "$BUILD_DIR/6.12/base/initramfs.cpio"
	SECONDS=0
	run "$ROOT/scripts/series-check.sh"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    series: reproducible: nothing to compare with"*"run make qemu-test first"* ]]
	[ "${lines[-1]}" = "0 passed, 1 failed" ]
	[ "$SECONDS" -lt 60 ]
	# A src with an edit (only the files the series touches: all --check reads)
	cp "$REAL/base/initramfs.cpio" "$BUILD_DIR/6.12/base/"
	rm "$BUILD_DIR/6.12/src"
	mkdir "$BUILD_DIR/6.12/src"
	(cd "$REAL/src" && sed -n 's,^+++ b/,,p' "$ROOT"/patches/0*.patch | sort -u |
		xargs cp -a --parents -t "$BUILD_DIR/6.12/src")
	cp -a "$REAL/src/.pc" "$REAL/src"/.mysyscall-* "$BUILD_DIR/6.12/src/"
	echo '/* an edit */' >>"$BUILD_DIR/6.12/src/kernel/mysyscall.c"
	run "$ROOT/scripts/series-check.sh"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"differs from pristine + patches/"*"'make refresh' first"* ]]
	[[ "$output" == *"kernel/mysyscall.c"* ]]
	[ "${lines[-1]}" = "0 passed, 1 failed" ]
}

@test "deps: with KERNEL_SRC (the way on a non-Debian host) neither dpkg-deb nor apt-get is needed" {
	bin=$BATS_TEST_TMPDIR/bin
	mkdir -p "$bin"
	for f in /usr/bin/* /usr/sbin/*; do
		case "${f##*/}" in dpkg-deb | apt-get) ;; *) ln -sf "$f" "$bin/${f##*/}" ;; esac
	done
	printf '#!/bin/sh\necho "apt-get called: $*"\nexit 1\n' >"$bin/apt-get"
	chmod +x "$bin/apt-get"
	KERNEL_SRC=$ROOT/tests/fixtures/linux-6.6.87 PATH=$bin run "$ROOT/scripts/deps.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *"apt-get called"* ]]
	# A pinned kernel is a Debian package: dpkg-deb it needs.
	PATH=$bin run "$ROOT/scripts/deps.sh"
	echo "$output"
	[ "$status" -eq 6 ]
	[[ "$output" == *"apt-get called: install -y --no-install-recommends dpkg"* ]]
}

@test "make check runs each part through make with that part's kernel and configuration, and what it was given" {
	# A make that only says what it was asked, and that it passed.
	bin=$BATS_TEST_TMPDIR/bin
	mkdir -p "$bin"
	printf '#!/bin/sh\necho "$*" >>"%s"\necho "1 passed, 0 failed"\n' "$BATS_TEST_TMPDIR/make.calls" >"$bin/make"
	chmod +x "$bin/make"
	# As make check TIMEOUT=900 would export it; KERNEL is ignored, and said so.
	TIMEOUT=900 KERNEL=6.12 CHECK_KERNELS=6.1 PATH=$bin:$PATH run "$ROOT/scripts/check.sh"
	echo "$output"
	cat "$BATS_TEST_TMPDIR/make.calls"
	[[ "$output" == *"ignoring KERNEL=6.12"* ]]
	for c in base nosyscall debug; do
		line=$(grep " qemu-test KERNEL=6.1 CONFIG=$c STRESS=1\$" "$BATS_TEST_TMPDIR/make.calls")
		[[ "$line" == *" TIMEOUT=900 "* ]]
		[[ "$line" == *" BUILD_DIR=$BUILD_DIR "* ]]
		# nothing else names a kernel or a configuration
		[ "$(grep -o 'KERNEL=[^ ]*' <<<"$line")" = KERNEL=6.1 ]
		[ "$(grep -o 'CONFIG=[^ ]*' <<<"$line")" = "CONFIG=$c" ]
	done
	grep -q ' lint KERNEL=6.1$' "$BATS_TEST_TMPDIR/make.calls"
	[ "$(grep -c 'check-series\|gdb-test' "$BATS_TEST_TMPDIR/make.calls")" = 0 ]
}

@test "make check's parts: on one machine (CI) KMSAN, the per-patch builds, kunit.py and the other pins' x86-64 kernels go to the jobs" {
	run "$ROOT/scripts/check.sh" --list
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *kmsan* ]]
	[[ "$output" != *check-series* ]]
	[[ "$output" != *$'\trig_make kunit'* ]]
	[ "$(grep -c 'CONFIG=debug' <<<"$output")" = 1 ]
	[[ "$output" == *$'\trig_make qemu-test KERNEL=6.12 CONFIG=debug STRESS=1'* ]]
	[[ "$output" == *$'\trig_make qemu-test KERNEL=6.12 CONFIG=nosyscall STRESS=1'* ]]
	[ "$(grep -c 'CONFIG=nosyscall' <<<"$output")" = 1 ]
	[[ "$output" == *$'\trig_make qemu-test KERNEL=6.12 CONFIG=base STRESS=1'* ]]
	[[ "$output" == *"W=1, sparse KERNEL=6.12"$'\t'* ]]
	# 6.1's build is its job's
	[[ "$output" != *"KERNEL=6.1 "* ]]
	# the newest pin: arm64 and riscv64 (its x86-64 build in its job),
	# typed as README types them
	[[ "$output" != *$'\trig_make qemu-test KERNEL=7.3 CONFIG=base STRESS=1'* ]]
	for a in arm64 riscv64; do
		[[ "$output" == *$'\trig_make qemu-test KERNEL=7.3 CONFIG=base ARCH='"$a STRESS=1"* ]]
		[[ "$output" == *"W=1, sparse KERNEL=7.3 ARCH=$a"$'\t'* ]]
	done
	[ "$(grep -c 'rig_make qemu-test .*ARCH=x86_64' <<<"$output")" = 0 ] # x86-64 as README types it: no ARCH
	for p in methods gdb lint tree host; do grep -q "^$p"$'\t' <<<"$output"; done
	# 6.12's job: those too
	CHECK_KERNELS=6.12 run "$ROOT/scripts/check.sh" --list
	echo "$output"
	[[ "$output" == *$'\tkmsan_part 6.12'* ]]
	[[ "$output" == *$'\trig_make check-series KERNEL=6.12'* ]]
	[[ "$output" == *$'\trig_make kunit KERNEL=6.12'* ]]
	[[ "$output" != *"KERNEL=6.1 "* ]]
	[[ "$output" != *"ARCH=arm64"* ]]
	# 7.3's: its x86-64 configurations, and each architecture's negative
	# control too
	CHECK_KERNELS=7.3 run "$ROOT/scripts/check.sh" --list
	echo "$output"
	for c in base nosyscall; do
		[[ "$output" == *$'\trig_make qemu-test KERNEL=7.3 CONFIG='"$c STRESS=1"* ]]
	done
	[[ "$output" == *$'\trig_make qemu-test KERNEL=7.3 CONFIG=debug STRESS=1'* ]]
	for a in arm64 riscv64; do
		[[ "$output" == *$'\trig_make qemu-test KERNEL=7.3 CONFIG=nosyscall ARCH='"$a STRESS=1"* ]]
	done
	# CHECK_ARCHS=arm64: that architecture's parts alone (a job of its own)
	CHECK_KERNELS=7.3 CHECK_ARCHS=arm64 run "$ROOT/scripts/check.sh" --list
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *riscv64* ]]
	[ "$(grep -c $'\trig_make qemu-test' <<<"$output")" = 2 ]
	[[ "$output" != *$'\nhost\t'* ]]
	CHECK_ARCHS=sparc run "$ROOT/scripts/check.sh" --list
	[ "$status" -eq 2 ]
	[[ "$output" == *"CHECK_ARCHS: sparc is not one of x86_64 arm64 riscv64"* ]]
}
