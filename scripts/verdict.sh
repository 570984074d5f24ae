#!/usr/bin/env bash
# verdict.sh: read the guest's console and report the test results.
#
# Usage: scripts/verdict.sh [SERIAL-LOG | -] [--help]
#
# Reads the console of a test boot (default BUILD_DIR/KERNEL/CONFIG/logs/serial.log,
# or standard input for "-", as it arrives), prints one line per test:
#   PASS/FAIL/SKIP  PROGRAM: TEST
# with the harness's diagnostics under each failure, and ends with
#   N passed, N failed[, N skipped]
# A test program that exits non-zero without reporting a failed test,
# that reports fewer tests than its TAP plan (1..N) announced, or that
# never ran or never finished (crash, timeout), counts as one failed test. The results also go to BUILD_DIR/KERNEL/CONFIG/logs/results.tap.
# V=1 echoes the whole console as well.
#
# Exit codes: 0 every test passed, 1 a test failed or did not run.

. "${0%/*}/lib.sh"
input=$LOGS/serial.log
case "${1:-}" in
-) input=/dev/stdin ;;
-h | --help) handle_help "$1" ;;
"") ;;
*) input=$1 ;;
esac
[ "$input" = /dev/stdin ] || [ -r "$input" ] || die "$E_USAGE" "no console log at $input; run scripts/boot.sh first"

# The programs the initramfs holds: each must run and finish. /init names
# the stress tests (run last) stress/NAME.
expected=$({
	find "$OUT/guest/usr/lib/mysyscall/tests" -maxdepth 1 -type f -printf '%f '
	find "$OUT/guest/usr/lib/mysyscall/stress" -maxdepth 1 -type f -printf 'stress/%f '
} 2>/dev/null || true)
mkdir -p "$LOGS"

awk -v expected="$expected" -v verbose="$V" -v tap="$LOGS/results.tap.tmp" '
function flush_diag() { diag = "" }
function result(status, name) {
	n++
	got[prog]++
	if (status == "FAIL") { failed++; progfail[prog]++ }
	else if (status == "SKIP") skipped++
	else passed++
	printf "  %-7s %s: %s\n", status, prog, name
	if (status == "FAIL" && diag != "") printf "%s", diag
	printf "%s %d - %s: %s%s\n", status == "FAIL" ? "not ok" : "ok", n, prog, name,
		status == "SKIP" ? " # SKIP" : "" > tap
	fflush()
	flush_diag()
}
BEGIN { split(expected, want, " "); prog = ""; indmesg = 0 }
{ sub(/\r$/, "") }
verbose == 1 { print; fflush() }
/^mysyscall-guest: dmesg/ { indmesg = 1; next }
/^mysyscall-guest: done/ { indmesg = 0; next }
indmesg { next }
/^mysyscall-guest: run / { prog = $3; started[prog] = 1; flush_diag(); next }
/^mysyscall-guest: end / {
	ended[$3] = 1
	if ($3 in plan && got[$3] < plan[$3]) {
		diag = diag "        planned " plan[$3] " tests, reported " got[$3] + 0 ", exit status " $4 "\n"
		result("FAIL", "tests missing from its report")
	} else if ($4 != 0 && !progfail[$3]) {
		diag = diag "        exited with status " $4 " without a failed test: crashed?\n"
		result("FAIL", "exit status " $4)
	}
	flush_diag()
	prog = ""
	next
}
prog == "" { next }
/^1\.\.[0-9]+$/ && !(prog in plan) { plan[prog] = substr($0, 4) + 0; next }
/^(not )?ok [0-9]+ / {
	name = $0
	sub(/^(not )?ok [0-9]+ /, "", name)
	sub(/^global\./, "", name)
	status = /^not ok/ ? "FAIL" : "PASS"
	if (name ~ /# [Ss][Kk][Ii][Pp]/) { status = "SKIP"; sub(/ *# [Ss][Kk][Ii][Pp].*/, "", name) }
	result(status, name)
	next
}
/^# +RUN / { flush_diag(); next }
/^#/ { diag = diag "        " $0 "\n"; next }
END {
	for (i in want) {
		p = want[i]
		if (!(p in started)) { prog = p; result("FAIL", "did not run") }
		else if (!(p in ended)) { prog = p; diag = "        the program did not finish (guest crash or timeout)\n"; result("FAIL", "did not finish") }
	}
	printf "1..%d\n", n > tap
	close(tap)
	line = passed + 0 " passed, " failed + 0 " failed"
	if (skipped) line = line ", " skipped " skipped"
	print line
	exit failed > 0 ? 1 : 0
}' "$input" && rc=0 || rc=$?
mv -f "$LOGS/results.tap.tmp" "$LOGS/results.tap" 2>/dev/null || true
exit "$rc"
