#!/usr/bin/env python3
"""fields.py [--stats | --record-known] [PCAP...] - the differential: every compared
field (answers/fields.tsv: socklab's registry and FIELDS), frame by frame,
socklab capture -r PCAP --json against tshark's recorded answers, on every
pcap answers.sh recorded.  A field's values in a frame agree when both
lists are equal, in order, as tshark's type reads them (numbers by value,
addresses and strings as text, bytes as hex, protocols by how often they
occur).

Each (pcap, field) that differs must be listed in KNOWN with the reason
(PCAP<TAB>FIELD<TAB>WHY), and each listed one must still differ: exit 1
otherwise, naming the first frames.  --stats prints the agreement instead:
the (frame, field) pairs where either side has a value, and how many agree,
over all fields and over socklab's own (socklab help fields).  --record-known
writes KNOWN anew from what differs now, each with its reason from
KNOWN.why (KEY<TAB>WHY; KEY a field, "PCAP:" or "PCAP:FIELD", the most
specific first, then the protocol of the field).  SOCKLAB names the
binary (default build/socklab)."""
import json
import os
import subprocess
import sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
SOCKLAB = os.environ.get("SOCKLAB",
                         os.path.join(TESTS, "..", "build", "socklab"))
INT_TYPES = ("FT_UINT", "FT_INT", "FT_BOOLEAN", "FT_FRAMENUM", "FT_CHAR")


def load_types():
    types = {}
    with open(os.path.join(HERE, "answers", "fields.tsv")) as f:
        for line in f:
            name, t = line.rstrip("\n").split("\t")
            if t != "MISSING":
                types[name] = t
    return types


def canon(t, vals, theirs):
    """The values as comparable items."""
    if t in ("FT_PROTOCOL", "FT_NONE"):
        return len(vals)
    out = []
    for v in vals:
        if t.startswith(INT_TYPES):
            if isinstance(v, bool):
                v = int(v)
            elif isinstance(v, str):
                v = v.strip()
                v = {"True": 1, "False": 0}.get(v, v)
                v = int(v, 0) if isinstance(v, str) else v
        elif t == "FT_RELATIVE_TIME":
            v = Decimal(str(v)).quantize(Decimal("0.000000001"))
        elif t == "FT_BYTES":
            v = str(v).replace(":", "").lower()
        elif t in ("FT_ETHER", "FT_IPv4", "FT_IPv6"):
            v = str(v).lower()
        else:
            v = str(v)
        out.append(v)
    return out


def ours(pcap):
    r = subprocess.run([SOCKLAB, "capture", "-r", pcap, "--json"],
                       capture_output=True, text=True, errors="replace")
    frames = {}
    for line in r.stdout.splitlines():
        obj = json.loads(line)
        frames[obj.get("frame.number")] = obj
    return frames


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def compare(rel, types, mine_only):
    """{field: [frame numbers that differ]}, pairs counted, pairs agreeing
    (all fields, socklab's fields)."""
    path = os.path.join(TESTS, rel.replace("/", "/pcaps/", 1))
    mine = ours(path)
    diffs, seen, agree = {}, [0, 0], [0, 0]
    with open(os.path.join(HERE, "answers", rel + ".jsonl")) as f:
        theirs = [json.loads(line) for line in f]
    for want in theirs:
        num = int(want["frame.number"][0])
        got = mine.get(num, {})
        for field, t in types.items():
            a = canon(t, want.get(field, []), True)
            b = canon(t, as_list(got.get(field)), False)
            if not a and not b:
                continue
            ok = a == b
            own = field in mine_only
            seen[0] += 1
            agree[0] += ok
            if own:
                seen[1] += 1
                agree[1] += ok
            if not ok:
                diffs.setdefault(field, []).append((num, a, b))
    return diffs, seen, agree


def registry():
    r = subprocess.run([SOCKLAB, "help", "fields"],
                       capture_output=True, text=True, check=True)
    return {line.split("\t")[0] for line in r.stdout.splitlines()}


def known():
    k = {}
    with open(os.path.join(HERE, "KNOWN")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            pcap, field, why = line.rstrip("\n").split("\t", 2)
            k[(pcap, field)] = why
    return k


def pcaps(only):
    out = []
    base = os.path.join(HERE, "answers")
    for d in sorted(os.listdir(base)):
        # z/: tshark's -z reports (answers-z.sh), not field answers
        if d == "z" or not os.path.isdir(os.path.join(base, d)):
            continue
        for name in sorted(os.listdir(os.path.join(base, d))):
            if not name.endswith(".jsonl"):
                continue    # answers of other kinds (tfields/, flow/)
            rel = d + "/" + name[:-len(".jsonl")]
            if not only or rel in only or name[:-6] in only:
                out.append(rel)
    return out


def show(v):
    s = repr(v)
    return s if len(s) < 60 else s[:57] + "..."


def write_known(found, reasons):
    """KNOWN anew from the differences found, each with the first reason
    of reasons whose key (a field, "pcap:", or "pcap:field") matches."""
    with open(os.path.join(HERE, "KNOWN")) as f:
        head = [line for line in f if line.startswith("#")]
    with open(os.path.join(HERE, "KNOWN"), "w") as f:
        f.writelines(head)
        for rel, field in sorted(found):
            why = (reasons.get(rel + ":" + field) or reasons.get(field) or
                   reasons.get(rel + ":") or
                   reasons.get(field.split(".")[0]) or
                   reasons.get(rel.split("/")[0] + "/") or "?")
            f.write("%s\t%s\t%s\n" % (rel, field, why))


def main():
    args = sys.argv[1:]
    stats = "--stats" in args
    record = "--record-known" in args
    only = [a for a in args if not a.startswith("--")]
    types, mine_only = load_types(), registry()
    kn = {} if stats or record else known()
    found = set()
    total, good = [0, 0], [0, 0]
    bad = 0
    listed = set()
    for rel in pcaps(only):
        diffs, seen, agree = compare(rel, types, mine_only)
        for i in (0, 1):
            total[i] += seen[i]
            good[i] += agree[i]
        for field, frames in sorted(diffs.items()):
            found.add((rel, field))
            if stats or record:
                continue
            if (rel, field) in kn:
                listed.add((rel, field))
                continue
            bad += 1
            num, a, b = frames[0]
            print("%s: %s differs in %d frame%s, first %d: tshark %s, "
                  "socklab %s" % (rel, field, len(frames),
                                  "" if len(frames) == 1 else "s", num,
                                  show(a), show(b)))
    if record:
        with open(os.path.join(HERE, "KNOWN.why")) as f:
            reasons = dict(line.rstrip("\n").split("\t", 1) for line in f
                           if line.strip() and not line.startswith("#"))
        write_known(found, reasons)
        return 0
    if stats:
        for i, what in ((0, "every compared field"),
                        (1, "socklab's registered fields")):
            print("%s: %d of %d values agree (%.2f%%)" % (
                what, good[i], total[i],
                100.0 * good[i] / max(total[i], 1)))
        return 0
    for key in sorted(set(kn) - listed):
        if only and key[0] not in only and key[0].split("/")[1] not in only:
            continue
        bad += 1
        print("%s: %s no longer differs: remove it from KNOWN" % key)
    print("fields.py: %d (pcap, field) differences outside KNOWN, "
          "%d known" % (bad - len(set(kn) - listed), len(listed)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
