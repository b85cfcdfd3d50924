#!/usr/bin/python3
"""mkpcaps.py OUTDIR - crafts the pcaps of frames the kernel here cannot make
(VLAN, QinQ, 802.3/LLC/SNAP, GRE and ERSPAN, IP-in-IP, IPv6-in-IPv4,
Geneve, MPLS, PPP, PPPoE) and the malformed and rare cases (headers that
claim more than the frame holds, cut UDP headers, records past the snaplen,
ARP of other hardware, TSO, one-SYN window scaling; DNS, DHCP and NTP
variants; the TCP analysis cases the kernel cannot be made to produce on
demand: tcp-spurious, tcp-midstream, tcp-ooo, tcp-portreuse,
tcp-winupdate, tcp-zwprobe, tcp-kaack), with scapy (python3-scapy, Debian's /usr/bin/python3).  Every
byte is fixed: the same run writes the same files (time stamps from a
counter, no random ids).  The tests read the committed files; re-run this
after changing it, then record.sh answers."""
import os
import struct
import sys

from scapy.all import (ARP, BOOTP, DHCP, DNS, DNSQR, DNSRR, GRE, ICMP,
                       IP, IPv6, IPv6ExtHdrHopByHop, LLC, Raw, SNAP,
                       STP, TCP, UDP, Dot1AD, Dot1Q, Dot3, Ether, conf)
from scapy.contrib.erspan import ERSPAN_II, ERSPAN_III
from scapy.contrib.geneve import GENEVE
from scapy.contrib.mpls import MPLS
from scapy.layers.inet6 import ICMPv6EchoRequest
from scapy.layers.ppp import PPP, PPPoE, PPPoED, PPPoED_Tags, PPPoETag
from scapy.layers.vxlan import VXLAN

conf.verb = 0
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "pcaps")

A = "00:11:22:33:44:55"
B = "66:77:88:99:aa:bb"


def eth(t=None):
    return Ether(src=A, dst=B) if t is None else Ether(src=A, dst=B, type=t)


def tcp(sport=40000, dport=8888, flags="PA", seq=1000, ack=2000, data=b"",
        **kw):
    t = TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack,
            window=512, **kw)
    return t / Raw(data) if data else t


def udp(sport=45000, dport=45001, data=b"hello"):
    return UDP(sport=sport, dport=dport) / Raw(data)


def ip(src="192.0.2.1", dst="198.51.100.2", **kw):
    kw.setdefault("id", 1)
    kw.setdefault("ttl", 64)
    return IP(src=src, dst=dst, **kw)


def ip6(src="2001:db8::1", dst="2001:db8::2", **kw):
    kw.setdefault("hlim", 64)
    return IPv6(src=src, dst=dst, **kw)


class Pcap:
    """A classic pcap: records of (bytes, caplen, wire length)."""

    def __init__(self, linktype=1, snaplen=262144):
        self.linktype, self.snaplen, self.recs = linktype, snaplen, []

    def add(self, pkt, caplen=None, wire=None, t=None):
        """t: the record's time in seconds after 1700000000 (the TCP
        analysis cases need real-looking gaps); None: a quarter second a
        record, as before."""
        b = bytes(pkt)
        wire = len(b) if wire is None else wire
        if caplen is not None:
            b = b[:caplen]
        self.recs.append((b, wire, t))
        return self

    def write(self, name):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0,
                                self.snaplen, self.linktype))
            for i, (b, wire, t) in enumerate(self.recs):
                if t is None:
                    sec, usec = 1700000000 + i // 4, (i % 4) * 250000
                else:
                    us = round(t * 1e6)
                    sec, usec = 1700000000 + us // 1000000, us % 1000000
                f.write(struct.pack("<IIII", sec, usec, len(b),
                                    max(wire, len(b))))
                f.write(b)


def vlan():
    p = Pcap()
    p.add(eth() / Dot1Q(vlan=100, prio=3) / ip() / udp())
    p.add(eth() / Dot1Q(vlan=4094, prio=7, id=1) /
          ip6() / tcp(flags="S", seq=0, ack=0))
    p.add(eth(0x88a8) / Dot1AD(vlan=10, prio=1) / Dot1Q(vlan=20) /
          ip(proto=6) / tcp(dport=80,
                            data=b"GET / HTTP/1.1\r\nHost: qinq\r\n\r\n"))
    p.add(eth(0x9100) / Dot1Q(vlan=30) / Dot1Q(vlan=31) /
          ARP(op=1, hwsrc=A, psrc="10.0.0.1", pdst="10.0.0.2"))
    p.add(eth() / Dot1Q(vlan=5) / ip() / ICMP(id=7, seq=1) / Raw(b"ping"))
    # the tag cut by the snaplen, then a tag holding an 802.3 length
    p.add(eth() / Dot1Q(vlan=6) / ip() / udp(), caplen=16)
    p.add(eth() / Dot1Q(vlan=7, type=38) /
          LLC(dsap=0x42, ssap=0x42, ctrl=3) / STP())
    p.add(eth() / Dot1Q(vlan=8) / ip() / udp(), caplen=15)
    p.write("vlan.pcap")


def llc():
    p = Pcap()
    p.add(Dot3(src=A, dst="01:80:c2:00:00:00") /
          LLC(dsap=0x42, ssap=0x42, ctrl=3) / STP())
    p.add(Dot3(src=A, dst=B) / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) /
          SNAP(OUI=0, code=0x0800) / ip() / udp())
    p.add(Dot3(src=A, dst=B) / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) /
          SNAP(OUI=0, code=0x86dd) / ip6() / udp())
    p.add(Dot3(src=A, dst=B) / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) /
          SNAP(OUI=0x00000c, code=0x0102) / Raw(b"\x00" * 8))
    p.add(Dot3(src=A, dst=B) / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) /
          SNAP(OUI=0x123456, code=0x0042) / Raw(b"\x00" * 12))
    p.add(Dot3(src=A, dst=B) / LLC(dsap=0x06, ssap=0x06, ctrl=3) /
          ip() / udp())
    p.add(Dot3(src=A, dst=B) / LLC(dsap=0xf0, ssap=0xf1, ctrl=0x10) /
          Raw(b"netbios?"))
    # padded to 60 bytes: the length says 12
    p.add(Dot3(src=A, dst=B, len=12) / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) /
          SNAP(OUI=0, code=0x9000) / Raw(b"abcd" + b"\x00" * 34))
    # a length past the frame, and one cut inside the LLC header
    p.add(Dot3(src=A, dst=B, len=1000) / LLC(dsap=0xaa, ssap=0xaa,
                                             ctrl=3) /
          SNAP(OUI=0, code=0x0800) / ip() / udp())
    p.add(Dot3(src=A, dst=B) / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) /
          SNAP(OUI=0, code=0x0800) / ip() / udp(), caplen=18)
    p.write("llc.pcap")


def gre():
    p = Pcap()
    outer = ip(src="20.1.1.1", dst="20.1.1.2", id=10)
    inner = ip(src="10.1.1.100", dst="10.1.1.200", id=11)
    p.add(eth() / outer / GRE() / inner / ICMP(id=1, seq=1) / Raw(b"x" * 8))
    p.add(eth() / outer / GRE(key_present=1, key=0x1234) / inner /
          tcp(flags="S", seq=0, ack=0))
    p.add(eth() / outer / GRE(chksum_present=1, key_present=1,
                              seqnum_present=1, key=42, seqence_number=7) /
          inner / udp(data=b"\x00" * 4))
    p.add(eth() / outer / GRE(proto=0x86dd) / ip6() / udp())
    p.add(eth() / outer / GRE(proto=0x6558) / Ether(src=B, dst=A) /
          ip(src="172.16.0.1", dst="172.16.0.2") / udp())
    # ERSPAN type I (no sequence number): the mirrored frame right away
    p.add(eth() / outer / GRE(proto=0x88be) / Ether(src=B, dst=A) /
          inner / tcp())
    p.add(eth() / outer / GRE(proto=0x88be, seqnum_present=1,
                              seqence_number=1) /
          ERSPAN_II(ver=1, vlan=12, session_id=3, index=5) /
          Ether(src=B, dst=A) / inner / tcp(data=b"type II"))
    p.add(eth() / outer / GRE(proto=0x22eb, seqnum_present=1,
                              seqence_number=2) /
          ERSPAN_III(vlan=13, session_id=4, timestamp=0x01020304) /
          Ether(src=B, dst=A) / inner / udp())
    p.add(eth(0x86dd) / ip6() / GRE() / inner / udp())
    # GRE cut inside its key
    p.add(eth() / outer / GRE(key_present=1, key=1) / inner / udp(),
          caplen=14 + 20 + 6)
    p.write("gre.pcap")


def ipip():
    p = Pcap()
    p.add(eth() / ip(src="20.1.1.1", dst="20.1.1.2") /
          ip(src="10.1.1.100", dst="10.1.1.200") / tcp(flags="S", seq=0,
                                                      ack=0))
    p.add(eth() / ip(src="20.1.1.1", dst="20.1.1.2", proto=41) / ip6() /
          udp(data=b"6in4"))
    p.add(eth(0x86dd) / ip6() / ip(src="10.1.1.1", dst="10.1.1.2") /
          ICMP(id=3, seq=4))
    p.add(eth(0x86dd) / ip6(nh=41) / ip6(src="fd00::1", dst="fd00::2") /
          tcp(sport=22, dport=50000, flags="A"))
    p.add(eth() / ip(src="20.1.1.1", dst="20.1.1.2") /
          ip(src="10.9.9.9", dst="10.8.8.8") /
          ip(src="10.7.7.7", dst="10.6.6.6") / udp())
    p.write("ipip.pcap")


def vxlan_geneve():
    p = Pcap()
    outer = ip(src="198.18.0.1", dst="198.18.0.2")
    inner = ip(src="10.0.0.1", dst="10.0.0.2")
    p.add(eth() / outer / UDP(sport=50000, dport=4789) / VXLAN(vni=42) /
          Ether(src=B, dst=A) / inner / tcp(data=b"vx"))
    p.add(eth() / outer / UDP(sport=50001, dport=4789) / VXLAN(vni=7) /
          Ether(src=B, dst="ff:ff:ff:ff:ff:ff") /
          ARP(op=1, hwsrc=B, psrc="10.0.0.1", pdst="10.0.0.2"))
    p.add(eth() / outer / UDP(sport=50002, dport=4789) / VXLAN(vni=8) /
          Ether(src=B, dst=A) / Dot1Q(vlan=9) / inner / udp())
    p.add(eth(0x86dd) / ip6() / UDP(sport=50003, dport=4789) /
          VXLAN(vni=9) / Ether(src=B, dst=A) / ip6(src="fd00::1",
                                                   dst="fd00::2") /
          ICMPv6EchoRequest(id=1, seq=2))
    p.add(eth() / outer / UDP(sport=50004, dport=6081) /
          GENEVE(vni=100, proto=0x6558) / Ether(src=B, dst=A) / inner /
          udp())
    p.add(eth() / outer / UDP(sport=50005, dport=6081) /
          GENEVE(vni=101, proto=0x0800, optionlen=2,
                 options=b"\x01\x02\x03\x01\xaa\xbb\xcc\xdd") /
          inner / tcp(flags="S", seq=0, ack=0))
    p.add(eth() / outer / UDP(sport=50006, dport=6081) /
          GENEVE(vni=102, proto=0x86dd) / ip6() / udp())
    p.write("vxlan.pcap")


def mpls():
    p = Pcap()
    p.add(eth(0x8847) / MPLS(label=100, s=1, ttl=64) / ip() / udp())
    p.add(eth(0x8847) / MPLS(label=16, s=0, ttl=255) /
          MPLS(label=17, s=0, ttl=254, cos=5) / MPLS(label=18, s=1, ttl=1) /
          ip6() / tcp(flags="SA", seq=0, ack=1))
    p.add(eth(0x8847) / MPLS(label=0, s=1) / ip() / ICMP())
    p.add(eth(0x8848) / MPLS(label=1000, s=1) / ip() / udp())
    p.add(eth(0x8847) / MPLS(label=2, s=1) / ip6() / udp())
    p.add(eth(0x8847) / MPLS(label=200, s=0), caplen=18)
    p.write("mpls.pcap")


def ppp():
    p = Pcap(linktype=9)
    p.add(PPP(b"\xff\x03\x00\x21") / ip() / udp())
    p.add(PPP(b"\xff\x03\x00\x57") / ip6() / tcp(flags="S", seq=0, ack=0))
    p.add(Raw(b"\x00\x21") / ip() / ICMP())
    p.add(Raw(b"\xff\x03\xc0\x21\x01\x01\x00\x04"))
    p.add(Raw(b"\xff\x03\x80\x21\x01\x01\x00\x0a\x03\x06\x0a\x00\x00\x01"))
    p.write("ppp.pcap")
    p = Pcap()
    bcast = "ff:ff:ff:ff:ff:ff"
    p.add(Ether(src=A, dst=bcast) / PPPoED(code=0x09) /
          PPPoED_Tags(tag_list=[PPPoETag(tag_type=0x0101, tag_value=b""),
                                PPPoETag(tag_type=0x0103,
                                         tag_value=b"\x01\x02")]))
    p.add(eth() / PPPoE(sessionid=0x11) / PPP(proto=0x0021) / ip() / udp())
    p.add(eth() / PPPoE(sessionid=0x11) / PPP(proto=0x0057) / ip6() /
          tcp(flags="A"))
    p.add(eth() / PPPoE(sessionid=0x12) / PPP(proto=0xc021) /
          Raw(b"\x09\x02\x00\x08\x00\x00\x00\x00"))
    p.write("pppoe.pcap")


def malformed():
    p = Pcap(snaplen=65535)
    # total length past the frame (not the capture's doing)
    b = bytearray(bytes(eth() / ip() / tcp(data=b"short")))
    struct.pack_into(">H", b, 16, 200)
    p.add(Raw(bytes(b)))
    # an option claiming 40 bytes in a 4-byte option area; then one with a
    # length of 1
    b = bytearray(bytes(eth() / ip(options=b"\x07\x28\x04\x00") / udp()))
    p.add(Raw(bytes(b)))
    b = bytearray(bytes(eth() / ip(options=b"\x83\x01\x00\x00") / udp()))
    p.add(Raw(bytes(b)))
    # UDP headers cut by the snaplen at 4, 6 and 7 bytes
    for n in (4, 6, 7):
        p.add(eth() / ip() / udp(sport=1000 + n, dport=53), caplen=34 + n)
    # TSO: ip.len 0 over a long segment; IPv6 payload length 0, no jumbo
    b = bytearray(bytes(eth() / ip() / tcp(data=b"x" * 3000)))
    struct.pack_into(">H", b, 16, 0)
    p.add(Raw(bytes(b)))
    b = bytearray(bytes(eth(0x86dd) / ip6() / tcp(data=b"y" * 100)))
    struct.pack_into(">H", b, 18, 0)
    p.add(Raw(bytes(b)))
    b = bytearray(bytes(eth(0x86dd) / ip6() / IPv6ExtHdrHopByHop() /
                        udp()))
    struct.pack_into(">H", b, 18, 0)
    p.add(Raw(bytes(b)))
    # UDP length past the datagram, and a UDP length below 8
    b = bytearray(bytes(eth() / ip() / udp()))
    struct.pack_into(">H", b, 38, 100)
    p.add(Raw(bytes(b)))
    b = bytearray(bytes(eth() / ip() / udp()))
    struct.pack_into(">H", b, 38, 4)
    p.add(Raw(bytes(b)))
    # IPv4 header length past the frame, and below 20
    b = bytearray(bytes(eth() / ip() / udp()))
    b[14] = 0x4f
    p.add(Raw(bytes(b)))
    b = bytearray(bytes(eth() / ip() / udp()))
    b[14] = 0x44
    p.add(Raw(bytes(b)))
    # a TCP header length past the segment; a short IPv6 payload length
    b = bytearray(bytes(eth() / ip() / tcp()))
    b[46] = 0xf0
    p.add(Raw(bytes(b)))
    b = bytearray(bytes(eth(0x86dd) / ip6() / udp(data=b"z" * 20)))
    struct.pack_into(">H", b, 18, 10)
    p.add(Raw(bytes(b)))
    p.write("malformed2.pcap")
    # records longer than the file's snaplen (64): tshark keeps them
    p = Pcap(snaplen=64)
    p.add(eth() / ip() / tcp(data=b"a" * 100))
    p.add(eth() / ip() / udp(data=b"b" * 20))
    p.add(eth() / ip() / tcp(data=b"c" * 200), caplen=80)
    p.write("snaplen.pcap")


def arp():
    p = Pcap()
    bc = "ff:ff:ff:ff:ff:ff"
    p.add(Ether(src=A, dst=bc) / ARP(op=1, hwsrc=A, psrc="10.0.0.1",
                                     pdst="10.0.0.2"))
    p.add(eth() / ARP(op=2, hwsrc=B, psrc="10.0.0.2", hwdst=A,
                      pdst="10.0.0.1"))
    p.add(Ether(src=A, dst=bc) / ARP(hwtype=6, hwlen=6, plen=4, op=1,
                                     hwsrc=A, psrc="10.0.0.3",
                                     pdst="10.0.0.4"))
    # IPv6 as the protocol (16-byte addresses), InfiniBand-sized hardware
    p.add(Ether(src=A, dst=bc, type=0x0806) /
          Raw(b"\x00\x01\x86\xdd\x06\x10\x00\x01" + bytes.fromhex(
              A.replace(":", "")) + b"\x20\x01\x0d\xb8" + b"\x00" * 11 +
              b"\x01" + b"\x00" * 6 + b"\x20\x01\x0d\xb8" + b"\x00" * 11 +
              b"\x02"))
    p.add(Ether(src=A, dst=bc, type=0x0806) /
          Raw(b"\x00\x20\x08\x00\x14\x04\x00\x01" + b"\x11" * 20 +
              b"\x0a\x00\x00\x05" + b"\x00" * 20 + b"\x0a\x00\x00\x06"))
    # RARP request and reply
    p.add(Ether(src=A, dst=bc, type=0x8035) /
          ARP(op=3, hwsrc=A, psrc="0.0.0.0", hwdst=A, pdst="0.0.0.0"))
    p.add(Ether(src=B, dst=A, type=0x8035) /
          ARP(op=4, hwsrc=B, psrc="10.0.0.9", hwdst=A, pdst="10.0.0.7"))
    # a gratuitous ARP, a reply to a probe, and addresses cut short
    p.add(Ether(src=A, dst=bc) / ARP(op=1, hwsrc=A, psrc="10.0.0.1",
                                     pdst="10.0.0.1"))
    p.add(Ether(src=A, dst=bc) / ARP(op=1, hwsrc=A, psrc="0.0.0.0",
                                     pdst="10.0.0.8"))
    p.add(Ether(src=A, dst=bc) / ARP(op=1, hwsrc=A, psrc="10.0.0.1",
                                     pdst="10.0.0.2"), caplen=30)
    p.write("arp.pcap")


def wscale():
    p = Pcap()
    c, s = ("192.0.2.10", 40001), ("192.0.2.20", 80)
    # only the client's SYN (scale 7) seen, then its data and the server's
    p.add(eth() / ip(src=c[0], dst=s[0]) /
          TCP(sport=c[1], dport=s[1], flags="S", seq=100, window=64240,
              options=[("MSS", 1460), ("SAckOK", b""),
                       ("Timestamp", (1, 0)), ("NOP", None),
                       ("WScale", 7)]))
    p.add(eth() / ip(src=c[0], dst=s[0]) /
          TCP(sport=c[1], dport=s[1], flags="A", seq=101, ack=5001,
              window=502))
    p.add(eth() / ip(src=s[0], dst=c[0]) /
          TCP(sport=s[1], dport=c[1], flags="PA", seq=5001, ack=101,
              window=509) / Raw(b"HTTP/1.1 200 OK\r\n\r\n"))
    # only the SYN-ACK (scale 9) of another conversation
    c2 = ("192.0.2.11", 40002)
    p.add(eth() / ip(src=s[0], dst=c2[0]) /
          TCP(sport=s[1], dport=c2[1], flags="SA", seq=7000, ack=301,
              window=65160, options=[("MSS", 1460), ("NOP", None),
                                     ("WScale", 9)]))
    p.add(eth() / ip(src=c2[0], dst=s[0]) /
          TCP(sport=c2[1], dport=s[1], flags="A", seq=301, ack=7001,
              window=1000))
    p.add(eth() / ip(src=s[0], dst=c2[0]) /
          TCP(sport=s[1], dport=c2[1], flags="A", seq=7001, ack=301,
              window=100))
    # both SYNs, one without the option: no scaling either way
    c3 = ("192.0.2.12", 40003)
    p.add(eth() / ip(src=c3[0], dst=s[0]) /
          TCP(sport=c3[1], dport=s[1], flags="S", seq=1, window=1000,
              options=[("WScale", 3)]))
    p.add(eth() / ip(src=s[0], dst=c3[0]) /
          TCP(sport=s[1], dport=c3[1], flags="SA", seq=9, ack=2,
              window=2000))
    p.add(eth() / ip(src=c3[0], dst=s[0]) /
          TCP(sport=c3[1], dport=s[1], flags="A", seq=2, ack=10,
              window=1000))
    p.write("wscale.pcap")


def apps():
    """DNS, DHCP, NTP and HTTP/TLS variants the live recording may not
    produce (compression, AAAA, errors, requests split, no SNI)."""
    p = Pcap()
    cl, sv = "192.0.2.53", "192.0.2.1"
    q = DNS(id=0x1234, rd=1, qd=DNSQR(qname="www.example.com", qtype="A"))
    p.add(eth() / ip(src=cl, dst=sv) / UDP(sport=33333, dport=53) / q)
    p.add(eth() / ip(src=sv, dst=cl) / UDP(sport=53, dport=33333) /
          DNS(id=0x1234, qr=1, rd=1, ra=1, qd=q.qd,
              an=DNSRR(rrname="www.example.com", type="CNAME",
                       rdata="example.com") /
              DNSRR(rrname="example.com", type="A", rdata="93.184.216.34") /
              DNSRR(rrname="example.com", type="A", rdata="93.184.216.35")))
    q6 = DNS(id=0x4321, rd=1, qd=DNSQR(qname="example.com", qtype="AAAA"))
    p.add(eth(0x86dd) / ip6() / UDP(sport=33334, dport=53) / q6)
    p.add(eth(0x86dd) / ip6(src="2001:db8::2", dst="2001:db8::1") /
          UDP(sport=53, dport=33334) /
          DNS(id=0x4321, qr=1, rd=1, ra=1, qd=q6.qd,
              an=DNSRR(rrname="example.com", type="AAAA",
                       rdata="2606:2800:220:1:248:1893:25c8:1946")))
    p.add(eth() / ip(src=sv, dst=cl) / UDP(sport=53, dport=33335) /
          DNS(id=7, qr=1, rcode=3, qd=DNSQR(qname="nx.example")))
    p.add(eth() / ip(src=cl, dst=sv) / UDP(sport=33336, dport=53) /
          Raw(b"\x00\x09\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03ab"))
    # DHCP: discover and ack
    mac = bytes.fromhex(A.replace(":", ""))
    p.add(Ether(src=A, dst="ff:ff:ff:ff:ff:ff") /
          ip(src="0.0.0.0", dst="255.255.255.255") /
          UDP(sport=68, dport=67) /
          BOOTP(op=1, chaddr=mac, xid=0x11223344) /
          DHCP(options=[("message-type", "discover"),
                        ("hostname", b"alice"), "end"]))
    p.add(eth() / ip(src="192.0.2.1", dst="192.0.2.77") /
          UDP(sport=67, dport=68) /
          BOOTP(op=2, chaddr=mac, xid=0x11223344, yiaddr="192.0.2.77",
                siaddr="192.0.2.1") /
          DHCP(options=[("message-type", "ack"),
                        ("server_id", "192.0.2.1"),
                        ("lease_time", 3600),
                        ("subnet_mask", "255.255.255.0"),
                        ("router", "192.0.2.1"), "end"]))
    # NTP client and server (raw: scapy's NTP stamps "now")
    stamp = bytes.fromhex("e8a1b2c3d4e5f607")
    p.add(eth() / ip(src=cl, dst=sv) / UDP(sport=123, dport=123) /
          Raw(b"\x23\x00\x06\xe9" + b"\x00" * 36 + stamp))
    p.add(eth() / ip(src=sv, dst=cl) / UDP(sport=123, dport=123) /
          Raw(b"\x24\x02\x06\xe9" + b"\x00\x00\x00\x00" +
              b"\x00\x00\x00\x10" + bytes([192, 0, 2, 1]) +
              bytes.fromhex("e8a1b2c000000000") + stamp +
              bytes.fromhex("e8a1b2c3d4e5f700e8a1b2c3d4e5f800")))
    # HTTP on a port tshark knows, a response, and a request line only
    c, s = ("192.0.2.30", 41000), ("192.0.2.31", 80)
    p.add(eth() / ip(src=c[0], dst=s[0]) /
          tcp(c[1], s[1], seq=1, ack=1,
              data=b"POST /form?a=1 HTTP/1.1\r\nHost: www.example.com\r\n"
                   b"User-Agent: curl/7.88.1\r\nContent-Length: 3\r\n\r\n"
                   b"a=b"))
    p.add(eth() / ip(src=s[0], dst=c[0]) /
          tcp(s[1], c[1], seq=1, ack=94,
              data=b"HTTP/1.1 404 Not Found\r\nServer: x\r\n"
                   b"Content-Length: 0\r\n\r\n"))
    # TLS ClientHello with SNI on 443, and an alert
    sni = b"www.example.com"
    ext = (struct.pack(">HHHBH", 0, len(sni) + 5, len(sni) + 3, 0,
                       len(sni)) + sni)
    body = (b"\x03\x03" + bytes(range(32)) + b"\x00" +
            b"\x00\x04\x13\x01\x13\x02" + b"\x01\x00" +
            struct.pack(">H", len(ext)) + ext)
    hs = b"\x01" + struct.pack(">I", len(body))[1:] + body
    rec = b"\x16\x03\x01" + struct.pack(">H", len(hs)) + hs
    c, s = ("192.0.2.40", 42000), ("192.0.2.41", 443)
    p.add(eth() / ip(src=c[0], dst=s[0]) / tcp(c[1], s[1], seq=1, ack=1,
                                               data=rec))
    p.add(eth() / ip(src=s[0], dst=c[0]) /
          tcp(s[1], c[1], seq=1, ack=1 + len(rec),
              data=b"\x15\x03\x03\x00\x02\x02\x28"))
    p.write("apps.pcap")


LINE = b"socklab crafted line %03d: the quick brown fox jumps over the lazy dog\n"


class Conv:
    """One crafted TCP conversation written into a Pcap: c() and s() send
    from the client and the server, each side's sequence and ack numbers
    kept as a real stack keeps them, unless seq/ack are given (the
    trouble).  Time advances by dt a segment (default 1 ms) from t0; the
    client is 198.18.0.2, the server 198.18.0.1, so that the crafted and
    the recorded pcaps read alike."""

    def __init__(self, pcap, sport, dport=5020, t0=0.0, v6=False,
                 cisn=1000, sisn=5000, win=65535):
        self.p, self.sport, self.dport, self.t, self.v6 = (pcap, sport,
                                                           dport, t0, v6)
        self.seq = {"c": cisn, "s": sisn}
        self.ack = {"c": 0, "s": 0}
        self.win = {"c": win, "s": win}

    def _l3(self, side):
        a, b = ("198.18.0.2", "198.18.0.1") if side == "c" else \
            ("198.18.0.1", "198.18.0.2")
        if self.v6:
            a6 = "2001:db8::2" if side == "c" else "2001:db8::1"
            b6 = "2001:db8::1" if side == "c" else "2001:db8::2"
            return eth(0x86dd) / ip6(src=a6, dst=b6)
        return eth() / ip(src=a, dst=b)

    def send(self, side, flags="A", data=b"", seq=None, ack=None, win=None,
             dt=0.001, advance=True, options=None):
        self.t += dt
        other = "s" if side == "c" else "c"
        sq = self.seq[side] if seq is None else seq
        ak = self.ack[side] if ack is None else ack
        sp, dp = (self.sport, self.dport) if side == "c" else \
            (self.dport, self.sport)
        t = TCP(sport=sp, dport=dp, flags=flags, seq=sq, ack=ak,
                window=self.win[side] if win is None else win,
                options=options or [])
        self.p.add(self._l3(side) / (t / Raw(data) if data else t), t=self.t)
        n = len(data) + ("S" in flags) + ("F" in flags)
        if advance and seq is None:
            self.seq[side] = sq + n
        if advance and n:
            self.ack[other] = max(self.ack[other], sq + n)
        return sq

    def c(self, *a, **k):
        return self.send("c", *a, **k)

    def s(self, *a, **k):
        return self.send("s", *a, **k)

    def handshake(self, rtt=0.010):
        # NOP-aligned, as real stacks send them (no EOL padding)
        syn = [("MSS", 1460), ("NOP", None), ("NOP", None), ("SAckOK", b"")]
        self.c("S", options=syn)
        self.s("SA", dt=rtt / 2, options=syn)
        self.c("A", dt=rtt / 2)

    def close(self, rtt=0.010):
        self.c("FA", dt=0.05)
        self.s("FA", dt=rtt / 2)
        self.c("A", dt=rtt / 2)


def tcp_spurious():
    """A segment sent again after the server had ACKed it: tshark's
    spurious retransmission; then a plain (RTO) retransmission of a
    segment not ACKed, and its ACK."""
    p = Pcap()
    k = Conv(p, 40200)
    k.handshake()
    a = k.c("PA", LINE % 1)
    k.c("PA", LINE % 2)
    k.s("A", dt=0.005)
    k.c("PA", LINE % 1, seq=a, dt=0.2)            # already ACKed
    k.s("A", dt=0.005)
    b = k.c("PA", LINE % 3)
    k.c("PA", LINE % 3, seq=b, dt=0.3)            # not ACKed yet: RTO
    k.s("A", dt=0.005)
    k.s("PA", b"thanks\n", dt=0.001)
    k.c("A", dt=0.005)
    k.close()
    p.write("tcp-spurious.pcap")


def tcp_midstream():
    """The capture starts in the middle of a conversation: no SYN, the
    server ACKs bytes the capture never saw (ACKed unseen segment), and
    the client's next segment follows a hole (previous segment not
    captured)."""
    p = Pcap()
    k = Conv(p, 40201, cisn=700000, sisn=900000)
    k.ack["c"] = 900000
    k.c("PA", LINE % 10)
    k.s("A", dt=0.005)
    k.s("A", ack=k.seq["c"] + 2 * len(LINE % 0), dt=0.002)   # unseen
    k.seq["c"] += 2 * len(LINE % 0)
    k.c("PA", LINE % 13, seq=k.seq["c"] + len(LINE % 0), dt=0.001)
    k.seq["c"] += 2 * len(LINE % 0)
    k.s("A", ack=k.seq["c"], dt=0.005)
    k.s("PA", b"ok, all of it\n", dt=0.001)
    k.c("A", dt=0.005)
    k.close()
    p.write("tcp-midstream.pcap")


def tcp_ooo():
    """Out of order: the third segment arrives before the second, 1 ms
    later the second (within the RTT: out-of-order, not a retransmission);
    the server's dup ACK with SACK between.  Then a hole filled 300 ms
    later, long after the RTT: a retransmission."""
    p = Pcap()
    k = Conv(p, 40202)
    k.handshake(rtt=0.020)
    k.c("PA", LINE % 1)
    k.s("A", dt=0.010)
    b = k.seq["c"]
    L = len(LINE % 0)
    k.c("PA", LINE % 3, seq=b + L, advance=False)
    k.s("A", dt=0.0002, options=[("NOP", None), ("NOP", None),
                            ("SAck", (b + L, b + 2 * L))])
    k.c("PA", LINE % 2, seq=b, dt=0.001)
    k.seq["c"] = b + 2 * L
    k.ack["s"] = b + 2 * L
    k.s("A", dt=0.010)
    b = k.seq["c"]
    k.c("PA", LINE % 5, seq=b + L, advance=False)
    k.s("A", dt=0.0002, options=[("NOP", None), ("NOP", None),
                            ("SAck", (b + L, b + 2 * L))])
    k.s("A", dt=0.0002, options=[("NOP", None), ("NOP", None),
                            ("SAck", (b + L, b + 2 * L))])
    k.c("PA", LINE % 4, seq=b, dt=0.300)
    k.seq["c"] = b + 2 * L
    k.ack["s"] = b + 2 * L
    k.s("A", dt=0.010)
    k.close(rtt=0.020)
    p.write("tcp-ooo.pcap")


def tcp_portreuse():
    """A whole conversation, then a new SYN on the same ports with another
    ISN (tcp.analysis.reused_ports, a new tcp.stream); the first SYN of
    the first conversation sent twice (the same ISN: a retransmission,
    not a reuse)."""
    p = Pcap()
    k = Conv(p, 40203, cisn=1000, sisn=5000)
    k.c("S", options=[("MSS", 1460)])
    k.c("S", seq=1000, dt=1.0, advance=False, options=[("MSS", 1460)])
    k.s("SA", dt=0.005, options=[("MSS", 1460)])
    k.c("A", dt=0.005)
    k.c("PA", LINE % 1)
    k.s("PA", b"first answer\n", dt=0.005)
    k.c("A", dt=0.005)
    k.close()
    k2 = Conv(p, 40203, t0=k.t + 2.0, cisn=3000000, sisn=7000000)
    k2.handshake()
    k2.c("PA", LINE % 2)
    k2.s("PA", b"second answer\n", dt=0.005)
    k2.c("A", dt=0.005)
    k2.close()
    p.write("tcp-portreuse.pcap")


def tcp_winupdate():
    """Window updates: the same ACK with a larger window and no data (a
    window update), then a smaller one (tshark 4.0 calls any change of
    the window without data an update), and data with a new window (not
    an update)."""
    p = Pcap()
    k = Conv(p, 40204, win=2000)
    k.handshake()
    k.c("PA", LINE % 1)
    k.s("A", win=1000, dt=0.005)
    k.s("A", win=8000, dt=0.100)                  # window update
    k.s("A", win=6000, dt=0.100)                  # shrinks: an update too
    k.c("PA", LINE % 2, dt=0.001)
    k.s("PA", b"got two\n", win=9000, dt=0.005)    # data: no update
    k.c("A", dt=0.005)
    k.close()
    p.write("tcp-winupdate.pcap")


def tcp_zwprobe():
    """The receiver's window filled (window full), a zero window, the
    sender's 1-byte zero window probes (as tshark 4.0 knows them; Linux
    probes with snd_una - 1 instead, see tcp-zerowin.pcap) and the ACKs of
    the probes, then the window update that lets the data flow."""
    p = Pcap()
    k = Conv(p, 40205)
    k.handshake()
    k.win["s"] = 3 * len(LINE % 0)
    k.s("A", dt=0.001)                            # the small window
    for i in range(3):
        k.c("PA", LINE % i, dt=0.0005)            # the last: window full
    k.s("A", win=0, dt=0.005)                     # zero window
    nxt = k.seq["c"]
    for i, gap in enumerate((0.2, 0.4, 0.8)):
        k.c("PA", b"s", seq=nxt, dt=gap, advance=False)   # probe
        k.s("A", win=0, dt=0.005)                 # probe ACK
    k.win["s"] = 8192
    k.s("A", dt=0.5)                              # window update
    k.c("PA", LINE % 3, dt=0.001)
    k.s("A", dt=0.005)
    k.close()
    p.write("tcp-zwprobe.pcap")


def tcp_kaack():
    """Keep-alives on an idle conversation, both kinds: Linux's (no data,
    seq = next - 1) and the BSD one (one garbage byte at next - 1); each
    answered by its keep-alive ACK."""
    p = Pcap()
    k = Conv(p, 40206)
    k.handshake()
    k.c("PA", LINE % 1)
    k.s("PA", b"hello back\n", dt=0.005)
    k.c("A", dt=0.005)
    for i in range(2):
        k.c("A", seq=k.seq["c"] - 1, dt=1.0, advance=False)
        k.s("A", dt=0.001)
    k.c("A", b"\x00", seq=k.seq["c"] - 1, dt=1.0, advance=False)
    k.s("A", dt=0.001)
    k.close()
    p.write("tcp-kaack.pcap")


def main():
    os.makedirs(OUT, exist_ok=True)
    for make in (vlan, llc, gre, ipip, vxlan_geneve, mpls, ppp, malformed,
                 arp, wscale, apps, tcp_spurious, tcp_midstream, tcp_ooo,
                 tcp_portreuse, tcp_winupdate, tcp_zwprobe, tcp_kaack):
        make()


if __name__ == "__main__":
    main()
