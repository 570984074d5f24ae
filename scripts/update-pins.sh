#!/usr/bin/env bash
# update-pins.sh: move the kernel pins to the newest version Debian has.
#
# Usage: scripts/update-pins.sh [--dry-run] [--help] [KERNEL...]
#
# For each "deb" pin in kernel-config/kernels.lock (or only the KERNELs
# named, e.g. 6.1), asks apt for the newest version of its package and
# rewrites the line with that version and the package's SHA256, taken
# from apt's index (whose signature apt has checked). The lock file is
# replaced atomically. Nothing is downloaded: the next "make fetch"
# downloads the new version and verifies it against the recorded sum.
# As root it runs "apt-get update" first; otherwise it uses the index as
# it is and says so.
#
#   --dry-run   print what would change, write nothing
#
# After a pin moves: "make check" (both kernels), then "make save-config
# KERNEL=..." for each changed kernel and commit kernels.lock with the
# resolved configs.
#
# Exit codes: 0 done (changed or not), 2 bad arguments or an unknown
# KERNEL, 6 apt is missing, 7 apt does not know a pinned package.

. "${0%/*}/lib.sh"
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
need apt-cache dpkg
[ -r "$LOCK_FILE" ] || die "$E_USAGE" "lock file $LOCK_FILE is missing"

for k in "${only[@]}"; do
	awk -v k="$k" '$1 == "deb" && $2 == k { found = 1 } END { exit !found }' "$LOCK_FILE" ||
		die "$E_USAGE" "KERNEL=$k is not pinned in $LOCK_FILE (pinned: $(awk '$1 == "deb" { printf "%s ", $2 }' "$LOCK_FILE"))"
done

if [ "$(id -u)" = 0 ]; then
	begin
	if apt-get update -qq >/dev/null 2>&1; then
		done_ APT "package index updated" >&2
	else
		say APT "apt-get update failed: using the index as it is" >&2
	fi
else
	say APT "not root: using the package index as it is (sudo apt-get update to refresh it)" >&2
fi

new=$LOCK_FILE.tmp.$$
# Progress goes to stderr inside the loop: its stdout is the new lock file.
trap 'rm -f "$new"' EXIT
changed=0
while IFS= read -r line || [ -n "$line" ]; do
	read -r kind name pkg version sha _ <<<"$line"
	if [ "$kind" != deb ] || { [ "${#only[@]}" -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]]; }; then
		printf '%s\n' "$line"
		continue
	fi
	madison=$(apt-cache madison "$pkg" 2>&1) ||
		die "$E_FETCH" "apt-cache madison $pkg failed: $madison"
	newest=$(awk -F' *[|] *' 'NR == 1 { print $2 }' <<<"$madison")
	[ -n "$newest" ] ||
		die "$E_FETCH" "apt knows no package $pkg (pin $name); is this Debian 12 with its security archive in sources.list, and has 'apt-get update' run?"
	newsha=$(apt-cache show "$pkg=$newest" | awk '$1 == "SHA256:" { print $2; exit }')
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
	printf '%s %s %s %s %s\n' "$kind" "$name" "$pkg" "$newest" "$newsha"
done <"$LOCK_FILE" >"$new"

if [ "$changed" = 0 ]; then
	say PIN "nothing to change" >&2
elif [ "$DRY" = 1 ]; then
	say PIN "--dry-run: $LOCK_FILE not written" >&2
else
	[ "$(grep -c '^deb ' "$new")" = "$(grep -c '^deb ' "$LOCK_FILE")" ] ||
		die "$E_USAGE" "internal error: the new lock file lost a pin; $LOCK_FILE not written"
	mv "$new" "$LOCK_FILE"
	say PIN "wrote ${LOCK_FILE#"$ROOT"/}; now run 'make check', then 'make save-config KERNEL=...' and commit" >&2
fi
