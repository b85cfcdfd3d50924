#!/usr/bin/env bats
# report.html's "Step through it", in Debian's headless Chromium driven
# by playwright-core (tests/browser/walk.mjs): arrow keys and buttons with
# JavaScript, links without; the states each card shows checked against
# the packet it is about.

setup_file() {
	W=$BATS_FILE_TMPDIR
	export W
	"$SOCKLAB" lab --name alice --out "$W/e" --no-images >"$W/lab.out" 2>&1 || true
}

need_browser() {
	[ -x /usr/bin/chromium ] || skip "chromium is not installed (scripts/deps.sh check installs it)"
	command -v node >/dev/null || skip "node is not installed (scripts/deps.sh check installs it)"
	[ -d "$BATS_TEST_DIRNAME/../browser/node_modules/playwright-core" ] ||
		skip "playwright-core is not installed (scripts/deps.sh check runs npm ci in tests/browser)"
	[ -s "$W/e/alice_packet.pcapng" ] || skip "the lab could not capture here: $(tail -1 "$W/lab.out")"
}

@test "report.html steps through the events with the arrow keys and buttons, and by links without JavaScript" {
	need_browser
	run timeout 120 node "$BATS_TEST_DIRNAME/../browser/walk.mjs" "$W/e/alice_report.html" alice
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"ok at that moment both sockets are ESTABLISHED: ESTABLISHED, ESTABLISHED"* ]]
	[[ $output == *"ok a link to #ev-5 shows the fifth"* ]]
	[[ $output != *"not ok"* ]]
}

@test "every event has its card, in time order, the name's packet marked" {
	h=$W/e/alice_report.html
	[ -s "$h" ] || skip "the lab did not run"
	n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["timeline"]))' "$W/e/alice_report.json")
	[ "$(grep -c '<article class="ev' "$h")" -eq "$n" ]
	grep -q "<article class=\"ev\" id=\"ev-$n\"" "$h"
	[ -s "$W/e/alice_packet.pcapng" ] || return 0
	frame=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["name_frames"][0])' "$W/e/alice_report.json")
	grep -q "<article class=\"ev name\" id=\"ev-[0-9]*\" data-kind=\"packet\" data-frame=\"$frame\">" "$h"
	# still self-contained: the script is inline
	! grep -qiE '<script src|https?://' "$h"
}
