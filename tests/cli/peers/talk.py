#!/usr/bin/env python3
"""talk.py - a scripted TCP client for the server tests (stdlib only).

usage: talk.py HOST PORT STEP...

Each STEP is [N@]VERB[:ARG]; N names a connection (default 1).
  connect            connect N to HOST PORT; prints nothing
  local              print "N local ADDR" (ADDR as socklab prints it)
  send:TEXT          send TEXT (backslash escapes decoded: \\n \\r \\x1b)
  flood:COUNT        send COUNT copies of "alice\\n" in one sendall
                     (a failed send prints "N! send failed: WHY")
  drained            wait until the server has read all N sent (ss shows
                     no unacked data on our side, no unread data on its)
  line               read one line; print "N< LINE" (escaped)
  eof                read until EOF; print "N< DATA" if any, then
                     "N< EOF" (or "N< RESET" on a reset)
  shut               shutdown(SHUT_WR): half close
  close              close
  rst                close with SO_LINGER 0: the kernel sends a RST
  elapsed            print "N elapsed S" (seconds since connect)
  logged:TEXT        wait until the file $TALK_LOG has a line containing
                     TEXT, where {} stands for N's local address

Every wait is bounded by $TALK_TIMEOUT seconds (default 5); a wait that
runs out prints "N< TIMEOUT" and exits 3.
"""
import codecs
import os
import re
import socket
import struct
import subprocess
import sys
import time

TIMEOUT = float(os.environ.get("TALK_TIMEOUT", "5"))
conns = {}
started = {}


def fmt(addr):
    host, port = addr[0], addr[1]
    return "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)


def escape(b):
    out = []
    for c in b:
        if c == 0x0A:
            out.append("\\n")
        elif c == 0x0D:
            out.append("\\r")
        elif c == 0x5C:
            out.append("\\\\")
        elif 0x20 <= c < 0x7F:
            out.append(chr(c))
        else:
            out.append("\\x%02x" % c)
    return "".join(out)


def say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def give_up(n, what):
    say("%s< TIMEOUT (%s)" % (n, what))
    sys.exit(3)


def read_line(n, s):
    buf = b""
    s.settimeout(TIMEOUT)
    while not buf.endswith(b"\n"):
        try:
            chunk = s.recv(1)
        except socket.timeout:
            give_up(n, "line")
        if not chunk:
            say("%s< %s" % (n, escape(buf)))
            say("%s< EOF" % n)
            return
        buf += chunk
    say("%s< %s" % (n, escape(buf)))


def read_eof(n, s):
    buf = b""
    s.settimeout(TIMEOUT)
    end = "EOF"
    while True:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            give_up(n, "eof")
        except ConnectionResetError:
            end = "RESET"
            break
        if not chunk:
            break
        buf += chunk
    if buf:
        say("%s< %s" % (n, escape(buf)))
    say("%s< %s" % (n, end))


def ss_queues(local, remote):
    """Recv-Q and Send-Q of the socket local -> remote, or None."""
    out = subprocess.run(
        ["ss", "-Htn", "state", "established",
         "( sport = :%d and dport = :%d )" % (local[1], remote[1])],
        capture_output=True, text=True).stdout
    for row in out.splitlines():
        f = row.split()
        if len(f) >= 4:
            return int(f[0]), int(f[1])
    return None


def drained(n, s):
    me, peer = s.getsockname(), s.getpeername()
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        ours, theirs = ss_queues(me, peer), ss_queues(peer, me)
        if ours and theirs and ours[1] == 0 and theirs[0] == 0:
            return
        time.sleep(0.01)  # poll step; the loop is bound by TALK_TIMEOUT
    give_up(n, "drained")


def logged(n, s, template):
    want = template.replace("{}", fmt(s.getsockname()))
    path = os.environ["TALK_LOG"]
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            with open(path, "rb") as f:
                if want.encode() in f.read():
                    return
        except FileNotFoundError:
            pass
        time.sleep(0.01)  # poll step; the loop is bound by TALK_TIMEOUT
    give_up(n, "logged " + want)


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    for step in sys.argv[3:]:
        m = re.match(r"(?:(\w+)@)?([a-z]+)(?::(.*))?$", step, re.S)
        if not m:
            sys.exit("talk.py: bad step " + step)
        n, verb, arg = m.group(1) or "1", m.group(2), m.group(3) or ""
        s = conns.get(n)
        if verb == "connect":
            s = socket.create_connection((host, port), timeout=TIMEOUT)
            conns[n] = s
            started[n] = time.monotonic()
        elif verb == "local":
            say("%s local %s" % (n, fmt(s.getsockname())))
        elif verb in ("send", "flood"):
            data = (codecs.escape_decode(arg.encode())[0] if verb == "send"
                    else b"alice\n" * int(arg))
            try:
                s.sendall(data)
            except OSError as e:
                say("%s! send failed: %s" % (n, e.strerror))
        elif verb == "drained":
            drained(n, s)
        elif verb == "line":
            read_line(n, s)
        elif verb == "eof":
            read_eof(n, s)
        elif verb == "shut":
            s.shutdown(socket.SHUT_WR)
        elif verb == "close":
            s.close()
        elif verb == "rst":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
            s.close()
        elif verb == "elapsed":
            say("%s elapsed %.3f" % (n, time.monotonic() - started[n]))
        elif verb == "logged":
            logged(n, s, arg)
        else:
            sys.exit("talk.py: unknown step " + step)


if __name__ == "__main__":
    main()
