#!/usr/bin/env bash
# release.sh: publish make dist's tarballs as the GitHub release of a tag.
#
# Usage: scripts/release.sh DIR TAG      (.github/workflows/release.yml)
#
# DIR holds the tarballs check.yml made: one per pinned kernel of
# kernel-config/kernels.lock, the default kernel's debug one, and the
# newest pin's arm64 and riscv64 ones. Each must
# be whole (gzip -t), unpack to its own directory and pass its own
# SHA256SUMS. Writes DIR/SHA256SUMS of the tarballs (through a temporary
# file) and DIR/NOTES.md (each tarball's VERSION), then runs
#   gh release create TAG --verify-tag --title "mysyscall TAG" --notes-file DIR/NOTES.md TARBALLS... DIR/SHA256SUMS
# GH=command replaces gh (the tests give a fake one).
#
# Exit codes: 0 released, 2 bad arguments or a tarball missing, 3 a
# tarball is damaged or does not match its SHA256SUMS, 7 gh failed.

. "$(dirname -- "$0")/lib.sh" || exit 8
case "${1:-}" in -h | --help) handle_help "$1" ;; esac
[ $# = 2 ] || die "$E_USAGE" "usage: scripts/release.sh DIR TAG (try --help)"
dir=$(abspath "$1") tag=$2
[[ $tag =~ ^v[0-9A-Za-z._-]+$ ]] || die "$E_USAGE" "TAG=$tag: a release tag is v followed by a version (v1.0)"
[ -d "$dir" ] || die "$E_USAGE" "no directory $dir"
GH=${GH:-gh}
need tar gzip sha256sum "$GH"

# What must be there: every pin, the default kernel's debug image, and
# the newest pin's arm64 and riscv64 images.
wanted=()
for k in $(pinned_kernels); do wanted+=("$k base x86_64"); done
wanted+=("$KERNEL debug x86_64")
newest=$(pinned_kernels | tr ' ' '\n' | sort -V | tail -n 1)
wanted+=("$newest base arm64" "$newest base riscv64")
tarballs=()
for w in "${wanted[@]}"; do
	read -r k c a <<<"$w"
	suffix=-$a.tar.gz
	[ "$c" = base ] || suffix=-$c$suffix
	# The release (6.12.117) is in the name: KERNEL, then digits.
	found=()
	for f in "$dir/mysyscall-$k".*"$suffix"; do
		f=${f##*/}
		[[ ${f#"mysyscall-$k."} =~ ^[0-9]+$suffix$ ]] && found+=("$f")
	done
	case "${#found[@]}" in
	1) tarballs+=("${found[0]}") ;;
	0) die "$E_USAGE" "no tarball of KERNEL=$k CONFIG=$c ARCH=$a (mysyscall-$k.N$suffix) in $dir" ;;
	*) die "$E_USAGE" "more than one tarball of KERNEL=$k CONFIG=$c ARCH=$a in $dir: ${found[*]}" ;;
	esac
done

# Each must be whole and pass its own checksums.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
notes=$work/NOTES.md
{
	echo "Prebuilt images of the mysyscall series: unpack one and run ./boot"
	echo "(a shell in the guest) or ./boot --test. Check the downloads first:"
	echo "sha256sum --ignore-missing -c SHA256SUMS."
} >"$notes"
for t in "${tarballs[@]}"; do
	name=${t%.tar.gz}
	gzip -t "$dir/$t" 2>/dev/null || die "$E_BUILD" "$t is not a whole gzip file"
	mkdir "$work/$name"
	tar -xzf "$dir/$t" -C "$work/$name" || die "$E_BUILD" "$t does not unpack"
	[ -f "$work/$name/$name/VERSION" ] || die "$E_BUILD" "$t does not unpack to $name/ with a VERSION"
	(cd "$work/$name/$name" && sha256sum --quiet -c SHA256SUMS) >&2 ||
		die "$E_BUILD" "$t: its files do not match its SHA256SUMS"
	{
		printf '\n## %s\n\n```\n' "$t"
		cat "$work/$name/$name/VERSION"
		printf '```\n'
	} >>"$notes"
	say OK "$t"
done

(cd "$dir" && sha256sum -- "${tarballs[@]}") >"$work/SHA256SUMS"
mv "$work/SHA256SUMS" "$dir/SHA256SUMS"
cp "$notes" "$dir/NOTES.md"
say SUMS "$dir/SHA256SUMS"
"$GH" release create "$tag" --verify-tag --title "mysyscall $tag" --notes-file "$dir/NOTES.md" \
	"${tarballs[@]/#/$dir/}" "$dir/SHA256SUMS" ||
	die "$E_FETCH" "gh release create $tag failed"
say RELEASE "$tag: ${#tarballs[@]} tarballs and SHA256SUMS"
