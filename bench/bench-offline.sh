#!/usr/bin/env bash
# bench-offline.sh SECTION.md - reading a 1,000,000-packet pcap and printing
# every summary line: socklab capture -r against tcpdump -r -n and tshark -r
# (anchors measured in the same run).  Needs hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench/offline.md}
work=build/bench/offline
mkdir -p "$work"
N=${PACKETS:-1000000}
socklab=${SOCKLAB:-build/socklab}
pcap=$work/hello-$N.pcap
cc -O2 -o "$work/genpcap" bench/genpcap.c $(pkg-config --cflags --libs libpcap)
[ -f "$pcap" ] || "$work/genpcap" "$pcap" "$N"
runs=${RUNS:-5}
hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/h.json" \
	-n socklab "$socklab capture -r $pcap" \
	-n "tcpdump -r -n" "tcpdump -r $pcap -n" \
	--output=null >/dev/null 2>&1
hyperfine -N --runs 2 --export-json "$work/t.json" \
	-n "tshark -r" "tshark -r $pcap" --output=null >/dev/null 2>&1
python3 - "$work/h.json" "$work/t.json" "$out" "$N" "$(du -h "$pcap" | cut -f1)" <<'PY'
import json, sys, statistics
res = json.load(open(sys.argv[1]))["results"] + json.load(open(sys.argv[2]))["results"]
t = {r["command"]: r for r in res}
td = statistics.median(t["tcpdump -r -n"]["times"])
with open(sys.argv[3], "w") as f:
    f.write("## Offline: reading a %s-packet pcap (%s), printing every summary\n\n" % (format(int(sys.argv[4]), ","), sys.argv[5]))
    f.write("| reader | median s | min-max s | vs tcpdump |\n|---|---|---|---|\n")
    for name in ("socklab", "tcpdump -r -n", "tshark -r"):
        r = t[name]; m = statistics.median(r["times"])
        f.write("| %s | %.3f | %.3f-%.3f | %.2fx |\n" % (name, m, min(r["times"]), max(r["times"]), m / td))
    f.write("\nTarget: socklab at most tcpdump's time (ratio <= 1.00). Output to /dev/null;\n"
            "the pcap comes from bench/genpcap.c (10-packet hello conversations, Ethernet).\n")
r = statistics.median(t["socklab"]["times"]) / td
with open(sys.argv[3][:-3] + ".target", "w") as f:
    f.write("| 1M-packet pcap summary vs `tcpdump -r -n` | <= 1.0x | %.2fx | %s |\n" % (r, "met" if r <= 1.0 else "missed"))
PY
cat "$out"
