#!/usr/bin/env bats
# scripts/kunit.sh (make kunit) judges what kunit.py reports: on a stand-in
# tree whose tools/testing/kunit/kunit.py writes the JSON a real run writes
# (the real run, a UML build of minutes, is the kunit part of make check
# CHECK_KERNELS=6.12, the GitHub workflow's 6.12 job).

setup() {
	ROOT=$BATS_TEST_DIRNAME/..
	unset KERNEL CONFIG KERNEL_SRC KERNEL_TARBALL V TESTS
	export BUILD_DIR=$BATS_TEST_TMPDIR/build
	src=$BUILD_DIR/6.12/src
	mkdir -p "$src/kernel/tests" "$src/tools/testing/kunit"
	printf 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 117\nEXTRAVERSION =\nNAME = Baby Opossum Posse\n' >"$src/Makefile"
	printf 'CONFIG_KUNIT=y\nCONFIG_MYSYSCALL=y\nCONFIG_MYSYSCALL_KUNIT_TEST=y\n' >"$src/kernel/tests/.kunitconfig"
}

# fake_kunit STATUS RC: a kunit.py that checks its arguments, then writes
# results with one case of STATUS and exits RC (no JSON when STATUS is -)
fake_kunit() {
	cat >"$src/tools/testing/kunit/kunit.py" <<EOF
import sys
args = sys.argv[1:]
assert args[0] == "run" and "--kunitconfig=kernel/tests" in args, args
assert not __import__("os").environ.get("ARCH"), "ARCH reached kunit.py"
assert "CROSS_COMPILE" not in __import__("os").environ, "CROSS_COMPILE reached kunit.py"
json = [a.split("=", 1)[1] for a in args if a.startswith("--json=")][0]
if "$1" != "-":
    open(json, "w").write('{"name": "KUnit Test Group", "sub_groups": [{"name": "mysyscall", '
        '"sub_groups": [{"name": "mysyscall_add10_test", "sub_groups": [], "test_cases": ['
        '{"name": "seed example", "status": "$1"}, {"name": "zero", "status": "PASS"}]}], '
        '"test_cases": [{"name": "mysyscall_format_e2big_test", "status": "PASS"}]}], "test_cases": []}')
print("kunit.py stand-in")
sys.exit($2)
EOF
}

@test "make kunit: one line per case of kunit.py's results, counted" {
	fake_kunit PASS 0
	run "$ROOT/scripts/kunit.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"PASS    kunit.py: mysyscall.mysyscall_add10_test: seed example"* ]]
	[[ "$output" == *"PASS    kunit.py: mysyscall: mysyscall_format_e2big_test"* ]]
	[ "${lines[-1]}" = "3 passed, 0 failed" ]
}

@test "make kunit: a failed case fails the run, named; no results at all is a build failure (exit 3)" {
	fake_kunit FAIL 1
	run "$ROOT/scripts/kunit.sh"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    kunit.py: mysyscall.mysyscall_add10_test: seed example"* ]]
	[ "${lines[-1]}" = "2 passed, 1 failed" ]
	fake_kunit PASS 1
	run "$ROOT/scripts/kunit.sh"
	[ "$status" -eq 1 ]
	[[ "$output" == *"kunit.py exited 1 with no case failing"* ]]
	fake_kunit - 1
	run "$ROOT/scripts/kunit.sh"
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"kunit.py did not build or boot its UML kernel"* ]]
	[[ "$output" == *"kunit.py stand-in"* ]]
	rm "$src/kernel/tests/.kunitconfig"
	run "$ROOT/scripts/kunit.sh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"run make patch first"* ]]
}
