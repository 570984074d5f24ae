#!/usr/bin/env bash
# fetch.sh: get a pristine kernel tree, verified, into the cache (once).
#
# Usage: scripts/fetch.sh [--help]
#
# For a guest of another architecture than the host's (ARCH=arm64 on an
# x86-64 host, say), it also fetches that architecture's busybox-static
# pinned in kernels.lock ("busybox ARCH ..." lines), unless BUSYBOX names
# one.
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

. "$(dirname -- "$0")/lib.sh" || exit 8
handle_help "$@"
lock_build

writable_dir "$BUILD_DIR" BUILD_DIR
mkdir -p "$KDIR"
foreign_busybox=0
[ -n "${BUSYBOX:-}" ] || [ "$GUEST_ARCH" = "$HOST_ARCH" ] || foreign_busybox=1
if [ -z "${KERNEL_SRC:-}" ] || [ "$foreign_busybox" = 1 ]; then
	writable_dir "$CACHE_DIR" CACHE_DIR
fi

# Publish the tree for the patch stage (atomically replace the link).
publish() { # publish TREE
	ln -sfn "$1" "$KDIR/pristine.tmp.$$"
	mv -T "$KDIR/pristine.tmp.$$" "$KDIR/pristine"
}

# Extract a kernel tarball (any compression tar knows) into the cache,
# stripping its top directory. Atomic: a tree appears complete or not at all.
extract_tree() { # extract_tree TARBALL-OR-- ID  (reads stdin for "-")
	local input=$1 id=$2 tmp
	mkdir -p "$CACHE_DIR/trees"
	# What an earlier run left when it was stopped (Ctrl-C between mktemp
	# and its trap, a SIGKILL): callers hold the cache's fetch lock, so no
	# other run is extracting into one of these.
	rm -rf "$CACHE_DIR/trees/.tmp-$id."*
	tmp=$(mktemp -d "$CACHE_DIR/trees/.tmp-$id.XXXXXX")
	# shellcheck disable=SC2064 # expand now: tmp is local
	trap "rm -rf '$tmp'" EXIT
	if ! tar -x -C "$tmp" --strip-components=1 -f "$input"; then
		die "$E_FETCH" "could not extract the kernel source for $id: a corrupt or truncated archive, or a full disk (see tar's message above); nothing was kept"
	fi
	if [ ! -f "$tmp/Makefile" ] || [ ! -f "$tmp/arch/x86/entry/syscalls/syscall_64.tbl" ]; then
		die "$E_FETCH" "$id does not hold an x86 kernel source tree"
	fi
	chmod 755 "$tmp"
	mv -T "$tmp" "$CACHE_DIR/trees/$id"
	trap - EXIT
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

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
		step_done FETCH "$file -> $CACHE_DIR/trees/$id"
	else
		say FETCH "$file (cached)"
	fi
	publish "$CACHE_DIR/trees/$id"
}

# find_pin LOG: make sure apt's lists (ours, in CACHE_DIR/apt) know the
# pinned version, refreshing them once; a version that has left Debian's
# archive stops here, before any download, naming the fix.
# (Read whole: grep -q would end the pipe early, and pipefail would take
# apt-cache's SIGPIPE for "not known".)
apt_suites=() # apt_update's suites: the kernel pins' (all of them), or one
pin_known() { [[ $(apt_cache show "$PIN_PKG=$PIN_VERSION" 2>/dev/null || true) == *"Package: $PIN_PKG"* ]]; }
find_pin() { # find_pin LOG [refresh]
	local log=$1 have
	if [ "${2:-}" = refresh ] || [ ! -f "$APT_DIR/sources.list" ] ||
		! grep -q " $PIN_SUITE main\$" "$APT_DIR/sources.list" || ! pin_known; then
		say APT "package lists of ${PIN_SUITE} (in ${APT_DIR})"
		with_lock "$APT_DIR.lock" apt_update "$log" "${apt_suites[@]}"
	fi
	pin_known && return
	have=$(apt_cache madison "$PIN_PKG" 2>/dev/null | awk -F' *[|] *' '{ printf "%s%s", sep, $2; sep = ", " }')
	die "$E_FETCH" "$PIN_PKG $PIN_VERSION, pinned for ${pin_for:-KERNEL=$KERNEL} in ${LOCK_FILE#"$ROOT"/}, is no longer in Debian's archive ($PIN_SUITE has: ${have:-no $PIN_PKG at all}). ${pin_fix:-Run 'make update-pins' to move the pin to the newest version, then commit kernels.lock}"
}

download_deb() { # download_deb DEB: the pinned .deb, verified, at DEB
	local deb=$1 tmp got
	rm -rf "${deb%/*}/.tmp."* # an interrupted earlier download's (under the lock, as above)
	tmp=$(mktemp -d "${deb%/*}/.tmp.XXXXXX")
	# shellcheck disable=SC2064 # expand now: tmp is local
	trap "rm -rf '$tmp'" EXIT
	find_pin "$tmp/apt.log"
	if ! (cd "$tmp" && run "$tmp/apt.log" apt_get download "$PIN_PKG=$PIN_VERSION"); then
		# Stale lists name a version the archive no longer has: ask again.
		find_pin "$tmp/apt.log" refresh
		show_log_tail "$tmp/apt.log" 10
		die "$E_FETCH" "apt-get download $PIN_PKG=$PIN_VERSION failed (see apt's words above), though Debian's index lists it: no network to Debian's archive?"
	fi
	got=$(sha256_of "$tmp/${PIN_PKG}_"*.deb)
	[ "$got" = "$PIN_SHA256" ] ||
		die "$E_FETCH" "checksum mismatch for $PIN_PKG $PIN_VERSION: expected $PIN_SHA256 (kernels.lock), got $got. Nothing was kept; run again to download it anew, or 'make update-pins' if Debian rebuilt the package"
	mv "$tmp/${PIN_PKG}_"*.deb "$deb"
	rm -rf "$tmp"
	trap - EXIT
}

fetch_deb() {
	local deb id
	read_pin
	id=$PIN_PKG-$PIN_VERSION
	if [ -d "$CACHE_DIR/trees/$id" ]; then
		say FETCH "$PIN_PKG $PIN_VERSION (cached)"
		publish "$CACHE_DIR/trees/$id"
		return
	fi
	begin
	need apt-get dpkg-deb tar xz sha256sum flock
	mkdir -p "$CACHE_DIR/downloads"
	deb=$CACHE_DIR/downloads/${PIN_PKG}_${PIN_VERSION}_all.deb
	if [ -f "$deb" ] && [ "$(sha256_of "$deb")" != "$PIN_SHA256" ]; then
		say FETCH "$deb does not match kernels.lock: downloading it again"
		rm -f "$deb"
	fi
	[ -f "$deb" ] || download_deb "$deb"
	# The package holds one file of interest: usr/src/PACKAGE.tar.xz.
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$PIN_PKG.tar.xz" | xz -dc -T0 | extract_tree - "$id"
	step_done FETCH "$PIN_PKG $PIN_VERSION from $PIN_SUITE (linux-$(tree_version "$CACHE_DIR/trees/$id"))"
	publish "$CACHE_DIR/trees/$id"
}

# The BusyBox of a guest of another architecture than the host's: the
# busybox-static pinned for it in kernels.lock, from Debian's archive
# through apt lists of that architecture alone (CACHE_DIR/apt-DEBARCH),
# verified, its one program kept in CACHE_DIR/busybox/ARCH-VERSION/ and
# published as CACHE_DIR/busybox/ARCH (scripts/initramfs.sh packs it).
fetch_busybox() {
	local deb dir=$CACHE_DIR/busybox id tmp bb
	read_busybox_pin
	id=$GUEST_ARCH-${PIN_VERSION//:/_}
	if [ -x "$dir/$id/busybox" ]; then
		say FETCH "$PIN_PKG $PIN_VERSION for $DEB_ARCH (cached)"
	else
		begin
		need apt-get dpkg-deb sha256sum file
		APT_DIR=$CACHE_DIR/apt-$DEB_ARCH APT_ARCH=$DEB_ARCH
		apt_suites=("$PIN_SUITE")
		pin_for="a $GUEST_ARCH guest's BusyBox"
		pin_fix="Put the version and sha256 it has (apt-cache show) on the line 'busybox $GUEST_ARCH ...' of kernels.lock, or give BUSYBOX=/path/to/a/static/$GUEST_ARCH/busybox"
		mkdir -p "$CACHE_DIR/downloads" "$dir"
		deb=$CACHE_DIR/downloads/${PIN_PKG}_${PIN_VERSION//:/_}_$DEB_ARCH.deb
		if [ -f "$deb" ] && [ "$(sha256_of "$deb")" != "$PIN_SHA256" ]; then
			say FETCH "$deb does not match kernels.lock: downloading it again"
			rm -f "$deb"
		fi
		[ -f "$deb" ] || download_deb "$deb"
		rm -rf "$dir/.tmp-$id."* # an interrupted earlier run's (under the lock)
		tmp=$(mktemp -d "$dir/.tmp-$id.XXXXXX")
		# shellcheck disable=SC2064 # expand now: tmp is local
		trap "rm -rf '$tmp'" EXIT
		dpkg-deb -x "$deb" "$tmp/root" || die "$E_FETCH" "could not unpack $deb (corrupt? delete it and run again)"
		for bb in "$tmp/root/bin/busybox" "$tmp/root/usr/bin/busybox" ""; do
			[ -z "$bb" ] || [ ! -f "$bb" ] || break
		done
		[ -n "$bb" ] || die "$E_FETCH" "$deb holds no bin/busybox or usr/bin/busybox"
		is_static "$bb" || die "$E_FETCH" "the busybox of $deb is not statically linked"
		mv "$bb" "$tmp/busybox"
		rm -rf "$tmp/root"
		chmod 755 "$tmp"
		mv -T "$tmp" "$dir/$id"
		trap - EXIT
		step_done FETCH "$PIN_PKG $PIN_VERSION for $DEB_ARCH from $PIN_SUITE -> $dir/$id/busybox"
	fi
	ln -sfn "$id" "$dir/$GUEST_ARCH.tmp.$$"
	mv -T "$dir/$GUEST_ARCH.tmp.$$" "$dir/$GUEST_ARCH"
}

# One fetch of a tree at a time (per cache): a second run waits, then
# finds the tree extracted.
if [ -n "${KERNEL_SRC:-}" ]; then
	fetch_user_tree
elif [ -n "${KERNEL_TARBALL:-}" ]; then
	with_lock "$CACHE_DIR/fetch.lock" fetch_tarball
else
	with_lock "$CACHE_DIR/fetch.lock" fetch_deb
fi
if [ "$foreign_busybox" = 1 ]; then
	with_lock "$CACHE_DIR/fetch.lock" fetch_busybox
fi
