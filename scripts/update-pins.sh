#!/usr/bin/env bash
# update-pins.sh: move the kernel pins to the newest version Debian has.
#
# Usage: scripts/update-pins.sh [--dry-run] [--help] [KERNEL...]
#
# For each "deb" pin in kernel-config/kernels.lock (or only the KERNELs
# named, e.g. 6.1), asks apt for the newest version of its package in the
# pin's own suite (bookworm-security, trixie-backports, sid...) and
# rewrites the line with that version and the package's SHA256, taken
# from apt's index (whose signature apt has checked). It uses the
# project's own apt configuration in CACHE_DIR/apt (the machine's mirror,
# the lock file's suites), refreshed first; the machine's apt setup is
# not changed and no root is needed. The lock file is replaced
# atomically. Nothing is downloaded: the next "make fetch" downloads the
# new version and verifies it against the recorded sum.
#
#   --dry-run   print what would change, write nothing
#
# After a pin moves: "make check" (every kernel), then "make save-config
# KERNEL=... CONFIG=..." for each changed kernel and commit kernels.lock
# with the resolved configs.
#
# Exit codes: 0 done (changed or not), 2 bad arguments or an unknown
# KERNEL, 6 apt is missing, 7 apt's lists cannot be fetched or do not
# know a pinned package.

. "$(dirname -- "$0")/lib.sh" || exit 8
DRY=0
only=()
for arg in "$@"; do
	case "$arg" in
	--dry-run) DRY=1 ;;
	-h | --help) handle_help "$arg" ;;
	-*) handle_help "$arg" ;;
	*) only+=("$arg") ;;
	esac
done
need apt-get apt-cache dpkg flock
[ -r "$LOCK_FILE" ] || die "$E_USAGE" "lock file $LOCK_FILE is missing"

for k in "${only[@]}"; do
	awk -v k="$k" '$1 == "deb" && $2 == k { found = 1 } END { exit !found }' "$LOCK_FILE" ||
		die "$E_USAGE" "KERNEL=$k is not pinned in $LOCK_FILE (pinned: $(pinned_kernels))"
done

writable_dir "$CACHE_DIR" CACHE_DIR
begin
with_lock "$APT_DIR.lock" apt_update "$APT_DIR/update.log"
step_done APT "package lists of $(awk '$1 == "deb" { print $6 }' "$LOCK_FILE" | sort -u | xargs) (in $APT_DIR)" >&2

new=$LOCK_FILE.tmp.$$
# Progress goes to stderr inside the loop: its stdout is the new lock file.
trap 'rm -f "$new"' EXIT
changed=0
while IFS= read -r line || [ -n "$line" ]; do
	read -r kind name pkg version sha suite _ <<<"$line"
	if [ "$kind" != deb ] || { [ "${#only[@]}" -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]]; }; then
		printf '%s\n' "$line"
		continue
	fi
	[ -n "$suite" ] || die "$E_USAGE" "$LOCK_FILE: the pin of $name names no suite (deb NAME PACKAGE VERSION SHA256 SUITE)"
	madison=$(apt_cache madison "$pkg" 2>&1) ||
		die "$E_FETCH" "apt-cache madison $pkg failed: $madison"
	# The newest version of the package in the pin's own suite.
	newest=
	while read -r v; do
		if [ -z "$newest" ] || dpkg --compare-versions "$v" gt "$newest"; then newest=$v; fi
	done < <(awk -F' *[|] *' -v s="$suite" '{ split($3, w, " "); split(w[2], d, "/") } d[1] == s { print $2 }' <<<"$madison")
	[ -n "$newest" ] ||
		die "$E_FETCH" "Debian's $suite has no $pkg (pin $name); apt knows: $(awk -F' *[|] *' '{ printf "%s (%s) ", $2, $3 }' <<<"$madison")"
	newsha=$(apt_cache show "$pkg=$newest" | awk '$1 == "SHA256:" && !sha { sha = $2 } END { print sha }')
	[[ "$newsha" =~ ^[0-9a-f]{64}$ ]] || die "$E_FETCH" "apt's index has no SHA256 for $pkg=$newest"
	if dpkg --compare-versions "$newest" lt "$version"; then
		say PIN "$name: apt's newest $pkg is $newest, older than the pinned $version: keeping the pin (apt-get update?)" >&2
		printf '%s\n' "$line"
		continue
	fi
	if [ "$newest" = "$version" ] && [ "$newsha" = "$sha" ]; then
		say PIN "$name: $pkg $version is the newest" >&2
	elif [ "$newest" = "$version" ]; then
		say PIN "$name: $pkg $version: recorded sha256 $sha differs from apt's $newsha; recording apt's" >&2
		changed=1
	else
		say PIN "$name: $pkg $version -> $newest" >&2
		changed=1
	fi
	printf '%s %s %s %s %s %s\n' "$kind" "$name" "$pkg" "$newest" "$newsha" "$suite"
done <"$LOCK_FILE" >"$new"

if [ "$changed" = 0 ]; then
	say PIN "nothing to change" >&2
elif [ "$DRY" = 1 ]; then
	say PIN "--dry-run: $LOCK_FILE not written" >&2
else
	[ "$(grep -c '^deb ' "$new")" = "$(grep -c '^deb ' "$LOCK_FILE")" ] ||
		die "$E_INTERNAL" "internal error: the new lock file lost a pin; $LOCK_FILE not written"
	mv "$new" "$LOCK_FILE"
	say PIN "wrote ${LOCK_FILE#"$ROOT"/}; now run 'make check', then 'make save-config KERNEL=...' and commit" >&2
fi
