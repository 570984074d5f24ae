#!/usr/bin/env bash
# configure.sh: make the kernel .config from tinyconfig and our fragments.
#
# Usage: scripts/configure.sh [--save] [--help]
#
# Runs "make tinyconfig" for ARCH, merges kernel-config/base.config,
# kernel-config/arch/ARCH.config (and kernel-config/CONFIG.config when
# CONFIG is set) with the tree's scripts/kconfig/merge_config.sh, resolves it
# with "make olddefconfig". Every option the fragments ask for must
# survive; if one does not, it stops and names it. An option the tree
# does not have at all (one added after that release) is named and
# skipped. The .config is only
# replaced when it changed, so kbuild rebuilds nothing needlessly.
#
# A fragment with a line "# mysyscall-seed: CONFIG" (nosyscall.config)
# starts from a copy of CONFIG's build output the first time, so that
# kbuild only rebuilds what its options change.
#
#   --save   also write the resolved config to
#            kernel-config/resolved/linux-VERSION-CONFIG.config
#            (linux-VERSION-CONFIG-ARCH.config for arm64 and riscv64)
#
# Exit codes: 0 ok, 3 an option did not survive or kconfig failed.

. "$(dirname -- "$0")/lib.sh" || exit 8
SAVE=0
case "${1:-}" in
--save) SAVE=1 ;;
*) handle_help "$@" ;;
esac
lock_build

[ -d "$SRC" ] || die "$E_USAGE" "no patched tree at $SRC; run scripts/patch.sh (make patch) first"
config_fragments

# Nothing to do when none of the inputs changed since the last run and
# the .config still has every option the fragments ask for (checked on
# every run, as kunit.py does: an edit of a Kconfig file in src, or a
# hand edit of .config, can drop one).
stamp=$OBJ/.mysyscall-config-inputs
load_series
inputs=$( (cat "$SRC/.mysyscall-pristine" && cat "${fragments[@]}" && echo "$series_hash") | sha256sum)
if [ "$SAVE" = 0 ] && [ -f "$OBJ/.config" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$inputs" ]; then
	check_config "$OBJ/.config"
	if [ "${#lost[@]}" = 0 ]; then
		say CONFIG "up to date"
		exit 0
	fi
	say CONFIG "${OBJ#"$ROOT"/}/.config lost what the fragments ask for (${lost[*]## }): configuring again"
fi

begin
# A fragment with a line "# mysyscall-seed: CONFIG" starts, the first
# time, from a copy of that configuration's build output: kbuild records
# which options each object depends on, so it then rebuilds only what the
# changed options touch (for nosyscall: a few files, and the link)
# (copy_kbuild_output renames the paths kbuild recorded).
seed=$(sed -n 's/^# mysyscall-seed: *\([A-Za-z0-9_-]*\).*/\1/p' "${fragments[@]:1}" /dev/null)
if [ -n "$seed" ] && [ "$seed" != "$CONFIG" ] && [ ! -e "$OBJ" ] && [ -f "$KDIR/$seed$ARCH_SUFFIX/obj/vmlinux" ]; then
	mkdir -p "$OUT"
	copy_kbuild_output "$KDIR/$seed$ARCH_SUFFIX/obj" "$OBJ"
	say SEED "${OBJ#"$ROOT"/} from ${KDIR#"$ROOT"/}/$seed$ARCH_SUFFIX/obj: kbuild rebuilds what the options change"
fi
mkdir -p "$OBJ" "$LOGS"
log=$LOGS/configure.log
: >"$log"
# kconfig runs in an output directory of its own with the default
# .config name: 6.6's tinyconfig merges into ".config" whatever
# KCONFIG_CONFIG says. The result replaces OBJ/.config only when it
# differs. One such directory for all configurations of a kernel and
# architecture (runs on a kernel take turns: lock_build): kbuild keeps
# the kconfig programs it builds there (conf, fixdep) up to date, so only
# the first configuration compiles them. Only the configuration is
# started anew.
scratch=$KDIR/kconfig$ARCH_SUFFIX
mkdir -p "$scratch"
rm -f "$scratch/.config" "$scratch/.config.old"
new=$scratch/.config
kmake() { run "$log" make -C "$SRC" O="$scratch" -j"$JOBS" "${kbuild_vars[@]}" "$@"; }

if ! kmake tinyconfig ||
	! (cd "$SRC" && run "$log" scripts/kconfig/merge_config.sh -m -O "$scratch" "$new" "${fragments[@]}") ||
	! kmake olddefconfig; then
	show_log_tail "$log"
	die "$E_BUILD" "kconfig failed (see $log)"
fi

# Every requested value must be in the result. The last fragment wins.
# An option this tree's Kconfig does not know at all (added in a later
# release) is reported and skipped; one it knows must survive.
check_config "$new"
if [ "${#unknown[@]}" -gt 0 ]; then
	say CONFIG "linux-$(tree_version "$SRC") has no ${unknown[*]}: skipped"
fi
if [ "${#lost[@]}" -gt 0 ]; then
	printf '%s after olddefconfig\n' "${lost[@]}" >&2
	die "$E_BUILD" "kernel options did not survive olddefconfig: a dependency is missing. To see what an option depends on: 'make -C $SRC O=$OBJ menuconfig', then '/' and its name; fix kernel-config/ accordingly"
fi

if cmp -s "$new" "$OBJ/.config"; then
	say CONFIG "unchanged"
else
	cp "$new" "$OBJ/.config.tmp"
	mv "$OBJ/.config.tmp" "$OBJ/.config"
	names=$(printf ' + %s' "${fragments[@]##*/}")
	step_done CONFIG "tinyconfig$names -> $OBJ/.config"
fi

echo "$inputs" >"$stamp"

if [ "$SAVE" = 1 ]; then
	out=$ROOT/kernel-config/resolved/linux-$(tree_version "$SRC")-$CONFIG$ARCH_SUFFIX.config
	mkdir -p "${out%/*}"
	cp "$OBJ/.config" "$out.tmp"
	mv "$out.tmp" "$out"
	say SAVE "${out#"$ROOT"/}"
fi
