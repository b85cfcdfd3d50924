#!/usr/bin/env bats
# utf8.bats - names are UTF-8 text: shown as typed by the server's log, the
# client, the lab and its report, while controls, C1 and bidi characters
# and bytes that are not UTF-8 are escaped on every output alike.

bats_require_minimum_version 1.5.0
load helpers

# clean FILE...: valid UTF-8 with no control (but newline), C1 or bidi
# character: what may reach a terminal or a page
clean() {
	py - "$@" <<'PY'
import sys
for path in sys.argv[1:]:
    text = open(path, "rb").read().decode("utf-8")	# fails on invalid
    for i, c in enumerate(text):
        o = ord(c)
        if (o < 0x20 and c != "\n") or 0x7f <= o <= 0x9f or \
           0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069:
            sys.exit("%s: U+%04X at %d" % (path, o, i))
PY
}

@test "server log and client reply keep José and an em dash as typed" {
	local name='José — ok'
	start_server -p 0
	run --separate-stderr "$SOCKLAB" client -H 127.0.0.1 -p "$PORT" "$name"
	[ "$status" -eq 0 ]
	[ "$output" = "Hello, $name!" ]
	wait_for_text "$TMP/srv.out" "received \"$name\" from "
	"$SOCKLAB" client --json -H 127.0.0.1 -p "$PORT" "$name" >"$TMP/c.json"
	grep -qF "\"reply\":\"Hello, $name!\"" "$TMP/c.json"
	! grep -qF '\x' "$TMP/srv.out"
	clean "$TMP/srv.out" "$TMP/c.json"
}

@test "a C1 CSI and a bidi override are escaped as \\u009b and \\u202e in the log, the reply and JSON" {
	local name=$'a\u202eb\u009bc'
	start_server -p 0
	"$SOCKLAB" client -H 127.0.0.1 -p "$PORT" "$name" >"$TMP/c.out"
	[ "$(cat "$TMP/c.out")" = 'Hello, a\u202eb\u009bc!' ]
	wait_for_text "$TMP/srv.out" 'received "a\u202eb\u009bc" from '
	"$SOCKLAB" client --json -H 127.0.0.1 -p "$PORT" "$name" >"$TMP/c.json"
	grep -qF '"reply":"Hello, a\u202eb\u009bc!"' "$TMP/c.json"
	clean "$TMP/c.out" "$TMP/srv.out" "$TMP/c.json"
}

@test "server log: invalid UTF-8 and a sequence cut at the end of a name are escaped byte by byte" {
	start_server -p 0
	run talk 127.0.0.1 "$PORT" connect local send:'Jos\xc3\n' line \
		send:'\xc0\xaf\xed\xa0\x80\n' line shut eof
	[ "$status" -eq 0 ]
	A=$(sed -n 's/^1 local //p' <<<"$output")
	wait_for_text "$TMP/srv.out" "closed $A "
	grep -qxF "received \"Jos\\xc3\" from $A" "$TMP/srv.out"
	grep -qxF "received \"\\xc0\\xaf\\xed\\xa0\\x80\" from $A" "$TMP/srv.out"
	clean "$TMP/srv.out"
}

@test "lab --name José: the steps, report.json and report.html show the name as typed" {
	P=$(free_port)
	run "$SOCKLAB" lab -p "$P" --name 'José' --no-images --out "$TMP/lab"
	[ "$status" -eq 0 ]
	grep -qx '      Hello, José!' <<<"$output"
	grep -qF 'received "José" from ' <<<"$output"
	! grep -qF '\x' <<<"$output"
	grep -rqxF 'Hello, José!' "$TMP/lab"/*_message.txt
	[ "$(python3 -c 'import json,sys; j = json.load(open(sys.argv[1])); print(j["client_reply"], j["server_log"][:15])' "$TMP/lab/José_report.json")" = 'Hello, José! received "José"' ]
	grep -qF '<h1>socklab lab: José</h1>' "$TMP/lab/José_report.html"
	! grep -qF '\x' "$TMP/lab/José_report.html"
	clean "$TMP/lab/José_report.html" "$TMP/lab"/*_message.txt
}

@test "lab on a held port: the server's error keeps its em dash in the step and the report" {
	start_peer silent
	run "$SOCKLAB" lab -p "$PEER_PORT" --name x --no-images --out "$TMP/lab"
	[ "$status" -ne 0 ]
	grep -qF "is in use by pid $PEER" <<<"$output"
	grep -qF ' — stop it' <<<"$output"
	! grep -qF '\xe2' <<<"$output"
	grep -qF ' — stop it' "$TMP/lab/x_report.json"
	grep -qF ' — stop it' "$TMP/lab/x_report.html"
	clean "$TMP/lab/x_report.html" "$TMP/lab/x_report.json"
}
