#!/usr/bin/env bash
# valgrind.sh [BUILD] - a small subset of the CLI suites with every socklab
# process run under valgrind memcheck; prints TAP.  The subset's own tests
# must pass, and every process must end with zero errors and zero definite
# leaks (--errors-for-leak-kinds=definite: a definite leak is an error).
# Used by scripts/check.sh on the plain build; kept under a minute.
set -uo pipefail
cd "$(dirname "$0")/.."

build=${1:-build}
real=$PWD/$build/socklab

# file -> the tests of it to run (a bats --filter regex)
subset=(
	"tests/cli/server.bats" "exact accepted|SIGTERM closes clients|names are escaped in the log|--json: valid NDJSON"
	"tests/cli/client.bats" "prints Hello, alice! and exits 0|hostile reply bytes|an endless line without newline"
	"tests/cli/capture.bats" "malformed packets are marked|reads a pcap written by tcpdump|missing file, bad filters"
	"tests/cli/dfilter.bats" "a bad field: three lines|syntax errors point at the spot"
	"tests/cli/hostile-server.bats" "half-closed"
)

if ! command -v valgrind >/dev/null; then
	echo "1..1"
	echo "ok 1 - valgrind # skip valgrind is not installed (scripts/deps.sh installs it)"
	exit 0
fi
if [ ! -x "$real" ]; then
	echo "1..1"
	echo "not ok 1 - valgrind: no $real (build it first)"
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/logs"
cat >"$work/socklab" <<WRAP
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \\
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \\
	--log-file="$work/logs/vg.%p.log" "$real" "\$@"
WRAP
chmod +x "$work/socklab"

n=0
status=0
results=$work/results
: >"$results"
for ((i = 0; i < ${#subset[@]}; i += 2)); do
	file=${subset[i]} filter=${subset[i + 1]}
	[ -f "$file" ] || continue
	SOCKLAB="$work/socklab" bats --tap -f "$filter" "$file" \
		>"$work/tap" 2>&1 || status=1
	# renumber into one plan; keep the comment lines
	while IFS= read -r line; do
		case $line in
		"ok "* | "not ok "*)
			n=$((n + 1))
			ok=${line%% [0-9]*}
			echo "$ok $n - ${file##*/}: ${line#* [0-9]* }" >>"$results"
			;;
		"#"*) echo "$line" >>"$results" ;;
		esac
	done <"$work/tap"
done

# the verdict on every process that ran under valgrind
procs=0 bad=0
for log in "$work"/logs/vg.*.log; do
	[ -e "$log" ] || continue
	procs=$((procs + 1))
	if [ -s "$log" ]; then
		bad=$((bad + 1))
		sed 's/^/# /' "$log" | head -n 40 >>"$results"
	fi
done
n=$((n + 1))
if [ "$bad" -eq 0 ] && [ "$procs" -gt 0 ]; then
	echo "ok $n - valgrind: $procs socklab processes, 0 errors, 0 definite leaks" >>"$results"
else
	echo "not ok $n - valgrind: $bad of $procs socklab processes reported errors or definite leaks" >>"$results"
	status=1
fi
echo "1..$n"
cat "$results"
exit "$status"
