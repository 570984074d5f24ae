# shellcheck shell=bash
# Helpers the bats files share (load helpers).

# expect_out PATTERN SECONDS: read the coprocess's output until PATTERN (a
# glob) shows up; fail after SECONDS. The text read so far is in $seen.
expect_out() {
	local c rc deadline=$((SECONDS + $2))
	while [[ "$seen" != *$1* ]]; do
		[ "$SECONDS" -lt "$deadline" ] || { echo "timeout waiting for '$1'; got: $seen"; return 1; }
		rc=0
		IFS= read -r -N 1 -t 5 c <&"${GUEST[0]}" 2>/dev/null || rc=$?
		if [ "$rc" = 0 ]; then
			seen+=$c
		elif [ "$rc" -le 128 ]; then # not a timeout: the output ended
			echo "the guest ended before '$1'; got: $seen"
			return 1
		fi
	done
}

# readme_session: the session README's "Playing with the syscalls" shows,
# one record per command: the command, a tab, then the lines README shows
# for its answer, separated by tabs.
readme_session() {
	awk '
		/^## Playing with the syscalls/ { on = 1; next }
		on && /^## / { exit }
		on && /^    \/ # / { if (cmd != "") print cmd out; cmd = substr($0, 9); out = ""; next }
		on && cmd != "" && /^    / { out = out "\t" substr($0, 5); next }
		on && cmd != "" && /^[^ ]/ { print cmd out; cmd = ""; exit }
		END { if (cmd != "") print cmd out }' "$ROOT/README.md"
}

# type_readme_session: type each command of readme_session at the guest's
# prompt (the coprocess GUEST) and check each line README shows for its
# answer: timestamps ("[    9.5]") and addresses (0x7ffc2b488f73) may
# differ. A command that leaves a pager open (man) gets a "q".
type_readme_session() {
	local cmd want w n=0 rest from
	while IFS=$'\t' read -r cmd rest; do
		n=$((n + 1))
		from=${#seen}
		echo "$cmd; echo \"@@end-$n\"" >&"${GUEST[1]}"
		if ! expect_out "@@end-$n"$'\r' 10 >/dev/null; then
			printf 'q' >&"${GUEST[1]}"
			expect_out "@@end-$n"$'\r' 20 || return 1
		fi
		out=${seen:$from}
		out=${out#*$'\n'} # the guest echoes what was typed
		[ "$cmd" != "man 2 add10" ] || [[ "$out" == *"add10 - add ten to a number"* ]] || {
			echo "man 2 add10 showed no page: $out"
			return 1
		}
		IFS=$'\t' read -r -a want <<<"$rest"
		for w in "${want[@]}"; do
			w=$(sed -E 's/^\[ *[0-9.]+\] /*/; s/0x[0-9a-f]{6,}/*/g' <<<"$w")
			# shellcheck disable=SC2053 # a glob on purpose
			[[ "$out" == *$w* ]] || {
				echo "README shows '$w' for '$cmd'; the guest answered: $out"
				return 1
			}
		done
	done < <(readme_session)
	[ "$n" -ge 4 ]
}
