#!/usr/bin/env bats
# The lab as a new user meets it: `make lab` without root, names that are
# not ASCII or that a shell would misread, and the report on a phone.

bats_require_minimum_version 1.5.0

REPO="$BATS_TEST_DIRNAME/../.."

setup() {
	TMP=$(mktemp -d)
	chmod 755 "$TMP"
	HOLDER=
}

teardown() {
	[ -z "$HOLDER" ] || kill "$HOLDER" 2>/dev/null || true
	rm -rf "$TMP"
}

# hold_port: a python3 process listening on a free port of 127.0.0.1;
# sets HOLDER (its pid) and HELD (the port)
hold_port() {
	python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
print(s.getsockname()[1], flush=True)
time.sleep(60)' >"$TMP/held" &
	HOLDER=$!
	for _ in $(seq 250); do	# at most 5 s
		[ -s "$TMP/held" ] && break
		sleep 0.02
	done
	HELD=$(cat "$TMP/held")
	[ -n "$HELD" ]
}

json() {	# FILE PYTHON-EXPRESSION over j: prints its value
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1], encoding="utf-8")); print(eval(sys.argv[2]))' "$1" "$2"
}

# as_nobody CMD...: CMD as an unprivileged user, without capabilities
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		--bounding-set=-all env -u ASAN_OPTIONS -u UBSAN_OPTIONS \
		HOME="$TMP" "$@"
}

# tree_copy DIR: the sources and the build $SOCKLAB came from, owned by
# nobody, so that make finds everything built and up to date
tree_copy() {
	local build
	build=$(dirname "$SOCKLAB")
	mkdir -p "$1/build"
	(cd "$REPO" && tar -c Makefile scripts cli lib include docs starters) | tar -x -C "$1"
	(cd "$build" && tar -c --exclude=./asan --exclude=./tests \
		--exclude=./fuzz --exclude=./check.log .) | tar -x -C "$1/build"
	# make compares times: the build must stay newer than the sources, and
	# all of it one time (touched in batches, an object could come out a
	# little newer than the program and relink it without the build's
	# flags: an ASan build's objects without -fsanitize)
	local now
	now=$(date +%s.%N)
	find "$1/build" -exec touch -d "@$now" {} +
	chown -R 65534:65534 "$1"
}

@test "make lab as a user without root, the packages present: runs every step it may" {
	tree_copy "$TMP/src"
	cd "$TMP/src"
	run as_nobody make -s lab NAME="O'Brien"
	echo "$output"
	# without CAP_NET_RAW the capture is skipped (exit 1, make's 2): the
	# other steps are verified, and the fix is named
	[ "$status" -eq 2 ]
	[[ $output != *"deps.sh"* ]]
	[[ $output != *"sudo apt-get"* ]]
	[[ $output == *"setcap cap_net_raw"* ]]
	for step in listening established message; do
		grep -q '^verified: ' "evidence/O'Brien_$step.txt"
	done
	grep -qx "Hello, O'Brien!" "evidence/O'Brien_message.txt"
	[ "$(json "evidence/O'Brien_report.json" 'j["name"]')" = "O'Brien" ]
	[ "$(json "evidence/O'Brien_report.json" '",".join(s["status"] for s in j["steps"])')" = "skipped,ok,ok,ok,ok,skipped" ]
}

@test "make lab with a package missing and no root: one line with the apt-get command, then stop" {
	tree_copy "$TMP/src"
	mkdir "$TMP/empty"
	cd "$TMP/src"
	run as_nobody env SL_DEPS_ROOT="$TMP/empty" make -s lab NAME=alice
	echo "$output"
	[ "$status" -ne 0 ]
	[ "${#lines[@]}" -le 2 ]	# the line, and make's own "Error" line
	[[ "${lines[0]}" == *"ask for (or run) sudo apt-get install gcc make libc6-dev pkg-config libpcap-dev libmnl-dev libpcre2-dev libgd3" ]]
	[[ $output != *"tshark"* ]]
	[ ! -e evidence ]
	# make check asks for what the suites use on top
	run as_nobody env SL_DEPS_ROOT="$TMP/empty" scripts/deps.sh check
	[ "$status" -eq 1 ]
	[[ $output == *"sudo apt-get install gcc "*" bats "*" tshark "*" chromium zsh nodejs npm" ]]
}

@test "NAME with shell syntax passes through make as typed" {
	tree_copy "$TMP/src"
	cd "$TMP/src"
	for name in "O'Brien" '$(touch pwned) `id` a;b "q" \x  two  spaces'; do
		run as_nobody make -s lab NAME="$name"
		echo "$output"
		[ "$status" -eq 2 ]	# the skipped capture, nothing else
		found=0
		for f in evidence/*_report.json; do
			[ "$(json "$f" 'j["name"]')" = "$name" ] && found=1
		done
		[ "$found" -eq 1 ]
	done
	[ ! -e pwned ]
	[ -e "evidence/O'Brien_report.json" ]
	[ -e 'evidence/$(touch pwned) `id` a;b "q" \x  two  spaces_report.json' ]
}

@test "a UTF-8 name: file names keep its letters, the evidence shows it as typed" {
	run "$SOCKLAB" lab --name 'José' --out "$TMP/e" --no-capture --no-images
	echo "$output"
	[ "$status" -eq 0 ]
	for f in listening established message packet code; do
		[ -s "$TMP/e/José_$f.txt" ]
	done
	[ -s "$TMP/e/José_report.html" ]
	[ "$(json "$TMP/e/José_report.json" 'j["name"]')" = José ]
	grep -q '<h1>socklab lab: José</h1>' "$TMP/e/José_report.html"
	[[ $output == *"evidence in $TMP/e/: José_listening.txt"* ]]
	[[ $output == *"José_report.json José_report.html"* ]]
	run "$SOCKLAB" lab --name '李小龍' --out "$TMP/e" --no-capture --no-images
	[ "$status" -eq 0 ]
	[ -s "$TMP/e/李小龍_message.txt" ]
	[ "$(json "$TMP/e/李小龍_report.json" 'j["name"]')" = '李小龍' ]
}

@test "file names replace only /, controls, bidi controls, bad bytes and leading dots" {
	local name
	for name in '../up' 'a/b' $'tab\there' $'\xe2\x80\xaeevil' $'bad\xffbyte' '.hidden' 'Ünïcødé-ok_1.0'; do
		# the file names are the point here, whatever the steps say
		"$SOCKLAB" lab --name "$name" --out "$TMP/e" --no-capture --no-images \
			>/dev/null 2>&1 || true
	done
	ls "$TMP/e" | grep '_code.txt$' | sort >"$TMP/names"
	cat "$TMP/names"
	diff - "$TMP/names" <<'EOF'
___up_code.txt
_evil_code.txt
_hidden_code.txt
a_b_code.txt
bad_byte_code.txt
tab_here_code.txt
Ünïcødé-ok_1.0_code.txt
EOF
	# nothing escaped the folder
	[ "$(find "$TMP" -name '*_code.txt' | wc -l)" -eq 7 ]
}

@test "report.html on a 390 px phone: times in the diagram at 11 px or more, nothing scrolls sideways" {
	command -v chromium >/dev/null || skip "chromium is not installed (scripts/deps.sh check installs it)"
	"$SOCKLAB" lab --name alice --out "$TMP/e" --no-images >"$TMP/out" 2>&1 ||
		{ cat "$TMP/out"; skip "the lab could not capture here"; }
	run bash "$BATS_TEST_DIRNAME/html-metrics.sh" "$TMP/e/alice_report.html" 390
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"viewport 390"* ]]
	[[ $output == *"page_width 390"* ]]
	[[ $output == *"sideways 0"* ]]
	python3 - "$output" <<'PY'
import sys
m = dict(l.split(" ", 1) for l in sys.argv[1].splitlines())
assert float(m["svg_time_px"]) >= 11, m
assert float(m["svg_text_px"]) >= 11, m
PY
	# every state dot is labelled: both listeners by address, the sockets
	# that went away by what they were
	grep -q '>LISTEN 127.0.0.1:[0-9]*</text>' "$TMP/e/alice_report.html"
	grep -q '>LISTEN \[::1\]:[0-9]*</text>' "$TMP/e/alice_report.html"
	grep -q '&#8594; closed</text>' "$TMP/e/alice_report.html"
	grep -q 'The packets are in <code>alice_packet.pcapng</code>' "$TMP/e/alice_report.html"
}

@test "lab with its port held: the error line says the holder and the fix first" {
	hold_port
	run --separate-stderr "$SOCKLAB" lab -p "$HELD" --name alice --out "$TMP/e" --no-capture --no-images
	echo "$output"; echo "$stderr"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "${stderr_lines[0]}" == "socklab lab: step 2 (Start the server in its own process) failed: cannot listen on 127.0.0.1:$HELD: port $HELD is in use by pid $HOLDER (python3)"*"kill $HOLDER"*" or use -p "* ]]
	[[ "${stderr_lines[0]}" == *"; the whole run is in $TMP/e/alice_report.html" ]]
	[[ $output != *"did not start listening"* ]]
	# the report says the same, and wraps it
	grep -q "port $HELD is in use by pid $HOLDER" "$TMP/e/alice_report.html"
}

@test "lab without capture privilege: the error line names the step skipped and the setcap fix" {
	cp "$SOCKLAB" "$TMP/socklab"
	mkdir "$TMP/e"
	chown 65534:65534 "$TMP/e"
	cd "$TMP"
	run --separate-stderr as_nobody "$TMP/socklab" lab --name carol --out "$TMP/e" --no-images
	echo "$stderr"
	[ "$status" -eq 1 ]
	[[ "${stderr_lines[0]}" == "socklab lab: step 1 (Start a capture on the loopback interface) was skipped: "*"setcap cap_net_raw"* ]]
}
