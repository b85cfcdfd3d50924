# split_client.py - sends the name in two pieces with a pause between them,
# so it crosses the network in two TCP segments ("al", then "ice\n"): a
# server must read until the newline, not trust one recv() to hold it all.
#
# usage: python3 split_client.py [PORT [NAME]]
import getpass
import socket
import sys
import time

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 59123
NAME = sys.argv[2] if len(sys.argv) > 2 else getpass.getuser()

half = len(NAME) // 2
s = socket.socket()
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # send at once
s.connect(("127.0.0.1", PORT))
s.sendall(NAME[:half].encode())
time.sleep(0.3)
s.sendall((NAME[half:] + "\n").encode())
print(s.recv(1024).decode(errors="replace").strip())
s.close()
