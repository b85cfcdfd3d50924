#!/usr/bin/env python3
"""depth.py - sockets in the states the `sockets -i -o -m -e -x -K` tests
look at, held until stdin ends (or --ttl seconds pass).

usage: depth.py MODE [--ttl S]

Prints "port N" (or "dir D" for unix), then "ready", then one
"done CMD" per command read on stdin.  MODE:
  noread    a connection whose server end never reads; "send N" makes
            the client send N more bytes
  backlog   a listener with backlog 1 that never accepts, two clients
            already in its accept queue; "connect" tries one more (the
            queue is full: its SYN is dropped)
  pair      one idle connection, SO_KEEPALIVE on the client
  unix      in a fresh folder: a listener on a path, a connected pair
            with 3 unread bytes, an abstract name, an unnamed datagram
            socket; prints "ino KIND N" for each
  short     "connect MS": a connection opened, held MS milliseconds and
            closed by the client first
Stdlib only.
"""
import os
import select
import socket
import sys
import tempfile
import time

keep = []


def listener(backlog=8):
    l = socket.socket()
    l.bind(("127.0.0.1", 0))
    l.listen(backlog)
    keep.append(l)
    return l, l.getsockname()[1]


def nonblocking_connect(port):
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    keep.append(c)
    return c


def established(c, timeout=5):
    """The connect of c completed (bounded wait)."""
    _, w, _ = select.select([], [c], [], timeout)
    return bool(w) and c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0


def setup(mode, state):
    if mode in ("noread", "pair", "short"):
        l, port = listener()
        state["l"], state["port"] = l, port
        if mode != "short":
            c = socket.create_connection(("127.0.0.1", port))
            s, _ = l.accept()
            if mode == "pair":
                c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            keep.extend([c, s])
            state["c"] = c
        print("port", port, flush=True)
    elif mode == "backlog":
        l, port = listener(1)
        state["port"] = port
        for _ in range(2):
            if not established(nonblocking_connect(port)):
                sys.exit("depth.py: a connection to the queue did not complete")
        print("port", port, flush=True)
    elif mode == "unix":
        d = tempfile.mkdtemp(prefix="sl-unix-")
        path = os.path.join(d, "lab.sock")
        ul = socket.socket(socket.AF_UNIX)
        ul.bind(path)
        ul.listen(4)
        uc = socket.socket(socket.AF_UNIX)
        uc.connect(path)
        us, _ = ul.accept()
        uc.send(b"abc")
        ua = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        ua.bind("\0sl-abstract-%d" % os.getpid())
        ud = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        keep.extend([ul, uc, us, ua, ud])
        print("dir", d, flush=True)
        for kind, s in (("listen", ul), ("client", uc), ("accepted", us),
                        ("abstract", ua), ("unnamed", ud)):
            print("ino", kind, os.fstat(s.fileno()).st_ino, flush=True)
        state["dir"], state["path"] = d, path


def command(cmd, state):
    words = cmd.split()
    if words[:1] == ["send"]:
        state["c"].sendall(b"x" * int(words[1]))
    elif words == ["connect"]:
        nonblocking_connect(state["port"])
    elif words[:1] == ["connect"]:
        c = socket.create_connection(("127.0.0.1", state["port"]))
        s, _ = state["l"].accept()
        time.sleep(int(words[1]) / 1000.0)  # the lifetime under test
        c.close()
        s.recv(1)
        s.close()


def main():
    mode = sys.argv[1]
    ttl = float(sys.argv[sys.argv.index("--ttl") + 1]) if "--ttl" in sys.argv else 60
    state = {}
    setup(mode, state)
    print("ready", flush=True)
    end = time.monotonic() + ttl
    while time.monotonic() < end:
        r, _, _ = select.select([sys.stdin], [], [], end - time.monotonic())
        if not r:
            break
        line = sys.stdin.readline()
        if not line:
            break
        command(line.strip(), state)
        print("done", line.strip(), flush=True)
    if "path" in state:
        os.unlink(state["path"])
        os.rmdir(state["dir"])


if __name__ == "__main__":
    main()
