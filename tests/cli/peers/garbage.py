#!/usr/bin/env python3
"""garbage.py - random binary garbage and overlong lines.

usage: garbage.py HOST PORT N SEED

N connections, CONC at a time (8), each sending one payload drawn from
random.Random(SEED): random bytes with and without newlines, NULs,
terminal escapes, invalid UTF-8, lines far past any bound (up to 1 MB
without a newline), each followed by a half close.  Each connection reads
while it writes (the server may answer a lot) until EOF or reset.
Prints "done N, eof E, reset R, hung H"; exits 0 when H == 0: no
connection was left hanging for 10 s.  Stdlib only.
"""
import random
import selectors
import socket
import sys
import time

KINDS = 6


def payload(rng, kind):
    if kind == 0:   # random bytes, some newlines
        return bytes(rng.getrandbits(8) for _ in range(rng.randrange(4096)))
    if kind == 1:   # random bytes without a newline, past the line bound
        return bytes(rng.choice(range(11, 256)) for _ in
                     range(rng.randrange(300, 20000)))
    if kind == 2:   # a megabyte without a newline
        return b"A" * (1 << 20) + b"\n"
    if kind == 3:   # control bytes and escapes in short lines
        return b"\x00\x1b[2J\r\n\x07bell\n\x1b]0;title\x07\n\xff\xfe\xfd\n" * 8
    if kind == 4:   # good lines around garbage
        return b"alice\n" + bytes(rng.getrandbits(8) for _ in range(200)) + \
            b"\nbob\n"
    return b"\n" * rng.randrange(1, 5000)   # empty lines: a reply each


def run(host, port, data):
    """-> 'eof', 'reset' or 'hung'"""
    s = socket.create_connection((host, port), timeout=5)
    s.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
    off, shut = 0, False
    deadline = time.monotonic() + 10
    try:
        while time.monotonic() < deadline:
            for _key, ev in sel.select(0.5):
                if ev & selectors.EVENT_READ:
                    if not s.recv(65536):
                        return "eof"
                if ev & selectors.EVENT_WRITE:
                    if off < len(data):
                        off += s.send(data[off:off + 65536])
                    elif not shut:
                        s.shutdown(socket.SHUT_WR)
                        shut = True
                        sel.modify(s, selectors.EVENT_READ)
        return "hung"
    except (ConnectionResetError, BrokenPipeError):
        return "reset"
    finally:
        s.close()


def main():
    host, port, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
        int(sys.argv[4])
    rng = random.Random(seed)
    count = {"eof": 0, "reset": 0, "hung": 0}
    for i in range(n):
        count[run(host, port, payload(rng, i % KINDS))] += 1
    print("done %d, eof %d, reset %d, hung %d" %
          (n, count["eof"], count["reset"], count["hung"]), flush=True)
    sys.exit(1 if count["hung"] else 0)


if __name__ == "__main__":
    main()
