#!/usr/bin/env python3
"""tcppeer.py ROLE ADDR PORT [OPTIONS] - the two ends of the TCP and UDP
conversations record-tcp.sh captures (python3 stdlib only).  Every
payload is text lines, so that follow output is something a person reads.

  server ADDR PORT [--rcvbuf N] [--hold FILE] [--reset-after N] [--echo]
      accepts one connection.  --rcvbuf: the listening socket's receive
      buffer (inherited: a small window).  --hold: read nothing until FILE
      exists (the zero window), bounded.  --reset-after N: after N bytes,
      close with SO_LINGER 0 (a reset mid-stream).  --echo: answer every
      line, upper-cased; otherwise answer "got N bytes" at EOF.
  client ADDR PORT [--lines N] [--mss N] [--keepalive FILE] [--expect-reset]
      sends N lines (segments of at most --mss bytes, default 536), half-closes, reads the answer to EOF.  --keepalive:
      TCP_KEEPIDLE=1 TCP_KEEPINTVL=1, one line and its answer, then idle
      until FILE exists (bounded), then close.
  closed ADDR PORT      a connect to a port nobody listens on (RST,ACK).
  udp-server ADDR PORT COUNT   echoes COUNT datagrams, upper-cased.
  udp-client ADDR PORT LINES   LINES datagrams from one socket, and the echoes.

A server prints "listening" once it listens; record-tcp.sh waits on it."""
import os
import socket
import struct
import sys
import time

LINE = "socklab test line {:05d}: the quick brown fox jumps over the lazy dog\n"
WAIT_LIMIT = 30.0       # seconds: every wait on a file is bounded by this


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def wait_file(path):
    end = time.monotonic() + WAIT_LIMIT
    while not os.path.exists(path):
        if time.monotonic() > end:
            sys.exit("tcppeer.py: %s did not appear within %g s" %
                     (path, WAIT_LIMIT))
        time.sleep(0.02)        # poll step; the deadline is the bound


def opt(args, name, default=None):
    if name in args:
        i = args.index(name)
        return args[i + 1] if i + 1 < len(args) else True
    return default


def server(addr, port, args):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if opt(args, "--rcvbuf"):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF,
                     int(opt(args, "--rcvbuf")))
    s.bind((addr, port))
    s.listen(1)
    s.settimeout(WAIT_LIMIT)
    print("listening", flush=True)
    c, _ = s.accept()
    c.settimeout(WAIT_LIMIT)
    if opt(args, "--hold"):
        wait_file(opt(args, "--hold"))
    reset_after = int(opt(args, "--reset-after", 0))
    echo = "--echo" in args
    got, pending = 0, b""
    while True:
        try:
            b = c.recv(4096)
        except ConnectionResetError:
            break
        if not b:
            break
        got += len(b)
        if echo:
            pending += b
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                c.sendall(line.upper() + b"\n")
        if reset_after and got >= reset_after:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
            c.close()
            print("reset after %d bytes" % got, flush=True)
            return
    if not echo:
        c.sendall(("got %d bytes\n" % got).encode())
    c.close()
    print("done %d bytes" % got, flush=True)


def client(addr, port, args):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    ka = opt(args, "--keepalive")
    if ka:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 20)
    # a small MSS: a few kilobytes of text make many segments
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG,
                 int(opt(args, "--mss", 536)))
    s.settimeout(WAIT_LIMIT)
    s.connect((addr, port))
    if ka:
        s.sendall(b"hello, are you there?\n")
        s.recv(4096)
        wait_file(ka)
        s.close()
        return
    n = int(opt(args, "--lines", 10))
    try:
        s.sendall("".join(LINE.format(i) for i in range(n)).encode())
        s.shutdown(socket.SHUT_WR)
        while s.recv(65536):
            pass
    except ConnectionResetError:
        if "--expect-reset" not in args:
            raise
        print("reset by peer", flush=True)
    s.close()


def closed(addr, port):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect((addr, port))
        sys.exit("tcppeer.py: %s port %d is open; expected it closed" %
                 (addr, port))
    except ConnectionRefusedError:
        print("refused", flush=True)


def udp_server(addr, port, count):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.bind((addr, port))
    s.settimeout(WAIT_LIMIT)
    print("listening", flush=True)
    for _ in range(count):
        b, peer = s.recvfrom(65536)
        s.sendto(b.upper(), peer)


def udp_client(addr, port, lines):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.settimeout(5)
    for i in range(lines):
        s.sendto(("datagram %d from this socket: hello over udp\n" % i)
                 .encode(), (addr, port))
        s.recvfrom(65536)


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    role, addr, port, rest = argv[1], argv[2], int(argv[3]), argv[4:]
    if role == "server":
        server(addr, port, rest)
    elif role == "client":
        client(addr, port, rest)
    elif role == "closed":
        closed(addr, port)
    elif role == "udp-server":
        udp_server(addr, port, int(rest[0]))
    elif role == "udp-client":
        udp_client(addr, port, int(rest[0]))
    else:
        sys.exit("tcppeer.py: unknown role '%s'\n%s" % (role, __doc__))


if __name__ == "__main__":
    main(sys.argv)
