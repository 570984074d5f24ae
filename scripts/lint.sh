#!/usr/bin/env bash
# lint.sh: static checks of the rig and the series.
#
# Usage: scripts/lint.sh [--help]
#
#   ShellCheck   every script in scripts/, initramfs/init and
#                initramfs/usr/bin/man, tests/*.bats
#   checkpatch   the tree's scripts/checkpatch.pl --strict on each patch:
#                it must report nothing (no --ignore)
#   cover letter patches/0000-cover-letter.patch is not in the series, its
#                "[PATCH vN 0/M]" and each patch's "k/M" count the series,
#                and its shortlog and diffstat are what git format-patch
#                --cover-letter writes for the series applied to the tree
#                (make refresh keeps them so)
#   mandoc       mandoc -Tlint on each page in man/: it must print nothing
#                but the note on a lower-case title, which man-pages(7)
#                asks for (the man-pages project filters it out too)
#   example      each page's EXAMPLES program (the .EX block between the
#                '.\" SRC BEGIN' and '.\" SRC END' comments, as in the
#                Linux man-pages project) compiles: gcc -static -Werror
#   workflows    each of .github/workflows/*.yml against GitHub's schema
#                (action-validator, the npm package pinned with its
#                checksums in .github/validator/package-lock.json; npm ci
#                installs it into CACHE_DIR/npm once), and check.yml's
#                matrix names exactly the pins of kernels.lock
# One PASS/FAIL line per file, then "N passed, N failed". checkpatch needs
# a fetched tree (make fetch); the others the packages shellcheck, mandoc,
# gcc, and node and npm (make deps installs them all).
#
# Exit codes: 0 clean, 1 something to fix, 6 a tool is missing.

. "$(dirname -- "$0")/lib.sh" || exit 8
handle_help "$@"
need shellcheck perl mandoc gcc node npm

check() { # check NAME CMD...: one result line; the tool's output on failure
	local out
	if out=$("${@:2}" 2>&1); then
		report PASS "lint: $1"
	else
		report FAIL "lint: $1"
		printf '%s\n' "$out" | sed 's/^/        /'
	fi
}

# silent CMD...: CMD must succeed and print nothing
silent() {
	local out
	out=$("$@" 2>&1) && [ -z "$out" ] && return
	printf '%s\n' "$out"
	return 1
}

# mandoc_lint PAGE: mandoc -Tlint, less its note on a lower-case .TH title
mandoc_lint() {
	mandoc -Tlint "$1" 2>&1 | grep -v 'STYLE: lower case character in document title' || true
}

# cover_letter: patches/$COVER matches the series (see the top)
cover_letter() {
	local n=${#series[@]} i prefix err=0
	[ -f "patches/$COVER" ] || {
		echo "patches/$COVER is missing (git format-patch --cover-letter)"
		return 1
	}
	if grep -qx "$COVER" patches/series; then
		echo "patches/series lists $COVER: git am and quilt would take it for a patch"
		err=1
	fi
	prefix=$(subject_prefix "patches/$COVER")
	grep -q "^Subject: \[$prefix 0/$n\] " "patches/$COVER" || {
		echo "patches/$COVER: its Subject should say [$prefix 0/$n]: the series has $n patches"
		err=1
	}
	for i in "${!series[@]}"; do
		grep -q "^Subject: \[$prefix $((i + 1))/$n\] " "patches/${series[$i]}" || {
			echo "patches/${series[$i]}: its Subject should say [$prefix $((i + 1))/$n]"
			err=1
		}
	done
	series_repo "$tree" "$tmp/cover" || return 1
	diff -u --label "patches/$COVER" --label "git format-patch --cover-letter" \
		<(cover_block_of "patches/$COVER") <(cover_block "$tmp/cover") || err=1
	return "$err"
}

# forms_match: each patches/forms/NNNN/*.diff is one file's part of
# patch NNNN, adding and removing exactly the lines the patch's own part
# for that file does (only where they go may differ), or only its
# "diff --git" line (releases without the file)
forms_match() {
	local form p f n sec err=0 parts
	parts=$(mktemp -d)
	for form in patches/forms/*/*.diff; do
		[ -e "$form" ] || continue
		n=$(basename "$(dirname "$form")")
		p=$(printf '%s\n' "${series[@]}" | grep "^$n-" | sed -n 1p)
		f=$(section_file "$form")
		if [ -z "$p" ]; then
			echo "$form: no patch $n-* in patches/series"
			err=1
			continue
		fi
		if [ "$(grep -c '^diff --git ' "$form")" != 1 ] || [ -z "$f" ]; then
			echo "$form: not one file's \"diff --git\" section"
			err=1
			continue
		fi
		split_patch "$ROOT/patches/$p" "$parts"
		if form_absent "$form"; then
			# "this release has no such file": only for a file the
			# patch changes, not one it creates
			if ! grep -q "^--- a/$f\$" "$parts"/[0-9]*; then
				echo "$form: a form without a hunk (a release without $f), but patches/$p does not change an existing $f"
				err=1
			fi
			continue
		fi
		if ! diff -u --label "patches/$p ($f)" --label "$form" \
			<(for sec in "$parts"/[0-9]*; do [ "$(section_file "$sec")" != "$f" ] || cat "$sec"; done |
				grep '^[-+]' | grep -v '^\(---\|+++\) ') \
			<(grep '^[-+]' "$form" | grep -v '^\(---\|+++\) '); then
			echo "$form adds or removes other lines than patches/$p does in $f: make both the same change"
			err=1
		fi
	done
	rm -rf "$parts"
	return "$err"
}

# example PAGE: the C program of PAGE's EXAMPLES, roff escapes undone
example() {
	sed -n '/^\.\\" SRC BEGIN/,/^\.\\" SRC END/{/^\./!p}' "$1" |
		sed 's/\\-/-/g; s/\\(aq/'"'"'/g; s/\\&//g; s/\\e/\\/g'
}

# compile_example PAGE: build it as the guest programs are built
compile_example() {
	local src
	src=$(example "$1")
	[ -n "$src" ] || {
		echo "$1: no program between the SRC BEGIN and SRC END comments"
		return 1
	}
	printf '%s\n' "$src" | gcc -static -Wall -Wextra -Werror -x c -o "$tmp/a.out" -
}

# validator: the path of action-validator, installed first if need be:
# npm ci of .github/validator into CACHE_DIR/npm/validator-HASH (HASH of
# the lock file), through a temporary directory, one run at a time.
validator() {
	local src=$ROOT/.github/validator hash dir tmp
	hash=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -c1-16)
	dir=$CACHE_DIR/npm/validator-$hash
	if [ ! -x "$dir/node_modules/.bin/action-validator" ]; then
		writable_dir "$CACHE_DIR/npm" CACHE_DIR
		with_lock "$CACHE_DIR/npm/.lock" install_validator "$src" "$dir" >&2 || return 1
	fi
	echo "$dir/node_modules/.bin/action-validator"
}
install_validator() { # install_validator SRC DIR
	[ ! -x "$2/node_modules/.bin/action-validator" ] || return 0
	local tmp
	# What an interrupted install left (the lock is ours: nobody else's).
	rm -rf "$2".tmp.*
	tmp=$(mktemp -d "$2.tmp.XXXXXX")
	cp "$1/package.json" "$1/package-lock.json" "$tmp/"
	# npm's download cache too goes to CACHE_DIR, not ~/.npm.
	if ! (cd "$tmp" && npm_config_cache=$CACHE_DIR/npm/cache npm ci --no-audit --no-fund --ignore-scripts \
		--loglevel=error) >"$tmp.log" 2>&1; then
		sed 's/^/    /' "$tmp.log" >&2
		rm -rf "$tmp" "$tmp.log"
		die "$E_DEPS" "npm ci of .github/validator failed (no network to the npm registry?)"
	fi
	rm -f "$tmp.log"
	rm -rf "$2"
	mv "$tmp" "$2"
	say NPM "action-validator into ${2#"$CACHE_DIR"/}"
}

# matrix_pins: the kernels of check.yml's matrix agree with kernels.lock
matrix_pins() {
	local want have
	want=$(pinned_kernels | tr ' ' '\n' | sort)
	have=$(sed -n 's/^ *- { *kernel: *"\([^"]*\)".*/\1/p' .github/workflows/check.yml | sort -u)
	if [ "$want" != "$have" ]; then
		echo "check.yml's matrix has: $(echo "$have" | xargs); kernels.lock pins: $(echo "$want" | xargs)"
		return 1
	fi
	# and a job for each other architecture on the newest pin (make check
	# builds them there)
	local newest a
	newest=$(echo "$want" | sort -V | tail -n 1)
	for a in x86_64 arm64 riscv64; do
		grep -Eq '^ *- \{ *kernel: *"'"${newest//./\\.}"'", *arch: *"'"$a"'"' .github/workflows/check.yml || {
			echo "check.yml's matrix has no job for $a on the newest pin, $newest (kernel: \"$newest\", arch: \"$a\")"
			return 1
		}
	done
}

cd "$ROOT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in scripts/*.sh initramfs/init initramfs/usr/bin/man initramfs/usr/bin/timeout tests/*.bats .ci/run; do
	[ -f "$f" ] || continue
	check "shellcheck $f" shellcheck -x -P scripts "$f"
done

tree=$(readlink -f "$KDIR/pristine" 2>/dev/null || true)
if [ -f "$tree/scripts/checkpatch.pl" ]; then
	while read -r p _; do
		case "$p" in '' | '#'*) continue ;; esac
		# checkpatch runs from inside a kernel tree, as it expects. The
		# selftests' patch asserts ENOSYS, which checkpatch reserves for
		# kernel code, and has macros that end a TEST() body the way the
		# harness's own ASSERT_*() and SKIP() do: those two checks are
		# for kernel code, and only those are off, only there.
		ignore=()
		grep -q '^Subject: \[.*\] selftests' "patches/$p" && ignore=(--ignore "ENOSYS,MACRO_WITH_FLOW_CONTROL")
		check "checkpatch $p${ignore[*]:+ (${ignore[*]})}" env -C "$tree" perl scripts/checkpatch.pl \
			--strict --quiet "${ignore[@]}" "$ROOT/patches/$p"
	done <patches/series
	load_series
	check "cover letter patches/$COVER" cover_letter
	check "forms in patches/forms/ make their patches' changes" forms_match
else
	report FAIL "lint: checkpatch and the cover letter (no kernel tree: run 'make fetch' first)"
fi

for page in man/man[1-9]/*.[1-9]; do
	[ -f "$page" ] || continue
	check "mandoc $page" silent mandoc_lint "$page"
	check "example $page" compile_example "$page"
done

if av=$(validator); then
	for wf in .github/workflows/*.yml; do
		check "workflow $wf" "$av" "$wf"
	done
else
	report FAIL "lint: workflows (no action-validator: see above)"
fi
check "workflow matrix = kernels.lock, and each ARCH on the newest" matrix_pins

report_total || exit "$E_TESTS"
