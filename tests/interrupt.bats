#!/usr/bin/env bats
# Ctrl-C at each stage, then the same command again: it resumes or redoes
# the stage and passes, and nothing half-done is taken for done. Fetch,
# patch and configure run in scratch directories of this file (the tests
# run in order: each takes the one before's result); build, pack and
# boot in the real 6.12 base build, with kernel/mysyscall.c touched so
# that kbuild has work to do, and end with it consistent again (kernel,
# initramfs and boot all redone).

load helpers

setup_file() {
	export ROOT=$BATS_TEST_DIRNAME/..
	real_build
	export REAL_BUILD=$REAL_BUILD_DIR
	export REAL_CACHE=${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mysyscall}
	export SCRATCH=$BATS_FILE_TMPDIR
}

setup() {
	unset KERNEL CONFIG KERNEL_SRC KERNEL_TARBALL TESTS STRESS APPEND V
	cd "$ROOT" || return
}

scratch_make() { make --no-print-directory "$@" BUILD_DIR="$SCRATCH/build" CACHE_DIR="$SCRATCH/cache"; }
real_make() { make --no-print-directory "$@" BUILD_DIR="$REAL_BUILD" CACHE_DIR="$REAL_CACHE" ACCEL=tcg; }

@test "Ctrl-C while fetch extracts the tree, then make fetch again: extracted anew, nothing half-done left" {
	deb=$(echo "$REAL_CACHE"/downloads/linux-source-6.12_*_all.deb)
	[ -f "$deb" ] || skip "no 6.12 package downloaded yet (make fetch)"
	mkdir -p "$SCRATCH/cache/downloads"
	ln "$deb" "$SCRATCH/cache/downloads/" 2>/dev/null || cp "$deb" "$SCRATCH/cache/downloads/"
	interrupt_when xz 60 make --no-print-directory fetch BUILD_DIR="$SCRATCH/build" CACHE_DIR="$SCRATCH/cache"
	[ ! -e "$SCRATCH/build/6.12/pristine" ]
	run scratch_make fetch
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"FETCH   linux-source-6.12 "*" from bookworm-security (linux-6.12."* ]]
	tree=$(readlink -f "$SCRATCH/build/6.12/pristine")
	[ -f "$tree/arch/x86/entry/syscalls/syscall_64.tbl" ]
	# Only the tree: no temporary directory of the interrupted run.
	[ "$(ls -A "$SCRATCH/cache/trees")" = "$(basename "$tree")" ]
	diff -rq "$tree" "$(readlink -f "$REAL_BUILD/6.12/pristine")"
}

@test "Ctrl-C while patch copies the tree, then make patch again: copied anew, src matches patches/" {
	[ -e "$SCRATCH/build/6.12/pristine" ] || skip "the fetch test did not run"
	interrupt_when cp 60 make --no-print-directory patch BUILD_DIR="$SCRATCH/build" CACHE_DIR="$SCRATCH/cache"
	[ ! -e "$SCRATCH/build/6.12/src" ]
	run scratch_make patch
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"PATCH   $(grep -c . "$ROOT/patches/series") patches -> "* ]]
	[ ! -e "$SCRATCH/build/6.12/src.tmp" ]
	run env BUILD_DIR="$SCRATCH/build" CACHE_DIR="$SCRATCH/cache" scripts/patch.sh --check
	[ "$status" -eq 0 ]
}

@test "Ctrl-C while configure runs kconfig, then make config again: a .config with every fragment option" {
	[ -d "$SCRATCH/build/6.12/src" ] || skip "the patch test did not run"
	interrupt_when conf 90 make --no-print-directory config BUILD_DIR="$SCRATCH/build" CACHE_DIR="$SCRATCH/cache"
	run scratch_make config
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"CONFIG  tinyconfig + base.config + x86_64.config -> "* ]]
	cmp "$SCRATCH/build/6.12/base/obj/.config" "$REAL_BUILD/6.12/base/obj/.config"
	# No longer needed: 1.7 GB.
	rm -rf "$SCRATCH/build" "$SCRATCH/cache"
}

@test "Ctrl-C while kbuild compiles, then make kernel again: rebuilt, the same bzImage" {
	real=$REAL_BUILD/6.12
	cp "$real/base/obj/arch/x86/boot/bzImage" "$BATS_TEST_TMPDIR/bzImage.before"
	touch "$real/src/kernel/mysyscall.c"
	interrupt_when cc1 120 make --no-print-directory kernel BUILD_DIR="$REAL_BUILD" CACHE_DIR="$REAL_CACHE"
	run real_make kernel
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"BUILD   linux-6.12."* ]]
	cmp "$real/base/obj/arch/x86/boot/bzImage" "$BATS_TEST_TMPDIR/bzImage.before"
	[ "$real/base/obj/kernel/mysyscall.o" -nt "$real/src/kernel/mysyscall.c" ]
}

@test "Ctrl-C while the initramfs is packed, then make initramfs again: packed whole" {
	real=$REAL_BUILD/6.12/base
	cp "$real/initramfs.cpio" "$BATS_TEST_TMPDIR/initramfs.before"
	stall mandoc
	interrupt_when sleep 60 make --no-print-directory initramfs BUILD_DIR="$REAL_BUILD" CACHE_DIR="$REAL_CACHE"
	PATH=${PATH#*/stall:} run real_make initramfs
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"CPIO    "* ]]
	cmp "$real/initramfs.cpio" "$BATS_TEST_TMPDIR/initramfs.before"
	[ -z "$(find "$real" -maxdepth 1 -name '*.tmp*')" ]
}

@test "Ctrl-C while the guest boots, then make boot again: QEMU gone, the boot passes" {
	interrupt_when qemu-system-x86 60 make --no-print-directory boot TESTS=add10 BUILD_DIR="$REAL_BUILD" CACHE_DIR="$REAL_CACHE" ACCEL=tcg
	run real_make boot TESTS=add10
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" =~ ^[1-9][0-9]*\ passed,\ 0\ failed(,\ [0-9]+\ skipped)?$ ]]
}
