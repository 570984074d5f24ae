# verdict.awk: the one judge of a test boot, POSIX awk. It reads the
# guest's console as it arrives and prints one line per test:
#   PASS/FAIL/SKIP  PROGRAM: TEST
# with the harness's diagnostics under each failure. The launcher
# (scripts/dist-boot.sh, a dist's ./boot) runs it on every --test boot, and
# scripts/verdict.sh on a saved console.
#
# What counts: every result line of each test program's TAP; a program
# that exits non-zero without a failed test, reports fewer tests than its
# plan (1..N), or never runs or never finishes, as one failed test; each
# KUnit case in the kernel log's KTAP ("kunit: SUITE.TEST: PARAM"; a
# suite or a parameterised test is not a case of its own, unless it
# fails on its own), and a kernel with KUnit expected that reports none
# as a failure.
#
# Variables (awk -v):
#   expected  the programs that must run, e.g. "add10 table stress/flood";
#             when empty, the ones the guest's "plan" line names
#   kunit     1: the kernel has the KUnit tests, so KTAP must be there
#   report    0: print no per-test lines (a bench or gdb boot: only the
#             crash and the end of the guest are judged)
#   verbose   1: echo the console too
#   tap, junit   files for the results as TAP and as JUnit XML (none if empty)
#   summary   the file for the last lines (else standard output):
#             "N passed, N failed[, N skipped]", then "programs N kunit K"
#
# Exit status: 0 every test passed, 1 a test failed or did not run,
# 10 the kernel crashed (or a checker of the debug kernel reported: the
# report is on standard error), 11 the guest never reached /init, 12 it
# stopped before the end of its tests.

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
	if (report) {
		printf "  %-7s %s: %s\n", status, prog, name
		if (status == "FAIL" && diag != "") printf "%s", diag
		fflush()
	}
	if (tap != "")
		printf "%s %d - %s: %s%s\n", (status == "FAIL" ? "not ok" : "ok"), n, prog, name,
			(status == "SKIP" ? " # SKIP" : "") > tap
	jprog[n] = prog; jname[n] = name; jstatus[n] = status; jdiag[n] = diag
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
BEGIN { nwant = split(expected, want, " "); prog = ""; indmesg = 0 }
{ sub(/\r$/, "") }
verbose == 1 { print; fflush() }
# Crashes, and the reports of the debug kernel's checkers (KASAN, KFENCE,
# UBSAN, lockdep, might_sleep), some of which do not panic even with
# panic_on_warn=1. Only at the start of a kernel line: what a test logs
# through mysyscall() starts with "mysyscall: ".
!crash && /^(\[[ 0-9.]+\] )?(Kernel panic|BUG: |Oops: |general protection fault|WARNING: |UBSAN: |INFO: (possible|task .* blocked|rcu))/ { crash = NR }
crash && NR < crash + 40 { crashreport = crashreport "    " $0 "\n" }
/^mysyscall-guest: begin/ { begun = 1; next }
/^mysyscall-guest: plan/ { if (!nwant) for (i = 3; i <= NF; i++) want[++nwant] = $i; next }
/^mysyscall-guest: dmesg/ { indmesg = 1; diag = ""; next }
/^mysyscall-guest: done/ { indmesg = 0; diag = ""; finished = 1; next }
indmesg { line = $0; sub(/^\[[ 0-9.]+\] /, "", line); ktap(line); next }
/^mysyscall-guest: run / { prog = $3; started[prog] = 1; flush_diag(); next }
# The kselftest runner's own result for a program (run_kselftest.sh):
# "not ok" with no failed test of the program's is a failure of its own
# (the runner's timeout, a crash: "# TIMEOUT 45 seconds", "# exit=139").
/^mysyscall-guest: runner / {
	if ($3 == "not" && prog != "" && !progfail[prog]) {
		why = $0; sub(/^mysyscall-guest: runner not ok /, "", why)
		diag = diag "        kselftest runner: not ok " why "\n"
		result("FAIL", "the kselftest runner: " (why ~ /TIMEOUT/ ? "timed out" : "failed"))
	}
	next
}
# A program the guest could not run for a reason it names (an ABI the
# kernel lacks): one skipped test.
/^mysyscall-guest: skip / {
	prog = $3; started[prog] = 1; ended[prog] = 1; programs++
	why = $0; sub(/^mysyscall-guest: skip [^ ]+ /, "", why)
	flush_diag(); result("SKIP", why); prog = ""
	next
}
/^mysyscall-guest: end / {
	ended[$3] = 1
	programs++
	if ($3 in plan && got[$3] < plan[$3]) {
		diag = diag "        planned " plan[$3] " tests, reported " got[$3] + 0 ", exit status " $4 "\n"
		result("FAIL", "tests missing from its report")
	} else if ($4 != 0 && !progfail[$3]) {
		diag = diag "        exited with status " $4 " without a failed test: crashed?\n"
		result("FAIL", "exit status " $4)
	} else if (!($3 in plan) && !got[$3]) {
		diag = diag "        no TAP plan and no result, exit status " $4 "\n"
		result("FAIL", "reported no tests")
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
	if (!report) {
		if (crash) { printf "the guest kernel crashed:\n%s", crashreport > "/dev/stderr"; exit 10 }
		exit begun ? (finished ? 0 : 12) : 11
	}
	if (kunit && !kunit_seen) { prog = "kunit"; diag = "        no KTAP results in the kernel log, though the kernel has the KUnit tests (CONFIG_MYSYSCALL_KUNIT_TEST=y)\n"; result("FAIL", "did not run") }
	if (begun && !nwant && !programs) { prog = "guest"; result("FAIL", "no test program ran") }
	for (i = 1; i <= nwant; i++) {
		p = want[i]
		if (!(p in started)) { prog = p; result("FAIL", "did not run") }
		else if (!(p in ended)) { prog = p; diag = "        the program did not finish (guest crash or timeout)\n"; result("FAIL", "did not finish") }
	}
	if (tap != "") { printf "1..%d\n", n > tap; close(tap) }
	# JUnit XML, one testsuite per program, for CI dashboards.
	if (junit != "") {
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
	}
	line = passed + 0 " passed, " failed + 0 " failed"
	if (skipped) line = line ", " skipped " skipped"
	if (summary != "") {
		print line > summary
		print "programs " programs + 0 " kunit " kunit_seen + 0 > summary
		close(summary)
	} else print line
	if (crash) { printf "the guest kernel crashed:\n%s", crashreport > "/dev/stderr"; exit 10 }
	if (!begun) exit 11
	if (!finished) exit 12
	exit failed > 0 ? 1 : 0
}
