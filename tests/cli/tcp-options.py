#!/usr/bin/env python3
"""tcp-options.py TSHARK_V SOCKLAB_V - the TCP options of two -V outputs,
tshark's and socklab's, side by side: prints the lines that differ (each
"Options:" line, "TCP Option - " title, "Kind:" and "Length:" line, with
socklab's "  [field]" names taken off) and exits 1 when any does."""
import re
import sys


def options(path):
    out, inside, tcp = [], False, False
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            tcp = line.startswith("Transmission Control Protocol")
        if tcp and line.startswith("    Options: ("):
            inside = True
        elif indent <= 4:
            inside = False
            continue
        if not inside:
            continue
        text = re.sub(r"  \[[a-z0-9_.]+\]$", "", line.strip())
        if re.match(r"(Options: |TCP Option - |Multipath Transmission|Kind: |Length: |\w.* says option goes past)", text):
            out.append(text)
    return out


a, b = options(sys.argv[1]), options(sys.argv[2])
bad = 0
for i in range(max(len(a), len(b))):
    x = a[i] if i < len(a) else "(none)"
    y = b[i] if i < len(b) else "(none)"
    if x != y:
        print("tshark:  %s\nsocklab: %s" % (x, y))
        bad += 1
print("%d option lines, %d differ" % (len(a), bad))
sys.exit(1 if bad else 0)
