#!/usr/bin/env bash
# verdict.sh: judge a saved console of a test boot again.
#
# Usage: scripts/verdict.sh [SERIAL-LOG | -] [--help]
#
# Runs the judge every test boot runs (scripts/verdict.awk, see there for
# what counts) on a console: default BUILD_DIR/KERNEL/CONFIG/logs/serial.log,
# or standard input for "-". One line per test, "PASS/FAIL/SKIP  PROGRAM:
# TEST", with the harness's diagnostics under each failure, then
# "N passed, N failed[, N skipped]". The programs that must have run are
# those of this build (TESTS and STRESS=1 as for the boot); the KUnit
# results are required when CONFIG's fragments ask for the KUnit tests.
# Writes BUILD_DIR/KERNEL/CONFIG/logs/results.tap (TAP) and results.xml
# (JUnit XML). V=1 echoes the console as well.
#
# Exit codes: 0 every test passed, 1 a test failed or did not run (also
# when the guest crashed or stopped early: the judge says so).

. "$(dirname -- "$0")/lib.sh" || exit 8
input=$LOGS/serial.log
case "${1:-}" in
-) input=/dev/stdin ;;
-h | --help) handle_help "$1" ;;
"") ;;
*) input=$1 ;;
esac
[ "$input" = /dev/stdin ] || [ -r "$input" ] || die "$E_USAGE" "no console log at $input; run scripts/boot.sh first"

config_fragments
kunit=0
[ "$(fragment_wants MYSYSCALL_KUNIT_TEST)" != y ] || kunit=1
mkdir -p "$LOGS"
rc=0
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
awk -f "$ROOT/scripts/verdict.awk" -v expected="$(guest_programs)" -v kunit="$kunit" \
	-v report=1 -v verbose="$V" -v tap="$LOGS/results.tap.tmp" -v junit="$LOGS/results.xml.tmp" \
	-v summary="$summary" "$input" || rc=$?
mv -f "$LOGS/results.tap.tmp" "$LOGS/results.tap" 2>/dev/null || true
mv -f "$LOGS/results.xml.tmp" "$LOGS/results.xml" 2>/dev/null || true
case "$rc" in
10) say NOTE "the guest kernel crashed (above)" ;;
11) say NOTE "the guest never reached /init" ;;
12) say NOTE "the guest stopped before its tests finished" ;;
esac
# The line make check adds up comes last.
sed -n 1p "$summary"
[ "$rc" = 0 ] || exit "$E_TESTS"
