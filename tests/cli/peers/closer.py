#!/usr/bin/env python3
"""closer.py - a server that closes a connection before the client is done.

usage: closer.py N [--ttl S]

Listens on 127.0.0.1 on a free port and prints "port P".  Each client
gets "Hello, NAME!\\n" for its first N lines only: then the server reads
whatever else has already arrived (so its close is a FIN, not a RST) and
closes, whether or not the client has more to send.  Exits by itself
after --ttl seconds (default 30).  Stdlib only.
"""
import socket
import sys
import threading
import time


def serve(c, n):
    buf = b""
    try:
        c.settimeout(10)
        while buf.count(b"\n") < n:
            chunk = c.recv(4096)
            if not chunk:
                break
            buf += chunk
        for name in buf.split(b"\n")[:n]:
            if name:
                c.sendall(b"Hello, " + name.rstrip(b"\r") + b"!\n")
        c.setblocking(False)
        try:
            while c.recv(4096):
                pass
        except BlockingIOError:
            pass
    except OSError:
        pass
    finally:
        c.close()


def main():
    n = int(sys.argv[1])
    ttl = float(sys.argv[sys.argv.index("--ttl") + 1]) \
        if "--ttl" in sys.argv else 30.0
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    ls.settimeout(0.2)
    print("port %d" % ls.getsockname()[1], flush=True)
    deadline = time.monotonic() + ttl
    while time.monotonic() < deadline:
        try:
            c, _ = ls.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve, args=(c, n), daemon=True).start()


if __name__ == "__main__":
    main()
