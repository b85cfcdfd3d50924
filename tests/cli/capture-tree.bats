#!/usr/bin/env bats
# capture -V: the TCP options in the tree as tshark -V shows them (titles,
# kinds, lengths, the "Options:" line), on the golden pcaps and on a pcap
# with one packet per option kind tshark knows, and per kind it does not.

GOLDEN="$BATS_TEST_DIRNAME/../golden/pcaps"

setup() {
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP"
}

same_options() {	# PCAP: socklab's and tshark's option lines agree
	tshark -r "$1" -V >"$TMP/tshark.txt" 2>/dev/null
	"$SOCKLAB" capture -r "$1" -V >"$TMP/socklab.txt" 2>/dev/null || true
	python3 "$BATS_TEST_DIRNAME/tcp-options.py" "$TMP/tshark.txt" "$TMP/socklab.txt"
}

@test "-V TCP options equal tshark's on every golden pcap" {
	local n=0
	for f in "$GOLDEN"/*.pcap; do
		run same_options "$f"
		echo "${f##*/}: $output"
		[ "$status" -eq 0 ]
		n=$((n + $(sed -n 's/^\([0-9]*\) option lines.*/\1/p' <<<"$output")))
	done
	# the golden pcaps do carry options (MSS, SACK, timestamps, window
	# scale, NOP, a cut and a bad one)
	[ "$n" -ge 400 ]
}

@test "-V names every TCP option kind as tshark does (one packet per kind)" {
	python3 - "$TMP/kinds.pcap" <<'PY'
import struct, sys
# lengths the known options must have; 4 for every other kind
lengths = {2: 4, 3: 3, 4: 2, 5: 10, 6: 6, 7: 6, 8: 10, 11: 6, 12: 6, 13: 6,
           19: 18, 27: 8, 28: 4, 30: 12, 34: 10}
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
# 76 (Riverbed Probe) is left out: tshark's dissector of it reads the
# options after it as its own
for i, k in enumerate(k for k in range(2, 256) if k != 76):
    n = lengths.get(k, 4)
    opts = b"\x01" + bytes([k, n]) + bytes(range(1, n - 1))
    opts += b"\x01" * (-len(opts) % 4)
    tcp = struct.pack("!HHIIBBHHH", 40000, 59001, 1000, 2000,
                      (20 + len(opts)) // 4 << 4, 0x12, 512, 0, 0) + opts
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0,
                     bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
    frame = b"\0" * 12 + b"\x08\x00" + ip + tcp
    out.write(struct.pack("<IIII", i, 0, len(frame), len(frame)) + frame)
PY
	run same_options "$TMP/kinds.pcap"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q '^        TCP Option - No-Operation (NOP)$' "$TMP/socklab.txt"
	grep -q '^            Kind: Maximum Segment Size (2)  \[tcp.option_kind\]$' "$TMP/socklab.txt"
	grep -q '^            Kind: RFC3692-style Experiment 2 (254)  \[tcp.option_kind\]$' "$TMP/socklab.txt"
	grep -q '^            Kind: Unknown (200)  \[tcp.option_kind\]$' "$TMP/socklab.txt"
	grep -q '^    Options: (8 bytes), No-Operation (NOP), Unknown (0xc8), ' "$TMP/socklab.txt"
}

@test "-V shows a SYN's options with their values, as tshark names them" {
	run "$SOCKLAB" capture -r "$GOLDEN/eth.pcap" -V -c 1
	[ "$status" -eq 0 ]
	[[ $output == *$'\n        TCP Option - Maximum segment size: 65495 bytes\n            Kind: Maximum Segment Size (2)  [tcp.option_kind]\n            Length: 4\n            MSS Value: 65495  [tcp.options.mss_val]\n'* ]]
	[[ $output == *$'\n        TCP Option - SACK permitted  [tcp.options.sack_perm]\n'* ]]
	[[ $output == *$'\n        TCP Option - Window scale: 7 (multiply by 128)\n'* ]]
	[[ $output != *"Kind: 1 "* ]]
}
