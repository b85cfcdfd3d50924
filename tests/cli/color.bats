#!/usr/bin/env bats
# Colour: on a terminal (a pty from script(1)) states, TCP flags and the
# lab's verdicts are coloured; into a pipe never; NO_COLOR and
# --color=never|always|auto decide as documented.

GOLDEN="$BATS_TEST_DIRNAME/../golden/pcaps"
ESC=$'\033['

setup() {
	TMP=$(mktemp -d)
	command -v script >/dev/null || skip "script (util-linux) is not installed"
}

teardown() {
	rm -rf "$TMP"
}

on_tty() {	# CMD...: run on a pseudo-terminal; its output in $TMP/tty
	local line
	line=$(printf '%q ' "$@")
	script -qec "$line" /dev/null </dev/null >"$TMP/tty"
}

@test "capture on a terminal: SYN green, RST red, FIN yellow; none into a pipe" {
	on_tty "$SOCKLAB" capture -r "$GOLDEN/eth.pcap"
	grep -qF "${ESC}32m[SYN]${ESC}0m Seq=0" "$TMP/tty"
	grep -qF "${ESC}33m[FIN, ACK]${ESC}0m" "$TMP/tty"
	grep -qF "${ESC}31m[RST" "$TMP/tty"
	"$SOCKLAB" capture -r "$GOLDEN/eth.pcap" >"$TMP/pipe"
	! grep -qF "$ESC" "$TMP/pipe"
	# apart from the colour, the same lines
	diff <(sed 's/\x1b\[[0-9;]*m//g; s/\r$//' "$TMP/tty" | grep -v 'packets seen') \
		<(grep -v 'packets seen' "$TMP/pipe")
}

@test "NO_COLOR and --color=never turn it off on a terminal; --color=always into a pipe" {
	on_tty env NO_COLOR=1 "$SOCKLAB" capture -r "$GOLDEN/eth.pcap"
	! grep -qF "$ESC" "$TMP/tty"
	on_tty "$SOCKLAB" capture -r "$GOLDEN/eth.pcap" --color=never
	! grep -qF "$ESC" "$TMP/tty"
	on_tty "$SOCKLAB" --color=auto capture -r "$GOLDEN/eth.pcap"
	grep -qF "${ESC}32m[SYN]" "$TMP/tty"
	# the flag beats the variable, as no-color.org asks
	NO_COLOR=1 "$SOCKLAB" capture --color=always -r "$GOLDEN/eth.pcap" >"$TMP/pipe"
	grep -qF "${ESC}32m[SYN]" "$TMP/pipe"
	run "$SOCKLAB" capture --color=sometimes -r "$GOLDEN/eth.pcap"
	[ "$status" -eq 2 ]
	[[ $output == *'bad value "sometimes" for --color: use never, always or auto'* ]]
}

@test "sockets on a terminal: the state column coloured, the columns still aligned" {
	on_tty "$SOCKLAB" sockets -l -t
	grep -qF "${ESC}36mLISTEN${ESC}0m" "$TMP/tty"
	sed 's/\x1b\[[0-9;]*m//g; s/\r$//' "$TMP/tty" >"$TMP/plain"
	"$SOCKLAB" sockets -l -t >"$TMP/pipe"
	! grep -qF "$ESC" "$TMP/pipe"
	# the header's columns start where the rows' do
	col=$(head -n 1 "$TMP/plain" | grep -bo 'State' | cut -d: -f1)
	[ "$(sed -n 2p "$TMP/plain" | cut -c$((col + 1))-$((col + 6)))" = LISTEN ]
}

@test "lab on a terminal: verified green, skipped yellow; the files never coloured" {
	on_tty "$SOCKLAB" lab --name alice --out "$TMP/e" --no-capture --no-images
	grep -qF "${ESC}32mverified:${ESC}0m" "$TMP/tty"
	grep -qF "${ESC}33mskipped:${ESC}0m" "$TMP/tty"
	grep -qF "${ESC}32mall steps verified${ESC}0m" "$TMP/tty"
	! grep -rqF "$ESC" "$TMP/e"
}
