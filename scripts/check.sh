#!/usr/bin/env bash
# Runs every suite twice: plain build, then AddressSanitizer + UBSan.
# Each suite speaks TAP; the last line sums them: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
suite_timeout=${SUITE_TIMEOUT:-240}
passed=0
failed=0
log=build/check.log
mkdir -p build
: >"$log"

# Counts a TAP stream's results; a runner that died without reporting a
# failure still counts as one.
tally() {	# name status tapfile
	local name=$1 status=$2 tap=$3 ok bad
	ok=$(grep -cE '^ok ' "$tap")
	bad=$(grep -cE '^not ok ' "$tap")
	if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then
		bad=1
		echo "not ok - $name exited with status $status" >>"$tap"
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
	printf '%-34s %4d passed, %d failed\n' "$name" "$ok" "$bad"
	grep -E '^not ok ' "$tap" | sed 's/^/    /' | head -n 20
	cat "$tap" >>"$log"
}

# Suites run SUITE_JOBS at a time (most of their time is spent waiting on
# processes, timers and the network, not on the cores); each writes its
# own TAP and stderr, tallied in order once all are done.
suite_jobs=${SUITE_JOBS:-$((jobs + 1))}

# One suite in the background: its TAP in DIR/N.tap, its status in N.rc.
spawn() {	# dir n command...
	local dir=$1 n=$2
	shift 2
	while [ "$(jobs -rp | wc -l)" -ge "$suite_jobs" ]; do
		wait -n 2>/dev/null || true
	done
	( "$@" >"$dir/$n.tap" 2>"$dir/$n.err"; echo $? >"$dir/$n.rc" ) &
}

# A fuzz corpus replay as TAP (its driver prints no TAP of its own).
replay() {	# driver corpus
	if timeout -k 5 120 "$1" "$2" >&2; then
		echo "ok 1 - replay ${2##*/}"
	else
		echo "not ok 1 - replay ${2##*/}"
		return 1
	fi
}

run_suites() {	# build-dir label
	local b=$1 label=$2 t dir n=0 i
	local -a names=()

	dir=$(mktemp -d)
	for t in "$b"/tests/test-*; do
		[ -x "$t" ] || continue
		names+=("$label unit ${t##*/}")
		spawn "$dir" $((n++)) env CMOCKA_MESSAGE_OUTPUT=TAP \
			timeout -k 5 120 "$t"
	done
	for t in "$b"/fuzz/replay-*; do
		[ -x "$t" ] || continue
		names+=("$label fuzz-replay ${t##*/replay-}")
		spawn "$dir" $((n++)) replay "$t" "tests/fuzz/corpus/${t##*/replay-}"
	done
	for t in tests/cli/*.bats; do
		[ -f "$t" ] || continue
		names+=("$label cli ${t##*/}")
		# a hung suite must fail, not stall CI
		spawn "$dir" $((n++)) env SOCKLAB="$PWD/$b/socklab" \
			timeout -k 10 "$suite_timeout" bats --tap "$t"
	done
	wait
	for ((i = 0; i < n; i++)); do
		cat "$dir/$i.err" >>"$log"
		tally "${names[$i]}" "$(cat "$dir/$i.rc" 2>/dev/null || echo 1)" \
			"$dir/$i.tap"
	done
	rm -rf "$dir"
}

build() {	# make arguments
	if ! make -s -j"$jobs" "$@" all unit replay >>"$log" 2>&1; then
		echo "build failed (make $*): see $log" >&2
		tail -n 30 "$log" >&2
		return 1
	fi
}

if build; then
	run_suites build plain
	# memcheck over a small subset of the CLI suites (about a minute)
	tap=$(mktemp)
	timeout -k 10 "$suite_timeout" scripts/valgrind.sh build >"$tap" 2>>"$log"
	tally "valgrind cli subset" "$?" "$tap"
	rm -f "$tap"
else
	failed=$((failed + 1))
fi

# every other configuration the README or a developer may build must be
# warning-free too (incremental: each keeps its own build directory)
tap=$(mktemp)
scripts/build-configs.sh "$jobs" >"$tap" 2>>"$log"
tally "build configurations" "$?" "$tap"
rm -f "$tap"

san_dir=build/asan
san_logs=$PWD/$san_dir/logs
rm -rf "$san_logs"
mkdir -p "$san_logs"
if build BUILD=$san_dir CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"; then
	export ASAN_OPTIONS="log_path=$san_logs/asan:detect_leaks=1:abort_on_error=0"
	export UBSAN_OPTIONS="log_path=$san_logs/ubsan:print_stacktrace=1:halt_on_error=1"
	run_suites "$san_dir" asan
	unset ASAN_OPTIONS UBSAN_OPTIONS
	# a sanitizer report from any process, even a server killed later, fails
	tap=$(mktemp)
	reports=$(find "$san_logs" -type f | wc -l)
	if [ "$reports" -eq 0 ]; then
		echo "ok 1 - no sanitizer reports" >"$tap"
	else
		echo "not ok 1 - $reports sanitizer reports in $san_logs" >"$tap"
		find "$san_logs" -type f | head -n 3 | xargs head -n 20 >&2
	fi
	tally "asan reports" 0 "$tap"
	rm -f "$tap"
else
	failed=$((failed + 1))
fi

echo "full log: $log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
