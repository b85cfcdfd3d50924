#!/usr/bin/env python3
"""pipeline.py - one client that sends many names before reading any reply.

usage: pipeline.py HOST PORT N GO

Sends the N lines "n000000\\n" .. (8 bytes each) as fast as the server
takes them, reading nothing, until neither its sending nor the replies
arriving in its receive queue have moved for half a second: the server
has stopped answering.  Prints "stalled sent S inq Q local P" (S bytes
sent, Q bytes of replies waiting unread in its receive queue, P its local
port).  Then waits, holding the connection, until the file GO exists
(at most 60 s), and reads while it sends the rest: every reply must be
"Hello, n000000!\\n" .. in order, none missing, then EOF after its own
half close.  Prints "replies R of N, in order" and exits 0 when R == N,
else says where the stream went wrong and exits 1.  Stdlib only.
"""
import fcntl
import os
import select
import socket
import sys
import termios
import time

QUIET_S = 0.5


def inq(s):
    return int.from_bytes(fcntl.ioctl(s, termios.FIONREAD, b"\0" * 4),
                          sys.byteorder)


def stall(s, data):
    """Sends until nothing moves; returns the bytes sent."""
    sent, last, moved = 0, (-1, -1), time.monotonic()
    deadline = moved + 30
    while time.monotonic() < deadline:
        if sent < len(data):
            _, w, _ = select.select([], [s], [], 0.05)
            if w:
                try:
                    sent += s.send(data[sent:sent + 65536])
                except BlockingIOError:
                    pass
        else:
            time.sleep(0.05)  # poll step; bound: the 30 s deadline
        now = (sent, inq(s))
        if now != last:
            last, moved = now, time.monotonic()
        elif time.monotonic() - moved > QUIET_S:
            return sent
    sys.exit("pipeline.py: the server never stopped answering")


def drain(s, data, sent, want):
    """Reads every reply while sending the rest; returns the bytes read."""
    got, pos, shut = b"", 0, False
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        wl = [s] if not shut else []
        r, w, _ = select.select([s], wl, [], 0.5)
        if w and sent < len(data):
            try:
                sent += s.send(data[sent:sent + 65536])
            except BlockingIOError:
                pass
        if not shut and sent == len(data):
            s.shutdown(socket.SHUT_WR)
            shut = True
        if not r:
            continue
        chunk = s.recv(1 << 20)
        if not chunk:
            return pos
        got += chunk
        if got != want[pos:pos + len(got)]:
            bad = next(i for i in range(len(got))
                       if got[i] != want[pos + i])
            sys.exit("reply byte %d is %r, expected %r" %
                     (pos + bad, got[bad:bad + 16],
                      want[pos + bad:pos + bad + 16]))
        pos += len(got)
        got = b""
    sys.exit("pipeline.py: no EOF within 30 s (%d of %d bytes read)" %
             (pos, len(want)))


def main():
    host, port, n, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
        sys.argv[4]
    data = b"".join(b"n%06d\n" % i for i in range(n))
    want = b"".join(b"Hello, n%06d!\n" % i for i in range(n))
    s = socket.create_connection((host, port), timeout=5)
    s.setblocking(False)
    sent = stall(s, data)
    print("stalled sent %d inq %d local %d" %
          (sent, inq(s), s.getsockname()[1]), flush=True)
    end = time.monotonic() + 60
    while not os.path.exists(go) and time.monotonic() < end:
        time.sleep(0.05)  # poll step; bound: 60 s
    read = drain(s, data, sent, want)
    print("replies %d of %d, in order" % (read // 16, n), flush=True)
    sys.exit(0 if read == len(want) else 1)


if __name__ == "__main__":
    main()
