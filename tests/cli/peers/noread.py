#!/usr/bin/env python3
"""noread.py - clients that send and never read their replies.

usage: noread.py HOST PORT N LINE RELEASE

N connections each send LINE ("" for empty lines: the reply is 15 times
the input) again and again without ever reading, until their send would
block for half a second: the server has stopped reading them, its
backlog of replies is full.  Prints "stalled N, sent B bytes" and then
waits, holding every connection, until the file RELEASE exists (or 60 s
pass); then closes them (with unread data: the server sees a RST).
"""
import os
import select
import socket
import sys
import time


def main():
    host, port, n, text, release = sys.argv[1], int(sys.argv[2]), \
        int(sys.argv[3]), sys.argv[4], sys.argv[5]
    chunk = (text.encode() + b"\n") * (65536 // (len(text) + 1))
    conns = []
    for _ in range(n):
        c = socket.create_connection((host, port), timeout=5)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.setblocking(False)
        conns.append(c)
    sent = 0
    busy = set(conns)
    quiet = {c: time.monotonic() for c in conns}
    deadline = time.monotonic() + 30
    while busy and time.monotonic() < deadline:
        _, ready, _ = select.select([], list(busy), [], 0.1)
        now = time.monotonic()
        for c in ready:
            try:
                sent += c.send(chunk)
                quiet[c] = now
            except BlockingIOError:
                pass
        for c in list(busy):
            if now - quiet[c] > 0.5:
                busy.discard(c)
    print("stalled %d, sent %d bytes" % (n - len(busy), sent), flush=True)
    end = time.monotonic() + 60
    while not os.path.exists(release) and time.monotonic() < end:
        time.sleep(0.05)  # poll step; bound: 60 s
    for c in conns:
        c.close()


if __name__ == "__main__":
    main()
