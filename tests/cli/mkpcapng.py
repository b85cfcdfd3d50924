#!/usr/bin/env python3
"""mkpcapng.py OUT NAME [PORT] - a capture made "by hand", as Wireshark
writes one: a pcapng file (section header, interface, enhanced packet
blocks; no socklab comments) of one TCP conversation on loopback over
Ethernet: SYN, SYN-ACK, ACK, the client's "user: NAME\\n", the server's
reply, both FINs.  python3 stdlib only."""
import random, struct, sys

out, name = sys.argv[1], sys.argv[2].encode()
sport = int(sys.argv[3]) if len(sys.argv) > 3 else 59123
cport = random.randint(32768, 60999)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(src_port, dst_port, seq, ack, flags, payload=b""):
    ip_src = ip_dst = bytes([127, 0, 0, 1])
    tcp = struct.pack("!HHIIBBHHH", src_port, dst_port, seq, ack, 5 << 4,
                      flags, 65535, 0, 0) + payload
    pseudo = ip_src + ip_dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64,
                     6, 0, ip_src, ip_dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return b"\0" * 12 + b"\x08\x00" + ip + tcp


def block(btype, body):
    body += b"\0" * ((4 - len(body) % 4) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


isn_c, isn_s = random.getrandbits(32), random.getrandbits(32)
msg = b"user: " + name + b"\n"
reply = b"hi " + name + b"\n"
c, s = isn_c + 1, isn_s + 1
frames = [
    frame(cport, sport, isn_c, 0, 0x02),
    frame(sport, cport, isn_s, c, 0x12),
    frame(cport, sport, c, s, 0x10),
    frame(cport, sport, c, s, 0x18, msg),
    frame(sport, cport, s, c + len(msg), 0x18, reply),
    frame(cport, sport, c + len(msg), s + len(reply), 0x11),
    frame(sport, cport, s + len(reply), c + len(msg) + 1, 0x11),
    frame(cport, sport, c + len(msg) + 1, s + len(reply) + 1, 0x10),
]
t = 1700000000 * 10**6
data = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
data += block(1, struct.pack("<HHI", 1, 0, 262144))
for i, f in enumerate(frames):
    ts = t + i * 100
    data += block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xffffffff,
                                 len(f), len(f)) + f)
open(out, "wb").write(data)
