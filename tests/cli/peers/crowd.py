#!/usr/bin/env python3
"""crowd.py - many connections at once, in one of three manners.

usage: crowd.py MODE HOST PORT N [SECONDS]

  hold   open N connections (those the kernel will not complete are
         counted as failed), print "open K", hold them SECONDS (default 2)
         and close them; prints "closed K"
  rst    N connections, 100 at a time, each sending half a line ("ali")
         and closing with SO_LINGER 0: a RST in the middle of a line;
         prints "reset N"
  half   N connections, 50 at a time: half of them send "hI\\n", the others
         "pI" without a newline, then shutdown(SHUT_WR); each must read
         exactly its reply and then EOF; prints "served K of N" and exits
         0 when K == N
Every socket operation times out after 5 s.  Stdlib only.
"""
import resource
import socket
import struct
import sys
import time


def raise_nofile(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE,
                       (max(soft, min(hard, n + 64)), hard))


def hold(host, port, n, secs):
    conns = []
    for _ in range(n):
        try:
            conns.append(socket.create_connection((host, port), timeout=2))
        except OSError:
            pass
    print("open %d" % len(conns), flush=True)
    time.sleep(secs)  # holding is the point; bound: SECONDS
    for c in conns:
        c.close()
    print("closed %d" % len(conns), flush=True)
    return 0


def rst(host, port, n):
    linger0 = struct.pack("ii", 1, 0)
    done = 0
    while done < n:
        wave = [socket.create_connection((host, port), timeout=5)
                for _ in range(min(100, n - done))]
        for c in wave:
            c.sendall(b"ali")
        for c in wave:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger0)
            c.close()
        done += len(wave)
    print("reset %d" % done, flush=True)
    return 0


def half(host, port, n):
    served = 0
    for base in range(0, n, 50):
        wave = []
        for i in range(base, min(n, base + 50)):
            c = socket.create_connection((host, port), timeout=5)
            name = ("h%d" if i % 2 else "p%d") % i
            c.sendall(name.encode() + (b"\n" if i % 2 else b""))
            c.shutdown(socket.SHUT_WR)
            wave.append((c, ("Hello, %s!\n" % name).encode()))
        for c, want in wave:
            buf = b""
            try:
                while True:
                    chunk = c.recv(256)
                    if not chunk:
                        break
                    buf += chunk
            except OSError as e:
                buf += b" [%s]" % str(e).encode()
            if buf == want:
                served += 1
            else:
                print("got %r, wanted %r" % (buf, want), flush=True)
            c.close()
    print("served %d of %d" % (served, n), flush=True)
    return 0 if served == n else 1


def main():
    mode, host, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
        int(sys.argv[4])
    raise_nofile(n)
    if mode == "hold":
        secs = float(sys.argv[5]) if len(sys.argv) > 5 else 2.0
        sys.exit(hold(host, port, n, secs))
    if mode == "rst":
        sys.exit(rst(host, port, n))
    if mode == "half":
        sys.exit(half(host, port, n))
    sys.exit("crowd.py: unknown mode " + mode)


if __name__ == "__main__":
    main()
