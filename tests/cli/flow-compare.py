#!/usr/bin/env python3
"""flow-compare.py SOCKLAB_FLOW TSHARK_FLOW [FRAME...] - socklab capture --flow
against tshark -q -z flow,tcp,standard for the same pcap: the same
packets in the same order, each with the same time, direction (the
sender's port), frame label and comment; the FRAMEs are left out of
socklab's rows (known-diff.tsv: frames the two dissect differently).  Prints "rows N equal M" and
each difference; exit status 1 on any."""
import re
import sys


def tshark_rows(path):
    rows = []
    lines = [l.rstrip('\n') for l in open(path, encoding='utf-8')]
    i = 0
    while i < len(lines):
        l = lines[i]
        m = re.match(r'^(?:\d+\s*)?\|\s*(\d+\.\d{6}(?:\d{3})?)\s*\|(.*)$', l)
        if not m or i + 1 >= len(lines):
            i += 1
            continue
        rest = m.group(2)
        cut = rest.rfind('|')
        label = rest[:cut].strip(' |')
        comment = rest[cut + 1:].strip()
        a = re.search(r'\((\d+)\)\s*(<?-+>?)\s*\((\d+)\)', lines[i + 1])
        if not a:
            i += 1
            continue
        sport = a.group(1) if a.group(2).endswith('>') else a.group(3)
        rows.append((m.group(1), sport, label, comment))
        i += 2
    return rows


def socklab_rows(path):
    rows = []
    a = b = None
    for l in open(path, encoding='utf-8'):
        l = l.rstrip('\n')
        h = re.match(r'^TCP stream \d+: (\S+) and (\S+), ', l)
        if h:
            a, b = h.group(1).rsplit(':', 1)[1], h.group(2).rsplit(':', 1)[1]
            continue
        m = re.match(r'^\s*(\d+)\s+(\d+\.\d{6}(?:\d{3})?)\s+\|(.*)\|  (.*)$', l)
        if not m:
            continue
        arrow = m.group(3)
        label = arrow.strip('<>- ')
        comment = m.group(4).split('  [')[0]
        sport = a if arrow.endswith('>') else b
        if m.group(1) not in sys.argv[3:]:
            rows.append((int(m.group(1)), (m.group(2), sport, label, comment)))
    rows.sort()
    return [r for _, r in rows]


# tshark's standard format cuts a frame label to 20 characters
CUT = 20


def same(x, y):
    return x == y or (len(y[2]) == CUT and x[2].startswith(y[2]) and
                      x[:2] == y[:2] and x[3] == y[3])


s = socklab_rows(sys.argv[1])
t = tshark_rows(sys.argv[2])
equal = sum(1 for x, y in zip(s, t) if same(x, y))
cut = sum(1 for x, y in zip(s, t) if x != y and same(x, y))
for k, (x, y) in enumerate(zip(s, t)):
    if not same(x, y):
        print('row %d: socklab %r, tshark %r' % (k + 1, x, y))
if len(s) != len(t):
    print('socklab %d rows, tshark %d' % (len(s), len(t)))
print('rows %d equal %d (of which %d labels tshark cut)' % (len(t), equal, cut))
sys.exit(0 if equal == len(t) == len(s) else 1)
