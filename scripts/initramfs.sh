#!/usr/bin/env bash
# initramfs.sh: pack the guest's initramfs with the tree's gen_init_cpio.
#
# Usage: scripts/initramfs.sh [--help]
#
# Packs, into BUILD_DIR/KERNEL/CONFIG/initramfs.cpio (uncompressed newc):
#   /init                       initramfs/init
#   /bin/busybox + its applets  Debian's busybox-static (the host's; for
#                               another architecture, the one fetch.sh
#                               downloads for it: kernels.lock pins it)
#   /dev/console                a device node (no root needed: gen_init_cpio)
#   /usr/...                    what scripts/build-tests.sh built
#   /usr/share/man/manN/        the manual pages in man/ (sources)
#   /usr/share/man/catN/        the same rendered by mandoc as plain text,
#                               for initramfs/usr/bin/man: the guest has
#                               no roff and BusyBox no man
#   everything else in initramfs/ (kept at the same path)
#   /usr/bin/strace             the host's, with the shared libraries ldd
#                               lists at their paths (GUEST_PROGRAMS=strace
#                               names the host programs to copy; empty: none;
#                               the default for a guest of another
#                               architecture: /usr/lib/mysyscall/no-strace
#                               then says why, for the guest's check)
# Every entry gets the same timestamp (KBUILD_BUILD_TIMESTAMP), so the
# same inputs give the same bytes. The file is only replaced when changed.
# The list is written here and packed by the tree's usr/gen_init_cpio -t
# rather than made by usr/gen_initramfs.sh from a staged directory:
# 5.15's gen_initramfs.sh has no -d DATE, so its directories would get
# the time of the build, and a staged copy of BusyBox, strace and its
# libraries would cost a copy per run for what a list line names.
#
# Exit codes: 0 ok, 3 packing failed, 6 busybox-static, mandoc or strace
# missing.

. "$(dirname -- "$0")/lib.sh" || exit 8
handle_help "$@"
lock_build

BUSYBOX=${BUSYBOX:-$(busybox_default)}
# The host's programs run in a guest of the host's architecture only.
if [ "$GUEST_ARCH" = "$HOST_ARCH" ]; then
	GUEST_PROGRAMS=${GUEST_PROGRAMS-strace}
else
	GUEST_PROGRAMS=${GUEST_PROGRAMS-}
fi
GEN=$OBJ/usr/gen_init_cpio
guest=$OUT/guest
out=$OUT/initramfs.cpio
[ -x "$GEN" ] || die "$E_USAGE" "no $GEN; run scripts/build.sh (make kernel) first"
[ -d "$guest" ] || die "$E_USAGE" "no $guest; run scripts/build-tests.sh (make tests) first"
if [ ! -x "$BUSYBOX" ] && [ "$GUEST_ARCH" != "$HOST_ARCH" ]; then
	die "$E_DEPS" "no $GUEST_ARCH BusyBox at $BUSYBOX; run scripts/fetch.sh (make fetch ARCH=$GUEST_ARCH) to download Debian's busybox-static for $DEB_ARCH, or set BUSYBOX="
fi
[ -x "$BUSYBOX" ] || die "$E_DEPS" "no BusyBox at $BUSYBOX; install busybox-static (make deps) or set BUSYBOX="
need file
is_static "$BUSYBOX" ||
	die "$E_DEPS" "$BUSYBOX is not statically linked; install busybox-static (make deps) or set BUSYBOX="
# ... and for the guest's architecture (file(1)'s words for each)
case "$GUEST_ARCH" in x86_64) want="x86-64" ;; arm64) want="aarch64" ;; riscv64) want="RISC-V" ;; esac
[[ $(file -L "$BUSYBOX") == *"$want"* ]] ||
	die "$E_DEPS" "$BUSYBOX is not a program for $GUEST_ARCH ($(file -L -b "$BUSYBOX" | cut -d, -f1-2)); give BUSYBOX= a static BusyBox for $GUEST_ARCH, or leave BUSYBOX unset"
command -v mandoc >/dev/null 2>&1 ||
	die "$E_DEPS" "'mandoc' is not installed (it renders man/ for the guest's man); run 'make deps' (or scripts/deps.sh) to install it"

begin

# update FILE CMD...: FILE gets CMD's output, through a temporary file,
# and is only replaced when that differs.
update() {
	local f=$1
	shift
	mkdir -p "${f%/*}"
	if ! "$@" >"$f.tmp"; then
		rm -f "$f.tmp"
		die "$E_BUILD" "could not write $f ($*)"
	fi
	if cmp -s "$f.tmp" "$f"; then rm -f "$f.tmp"; else mv "$f.tmp" "$f"; fi
}
# Plain text: no backspace overstrike, which BusyBox less would show raw.
render() { mandoc -Tascii "$1" | sed 's/.\x08//g'; }

# The manual pages, into MANTREE/usr/share/man: every source copied and
# rendered on every run (mandoc takes milliseconds), so an edited page
# is never stale; files whose source is gone are removed.
mantree=$OUT/man
mandir=$mantree/usr/share/man
if [ -d "$mandir" ]; then
	while IFS= read -r -d '' f; do
		rel=${f#"$mandir"/}
		[ -f "$ROOT/man/${rel/#cat/man}" ] || rm -f "$f"
	done < <(find "$mandir" -type f -print0)
	find "$mandir" -mindepth 1 -type d -empty -delete
fi
for src in "$ROOT"/man/man[1-9]/*.[1-9]; do
	[ -f "$src" ] || continue
	rel=${src#"$ROOT"/man/}
	update "$mandir/$rel" cat "$src"
	update "$mandir/cat${rel#man}" render "$src"
done

list=$OUT/initramfs.list
declare -A seen
entry() { # entry TYPE NAME REST...: add once, parents first
	local name=$2 parent=${2%/*}
	[ -n "${seen[$name]:-}" ] && return
	if [ -n "$parent" ] && [ -z "${seen[$parent]:-}" ]; then
		entry dir "$parent" 0755 0 0
	fi
	seen[$name]=1
	echo "$@"
}

{
	for d in /bin /sbin /usr /usr/bin /usr/sbin /dev /proc /sys /run /root /etc; do
		entry dir "$d" 0755 0 0
	done
	entry dir /tmp 1777 0 0
	entry nod /dev/console 0600 0 0 c 5 1
	entry file /init "$ROOT/initramfs/init" 0755 0 0

	# Our programs and pages, then the rest of initramfs/, then BusyBox: the first
	# entry for a path wins, so ours shadow BusyBox applets.
	for tree in "$guest" "$mantree" "$ROOT/initramfs"; do
		while IFS= read -r -d '' p; do
			rel=/${p#"$tree"/}
			[ "$rel" = /init ] && continue
			if [ -d "$p" ]; then
				entry dir "$rel" "$(stat -c %a "$p")" 0 0
			else
				entry file "$rel" "$p" "$(stat -c %a "$p")" 0 0
			fi
		done < <(find "$tree" -mindepth 1 \( -type d -o -type f \) -print0 | sort -z)
	done

	# Host programs for the guest (strace), with the libraries ldd names.
	# Without strace the guest's check of it says SKIP, with this reason.
	if [[ " $GUEST_PROGRAMS " != *" strace "* ]]; then
		if [ "$GUEST_ARCH" != "$HOST_ARCH" ]; then
			echo "no strace: the host's is a $HOST_ARCH program, the guest $GUEST_ARCH (the rig packs the host's strace for a guest of its own architecture)"
		else
			echo "no strace: GUEST_PROGRAMS=\"$GUEST_PROGRAMS\" leaves it out"
		fi >"$OUT/no-strace"
		entry file /usr/lib/mysyscall/no-strace "$OUT/no-strace" 0644 0 0
	fi
	for prog in $GUEST_PROGRAMS; do
		path=$(command -v "$prog") ||
			die "$E_DEPS" "'$prog' (for the guest) is not installed; run 'make deps', or set GUEST_PROGRAMS="
		entry file "/usr/bin/$prog" "$(readlink -f "$path")" 0755 0 0
		while read -r lib; do
			entry file "$lib" "$(readlink -f "$lib")" 0755 0 0
		done < <(ldd "$path" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }')
	done

	entry file /bin/busybox "$BUSYBOX" 0755 0 0
	# Its applets, as links: listed by BusyBox itself. One this host
	# cannot run (another architecture's) gets /bin/sh only, for /init,
	# which links the others at boot (busybox --install).
	if applets=$("$BUSYBOX" --list-full 2>/dev/null) && [ -n "$applets" ]; then
		while read -r applet; do
			entry slink "/$applet" /bin/busybox 0777 0 0
		done < <(sort <<<"$applets")
	else
		entry slink /bin/sh /bin/busybox 0777 0 0
	fi
} >"$list.tmp"
mv "$list.tmp" "$list"

epoch=$(date -d "$KBUILD_BUILD_TIMESTAMP" +%s)
if ! "$GEN" -t "$epoch" "$list" >"$out.tmp"; then
	rm -f "$out.tmp"
	die "$E_BUILD" "gen_init_cpio failed on $list"
fi
if cmp -s "$out.tmp" "$out"; then
	rm -f "$out.tmp"
	say CPIO "unchanged"
else
	mv "$out.tmp" "$out"
	step_done CPIO "${out#"$ROOT"/}, $(du -k "$out" | cut -f1) KiB"
fi
