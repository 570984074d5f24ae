#!/usr/bin/env bash
# apply.sh: apply the series to your own kernel tree, in place, or undo it.
#
# Usage: scripts/apply.sh [--unapply | --export DIR] [--help], with
#        KERNEL_SRC=/path/to/linux
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
# per patch), with quilt otherwise (its state and a copy of the patches in
# .mysyscall/, so a quilt series of your own is left alone). Applying to a
# tree that already has this series says so and changes nothing.
#
#   --unapply  undo exactly what apply did: in git, move the branch back to
#              the commit before the series (only when the series' commits,
#              unchanged by git patch-id, are on top and the tree is
#              clean); with quilt, pop it.
#   --export DIR  change nothing in the tree: write the series as it
#              applies to it (each file's part in the form that release
#              needs, patches/forms/) to the new directory DIR, with the
#              cover letter and a series file, for git am, quilt,
#              patch -p1 or git send-email of your own
#
# Where the lines around a change differ in your release (the end of
# syscall_32.tbl, say), the form of that part from patches/forms/ that
# applies is used, and said.
#
# Exit codes: 0 done or nothing to do, 2 no KERNEL_SRC, not a kernel
# tree, a dirty tree, or nothing to unapply; 3 a patch does not apply or
# 548/549 are taken; 6 git or quilt missing.

. "$(dirname -- "$0")/lib.sh" || exit 8
UNAPPLY=0 EXPORT=
case "${1:-}" in
--unapply) UNAPPLY=1 ;;
--export)
	EXPORT=${2:-}
	[ -n "$EXPORT" ] || die "$E_USAGE" "say where to write the series: make export-series KERNEL_SRC=/your/tree SERIES_DIR=/a/new/directory (or scripts/apply.sh --export DIR)"
	[ ! -e "$EXPORT" ] || die "$E_USAGE" "--export $EXPORT: it exists; name a new directory"
	;;
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

if [ -n "$EXPORT" ]; then
	scratch=$(mktemp -d)
	trap 'rm -rf "$scratch" "$EXPORT.tmp"' EXIT
	abi_guard "$tree" >/dev/null || exit
	resolve_series "$tree" "$scratch/t" ||
		die "$E_BUILD" "patches/$failed_patch does not apply to $tree (the lines above name the file and hunk); nothing was written"
	mkdir -p "$EXPORT.tmp"
	cp "$ROOT/patches/$COVER" "$PATCHES/series" "${series[@]/#/$PATCHES/}" "$EXPORT.tmp/"
	mv -T "$EXPORT.tmp" "$EXPORT"
	while read -r p f form; do
		say EXPORT "${p%%-*} $f: $(form_note "$f" "$form")"
	done <"$PATCHES/forms"
	say EXPORT "$EXPORT: the cover letter and the ${#series[@]} patches as they apply to linux-$(tree_version "$tree") (git am \$(sed 's|^|$EXPORT/|' $EXPORT/series))"
	exit 0
fi
STATE=.mysyscall # in the tree, quilt mode: pc/ (quilt's state), patches/ (a copy)
QUILT=(env QUILTRC=/dev/null QUILT_PC="$STATE/pc" QUILT_PATCHES="$tree/$STATE/patches" quilt)

# A git work tree? Then git's rules: its top, a commit to start from, a
# clean tree and no git operation in progress. A tree git cannot read
# (another owner, no git) is not silently treated as a plain one.
is_git=0
if [ -e "$tree/.git" ] || { command -v git >/dev/null && git -C "$tree" rev-parse --is-inside-work-tree >/dev/null 2>&1; }; then
	need git
	top=$(git -C "$tree" rev-parse --show-toplevel 2>&1) ||
		die "$E_USAGE" "git cannot use $tree: $top"
	[ "$top" = "$tree" ] ||
		die "$E_USAGE" "$tree is a subdirectory of the git repository $top, where git am would put the files at the top; apply the series there with 'git -C $top am --directory=$(git -C "$tree" rev-parse --show-prefix) PATCHES', or use a tree of its own. The tree is unchanged"
	git -C "$tree" rev-parse -q --verify HEAD >/dev/null ||
		die "$E_USAGE" "$tree is a git repository without a commit; commit the tree first. The tree is unchanged"
	for op in rebase-apply rebase-merge MERGE_HEAD CHERRY_PICK_HEAD REVERT_HEAD BISECT_LOG; do
		if [ -e "$(git -C "$tree" rev-parse --path-format=absolute --git-path "$op")" ]; then
			die "$E_USAGE" "$tree is in the middle of a git operation ($op: a git am, rebase, merge, cherry-pick, revert or bisect; an interrupted make apply leaves a git am): finish or abort it first (e.g. git am --abort). The tree is unchanged"
		fi
	done
	is_git=1
fi

# Are the last commits exactly the series (same diffs, in any of their
# forms, not just subjects)? Compared file by file with git patch-id.
series_on_top() {
	local n=${#series[@]} i c f part files want
	[ "$(git -C "$tree" rev-list --count HEAD)" -gt "$n" ] || return 1
	part=$(mktemp)
	i=0
	for c in $(git -C "$tree" rev-list --reverse -n "$n" HEAD); do
		# (but for a file this release lacks: a form left it out)
		want=$(sed -n 's,^+++ b/,,p' "$ROOT/patches/${series[i]}" |
			while read -r f; do [ ! -e "$tree/$f" ] || echo "$f"; done | sort)
		files=$(git -C "$tree" diff-tree --no-commit-id --name-only -r "$c" | sort)
		[ "$files" = "$want" ] || { rm -f "$part"; return 1; }
		for f in $files; do
			git -C "$tree" show --format= "$c" -- "$f" >"$part"
			same_change "${series[i]}" "$f" "$part" || { rm -f "$part"; return 1; }
		done
		i=$((i + 1))
	done
	rm -f "$part"
}

# Does the tree hold exactly this series? Undo it on a scratch copy of
# the touched files, newest patch first: that must go through cleanly.
series_in_tree() {
	local dir ret=0
	dir=$(mktemp -d)
	resolve_series "$tree" "$dir/t" -R 2>/dev/null || ret=1
	rm -rf "$dir"
	return "$ret"
}

if [ "$UNAPPLY" = 1 ]; then
	if [ -d "$tree/$STATE/pc" ]; then
		need quilt
		if ! (cd "$tree" && "${QUILT[@]}" applied >/dev/null 2>&1); then
			rm -rf "${tree:?}/$STATE"
			say UNAPPLY "nothing of the series was applied in $tree; removed $STATE/"
			exit 0
		fi
		if ! out=$(cd "$tree" && "${QUILT[@]}" pop -a 2>&1); then
			printf '%s\n' "$out" | sed 's/^/    /' >&2
			die "$E_BUILD" "quilt pop failed in $tree (see above); its state is in $tree/$STATE"
		fi
		rm -rf "${tree:?}/$STATE"
		say UNAPPLY "popped the series from $tree (quilt)"
		exit 0
	fi
	[ "$is_git" = 1 ] || die "$E_USAGE" "nothing to unapply: $tree has no $STATE/ (what make apply leaves with quilt) and is not a git work tree"
	n=${#series[@]}
	series_on_top ||
		die "$E_USAGE" "the last $n commits of $tree are not the series as patches/ has it (compared by git patch-id): nothing to unapply, or the commits were changed or others added on top (git log -n $((n + 1)) --oneline); undo those by hand"
	[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
		die "$E_USAGE" "$tree has uncommitted changes; commit or stash them first"
	git -C "$tree" reset -q --hard "HEAD~$n"
	say UNAPPLY "$tree is back at $(git -C "$tree" log -1 --format='%h %s') (the series' commits stay in the reflog)"
	exit 0
fi

abi=$(abi_guard "$tree") || exit
if [ "$abi" = ours ]; then
	series_in_tree ||
		die "$E_BUILD" "548/549 in $tree are the series', but its files are not what this version of patches/ makes (an older version of the series, part of it, or edits): 'make unapply' (or undo it the way you applied it), then 'make apply'. The tree is unchanged"
	how="by hand"
	[ -d "$tree/$STATE/pc" ] && how="with quilt by make apply"
	[ "$is_git" = 1 ] && series_on_top && how="as the last ${#series[@]} git commits"
	say APPLY "$tree already has the series ($how): nothing to do"
	exit 0
fi
[ ! -d "$tree/$STATE" ] ||
	die "$E_USAGE" "$tree has $STATE/ from a make apply that stopped part-way; 'make unapply' first. The tree is unchanged"

if [ "$is_git" = 1 ]; then
	dirty=$(git -C "$tree" status --porcelain --untracked-files=no)
	if [ -n "$dirty" ]; then
		printf '%s\n' "$dirty" | sed -n '1,10s/^/    /p' >&2
		die "$E_USAGE" "$tree has uncommitted changes (above); commit or stash them first, git am needs a clean tree. The tree is unchanged"
	fi
elif [ -d "$tree/.pc" ]; then
	say APPLY "$tree has a quilt series of its own (.pc/); ours goes on top, its state in $STATE/"
fi

# The dry run: the whole series on a scratch copy of the touched files.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
resolve_series "$tree" "$scratch/t" ||
	die "$E_BUILD" "patches/$failed_patch does not apply to $tree (the lines above name the file and hunk); the tree is unchanged"
while read -r p f form; do
	say APPLY "${p%%-*} $f: $(form_note "$f" "$form")"
done <"$PATCHES/forms"

begin
if [ "$is_git" = 1 ]; then
	# git am records a committer: use the tree's identity, or a stand-in.
	ident=()
	git -C "$tree" config user.email >/dev/null || ident+=(-c user.email=mysyscall@localhost)
	git -C "$tree" config user.name >/dev/null || ident+=(-c user.name="mysyscall apply")
	# No git am was in progress (checked above), so aborting ours is safe,
	# also when interrupted.
	trap 'git -C "$tree" am --abort 2>/dev/null || true; rm -rf "$scratch"; die 130 "interrupted: git am aborted, the tree is unchanged"' INT TERM
	if ! git -C "$tree" "${ident[@]}" am -q "${series[@]/#/$PATCHES/}"; then
		git -C "$tree" am --abort 2>/dev/null || true
		die "$E_BUILD" "git am failed in $tree (see above) although the dry run passed (a hook?); it was aborted, the tree is unchanged"
	fi
	trap - INT TERM
	step_done APPLY "${#series[@]} commits on $(git -C "$tree" rev-parse --abbrev-ref HEAD) in $tree (git am; undo: make unapply)"
else
	need quilt
	# quilt pops from its own copy of the patches, so a later change to
	# patches/ (a git pull) cannot stop make unapply.
	mkdir -p "$tree/$STATE/patches"
	cp "$PATCHES/series" "${series[@]/#/$PATCHES/}" "$tree/$STATE/patches/"
	if ! out=$(cd "$tree" && "${QUILT[@]}" push -a --fuzz=0 2>&1); then
		printf '%s\n' "$out" | sed 's/^/    /' >&2
		if ! (cd "$tree" && "${QUILT[@]}" applied >/dev/null 2>&1); then
			rm -rf "${tree:?}/$STATE"
			die "$E_BUILD" "quilt push failed in $tree although the dry run passed (see above); nothing was applied, the tree is unchanged"
		fi
		die "$E_BUILD" "quilt push failed in $tree part-way although the dry run passed (see above); 'make unapply' pops what was applied"
	fi
	step_done APPLY "${#series[@]} patches in $tree (quilt, state in $STATE/; undo: make unapply)"
fi

# CONFIG_MYSYSCALL defaults to n: without it the calls are ENOSYS.
say CONFIG "enable the calls in your configuration: scripts/config --enable MYSYSCALL (x86-64, arm64 and riscv64 with a 64-bit kernel; default n), and for their KUnit tests --enable KUNIT --enable MYSYSCALL_KUNIT_TEST, then make olddefconfig; or run ./tools/testing/kunit/kunit.py run --kunitconfig=kernel/tests"
