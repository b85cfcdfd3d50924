# v6_server.py - the hello loop on IPv6 loopback only (::1): a client that
# goes to 127.0.0.1 finds nothing listening.
#
# usage: python3 v6_server.py [PORT]
import socket
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 59123

s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)  # AF_INET6 = IPv6
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::1", PORT))
s.listen(5)
print("listening on [::1]:%d" % PORT, flush=True)
while True:
    c, addr = s.accept()
    name = c.recv(1024).decode().strip()
    print("hello from", name, flush=True)
    c.send(("Hello, %s\n" % name).encode())
    c.close()
