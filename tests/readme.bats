#!/usr/bin/env bats
# README.md's commands, as a user types them. tests/readme-commands lists
# every command README's code blocks show and how it is run; the first
# test keeps the two in step, the others run the commands marked "run"
# and "run-methods" literally, from a shell with a hostile environment.

setup_file() {
	export ROOT=$BATS_TEST_DIRNAME/..
	# make test-host BUILD_DIR=... (or make check's): the README commands
	# get the same, the one thing added to what README shows.
	extra=""
	if [ -n "${BUILD_DIR:-}" ] && [ "$(readlink -m "$BUILD_DIR")" != "$(readlink -m "$ROOT/build")" ]; then
		extra+=" BUILD_DIR=$BUILD_DIR"
	fi
	[ -z "${CACHE_DIR:-}" ] || extra+=" CACHE_DIR=$CACHE_DIR"
	export README_EXTRA=$extra
}

# readme_commands: the commands of README's code blocks (indented by four
# spaces): lines that start with a command or a prompt, their comment
# dropped and their blanks squeezed
readme_commands() {
	awk '
		/^$/ { blank = 1; next }
		/^    / && (blank || inblock) {
			inblock = 1; blank = 0
			line = substr($0, 5); sub(/^\$ /, "", line)
			if (line !~ /^(make( |$)|\.\/boot|\.\/tools\/|scripts\/[^ ]|quilt |git |for |tar |cd |curl |sha256sum |\$EDITOR |\/ # |\(gdb\) )/) next
			prompt = ""
			if (line ~ /^\/ # /) { prompt = "/ # "; line = substr(line, 5) }
			sub(/ +# .*$/, "", line); gsub(/  +/, " ", line); sub(/ +$/, "", line)
			line = prompt line
			print line; next
		}
		{ blank = 0; inblock = 0 }' "$ROOT/README.md"
}

# listed [HOW]: the commands of tests/readme-commands (those run HOW)
listed() {
	sed '/^#/d; /^$/d' "$ROOT/tests/readme-commands" | awk -F'\t' -v how="${1:-}" 'how == "" || $2 == how { print $1 }'
}

@test "tests/readme-commands lists exactly the commands README shows, and names tests that exist" {
	diff <(readme_commands | sort -u) <(listed | sort -u)
	# Every line has a way; every test it names exists.
	while IFS=$'\t' read -r cmd how; do
		case "$cmd" in '#'* | '') continue ;; esac
		case "$how" in
		run | run-methods | run-export | guest | gdb) ;;
		"not run: "?*) ;;
		"check "?*) grep -qF -- "${how#check }" "$ROOT/scripts/check.sh" || { echo "check.sh does not run: ${how#check }"; false; } ;;
		"test "*.bats": "?*)
			f=${how#test }
			f=${f%%: *}
			grep -qF -- "@test \"${how#*.bats: }\"" "$ROOT/tests/$f" || { echo "no test '${how#*.bats: }' in tests/$f"; false; }
			;;
		*)
			echo "readme-commands: '$cmd' has no way to be run: '$how'"
			false
			;;
		esac
	done <"$ROOT/tests/readme-commands"
}

# hostile: what a user's shell may have exported for something else
hostile() {
	export TESTS=add10 CONFIG=nosyscall KERNEL=9.9 BUILD_DIR=/nonexistent/build V=1 APPEND=panic=1 \
		MODE=shell STRESS=1 QEMU_ARGS=-bogus KERNEL_SRC=/nonexistent/linux USERSPACE_TESTS=/nonexistent \
		TIMEOUT=1 SMP=0 DIST_DIR=/nonexistent/dist LOG_DIR=/nonexistent/logs KCONFIG=/nonexistent \
		KERNEL_IMAGE=/nonexistent/bzImage INITRAMFS=/nonexistent/initramfs.cpio CMDLINE_FILE=/nonexistent \
		LOCK_FILE=/nonexistent/kernels.lock ARCH=arm64 CROSS_COMPILE=/nonexistent/cross- \
		BUSYBOX=/nonexistent/busybox CHECK_ARCHS=sparc
}

@test "README's make commands, as typed, from a shell with a hostile environment" {
	# ~/src/linux: a git tree of the user's (the 6.6.87 fixture)
	home=$BATS_TEST_TMPDIR/home
	mkdir -p "$home/src"
	cp -r "$ROOT/tests/fixtures/linux-6.6.87" "$home/src/linux"
	git -C "$home/src/linux" init -q
	git -C "$home/src/linux" add -Af
	git -C "$home/src/linux" -c user.name=t -c user.email=t@t commit -qm base
	cp -r "$ROOT/patches" "$BATS_TEST_TMPDIR/patches.before"
	hostile
	cd "$ROOT"
	n=0
	while read -r cmd; do
		n=$((n + 1))
		echo "\$ $cmd$README_EXTRA"
		h=$HOME
		[[ $cmd != *"~/"* ]] || h=$home
		SECONDS=0
		run env HOME="$h" bash -c "$cmd$README_EXTRA" </dev/null
		echo "$output" | tail -n 3
		echo "  (exit $status, ${SECONDS}s)"
		[ "$status" -eq 0 ]
		case "$cmd" in
		"make qemu-test"* | "make boot"*)
			[[ "${lines[-1]}" =~ ^[1-9][0-9]*\ passed,\ 0\ failed(,\ [0-9]+\ skipped)?$ ]]
			;;
		esac
		if [ "$cmd" = "make qemu-test" ]; then
			# nothing of the environment got in: the default kernel and
			# configuration (TESTS=add10, CONFIG=nosyscall, KERNEL=9.9
			# are exported), every program and the KUnit suite, no
			# stress test (STRESS=1 is exported too)
			[[ "$output" == *"PASS    table: "* ]]
			[[ "$output" == *"PASS    add10: ten_gives_twenty"* ]]
			[[ "$output" == *"PASS    kunit: "* ]]
			[[ "$output" != *"stress/"* ]]
			[[ "$output" == *"BOOT    linux-6.12."* ]]
			# an x86-64 guest: ARCH=arm64 (exported, as a kernel
			# developer's shell has it) is not make's
			[[ "$output" != *arm64* ]]
			[[ "$output" == *"PASS    seeds: hi_prints_hi_and_exits_3"* ]]
		fi
	done < <(listed run)
	[ "$n" = "$(listed run | wc -l)" ]
	[ "$n" -ge 5 ]
	# Run as typed, make apply committed the series in the tree and make
	# unapply took it out again; make refresh, with nothing edited, left
	# patches/ alone.
	[ "$(git -C "$home/src/linux" rev-list --count HEAD)" = 1 ]
	diff -r "$BATS_TEST_TMPDIR/patches.before" "$ROOT/patches"
}

@test "README's three ways to apply the series, as typed, in each fixture tree" {
	[ "$(listed run-methods | wc -l)" = 3 ]
	[ "$(listed run-export | wc -l)" = 1 ]
	export=$(listed run-export)
	for fixture in "$ROOT"/tests/fixtures/linux-*/; do
		while read -r cmd; do
			t=$BATS_TEST_TMPDIR/$(basename "$fixture")-$(echo "$cmd" | cut -d' ' -f1)
			cp -r "$fixture" "$t"
			git -C "$t" init -q
			git -C "$t" add -Af
			git -C "$t" -c user.name=t -c user.email=t@t commit -qm base
			# the export line, from this repository, with the copy as
			# ~/src/linux and its own /tmp/mysyscall-series
			mkdir -p "$t.home/src"
			ln -s "$t" "$t.home/src/linux"
			run env -C "$ROOT" HOME="$t.home" bash -c "${export//\/tmp\/mysyscall-series/$t.series}$README_EXTRA" </dev/null
			echo "$(basename "$fixture"): \$ $export: exit $status"
			[ "$status" -eq 0 ] || { echo "$output"; false; }
			# then the method in the tree; quilt finds the series by
			# QUILT_PATCHES, as README's comment says.
			run env -C "$t" QUILT_PATCHES="$t.series" QUILTRC=/dev/null GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t \
				bash -c "${cmd//\/tmp\/mysyscall-series/$t.series}" </dev/null
			echo "$(basename "$fixture"): \$ $cmd: exit $status"
			[ "$status" -eq 0 ] || { echo "$output"; false; }
			grep -q '^548' "$t/arch/x86/entry/syscalls/syscall_64.tbl"
			grep -q '^549.*compat_sys_add10' "$t/arch/x86/entry/syscalls/syscall_32.tbl"
			grep -q 'mysyscall_kunit.c' "$t/kernel/mysyscall.c"
		done < <(listed run-methods)
	done
}
