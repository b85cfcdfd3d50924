#!/usr/bin/env bats
# socklab help: the manual from the binary (through man on a terminal,
# laid out by socklab itself otherwise), per-command help, the field list.

bats_require_minimum_version 1.5.0

MANPAGE="$BATS_TEST_DIRNAME/../../docs/socklab.1"

setup() {
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP"
}

words() {	# FILE: its words one a line, man's typography made ASCII
	sed 's/‐/-/g; s/−/-/g; s/[‘’]/'"'"'/g' "$1" | tr -s ' \t' '\n\n' | grep -v '^$'
}

@test "socklab help into a pipe: the whole manual, the same words in the same order as man's" {
	run --separate-stderr "$SOCKLAB" help
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$TMP/help.txt"
	for s in NAME SYNOPSIS DESCRIPTION 'EXIT STATUS' SERVER CLIENT SOCKETS CAPTURE LAB BENCH; do
		grep -qx "$s" "$TMP/help.txt"
	done
	# no roff left in it
	! grep -qE '^\.[A-Z]|\\f[BIRP]|\\-|\\\(' "$TMP/help.txt"
	command -v man >/dev/null || skip "man is not installed: nothing to compare with"
	MANWIDTH=80 man --nh --nj -l "$MANPAGE" 2>/dev/null | col -b >"$TMP/man.txt"
	diff <(words "$TMP/man.txt") <(words "$TMP/help.txt")
}

@test "socklab help on a terminal goes through man when there is one" {
	command -v man >/dev/null || skip "man is not installed"
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	printf '#!/bin/sh\ntouch "%s/paged"\ncat >"%s/paged.txt"\n' "$TMP" "$TMP" >"$TMP/pager"
	chmod +x "$TMP/pager"
	MANPAGER="$TMP/pager" script -qec "$SOCKLAB help" /dev/null </dev/null >/dev/null
	[ -e "$TMP/paged" ]
	# man's own layout (bold as overstrikes or SGR), of the built-in page
	sed 's/\x1b\[[0-9;]*m//g' "$TMP/paged.txt" | col -b >"$TMP/plain.txt"
	grep -q 'shows this manual from the binary itself' "$TMP/plain.txt"
	grep -q '^SOCKLAB(1)' "$TMP/plain.txt"
}

@test "socklab help on a terminal without man lays the manual out itself" {
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	script -qec "env PATH=/nonexistent $SOCKLAB help" /dev/null </dev/null >"$TMP/out"
	grep -q '^SYNOPSIS' "$TMP/out"
	grep -q 'socklab server \[-u\] \[-p PORT\]' "$TMP/out"
}

@test "socklab help COMMAND keeps each command's own help; help fields lists the registry" {
	for c in server client capture sockets bench lab; do
		run "$SOCKLAB" help "$c"
		[ "$status" -eq 0 ]
		[[ "${lines[0]}" == "usage: socklab $c "* ]]
	done
	run "$SOCKLAB" help fields
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | grep -qxF $'tcp.port\tunsigned\tSource or Destination Port'
	printf '%s\n' "$output" | grep -qxF $'ip.addr\tipv4\tSource or Destination Address'
	# every field -Y accepts, and only those
	for f in $(printf '%s\n' "$output" | cut -f1); do
		"$SOCKLAB" capture -r "$BATS_TEST_DIRNAME/../golden/pcaps/eth.pcap" -q -Y "$f" >/dev/null 2>&1 ||
			[ $? -eq 1 ] || { echo "-Y $f refused"; false; }
	done
	run "$SOCKLAB" help bogus
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command \"bogus\": see 'socklab --help'"* ]]
	run "$SOCKLAB" --help
	[[ "$output" == *"'socklab help' for the whole manual"* ]]
}
