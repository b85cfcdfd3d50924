#!/usr/bin/python3
"""mkpcaps.py OUTDIR - crafts the pcaps of frames the kernel here cannot make
(VLAN, QinQ, 802.3/LLC/SNAP, GRE and ERSPAN, IP-in-IP, IPv6-in-IPv4,
Geneve, MPLS, PPP, PPPoE) and the malformed and rare cases (headers that
claim more than the frame holds, cut UDP headers, records past the snaplen,
ARP of other hardware, TSO, one-SYN window scaling; DNS, DHCP and NTP
variants), with scapy (python3-scapy, Debian's /usr/bin/python3).  Every
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

    def add(self, pkt, caplen=None, wire=None):
        b = bytes(pkt)
        wire = len(b) if wire is None else wire
        if caplen is not None:
            b = b[:caplen]
        self.recs.append((b, wire))
        return self

    def write(self, name):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0,
                                self.snaplen, self.linktype))
            for i, (b, wire) in enumerate(self.recs):
                f.write(struct.pack("<IIII", 1700000000 + i // 4,
                                    (i % 4) * 250000, len(b),
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


def main():
    os.makedirs(OUT, exist_ok=True)
    for make in (vlan, llc, gre, ipip, vxlan_geneve, mpls, ppp, malformed,
                 arp, wscale, apps):
        make()


if __name__ == "__main__":
    main()
