# any_server.py - binds HOST = "" (every address of the machine, 0.0.0.0),
# as many tutorials do: it works on loopback, and anyone on the network
# can reach it too.
#
# usage: python3 any_server.py [PORT]
import socket
import sys

HOST = ""  # "" means all interfaces
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 59123

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((HOST, PORT))
server.listen(5)
print("Server started, waiting for clients...", flush=True)
while True:
    client, address = server.accept()
    try:
        msg = client.recv(1024).decode("utf-8").strip()
        print("Username:", msg, flush=True)
        client.sendall(("Hello, " + msg + "\n").encode("utf-8"))
    except OSError as e:
        print("error:", e, flush=True)
    finally:
        client.close()
