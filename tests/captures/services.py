#!/usr/bin/env python3
"""services.py ROLE [ARGS] - the small DNS, DHCP and NTP servers and the
DHCP and NTP clients record.sh runs inside its network namespaces (python3
stdlib only).  Each server answers one kind of request well enough for a
real client; each exits after --count requests or 20 s, whichever comes
first, so nothing outlives the recording.

  dns-server ADDR PORT COUNT      A, AAAA, CNAME answers; NXDOMAIN otherwise
  dhcp-server IFACE COUNT         offers and acks 198.18.0.100
  dhcp-client IFACE MAC           DISCOVER, then REQUEST the offer
  ntp-server ADDR COUNT           mode 4 replies
  ntp-client ADDR                 one mode 3 request
"""
import socket
import struct
import sys
import time

TIMEOUT = 20.0
ZONE = {
    ("www.example.test", 1): [("cname", "example.test")],
    ("example.test", 1): [("a", "198.18.0.80"), ("a", "198.18.0.81")],
    ("example.test", 28): [("aaaa", "2001:db8::80")],
    ("www.example.test", 28): [("cname", "example.test")],
}


def name_bytes(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def read_name(msg, off):
    labels, hops = [], 0
    while msg[off] != 0:
        if msg[off] & 0xC0 == 0xC0:
            if hops > 10:
                raise ValueError("loop")
            off = ((msg[off] & 0x3F) << 8) | msg[off + 1]
            hops += 1
            continue
        n = msg[off]
        labels.append(msg[off + 1:off + 1 + n].decode())
        off += 1 + n
    return ".".join(labels), off + 1


def dns_answer(q):
    qid, flags = struct.unpack(">HH", q[:4])
    name, off = read_name(q, 12)
    qtype, qclass = struct.unpack(">HH", q[off:off + 4])
    question = q[12:off + 4]
    answers, cur = [], name
    while (cur, qtype) in ZONE and len(answers) < 8:
        for kind, val in ZONE[(cur, qtype)]:
            if kind == "cname":
                rdata = name_bytes(val)
                answers.append(name_bytes(cur) + struct.pack(
                    ">HHIH", 5, 1, 300, len(rdata)) + rdata)
                cur = val
                break
            fam = socket.AF_INET if kind == "a" else socket.AF_INET6
            rdata = socket.inet_pton(fam, val)
            answers.append(name_bytes(cur) + struct.pack(
                ">HHIH", qtype, 1, 300, len(rdata)) + rdata)
        else:
            break
    rcode = 0 if answers else 3
    hdr = struct.pack(">HHHHHH", qid, 0x8180 | (flags & 0x0100) | rcode,
                      1, len(answers), 0, 0)
    return hdr + question + b"".join(answers)


def serve_udp(addr, port, count, reply, family=socket.AF_INET, dev=None):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    if dev:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
    s.bind((addr, port))
    print("ready", flush=True)
    end = time.monotonic() + TIMEOUT
    done = 0
    while done < count and time.monotonic() < end:
        s.settimeout(max(0.1, end - time.monotonic()))
        try:
            msg, peer = s.recvfrom(4096)
        except socket.timeout:
            break
        out = reply(msg, peer)
        if out is not None:
            data, to = out
            s.sendto(data, to)
        done += 1


DHCP_MAGIC = b"\x63\x82\x53\x63"


def dhcp_options(opts):
    out = DHCP_MAGIC
    for code, val in opts:
        out += bytes([code, len(val)]) + val
    return out + b"\xff"


def dhcp_type(msg):
    off = 240
    while off < len(msg) and msg[off] != 255:
        if msg[off] == 0:
            off += 1
            continue
        if msg[off] == 53:
            return msg[off + 2]
        off += 2 + msg[off + 1]
    return 0


def bootp(op, xid, chaddr, yiaddr=b"\0" * 4, siaddr=b"\0" * 4, flags=0):
    return (struct.pack(">BBBBIHH", op, 1, 6, 0, xid, 0, flags) +
            b"\0" * 4 + yiaddr + siaddr + b"\0" * 4 +
            chaddr[:16].ljust(16, b"\0") + b"\0" * 192)


def dhcp_server(iface, count):
    me = socket.inet_aton("198.18.0.1")
    offer = socket.inet_aton("198.18.0.100")

    def reply(msg, peer):
        kind = dhcp_type(msg)
        if kind not in (1, 3):
            return None
        xid, chaddr = struct.unpack(">I", msg[4:8])[0], msg[28:44]
        opts = [(53, bytes([2 if kind == 1 else 5])), (54, me),
                (51, struct.pack(">I", 3600)),
                (1, socket.inet_aton("255.255.255.0")), (3, me),
                (6, me)]
        return (bootp(2, xid, chaddr, offer, me) + dhcp_options(opts),
                ("255.255.255.255", 68))
    serve_udp("0.0.0.0", 67, count, reply, dev=iface)


def dhcp_client(iface, mac):
    chaddr = bytes.fromhex(mac.replace(":", ""))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
    s.bind(("0.0.0.0", 68))
    s.settimeout(5)
    xid = 0x5a5a0001
    host = (12, b"alice-laptop")
    s.sendto(bootp(1, xid, chaddr, flags=0x8000) +
             dhcp_options([(53, b"\x01"), host, (55, b"\x01\x03\x06")]),
             ("255.255.255.255", 67))
    msg, _ = s.recvfrom(4096)
    yiaddr = msg[16:20]
    s.sendto(bootp(1, xid, chaddr, flags=0x8000) +
             dhcp_options([(53, b"\x03"), (50, yiaddr),
                           (54, socket.inet_aton("198.18.0.1")), host]),
             ("255.255.255.255", 67))
    msg, _ = s.recvfrom(4096)
    print("leased", socket.inet_ntoa(msg[16:20]))


NTP_EPOCH = 2208988800


def ntp_stamp(t):
    return struct.pack(">II", int(t) + NTP_EPOCH,
                       int((t % 1) * (1 << 32)) & 0xffffffff)


def ntp_server(addr, count):
    def reply(msg, peer):
        now = time.time()
        out = (bytes([0x24, 2, msg[2], 0xe9]) + struct.pack(">II", 0, 0x10) +
               socket.inet_aton("198.18.0.1") + ntp_stamp(now - 10) +
               msg[40:48] + ntp_stamp(now) + ntp_stamp(now))
        return out, peer
    serve_udp(addr, 123, count, reply)


def ntp_client(addr):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", 123))
    s.settimeout(5)
    req = bytes([0x23, 0, 6, 0xe9]) + b"\0" * 36 + ntp_stamp(time.time())
    s.sendto(req, (addr, 123))
    msg, _ = s.recvfrom(512)
    print("ntp stratum", msg[1])


def main():
    role, args = sys.argv[1], sys.argv[2:]
    if role == "dns-server":
        serve_udp(args[0], int(args[1]), int(args[2]),
                  lambda m, p: (dns_answer(m), p),
                  socket.AF_INET6 if ":" in args[0] else socket.AF_INET)
    elif role == "dhcp-server":
        dhcp_server(args[0], int(args[1]))
    elif role == "dhcp-client":
        dhcp_client(args[0], args[1])
    elif role == "ntp-server":
        ntp_server(args[0], int(args[1]))
    elif role == "ntp-client":
        ntp_client(args[0])
    else:
        sys.exit("services.py: unknown role %s" % role)


if __name__ == "__main__":
    main()
