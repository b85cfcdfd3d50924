# wait.bash - the suites' bounded waits, sourced by helpers.bash, and by
# a suite whose scripts run in a shell of their own (a network namespace):
# it exports them.  Every wait is a poll with a deadline; nothing sleeps a
# fixed time.

# now_ms: wall clock in milliseconds
now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# wait_until TIMEOUT CMD...: until CMD succeeds; TIMEOUT in seconds
# ("0.5" works). The one polling loop of the suites.
wait_until() {
	local end
	end=$(($(now_ms) + $(ms_of "$1")))
	shift
	until "$@"; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.02	# poll step; the loop is bound by TIMEOUT
	done
}

# ms_of SECONDS: "0.5" -> 500, "3" -> 3000
ms_of() {
	local s=$1 int frac
	int=${s%%.*}
	frac=0
	[[ $s == *.* ]] && frac=${s#*.}
	frac=${frac}000
	echo $((10#${int:-0} * 1000 + 10#${frac:0:3}))
}

# wait_for_line FILE REGEX [TIMEOUT]: until a line of FILE matches the
# extended REGEX; TIMEOUT in seconds (default 5). Prints FILE on failure.
wait_for_line() {
	wait_grep -E "$@"
}

# wait_for_text FILE TEXT [TIMEOUT]: the same for a fixed string
wait_for_text() {
	wait_grep -F "$@"
}

wait_grep() {	# -E|-F FILE PATTERN [TIMEOUT]
	wait_until "${4:-5}" grep -q "$1" -- "$3" "$2" 2>/dev/null && return 0
	echo "timed out after ${4:-5}s waiting for '$3' in $2:" >&2
	cat -v "$2" >&2 2>/dev/null
	return 1
}

export -f now_ms ms_of wait_until wait_grep wait_for_line wait_for_text
