#!/usr/bin/env bash
# check.sh: the whole suite: what "make check" and CI (.ci/run) run.
#
# Usage: scripts/check.sh [--list] [--help]
#
#   --list   print the parts this run would run, one a line (its name, a
#            tab, its command), and run none of them
#
# Parts, in order (each prints its own results):
#   qemu-test   the full pipeline, the guest tests (with STRESS=1: and the
#               stress tests) and KUnit:
#               CONFIG=base       the default, on 6.12 (x86-64), and with
#                                 ARCH=arm64 and ARCH=riscv64 on the
#                                 newest pin (7.3)
#               CONFIG=nosyscall  without CONFIG_MYSYSCALL: the same guest
#                                 tests must see ENOSYS (negative control),
#                                 on 6.12
#               CONFIG=debug      on 6.12: under KASAN, KFENCE, UBSAN,
#                                 lockdep, DEBUG_ATOMIC_SLEEP, hardened
#                                 usercopy, FORTIFY_SOURCE, no stack
#                                 zeroing, fault injection and syscall
#                                 tracing, with panic_on_warn=1
#   W=1         kernel/mysyscall.c with W=1 and sparse with each kernel
#               built in base: quiet
#   methods     quilt, git am and patch -p1 apply the series with fuzz 0
#               to every pinned tree and to the fixtures of other
#               releases (5.15, 6.6, 6.18, 7.2) alike (scripts/methods-check.sh)
#   gdb         the CONFIG=debug kernel under gdb: break in add10, read its
#               argument from pt_regs, finish (scripts/gdb.sh --test)
#   lint        ShellCheck, checkpatch --strict, mandoc, the workflows
#               against GitHub's schema (scripts/lint.sh)
#   tree        build/KERNEL/src matches patches/, and the committed
#               kernel-config/resolved/ configs match the ones built
#   host        the bats tests in tests/: failures the rig must report,
#               make dist's tarballs booted with only QEMU
# CHECK_KERNELS="6.1" runs only what concerns those pinned kernels (a CI
# matrix job each): each boots base, nosyscall and debug on x86-64, the
# newest also nosyscall on arm64 and riscv64; 6.12's job adds
#   CONFIG=kmsan      built with clang (LLVM=1), under KMSAN, the series'
#                     kselftests only (every program is slow): Debian's
#                     clang 14 is too old for 7.x
#   series            every patch builds on its own (scripts/series-check.sh)
#   kunit             the KUnit suite through the tree's own kunit.py, as a
#                     user of a patched tree runs it: kunit.py run
#                     --kunitconfig=kernel/tests (a UML kernel; scripts/kunit.sh)
# and the methods, gdb and host parts. CHECK_ARCHS="arm64" keeps only that
# architecture's share (the parts that boot no kernel go with x86_64).
# Without CHECK_KERNELS, on one machine, what only the jobs run (the other
# pins' x86-64 kernels, KMSAN, the per-patch builds, kunit.py: well over
# an hour of this machine's time on a slow day) is left out, so that the
# whole suite stays inside CI's 90 minutes: measured 2026-12-07, 6.12's
# three configurations, 6.1, arm64, riscv64 and the host tests took about
# 90 minutes on one slow machine, 6.1 about 10 of them.
# Installs what it needs first (scripts/deps.sh --for-check). Ends with the
# sum of all parts: "N passed, N failed". A part that fails without
# reporting a count counts as one failed test.
#
# Exit codes: 0 everything passed, 1 something failed, 6 missing packages.

# The suite is the whole suite on the pinned kernels: nothing that picks
# a part of it or another tree for make qemu-test (a KERNEL_SRC of yours,
# TESTS=add10 exported for something else) may change what it tests.
ignored=()
for v in KERNEL CONFIG ARCH CROSS_COMPILE TESTS STRESS APPEND USERSPACE_TESTS MODE KERNEL_SRC KERNEL_TARBALL \
	KERNEL_TARBALL_SHA256 KERNEL_IMAGE INITRAMFS CMDLINE_FILE KCONFIG QEMU_ARGS LABEL \
	GUEST_PROGRAMS LOG_DIR LOCK_FILE; do
	[ -z "${!v:-}" ] || ignored+=("$v=${!v}")
	unset "$v"
done
. "$(dirname -- "$0")/lib.sh" || exit 8
[ "${#ignored[@]}" = 0 ] || say NOTE "make check runs the whole suite on the pinned kernels: ignoring ${ignored[*]}"
LIST=0
case "${1:-}" in
--list) LIST=1 ;;
*) handle_help "$@" ;;
esac
cd "$ROOT"

[ "$LIST" = 1 ] || "$ROOT/scripts/deps.sh" --for-check || {
	echo "0 passed, 1 failed"
	exit "$E_DEPS"
}

passed=0 failed=0 skipped=0
tally() { # tally RC OUTPUT-FILE: add a part's last "N passed, N failed" line
	local line p f s
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$2" | tail -n 1 || true)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		return
	fi
	read -r p _ f _ s _ <<<"${line//,/}"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
	if [ "$1" != 0 ] && [ "$f" = 0 ]; then failed=$((failed + 1)); fi
}

# rig_make TARGET VAR=VALUE...: a part as a user types it, through make.
# make takes its variables (the Makefile's RIG_VARS) from its command line
# only, so every one this run was given (make check TIMEOUT=900 V=1, and
# BUILD_DIR, CACHE_DIR) goes on the part's command line too; those that
# pick what is tested were dropped above.
mapfile -t rig_vars < <(sed -n '/^RIG_VARS :=/,/[^\\]$/p' "$ROOT/Makefile" |
	sed 's/^RIG_VARS :=//; s/\\$//' | tr -s ' \t' '\n' | sed '/^$/d')
[ "${#rig_vars[@]}" -gt 10 ] || die "$E_INTERNAL" "no RIG_VARS in $ROOT/Makefile"
rig_make() {
	local v pass=() foreign=0
	# A part for another architecture: a BUSYBOX or QEMU given for
	# make check's x86-64 parts is not that architecture's.
	[[ " $* " != *" ARCH="* ]] || [[ " $* " == *" ARCH=x86_64 "* ]] || foreign=1
	for v in "${rig_vars[@]}"; do
		if [ "$foreign" = 1 ]; then case "$v" in BUSYBOX | QEMU) continue ;; esac; fi
		# (ARCH: lib.sh's, exported for kbuild; each part names its own)
		case "$v" in CHECK_KERNELS | CHECK_ARCHS | ARCH | CROSS_COMPILE) continue ;; esac
		# Only what this run was given (exported to it: by make, from its
		# command line), not lib.sh's defaults (KERNEL=6.12 CONFIG=base).
		if [[ $(declare -p "$v" 2>/dev/null) == "declare -"*x* ]]; then pass+=("$v=${!v}"); fi
	done
	# The part's own variables last: make takes the last of a name.
	make -C "$ROOT" --no-print-directory "${pass[@]}" "$@"
}

times=()
part() { # part NAME CMD...
	if [ "$LIST" = 1 ]; then
		printf '%s\t%s\n' "$1" "${*:2}"
		return
	fi
	local out=$BUILD_DIR/check-${1//[^A-Za-z0-9.=_-]/_}.out rc=0 t0=$SECONDS
	writable_dir "$BUILD_DIR" BUILD_DIR
	printf '\n== %s\n' "$1"
	"${@:2}" 2>&1 | tee "$out" || rc=$?
	tally "$rc" "$out"
	times+=("$(printf '%5d s  %s%s' $((SECONDS - t0)) "$1" "$([ "$rc" = 0 ] || echo "  (exit $rc)")")")
}

tree_checks() {
	local resolved kca k c a sfx av built
	for k in "${KERNELS[@]}"; do
		if KERNEL=$k "$ROOT/scripts/patch.sh" --check; then
			report PASS "tree: $k's src matches patches/"
		else
			report FAIL "tree: $k's src differs from patches/ (above; make refresh KERNEL=$k, or make clean-src KERNEL=$k)"
		fi
	done
	for kca in "${MATRIX[@]}"; do
		IFS=: read -r k c a <<<"$kca"
		sfx=-$a av=" ARCH=$a"
		[ "$a" != x86_64 ] || sfx='' av=''
		resolved=$ROOT/kernel-config/resolved/linux-$(tree_version "$BUILD_DIR/$k/src")-$c$sfx.config
		built=$BUILD_DIR/$k/$c$sfx/obj/.config
		if cmp -s "$resolved" "$built"; then
			report PASS "tree: ${resolved#"$ROOT"/} matches the built .config"
		else
			report FAIL "tree: ${resolved#"$ROOT"/} differs from $built (make save-config KERNEL=$k CONFIG=$c$av, then commit it)" \
				"$(diff "$resolved" "$built" | sed -n 1,20p || true)"
		fi
	done
	report_total
}

host_tests() {
	# --timing: each test's time, as " in N ms" after its name
	bats --tap --timing tests/ | awk '
		function t() { if (match($0, / in [0-9]+ms/)) { ms = substr($0, RSTART + 4, RLENGTH - 6); $0 = substr($0, 1, RSTART - 1) substr($0, RSTART + RLENGTH) sprintf(" (%.1f s)", ms / 1000) } }
		/^ok .* # skip/ { sub(/^ok [0-9]+ /, ""); t(); printf "  %-7s host: %s\n", "SKIP", $0; s++; next }
		/^ok / { sub(/^ok [0-9]+ /, ""); t(); printf "  %-7s host: %s\n", "PASS", $0; p++; next }
		/^not ok / { sub(/^not ok [0-9]+ /, ""); t(); printf "  %-7s host: %s\n", "FAIL", $0; f++; next }
		/^#/ { if (f) print "        " $0; next }
		END { printf "%d passed, %d failed", p, f; if (s) printf ", %d skipped", s; print ""; exit f > 0 }'
}

# The kernels, configurations and architectures booted,
# KERNEL:CONFIG:ARCH; the first is the default of make qemu-test, whose
# kernel is the main one: the series, methods, gdb and host parts use its
# builds, and run with it. arm64 and riscv64 are built on the newest pin.
MAIN=6.12
NEWEST=$(awk '$1 == "deb" { print $2 }' "$LOCK_FILE" | sort -V | tail -n 1)
configs_of() { # configs_of KERNEL: the configurations it boots, as CONFIG:ARCH
	local c a
	if [ "$1" = "$MAIN" ] && [ -n "${CHECK_KERNELS:-}" ]; then
		echo base nosyscall debug kmsan
	elif [ "$1" = "$MAIN" ]; then
		echo base nosyscall debug
	elif [ -n "${CHECK_KERNELS:-}" ]; then
		echo base nosyscall debug
	fi | tr ' ' '\n' | sed '/^$/d; s/$/:x86_64/'
	[ "$1" = "$NEWEST" ] || return 0
	for a in arm64 riscv64; do
		for c in base $([ -z "${CHECK_KERNELS:-}" ] || echo nosyscall); do echo "$c:$a"; done
	done
}
mapfile -t MATRIX < <(awk -v main="$MAIN" '$1 == "deb" { print ($2 == main ? 0 : NR), $2 }' "$LOCK_FILE" |
	sort -n | while read -r _ k; do for c in $(configs_of "$k"); do echo "$k:$c"; done; done)
# CHECK_KERNELS="6.1" (make check CHECK_KERNELS=6.1) runs only the parts of
# these pinned kernels: a CI matrix gives each kernel its own job.
pinned=$(awk '$1 == "deb" { print $2 }' "$LOCK_FILE" | xargs)
read -r -a KERNELS <<<"${CHECK_KERNELS:-$pinned}"
for k in "${KERNELS[@]}"; do
	if [[ " $pinned " != *" $k "* ]]; then
		printf '%s: error: CHECK_KERNELS: %s is not pinned in %s (pinned: %s)\n' "$PROG" "$k" "${LOCK_FILE#"$ROOT"/}" "$pinned" >&2
		echo "0 passed, 1 failed"
		exit "$E_USAGE"
	fi
done
# CHECK_ARCHS="arm64" runs only those architectures' parts (of the
# kernels CHECK_KERNELS selects); the parts that are not a kernel's boot
# (methods, kunit, gdb, host...) go with x86_64.
read -r -a ARCHS <<<"${CHECK_ARCHS:-x86_64 arm64 riscv64}"
for a in "${ARCHS[@]}"; do
	case "$a" in
	x86_64 | arm64 | riscv64) ;;
	*)
		printf '%s: error: CHECK_ARCHS: %s is not one of x86_64 arm64 riscv64\n' "$PROG" "$a" >&2
		echo "0 passed, 1 failed"
		exit "$E_USAGE"
		;;
	esac
done
selected() { [[ " ${KERNELS[*]} " == *" $1 "* ]]; }
arch_selected() { [[ " ${ARCHS[*]} " == *" $1 "* ]]; }
mapfile -t MATRIX < <(for kca in "${MATRIX[@]}"; do selected "${kca%%:*}" && arch_selected "${kca##*:}" && echo "$kca"; done)
[ "${#MATRIX[@]}" -gt 0 ] || die "$E_USAGE" "CHECK_KERNELS=${KERNELS[*]} CHECK_ARCHS=${ARCHS[*]}: none of these has a configuration to boot"
# The kernels this run builds (the tree checks and lint look at theirs)
mapfile -t KERNELS < <(printf '%s\n' "${MATRIX[@]%%:*}" | awk '!seen[$0]++')

# kmsan_part KERNEL: build CONFIG=kmsan, then boot it with the series'
# kselftests only (TESTS=: as root, no stress test). KMSAN makes every
# program several times slower under TCG: the rig's checks of the guest,
# the second run as uid 65534 and the stress tests (4 more minutes) have
# nothing more to show KMSAN than these, and run in the other
# configurations.
kmsan_part() {
	local list tests
	rig_make initramfs KERNEL="$1" CONFIG=kmsan || return
	list=$BUILD_DIR/$1/kmsan/guest/usr/lib/mysyscall/kselftest/kselftest-list.txt
	tests=$(sed -n 's/^mysyscall://p' "$list" | grep -vxF -f "$ROOT/userspace-tests/stress-tests" | xargs)
	[ -n "$tests" ] || die "$E_INTERNAL" "no kselftests in $list"
	rig_make boot KERNEL="$1" CONFIG=kmsan TESTS="$tests"
}

for kca in "${MATRIX[@]}"; do
	IFS=: read -r k c a <<<"$kca"
	if [ "$c" = kmsan ]; then
		part "qemu-test KERNEL=$k CONFIG=kmsan (the kselftests)" kmsan_part "$k"
		continue
	fi
	# ARCH on the command line only for another architecture: the x86-64
	# parts are typed as README types them.
	av=()
	[ "$a" = x86_64 ] || av=(ARCH="$a")
	part "qemu-test KERNEL=$k CONFIG=$c ${av[*]}${av:+ }STRESS=1" rig_make qemu-test KERNEL="$k" CONFIG="$c" "${av[@]}" STRESS=1
	if [ "$c" = base ]; then
		part "W=1, sparse KERNEL=$k${av:+ }${av[*]}" env KERNEL="$k" CONFIG=base ARCH="$a" "$ROOT/scripts/build.sh" --w1
	fi
done
if selected "$MAIN" && arch_selected x86_64; then
	[ -z "${CHECK_KERNELS:-}" ] || part series rig_make check-series KERNEL="$MAIN"
	part methods "$ROOT/scripts/methods-check.sh"
	[ -z "${CHECK_KERNELS:-}" ] || part kunit rig_make kunit KERNEL="$MAIN"
	part gdb rig_make gdb-test KERNEL="$MAIN"
fi
part lint rig_make lint KERNEL="${KERNELS[0]}"
part tree tree_checks
if selected "$MAIN" && arch_selected x86_64; then part host host_tests; fi

[ "$LIST" = 0 ] || exit 0
echo
echo "== time per part"
printf '  %s\n' "${times[@]}"
printf '%5d s  in all\n' "$SECONDS" | sed 's/^/  /'
echo
# The last line is exactly "N passed, N failed", for CI; skipped tests
# (a case an ABI does not run, say) are counted on the line before.
[ "$skipped" = 0 ] || echo "$skipped skipped (see SKIP above)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] || exit "$E_TESTS"
