#!/usr/bin/env python3
"""mkpcaps.py OUTDIR - writes the hand-built pcaps the golden and oracle
tests read: every link type socklab dissects, TCP with all its options,
a stream caught mid-way, a reused 4-tuple, UDP, ICMP, ICMPv6, ARP, IPv4
options and fragments, IPv6 extension headers, and truncated and
malformed packets.  Deterministic: same bytes on every run."""
import struct
import sys

LO4 = bytes([127, 0, 0, 1])
LO6 = bytes(15) + b"\x01"
MAC0 = bytes(6)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4(proto, payload, src=LO4, dst=LO4, ident=0x1234, flags=0x4000,
        ttl=64, opts=b"", tot=None, tos=0):
    hl = 20 + len(opts)
    tot = hl + len(payload) if tot is None else tot
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | hl // 4, tos, tot, ident, flags,
                    ttl, proto, 0, src, dst) + opts
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ip6(nxt, payload, src=LO6, dst=LO6, hlim=64, plen=None):
    plen = len(payload) if plen is None else plen
    return struct.pack("!IHBB16s16s", 0x60000000, plen, nxt, hlim, src,
                       dst) + payload


def tcp(sport, dport, seq, ack, flags, win=512, opts=b"", data=b""):
    hl = 20 + len(opts)
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (hl // 4) << 4,
                       flags, win, 0, 0) + opts + data


def udp(sport, dport, data, length=None):
    length = 8 + len(data) if length is None else length
    return struct.pack("!HHHH", sport, dport, length, 0) + data


def eth(payload, etype=0x0800, src=MAC0, dst=MAC0):
    return dst + src + struct.pack("!H", etype) + payload


MSS = b"\x02\x04\xff\xd7"
SACKP = b"\x04\x02"
TS = lambda a, b: b"\x08\x0a" + struct.pack("!II", a, b)
WS = b"\x01\x03\x03\x07"
SYN, FIN, RST, PSH, ACK, URG = 2, 1, 4, 8, 16, 32


def conversation(ipf, et, cp, sp, isn_c, isn_s, name=b"alice\n"):
    """a hello exchange: handshake, data both ways, FIN both ways"""
    c, s = isn_c, isn_s
    reply = b"Hello, " + name.rstrip(b"\n") + b"!\n"
    segs = [
        (cp, sp, c, 0, SYN, MSS + SACKP + TS(1, 0) + WS, b""),
        (sp, cp, s, c + 1, SYN | ACK, MSS + SACKP + TS(2, 1) + WS, b""),
        (cp, sp, c + 1, s + 1, ACK, b"\x01\x01" + TS(3, 2), b""),
        (cp, sp, c + 1, s + 1, PSH | ACK, b"\x01\x01" + TS(3, 2), name),
        (sp, cp, s + 1, c + 1 + len(name), ACK, b"", b""),
        (sp, cp, s + 1, c + 1 + len(name), PSH | ACK, b"", reply),
        (cp, sp, c + 1 + len(name), s + 1 + len(reply), FIN | ACK, b"", b""),
        (sp, cp, s + 1 + len(reply), c + 2 + len(name), FIN | ACK, b"", b""),
        (cp, sp, c + 2 + len(name), s + 2 + len(reply), ACK, b"", b""),
    ]
    return [et(ipf(6, tcp(a, b, q, k, f, opts=o, data=d)))
            for a, b, q, k, f, o, d in segs]


def varied(et4, et6):
    """the packet mix, wrapped by the link layer functions et4/et6"""
    v4 = lambda proto, pl: et4(ip4(proto, pl))
    v6 = lambda proto, pl: et6(ip6(proto, pl))
    pk = []
    pk += conversation(lambda p, pl: ip4(p, pl), et4, 40000, 59001,
                       1000, 900000)
    pk += conversation(lambda p, pl: ip6(p, pl), et6, 40001, 59001,
                       4294967000, 77)
    # a stream caught in the middle (no SYN), with SACK blocks
    sack = b"\x01\x01\x05\x12" + struct.pack("!IIII", 5000, 5100, 5200, 5300)
    pk.append(v4(6, tcp(41000, 7777, 3000, 5000, ACK, opts=sack)))
    pk.append(v4(6, tcp(7777, 41000, 5000, 3000, PSH | ACK, data=b"x" * 40)))
    # the same 4-tuple reused by a new connection, a RST, an URG
    pk.append(v4(6, tcp(40000, 59001, 777777, 0, SYN)))
    pk.append(v4(6, tcp(59001, 40000, 0, 777778, RST | ACK, win=0)))
    pk.append(v4(6, tcp(41000, 7777, 3000, 5040, URG | ACK | PSH,
                        data=b"!")))
    # UDP both families (the query marked DSCP EF, ECN ECT(1)), an empty
    # datagram, ICMP echo, ICMPv6 echo
    pk.append(et4(ip4(17, udp(33333, 33000, b"query"), tos=46 << 2 | 1)))
    pk.append(v4(17, udp(33000, 33333, b"")))
    pk.append(v6(17, udp(33333, 33000, b"v6 datagram")))
    echo = struct.pack("!BBHHH", 8, 0, 0, 0x1234, 1) + b"ping"
    pk.append(v4(1, echo))
    pk.append(v4(1, b"\x00" + echo[1:]))
    pk.append(v4(1, struct.pack("!BBHI", 3, 3, 0, 0) +
                 ip4(17, udp(1, 2, b""))))
    e6 = struct.pack("!BBHHH", 128, 0, 0, 0x42, 7) + b"ping6"
    pk.append(v6(58, e6))
    pk.append(v6(58, struct.pack("!BBH", 135, 0, 0) + bytes(20)))
    # IPv4 options (NOP, NOP, router alert, EOL) and fragments
    pk.append(et4(ip4(17, udp(1, 2, b"opt"),
                      opts=b"\x01\x01\x94\x04\x00\x00\x00\x00")))
    frag = udp(7000, 7001, b"F" * 40, length=8 + 80)
    pk.append(et4(ip4(17, frag, ident=0xb315, flags=0x2000)))
    pk.append(et4(ip4(17, b"G" * 40, ident=0xb315, flags=48 // 8)))
    # IPv6 extension headers: hop-by-hop, routing, dstopts, then TCP;
    # and a fragment header (first fragment of a UDP datagram)
    hbh = struct.pack("!BB", 43, 0) + b"\x01\x04\x00\x00\x00\x00"
    rt = struct.pack("!BBBB", 60, 2, 4, 0) + bytes(4) + LO6
    do = struct.pack("!BB", 6, 0) + b"\x01\x04\x00\x00\x00\x00"
    pk.append(et6(ip6(0, hbh + rt + do + tcp(42000, 7778, 1, 1, ACK))))
    fh = struct.pack("!BBHI", 17, 0, 1, 0xabcdef)
    pk.append(et6(ip6(44, fh + udp(9, 9, b"frag6", length=100))))
    return pk


def malformed(et4, et6):
    pk = []
    good = ip4(6, tcp(1, 2, 3, 4, ACK, data=b"data"))
    pk.append(et4(good)[:-30])                      # TCP header cut
    pk.append(et4(ip4(6, tcp(1, 2, 3, 4, ACK))[:12]))  # IPv4 header cut
    bad = bytearray(ip4(6, tcp(1, 2, 3, 4, ACK)))
    bad[20 + 12] = 0x30                             # TCP data offset 12
    pk.append(et4(bytes(bad)))
    pk.append(et4(ip4(6, tcp(1, 2, 3, 4, ACK), tot=400)))  # ip.len > frame
    pk.append(et4(ip4(17, udp(1, 2, b"x", length=4))))      # udp.len < 8
    pk.append(et4(ip4(6, tcp(1, 2, 3, 4, ACK, opts=b"\x02\x09\x00\x00"))))
    pk.append(et6(ip6(0, b"\x06\x05" + bytes(4) + tcp(1, 2, 3, 4, ACK))))
    pk.append(et6(ip6(6, tcp(1, 2, 3, 4, ACK))[:30]))
    pk.append(et4(b"\x45"))
    return pk


def fragments(et4, et6):
    """IPv4 and IPv6 fragments: in and out of order, TCP, ICMP, an
    overlap with other bytes, a duplicate, a missing piece."""
    pk = []

    def f4(ident, dgram, pieces, proto=17):
        for lo, hi in pieces:
            more = hi < len(dgram)
            pk.append(et4(ip4(proto, dgram[lo:hi], ident=ident,
                              flags=(0x2000 if more else 0) | lo // 8)))

    def f6(ident, dgram, pieces, exts=b""):
        for lo, hi in pieces:
            more = hi < len(dgram)
            fh = struct.pack("!BBHI", 17, 0, lo | more, ident)
            pk.append(et6(ip6(60 if exts else 44, exts + fh + dgram[lo:hi])))

    u = udp(5000, 5001, b"alice " * 10)             # 68 bytes
    f4(0x1001, u, [(0, 24), (24, 48), (48, 68)])
    f4(0x1002, u, [(48, 68), (0, 24), (24, 48)])
    t = tcp(40000, 7777, 100, 200, PSH | ACK, data=b"bob " * 12)
    f4(0x1003, t, [(0, 32), (32, len(t))], proto=6)
    echo = struct.pack("!BBHHH", 8, 0, 0, 0x42, 1) + b"ping" * 10
    f4(0x1004, echo, [(0, 16), (16, len(echo))], proto=1)
    other = u[:16] + b"XXXXXXXX" + u[24:]
    f4(0x1005, u, [(0, 24)])
    f4(0x1005, other, [(16, 68)])                  # overlap, other bytes
    f4(0x1006, u, [(0, 24), (0, 24), (24, 68)])    # duplicate
    f4(0x1007, u, [(0, 24), (48, 68)])             # a piece missing
    u6 = udp(6000, 6001, b"carol " * 10)
    do = struct.pack("!BB", 44, 0) + b"\x01\x04\x00\x00\x00\x00"
    f6(0xabc1, u6, [(0, 32), (32, 68)], exts=do)
    f6(0xabc2, u6, [(32, 48), (48, 68), (0, 32)])
    return pk


def write(path, linktype, pkts, snap=None):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144,
                            linktype))
        for i, p in enumerate(pkts):
            cap = p if snap is None else p[:snap]
            f.write(struct.pack("<IIII", 1700000000 + i // 4,
                                (i % 4) * 250000 + i * 17, len(cap), len(p)))
            f.write(cap)


def main():
    out = sys.argv[1]
    e4 = lambda pl: eth(pl, 0x0800)
    e6 = lambda pl: eth(pl, 0x86dd)
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1,
                      b"\x02\x00\x00\x00\x00\x01", bytes([10, 0, 0, 1]),
                      bytes(6), bytes([10, 0, 0, 2]))
    rep = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2,
                      b"\x02\x00\x00\x00\x00\x02", bytes([10, 0, 0, 2]),
                      b"\x02\x00\x00\x00\x00\x01", bytes([10, 0, 0, 1]))
    ethpk = varied(e4, e6)
    ethpk.append(eth(arp, 0x0806, b"\x02\x00\x00\x00\x00\x01",
                     b"\xff" * 6))
    ethpk.append(eth(rep, 0x0806, b"\x02\x00\x00\x00\x00\x02",
                     b"\x02\x00\x00\x00\x00\x01"))
    ethpk.append(eth(b"\xaa\xaa\x03" + bytes(40), 46))  # 802.3 + LLC
    write(out + "/eth.pcap", 1, ethpk)
    write(out + "/malformed.pcap", 1, malformed(e4, e6))
    write(out + "/frag.pcap", 1, fragments(e4, e6))
    write(out + "/snap64.pcap", 1, varied(e4, e6), snap=64)

    def sll(etype, outgoing=0):
        return lambda pl: struct.pack("!HHH8sH", 4 if outgoing else 0, 772,
                                      6, bytes(8), etype) + pl

    def sll2(etype):
        return lambda pl: struct.pack("!HHIHBB8s", etype, 0, 1, 772, 0, 6,
                                      bytes(8)) + pl
    write(out + "/sll.pcap", 113, varied(sll(0x0800), sll(0x86dd)))
    write(out + "/sll2.pcap", 276, varied(sll2(0x0800), sll2(0x86dd)))
    null = lambda fam: lambda pl: struct.pack("<I", fam) + pl
    loop = lambda fam: lambda pl: struct.pack("!I", fam) + pl
    write(out + "/null.pcap", 0, varied(null(2), null(30)))
    write(out + "/loop.pcap", 108, varied(loop(2), loop(24)))
    write(out + "/raw.pcap", 101, varied(lambda p: p, lambda p: p))


if __name__ == "__main__":
    main()
