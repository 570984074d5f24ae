#!/usr/bin/env bats
# make lint's workflow checks, on a copy of the repository whose
# workflows are broken on purpose (the copy shares the validator that
# CACHE_DIR already holds).

setup() {
	ROOT=$BATS_TEST_DIRNAME/..
	unset KERNEL CONFIG KERNEL_SRC KERNEL_TARBALL V BUILD_DIR
	copy=$BATS_TEST_TMPDIR/repo
	mkdir -p "$copy"
	cp -r "$ROOT"/{scripts,.github,kernel-config,patches,man,initramfs,.ci} "$copy/"
	mkdir -p "$copy/tests" && cp "$ROOT"/tests/*.bats "$copy/tests/"
}

@test "lint: a workflow GitHub would reject, or a matrix that lost a pin, fails make lint, named" {
	run "$copy/scripts/lint.sh"
	echo "$output"
	[[ "$output" == *"PASS    lint: workflow .github/workflows/check.yml"* ]]
	[[ "$output" == *"PASS    lint: workflow matrix = kernels.lock"* ]]
	# A misspelt key (runs_on), and a pin the matrix does not have.
	sed -i 's/runs-on:/runs_on:/' "$copy/.github/workflows/release.yml"
	echo "deb 9.9 linux-source-9.9 9.9-1 $(printf '0%.0s' {1..64}) sid" >>"$copy/kernel-config/kernels.lock"
	run "$copy/scripts/lint.sh"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL    lint: workflow .github/workflows/release.yml"* ]]
	[[ "$output" == *"runs_on"* ]]
	[[ "$output" == *"PASS    lint: workflow .github/workflows/check.yml"* ]]
	[[ "$output" == *"FAIL    lint: workflow matrix = kernels.lock"* ]]
	[[ "$output" == *"kernels.lock pins: "*" 9.9"* ]]
}
