#!/usr/bin/env bash
# lint.sh: static checks of the rig and the series.
#
# Usage: scripts/lint.sh [--help]
#
#   ShellCheck   every script in scripts/, initramfs/init and
#                initramfs/usr/bin/man, tests/*.bats
#   checkpatch   the tree's scripts/checkpatch.pl --strict on each patch
#                (the only note allowed: new files and MAINTAINERS)
#   mandoc       mandoc -Tlint on each page in man/: it must print nothing
#   example      each page's EXAMPLES program (the .EX block between the
#                '.\" SRC BEGIN' and '.\" SRC END' comments, as in the
#                Linux man-pages project) compiles: gcc -static -Werror
# One PASS/FAIL line per file, then "N passed, N failed". checkpatch needs
# a fetched tree (make fetch); the others the packages shellcheck, mandoc
# and gcc.
#
# Exit codes: 0 clean, 1 something to fix, 6 a tool is missing.

. "$(dirname -- "$0")/lib.sh" || exit 8
handle_help "$@"
need shellcheck perl mandoc gcc

passed=0 failed=0
check() { # check NAME CMD...: one result line; the tool's output on failure
	local out
	if out=$("${@:2}" 2>&1); then
		passed=$((passed + 1))
		say PASS "lint: $1"
	else
		failed=$((failed + 1))
		say FAIL "lint: $1"
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

cd "$ROOT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in scripts/*.sh initramfs/init initramfs/usr/bin/man tests/*.bats .ci/run; do
	[ -f "$f" ] || continue
	check "shellcheck $f" shellcheck -x -P scripts "$f"
done

tree=$(readlink -f "$KDIR/pristine" 2>/dev/null || true)
if [ -f "$tree/scripts/checkpatch.pl" ]; then
	while read -r p _; do
		case "$p" in '' | '#'*) continue ;; esac
		# checkpatch runs from inside a kernel tree, as it expects
		check "checkpatch $p" env -C "$tree" perl scripts/checkpatch.pl \
			--strict --quiet --ignore FILE_PATH_CHANGES "$ROOT/patches/$p"
	done <patches/series
else
	failed=$((failed + 1))
	say FAIL "lint: checkpatch (no kernel tree: run 'make fetch' first)"
fi

for page in man/man[1-9]/*.[1-9]; do
	[ -f "$page" ] || continue
	check "mandoc $page" silent mandoc -Tlint "$page"
	check "example $page" compile_example "$page"
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] || exit "$E_TESTS"
