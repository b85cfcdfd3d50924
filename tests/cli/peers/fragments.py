"""fragments.py PORT: one UDP datagram to 127.0.0.1:PORT and one to [::1]:PORT,
each cut into two IP fragments (the second one first), injected on lo as
Ethernet frames through a packet socket (needs CAP_NET_RAW).  Loopback's
64 KiB MTU never fragments by itself; this is how a test sees fragments."""
import socket
import struct
import sys

port = int(sys.argv[1])
payload = b"fragment-test:" + b"F" * 50    # 8 + 64 bytes of UDP
udp = struct.pack("!HHHH", 40000, port, 8 + len(payload), 0) + payload
eth = lambda etype: b"\0" * 12 + struct.pack("!H", etype)


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF


def ip4(ident, off8, more, data):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(data), ident,
                    (0x2000 if more else 0) | off8, 64, 17, 0,
                    socket.inet_aton("127.0.0.1"), socket.inet_aton("127.0.0.1"))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return eth(0x0800) + h + data


def ip6(ident, off8, more, data):
    frag = struct.pack("!BBHI", 17, 0, (off8 << 3) | (1 if more else 0), ident)
    lo = socket.inet_pton(socket.AF_INET6, "::1")
    h = struct.pack("!IHBB16s16s", 6 << 28, len(frag) + len(data), 44, 64, lo, lo)
    return eth(0x86DD) + h + frag + data


s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("lo", 0))
for build in (ip4, ip6):
    s.send(build(0x5A5A, 5, False, udp[40:]))   # the end first
    s.send(build(0x5A5A, 0, True, udp[:40]))
