#!/usr/bin/env bash
# series-check.sh: check that every patch of the series builds on its own,
# and that sparse and W=1 find nothing in the files the series adds.
#
# Usage: scripts/series-check.sh [--help]
#
# In BUILD_DIR/KERNEL/series/: a copy of make qemu-test's tree and
# kbuild output for CONFIG (run "make qemu-test" first), where kbuild
# finds nothing to do. It takes the patches off one at a time with
# patch -R -p1 -F0, from the last, and builds vmlinux after each, with
# the resolved configuration of CONFIG: every tree from patches 1-N down
# to patch 1 alone is built, as if applied one at a time, and kbuild
# rebuilds only what each patch changes. Options a patch does not know
# yet (CONFIG_MYSYSCALL before the first) are simply dropped by
# olddefconfig. With the whole series it packs the initramfs from the
# copy (its programs built again, elsewhere), which must be
# byte-identical to make qemu-test's, and runs sparse (make C=2) and the
# W=1 warnings on the new C files, failing on any report about them.
# Nothing is done again while the series, the tree and the config are
# unchanged.
#
# One result line per check, then "N passed, N failed".
# Exit codes: 0 all passed, 1 a check failed, 2 no config yet, 6 sparse
# is missing.

. "$(dirname -- "$0")/lib.sh" || exit 8
handle_help "$@"
lock_build

# sparse is one of the packages only "make check" needs.
"$(dirname -- "$0")/deps.sh" --for-check || exit "$E_DEPS"
need make gcc patch sparse
PRISTINE=$KDIR/pristine
[ -d "$PRISTINE/" ] || die "$E_USAGE" "no pristine tree at $PRISTINE; run scripts/fetch.sh (make fetch) first"
[ -f "$OBJ/.config" ] || die "$E_USAGE" "no $OBJ/.config to build with; run scripts/configure.sh (make config) first"

work=$KDIR/series
wsrc=$work/src
wobj=$work/obj
log=$work/series-check.log
load_series
# The new C files of the kernel: those the series creates (from
# /dev/null), but not the selftests' (user space, built by their own
# Makefile: make qemu-test builds and runs them).
mapfile -t newfiles < <(cd "$ROOT/patches" && awk '
	/^--- \/dev\/null/ { new = 1; next }
	/^\+\+\+ b\/.*\.c$/ && new && $2 !~ /^b\/tools\// { print substr($2, 3) }
	{ new = 0 }' "${series[@]}" | sort -u)
[ "${#newfiles[@]}" -gt 0 ] || die "$E_USAGE" "the series creates no C file; nothing for sparse to check"

mkdir -p "$work"
REPORT_LOG=$work/results.tmp
: >"$REPORT_LOG"
# What the clean build is compared with must be there, and be of this
# series: said before minutes of building, never skipped quietly.
if [ ! -f "$OUT/initramfs.cpio" ]; then
	report FAIL "series: reproducible: nothing to compare with: no ${OUT#"$ROOT"/}/initramfs.cpio (run make qemu-test first)"
elif ! "$ROOT/scripts/patch.sh" --check >"$work/src-check" 2>&1; then
	report FAIL "series: reproducible: ${SRC#"$ROOT"/} differs from pristine + patches/, so make qemu-test's build is not of the series checked here ('make refresh' first)" "$work/src-check"
fi
if [ "$nfail" != 0 ]; then
	report_total || true
	exit "$E_TESTS"
fi

stamp=$work/.mysyscall-series-check
inputs=$( (readlink -f "$PRISTINE" && cat "$OBJ/.config" && echo "$series_hash" &&
	{ cat "$OUT/initramfs.cpio" 2>/dev/null || true; }) | sha256sum)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ]; then
	cat "$work/results"
	exit 0
fi

mkdir -p "$work"
rm -f "$stamp" "$work/results"
: >"$log"
begin
# The series in the forms this tree takes (patches/forms/).
resolved=$(mktemp -d)
trap 'rm -rf "$resolved"' EXIT
resolve_series "$PRISTINE" "$resolved/t" ||
	die "$E_BUILD" "patches/$failed_patch does not apply to $(readlink "$PRISTINE") (above)"
# The builds start from make qemu-test's: a copy of its tree (the whole
# series applied, as patch.sh --check found above) and of its kbuild
# output, with the paths kbuild recorded (each object's command and the
# files it was built from, in .*.cmd) renamed to the copies, so that
# kbuild finds the copy up to date. Then the patches come off one at a
# time, from the last, and kbuild rebuilds what each one changes: the
# same trees as applying them one at a time from the first, for the
# cost of what the patches change rather than of clean builds.
rm -rf "$wsrc" "$wsrc.tmp"
cp -a "$SRC/." "$wsrc.tmp/" || die "$E_BUILD" "copying ${SRC#"$ROOT"/} to $wsrc.tmp failed (disk full?)"
rm -rf "$wsrc.tmp/.pc" "$wsrc.tmp/patches"
mv -T "$wsrc.tmp" "$wsrc"
copy_kbuild_output "$OBJ" "$wobj" "$(readlink -f "$SRC")" "$(readlink -f "$wsrc")"
step_done COPY "${SRC#"$ROOT"/}, ${OBJ#"$ROOT"/} -> ${work#"$ROOT"/}/src, obj"

kv=0
verbose && kv=1
config_fragments
kmake() { run "$log" make -C "$wsrc" O="$wobj" -j"$JOBS" V="$kv" "${kbuild_vars[@]}" "$@"; }
# build_state N: build vmlinux with patches 1-N applied
build_state() {
	local p=${series[$(($1 - 1))]}
	begin
	cp "$OBJ/.config" "$wobj/.config"
	if kmake olddefconfig && kmake vmlinux; then
		step_done BUILD "$1/${#series[@]} $p"
		report PASS "series: builds with patches 1-$1 ($p)"
	else
		grep -E '(error:|undefined reference)' "$log" | tail -n 10 >"$work/errors" || true
		report FAIL "series: does not build with patches 1-$1 ($p; see $log)" "$work/errors"
		return 1
	fi
}
build_state "${#series[@]}" || true

# The initramfs, packed by the rig's own stages from this copy (its
# programs built again, in another directory) through a BUILD_DIR of
# links, must equal make qemu-test's byte for byte: nothing of the
# build's place gets into it.
if [ "$nfail" = 0 ]; then
	bd=$work/bd
	rm -rf "$bd"
	mkdir -p "$bd/$KERNEL/$CONFIG"
	ln -s "$wsrc" "$bd/$KERNEL/src"
	ln -s "$wobj" "$bd/$KERNEL/$CONFIG/obj"
	if BUILD_DIR=$bd run "$log" "$ROOT/scripts/build-tests.sh" &&
		BUILD_DIR=$bd run "$log" "$ROOT/scripts/initramfs.sh" &&
		cmp -s "$bd/$KERNEL/$CONFIG/initramfs.cpio" "$OUT/initramfs.cpio"; then
		report PASS "series: reproducible: the initramfs built again in ${bd#"$ROOT"/} is identical to ${OUT#"$ROOT"/}'s"
	else
		cmp "$bd/$KERNEL/$CONFIG/initramfs.cpio" "$OUT/initramfs.cpio" >"$work/cmp" 2>&1 || true
		report FAIL "series: not reproducible: the initramfs of ${bd#"$ROOT"/} differs from ${OUT#"$ROOT"/}'s (or did not build; see $log)" "$work/cmp"
	fi
fi

if [ "$nfail" = 0 ]; then
	# The objects kbuild builds from them (a KUnit file included by
	# another new file is compiled and checked with that one).
	objs=()
	for f in "${newfiles[@]}"; do
		n=${f##*/}
		if (cd "$ROOT/patches" && grep -qE "^\+obj-.*[[:space:]]${n%.c}\.o([[:space:]]|$)" "${series[@]}"); then
			objs+=("${f%.c}.o")
		fi
	done
	for check in "sparse:C=2" "W=1:W=1"; do
		name=${check%%:*}
		# Rebuild the new files alone, with the checker on.
		rm -f "${objs[@]/#/$wobj/}"
		out=$work/$name.out
		if ! make -C "$wsrc" O="$wobj" "${kbuild_vars[@]}" "${check#*:}" "${objs[@]}" >"$out" 2>&1; then
			report FAIL "series: $name: the new files do not compile (see $out)" "$out"
			continue
		fi
		cat "$out" >>"$log"
		grep -E "(^|/)($(
			IFS='|'
			echo "${newfiles[*]}"
		)):[0-9]+:" "$out" >"$out.ours" || true
		if [ -s "$out.ours" ]; then
			report FAIL "series: $name reports on ${newfiles[*]}" "$out.ours"
		else
			report PASS "series: $name: nothing to report on ${newfiles[*]}"
		fi
	done
fi

# Then the patches off, one at a time from the last: the tree with
# patches 1-(N-1), ..., 1-1, each built.
i=${#series[@]}
while [ "$nfail" = 0 ] && [ "$i" -gt 1 ]; do
	p=${series[$((i - 1))]}
	if ! run "$log" patch -R -p1 -F0 -d "$wsrc" -i "$PATCHES/$p"; then
		report FAIL "series: $p does not come off the tree it made (see $log)"
		break
	fi
	i=$((i - 1))
	build_state "$i" || break
done

rc=0
report_total || rc=$E_TESTS
mv "$REPORT_LOG" "$work/results"
[ "$rc" = 0 ] || exit "$rc"
echo "$inputs" >"$stamp"
