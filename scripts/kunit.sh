#!/usr/bin/env bash
# kunit.sh: the series' KUnit suite through the kernel's own kunit.py, as
# anyone with a patched tree runs it:
#
#   ./tools/testing/kunit/kunit.py run --kunitconfig=kernel/tests
#
# Usage: scripts/kunit.sh [--help]
#
# Runs that in BUILD_DIR/KERNEL/src (the patched copy: make patch), with
# the build in BUILD_DIR/KERNEL/kunit (--build_dir; kbuild keeps it
# incremental, src is not written). kunit.py builds a UML kernel from
# kernel/tests/.kunitconfig, the file the series adds, boots it and parses
# its KTAP. One PASS/FAIL line per case, from kunit.py's --json results,
# then "N passed, N failed"; its whole output in kunit/kunit.log (V=1
# shows it as it comes).
#
# Exit codes: 0 every case passed, 1 a case failed or none ran,
# 3 kunit.py could not build or boot the kernel.

. "$(dirname -- "$0")/lib.sh" || exit 8
handle_help "$@"
lock_build

[ -f "$SRC/kernel/tests/.kunitconfig" ] ||
	die "$E_USAGE" "no kernel/tests/.kunitconfig in $SRC: run make patch first (patch 2 of the series adds it)"
need make gcc flex bison bc perl python3

dir=$KDIR/kunit
mkdir -p "$dir"
log=$dir/kunit.log json=$dir/results.json
rm -f "$json"
: >"$log"
begin
# kunit.py's own make calls set ARCH=um; the rig's ARCH and
# CROSS_COMPILE (arm64's compiler) must not reach them through the
# environment: UML is built for the host.
rc=0
run "$log" env -u ARCH -u CROSS_COMPILE -C "$SRC" python3 tools/testing/kunit/kunit.py run --kunitconfig=kernel/tests \
	--build_dir="$dir" --jobs="$JOBS" --json="$json" || rc=$?
if [ ! -s "$json" ]; then
	show_log_tail "$log" 20
	die "$E_BUILD" "kunit.py did not build or boot its UML kernel (exit $rc; full output: $log)"
fi
step_done KUNIT "kunit.py run --kunitconfig=kernel/tests (UML, linux-$(tree_version "$SRC")) -> ${dir#"$ROOT"/}"

# Each leaf case of the results (a parameterised case: each parameter),
# as "STATUS SUITE.TEST: CASE", or "STATUS SUITE: TEST".
python3 - "$json" <<'EOF' >"$dir/cases"
import json, sys

def walk(group, path):
    for case in group.get("test_cases", []):
        name = ".".join(path) + ": " + case["name"] if path else case["name"]
        print(case["status"], name)
    for sub in group.get("sub_groups", []):
        walk(sub, path + [sub["name"]])

walk(json.load(open(sys.argv[1])), [])
EOF
while read -r status name; do
	case "$status" in
	PASS) report PASS "kunit.py: $name" ;;
	SKIP) say SKIP "kunit.py: $name" ;;
	*) report FAIL "kunit.py: $name ($status; see $log)" ;;
	esac
done <"$dir/cases"
if ! grep -q '^PASS ' "$dir/cases"; then
	report FAIL "kunit.py: no case passed (exit $rc; see $log)"
elif [ "$rc" != 0 ] && ! grep -qv '^\(PASS\|SKIP\) ' "$dir/cases"; then
	report FAIL "kunit.py exited $rc with no case failing (see $log)"
fi
report_total || exit "$E_TESTS"
