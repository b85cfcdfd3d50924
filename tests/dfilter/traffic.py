#!/usr/bin/env python3
"""traffic.py KIND - loopback traffic for the display-filter conformance
pcaps (run inside a private network namespace by mkpcaps.sh).

KIND: tcp4 | tcp6 (two hello conversations and a refused connect),
udp (UDP over IPv4 and IPv6, then ICMP echo to 127.0.0.1), frag (a
3000-byte UDP datagram over IPv4, which a 1280-byte MTU splits in three)."""
import socket
import struct
import sys
import time


def hello(fam, host):
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.bind((host, 0))
    srv.listen(8)
    port = srv.getsockname()[1]
    for name in (b"alice", b"Bob\\x"):
        c = socket.socket(fam, socket.SOCK_STREAM)
        c.connect((host, port))
        s, _ = srv.accept()
        c.sendall(name + b"\n")
        line = s.recv(100)
        s.sendall(b"Hello, " + line.rstrip(b"\n") + b"!\n")
        c.recv(100)
        c.close()
        s.close()
        time.sleep(0.3)    # spreads frame.time_relative over ~1 s
    srv.close()
    # a refused connect: SYN answered by RST
    free = socket.socket(fam, socket.SOCK_STREAM)
    free.bind((host, 0))
    closed = free.getsockname()[1]
    free.close()
    c = socket.socket(fam, socket.SOCK_STREAM)
    try:
        c.connect((host, closed))
    except ConnectionRefusedError:
        pass
    c.close()


def udp(fam, host):
    a = socket.socket(fam, socket.SOCK_DGRAM)
    b = socket.socket(fam, socket.SOCK_DGRAM)
    b.bind((host, 0))
    a.sendto(b"ping alice", b.getsockname())
    data, peer = b.recvfrom(100)
    b.sendto(b"pong " + data[5:], peer)
    a.recvfrom(100)
    a.sendto(b"", b.getsockname())    # an empty datagram
    b.recvfrom(100)
    a.close()
    b.close()


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def icmp_echo():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.settimeout(2)
    for seq in (1, 2):
        body = b"socklab-echo"
        hdr = struct.pack("!BBHHH", 8, 0, 0, 0x1234, seq)
        pkt = struct.pack("!BBHHH", 8, 0, csum(hdr + body), 0x1234, seq)
        s.sendto(pkt + body, ("127.0.0.1", 0))
        for _ in range(2):      # our own echo request comes back too
            s.recvfrom(200)
        time.sleep(0.2)
    s.close()


def main():
    kind = sys.argv[1]
    if kind == "tcp4":
        hello(socket.AF_INET, "127.0.0.1")
    elif kind == "tcp6":
        hello(socket.AF_INET6, "::1")
    elif kind == "udp":
        udp(socket.AF_INET, "127.0.0.1")
        udp(socket.AF_INET6, "::1")
        icmp_echo()
    elif kind == "frag":
        a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        b.bind(("127.0.0.1", 0))
        a.sendto(b"alice " * 500, b.getsockname())
        b.recvfrom(4000)
        a.sendto(b"small", b.getsockname())
        b.recvfrom(4000)
    else:
        sys.exit("traffic.py: unknown kind " + kind)


main()
