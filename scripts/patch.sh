#!/usr/bin/env bash
# patch.sh: copy the pristine tree and apply patches/series with quilt.
#
# Usage: scripts/patch.sh [--check | --refresh | --clean] [--help]
#
# Makes BUILD_DIR/KERNEL/src: a copy of the tree scripts/fetch.sh
# published, with every patch in patches/series applied by quilt. Its
# "patches" entry links back to this repository's patches/, so
# "quilt refresh" inside src updates the series you commit. When the tree
# needs forms of some patches (patches/forms/, see README), it links to
# BUILD_DIR/KERNEL/patches instead: the series as applied to this tree.
#
# Running it again does nothing when src already matches the series, or
# when patches/ is unchanged and src holds edits of yours (the hack loop:
# it says which files, so you can "make refresh" them). When patches/
# changed and src holds no edits, the patched files are restored from the
# pristine tree and the series is applied again. When both changed it
# stops and says which files, rather than lose your edits.
#
#   --check    only report whether src matches patches/ (exit 0) or not (1)
#   --refresh  write the edits made in src back into patches/: each
#              edited file's change goes into the first patch that touches
#              the file, or into the last one when a later patch would no
#              longer apply on top. git does it, in a scratch repository
#              of the touched files: git am of the series, the edits as
#              fixup commits, git rebase --autosquash, git format-patch.
#              Only patches whose text changed are rewritten (authors,
#              dates and messages stay); src is then re-applied from them
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
[ "$REFRESH" = 0 ] || need git

load_series
expect=$(mktemp -d)
trap 'rm -rf "$expect" "$expect".*' EXIT
# (--refresh works from src alone: the tree src was copied from may have
# moved on, and the series may not apply to the new one.)
if [ "$REFRESH" = 0 ]; then
	# A tree (a KERNEL_SRC of yours, or a new pin) where 548/549 are taken
	# or that is too old stops here, with the reason.
	abi=$(abi_guard "$(readlink -f "$PRISTINE")") || exit
	[ "$abi" = free ] || die "$E_BUILD" "$(readlink -f "$PRISTINE") already has the series applied (548/549 are ours); give the unpatched tree, or 'make unapply KERNEL_SRC=...' first"
	# What the touched files must look like: pristine + series, built in a
	# scratch directory with plain patch(1). This also proves the series
	# applies before src is touched.
	resolve_series "$PRISTINE" "$expect" ||
		die "$E_BUILD" "patches/$failed_patch does not apply to $(readlink "$PRISTINE") (see the lines above for the file and hunk); nothing was changed"
fi

# new_files DIR: files in DIR that no patch has yet but that are part of
# the series' work: those in a directory the series creates (one the
# pristine tree lacks, as tools/testing/selftests/mysyscall/), a new test
# say. One "FILE PATCH" line each, PATCH the first patch that creates a
# file there. Not what that directory's .gitignore names (a kselftest
# built in place), hidden files, editor backups, objects, rejects.
new_files() {
	local -A dir_of=()
	local p f d
	for p in "${series[@]}"; do
		while read -r f; do
			d=${f%/*}
			[ -n "${dir_of[$d]:-}" ] || [ -d "$PRISTINE/$d" ] || dir_of[$d]=$p
		done < <(awk '/^--- \/dev\/null/ { new = 1; next }
			new && /^\+\+\+ b\// { print substr($2, 3) } { new = 0 }' "$ROOT/patches/$p")
	done
	for d in "${!dir_of[@]}"; do
		[ -d "$1/$d" ] || continue
		(cd "$1/$d" && find . -maxdepth 1 -type f ! -name '.*' ! -name '*~' ! -name '*.o' \
			! -name '*.orig' ! -name '*.rej' -printf '%P\n') | while read -r f; do
			[[ " ${touched[*]} " != *" $d/$f "* ]] || continue
			[ ! -f "$1/$d/.gitignore" ] || ! grep -qxF -e "$f" -e "/$f" "$1/$d/.gitignore" || continue
			echo "$d/$f ${dir_of[$d]}"
		done
	done | LC_ALL=C sort
}

# in_sync DIR: do the touched files in DIR match the expected ones, and
# is there no new file of the series' that no patch has yet?
in_sync() {
	local f
	[ -z "$(new_files "$1")" ] || return 1
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
	new_files "$SRC" | cut -d' ' -f1
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
	new_files "$SRC" | while read -r f p; do printf '    %s (new: make refresh adds it to %s)\n' "$f" "$p" >&2; done
	exit 1
fi

# patch_index PATCH: its place in the series, from 0
patch_index() {
	local i
	for i in "${!series[@]}"; do
		if [ "${series[$i]}" = "$1" ]; then echo "$i"; fi
	done
}

# patch_text PATCH: what a patch says, without what refresh may change
# about it and git am or patch(1) do not need
# (nor the signature, "-- " and git's version, which is the local git's).
patch_text() {
	sed '1d; /^index [0-9a-f]*\.\.[0-9a-f]*/d; s/^@@ -[0-9,]* +[0-9,]* @@.*/@@/; /^-- $/,$d' "$1"
}

# cover_update DIR: the cover letter's shortlog and diffstat, as git
# format-patch --cover-letter writes them for base..HEAD of DIR; its
# subject, addresses and text are left as they are
cover_update() {
	local cover=$ROOT/patches/$COVER block
	[ -f "$cover" ] || return 0
	block=$(cover_block "$1")
	[ "$block" != "$(cover_block_of "$cover")" ] || return 0
	awk -v block="$block" '
		!done && /^[^ ].* \([0-9]+\):$/ { print block; print ""; skip = 1; done = 1; next }
		skip && /^-- $/ { skip = 0 }
		!skip' "$cover" >"$cover.tmp"
	mv "$cover.tmp" "$cover"
	say REFRESH "patches/$COVER: its shortlog and diffstat"
}

# stand_in PATCH FILE DEST: a stand-in for FILE, which this release does
# not have, at DEST: each of PATCH's hunks for FILE finds its old lines
# at the line numbers it names (blank lines between), so that the part
# applies as it is written.
stand_in() {
	mkdir -p "$(dirname "$3")"
	awk -v f="$2" '
		/^-- $/ { exit }
		/^diff --git / { mine = ($0 == "diff --git a/" f " b/" f); hunk = 0; next }
		!mine { next }
		/^@@ / {
			split(substr($2, 2), a, ",")
			first = a[1] + ("2" in a && a[2] == 0)
			while (n < first - 1) { print ""; n++ }
			hunk = 1
			next
		}
		hunk && /^[ -]/ { print substr($0, 2); n++ }' "$1" >"$3"
}

# with_part APPLIED MAIN FILE: APPLIED (a patch as this release takes it,
# without its part for FILE) with MAIN's part for FILE put back where git
# orders it (by path, byte by byte)
with_part() {
	local a=$expect.wp-a m=$expect.wp-m sec put=0
	split_patch "$1" "$a"
	split_patch "$2" "$m"
	cat "$a/head"
	for sec in "$a"/[0-9]*; do
		[ -e "$sec" ] || continue
		if [ "$put" = 0 ] && [[ ! "$(section_file "$sec")" < "$3" ]]; then
			grep -l "^diff --git a/$3 b/" "$m"/[0-9]* | xargs cat
			put=1
		fi
		cat "$sec"
	done
	[ "$put" = 1 ] || grep -l "^diff --git a/$3 b/" "$m"/[0-9]* | xargs cat
	cat "$a/tail"
	rm -rf "$a" "$m"
}

# refresh: see --refresh above.
refresh() {
	local g=$expect.git out=$expect.out f owner pass top p n=0 changed was applied=$SRC/patches
	[ -d "$SRC" ] || die "$E_USAGE" "$SRC does not exist yet (run make patch)"
	[ ! -e "$SRC/$REAPPLY" ] || die "$E_USAGE" "a re-apply of the series in $SRC was cut short: run make patch first"
	# src must be this series, all of it applied: else its differences
	# would undo a change of patches/ (a git pull) or a quilt pop.
	[ "$(cat "$SRC/$SERIES_STAMP" 2>/dev/null)" = "$series_hash" ] ||
		die "$E_USAGE" "patches/ changed since $SRC was made from it (a git pull, another branch?): refreshing would undo that. Save your edits (cd $SRC && quilt diff -P PATCH > my.diff), then make clean-src and make patch"
	[ "$(cat "$SRC/.pc/applied-patches" 2>/dev/null)" = "$(printf '%s\n' "${series[@]}")" ] ||
		die "$E_USAGE" "not every patch of the series is applied in $SRC (quilt pop?): 'cd $SRC && quilt push -a' first"
	mkdir -p "$g"
	git_ "$g" init -q
	# The files as they were before the series: quilt's backups in src/.pc
	# (the tree src was copied from, even if the pristine tree moved on
	# since), else the pristine tree.
	copy_touched "$PRISTINE" "$g"
	# Files a patch does not touch yet but "quilt add -P PATCH" added to
	# it: quilt keeps their backups in src/.pc/PATCH.
	local -A added=()
	local -a all
	for p in "${series[@]}"; do
		[ -d "$SRC/.pc/$p" ] || continue
		while read -r f; do
			[[ " ${touched[*]} " == *" $f "* ]] || [ -n "${added[$f]:-}" ] || added[$f]=$p
		done < <(cd "$SRC/.pc/$p" && find . -type f ! -name '.*' -printf '%P\n')
	done
	# New files in a directory the series creates (a new test): into the
	# patch that creates the directory, as if "quilt add -P PATCH".
	while read -r f p; do
		[ -n "${added[$f]:-}" ] || added[$f]=$p
	done < <(new_files "$SRC")
	all=("${touched[@]}" "${!added[@]}")
	if [ -d "$SRC/.pc" ]; then
		for f in "${all[@]}"; do
			for p in "${series[@]}"; do
				if [ -e "$SRC/.pc/$p/$f" ]; then
					if [ -s "$SRC/.pc/$p/$f" ]; then cp "$SRC/.pc/$p/$f" "$g/$f"; else rm -f "$g/$f"; fi
					break
				fi
			done
		done
	fi
	# Parts this release leaves out (no such file: an "absent" form) go
	# through the scratch repository too, so that format-patch gives back
	# whole patches (their diffstats, the cover letter's): on a stand-in
	# for the file that holds each hunk's old lines where the hunk says.
	local am=$expect.am absent=" " fp ff fform
	mkdir -p "$am"
	cp "${series[@]/#/$applied/}" "$am/"
	if [ -f "$applied/forms" ]; then
		while read -r fp ff fform; do
			form_absent "$ROOT/$fform" || continue
			absent+="$ff "
			[ -e "$g/$ff" ] || stand_in "$ROOT/patches/$fp" "$ff" "$g/$ff"
			with_part "$am/$fp" "$ROOT/patches/$fp" "$ff" >"$am/$fp.tmp"
			mv "$am/$fp.tmp" "$am/$fp"
		done <"$applied/forms"
	fi
	git_ "$g" add -A
	git_ "$g" commit -q --allow-empty -m base
	git_ "$g" tag base
	git_ "$g" am -q "${series[@]/#/$am/}" >"$g.log" 2>&1 || {
		sed 's/^/    /' "$g.log" >&2
		die "$E_BUILD" "git am of patches/ failed in a scratch repository (see above)"
	}
	mapfile -t changed < <(for f in "${all[@]}"; do
		[[ "$absent" != *" $f "* ]] || continue
		if [ -f "$g/$f" ]; then
			cmp -s "$g/$f" "$SRC/$f" || echo "$f"
		elif [ -e "$SRC/$f" ]; then
			echo "$f"
		fi
	done)
	if [ "${#changed[@]}" = 0 ]; then
		say REFRESH "nothing to write: $SRC matches patches/"
		return 0
	fi
	# One file at a time: its change as a fixup of the first patch that
	# touches it, squashed there by rebase --autosquash; if a later patch
	# then no longer applies, of the last one instead (nothing after it
	# touches the file, so that cannot fail).
	for f in "${changed[@]}"; do
		for pass in first last; do
			top=$(git_ "$g" rev-parse HEAD)
			if [ -n "${added[$f]:-}" ]; then
				# quilt add -P PATCH: that patch, the Nth commit
				owner=$(git_ "$g" rev-list --reverse base..HEAD | sed -n "$(($(patch_index "${added[$f]}") + 1))p")
			elif [ "$pass" = first ]; then
				owner=$(git_ "$g" log --reverse --format=%H base..HEAD -- "$f" | sed -n 1p)
			else
				owner=$(git_ "$g" log --format=%H base..HEAD -- "$f" | sed -n 1p)
			fi
			if [ -e "$SRC/$f" ]; then
				mkdir -p "$g/$(dirname "$f")"
				cp "$SRC/$f" "$g/$f"
			else
				rm -f "$g/$f"
			fi
			git_ "$g" add -A -- "$f"
			git_ "$g" commit -q --fixup="$owner"
			if GIT_SEQUENCE_EDITOR=: git_ "$g" rebase -q -i --autosquash base >"$g.log" 2>&1; then
				break
			fi
			git_ "$g" rebase --abort 2>/dev/null || true
			git_ "$g" reset -q --hard "$top"
			[ "$pass" = first ] || {
				sed 's/^/    /' "$g.log" >&2
				die "$E_BUILD" "the edit of $f cannot be folded into patches/ (see above); write it with quilt in $SRC by hand"
			}
		done
	done
	# The series' own signature (git's version when it was made), kept.
	local sig
	sig=$(sed -n '/^-- $/{n;p;}' "$ROOT/patches/${series[0]}" | sed -n '$p')
	git_ "$g" format-patch -q --signature="${sig:-mysyscall}" \
		--subject-prefix="$(subject_prefix "$ROOT/patches/${series[0]}" | grep . || echo PATCH)" -o "$out" base..HEAD
	for p in "${series[@]}"; do
		[ -f "$out/$p" ] || die "$E_BUILD" "git format-patch did not give back $p (did its subject change?); patches/ is unchanged"
	done
	for p in "${series[@]}"; do
		# Only a change of what the patch does rewrites it: not the commit
		# it names (line 1, new each time), its index lines or its hunks'
		# line numbers and function context (which follow the tree src was copied from).
		if ! cmp -s <(patch_text "$out/$p") <(patch_text "$am/$p"); then
			write_back "$out/$p" "$p" "$applied/forms"
			n=$((n + 1))
		fi
	done
	cover_update "$g"
	say REFRESH "${changed[*]}: in $n rewritten patch(es); commit patches/ when you are done"
	load_series
	was=$(cat "$SRC/$TREE_STAMP" 2>/dev/null || true)
	if [ "$was" = "$tree_id" ]; then
		# src again from the new series: its .pc is quilt's record of it
		rm -rf "$expect" "$expect".patches
		resolve_series "$PRISTINE" "$expect" ||
			die "$E_BUILD" "patches/$failed_patch, as refreshed, does not apply to $(readlink "$PRISTINE") (above); fix it in patches/, then make patch"
		reapply
	else
		# src came from a tree that has changed since: record src as it is
		# (no edits left), and make patch will copy the new tree.
		tree_id=$was record_stamp "$SRC"
		say REFRESH "$SRC was copied from a tree that changed since: make patch copies the new one"
	fi
}

# write_back NEW PATCH FORMS: PATCH as refresh made it (NEW) into
# patches/: the parts for files where this tree took a form (FORMS lists
# them, as resolve_series wrote it) into those forms, the rest into
# patches/PATCH, each only if what it says changed.
write_back() {
	local new=$1 p=$2 parts=$expect.new main=$expect.main sec f form
	split_patch "$new" "$parts"
	split_patch "$ROOT/patches/$p" "$main"
	cat "$parts/head" >"$ROOT/patches/.$p.tmp"
	for sec in "$parts"/[0-9]*; do
		[ -e "$sec" ] || continue
		f=$(section_file "$sec")
		form=
		[ ! -f "$3" ] || form=$(awk -v p="$p" -v f="$f" '$1 == p && $2 == f { print $3 }' "$3")
		if [ -n "$form" ]; then
			if ! form_absent "$ROOT/$form" && ! cmp -s <(patch_text "$sec") <(patch_text "$ROOT/$form"); then
				cp "$sec" "$ROOT/$form.tmp"
				mv "$ROOT/$form.tmp" "$ROOT/$form"
				say REFRESH "$form (the form this tree takes; make lint says whether patches/$p needs the same change)"
			fi
			# the patch's own part for f stays as it was
			grep -l "^diff --git a/$f b/" "$main"/[0-9]* | xargs cat >>"$ROOT/patches/.$p.tmp"
		else
			cat "$sec" >>"$ROOT/patches/.$p.tmp"
		fi
	done
	cat "$parts/tail" >>"$ROOT/patches/.$p.tmp"
	rm -rf "$parts" "$main"
	if cmp -s <(patch_text "$ROOT/patches/.$p.tmp") <(patch_text "$ROOT/patches/$p"); then
		rm -f "$ROOT/patches/.$p.tmp"
	else
		mv "$ROOT/patches/.$p.tmp" "$ROOT/patches/$p"
		say REFRESH "patches/$p"
	fi
}

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
	if [ -s "$PATCHES/forms" ]; then
		# this tree takes forms: the series as applied, kept beside src
		rm -rf "$KDIR/patches.tmp"
		cp -r "$PATCHES" "$KDIR/patches.tmp"
		rm -rf "$KDIR/patches"
		mv "$KDIR/patches.tmp" "$KDIR/patches"
		ln -sfn "$KDIR/patches" "$1/patches"
		while read -r p f form; do
			say PATCH "${p%%-*} $f: $(form_note "$f" "$form")"
		done <"$PATCHES/forms"
	else
		ln -sfn "$ROOT/patches" "$1/patches"
	fi
	if ! (cd "$1" && QUILTRC=/dev/null QUILT_PATCHES=patches run "$log" quilt push -a --fuzz=0); then
		show_log_tail "$log"
		die "$E_BUILD" "quilt push failed in $1 (see $log)"
	fi
}

# reapply: restore in src every file the last series or this one
# touches, then apply this series. Files whose content it leaves as it
# was keep their mtimes, so that kbuild rebuilds only what really changed
# (not all that includes syscalls.h, say).
reapply() {
	local previous keep f
	mapfile -t previous < <(cut -d' ' -f3- "$SRC/$STAMP")
	: >"$SRC/$REAPPLY"
	keep=$expect.keep
	mkdir -p "$keep"
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
	rm -rf "$keep"
	record_stamp "$SRC"
	rm -f "$SRC/$REAPPLY"
}

begin
tree_id=$(tree_identity "$PRISTINE")
if [ "$REFRESH" = 1 ]; then
	refresh
	exit 0
fi
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
	step_done PATCH "${#series[@]} patches -> $SRC"
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
	reapply
	step_done PATCH "series changed: re-applied ${#series[@]} patches"
fi
