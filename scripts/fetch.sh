#!/usr/bin/env bash
# fetch.sh: get a pristine kernel tree, verified, into the cache (once).
#
# Usage: scripts/fetch.sh [--help]
#
# By default it downloads Debian's linux-source package pinned for KERNEL
# in kernel-config/kernels.lock (apt-get download: no root needed),
# checks its sha256, and extracts the tree into CACHE_DIR/trees/. Later
# runs reuse the extracted tree. The cache is never modified afterwards:
# the patch stage works on a copy.
#
# Variables:
#   KERNEL=6.12          which pin to fetch (see kernels.lock)
#   KERNEL_TARBALL=FILE  use a local kernel.org tarball instead; its sha256
#                        must be recorded in kernels.lock ("tarball" line)
#                        or given as KERNEL_TARBALL_SHA256
#   KERNEL_SRC=DIR       use your own kernel tree; nothing is fetched
#   CACHE_DIR            default ~/.cache/mysyscall
#
# Result: BUILD_DIR/KERNEL/pristine, a link to the tree to patch.
# Exit codes: 0 ok, 2 bad variable, 6 missing program, 7 download or
# checksum failure.

. "${0%/*}/lib.sh"
handle_help "$@"

mkdir -p "$KDIR"

# Publish the tree for the patch stage (atomically replace the link).
publish() { # publish TREE
	ln -sfn "$1" "$KDIR/pristine.tmp"
	mv -T "$KDIR/pristine.tmp" "$KDIR/pristine"
}

# Extract a kernel tarball (any compression tar knows) into the cache,
# stripping its top directory. Atomic: a tree appears complete or not at all.
extract_tree() { # extract_tree TARBALL-OR-- ID  (reads stdin for "-")
	local input=$1 id=$2 tmp
	mkdir -p "$CACHE_DIR/trees"
	tmp=$(mktemp -d "$CACHE_DIR/trees/.tmp-$id.XXXXXX")
	# shellcheck disable=SC2064 # expand now: tmp is local
	trap "rm -rf '$tmp'" EXIT
	if ! tar -x -C "$tmp" --strip-components=1 -f "$input"; then
		die "$E_FETCH" "could not extract the kernel source for $id: a corrupt or truncated archive, or a full disk (see tar's message above); nothing was kept"
	fi
	if [ ! -f "$tmp/Makefile" ] || [ ! -f "$tmp/arch/x86/entry/syscalls/syscall_64.tbl" ]; then
		die "$E_FETCH" "$id does not hold an x86 kernel source tree"
	fi
	mv -T "$tmp" "$CACHE_DIR/trees/$id"
	trap - EXIT
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

refresh_apt_lists() { # refresh_apt_lists LOG
	if [ "$(id -u)" = 0 ]; then
		run "$1" apt-get update
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		run "$1" sudo -n apt-get update
	else
		return 1
	fi
}

fetch_user_tree() {
	if [ ! -f "$KERNEL_SRC/Makefile" ] || [ ! -f "$KERNEL_SRC/arch/x86/entry/syscalls/syscall_64.tbl" ]; then
		die "$E_USAGE" "KERNEL_SRC=$KERNEL_SRC is not a kernel source tree (no Makefile or arch/x86/entry/syscalls/syscall_64.tbl)"
	fi
	publish "$(cd "$KERNEL_SRC" && pwd)"
	say TREE "$KERNEL_SRC (linux-$(tree_version "$KERNEL_SRC"), your tree: read, never written)"
}

fetch_tarball() {
	local file want got id
	[ -r "$KERNEL_TARBALL" ] || die "$E_USAGE" "KERNEL_TARBALL=$KERNEL_TARBALL: no such file"
	file=${KERNEL_TARBALL##*/}
	want=${KERNEL_TARBALL_SHA256:-$(awk -v f="$file" '$1 == "tarball" && $2 == f { print $3 }' "$LOCK_FILE")}
	[ -n "$want" ] || die "$E_FETCH" "no sha256 recorded for $file. Check it against kernel.org's signed sha256sums.asc, then add the line 'tarball $file <sha256>' to $LOCK_FILE or set KERNEL_TARBALL_SHA256"
	id=tarball-${want:0:16}
	if [ ! -d "$CACHE_DIR/trees/$id" ]; then
		begin
		need tar xz sha256sum
		got=$(sha256_of "$KERNEL_TARBALL")
		[ "$got" = "$want" ] || die "$E_FETCH" "checksum mismatch for $KERNEL_TARBALL: expected $want, got $got (corrupt or wrong file; nothing was extracted)"
		extract_tree "$KERNEL_TARBALL" "$id"
		done_ FETCH "$file -> $CACHE_DIR/trees/$id"
	else
		say FETCH "$file (cached)"
	fi
	publish "$CACHE_DIR/trees/$id"
}

fetch_deb() {
	local deb id dir tmp got
	read_pin
	id=$PIN_PKG-$PIN_VERSION
	if [ -d "$CACHE_DIR/trees/$id" ]; then
		say FETCH "$PIN_PKG $PIN_VERSION (cached)"
		publish "$CACHE_DIR/trees/$id"
		return
	fi
	begin
	need apt-get dpkg-deb tar xz sha256sum
	dir=$CACHE_DIR/downloads
	mkdir -p "$dir"
	deb=$dir/${PIN_PKG}_${PIN_VERSION}_all.deb
	if [ ! -f "$deb" ]; then
		tmp=$(mktemp -d "$dir/.tmp.XXXXXX")
		# shellcheck disable=SC2064 # expand now: tmp is local
		trap "rm -rf '$tmp'" EXIT
		# A fresh or stale package list may not know the version yet:
		# refresh it once when we may (root, or sudo without a password).
		if ! (cd "$tmp" && run "$tmp/apt.log" apt-get download "$PIN_PKG=$PIN_VERSION") &&
			! { refresh_apt_lists "$tmp/apt.log" &&
				(cd "$tmp" && run "$tmp/apt.log" apt-get download "$PIN_PKG=$PIN_VERSION"); }; then
			cat "$tmp/apt.log" >&2
			die "$E_FETCH" "apt-get download $PIN_PKG=$PIN_VERSION failed. If apt does not know the package, run 'apt-get update' as root; if the version left Debian's archive, move the pin in $LOCK_FILE to one 'apt-cache policy $PIN_PKG' lists"
		fi
		mv "$tmp"/*.deb "$deb.part"
		rm -rf "$tmp"
		trap - EXIT
	else
		mv "$deb" "$deb.part"
	fi
	got=$(sha256_of "$deb.part")
	if [ "$got" != "$PIN_SHA256" ]; then
		rm -f "$deb.part"
		die "$E_FETCH" "checksum mismatch for $PIN_PKG $PIN_VERSION: expected $PIN_SHA256, got $got. The download was deleted and nothing was extracted; run again to download it anew"
	fi
	mv "$deb.part" "$deb"
	# The package holds one file of interest: usr/src/PACKAGE.tar.xz.
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$PIN_PKG.tar.xz" | xz -dc | extract_tree - "$id"
	done_ FETCH "$PIN_PKG $PIN_VERSION (linux-$(tree_version "$CACHE_DIR/trees/$id"))"
	publish "$CACHE_DIR/trees/$id"
}

if [ -n "${KERNEL_SRC:-}" ]; then
	fetch_user_tree
elif [ -n "${KERNEL_TARBALL:-}" ]; then
	fetch_tarball
else
	fetch_deb
fi
