#!/usr/bin/env bash
# lint.sh: static checks of the rig and the series.
#
# Usage: scripts/lint.sh [--help]
#
#   ShellCheck   every script in scripts/, initramfs/init, tests/*.bats
#   checkpatch   the tree's scripts/checkpatch.pl --strict on each patch
#                (the only note allowed: new files and MAINTAINERS)
# One PASS/FAIL line per file, then "N passed, N failed". checkpatch needs
# a fetched tree (make fetch); shellcheck needs the shellcheck package.
#
# Exit codes: 0 clean, 1 something to fix, 6 shellcheck missing.

. "${0%/*}/lib.sh"
handle_help "$@"
need shellcheck perl

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

cd "$ROOT"
for f in scripts/*.sh initramfs/init tests/*.bats .ci/run; do
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

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
