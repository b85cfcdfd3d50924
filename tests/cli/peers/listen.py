#!/usr/bin/env python3
"""listen.py - misbehaving (or merely different) servers for the client tests.

usage: listen.py MODE [-6] [--ttl S] [--host ADDR] [--backlog N]

Listens on 127.0.0.1 (::1 with -6, ADDR with --host) on a free port,
prints "port N" and serves every client in a thread according to MODE:
  silent       accept, read, never answer
  readclose    read the first line, then close (FIN) without a reply
  rst          read the first line, then close with a RST
  endless      send bytes without a newline until the client gives up
  reply:TEXT   read a line, answer TEXT (backslash escapes decoded),
               then wait for the client to close
  full         never accept; the accept queue (backlog 0, or --backlog N)
               is filled by N+1 connections of our own, so further SYNs
               are dropped
  hold         never accept (a port holder)
  noread       accept, never read, never answer
  closefirst   accept and close at once: the server's end closes first,
               so its port is left in TIME_WAIT
The process exits by itself after --ttl seconds (default 30), so a test
that forgets it cannot leave it behind.
"""
import codecs
import socket
import struct
import sys
import threading
import time


def read_line(c):
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = c.recv(4096)
        if not chunk:
            break
        buf += chunk
    return buf


def serve(c, mode):
    try:
        if mode == "silent":
            while c.recv(4096):
                pass
        elif mode == "readclose":
            read_line(c)
        elif mode == "rst":
            read_line(c)
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
        elif mode == "endless":
            chunk = b"A" * 65536
            for _ in range(256):  # 16 MiB at most
                c.sendall(chunk)
        elif mode == "noread":
            time.sleep(30)  # bound: the process's --ttl ends it sooner
        elif mode == "closefirst":
            pass
        elif mode.startswith("reply:"):
            read_line(c)
            c.sendall(codecs.escape_decode(mode[6:].encode())[0])
            while c.recv(4096):
                pass
    except OSError:
        pass
    finally:
        c.close()


def main():
    args = sys.argv[1:]
    mode = args[0]
    family = socket.AF_INET6 if "-6" in args else socket.AF_INET
    ttl = float(args[args.index("--ttl") + 1]) if "--ttl" in args else 30.0
    host = "::1" if family == socket.AF_INET6 else "127.0.0.1"
    if "--host" in args:
        host = args[args.index("--host") + 1]
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
    backlog = int(args[args.index("--backlog") + 1]) if "--backlog" in args else 0
    ls = socket.socket(family, socket.SOCK_STREAM)
    ls.bind((host, 0))
    ls.listen(backlog if mode == "full" else 16)
    port = ls.getsockname()[1]
    keep = []
    if mode == "full":
        for _ in range(backlog + 1):
            keep.append(socket.create_connection((host, port), timeout=2))
    print("port %d" % port, flush=True)
    deadline = time.monotonic() + ttl
    if mode in ("full", "hold"):
        while time.monotonic() < deadline:
            time.sleep(0.1)  # idle until killed; bound: --ttl
        return
    ls.settimeout(0.2)
    while time.monotonic() < deadline:
        try:
            c, _ = ls.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve, args=(c, mode), daemon=True).start()


if __name__ == "__main__":
    main()
