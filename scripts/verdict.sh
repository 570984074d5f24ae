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
# never ran or never finished (crash, timeout), counts as one failed test.
# KUnit's results (KTAP, in the kernel log the guest prints at the end)
# count too, one per case, as "kunit: SUITE.TEST: PARAM"; a kernel built
# with CONFIG_MYSYSCALL_KUNIT_TEST=y that reports none counts as a failure.
# The results also go to BUILD_DIR/KERNEL/CONFIG/logs/results.tap (TAP)
# and results.xml (JUnit XML, one testsuite per program, for CI).
# V=1 echoes the whole console as well.
#
# Exit codes: 0 every test passed, 1 a test failed or did not run.

. "$(dirname -- "$0")/lib.sh" || exit 8
input=$LOGS/serial.log
case "${1:-}" in
-) input=/dev/stdin ;;
-h | --help) handle_help "$1" ;;
"") ;;
*) input=$1 ;;
esac
[ "$input" = /dev/stdin ] || [ -r "$input" ] || die "$E_USAGE" "no console log at $input; run scripts/boot.sh first"

# The programs the initramfs holds: each must run and finish. /init names
# the stress tests (run last, with STRESS=1) stress/NAME.
expected=$({
	find "$OUT/guest/usr/lib/mysyscall/tests" -maxdepth 1 -type f -printf '%f '
	[ "${STRESS:-0}" != 1 ] ||
		find "$OUT/guest/usr/lib/mysyscall/stress" -maxdepth 1 -type f -printf 'stress/%f '
} 2>/dev/null || true)
# TESTS= (see boot.sh) narrows them down.
if [ -n "${TESTS:-}" ]; then
	expected=$(for t in $TESTS; do printf '%s ' "${t%%:*}"; done)
fi
# KUnit results are expected when the configuration asked for has them.
config_fragments
kunit=0
[ "$(fragment_wants MYSYSCALL_KUNIT_TEST)" != y ] || kunit=1
mkdir -p "$LOGS"

awk -v expected="$expected" -v kunit="$kunit" -v verbose="$V" -v tap="$LOGS/results.tap.tmp" \
	-v junit="$LOGS/results.xml.tmp" '
function flush_diag() { diag = "" }
function xml(s) {
	gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); gsub(/"/, "\\&quot;", s)
	return s
}
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
	jprog[n] = prog; jname[n] = name; jstatus[n] = status; jdiag[n] = diag
	fflush()
	flush_diag()
}
# One line of KTAP from the kernel log. Nested blocks are indented by four
# spaces; a result line with a nested block above it is a parent (a suite,
# or a parameterised test) and not counted, unless it failed on its own.
function ktap(line,    ind, rest, name, k, status, path) {
	match(line, /^ */)
	ind = RLENGTH
	rest = substr(line, ind + 1)
	# "TAP version 14" before 5.18, "KTAP version 1" since
	if (rest ~ /^K?TAP version / && ind == 0) { inktap = 1; top = -1; return }
	if (!inktap) return
	if (rest ~ /^# Subtest: /) { subtest[ind] = substr(rest, 12); diag = ""; return }
	# Before 5.18 a parameterised test reports its cases as diagnostics,
	# "# TEST: ok N - DESC": a nested result of TEST, one level deeper.
	if (match(rest, /^# [^ ]+: (not )?ok [0-9]+ /)) {
		name = substr(rest, 3)
		sub(/: .*/, "", name)
		subtest[ind + 4] = name
		ktap(sprintf("%" (ind + 4) "s%s", "", substr(rest, length(name) + 5)))
		return
	}
	if (rest ~ /^1\.\.[0-9]+/) {
		for (k = 0; k < ind; k += 4) nested[k] = 1
		# The top-level plan: KTAP ends after that many results.
		if (ind == 0) { top = substr(rest, 4) + 0; if (top == 0) inktap = 0 }
		return
	}
	if (rest ~ /^(not )?ok [0-9]+ /) {
		status = rest ~ /^not ok/ ? "FAIL" : "PASS"
		name = rest
		sub(/^(not )?ok [0-9]+ /, "", name)
		sub(/^- /, "", name)
		if (name ~ / # [Ss][Kk][Ii][Pp]/) { status = "SKIP"; sub(/ *# [Ss][Kk][Ii][Pp].*/, "", name) }
		for (k = 0; k < ind; k += 4) nested[k] = 1
		if (nested[ind]) {
			nested[ind] = 0
			if (status != "FAIL" || childfail[ind]) {
				childfail[ind] = 0
				if (ind == 0 && --top == 0) inktap = 0
				return
			}
			name = name " (failed as a whole)"
		}
		if (status == "FAIL") for (k = 0; k < ind; k += 4) childfail[k] = 1
		if (ind == 0 && --top == 0) inktap = 0
		path = ""
		for (k = 4; k <= ind; k += 4) path = path (path == "" ? "" : ".") subtest[k]
		prog = "kunit"
		kunit_seen++
		result(status, path (path == "" ? "" : ": ") name)
		prog = ""
		return
	}
	if (rest ~ /^# [^ ]+: pass:[0-9]+ fail:/ || rest ~ /^# module: /) return
	# Diagnostics: "#" lines, and the indented lines of an assertion
	# message (other kernel messages in between are not indented).
	if (rest ~ /^#/ || (ind >= 4 && rest != "")) diag = diag "        " rest "\n"
}
BEGIN { split(expected, want, " "); prog = ""; indmesg = 0 }
{ sub(/\r$/, "") }
verbose == 1 { print; fflush() }
/^mysyscall-guest: dmesg/ { indmesg = 1; diag = ""; next }
/^mysyscall-guest: done/ { indmesg = 0; diag = ""; next }
indmesg { line = $0; sub(/^\[[ 0-9.]+\] /, "", line); ktap(line); next }
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
	if (kunit && !kunit_seen) { prog = "kunit"; diag = "        no KTAP results in the kernel log, though CONFIG_MYSYSCALL_KUNIT_TEST=y\n"; result("FAIL", "did not run") }
	for (i in want) {
		p = want[i]
		if (!(p in started)) { prog = p; result("FAIL", "did not run") }
		else if (!(p in ended)) { prog = p; diag = "        the program did not finish (guest crash or timeout)\n"; result("FAIL", "did not finish") }
	}
	printf "1..%d\n", n > tap
	close(tap)
	# JUnit XML, one testsuite per program, for CI dashboards.
	printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"%d\" failures=\"%d\" skipped=\"%d\">\n", n, failed, skipped > junit
	for (i = 1; i <= n; i++) {
		if (i == 1 || jprog[i] != jprog[i - 1]) {
			if (i > 1) print "  </testsuite>" > junit
			printf "  <testsuite name=\"%s\">\n", xml(jprog[i]) > junit
		}
		printf "    <testcase classname=\"%s\" name=\"%s\"", xml(jprog[i]), xml(jname[i]) > junit
		if (jstatus[i] == "PASS") print "/>" > junit
		else if (jstatus[i] == "SKIP") print "><skipped/></testcase>" > junit
		else printf "><failure message=\"failed\">%s</failure></testcase>\n", xml(jdiag[i]) > junit
	}
	if (n) print "  </testsuite>" > junit
	print "</testsuites>" > junit
	close(junit)
	line = passed + 0 " passed, " failed + 0 " failed"
	if (skipped) line = line ", " skipped " skipped"
	print line
	exit failed > 0 ? 1 : 0
}' "$input" && rc=0 || rc=$?
mv -f "$LOGS/results.tap.tmp" "$LOGS/results.tap" 2>/dev/null || true
mv -f "$LOGS/results.xml.tmp" "$LOGS/results.xml" 2>/dev/null || true
exit "$rc"
