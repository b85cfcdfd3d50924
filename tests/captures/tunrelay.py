#!/usr/bin/env python3
"""tunrelay.py NS_A DEV_A NS_B DEV_B [--swap K] [--dup K] [--limit SECONDS]
- a userspace link between two network namespaces over TUN devices
(python3 stdlib), for the reordering and duplication the kernel here
cannot make (no netem).  It creates TUN device DEV_A inside the named
namespace NS_A (/run/netns/NS_A) and DEV_B inside NS_B, prints "ready",
then copies every IP packet read from one to the other.  Of the TCP
segments carrying data from A to B, every K-th (--swap, default 7) is
held back and written after the next one (reordering), and every K-th
(--dup, default 11) is written twice (duplication).  Everything else,
and all of B to A, passes unchanged and in order.  The choice is by
counter, not random: a re-run makes the same kind of trouble.  A held
segment is released after 50 ms if no other comes.  Stops on SIGTERM,
or after --limit seconds (default 60).  Needs root."""
import ctypes
import errno
import fcntl
import os
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454ca
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000
HOLD_MAX = 0.05         # seconds a held segment waits for a successor

libc = ctypes.CDLL(None, use_errno=True)


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            sys.exit("tunrelay.py: cannot enter %s: %s (run as root)" %
                     (path, os.strerror(e)))
    finally:
        os.close(fd)


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    ifr = struct.pack("16sH22x", name.encode(), IFF_TUN | IFF_NO_PI)
    fcntl.ioctl(fd, TUNSETIFF, ifr)
    return fd


def tun_in(ns, name):
    """The device is bound to the namespace the process is in when it is
    created; the file descriptor keeps working from anywhere."""
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    try:
        setns("/run/netns/" + ns)
        fd = open_tun(name)
    finally:
        libc.setns(home, CLONE_NEWNET)
        os.close(home)
    return fd


def tcp_data(pkt):
    """True for an IPv4 or IPv6 TCP segment with payload."""
    if len(pkt) < 20:
        return False
    v = pkt[0] >> 4
    if v == 4:
        ihl = (pkt[0] & 15) * 4
        if pkt[9] != 6 or len(pkt) < ihl + 20:
            return False
        total = struct.unpack("!H", pkt[2:4])[0]
        return total - ihl - (pkt[ihl + 12] >> 4) * 4 > 0
    if v == 6 and len(pkt) >= 60 and pkt[6] == 6:
        plen = struct.unpack("!H", pkt[4:6])[0]
        return plen - (pkt[40 + 12] >> 4) * 4 > 0
    return False


def put(fd, pkt):
    """A write to a device that is not up yet fails with EIO: the packet
    is dropped, as a link that is down drops it."""
    try:
        os.write(fd, pkt)
    except OSError as e:
        if e.errno != errno.EIO:
            raise


def opt(args, name, default):
    return int(args[args.index(name) + 1]) if name in args else default


def main(argv):
    if len(argv) < 5:
        sys.exit(__doc__)
    ns_a, dev_a, ns_b, dev_b = argv[1:5]
    swap, dup = opt(argv, "--swap", 7), opt(argv, "--dup", 11)
    limit = opt(argv, "--limit", 60)
    a, b = tun_in(ns_a, dev_a), tun_in(ns_b, dev_b)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    n = swapped = dupped = 0
    held, held_at = None, 0.0
    end = time.monotonic() + limit
    try:
        while time.monotonic() < end:
            r, _, _ = select.select([a, b], [], [], HOLD_MAX / 2)
            if held is not None and time.monotonic() - held_at > HOLD_MAX:
                put(b, held)
                held = None
            if b in r:
                put(a, os.read(b, 65536))
            if a not in r:
                continue
            pkt = os.read(a, 65536)
            if not tcp_data(pkt):
                put(b, pkt)
                continue
            n += 1
            if held is None and swap and n % swap == 0:
                held, held_at = pkt, time.monotonic()
                continue
            put(b, pkt)
            if dup and n % dup == 0:
                put(b, pkt)
                dupped += 1
            if held is not None:
                put(b, held)
                held = None
                swapped += 1
    finally:
        print("relayed %d data segments: %d swapped, %d duplicated" %
              (n, swapped, dupped), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main(sys.argv)
