#!/usr/bin/env bash
# dist.sh: pack the built kernel and initramfs into a tarball that boots
# anywhere QEMU runs, with nothing else to build or install.
#
# Usage: scripts/dist.sh [--help]                              (make dist)
#
# Writes dist/mysyscall-RELEASE-x86_64.tar.gz (CONFIG=base; another
# CONFIG is named mysyscall-RELEASE-CONFIG-x86_64.tar.gz; ARCH=arm64 or
# riscv64 ends in -arm64.tar.gz, -riscv64.tar.gz), which unpacks
# to one directory of the same name holding:
#   boot            scripts/dist-boot.sh (POSIX sh): "./boot" gives a shell in
#                   the guest, "./boot --test" runs the guest tests,
#                   "./boot --version" prints VERSION (needs only QEMU)
#   verdict.awk     scripts/verdict.awk: the judge of a --test boot (POSIX awk)
#   bzImage         the kernel (BUILD_DIR/KERNEL/CONFIG/obj; Image for arm64
#                   and riscv64)
#   initramfs.cpio  BusyBox, the tests, the add10/mysyscall tools, strace
#                   (x86-64)
#   cmdline         the kernel arguments this configuration needs
#   config          the kernel's resolved .config
#   patches/        the series the kernel was built with
#   README          what it is (VERSION's lines) and how to boot it
#   VERSION         the kernel and its source, the configuration, the
#                   series (version, patches, their hash), the mysyscall
#                   commit that made it, how to check SHA256SUMS
#   SHA256SUMS      of all of the above; boot checks it before booting
# The same build gives the same tarball, byte for byte: fixed timestamps,
# owners and order (tar --sort=name, gzip -n). Written through a
# temporary file, so a tarball in dist/ is always complete.
# DIST_DIR=dir puts it elsewhere. Run make initramfs (or make qemu-test)
# first; make dist does.
#
# Exit codes: 0 ok, 2 nothing built yet, 3 packing failed.

. "$(dirname -- "$0")/lib.sh" || exit 8
handle_help "$@"
lock_build

DIST_DIR=${DIST_DIR:-$ROOT/dist}
image=$IMAGE
for f in "$image" "$OUT/initramfs.cpio" "$OBJ/.config" "$OBJ/include/config/kernel.release"; do
	[ -f "$f" ] || die "$E_USAGE" "no $f; build first: make initramfs KERNEL=$KERNEL CONFIG=$CONFIG${ARCH_SUFFIX:+ ARCH=$GUEST_ARCH}"
done
need tar gzip sha256sum
release=$(cat "$OBJ/include/config/kernel.release")
if [ -n "${KERNEL_SRC:-}${KERNEL_TARBALL:-}" ]; then
	source_is="a tree of the builder's own (KERNEL=$KERNEL)"
else
	read_pin
	source_is="Debian's $PIN_PKG $PIN_VERSION ($PIN_SUITE), sha256 ${PIN_SHA256:0:16}..."
fi
name=mysyscall-$release
[ "$CONFIG" = base ] || name+=-$CONFIG
name+=-$GUEST_ARCH
case "$GUEST_ARCH" in
x86_64) arch_is=x86-64 ;;
arm64) arch_is="arm64 (QEMU's virt machine)" ;;
riscv64) arch_is="riscv64 (QEMU's virt machine, OpenSBI)" ;;
esac
# strace is packed for a guest of the host's architecture only
try_strace=""
! grep -q '^file /usr/bin/strace ' "$OUT/initramfs.list" 2>/dev/null || try_strace=" strace add10 5,"
load_series
# The series' version, as git format-patch -v writes it: "[PATCH vN m/n]".
series_v=$(sed -n '/^Subject: \[PATCH v\([0-9]*\) .*/{s//v\1/p;q;}' "$ROOT/patches/${series[0]}")
made_by=$(git -C "$ROOT" describe --always --tags --dirty 2>/dev/null || echo "(not a git checkout)")

begin
mkdir -p "$DIST_DIR"
stage=$(mktemp -d "$DIST_DIR/.$name.XXXXXX")
trap 'rm -rf "$stage"' EXIT
d=$stage/$name
mkdir -p "$d/patches"
cp "$ROOT/scripts/dist-boot.sh" "$d/boot"
cp "$ROOT/scripts/verdict.awk" "$d/verdict.awk"
cp "$image" "$d/$IMAGE_NAME"
cp "$OUT/initramfs.cpio" "$d/initramfs.cpio"
cp "$OBJ/.config" "$d/config"
# the series as applied to this kernel (in the forms it takes, if any)
cp "$SRC/patches/series" "${series[@]/#/$SRC/patches/}" "$d/patches/"
{
	echo "# Kernel arguments for this build (CONFIG=$CONFIG); boot adds them."
	[ ! -f "$ROOT/kernel-config/$CONFIG.cmdline" ] || sed '/^#/d' "$ROOT/kernel-config/$CONFIG.cmdline"
} >"$d/cmdline"
cat >"$d/VERSION" <<EOF
$name
kernel:        Linux $release, $arch_is; source: $source_is
configuration: $CONFIG (kernel-config/base.config + arch/$GUEST_ARCH.config$([ "$CONFIG" = base ] || echo " + $CONFIG.config") on tinyconfig)
series:        ${series_v:-v1}, ${#series[@]} patches (patches/), sha256 ${series_hash:0:16}...
made by:       mysyscall $made_by: make dist KERNEL=$KERNEL CONFIG=$CONFIG${ARCH_SUFFIX:+ ARCH=$GUEST_ARCH}
checksums:     sha256sum -c SHA256SUMS (macOS: shasum -a 256 -c SHA256SUMS);
               ./boot checks them before every boot
EOF
{
	cat "$d/VERSION"
	cat <<EOF

mysyscall(2) = 548, add10(2) = 549 on $arch_is, ready to boot in QEMU:

  ./boot            a BusyBox shell in the guest, on this terminal
                    (quit with Ctrl-a x, or "exit"). Try: add10 10,
                    mysyscall hello, dmesg | tail -n 1,$try_strace
                    man 2 add10, /usr/lib/mysyscall/kselftest/run_kselftest.sh
  ./boot --test     run the guest tests; exit status 0 when all passed
  ./boot --version  the lines above
  ./boot --help     the variables (ACCEL=kvm|hvf|tcg, SMP, MEM, APPEND,
                    TESTS) and the exit codes

Needs only $QEMU_BIN and a POSIX sh with the basic utilities
(BusyBox's are enough): Debian, Ubuntu: apt-get install $QEMU_PKG;
macOS: brew install qemu. KVM is used when /dev/kvm works, HVF on a
Mac, for a host of the guest's architecture; a guest that hangs under it (nested virtualisation) is
detected and TCG used instead. config is the kernel's .config, patches/
the series it was built from.
EOF
} >"$d/README"
chmod 0755 "$d" "$d/patches" "$d/boot"
chmod 0644 "$d/verdict.awk" "$d/$IMAGE_NAME" "$d/initramfs.cpio" "$d/config" "$d/cmdline" "$d/README" "$d/VERSION" "$d"/patches/*
(
	cd "$d"
	files=$(find . -type f | sed 's|^\./||' | sort)
	# shellcheck disable=SC2086 # the names have no spaces
	sha256sum $files >SHA256SUMS
)

tarball=$DIST_DIR/$name.tar.gz
epoch=$(date -d "$KBUILD_BUILD_TIMESTAMP" +%s)
if ! tar -C "$stage" --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
	--mode=go-w -cf - "$name" | gzip -9n >"$stage/out.tar.gz"; then
	die "$E_BUILD" "packing $tarball failed (disk full?)"
fi
mv "$stage/out.tar.gz" "$tarball"
step_done DIST "${tarball#"$ROOT"/}, $(du -k "$tarball" | cut -f1) KiB"
