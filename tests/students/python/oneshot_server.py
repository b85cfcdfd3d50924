# oneshot_server.py - answers one client and ends: the tutorial shape with
# "with conn:" and no loop around accept().
#
# usage: python3 oneshot_server.py [PORT]
import socket
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 59123

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", PORT))
    s.listen()
    conn, addr = s.accept()
    with conn:
        print("Connected by", addr)
        data = conn.recv(1024)
        print("Got", data)
        conn.sendall(b"Hello, " + data)
