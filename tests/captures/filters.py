#!/usr/bin/env python3
"""filters.py generate | record | check - the seeded filter generator.

generate [SEED]  writes filters.tsv's filters (PCAP<TAB>FILTER) to stdout:
                 for each pcap of answers/ (the hostile ones aside), filters
                 built from values tshark found in it, with a random.Random
                 seeded from SEED (default 18) and the pcap's name: ==, !=,
                 <, >=, in {...}, contains, matches, slices, & masks, the
                 functions, the layer operator, arithmetic, and/or/not.
record           runs the generated filters through tshark (one pass per
                 pcap: a Lua listener per filter, so thousands cost
                 seconds; with -T fields, whose tree is -V's)
                 and writes filters.tsv: PCAP<TAB>FILTER<TAB>FRAMES, FRAMES
                 "1,3,5", "-" for none or "!" where tshark rejects it.
check            that generate still writes filters.tsv's filters (so the
                 recorded answers belong to this generator).

tests/unit/test-filters.c runs every filter of filters.tsv through
libsocklab and compares the frames; KNOWN_FILTERS lists where socklab
differs today."""
import ipaddress
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
PER_PCAP = 120
INTS = ("FT_UINT", "FT_INT", "FT_BOOLEAN", "FT_FRAMENUM")


def load(rel):
    with open(os.path.join(HERE, "answers", rel + ".jsonl")) as f:
        return [json.loads(line) for line in f]


def types():
    t = {}
    with open(os.path.join(HERE, "answers", "fields.tsv")) as f:
        for line in f:
            name, ty = line.rstrip("\n").split("\t")
            t[name] = ty
    return t


def pcaps():
    out = []
    base = os.path.join(HERE, "answers")
    for d in sorted(os.listdir(base)):
        # z/: tshark's -z reports (answers-z.sh), not field answers
        if d in ("hostile", "z") or not os.path.isdir(os.path.join(base, d)):
            continue
        for name in sorted(os.listdir(os.path.join(base, d))):
            if not name.endswith(".jsonl"):
                continue    # answers of other kinds (tfields/, flow/)
            out.append(d + "/" + name[:-len(".jsonl")])
    return out


def as_int(s):
    return int(s, 0)


def hexbytes(s):
    s = s.replace(":", "")
    return ":".join(s[i:i + 2] for i in range(0, len(s), 2))


def quote(s):
    out = '"'
    for ch in s:
        if ch in '"\\':
            out += "\\" + ch
        elif 32 <= ord(ch) < 127:
            out += ch
        else:
            out += "\\x%02x" % (ord(ch) & 0xff)
    return out + '"'


def rx_quote(s):
    return quote(re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", s))


class Gen:
    def __init__(self, rnd, frames, ftypes):
        self.r, self.frames, self.t = rnd, frames, ftypes
        # field -> every value seen (as tshark printed it)
        self.vals = {}
        for fr in frames:
            for k, vs in fr.items():
                if k in ftypes and ftypes[k] != "MISSING":
                    self.vals.setdefault(k, []).extend(vs)
        self.names = sorted(self.vals)

    def pick(self):
        f = self.r.choice(self.names)
        return f, self.t[f], self.r.choice(self.vals[f])

    def int_atom(self, f, t, v):
        r = self.r
        n = as_int(v)
        k = r.randrange(12)
        if t == "FT_BOOLEAN":
            return r.choice(["%s == %s" % (f, v), "%s" % f, "!%s" % f,
                             "%s == %s" % (f, r.choice(["True", "False"])),
                             "%s != %d" % (f, 1 - n)])
        if k == 0:
            return "%s == %s" % (f, v)
        if k == 1:
            return "%s != %s" % (f, v)
        if k == 2:
            return "%s < %d" % (f, n + r.choice([0, 1]))
        if k == 3:
            return "%s >= %d" % (f, max(n - r.choice([0, 1]), 0))
        if k == 4:
            o = as_int(r.choice(self.vals[f]))
            return "%s in {%d, %d}" % (f, n, o + r.choice([0, 1]))
        if k == 5:
            return "%s in {%d..%d}" % (f, max(n - 2, 0), n + 2)
        if k == 6:
            m = n & -n if n else 1
            return "%s & 0x%x" % (f, m)
        if k == 7:
            m = r.choice([0x0f, 0xf0, 0xff, 0x02, 0x12])
            return "%s & 0x%02x == 0x%x" % (f, m, n & m)
        if k == 8:
            return "%s == %d" % (f, n + 1)
        if k == 9:
            return "%s gt %d and %s le %d" % (f, max(n - 1, 0), f, n)
        if k == 10:
            return r.choice(["%s == -%d" % (f, n + 1),
                             "%s == %d" % (f, n + 65536 * 65536 * 65536),
                             "%s == 0x%x" % (f, n)])
        return "%s%s == %s" % (f, r.choice(["#1", "#2", "#-1"]), v)

    def addr_atom(self, f, t, v):
        r = self.r
        k = r.randrange(8)
        if k == 0:
            return "%s == %s" % (f, v)
        if k == 1:
            return "%s != %s" % (f, v)
        if k == 2 and t == "FT_IPv4":
            return "%s == %s/%d" % (f, v, r.choice([8, 16, 24, 31]))
        if k == 2 and t == "FT_IPv6":
            return "%s == %s/%d" % (f, v, r.choice([16, 64, 127]))
        if k == 3:
            o = r.choice(self.vals[f])
            return "%s in {%s, %s}" % (f, v, o)
        if k == 4:
            return "%s[0:2] == %s" % (f, self.addr_bytes(t, v)[:5])
        if k == 5 and t == "FT_ETHER":
            return "%s contains %s" % (f, v[3:8])
        if k == 5:
            return "%s >= %s" % (f, v)
        if k == 6 and t == "FT_ETHER":
            return "%s[0] & 1" % f
        return "%s[-1:] == %s" % (f, self.addr_bytes(t, v)[-2:])

    @staticmethod
    def addr_bytes(t, v):
        if t == "FT_IPv4":
            return ":".join("%02x" % int(x) for x in v.split("."))
        if t == "FT_IPv6":
            return ":".join("%02x" % b for b in
                            ipaddress.IPv6Address(v).packed)
        return v

    def bytes_atom(self, f, v):
        r = self.r
        b = v.replace(":", "")
        nb = len(b) // 2
        k = r.randrange(9)
        i = r.randrange(max(nb, 1))
        sub = hexbytes(b[2 * i:2 * i + 2 * r.choice([1, 2, 3])]) or "00"
        if k == 0:
            return "%s contains %s" % (f, sub)
        if k == 1 and nb >= 2:
            return "%s[%d:2] == %s" % (f, min(i, nb - 2),
                                       hexbytes(b[2 * min(i, nb - 2):
                                                  2 * min(i, nb - 2) + 4]))
        if k == 2:
            return "len(%s) %s %d" % (f, r.choice(["==", ">", "<="]), nb)
        if k == 3:
            return "%s[-2:] == %s" % (f, hexbytes(b[-4:]) or "00")
        if k == 4:
            txt = bytes.fromhex(b[2 * i:2 * i + 8]).decode("latin-1")
            txt = "".join(ch for ch in txt if ch.isalnum()) or "a"
            return "%s matches %s" % (f, rx_quote(txt))
        if k == 5:
            return "%s == %s" % (f, hexbytes(b) or "00")
        if k == 6:
            return "%s[0] & 0x%02x" % (f, r.choice([1, 2, 0x80, 0x0f]))
        if k == 7:
            return "%s > %s" % (f, hexbytes(b[:4]) or "00")
        return "%s contains :%s" % (f, b[2 * i:2 * i + 4] or "00")

    def string_atom(self, f, v):
        r = self.r
        k = r.randrange(7)
        if k == 0:
            return "%s == %s" % (f, quote(v))
        if k == 1:
            return "%s contains %s" % (f, quote(v[:max(len(v) // 2, 1)]))
        if k == 2:
            return "%s matches %s" % (f, rx_quote(v[:3]) if v else '"^$"')
        if k == 3:
            return "upper(%s) == %s" % (f, quote(v.upper()))
        if k == 4:
            return "lower(%s) contains %s" % (f, quote(v.lower()[-3:]))
        if k == 5:
            return "len(%s) == %d" % (f, len(v.encode("utf-8")))
        return "%s != %s" % (f, quote(v + "x"))

    def proto_atom(self, f):
        r = self.r
        return r.choice(["%s" % f, "!%s" % f, "not %s" % f,
                         "%s[0:1] == %02x" % (f, r.randrange(256)),
                         "len(%s) > %d" % (f, r.choice([0, 8, 20])),
                         "count(%s) == %d" % (f, r.choice([1, 2]))])

    def special(self):
        """Spellings the issue names that need no value from the pcap."""
        return self.r.choice([
            "tcp[13] & 0x02", "eth.dst[0] & 1", "tcp.flags & 0x0F == 8",
            "eth.src contains 00:11", "frame[59]", "frame[12:2] == 08:00",
            "udp.dstport == udp.srcport + 1", "ip.addr#2 == 10.1.1.100",
            "ip.src[0:2] == c0:00", "frame[0:2,12:2] == 66:77:08:00",
            "frame contains :08004500", ".ip.proto == 6",
            "ip.flags.df == \"Set\"", "ip.ttl == 256", "ip.version == 6",
            "udp[-2:] == 00:00", "abs(tcp.srcport) > 1000",
            "max(tcp.srcport, tcp.dstport) == 80",
            "min(udp.srcport, udp.dstport) < 1024",
            "string(tcp.srcport) == \"80\"", "len(ip.addr) == 4",
            "vals(tcp.port)", "ip.proto == \"UDP\"",
            "tcp.window_size_scalefactor == -1", "ip.len == 0",
            "frame.cap_len > 64", "tcp.srcport - tcp.dstport > 0",
            "ipv6.addr contains 20:01", "eth.type == 0x8100",
            "vlan.id == 100", "gre.key == 0x1234", "mpls.label == 17",
            "vxlan.vni == 42", "dns.qry.name == \"example.com\"",
            "http.request.method == \"GET\"", "tls.handshake.type == 1",
            "dns.flags.response == 1 && dns.a", "ip.src == ${ip.dst}",
            "frame.number == ${frame.number}",
        ])

    def atom(self):
        if self.r.randrange(12) == 0:
            return self.special()
        f, t, v = self.pick()
        if t.startswith(INTS):
            return self.int_atom(f, t, v)
        if t in ("FT_IPv4", "FT_IPv6", "FT_ETHER"):
            return self.addr_atom(f, t, v)
        if t == "FT_BYTES":
            return self.bytes_atom(f, v)
        if t.startswith("FT_STRING"):
            return self.string_atom(f, v)
        if t == "FT_RELATIVE_TIME":
            return "%s %s %s" % (f, self.r.choice(["<", ">=", "=="]), v)
        return self.proto_atom(f)

    def filter(self):
        r = self.r
        k = r.randrange(10)
        if k < 5:
            return self.atom()
        if k < 7:
            return "%s %s %s" % (self.atom(), r.choice(["&&", "and"]),
                                 self.atom())
        if k < 9:
            return "%s %s %s" % (self.atom(), r.choice(["||", "or"]),
                                 self.atom())
        return "!(%s) && %s" % (self.atom(), self.atom())


def generate(seed):
    out, ft = [], types()
    for rel in pcaps():
        rnd = random.Random("%s:%s" % (seed, rel))
        g = Gen(rnd, load(rel), ft)
        seen = set()
        for _ in range(PER_PCAP * 3):
            if len(seen) == PER_PCAP:
                break
            f = g.filter()
            if "\t" in f or "\n" in f or f in seen:
                continue
            seen.add(f)
            out.append((rel, f))
    return out


LUA = r"""
local filters, results, bad = {}, {}, {}
for line in io.lines(os.getenv("SL_FILTERS")) do table.insert(filters, line) end
for i, f in ipairs(filters) do
  results[i] = {}
  local ok, l = pcall(Listener.new, nil, f)
  if ok then
    function l.packet(pinfo) table.insert(results[i], pinfo.number) end
  else
    bad[i] = true
  end
end
local last = Listener.new("frame", nil)
function last.draw()
  local out = io.open(os.getenv("SL_RESULTS"), "w")
  for i, f in ipairs(filters) do
    if bad[i] then out:write("!\n")
    elseif #results[i] == 0 then out:write("-\n")
    else out:write(table.concat(results[i], ","), "\n") end
  end
  out:close()
end
"""


def tshark_frames(rel, flist):
    """tshark's frames for each filter of flist on pcap rel."""
    pcap = os.path.join(TESTS, rel.replace("/", "/pcaps/", 1))
    with tempfile.TemporaryDirectory() as d:
        fl, res, lua = (os.path.join(d, n) for n in ("f", "r", "s.lua"))
        with open(fl, "w") as f:
            f.write("".join(x + "\n" for x in flist))
        with open(lua, "w") as f:
            f.write(LUA)
        env = dict(os.environ, SL_FILTERS=fl, SL_RESULTS=res)
        # -T fields: the tree tshark builds for -V and -T (with -q alone
        # the TCP layer spans its payload, and slices of "tcp" differ)
        subprocess.run(["tshark", "-r", pcap, "-T", "fields", "-e",
                        "frame.number", "-X", "lua_script:" + lua], env=env,
                       check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        with open(res) as f:
            return [line.rstrip("\n") for line in f]


def record(seed):
    gen = generate(seed)
    by = {}
    for rel, f in gen:
        by.setdefault(rel, []).append(f)
    lines = []
    for rel, fl in by.items():
        for f, frames in zip(fl, tshark_frames(rel, fl)):
            lines.append("%s\t%s\t%s\n" % (rel, f, frames))
    ver = subprocess.run(["tshark", "-v"], capture_output=True,
                         text=True).stdout.splitlines()[0]
    with open(os.path.join(HERE, "filters.tsv"), "w") as f:
        f.write("# recorded by filters.py record (seed %s) with %s\n"
                % (seed, ver))
        f.writelines(lines)
    print("filters.py: %d filters over %d pcaps, %d rejected by tshark"
          % (len(lines), len(by), sum(1 for x in lines
                                      if x.endswith("\t!\n"))))


def check(seed):
    with open(os.path.join(HERE, "filters.tsv")) as f:
        rec = [tuple(line.rstrip("\n").split("\t")[:2]) for line in f
               if not line.startswith("#")]
    gen = generate(seed)
    if rec != gen:
        print("filters.py: filters.tsv is not what generate writes: run "
              "filters.py record")
        return 1
    print("filters.py: %d recorded filters are the generator's" % len(rec))
    return 0


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else "check"
    seed = sys.argv[2] if len(sys.argv) > 2 else "18"
    if cmd == "generate":
        for rel, f in generate(seed):
            print("%s\t%s" % (rel, f))
        return 0
    if cmd == "record":
        record(seed)
        return 0
    return check(seed)


if __name__ == "__main__":
    sys.exit(main())
