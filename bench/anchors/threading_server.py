#!/usr/bin/env python3
"""threading_server.py - the hello server a Python tutorial produces:
socketserver.ThreadingTCPServer, one thread per client, on 127.0.0.1.
The only change from the tutorial: a large listen backlog (the default of
5 overflows under load and stalls clients for seconds).
usage: threading_server.py [PORT]; prints "port N" once listening."""
import socketserver
import sys


class Hello(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(b"Hello, " + line.rstrip(b"\r\n") + b"!\n")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 4096


with Server(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0),
            Hello) as s:
    print("port %d" % s.server_address[1], flush=True)
    s.serve_forever()
