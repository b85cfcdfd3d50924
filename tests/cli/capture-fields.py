#!/usr/bin/env python3
"""capture-fields.py FIELD... < NDJSON - socklab capture --json as tshark's
-T fields would print it: one tab-separated line per packet, repeated
values comma-joined, tcp.flags in hex, absent fields empty."""
import json
import sys

fields = sys.argv[1:]
for line in sys.stdin:
    obj = json.loads(line)
    out = []
    for f in fields:
        v = obj.get(f)
        if v is None:
            out.append("")
            continue
        vals = v if isinstance(v, list) else [v]
        if f == "tcp.flags":
            vals = ["0x%04x" % x for x in vals]
        out.append(",".join(str(x) for x in vals))
    print("\t".join(out))
