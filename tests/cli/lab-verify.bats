#!/usr/bin/env bats

bats_require_minimum_version 1.5.0
# socklab lab --verify: bundles as the lab writes them (personal: the
# pcapng's comments, report.json's hashes, _sha256sums.txt), then
# checked as a teacher would get them: good, tampered (an edited text, a
# swapped capture, another student's code), made by hand (a pcapng the
# test writes, a screenshot, a program), copied between students, in a
# folder, a stored ZIP and a deflated one; the table, CSV and class page.

setup_file() {
	V=$BATS_FILE_TMPDIR
	export V
	"$SOCKLAB" lab --name alice --out "$V/runs/alice" >"$V/alice.out" 2>&1 || true
	"$SOCKLAB" lab --name bob --out "$V/runs/bob" --no-images >"$V/bob.out" 2>&1 || true
	if unshare -n true 2>/dev/null; then
		cat >"$V/server.py" <<'PY'
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
c, _ = s.accept(); print("got", c.recv(100)); c.sendall(b"hi\n"); c.close()
PY
		cat >"$V/client.py" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(sys.argv[2].encode()); s.recv(100); s.close()
PY
		for n in carol dave; do
			unshare -n bash -c 'ip link set lo up; cd "$V"; "$SOCKLAB" lab --name "$1" --server "python3 server.py 59123" --client "python3 client.py 59123 $1" --out "$V/runs/$1" --no-images' x "$n" >"$V/$n.out" 2>&1 || true
		done
	fi
}

json() {	# FILE EXPRESSION over j
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

need_capture() {
	[ -s "$V/runs/$1/$1_packet.pcapng" ] || skip "the lab could not capture here: $(tail -1 "$V/$1.out")"
}

# class NAME...: a fresh copy of those runs' bundles, a folder each
class() {
	rm -rf "$V/class"
	mkdir -p "$V/class"
	for n in "$@"; do cp -r "$V/runs/$n" "$V/class/$n"; done
}

# mark STUDENT CHECK: that check's mark in the CSV of the last run
mark() {
	python3 - "$V/out.csv" "$1" "$2" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["student"] == sys.argv[2] and sys.argv[3] in r:
        print(r[sys.argv[3]]); break
PY
}

verify_csv() {	# PATH...
	run "$SOCKLAB" lab --verify "$@" --csv
	printf '%s\n' "$output" >"$V/out.csv"
}

@test "the bundle is personal: pcapng comments, run id, every file's SHA-256, sha256sum -c" {
	need_capture alice
	d=$V/runs/alice
	capinfos "$d/alice_packet.pcapng" >"$V/cap"
	grep -q 'File type: *Wireshark/... - pcapng' "$V/cap"
	grep -q 'Capture comment: *student: alice' "$V/cap"
	run_id=$(json "$d/alice_report.json" 'j["run_id"]')
	[[ $run_id =~ ^[0-9a-f]{32}$ ]]
	grep -q "Capture comment: *run: $run_id" "$V/cap"
	grep -q 'Capture application: *socklab ' "$V/cap"
	[ "$(json "$d/alice_report.json" 'j["student"]')" = alice ]
	# tshark and tcpdump open it, with every frame
	[ "$(tshark -r "$d/alice_packet.pcapng" | wc -l)" -eq "$(json "$d/alice_report.json" 'j["pcap"]["packets"]')" ]
	tcpdump -r "$d/alice_packet.pcapng" -n 2>/dev/null | grep -q 'Flags \[S\]'
	# report.json lists every other file with its hash; the list covers it
	for f in $(json "$d/alice_report.json" '" ".join(f["name"] for f in j["files"])'); do
		[ "$(json "$d/alice_report.json" '[f["sha256"] for f in j["files"] if f["name"]=="'"$f"'"][0]')" = "$(sha256sum "$d/$f" | cut -d' ' -f1)" ]
	done
	[ "$(json "$d/alice_report.json" 'len(j["files"])')" -eq 11 ]
	(cd "$d" && sha256sum -c --quiet alice_sha256sums.txt)
	grep -q '  alice_report.json$' "$d/alice_sha256sums.txt"
	# two runs of one student never share a run id
	[ "$(json "$V/runs/bob/bob_report.json" 'j["run_id"]')" != "$run_id" ]
}

@test "a good bundle: every check ok, exit 0; socklab's own code is a note" {
	need_capture alice
	class alice
	run "$SOCKLAB" lab --verify "$V/class"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == "student  files  capture  handshake  name  sockets  hashes  images  code  copies  verdict" ]]
	[[ ${lines[1]} =~ ^alice\ +ok\ +ok\ +ok\ +ok\ +ok\ +ok\ +ok\ +note\ +n/a\ +check$ ]]
	[[ $output == *"code: note: alice_code.txt holds socklab's own server and client"* ]]
}

@test "the student's own programs: code ok; two students with the same code are flagged" {
	[ -s "$V/runs/carol/carol_report.json" ] || skip "no network namespaces here"
	class carol dave
	verify_csv "$V/class"
	cat "$V/out.csv"
	[ "$status" -eq 1 ]
	[ "$(mark carol code)" = ok ]
	[ "$(mark carol handshake)" = ok ]
	[ "$(mark carol name)" = ok ]
	[ "$(mark carol sockets)" = ok ]
	[ "$(mark carol copies)" = FAIL ]
	[[ $(mark dave copies_reason) == *"the same code, file for file, as carol's bundle"* ]]
}

@test "tampered: an edited text fails its hash and its image; another run's capture is named" {
	need_capture alice
	need_capture bob
	class alice bob
	sed -i 's/LISTEN/LISTEM/' "$V/class/alice/alice_listening.txt"
	cp "$V/class/bob/bob_packet.pcapng" "$V/class/alice/alice_packet.pcapng"
	verify_csv "$V/class"
	[ "$status" -eq 1 ]
	[ "$(mark alice hashes)" = FAIL ]
	[[ $(mark alice hashes_reason) == *alice_packet.pcapng*alice_listening.txt* ]]
	[ "$(mark alice images)" = FAIL ]
	[[ $(mark alice images_reason) == "alice_listening.jpeg differs from alice_listening.txt in line 3; alice_packet.jpeg is not the picture of frame "*" of alice_packet.pcapng" ]]
	[ "$(mark alice capture)" = FAIL ]
	[[ $(mark alice capture_reason) == *'says it is the capture of "bob", not of "alice"'* ]]
	[ "$(mark alice copies)" = FAIL ]
	[[ $(mark alice copies_reason) == *"the same capture, byte for byte, as bob's bundle"* ]]
	[ "$(mark bob verdict)" = FAIL ]
	# sha256sum alone sees it too
	! (cd "$V/class/alice" && sha256sum -c --quiet alice_sha256sums.txt 2>/dev/null)
}

@test "another student's code in a bundle: its hash fails" {
	[ -s "$V/runs/carol/carol_report.json" ] || skip "no network namespaces here"
	class carol bob
	cp "$V/class/bob/bob_code.txt" "$V/class/carol/carol_code.txt"
	verify_csv "$V/class"
	[ "$status" -eq 1 ]
	[[ $(mark carol hashes_reason) == *carol_code.txt* ]]
}

@test "a bundle made by hand: the capture's checks, the rest said not checkable" {
	mkdir -p "$V/hand/erin" "$V/hand/frank"
	python3 "$BATS_TEST_DIRNAME/mkpcapng.py" "$V/hand/erin/capture.pcapng" erin
	python3 "$BATS_TEST_DIRNAME/mkpcapng.py" "$V/hand/frank/wire.pcapng" frank 8080
	printf 'import socket\n' >"$V/hand/erin/server.py"
	python3 -c 'import base64,sys; open(sys.argv[1],"wb").write(base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="))' "$V/hand/erin/netstat.png"
	verify_csv "$V/hand"
	cat "$V/out.csv"
	[ "$(mark erin handshake)" = ok ]
	[ "$(mark erin name)" = ok ]
	[[ $(mark erin name_reason) == *'"erin" in what the client sent, frame 4'* ]]
	[ "$(mark erin code)" = ok ]
	for c in files sockets hashes images; do [ "$(mark erin $c)" = n/a ]; done
	[[ $(mark erin images_reason) == *"netstat.png 1x1"*"cannot be checked"* ]]
	[[ $(mark erin sockets_reason) == *"compare them by eye with the capture's ends (127.0.0.1:"*" -> 127.0.0.1:59123)"* ]]
	[ "$(mark erin verdict)" = check ]
	# the port against the assignment, and no code
	[ "$(mark frank handshake)" = FAIL ]
	[[ $(mark frank handshake_reason) == *"goes to port 8080: the assignment asks for a port above 59000"* ]]
	[ "$(mark frank code)" = FAIL ]
	[ "$status" -eq 1 ]
}

@test "copies across bundles: the same capture in two students' folders" {
	need_capture bob
	mkdir -p "$V/copy/gina" "$V/copy/hugo"
	cp "$V/runs/bob/bob_packet.pcapng" "$V/copy/gina/a.pcapng"
	cp "$V/runs/bob/bob_packet.pcapng" "$V/copy/hugo/b.pcapng"
	verify_csv "$V/copy"
	[ "$status" -eq 1 ]
	[[ $(mark gina copies_reason) == *"the same capture, byte for byte, as hugo's bundle"* ]]
	[[ $(mark gina capture_reason) == *'made by socklab for "bob", not for "gina"'* ]]
	# the same handshake rewritten (another file, same ISN) is flagged too
	editcap -F pcap "$V/runs/bob/bob_packet.pcapng" "$V/copy/hugo/b.pcap" 2>/dev/null
	rm "$V/copy/hugo/b.pcapng"
	verify_csv "$V/copy"
	[[ $(mark hugo copies_reason) == *"the same initial sequence number"*"as gina's bundle"* ]]
}

@test "a stored ZIP is read like its folder; a deflated one is refused with the fix" {
	need_capture alice
	class alice
	(cd "$V/class" && python3 -c 'import zipfile,os,sys
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED) as z:
    for f in sorted(os.listdir("alice")): z.write("alice/" + f)' "$V/stored.zip")
	run "$SOCKLAB" lab --verify "$V/stored.zip"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ ${lines[1]} =~ ^alice\ +ok\ +ok\ +ok\ +ok\ +ok\ +ok\ +ok\ +note ]]
	[[ $output == *"alice ($V/stored.zip:alice/):"* ]]
	(cd "$V/class" && python3 -c 'import zipfile,os,sys
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(os.listdir("alice")): z.write("alice/" + f)' "$V/deflated.zip")
	run --separate-stderr "$SOCKLAB" lab --verify "$V/deflated.zip"
	[ "$status" -eq 1 ]
	[[ $stderr == "socklab lab: $V/deflated.zip: alice/"*" is compressed (deflate), and socklab reads only stored ZIP entries: unpack the ZIP (unzip $V/deflated.zip) and give the folder, or zip with -0" ]]
}

@test "the class page: self-contained, a row per student, every reason, names escaped" {
	need_capture alice
	class alice bob
	mkdir -p "$V/class/<b>x"
	python3 "$BATS_TEST_DIRNAME/mkpcapng.py" "$V/class/<b>x/c.pcapng" '<b>x'
	run "$SOCKLAB" lab --verify "$V/class" --html "$V/class.html"
	[[ $output == *"class page: $V/class.html"* ]]
	h=$V/class.html
	! grep -qiE 'https?://|<link|<script|@import' "$h"
	[ "$(grep -c '^<tr><td><b>' "$h")" -eq 3 ]
	grep -q '<b>&lt;b&gt;x</b>' "$h"
	! grep -q '<b>x' "$h"
	grep -q 'holds socklab&#39;s own server and client' "$h"
	grep -q 'does not show that nobody forged a bundle' "$h"
}

@test "--verify usage and paths that are no bundle" {
	run "$SOCKLAB" lab --verify
	[ "$status" -eq 2 ]
	run "$SOCKLAB" lab --verify "$V/nope"
	[ "$status" -eq 1 ]
	[[ $output == "socklab lab: cannot read $V/nope: No such file or directory" ]]
	mkdir -p "$V/empty"
	run "$SOCKLAB" lab --verify "$V/empty"
	[ "$status" -eq 1 ]
	[[ $output == *"no bundle found"* ]]
	run "$SOCKLAB" lab --verify -h
	[ "$status" -eq 0 ]
	[[ $output == *"not that nothing was forged"* ]]
}

@test "NAME_packet.jpeg: the packet in Wireshark's panes, the frame selected and the name's bytes highlighted" {
	need_capture alice
	d=$V/runs/alice
	djpeg -pnm "$d/alice_packet.jpeg" >"$V/pk.ppm"
	frame=$(json "$d/alice_report.json" 'j["name_frames"][0]')
	read -r flen tlen < <(tshark -r "$d/alice_packet.pcapng" -Y "frame.number==$frame" -T fields -e frame.len -e tcp.len)
	python3 - "$V/pk.ppm" "$((flen - tlen))" "$frame" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
magic, dims, depth, px = data.split(b"\n", 3)
w, h = map(int, dims.split())
assert (w, h) == (980, 28 + 26 + 17 + 150 + 5 + 360 + 5 + 5 * 15 + 5 + 20), (w, h)
def rgb(x, y):
    i = 3 * (y * w + x)
    return tuple(px[i:i + 3])
def blue(c):	# Wireshark's selection colour, within JPEG's blur
    return abs(c[0] - 0x38) < 40 and abs(c[1] - 0x75) < 40 and abs(c[2] - 0xd7) < 40
def white(c):
    return min(c) > 200
off, frame = int(sys.argv[2]), int(sys.argv[3])
# the packet list: the selected row (frames 1-10 shown from the top)
row = 28 + 26 + 17 + (frame - 1) * 15
assert blue(rgb(w - 4, row + 7)), rgb(w - 4, row + 7)
# the bytes pane: each byte of "alice" highlighted in hex and ASCII
top = 28 + 26 + 17 + 150 + 5 + 360 + 5
def cells(i):
    line, col = divmod(i, 16)
    y = top + line * 15
    return (8 + 6 * (6 + 3 * col + (col >= 8)) - 1, y), (8 + 6 * (57 + col + (col >= 8)), y)
for i in range(off, off + 5):
    for x, y in cells(i):
        assert blue(rgb(x, y + 1)), (i, x, y, rgb(x, y + 1))
for i in (off - 1, off + 5):	# the bytes around it are not
    for x, y in cells(i):
        assert white(rgb(x, y + 1)), (i, x, y, rgb(x, y + 1))
PY
}
