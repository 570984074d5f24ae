#!/usr/bin/env bash
# apply.sh: apply the series to your own kernel tree, in place, or undo it.
#
# Usage: KERNEL_SRC=/path/to/linux scripts/apply.sh [--unapply] [--help]
#        make apply KERNEL_SRC=/path/to/linux
#        make unapply KERNEL_SRC=/path/to/linux
#
# Before touching the tree it checks, and stops with the reason and the
# tree unchanged when:
#   - the tree is a git work tree with uncommitted changes to tracked files;
#   - its arch/x86/entry/syscalls/syscall_64.tbl already uses 548 or 549
#     for something else (it prints what), or predates the comment that
#     makes 548 and up "not special" (Linux 5.11);
#   - a patch does not apply (a dry run on a scratch copy of the files the
#     series touches names the patch, the file and the hunk).
# Then it applies the series with "git am" in a git work tree (one commit
# per patch), with quilt otherwise (its state in .mysyscall-pc/, so a
# quilt series of your own is left alone). Applying to a tree that already
# has the series says so and changes nothing.
#
#   --unapply  undo exactly what apply did: in git, move the branch back to
#              the commit before the series (only when the series' commits
#              are on top and the tree is clean); with quilt, pop it.
#
# Exit codes: 0 done or nothing to do, 2 no KERNEL_SRC, not a kernel
# tree, a dirty tree, or nothing to unapply; 3 a patch does not apply or
# 548/549 are taken; 6 git or quilt missing.

. "${0%/*}/lib.sh"
UNAPPLY=0
case "${1:-}" in
--unapply) UNAPPLY=1 ;;
*) handle_help "$@" ;;
esac

[ -n "${KERNEL_SRC:-}" ] || die "$E_USAGE" "say which tree: make apply KERNEL_SRC=/path/to/linux"
[ -d "$KERNEL_SRC" ] || die "$E_USAGE" "KERNEL_SRC=$KERNEL_SRC is not a directory"
tree=$(cd "$KERNEL_SRC" && pwd -P)
TBL=arch/x86/entry/syscalls/syscall_64.tbl
{ [ -f "$tree/Makefile" ] && [ -f "$tree/$TBL" ]; } ||
	die "$E_USAGE" "$tree is not a kernel source tree with x86 (no Makefile or $TBL)"
need patch
load_series
QPC=.mysyscall-pc # quilt's state directory in the tree

is_git=0
if command -v git >/dev/null && [ "$(git -C "$tree" rev-parse --show-toplevel 2>/dev/null)" = "$tree" ]; then
	is_git=1
fi

# The series' subjects, as git am records them, newest first.
subjects() {
	local p
	for p in "${series[@]}"; do
		sed -n 's/^Subject: \(\[PATCH[^]]*\] \)\{0,1\}//p' "$ROOT/patches/$p" | head -n 1
	done | tac
}

if [ "$UNAPPLY" = 1 ]; then
	if [ -d "$tree/$QPC" ]; then
		need quilt
		if ! out=$(cd "$tree" && QUILTRC=/dev/null QUILT_PC=$QPC QUILT_PATCHES="$ROOT/patches" quilt pop -a 2>&1); then
			printf '%s\n' "$out" | sed 's/^/    /' >&2
			die "$E_BUILD" "quilt pop failed in $tree (see above); its state is in $tree/$QPC"
		fi
		rm -rf "${tree:?}/$QPC"
		say UNAPPLY "popped the series from $tree (quilt)"
		exit 0
	fi
	[ "$is_git" = 1 ] || die "$E_USAGE" "nothing to unapply: $tree has no $QPC/ (quilt state of make apply) and is not a git work tree"
	n=${#series[@]}
	if [ "$(git -C "$tree" log -n "$n" --format=%s 2>/dev/null)" != "$(subjects)" ]; then
		die "$E_USAGE" "the last $n commits of $tree are not the series (git log -n $n --oneline); nothing to unapply, or commits were added on top: undo those first"
	fi
	[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
		die "$E_USAGE" "$tree has uncommitted changes; commit or stash them first"
	base=$(git -C "$tree" rev-parse "HEAD~$n")
	git -C "$tree" reset -q --hard "$base"
	say UNAPPLY "$tree is back at $(git -C "$tree" log -1 --format='%h %s') (the series' commits stay in the reflog)"
	exit 0
fi

# Already applied? Then every touched file is what the series makes of
# the tree before it, which a fresh dry run cannot tell; the table is.
abi=$(abi_guard "$tree") || exit
if [ "$abi" = ours ]; then
	how="by hand"
	[ -d "$tree/$QPC" ] && how="with quilt by make apply"
	[ "$is_git" = 1 ] && [ "$(git -C "$tree" log -n "${#series[@]}" --format=%s)" = "$(subjects)" ] && how="as the last ${#series[@]} git commits"
	say APPLY "$tree already has the series ($how): nothing to do"
	exit 0
fi

if [ "$is_git" = 1 ]; then
	need git
	dirty=$(git -C "$tree" status --porcelain --untracked-files=no)
	if [ -n "$dirty" ]; then
		printf '%s\n' "$dirty" | head -n 10 | sed 's/^/    /' >&2
		die "$E_USAGE" "$tree has uncommitted changes (above); commit or stash them first, git am needs a clean tree. The tree is unchanged"
	fi
elif [ -d "$tree/.pc" ]; then
	say APPLY "$tree has a quilt series of its own (.pc/); ours goes on top, its state in $QPC/"
fi

# The dry run: the whole series on a scratch copy of the touched files.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
expect_tree "$tree" "$scratch" ||
	die "$E_BUILD" "patches/$failed_patch does not apply to $tree (the lines above name the file and hunk); the tree is unchanged"

begin
if [ "$is_git" = 1 ]; then
	# git am records a committer: use the tree's identity, or a stand-in.
	ident=()
	git -C "$tree" config user.email >/dev/null || ident+=(-c user.email=mysyscall@localhost)
	git -C "$tree" config user.name >/dev/null || ident+=(-c user.name="mysyscall apply")
	if ! git -C "$tree" "${ident[@]}" am -q "${series[@]/#/$ROOT/patches/}"; then
		git -C "$tree" am --abort 2>/dev/null || true
		die "$E_BUILD" "git am failed in $tree (see above) although the dry run passed; it was aborted, the tree is unchanged"
	fi
	done_ APPLY "${#series[@]} commits on $(git -C "$tree" rev-parse --abbrev-ref HEAD) in $tree (git am; undo: make unapply)"
else
	need quilt
	if ! out=$(cd "$tree" && QUILTRC=/dev/null QUILT_PC=$QPC QUILT_PATCHES="$ROOT/patches" quilt push -a --fuzz=0 2>&1); then
		printf '%s\n' "$out" | sed 's/^/    /' >&2
		die "$E_BUILD" "quilt push failed in $tree although the dry run passed (see above); 'make unapply' pops what was applied"
	fi
	done_ APPLY "${#series[@]} patches in $tree (quilt, state in $QPC/; undo: make unapply)"
fi
