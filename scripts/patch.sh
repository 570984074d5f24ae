#!/usr/bin/env bash
# patch.sh: copy the pristine tree and apply patches/series with quilt.
#
# Usage: scripts/patch.sh [--check | --refresh | --clean] [--help]
#
# Makes BUILD_DIR/KERNEL/src: a copy of the tree scripts/fetch.sh
# published, with every patch in patches/series applied by quilt. Its
# "patches" entry links back to this repository's patches/, so
# "quilt refresh" inside src updates the series you commit.
#
# Running it again does nothing when src already matches the series, or
# when patches/ is unchanged and src holds edits of yours (the hack loop:
# it says which files, so you can "quilt refresh" them). When patches/
# changed and src holds no edits, the patched files are restored from the
# pristine tree and the series is applied again. When both changed it
# stops and says which files, rather than lose your edits.
#
#   --check    only report whether src matches patches/ (exit 0) or not (1)
#   --refresh  write the edits made in src back into patches/ (quilt
#              refresh of every patch, as plain a/ b/ unified diffs that
#              quilt, git am and patch -p1 all take; headers are kept)
#   --clean    remove src (the pristine tree in the cache stays)
#
# Exit codes: 0 ok, 1 (--check) src and patches/ differ, 2 src has edits
# not in patches/, 3 a patch does not apply, 6 missing program.

. "$(dirname -- "$0")/lib.sh" || exit 8
CHECK=0 REFRESH=0
case "${1:-}" in
--check) CHECK=1 ;;
--refresh) REFRESH=1 ;;
--clean) CLEAN=1 ;;
*) handle_help "$@" ;;
esac
lock_build
if [ "${CLEAN:-0}" = 1 ]; then
	rm -rf "$SRC" "$SRC.tmp"
	say CLEAN "$SRC"
	exit 0
fi

PRISTINE=$KDIR/pristine
STAMP=.mysyscall-applied # in src: "sha256  path" of each patched file
SERIES_STAMP=.mysyscall-series # in src: hash of the series it was made from
TREE_STAMP=.mysyscall-pristine # in src: identity of the tree it was copied from (tree_identity)
REAPPLY=.mysyscall-reapplying  # in src while a changed series is being re-applied
[ -d "$PRISTINE/" ] || die "$E_USAGE" "no pristine tree at $PRISTINE; run scripts/fetch.sh (make fetch) first"
need quilt patch sha256sum

load_series
# A tree (a KERNEL_SRC of yours, or a new pin) where 548/549 are taken or
# that is too old stops here, with the reason.
abi=$(abi_guard "$(readlink -f "$PRISTINE")") || exit
[ "$abi" = free ] || die "$E_BUILD" "$(readlink -f "$PRISTINE") already has the series applied (548/549 are ours); give the unpatched tree, or 'make unapply KERNEL_SRC=...' first"

# What the touched files must look like: pristine + series, built in a
# scratch directory with plain patch(1). This also proves the series
# applies before src is touched.
expect=$(mktemp -d)
trap 'rm -rf "$expect"' EXIT
expect_tree "$PRISTINE" "$expect" ||
	die "$E_BUILD" "patches/$failed_patch does not apply to $(readlink "$PRISTINE") (see the lines above for the file and hunk); nothing was changed"

# in_sync DIR: do the touched files in DIR match the expected ones?
in_sync() {
	local f
	for f in "${touched[@]}"; do
		if [ -f "$expect/$f" ]; then
			cmp -s "$expect/$f" "$1/$f" || return 1
		elif [ -e "$1/$f" ]; then
			return 1
		fi
	done
}

# The patched files in src that differ from what was applied last time.
# None while REAPPLY is there: a re-apply of a changed series was
# interrupted (Ctrl-C), and what differs is the rig's, not the user's.
edited_files() {
	[ ! -e "$SRC/$REAPPLY" ] || return 0
	{ (cd "$SRC" && sha256sum --quiet -c "$STAMP" 2>/dev/null) || true; } |
		sed -n 's/: FAILED.*//p'
}

if [ "$CHECK" = 1 ]; then
	[ -d "$SRC" ] || die 1 "$SRC does not exist yet (run make patch)"
	if in_sync "$SRC"; then
		say CHECK "$SRC matches patches/"
		exit 0
	fi
	printf '%s: %s differs from pristine + patches/ in:\n' "$PROG" "$SRC" >&2
	for f in "${touched[@]}"; do
		if ! cmp -s "$expect/$f" "$SRC/$f" 2>/dev/null; then printf '    %s\n' "$f" >&2; fi
	done
	exit 1
fi

if [ "$REFRESH" = 1 ]; then
	[ -d "$SRC" ] || die "$E_USAGE" "$SRC does not exist yet (run make patch)"
	for p in "${series[@]}"; do
		if ! (cd "$SRC" && QUILTRC=/dev/null QUILT_PATCHES=patches quilt refresh -p ab --no-timestamps --no-index "$p"); then
			die "$E_BUILD" "quilt refresh $p failed in $SRC (see above)"
		fi
	done
	"$0" # apply the new series: records it, changes no file
	exit
fi

record_stamp() { # record_stamp DIR
	(cd "$1" && for f in "${touched[@]}"; do if [ -f "$f" ]; then sha256sum "$f"; fi; done) >"$1/$STAMP.tmp"
	mv "$1/$STAMP.tmp" "$1/$STAMP"
	echo "$series_hash" >"$1/$SERIES_STAMP"
	echo "$tree_id" >"$1/$TREE_STAMP"
}

quilt_push() { # quilt_push DIR
	local log=$LOGS/patch.log
	mkdir -p "$LOGS"
	: >"$log"
	ln -sfn "$ROOT/patches" "$1/patches"
	if ! (cd "$1" && QUILTRC=/dev/null QUILT_PATCHES=patches run "$log" quilt push -a --fuzz=0); then
		show_log_tail "$log"
		die "$E_BUILD" "quilt push failed in $1 (see $log)"
	fi
}

begin
tree_id=$(tree_identity "$PRISTINE")
# A copy of another tree, or of a tree that changed since (the pin moved,
# another KERNEL_SRC, a git pull in yours): copy anew, unless src holds
# edits of the user's.
if [ -d "$SRC" ] && [ "$(cat "$SRC/$TREE_STAMP" 2>/dev/null)" != "$tree_id" ]; then
	was=$(cat "$SRC/$TREE_STAMP" 2>/dev/null || echo 'another tree')
	mapfile -t edited < <(edited_files)
	if [ "${#edited[@]}" -gt 0 ]; then
		die "$E_USAGE" "$SRC was copied from $was; the tree is now $tree_id, and src has edits not in patches/ (${edited[*]}). Keep them: 'make refresh' first. Drop them: 'make clean-src'."
	fi
	if [ "${was%% *}" = "${tree_id%% *}" ]; then
		say PATCH "$(readlink -f "$PRISTINE") changed since it was copied: copying it anew"
	else
		say PATCH "the source tree changed ($(readlink -f "$PRISTINE")): copying it anew"
	fi
	rm -rf "$SRC"
fi
if [ ! -d "$SRC" ]; then
	# Copy into a temporary directory and rename it when complete, so an
	# interrupted run never leaves a half-copied tree behind. .git stays
	# behind: kbuild does not need it.
	rm -rf "$SRC.tmp"
	mkdir -p "$SRC.tmp"
	(cd "$(readlink -f "$PRISTINE")" && find . -mindepth 1 -maxdepth 1 ! -name .git -exec cp -a -t "$SRC.tmp/" {} +) ||
		die "$E_BUILD" "copying $(readlink -f "$PRISTINE") to $SRC.tmp failed (disk full?)"
	mapfile -t built < <(tree_build_output "$SRC.tmp")
	if [ "${#built[@]}" -gt 0 ]; then
		# kbuild refuses O= on a tree with build output ("source tree is
		# not clean"): clean the copy, never the user's tree.
		say PATCH "$(readlink -f "$PRISTINE") holds build output (${built[*]}): cleaning the copy with make mrproper (your tree is left as it is)"
		mkdir -p "$LOGS"
		run "$LOGS/patch.log" make -C "$SRC.tmp" mrproper ||
			die "$E_BUILD" "make mrproper in the copy $SRC.tmp failed (see $LOGS/patch.log); run 'make mrproper' in your tree, or give a clean one"
	fi
	quilt_push "$SRC.tmp"
	record_stamp "$SRC.tmp"
	mv -T "$SRC.tmp" "$SRC"
	done_ PATCH "${#series[@]} patches -> $SRC"
elif in_sync "$SRC"; then
	# In step with a series it was not made from (after --refresh, or a
	# re-apply interrupted after its last patch): note it.
	if [ "$(cat "$SRC/$SERIES_STAMP" 2>/dev/null)" != "$series_hash" ] || [ -e "$SRC/$REAPPLY" ]; then
		record_stamp "$SRC"
		rm -f "$SRC/$REAPPLY"
	fi
	say PATCH "up to date"
elif [ ! -e "$SRC/$REAPPLY" ] && [ "$(cat "$SRC/$SERIES_STAMP" 2>/dev/null)" = "$series_hash" ]; then
	mapfile -t edited < <(edited_files)
	say PATCH "up to date; src has edits not in patches/ yet: ${edited[*]:-?} ('make refresh' writes them to patches/)"
else
	mapfile -t edited < <(edited_files)
	if [ "${#edited[@]}" -gt 0 ]; then
		die "$E_USAGE" "patches/ changed, and $SRC has edits that are not in patches/ (${edited[*]}). Save them first (e.g. 'cd $SRC && quilt diff -P PATCH > my.diff'), then 'make clean-src' and re-apply them on the new series."
	fi
	# The series changed and src has no edits of its own: restore every
	# file either series touched, then apply the new series.
	mapfile -t previous < <(cut -d' ' -f3- "$SRC/$STAMP")
	: >"$SRC/$REAPPLY"
	# Files the new series leaves as they were keep their mtimes, so that
	# kbuild rebuilds only what really changed (not all that includes
	# syscalls.h, say).
	keep=$(mktemp -d)
	trap 'rm -rf "$expect" "$keep"' EXIT
	(cd "$SRC" && for f in "${previous[@]}" "${touched[@]}"; do
		if [ -f "$f" ]; then cp -p --parents "$f" "$keep/"; fi
	done)
	for f in "${previous[@]}" "${touched[@]}"; do
		if [ -f "$PRISTINE/$f" ]; then
			cp "$PRISTINE/$f" "$SRC/$f"
		else
			rm -f "$SRC/$f"
		fi
	done
	rm -rf "$SRC/.pc"
	quilt_push "$SRC"
	(cd "$keep" && find . -type f -printf '%P\n') | while read -r f; do
		if cmp -s "$keep/$f" "$SRC/$f"; then touch -r "$keep/$f" "$SRC/$f"; fi
	done
	record_stamp "$SRC"
	rm -f "$SRC/$REAPPLY"
	done_ PATCH "series changed: re-applied ${#series[@]} patches"
fi
