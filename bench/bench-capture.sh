#!/usr/bin/env bash
# bench-capture.sh SECTION.md - a bounded loopback UDP flood (64-byte
# datagrams, 5 s) alone, then under `socklab capture -w` and under
# `tcpdump -B 65536 -w` in the same run: the flood's rate relative to alone
# (on loopback the copy runs in the sender's path) and kernel drops.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench/capture.md}
work=build/bench/capture
mkdir -p "$work"
socklab=${SOCKLAB:-build/socklab}
secs=${SECS:-5}
reps=${REPS:-8}
flood() {	# prints datagrams per second
	python3 - "$secs" <<'PY'
import socket, sys, time
secs = float(sys.argv[1])
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r.bind(("127.0.0.1", 0))
r.setblocking(False)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(r.getsockname())
msg = b"x" * 64
n = 0
end = time.monotonic() + secs
while time.monotonic() < end:
    for _ in range(256):
        s.send(msg)
        try:
            r.recv(2048)
        except BlockingIOError:
            pass
    n += 256
print(int(n / secs))
PY
}
run_under() {	# name command... ; prints "rate drops"
	local name=$1; shift
	"$@" >"$work/$name.out" 2>"$work/$name.err" &
	local pid=$!
	for _ in $(seq 100); do
		grep -qE 'Capturing on|listening on' "$work/$name.err" && break
		sleep 0.05
	done
	local rate
	rate=$(flood)
	kill -INT "$pid"; wait "$pid" || true
	local drops
	drops=$(grep -oE '([0-9]+) (dropped by the kernel|packets dropped by kernel)' \
		"$work/$name.err" | grep -oE '^[0-9]+' | head -1)
	echo "$rate ${drops:-?}"
}
: >"$work/rows"
for i in $(seq "$reps"); do
	alone=$(flood)
	# alternate who goes first, so a drift of the machine favours neither
	if [ $((i % 2)) -eq 1 ]; then
		read -r s sd < <(run_under socklab "$socklab" capture -f udp -w "$work/s.pcap")
		read -r t td < <(run_under tcpdump tcpdump -i lo -B 65536 -n -w "$work/t.pcap" udp)
	else
		read -r t td < <(run_under tcpdump tcpdump -i lo -B 65536 -n -w "$work/t.pcap" udp)
		read -r s sd < <(run_under socklab "$socklab" capture -f udp -w "$work/s.pcap")
	fi
	echo "$alone $s $sd $t $td" >>"$work/rows"
done
python3 - "$work/rows" "$out" "$secs" <<'PY'
import sys, statistics as st
rows = [list(map(lambda x: float(x) if x != "?" else -1, l.split())) for l in open(sys.argv[1])]
a = [r[0] for r in rows]; s = [r[1] / r[0] for r in rows]; t = [r[3] / r[0] for r in rows]
with open(sys.argv[2], "w") as f:
    f.write("## Live capture: %s s loopback UDP flood (64-byte datagrams), %d runs\n\n" % (sys.argv[3], len(rows)))
    f.write("| capturer | flood rate vs alone (median, min-max) | kernel drops per run |\n|---|---|---|\n")
    f.write("| alone | %.0f datagrams/s (%.0f-%.0f) | - |\n" % (st.median(a), min(a), max(a)))
    f.write("| socklab capture -f udp -w | %.2fx (%.2f-%.2f) | %s |\n" % (st.median(s), min(s), max(s), ", ".join("%d" % r[2] for r in rows)))
    f.write("| tcpdump -B 65536 -w | %.2fx (%.2f-%.2f) | %s |\n" % (st.median(t), min(t), max(t), ", ".join("%d" % r[4] for r in rows)))
    f.write("\nTarget: zero drops wherever tcpdump has zero, and a ratio no lower than tcpdump's.\n")
drops = [r[2] for r in rows if r[4] == 0]
sm, tm = st.median(s), st.median(t)
with open(sys.argv[2][:-3] + ".target", "w") as f:
    f.write("| live flood: kernel drops where tcpdump has none | 0 | %s | %s |\n" % (
        ", ".join("%d" % d for d in drops) or "tcpdump dropped in every run",
        "met" if drops and all(d == 0 for d in drops) else "missed"))
    f.write("| live flood: sender's rate kept vs tcpdump's | >= %.2fx | %.2fx | %s |\n" % (
        tm, sm, "met" if sm >= tm else "missed"))
PY
cat "$out"
