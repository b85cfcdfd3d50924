# print_close_server.py - the first server of most tutorials: accept one
# client, print what it sent, close.  It never answers and serves only one
# client, then the program ends.
#
# usage: python3 print_close_server.py [PORT]
import socket
import sys

HOST = "127.0.0.1"  # loopback: only programs on this machine can connect
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 59123

# AF_INET = IPv4, SOCK_STREAM = TCP
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((HOST, PORT))
s.listen()
print("waiting on port", PORT)

conn, addr = s.accept()  # blocks until a client connects
data = conn.recv(1024)   # up to 1024 bytes: whatever has arrived
print("received", data, "from", addr)
conn.close()
s.close()
