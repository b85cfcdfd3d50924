# threaded_server.py - a server that keeps working whatever its clients do:
# one thread per client, each line of a client is one name, errors of one
# client end only that client, and it listens on both loopback addresses
# (127.0.0.1 for IPv4, ::1 for IPv6), since "localhost" may mean either.
#
# usage: python3 threaded_server.py [PORT]
import socket
import sys
import threading

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 59123


def serve(conn, addr):
    conn.settimeout(10)  # a client that sends nothing is let go
    try:
        with conn, conn.makefile("rb") as lines:
            for line in lines:  # TCP is a stream: cut it into lines
                name = line.rstrip(b"\r\n").decode(errors="replace")
                print(f"{addr[0]} says {name!r}", flush=True)
                conn.sendall(f"Hello, {name}!\n".encode())
    except OSError as err:  # reset, timeout, closed early
        print(f"{addr[0]}: {err}", flush=True)


def accept_loop(listener):
    while True:
        conn, addr = listener.accept()
        threading.Thread(target=serve, args=(conn, addr), daemon=True).start()


listeners = []
for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((host, PORT))
    s.listen(128)
    listeners.append(s)
print(f"listening on 127.0.0.1 and ::1, port {PORT}", flush=True)
for s in listeners[1:]:
    threading.Thread(target=accept_loop, args=(s,), daemon=True).start()
accept_loop(listeners[0])
