#!/usr/bin/env bats
# Host-side tests of "make apply" / "make unapply" (scripts/apply.sh) on a
# user's tree, of the corrupt-tarball path of fetch.sh and of update-pins.
# The trees are small: the files the series touches plus the top Makefile,
# copied from the pinned 6.12 tree (fetched first if missing); that is all
# git am, quilt and patch read. Each failure must leave the tree as it was.

# Each test is a subshell of its own: its exports are meant to stay there.
# shellcheck disable=SC2030,SC2031

load helpers

setup_file() {
	export ROOT=$BATS_TEST_DIRNAME/..
	real_build
	export PRISTINE=$REAL/pristine
}

setup() {
	unset KERNEL CONFIG KERNEL_SRC KERNEL_TARBALL KERNEL_TARBALL_SHA256 V
	export TREE=$BATS_TEST_TMPDIR/linux
}

# patched_copy: a copy of the repository (repo) and the series applied by
# it to a mini tree of yours, as KERNEL=mine in a scratch BUILD_DIR
patched_copy() {
	export BUILD_DIR=$BATS_TEST_TMPDIR/build KERNEL=mine
	repo=$(copy_repo)
	mini_tree
	KERNEL_SRC=$TREE run "$repo/scripts/fetch.sh"
	run "$repo/scripts/patch.sh"
	[ "$status" -eq 0 ]
}

# apt-cache on the project's own apt configuration (scripts/lib.sh)
project_apt_cache() {
	bash -c '. "$1/scripts/lib.sh" && shift && apt_cache "$@"' _ "$ROOT" "$@"
}

# mini_tree [git]: $TREE with the files of the pinned tree the series reads.
mini_tree() {
	local f
	mkdir -p "$TREE"
	for f in Makefile $(sed -n 's,^--- a/\([^[:space:]]*\).*,\1,p' "$ROOT"/patches/*.patch | sort -u); do
		# files the series creates are not in the tree yet
		[ -f "$PRISTINE/$f" ] && (cd "$PRISTINE" && cp --parents "$f" "$TREE/")
	done
	if [ "${1:-}" = git ]; then
		git -C "$TREE" init -q
		git -C "$TREE" add -A
		git -C "$TREE" -c user.name=t -c user.email=t@t commit -q -m "Linux as released"
	fi
}

# Everything about the tree: every file's sum, and git's HEAD and status.
snapshot() {
	(cd "$TREE" && find . -path ./.git -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)
	if [ -d "$TREE/.git" ]; then
		git -C "$TREE" rev-parse HEAD
		git -C "$TREE" status --porcelain
	fi
}

apply() { KERNEL_SRC=$TREE run "${APPLY:-$ROOT/scripts/apply.sh}" "$@"; echo "$output"; }

# A copy of the repository's scripts and patches, to change the patches.
copy_scripts() {
	REPO=$BATS_TEST_TMPDIR/repo
	mkdir -p "$REPO"
	cp -a "$ROOT/scripts" "$ROOT/patches" "$REPO/"
	APPLY=$REPO/scripts/apply.sh
}

# Change a line of patch 0001's new file (kernel/mysyscall.c), as a newer
# version of the series would.
change_series() {
	sed -i 's/^+ \* writes it to the kernel log; add10() returns its argument plus ten\.$/+ * writes it to the kernel log; add10() returns its argument + 10./' \
		"$REPO"/patches/0001-*.patch
	! cmp -s "$REPO"/patches/0001-*.patch "$ROOT"/patches/0001-*.patch
}

@test "git tree: apply makes one commit per patch, twice is a no-op, unapply restores it" {
	mini_tree git
	before=$(snapshot)
	apply
	[ "$status" -eq 0 ]
	n=$(grep -c . "$ROOT/patches/series")
	[[ "$output" == *"$n commits on"* ]]
	[[ "$output" == *"scripts/config --enable MYSYSCALL"* ]]
	[ "$(git -C "$TREE" log --format=%s -n $((n + 1)) | tail -n 1)" = "Linux as released" ]
	git -C "$TREE" log --format=%s | grep -q "x86/syscalls: Wire up mysyscall"
	git -C "$TREE" log -n 1 --format=%s | grep -q "selftests/mysyscall: add tests"
	[ -f "$TREE/tools/testing/selftests/mysyscall/Makefile" ]
	grep -q '^548	64	mysyscall' "$TREE/arch/x86/entry/syscalls/syscall_64.tbl"
	grep -q '^549	i386	add10.*compat_sys_add10' "$TREE/arch/x86/entry/syscalls/syscall_32.tbl"
	applied=$(snapshot)
	apply
	[ "$status" -eq 0 ]
	[[ "$output" == *"already has the series (as the last $n git commits): nothing to do"* ]]
	[ "$(snapshot)" = "$applied" ]
	apply --unapply
	[ "$status" -eq 0 ]
	[ "$(snapshot)" = "$before" ]
}

@test "plain tree: apply with quilt, twice is a no-op, unapply restores every byte" {
	mini_tree
	before=$(snapshot)
	apply
	[ "$status" -eq 0 ]
	[[ "$output" == *"$(grep -c . "$ROOT/patches/series") patches in $TREE (quilt"* ]]
	[ -f "$TREE/kernel/mysyscall.c" ]
	apply
	[ "$status" -eq 0 ]
	[[ "$output" == *"already has the series (with quilt by make apply): nothing to do"* ]]
	apply --unapply
	[ "$status" -eq 0 ]
	[ "$(snapshot)" = "$before" ]
	[ ! -e "$TREE/.mysyscall" ]
}

@test "unapply in git refuses a dirty tree and an amended series" {
	mini_tree git
	apply
	[ "$status" -eq 0 ]
	echo "# local" >>"$TREE/kernel/Makefile"
	before=$(snapshot)
	apply --unapply
	[ "$status" -eq 2 ]
	[[ "$output" == *"has uncommitted changes"* ]]
	[ "$(snapshot)" = "$before" ]
	git -C "$TREE" -c user.name=t -c user.email=t@t commit -q --amend -a --no-edit
	before=$(snapshot)
	apply --unapply
	[ "$status" -eq 2 ]
	[[ "$output" == *"are not the series as patches/ has it (compared by git patch-id)"* ]]
	[ "$(snapshot)" = "$before" ]
}

@test "a git am under way (an interrupted make apply, say) is refused" {
	mini_tree git
	cp "$ROOT"/patches/0001-*.patch "$BATS_TEST_TMPDIR/p.patch"
	sed -i "s/^ obj-\$(CONFIG_KCMP) += kcmp.o\$/ obj-\$(CONFIG_KCMP) += nothing-like-this.o/" "$BATS_TEST_TMPDIR/p.patch"
	run git -C "$TREE" -c user.name=t -c user.email=t@t am -q "$BATS_TEST_TMPDIR/p.patch"
	[ "$status" -ne 0 ]
	before=$(snapshot)
	apply
	[ "$status" -eq 2 ]
	[[ "$output" == *"in the middle of a git operation (rebase-apply"*"git am --abort"*"The tree is unchanged"* ]]
	[ "$(snapshot)" = "$before" ]
}

@test "quilt: unapply works after patches/ changed; apply then re-applies the new version" {
	copy_scripts
	mini_tree
	before=$(snapshot)
	apply
	[ "$status" -eq 0 ]
	change_series
	# The tree has the old version: not "already applied".
	applied=$(snapshot)
	apply
	[ "$status" -eq 3 ]
	[[ "$output" == *"not what this version of patches/ makes"*"make unapply"* ]]
	[ "$(snapshot)" = "$applied" ]
	apply --unapply
	[ "$status" -eq 0 ]
	[ "$(snapshot)" = "$before" ]
	apply
	[ "$status" -eq 0 ]
	grep -q 'returns its argument + 10\.' "$TREE/kernel/mysyscall.c"
}

@test "a subdirectory of a bigger git repository is refused" {
	mini_tree
	git -C "$BATS_TEST_TMPDIR" init -q
	before=$(snapshot)
	apply
	[ "$status" -eq 2 ]
	[[ "$output" == *"is a subdirectory of the git repository $BATS_TEST_TMPDIR"*"--directory=linux/"* ]]
	[ "$(snapshot)" = "$before" ]
}

@test "a dirty git tree is refused and left unchanged" {
	mini_tree git
	echo "# a local change" >>"$TREE/kernel/Makefile"
	before=$(snapshot)
	apply
	[ "$status" -eq 2 ]
	[[ "$output" == *"kernel/Makefile"* ]]
	[[ "$output" == *"has uncommitted changes"*"commit or stash them first"*"The tree is unchanged"* ]]
	[ "$(snapshot)" = "$before" ]
}

@test "a tree where 548 is taken: stops, shows what is there, tree unchanged" {
	mini_tree
	printf '548\tcommon\tsomething_else\t\tsys_something_else\n' >>"$TREE/arch/x86/entry/syscalls/syscall_64.tbl"
	before=$(snapshot)
	apply
	[ "$status" -eq 3 ]
	[[ "$output" == *"already uses these numbers"* ]]
	[[ "$output" == *"548 common something_else sys_something_else"* ]]
	[[ "$output" == *"548/549 are taken"*"the tree is unchanged"* ]]
	[ "$(snapshot)" = "$before" ]
}

@test "a tree older than 5.11 (548 and up not yet 'not special'): refused, unchanged" {
	mini_tree
	sed -i '/Numbers 548 and above are/d' "$TREE/arch/x86/entry/syscalls/syscall_64.tbl"
	before=$(snapshot)
	apply
	[ "$status" -eq 3 ]
	[[ "$output" == *"predates Linux 5.11"*"the last number there is 547"* ]]
	[ "$(snapshot)" = "$before" ]
}

@test "a conflicting hunk: names the patch and the file, nothing applied" {
	mini_tree git
	sed -i "s/^obj-\$(CONFIG_KCMP) += kcmp.o\$/& kcmp_extra.o/" "$TREE/kernel/Makefile"
	git -C "$TREE" -c user.name=t -c user.email=t@t commit -q -am "a local change where the series goes"
	before=$(snapshot)
	apply
	[ "$status" -eq 3 ]
	[[ "$output" == *"kernel/Makefile"* ]]
	[[ "$output" == *"patches/0001-kernel-add-the-mysyscall-and-add10-system-calls.patch does not apply"*"the tree is unchanged"* ]]
	[ "$(snapshot)" = "$before" ]
}

@test "unapply with nothing applied says so and changes nothing" {
	mini_tree git
	before=$(snapshot)
	apply --unapply
	[ "$status" -eq 2 ]
	[[ "$output" == *"are not the series"* ]]
	[ "$(snapshot)" = "$before" ]
}

@test "no KERNEL_SRC, or not a kernel tree: exit 2 and how to call it" {
	run "$ROOT/scripts/apply.sh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"make apply KERNEL_SRC=/path/to/linux"* ]]
	mkdir -p "$TREE"
	apply
	[ "$status" -eq 2 ]
	[[ "$output" == *"is not a kernel source tree"* ]]
}

@test "a corrupted tarball with its recorded sum: exit 7, nothing extracted" {
	export CACHE_DIR=$BATS_TEST_TMPDIR/cache BUILD_DIR=$BATS_TEST_TMPDIR/build
	mini_tree
	tar -C "$BATS_TEST_TMPDIR" -cJf "$BATS_TEST_TMPDIR/linux-9.9.tar.xz" linux
	head -c 3000 "$BATS_TEST_TMPDIR/linux-9.9.tar.xz" >"$BATS_TEST_TMPDIR/linux-9.9-cut.tar.xz"
	sum=$(sha256sum "$BATS_TEST_TMPDIR/linux-9.9-cut.tar.xz" | cut -d' ' -f1)
	KERNEL_TARBALL=$BATS_TEST_TMPDIR/linux-9.9-cut.tar.xz KERNEL_TARBALL_SHA256=$sum run "$ROOT/scripts/fetch.sh"
	echo "$output"
	[ "$status" -eq 7 ]
	[[ "$output" == *"a corrupt or truncated archive"* ]]
	# extraction began (the directory exists) and left nothing behind
	[ -d "$CACHE_DIR/trees" ]
	[ -z "$(ls -A "$CACHE_DIR/trees")" ]
	[ ! -e "$BUILD_DIR/custom/pristine" ]
}

@test "update-pins moves an old pin to the newest of its suite, with apt's sha256, through the project's own apt" {
	command -v apt-cache >/dev/null || skip "no apt"
	export LOCK_FILE=$BATS_TEST_TMPDIR/kernels.lock CACHE_DIR=$BATS_TEST_TMPDIR/cache
	grep -v '^deb 6.12 ' "$ROOT/kernel-config/kernels.lock" >"$LOCK_FILE"
	echo "deb 6.12 linux-source-6.12 6.12.107-1~deb12u1 $(printf '0%.0s' {1..64}) bookworm-security" >>"$LOCK_FILE"
	cp "$LOCK_FILE" "$LOCK_FILE.before"
	host_lists=$(ls -l --time-style=+%s.%N /var/lib/apt/lists/ 2>/dev/null | sha256sum)
	run "$ROOT/scripts/update-pins.sh" --dry-run 6.12
	echo "$output"
	[ "$status" -eq 0 ]
	# what the project's apt index says of the pin's suite
	madison=$(project_apt_cache madison linux-source-6.12)
	newest=$(awk -F' *[|] *' '$3 ~ / bookworm-security\// { print $2; exit }' <<<"$madison")
	sum=$(project_apt_cache show "linux-source-6.12=$newest" | awk '$1 == "SHA256:" { print $2; exit }')
	[ -n "$newest" ]
	[ -n "$sum" ]
	[[ "$output" == *"6.12.107-1~deb12u1 -> $newest"* ]]
	cmp "$LOCK_FILE" "$LOCK_FILE.before"
	run "$ROOT/scripts/update-pins.sh" 6.12
	[ "$status" -eq 0 ]
	grep -qx "deb 6.12 linux-source-6.12 $newest $sum bookworm-security" "$LOCK_FILE"
	# the other pins and the comments are kept
	[ "$(grep -vc '^deb 6.12 ' "$LOCK_FILE")" = "$(grep -vc '^deb 6.12 ' "$LOCK_FILE.before")" ]
	# its own package lists, not the machine's
	ls "$CACHE_DIR"/apt/lists/*bookworm-security*Packages* >/dev/null
	[ "$(ls -l --time-style=+%s.%N /var/lib/apt/lists/ 2>/dev/null | sha256sum)" = "$host_lists" ]
	run "$ROOT/scripts/update-pins.sh" 9.9
	[ "$status" -eq 2 ]
}

@test "a pin that has left Debian's archive fails at once with exit 7, naming make update-pins" {
	command -v apt-cache >/dev/null || skip "no apt"
	export LOCK_FILE=$BATS_TEST_TMPDIR/kernels.lock CACHE_DIR=$BATS_TEST_TMPDIR/cache BUILD_DIR=$BATS_TEST_TMPDIR/build
	echo "deb 7.3 linux-source-7.3 7.3.0-99 $(printf '0%.0s' {1..64}) trixie-backports" >"$LOCK_FILE"
	SECONDS=0
	KERNEL=7.3 run "$ROOT/scripts/fetch.sh"
	echo "$output"
	[ "$status" -eq 7 ]
	[[ "$output" == *"linux-source-7.3 7.3.0-99"*"is no longer in Debian's archive"*"make update-pins"* ]]
	[ "$SECONDS" -lt 30 ]
	# nothing downloaded, nothing half-written
	[ -z "$(ls -A "$CACHE_DIR/downloads" 2>/dev/null)" ]
	[ ! -e "$CACHE_DIR/trees/linux-source-7.3-7.3.0-99" ]
}

@test "KERNEL_SRC is known by its content: a new commit or an edited file is copied anew, and said so; .git is not copied" {
	export BUILD_DIR=$BATS_TEST_TMPDIR/build KERNEL=mine
	mini_tree git
	KERNEL_SRC=$TREE run "$ROOT/scripts/fetch.sh"
	[ "$status" -eq 0 ]
	run "$ROOT/scripts/patch.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$(grep -c . "$ROOT/patches/series") patches -> "* ]]
	[ ! -e "$BUILD_DIR/mine/src/.git" ]
	run "$ROOT/scripts/patch.sh"
	[[ "$output" == *"up to date"* ]]
	# a new release in the user's tree (a git pull, say)
	sed -i 's/^SUBLEVEL = .*/SUBLEVEL = 999/' "$TREE/Makefile"
	git -C "$TREE" -c user.name=t -c user.email=t@t commit -q -am "a new stable release"
	run "$ROOT/scripts/patch.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"changed since it was copied: copying it anew"* ]]
	grep -q '^SUBLEVEL = 999' "$BUILD_DIR/mine/src/Makefile"
	# an uncommitted edit counts too
	echo '# local change' >>"$TREE/kernel/sys_ni.c"
	run "$ROOT/scripts/patch.sh"
	[[ "$output" == *"copying it anew"* ]]
	grep -q '^# local change' "$BUILD_DIR/mine/src/kernel/sys_ni.c"
	# a plain tree (no git): a changed file is seen by its size and mtime
	rm -rf "$TREE/.git"
	run "$ROOT/scripts/patch.sh"
	[[ "$output" == *"copying it anew"* ]]
	run "$ROOT/scripts/patch.sh"
	[[ "$output" == *"up to date"* ]]
	echo 'obj-y += more.o' >>"$TREE/kernel/Makefile"
	run "$ROOT/scripts/patch.sh"
	echo "$output"
	[[ "$output" == *"copying it anew"* ]]
	grep -q 'more.o' "$BUILD_DIR/mine/src/kernel/Makefile"
	# and the user's tree is never written
	[ ! -e "$TREE/.pc" ] && ! grep -q mysyscall "$TREE/kernel/Makefile"
}

@test "a re-apply of a changed series cut short (Ctrl-C) is redone by the next run, not taken for edits of yours" {
	patched_copy
	# the series changes (a git pull), and the re-apply is interrupted in quilt
	sed -i 's/writes it to the kernel log; add10()/writes it to the kernel log (really); add10()/' "$repo"/patches/0001-*.patch
	fake=$BATS_TEST_TMPDIR/bin
	mkdir -p "$fake"
	printf '#!/bin/sh\nexit 130\n' >"$fake/quilt"
	chmod +x "$fake/quilt"
	PATH=$fake:$PATH run "$repo/scripts/patch.sh"
	echo "$output"
	[ "$status" -ne 0 ]
	# the same command again
	run "$repo/scripts/patch.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"re-applied $(grep -c . "$ROOT/patches/series") patches"* ]]
	grep -q 'kernel log (really)' "$BUILD_DIR/mine/src/kernel/mysyscall.c"
	run "$repo/scripts/patch.sh" --check
	[ "$status" -eq 0 ]
}

@test "a changed series re-applied: files whose content stays keep their mtime, so kbuild rebuilds only what changed" {
	patched_copy
	src=$BUILD_DIR/mine/src
	touch -d '2001-01-01' "$src/include/linux/syscalls.h" "$src/kernel/mysyscall.c"
	sed -i 's/writes it to the kernel log; add10()/writes it to the kernel log (really); add10()/' "$repo"/patches/0001-*.patch
	run "$repo/scripts/patch.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"re-applied $(grep -c . "$ROOT/patches/series") patches"* ]]
	[ "$(stat -c %Y "$src/include/linux/syscalls.h")" = "$(date -d 2001-01-01 +%s)" ]
	[ "$(stat -c %Y "$src/kernel/mysyscall.c")" != "$(date -d 2001-01-01 +%s)" ]
	grep -q 'kernel log (really)' "$src/kernel/mysyscall.c"
}
