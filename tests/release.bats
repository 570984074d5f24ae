#!/usr/bin/env bats
# scripts/release.sh, which .github/workflows/release.yml runs for a tag:
# with stand-in tarballs (one per pin and the default kernel's debug
# one, shaped as make dist makes them) and a fake gh.

setup() {
	ROOT=$BATS_TEST_DIRNAME/..
	unset KERNEL CONFIG KERNEL_SRC KERNEL_TARBALL V
	dist=$BATS_TEST_TMPDIR/dist
	mkdir -p "$dist"
	local k name n=0 c a newest
	newest=$(awk '$1 == "deb" { print $2 }' "$ROOT/kernel-config/kernels.lock" | sort -V | tail -n 1)
	for k in $(awk '$1 == "deb" { print $2 ":base:x86_64" }' "$ROOT/kernel-config/kernels.lock") 6.12:debug:x86_64 \
		"$newest:base:arm64" "$newest:base:riscv64"; do
		IFS=: read -r k c a <<<"$k"
		n=$((n + 1))
		name=mysyscall-$k.$n
		[ "$c" = base ] || name+=-$c
		name+=-$a
		mkdir -p "$BATS_TEST_TMPDIR/stage/$name"
		echo "$name" >"$BATS_TEST_TMPDIR/stage/$name/VERSION"
		echo "kernel $k" >"$BATS_TEST_TMPDIR/stage/$name/bzImage"
		(cd "$BATS_TEST_TMPDIR/stage/$name" && sha256sum VERSION bzImage >SHA256SUMS)
		tar -C "$BATS_TEST_TMPDIR/stage" -czf "$dist/$name.tar.gz" "$name"
	done
	export GH=$BATS_TEST_TMPDIR/gh
	printf '#!/bin/sh\nprintf "%%s\\n" "$@" >"%s.args"\n' "$GH" >"$GH"
	chmod +x "$GH"
}

@test "release.sh: every pin's tarball and the debug one, checked, summed and handed to gh release create" {
	run "$ROOT/scripts/release.sh" "$dist" v1.2
	echo "$output"
	[ "$status" -eq 0 ]
	(cd "$dist" && sha256sum -c SHA256SUMS)
	n=$(find "$dist" -name "*.tar.gz" | wc -l)
	[ "$(wc -l <"$dist/SHA256SUMS")" = "$n" ]
	[ "$n" = $(($(grep -c "^deb " "$ROOT/kernel-config/kernels.lock") + 3)) ]
	mapfile -t args <"$GH.args"
	[ "${args[0]} ${args[1]} ${args[2]}" = "release create v1.2" ]
	[[ " ${args[*]} " == *" --verify-tag "* ]]
	[[ " ${args[*]} " == *" $dist/SHA256SUMS "* ]]
	for t in "$dist"/*.tar.gz; do [[ " ${args[*]} " == *" $t "* ]]; done
	grep -q '^mysyscall-6.12.[0-9]*-debug-x86_64$' "$dist/NOTES.md"
}

@test "release.sh: a missing, doubled or damaged tarball stops it before gh runs" {
	rm "$dist"/mysyscall-6.1.*-x86_64.tar.gz
	run "$ROOT/scripts/release.sh" "$dist" v1.2
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no tarball of KERNEL=6.1 CONFIG=base"* ]]
	[ ! -e "$GH.args" ]
	setup
	cp "$dist"/mysyscall-7.3.*-x86_64.tar.gz "$dist/mysyscall-7.3.99-x86_64.tar.gz"
	run "$ROOT/scripts/release.sh" "$dist" v1.2
	[ "$status" -eq 2 ]
	[[ "$output" == *"more than one tarball of KERNEL=7.3"* ]]
	rm "$dist/mysyscall-7.3.99-x86_64.tar.gz"
	# A file changed after make dist summed it.
	t=$(cd "$dist" && echo mysyscall-6.12.*[0-9]-x86_64.tar.gz)
	name=${t%.tar.gz}
	echo changed >"$BATS_TEST_TMPDIR/stage/$name/bzImage"
	tar -C "$BATS_TEST_TMPDIR/stage" -czf "$dist/$t" "$name"
	run "$ROOT/scripts/release.sh" "$dist" v1.2
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$t: its files do not match its SHA256SUMS"* ]]
	# A truncated download.
	setup
	head -c 100 "$dist/$t" >"$dist/cut" && mv "$dist/cut" "$dist/$t"
	run "$ROOT/scripts/release.sh" "$dist" v1.2
	[ "$status" -eq 3 ]
	[[ "$output" == *"$t is not a whole gzip file"* ]]
	run "$ROOT/scripts/release.sh" "$dist" 1.2
	[ "$status" -eq 2 ]
	[ ! -e "$GH.args" ]
	[ ! -e "$dist/SHA256SUMS" ]
}
