#!/usr/bin/env python3
"""rude.py - servers that misbehave in ways listen.py does not cover.

usage: rude.py MODE [--ttl S]

Listens on 127.0.0.1 on a free port, prints "port N", and treats every
client according to MODE:
  closenow   close at once after accepting (FIN), before reading anything
  rstnow     close at once with SO_LINGER 0 (RST)
  trickle    send "x" every 50 ms, never a newline (a slow endless line)
  binary     read a line, answer 64 random bytes (every value but the
             newline, from random.Random(1)) and a newline, then wait
             for the client to close
Exits by itself after --ttl seconds (default 30).  Stdlib only.
"""
import random
import socket
import struct
import sys
import threading
import time


def serve(c, mode, deadline):
    try:
        if mode == "rstnow":
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
        elif mode == "trickle":
            while time.monotonic() < deadline:
                c.sendall(b"x")
                time.sleep(0.05)  # the peer's pacing; bound: --ttl
        elif mode == "binary":
            buf = b""
            while not buf.endswith(b"\n"):
                chunk = c.recv(4096)
                if not chunk:
                    return
                buf += chunk
            rng = random.Random(1)
            c.sendall(bytes(rng.choice([b for b in range(256) if b != 10])
                            for _ in range(64)) + b"\n")
            while c.recv(4096):
                pass
    except OSError:
        pass
    finally:
        c.close()


def main():
    args = sys.argv[1:]
    mode = args[0]
    ttl = float(args[args.index("--ttl") + 1]) if "--ttl" in args else 30.0
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(64)
    print("port %d" % ls.getsockname()[1], flush=True)
    deadline = time.monotonic() + ttl
    ls.settimeout(0.2)
    while time.monotonic() < deadline:
        try:
            c, _ = ls.accept()
        except socket.timeout:
            continue
        if mode in ("closenow", "rstnow"):
            serve(c, mode, deadline)
        else:
            threading.Thread(target=serve, args=(c, mode, deadline),
                             daemon=True).start()


if __name__ == "__main__":
    main()
