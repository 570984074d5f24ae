#!/usr/bin/env bats
# make refresh, the end of the hack loop: edits made in build/KERNEL/src
# go back into patches/. On a copy of the repository and of a small
# kernel tree (the 6.6.87 fixture: the files the series touches), so
# neither the real patches/ nor a real build is changed.

load helpers

setup() {
	ROOT=$BATS_TEST_DIRNAME/..
	unset KERNEL CONFIG KERNEL_TARBALL V TESTS
	repo=$(copy_repo)
	cp -r "$ROOT/tests/fixtures/linux-6.6.87" "$BATS_TEST_TMPDIR/tree"
	export KERNEL_SRC=$BATS_TEST_TMPDIR/tree BUILD_DIR=$BATS_TEST_TMPDIR/build
	cp -r "$repo/patches" "$BATS_TEST_TMPDIR/before"
	make -C "$repo" -s patch KERNEL_SRC="$KERNEL_SRC" BUILD_DIR="$BUILD_DIR" >/dev/null
	src=$BUILD_DIR/custom/src
}

refresh() { run make -C "$repo" --no-print-directory refresh KERNEL_SRC="$KERNEL_SRC" BUILD_DIR="$BUILD_DIR"; }

# changed: the patches refresh rewrote, by name
changed() { (cd "$repo/patches" && for p in *.patch; do cmp -s "$p" "$BATS_TEST_TMPDIR/before/$p" || echo "$p"; done | xargs); }

# applies: pristine + patches/ (patch -p1, no fuzz; in the forms this
# release takes, as make export-series writes them) gives exactly src's
# files
applies() {
	local t=$BATS_TEST_TMPDIR/check p
	rm -rf "$t" "$t.series" && cp -r "$KERNEL_SRC" "$t"
	make -C "$repo" -s export-series KERNEL_SRC="$KERNEL_SRC" SERIES_DIR="$t.series" >/dev/null
	while read -r p; do patch -s -p1 -F0 -d "$t" <"$t.series/$p"; done <"$repo/patches/series"
	for f in kernel/mysyscall.c kernel/tests/mysyscall_kunit.c kernel/tests/.kunitconfig init/Kconfig \
		kernel/Makefile arch/x86/entry/syscalls/syscall_64.tbl arch/x86/entry/syscalls/syscall_32.tbl \
		include/linux/syscalls.h include/linux/compat.h kernel/sys_ni.c scripts/checksyscalls.sh MAINTAINERS; do
		cmp "$t/$f" "$src/$f"
	done
}

@test "make refresh with nothing edited: says so, patches/ untouched" {
	refresh
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"nothing to write"* ]]
	[ -z "$(changed)" ]
}

@test "make refresh: an edit of the implementation goes into patch 1, of the KUnit file into patch 2; git am takes them" {
	sed -i 's/ \* @msg: the message$/ * @msg: the user'"'"'s message/' "$src/kernel/mysyscall.c"
	grep -q "user's message" "$src/kernel/mysyscall.c"
	refresh
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(changed)" = 0001-kernel-add-the-mysyscall-and-add10-system-calls.patch ]
	grep -q "^+ \* @msg: the user's message" "$repo/patches/0001-"*
	applies
	# Authors, dates and messages stay.
	diff <(sed -n '2,/^---$/p' "$BATS_TEST_TMPDIR/before/0001-"*) <(sed -n '2,/^---$/p' "$repo/patches/0001-"*)
	# src is the new series applied: in step, and quilt knows it.
	run make -C "$repo" --no-print-directory patch KERNEL_SRC="$KERNEL_SRC" BUILD_DIR="$BUILD_DIR"
	[[ "$output" == *"PATCH   up to date"* ]]
	[[ "$output" != *"edits"* ]]
	(cd "$src" && QUILTRC=/dev/null quilt pop -a -q >/dev/null && QUILTRC=/dev/null quilt push -a -q --fuzz=0 >/dev/null)
	refresh
	[[ "$output" == *"nothing to write"* ]]
	# The KUnit file belongs to patch 2 alone.
	cp -r "$repo/patches" "$BATS_TEST_TMPDIR/before.2" && rm -rf "$BATS_TEST_TMPDIR/before" && mv "$BATS_TEST_TMPDIR/before.2" "$BATS_TEST_TMPDIR/before"
	echo '/* one more line */' >>"$src/kernel/tests/mysyscall_kunit.c"
	refresh
	echo "$output"
	[ "$status" -eq 0 ]
	# The cover letter's diffstat follows; its subject and text stay.
	[ "$(changed)" = "0000-cover-letter.patch 0002-kernel-add-KUnit-tests-for-mysyscall-and-add10.patch" ]
	n=$(sed -n 's,^ kernel/tests/mysyscall_kunit.c *| *\([0-9]*\) .*,\1,p' "$BATS_TEST_TMPDIR/before/0000-cover-letter.patch")
	grep -q "^ kernel/tests/mysyscall_kunit.c *| $((n + 1)) +*\$" "$repo/patches/0000-cover-letter.patch"
	diff <(sed '/^ .* | /d; /files\? changed/d' "$BATS_TEST_TMPDIR/before/0000-cover-letter.patch") \
		<(sed '/^ .* | /d; /files\? changed/d' "$repo/patches/0000-cover-letter.patch")
	grep -q "^Subject: \\[PATCH v2 2/$(grep -c '^[^#]' "$repo/patches/series")\\] " "$repo/patches/0002-"*
	applies
	# (the series as applies wrote it for this release)
	mapfile -t am_series < <(sed "s|^|$BATS_TEST_TMPDIR/check.series/|" "$repo/patches/series")
	git init -q "$BATS_TEST_TMPDIR/am"
	cp -r "$KERNEL_SRC/." "$BATS_TEST_TMPDIR/am/"
	git -C "$BATS_TEST_TMPDIR/am" add -Af
	git -C "$BATS_TEST_TMPDIR/am" -c user.name=t -c user.email=t@t commit -qm base
	git -C "$BATS_TEST_TMPDIR/am" -c user.name=t -c user.email=t@t am -q "${am_series[@]}"
	cmp "$BATS_TEST_TMPDIR/am/kernel/tests/mysyscall_kunit.c" "$src/kernel/tests/mysyscall_kunit.c"
}

@test "make refresh: an edit of a line a later patch added goes into that patch, each file on its own" {
	# Patch 2 adds the #include of the KUnit file at the end of mysyscall.c.
	sed -i 's|^#include "tests/mysyscall_kunit.c"$|#include "tests/mysyscall_kunit.c" /* its tests */|' "$src/kernel/mysyscall.c"
	grep -q 'its tests' "$src/kernel/mysyscall.c"
	refresh
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(changed)" = 0002-kernel-add-KUnit-tests-for-mysyscall-and-add10.patch ]
	applies
	# With an edit of patch 1's part of init/Kconfig (patch 2 touches the
	# file too) at the same time: that one still goes into patch 1.
	cp -r "$repo/patches" "$BATS_TEST_TMPDIR/before.2" && rm -rf "$BATS_TEST_TMPDIR/before" && mv "$BATS_TEST_TMPDIR/before.2" "$BATS_TEST_TMPDIR/before"
	sed -i 's|^\t  meant for learning and for testing system call tooling\.$|\t  meant for learning, and for testing system call tooling.|' "$src/init/Kconfig"
	grep -q 'meant for learning, and' "$src/init/Kconfig"
	sed -i 's|/\* its tests \*/|/* the KUnit tests */|' "$src/kernel/mysyscall.c"
	refresh
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(changed)" = "0001-kernel-add-the-mysyscall-and-add10-system-calls.patch 0002-kernel-add-KUnit-tests-for-mysyscall-and-add10.patch" ]
	grep -q '^+	  meant for learning, and for testing' "$repo/patches/0001-"*
	grep -q '^+#include "tests/mysyscall_kunit.c" /\* the KUnit tests \*/' "$repo/patches/0002-"*
	applies
}

@test "make refresh: an edit of a selftest goes into the selftests' patch" {
	t=$src/tools/testing/selftests/mysyscall/add10.c
	sed -i 's/^TEST(ten_gives_twenty)$/TEST(ten_plus_ten_gives_twenty)/' "$t"
	grep -q 'ten_plus_ten_gives_twenty' "$t"
	refresh
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(changed)" = 0005-selftests-mysyscall-add-tests-for-mysyscall-and-add1.patch ]
	grep -q '^+TEST(ten_plus_ten_gives_twenty)$' "$repo/patches/0005-"*
	applies
	cmp "$BATS_TEST_TMPDIR/check/tools/testing/selftests/mysyscall/add10.c" "$t"
}

@test "make refresh: a new test, as README's Adding a test makes it, goes into the selftests' patch; make patch names it until then" {
	d=$src/tools/testing/selftests/mysyscall
	printf '%s\n' '#include "../kselftest_harness.h"' '#include "mysyscall.h"' '' \
		'TEST(twenty_plus_ten)' '{' '	ASSERT_EQ(30, add10(20));' '}' '' 'TEST_HARNESS_MAIN' >"$d/newtest.c"
	sed -i 's/^\(TEST_GEN_PROGS := .*\)$/\1 newtest/' "$d/Makefile"
	echo newtest >>"$d/.gitignore"
	# built in place, as make -C tools/testing/selftests does: not a new file
	cp "$d/newtest.c" "$d/newtest"
	run make -C "$repo" --no-print-directory patch KERNEL_SRC="$KERNEL_SRC" BUILD_DIR="$BUILD_DIR"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"edits not in patches/ yet: "*"tools/testing/selftests/mysyscall/newtest.c"* ]]
	[[ "$output" != *"mysyscall/newtest "* ]]
	refresh
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(changed)" = "0000-cover-letter.patch 0005-selftests-mysyscall-add-tests-for-mysyscall-and-add1.patch" ]
	grep -q '^+++ b/tools/testing/selftests/mysyscall/newtest.c$' "$repo/patches/0005-"*
	grep -q '^ tools/testing/selftests/mysyscall/newtest.c ' "$repo/patches/0000-cover-letter.patch"
	[ "$(grep -c 'mysyscall/newtest$' "$repo/patches/0005-"*)" = 0 ]
	applies
	cmp "$BATS_TEST_TMPDIR/check/tools/testing/selftests/mysyscall/newtest.c" "$d/newtest.c"
	run make -C "$repo" --no-print-directory patch KERNEL_SRC="$KERNEL_SRC" BUILD_DIR="$BUILD_DIR"
	[[ "${lines[-1]}" == *"up to date" ]]
}

@test "make refresh: an edit where this release takes a form goes into that form, not the patch" {
	# the 6.6 fixture takes patches/forms/0001/syscalls.h-for-6.6.diff
	sed -i 's/^asmlinkage long sys_add10(long x);/asmlinkage long sys_add10(long value);/' "$src/include/linux/syscalls.h"
	refresh
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"REFRESH patches/forms/0001/syscalls.h-for-6.6.diff"* ]]
	[ -z "$(changed)" ]
	grep -q '^+asmlinkage long sys_add10(long value);' "$repo/patches/forms/0001/syscalls.h-for-6.6.diff"
	applies
	# the patch's own form now says otherwise: make lint's check names both
	run bash -c "cd '$repo' && . scripts/lib.sh && load_series && source <(sed -n '/^forms_match()/,/^}/p' '$repo/scripts/lint.sh') && forms_match"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"syscalls.h-for-6.6.diff adds or removes other lines than patches/0001-"* ]]
}

@test "make refresh: a file added to a patch with quilt add goes into that patch" {
	(cd "$src" && QUILTRC=/dev/null quilt add -P 0001-kernel-add-the-mysyscall-and-add10-system-calls.patch kernel/sys.c >/dev/null)
	echo '/* touched by the hack loop */' >>"$src/kernel/sys.c"
	refresh
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(changed)" = "0000-cover-letter.patch 0001-kernel-add-the-mysyscall-and-add10-system-calls.patch" ]
	grep -q '^ kernel/sys.c *| *1 +$' "$repo/patches/0000-cover-letter.patch"
	grep -q '^+++ b/kernel/sys.c' "$repo/patches/0001-"*
	grep -q '^+/\* touched by the hack loop \*/' "$repo/patches/0001-"*
	run make -C "$repo" --no-print-directory patch KERNEL_SRC="$KERNEL_SRC" BUILD_DIR="$BUILD_DIR"
	echo "$output"
	[[ "$output" == *"up to date"* ]]
	[[ "$output" != *"edits"* ]]
}

@test "make refresh refuses, changing nothing, when patches/ moved on under src (a git pull) or a patch is popped" {
	echo '/* edit */' >>"$src/kernel/tests/mysyscall_kunit.c"
	# patches/ changed after src was made (its message only, say)
	sed -i 's/^Test the two helpers/Test both helpers/' "$repo/patches/0002-"*
	cp -r "$repo/patches" "$BATS_TEST_TMPDIR/pulled"
	refresh
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"patches/ changed since"*"refreshing would undo that"* ]]
	diff -r "$BATS_TEST_TMPDIR/pulled" "$repo/patches"
	# the series as src was made, but its last patch popped
	cp -r "$BATS_TEST_TMPDIR/before"/* "$repo/patches/"
	(cd "$src" && QUILTRC=/dev/null quilt pop -q >/dev/null)
	refresh
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"not every patch of the series is applied"* ]]
	[ -z "$(changed)" ]
}
