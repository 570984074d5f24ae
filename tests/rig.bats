#!/usr/bin/env bats
# Host-side tests of the rig: break things on purpose and check that each
# failure stops with the right exit code, a message naming the cause, and
# nothing left half-done. They reuse the 6.12 build of "make qemu-test"
# (built first if missing) through a scratch BUILD_DIR of symlinks, so
# they never touch build/ itself.

setup_file() {
	export ROOT=$BATS_TEST_DIRNAME/..
	export REAL=$ROOT/build/6.12
	if [ ! -f "$REAL/base/initramfs.cpio" ]; then
		"$ROOT/scripts/qemu-test.sh" >&3 2>&1
	fi
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

# A copy of the repository (tracked files plus the work tree's changes).
copy_repo() {
	local dst=$BATS_TEST_TMPDIR/repo
	mkdir -p "$dst"
	(cd "$ROOT" && git ls-files -co --exclude-standard | tar -cf - -T -) | tar -xf - -C "$dst"
	echo "$dst"
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
	[[ "$output" != *"PASS    mysyscall: returns_zero"* ]] && [[ "$output" != *"stress/"* ]]
	TESTS="add10 no_such_program" run "$ROOT/scripts/boot.sh"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"there is no guest program 'no_such_program' (have: add10 "*"stress/flood"* ]]
}

@test "STRESS=1 runs the stress tests after the others; without it none runs or is expected" {
	STRESS=1 run "$ROOT/scripts/qemu-test.sh" --boot-only
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"PASS    stress/flood: "* ]]
	[[ "$output" == *"PASS    stress/threads: "* ]]
	[[ "$output" == *"PASS    add10: ten_gives_twenty"* ]]
	run "$ROOT/scripts/qemu-test.sh" --boot-only
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *"stress/"* ]]
	[[ "$output" == *"PASS    add10: ten_gives_twenty"* ]]
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

# expect_out PATTERN SECONDS: read the coprocess's output until PATTERN (a
# glob) shows up; fail after SECONDS. The text read so far is in $seen.
expect_out() {
	local c rc deadline=$((SECONDS + $2))
	while [[ "$seen" != *$1* ]]; do
		[ "$SECONDS" -lt "$deadline" ] || { echo "timeout waiting for '$1'; got: $seen"; return 1; }
		rc=0
		IFS= read -r -N 1 -t 5 c <&"${GUEST[0]}" 2>/dev/null || rc=$?
		if [ "$rc" = 0 ]; then
			seen+=$c
		elif [ "$rc" -le 128 ]; then # not a timeout: the output ended
			echo "the guest ended before '$1'; got: $seen"
			return 1
		fi
	done
}

@test "make run: a typed command gets its answer, exit leaves QEMU" {
	seen=""
	coproc GUEST { make -C "$ROOT" --no-print-directory run 2>&1; }
	expect_out "quit with Ctrl-a x" 120
	expect_out "/ # " 60
	echo 'add10 10; echo "rc=$?"; mysyscall; echo "rc=$?"' >&"${GUEST[1]}"
	expect_out "rc=1" 30
	[[ "$seen" == *$'\n20\r\nrc=0'* ]]
	[[ "$seen" == *"mysyscall: EFAULT (Bad address)"* ]]
	pid=$GUEST_PID
	echo exit >&"${GUEST[1]}"
	for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null && sleep 1; done
	if kill -0 "$pid" 2>/dev/null; then
		echo "QEMU still runs 30 s after exit"
		false
	fi
}

@test "a kernel panic at boot: exit 4, the panic is printed, make says Error 4" {
	# A requested init that cannot run makes the kernel panic.
	no_init="rdinit=/does-not-exist init=/does-not-exist"
	APPEND=$no_init TIMEOUT=60 run "$ROOT/scripts/qemu-test.sh"
	echo "$output"
	[ "$status" -eq 4 ]
	[[ "$output" == *"Kernel panic - not syncing: Requested init /does-not-exist failed"* ]]
	[[ "$output" == *"kernel crash during the test boot"* ]]
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
	echo "deb 6.12 linux-source-6.12 $version 0000000000000000000000000000000000000000000000000000000000000000" >"$LOCK_FILE"
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
	[ ! -e "$BUILD_DIR/6.12/src" ] && [ ! -e "$BUILD_DIR/6.12/src.tmp" ]
}

@test "a config option that does not survive olddefconfig: exit 3, named; one the tree lacks: named, skipped" {
	repo=$(copy_repo)
	# EXT4_FS exists but needs BLOCK, which tinyconfig leaves out
	printf 'CONFIG_PRINTK=y\nCONFIG_EXT4_FS=y\nCONFIG_MYSYSCALL_NO_SUCH_OPTION=y\n' >"$repo/kernel-config/bad.config"
	CONFIG=bad run "$repo/scripts/configure.sh"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"CONFIG_EXT4_FS=y (asked in bad.config) is not set after olddefconfig"* ]]
	[[ "$output" == *"has no CONFIG_MYSYSCALL_NO_SUCH_OPTION (bad.config): skipped"* ]]
	[ ! -e "$BUILD_DIR/6.12/bad/obj/.config" ]
	# an option of a later release alone (as on an older tree): no failure
	printf 'CONFIG_PRINTK=y\nCONFIG_MYSYSCALL_NO_SUCH_OPTION=y\n' >"$repo/kernel-config/later.config"
	CONFIG=later run "$repo/scripts/configure.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"has no CONFIG_MYSYSCALL_NO_SUCH_OPTION (later.config): skipped"* ]]
	[ -f "$BUILD_DIR/6.12/later/obj/.config" ]
}

@test "an unknown KERNEL: exit 2, lists the pinned ones" {
	KERNEL=9.9 run "$ROOT/scripts/fetch.sh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"KERNEL=9.9 is not pinned"*"6.12"* ]]
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
