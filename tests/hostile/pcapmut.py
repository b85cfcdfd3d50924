#!/usr/bin/env python3
"""pcapmut.py - truncated and corrupted pcap/pcapng files, every header
field at its limits.  Stdlib only, deterministic.

usage: pcapmut.py OUTDIR

Writes one file per mutation into OUTDIR (NAME.pcap / NAME.pcapng) from
two small valid captures built here: a classic pcap (microseconds,
Ethernet, three TCP/IPv4 packets) and a pcapng (section header, one
interface, two enhanced packet blocks).  Each mutation changes one thing:
a cut at every interesting offset, each header field set to 0, 1, its
maximum and the values around the bounds libpcap checks.
"""
import os
import struct
import sys


def ip4_tcp(payload, seq):
    tcp = struct.pack("!HHIIBBHHH", 54321, 59001, seq, 0, 5 << 4, 0x18,
                      65535, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64,
                     6, 0, bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
    return ip + tcp


def ether(payload):
    return b"\x00" * 12 + b"\x08\x00" + payload


FRAMES = [ether(ip4_tcp(b"alice\n", 1)), ether(ip4_tcp(b"", 7)),
          ether(ip4_tcp(b"Hello, alice!\n", 1))]


def pcap_hdr(magic=0xA1B2C3D4, major=2, minor=4, snaplen=262144,
             linktype=1, endian="<"):
    return struct.pack(endian + "IHHiIII", magic, major, minor, 0, 0,
                       snaplen, linktype)


def pcap_rec(data, sec=1700000000, usec=123456, caplen=None, length=None,
             endian="<"):
    caplen = len(data) if caplen is None else caplen
    length = len(data) if length is None else length
    return struct.pack(endian + "IIII", sec, usec, caplen, length) + data


def pcap(endian="<", recs=None, **hdr):
    recs = recs if recs is not None else [pcap_rec(f, endian=endian)
                                          for f in FRAMES]
    return pcap_hdr(endian=endian, **hdr) + b"".join(recs)


def block(btype, body, total=None, trailer=None):
    pad = (-len(body)) % 4
    n = 12 + len(body) + pad
    total = n if total is None else total
    trailer = total if trailer is None else trailer
    return struct.pack("<II", btype, total) + body + b"\x00" * pad + \
        struct.pack("<I", trailer)


def shb(bom=0x1A2B3C4D, major=1, minor=0, seclen=-1, **kw):
    return block(0x0A0D0D0A, struct.pack("<IHHq", bom, major, minor, seclen),
                 **kw)


def opt(code, value):
    return struct.pack("<HH", code, len(value)) + value + \
        b"\x00" * ((-len(value)) % 4)


def idb(linktype=1, snaplen=0, opts=b"", **kw):
    return block(1, struct.pack("<HHI", linktype, 0, snaplen) + opts, **kw)


def epb(data, ifid=0, ts=1700000000123456, caplen=None, length=None, **kw):
    caplen = len(data) if caplen is None else caplen
    length = len(data) if length is None else length
    return block(6, struct.pack("<IIIII", ifid, ts >> 32, ts & 0xFFFFFFFF,
                                caplen, length) + data, **kw)


def pcapng(*blocks):
    if not blocks:
        blocks = (shb(), idb(), epb(FRAMES[0]), epb(FRAMES[2]))
    return b"".join(blocks)


def mutations():
    base = pcap()
    out = {}
    # cuts: inside the file header, the record header, the data, the end
    for n in (0, 1, 4, 23, 24, 25, 39, 40, 41, 60, len(base) - 1):
        out["pcap-cut-%d.pcap" % n] = base[:n]
    for name, magic in (("usec", 0xA1B2C3D4), ("nsec", 0xA1B23C4D),
                        ("zero", 0), ("ones", 0xFFFFFFFF),
                        ("modified", 0xA1B2CD34)):
        out["pcap-magic-%s.pcap" % name] = pcap(magic=magic)
    out["pcap-bigendian.pcap"] = pcap(endian=">")
    for major, minor in ((0, 0), (1, 0), (2, 3), (2, 0xFFFF), (0xFFFF, 0xFFFF)):
        out["pcap-version-%d.%d.pcap" % (major, minor)] = \
            pcap(major=major, minor=minor)
    for snap in (0, 1, 64, 65535, 262144, 262145, 0x7FFFFFFF, 0xFFFFFFFF):
        out["pcap-snaplen-%d.pcap" % snap] = pcap(snaplen=snap)
    for lt in (0, 101, 113, 147, 276, 0xFFFF, 0x03FF0001, 0x0FFFFFFF,
               0xFFFFFFFF):
        out["pcap-linktype-%d.pcap" % lt] = pcap(linktype=lt)
    f = FRAMES[0]
    recs = {
        "caplen-0": pcap_rec(b"", caplen=0, length=len(f)),
        "caplen-1": pcap_rec(f[:1], caplen=1, length=len(f)),
        "caplen-over-data": pcap_rec(f, caplen=len(f) + 100),
        "caplen-262145": pcap_rec(f, caplen=262145),
        "caplen-max": pcap_rec(f, caplen=0xFFFFFFFF),
        "len-below-caplen": pcap_rec(f, length=10),
        "len-0": pcap_rec(f, length=0),
        "len-max": pcap_rec(f, length=0xFFFFFFFF),
        "ts-0": pcap_rec(f, sec=0, usec=0),
        "ts-sec-max": pcap_rec(f, sec=0xFFFFFFFF),
        "ts-usec-999999": pcap_rec(f, usec=999999),
        "ts-usec-1000000": pcap_rec(f, usec=1000000),
        "ts-usec-max": pcap_rec(f, usec=0xFFFFFFFF),
        "ts-backwards": pcap_rec(f, sec=1),
    }
    for name, rec in recs.items():
        out["pcap-rec-%s.pcap" % name] = pcap(
            recs=[pcap_rec(FRAMES[0]), rec, pcap_rec(FRAMES[2])])
    # packets shorter than their own headers, under a tiny snaplen
    out["pcap-snaplen-14-cut.pcap"] = pcap(snaplen=14, recs=[
        pcap_rec(fr[:14], length=len(fr)) for fr in FRAMES])
    # the largest loopback packet under the largest snaplen
    big = ether(ip4_tcp(b"B" * (65535 - 40), 1))
    out["pcap-big-packet.pcap"] = pcap(snaplen=0xFFFFFFFF,
                                       recs=[pcap_rec(big)])

    ng = pcapng()
    cuts = sorted({0, 4, 8, 27, 28, 29, 48, len(ng) - 4, len(ng) - 1})
    for n in cuts:
        out["ng-cut-%d.pcapng" % n] = ng[:n]
    for name, kw in (("total-0", {"total": 0}), ("total-12", {"total": 12}),
                     ("total-13", {"total": 13}),
                     ("total-max", {"total": 0xFFFFFFFF}),
                     ("trailer-mismatch", {"trailer": 12})):
        out["ng-shb-%s.pcapng" % name] = pcapng(
            shb(**kw), idb(), epb(FRAMES[0]))
    out["ng-shb-bom.pcapng"] = pcapng(shb(bom=0x12345678), idb(),
                                      epb(FRAMES[0]))
    out["ng-shb-version-2.pcapng"] = pcapng(shb(major=2), idb(),
                                            epb(FRAMES[0]))
    out["ng-shb-seclen-max.pcapng"] = pcapng(shb(seclen=0x7FFFFFFFFFFFFFFF),
                                             idb(), epb(FRAMES[0]))
    for lt in (0xFFFF, 147, 0):
        out["ng-idb-linktype-%d.pcapng" % lt] = pcapng(
            shb(), idb(linktype=lt), epb(FRAMES[0]))
    for snap in (1, 14, 0xFFFFFFFF):
        out["ng-idb-snaplen-%d.pcapng" % snap] = pcapng(
            shb(), idb(snaplen=snap), epb(FRAMES[0]))
    for res in (0, 6, 9, 19, 0x3F, 0x7F, 0x80, 0x9E, 0xFF):
        out["ng-idb-tsresol-%d.pcapng" % res] = pcapng(
            shb(), idb(opts=opt(9, bytes([res])) + opt(0, b"")),
            epb(FRAMES[0]), epb(FRAMES[2], ts=0xFFFFFFFFFFFFFFFF))
    out["ng-idb-tsoffset-max.pcapng"] = pcapng(
        shb(), idb(opts=opt(14, struct.pack("<q", 0x7FFFFFFFFFFFFFFF)) +
                   opt(0, b"")), epb(FRAMES[0]))
    out["ng-idb-option-overlong.pcapng"] = pcapng(
        shb(), idb(opts=struct.pack("<HH", 2, 0xFFFF) + b"lo\x00\x00"),
        epb(FRAMES[0]))
    out["ng-idb-option-unterminated.pcapng"] = pcapng(
        shb(), idb(opts=opt(2, b"lo")), epb(FRAMES[0]))
    out["ng-no-idb.pcapng"] = pcapng(shb(), epb(FRAMES[0]))
    eps = {
        "ifid-5": epb(FRAMES[0], ifid=5),
        "ifid-max": epb(FRAMES[0], ifid=0xFFFFFFFF),
        "caplen-max": epb(FRAMES[0], caplen=0xFFFFFFFF),
        "caplen-over-block": epb(FRAMES[0], caplen=len(FRAMES[0]) + 64),
        "caplen-0": epb(b"", caplen=0, length=60),
        "len-below-caplen": epb(FRAMES[0], length=1),
        "ts-max": epb(FRAMES[0], ts=0xFFFFFFFFFFFFFFFF),
        "ts-0": epb(FRAMES[0], ts=0),
        "total-small": epb(FRAMES[0], total=20),
    }
    for name, b in eps.items():
        out["ng-epb-%s.pcapng" % name] = pcapng(shb(), idb(), epb(FRAMES[2]),
                                               b, epb(FRAMES[2]))
    out["ng-unknown-block.pcapng"] = pcapng(
        shb(), idb(), block(0x0BADC0DE, b"\xff" * 16), epb(FRAMES[0]))
    out["ng-spb-bogus.pcapng"] = pcapng(
        shb(), idb(snaplen=64), block(3, struct.pack("<I", 0xFFFFFFFF) +
                                      FRAMES[0]), epb(FRAMES[0]))
    out["ng-two-sections.pcapng"] = pcapng(
        shb(), idb(), epb(FRAMES[0]), shb(), idb(linktype=101),
        epb(FRAMES[0][14:]))
    return out


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for name, data in sorted(mutations().items()):
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
