#!/usr/bin/env python3
"""server.py - the lab's TCP server.

It listens on the loopback addresses only (127.0.0.1 for IPv4 and ::1 for
IPv6), on a port above 59000 as the assignment asks, prints every name a
client sends and answers it with "Hello, NAME!".

    python3 server.py [PORT]        (PORT defaults to 59123; Ctrl-C stops it)
"""
import socket
import socketserver
import sys
import threading

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 59123


class Greeter(socketserver.StreamRequestHandler):
    """Serves one client; socketserver gives each client its own thread."""

    timeout = 30  # seconds: a client that stays silent is let go

    def handle(self):
        who = "%s port %d" % self.client_address[:2]
        try:
            # TCP delivers a stream of bytes, not messages: a name may come
            # in pieces, or two names together.  Reading line by line
            # (each name ends with b"\n") puts them back as they were sent.
            for line in self.rfile:
                name = line.decode("utf-8", "replace").strip()
                print(f"received {name!r} from {who}", flush=True)
                self.wfile.write(f"Hello, {name}!\n".encode("utf-8"))
        except OSError as err:
            # a reset, a timeout, a client gone before reading its answer:
            # that client is over, the server carries on
            print(f"{who}: {err}", flush=True)


class LoopbackServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True  # SO_REUSEADDR: restart at once after Ctrl-C
    daemon_threads = True  # Ctrl-C does not wait for clients to leave
    request_queue_size = 128  # the listen() backlog


class LoopbackServer6(LoopbackServer):
    address_family = socket.AF_INET6

    def server_bind(self):
        # IPv6 only on this socket, so 127.0.0.1 can have its own
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        super().server_bind()


def main():
    servers = [LoopbackServer(("127.0.0.1", PORT), Greeter)]
    try:
        servers.append(LoopbackServer6(("::1", PORT), Greeter))
    except OSError as err:  # a machine without IPv6
        print(f"no IPv6 loopback ({err}): listening on 127.0.0.1 only")
    print(f"listening on 127.0.0.1 and ::1, port {PORT}", flush=True)
    for extra in servers[1:]:
        threading.Thread(target=extra.serve_forever, daemon=True).start()
    try:
        servers[0].serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
