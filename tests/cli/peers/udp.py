#!/usr/bin/env python3
"""udp.py - loopback UDP traffic for the capture tests.

usage: udp.py PORT SECONDS [SIZE]

Sends datagrams of SIZE bytes (default 100) to 127.0.0.1:PORT, one every
millisecond, for SECONDS (a receiver socket bound to PORT drains them, so
no ICMP errors), prints "sent N" and exits.  SIZE up to 65507 makes the
largest datagram loopback carries.  Stdlib only.
"""
import socket
import sys
import time


def main():
    port, secs = int(sys.argv[1]), float(sys.argv[2])
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", port))
    rx.setblocking(False)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    data = b"u" * size
    sent = 0
    end = time.monotonic() + secs
    while time.monotonic() < end:
        tx.sendto(data, ("127.0.0.1", port))
        sent += 1
        try:
            while rx.recv(65536):
                pass
        except BlockingIOError:
            pass
        time.sleep(0.001)  # pacing; bound: SECONDS
    print("sent %d" % sent, flush=True)


if __name__ == "__main__":
    main()
