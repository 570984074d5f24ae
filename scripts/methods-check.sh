#!/usr/bin/env bash
# methods-check.sh: the series applies with quilt, git am and patch -p1 on
# every pinned kernel, and all three give the same files.
#
# Usage: scripts/methods-check.sh [--help]
#
# For each "deb" pin in kernel-config/kernels.lock (fetched when missing),
# and for each tests/fixtures/linux-VERSION/ (the files the series touches,
# taken from releases that are not pinned: see tests/fixtures/README),
# copies the files the series touches (and the top Makefile) out of the
# tree three times, which is all these tools read, and applies patches/
# with
#   patch -p1 < each patch     (in series order; where a file's part of a
#                               patch does not apply, the first of its
#                               forms in patches/forms/ that does)
#   quilt push -a              (QUILT_PATCHES pointing at those patches)
#   git am patches/*.patch     (the same, in a fresh git repository)
# None may need fuzz. Each result must equal the others, file for file.
# One result line per kernel and method, then "N passed, N failed".
# The ABI guard must find 548 and 549 free in each.
#
#   --fixtures   only the fixtures: no download, a second or two
#
# Exit codes: 0 all passed, 1 a method failed, 6 a tool is missing,
# 7 a pinned tree could not be fetched.

. "$(dirname -- "$0")/lib.sh" || exit 8
FIXTURES_ONLY=0
case "${1:-}" in
--fixtures) FIXTURES_ONLY=1 ;;
*) handle_help "$@" ;;
esac
need quilt git patch
load_series


work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# same_files A B: the touched files agree (and exist in both, or neither).
same_files() {
	local f
	for f in "${touched[@]}"; do
		if [ -e "$1/$f" ] || [ -e "$2/$f" ]; then
			cmp -s "$1/$f" "$2/$f" || {
				echo "$f differs"
				return 1
			}
		fi
	done
}

# TREE-ID PATH lines: the pinned trees (fetched), then the fixtures.
trees=()
if [ "$FIXTURES_ONLY" = 0 ]; then
	mapfile -t kernels < <(awk '$1 == "deb" { print $2 }' "$LOCK_FILE")
	for k in "${kernels[@]}"; do
		# The pinned tree, whatever KERNEL_SRC or KERNEL_TARBALL the caller has.
		env -u KERNEL_SRC -u KERNEL_TARBALL -u KERNEL_TARBALL_SHA256 KERNEL="$k" \
			"$ROOT/scripts/fetch.sh" >/dev/null
		pristine=$(readlink -f "$BUILD_DIR/$k/pristine")
		ver=$(tree_version "$pristine")
		KERNEL=$k read_pin
		[[ "$PIN_VERSION" == "$ver"-* ]] ||
			die "$E_USAGE" "build/$k/pristine is linux-$ver, not the pinned $PIN_VERSION; run make fetch KERNEL=$k"
		trees+=("$k $pristine")
	done
fi
mapfile -t fixtures < <(printf '%s\n' "$ROOT"/tests/fixtures/linux-*/ | sort -V)
for d in "${fixtures[@]}"; do
	d=${d%/}
	[ -f "$d/Makefile" ] && trees+=("fixture-${d##*/} $d")
done

for t in "${trees[@]}"; do
	read -r k pristine <<<"$t"
	ver=$(tree_version "$pristine")
	case "$k" in fixture-*) what="linux-$ver (fixture)" ;; *) what="linux-$ver" ;; esac
	if out=$(abi_guard "$pristine" 2>&1) && [ "$out" = free ]; then
		report PASS "methods: 548 and 549 are free in $what"
	else
		report FAIL "methods: the ABI guard on $what" "$out"
	fi
	base=$work/$k

	# patch -p1, one patch after the other, no fuzz, each file's part in
	# the first form that applies (what resolve_series does); quilt and git
	# am then take the same patches
	mkdir -p "$base"
	if resolve_series "$pristine" "$base/patch" 2>"$base/patch.err"; then
		forms=$(cut -d' ' -f3 "$PATCHES/forms" | sed 's,^patches/forms/,,' | paste -sd' ' -)
		report PASS "methods: patch -p1 applies the series to $what${forms:+ (forms: $forms)}"
	else
		report FAIL "methods: patch -p1 on $what" "$(cat "$base/patch.err")"
	fi

	# quilt push -a
	copy_touched "$pristine" "$base/quilt" Makefile
	if out=$(cd "$base/quilt" && QUILTRC=/dev/null QUILT_PATCHES="$PATCHES" quilt push -a --fuzz=0 2>&1) &&
		[ "$(cd "$base/quilt" && QUILTRC=/dev/null QUILT_PATCHES="$PATCHES" quilt applied 2>/dev/null | wc -l)" = "${#series[@]}" ] &&
		out=$(same_files "$base/patch" "$base/quilt"); then
		report PASS "methods: quilt push -a applies the series to $what, same files"
	else
		report FAIL "methods: quilt push -a on $what" "$out"
	fi

	# git am
	copy_touched "$pristine" "$base/git" Makefile
	g=(git -C "$base/git" -c user.name=methods-check -c user.email=methods-check@localhost)
	"${g[@]}" init -q && "${g[@]}" add -A && "${g[@]}" commit -q -m "linux-$ver"
	if out=$("${g[@]}" am "${series[@]/#/$PATCHES/}" 2>&1) &&
		[ "$("${g[@]}" rev-list --count HEAD)" = $((${#series[@]} + 1)) ] &&
		out=$(same_files "$base/patch" "$base/git"); then
		report PASS "methods: git am applies the series to $what as ${#series[@]} commits, same files"
	else
		report FAIL "methods: git am on $what" "$out"
	fi
done

report_total || exit "$E_TESTS"
