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

# start_guest CMD...: run CMD (make run, a dist's ./boot) as the
# coprocess GUEST, in a session of its own and with a time limit, so that
# a failed assertion cannot leave QEMU behind holding bats' output (the
# file's teardown kills session GUEST_SID); then wait for the guest's
# shell prompt. What the guest printed is in $seen.
start_guest() {
	seen=""
	coproc GUEST { exec setsid timeout -k 5 300 "$@" 2>&1; }
	# shellcheck disable=SC2153,SC2034 # GUEST_PID is set by coproc; teardown reads GUEST_SID
	GUEST_SID=$GUEST_PID
	expect_out "quit with Ctrl-a x" 120
	expect_out "/ # " 60
}

# exit_guest: type exit at the guest's shell; QEMU must be gone within 30 s.
exit_guest() {
	local pid=$GUEST_PID
	echo exit >&"${GUEST[1]}"
	for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null && sleep 1; done
	if kill -0 "$pid" 2>/dev/null; then
		echo "QEMU still runs 30 s after exit"
		return 1
	fi
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

# readme_trace_session: the same records for README's tracefs session on
# the debug kernel (its prompt shown as "# "): the indented block after
# the text that names make run CONFIG=debug.
readme_trace_session() {
	awk '
		/make run CONFIG=debug` shows/ { on = 1; next }
		on && /^    # / { if (cmd != "") print cmd out; cmd = substr($0, 7); out = ""; next }
		on && cmd != "" && /^    / { out = out "\t" substr($0, 5); next }
		on && cmd != "" && /^[^ ]/ { print cmd out; exit }' "$ROOT/README.md"
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

# interrupt_when PROCESS SECONDS CMD...: run CMD as a terminal runs a
# command (a process group of its own, SIGINT not ignored) and, as soon as
# a process named PROCESS runs in that group, send the group SIGINT, as
# Ctrl-C does. Fails when PROCESS did not show up within SECONDS, when CMD
# then still exits 0, or when anything of the group outlives it. Sets
# status and output, as run does.
interrupt_when() {
	local proc=$1 secs=$2 pid i found=0 left
	shift 2
	perl -e '$SIG{INT} = "DEFAULT"; setpgrp; exec @ARGV' "$@" >"$BATS_TEST_TMPDIR/interrupted.out" 2>&1 3>&- &
	pid=$!
	for ((i = 0; i < secs * 50; i++)); do
		if pgrep -g "$pid" -x "$proc" >/dev/null; then
			found=1
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.02
	done
	if [ "$found" = 0 ]; then
		kill -KILL -- "-$pid" 2>/dev/null || true
		wait "$pid" || true
		echo "no $proc ran within ${secs}s of: $*"
		cat "$BATS_TEST_TMPDIR/interrupted.out"
		return 1
	fi
	kill -INT -- "-$pid"
	status=0
	wait "$pid" || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/interrupted.out")
	echo "interrupted while $proc ran: exit $status"
	echo "$output" | tail -n 5
	[ "$status" -ne 0 ]
	sleep 1
	# (procps' ps -g selects a session, not a process group: awk does it)
	left=$(ps -e -o pid=,pgid=,stat=,args= | awk -v g="$pid" '$2 == g && $3 !~ /^Z/' || true)
	[ -z "$left" ] || {
		echo "still running after the interrupt: $left"
		kill -KILL -- "-$pid" 2>/dev/null || true
		return 1
	}
}

# stall COMMAND: a COMMAND earlier in PATH that waits 60 s before it runs
# the real one, for a stage too quick to interrupt otherwise.
stall() {
	local d=$BATS_TEST_TMPDIR/stall real
	real=$(command -v "$1")
	mkdir -p "$d"
	printf '#!/bin/sh\nsleep 60\nexec %s "$@"\n' "$real" >"$d/$1"
	chmod +x "$d/$1"
	export PATH=$d:$PATH
}

# real_build: the 6.12 base build of make qemu-test (in the BUILD_DIR make
# test-host was given, if any), brought up to date first, kernel and
# initramfs together, so that a test which runs kbuild or boots on top of
# it finds nothing to do and leaves no bzImage newer than its initramfs.
# Sets REAL_BUILD_DIR and REAL (its 6.12 directory).
real_build() {
	export REAL_BUILD_DIR=${BUILD_DIR:-$ROOT/build}
	export REAL=$REAL_BUILD_DIR/6.12
	local cache=()
	[ -z "${CACHE_DIR:-}" ] || cache=(CACHE_DIR="$CACHE_DIR")
	make -C "$ROOT" -s --no-print-directory initramfs BUILD_DIR="$REAL_BUILD_DIR" "${cache[@]}" >&3 2>&1
}

# copy_repo: a copy of the repository (tracked files plus the work tree's
# changes) in BATS_TEST_TMPDIR/repo; prints its path.
copy_repo() {
	local dst=$BATS_TEST_TMPDIR/repo
	mkdir -p "$dst"
	(cd "$ROOT" && git ls-files -co --exclude-standard | tar -cf - -T -) | tar -xf - -C "$dst"
	echo "$dst"
}
