# hello_server.py - the classic loop: accept a client, read its name,
# answer "Hello, NAME", close, and wait for the next one.  One client at a
# time, one recv() per client, IPv4 loopback only.
#
# usage: python3 hello_server.py [PORT]
import socket
import sys

HOST = "127.0.0.1"
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 59123

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, PORT))
    s.listen()
    print(f"listening on {HOST}:{PORT}", flush=True)
    while True:
        conn, addr = s.accept()
        with conn:
            name = conn.recv(1024).decode().strip()
            print(f"{addr} says {name}", flush=True)
            conn.sendall(f"Hello, {name}\n".encode())
