#!/usr/bin/env python3
"""client.py - the lab's TCP client.

It connects to the server on this machine ("localhost": ::1 or 127.0.0.1,
whichever answers), sends your login name as one line, and prints the
server's answer.

    python3 client.py [PORT [NAME]]   (59123 and your login name by default)
"""
import getpass
import socket
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 59123
NAME = sys.argv[2] if len(sys.argv) > 2 else getpass.getuser()

# create_connection tries every address localhost has until one connects
with socket.create_connection(("localhost", PORT), timeout=5) as sock:
    print("connected from %s port %d" % sock.getsockname()[:2])
    sock.sendall((NAME + "\n").encode("utf-8"))  # one line: the name
    answer = sock.makefile("rb").readline()  # the answer is one line too
    print(answer.decode("utf-8", "replace").rstrip("\n"))
