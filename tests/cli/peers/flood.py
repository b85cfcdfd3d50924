#!/usr/bin/env python3
"""flood.py - more clients than the server admits.

usage: flood.py HOST PORT ADMIT EXTRA

Opens ADMIT connections and proves each is admitted (a line and its
reply), then opens EXTRA more in waves of 200: each must read exactly
"ERR server busy\\n" and then EOF.  Finally every admitted connection sends
a second line and must get its reply: none was dropped.  Prints
"admitted A", "busy B", "kept K" and exits 0 when A == K == ADMIT and
B == EXTRA.  Every socket operation times out after 5 s.  Stdlib only.
"""
import resource
import socket
import sys


def line(c):
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = c.recv(256)
        if not chunk:
            break
        buf += chunk
    return buf


def until_eof(c):
    buf = b""
    try:
        while True:
            chunk = c.recv(256)
            if not chunk:
                return buf, "EOF"
            buf += chunk
    except ConnectionResetError:
        return buf, "RESET"


def ask(c, name):
    c.sendall(name.encode() + b"\n")
    return line(c) == ("Hello, %s!\n" % name).encode()


def main():
    host, port, admit, extra = sys.argv[1], int(sys.argv[2]), \
        int(sys.argv[3]), int(sys.argv[4])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE,
                       (max(soft, min(hard, admit + 300)), hard))
    kept = []
    for i in range(admit):
        c = socket.create_connection((host, port), timeout=5)
        if ask(c, "a%d" % i):
            kept.append(c)
    print("admitted %d" % len(kept), flush=True)
    busy = 0
    done = 0
    while done < extra:
        wave = [socket.create_connection((host, port), timeout=5)
                for _ in range(min(200, extra - done))]
        for c in wave:
            data, end = until_eof(c)
            if data == b"ERR server busy\n" and end == "EOF":
                busy += 1
            else:
                print("extra got %r then %s" % (data, end), flush=True)
            c.close()
        done += len(wave)
    print("busy %d" % busy, flush=True)
    ok = sum(ask(c, "b%d" % i) for i, c in enumerate(kept))
    print("kept %d" % ok, flush=True)
    for c in kept:
        c.close()
    sys.exit(0 if len(kept) == ok == admit and busy == extra else 1)


if __name__ == "__main__":
    main()
