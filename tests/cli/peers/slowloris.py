#!/usr/bin/env python3
"""slowloris.py - many connections that each send one byte a second.

usage: slowloris.py HOST PORT N SECONDS

Opens N connections, prints "ready N", then every second sends one more
byte of a name ("s") on each of them, SECONDS times.  At the end it
completes every line with "\\n" and reads the reply: the server must have
kept every byte of every connection.  Prints "served K of N" (K replies
equal to "Hello, sss...!") and exits 0 when K == N.  Stdlib only.
"""
import resource
import socket
import sys
import time


def main():
    host, port, n, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
        int(sys.argv[4])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, n + 64)),
                                                hard))
    conns = [socket.create_connection((host, port), timeout=5)
             for _ in range(n)]
    print("ready %d" % n, flush=True)
    for _ in range(secs):
        for c in conns:
            c.sendall(b"s")
        time.sleep(1)  # the attack's pacing; bound: SECONDS iterations
    want = ("Hello, %s!\n" % ("s" * secs)).encode()
    served = 0
    for c in conns:
        c.sendall(b"\n")
    for c in conns:
        buf = b""
        try:
            while not buf.endswith(b"\n"):
                chunk = c.recv(256)
                if not chunk:
                    break
                buf += chunk
        except OSError:
            pass
        served += buf == want
        c.close()
    print("served %d of %d" % (served, n), flush=True)
    sys.exit(0 if served == n else 1)


if __name__ == "__main__":
    main()
