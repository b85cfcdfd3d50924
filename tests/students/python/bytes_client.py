# bytes_client.py - the shortest client: connect, send the name as bytes
# (b"alice", no newline), and end at once without reading any answer.
# The connection lives a few milliseconds.
#
# usage: python3 bytes_client.py [PORT [NAME]]
import getpass
import socket
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 59123
NAME = sys.argv[2] if len(sys.argv) > 2 else getpass.getuser()

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("127.0.0.1", PORT))
s.send(NAME.encode())  # e.g. b"alice"
s.close()
