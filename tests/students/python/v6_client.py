# v6_client.py - connects to the IPv6 loopback address ::1 only, as a
# client does that resolves "localhost" to ::1 first and tries no other.
#
# usage: python3 v6_client.py [PORT [NAME]]
import getpass
import socket
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 59123
NAME = sys.argv[2] if len(sys.argv) > 2 else getpass.getuser()

s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.connect(("::1", PORT))
s.sendall((NAME + "\n").encode())
print(s.recv(1024).decode().strip())
s.close()
