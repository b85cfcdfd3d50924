# bind_typo_server.py - exits at once with a traceback: bind() takes one
# (host, port) tuple, and this passes two arguments, a slip every class
# sees on its first day.
#
# usage: python3 bind_typo_server.py [PORT]
import socket
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 59123

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind("127.0.0.1", PORT)  # should be s.bind(("127.0.0.1", PORT))
s.listen()
