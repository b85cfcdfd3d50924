#!/usr/bin/env python3
# sockholder.py N - holds N established loopback TCP pairs (2N sockets) for
# bench-sockets.sh: prints "ready PORT" once they are all up, holds them
# until stdin closes or SIGTERM, then resets every one (SO_LINGER 0) so no
# TIME_WAIT is left behind.
import resource, signal, socket, struct, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
need = 2 * n + 64
if soft < need:
    if hard != resource.RLIM_INFINITY and hard < need:
        sys.exit("sockholder: needs %d descriptors, the hard limit is %d" % (need, hard))
    resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
lst = socket.socket()
lst.bind(("127.0.0.1", 0))
lst.listen(4096)
port = lst.getsockname()[1]
held = []
try:
    for i in range(n):
        c = socket.create_connection(("127.0.0.1", port))
        s, _ = lst.accept()
        held += [c, s]
    print("ready", port, flush=True)
    sys.stdin.read()
finally:
    linger = struct.pack("ii", 1, 0)
    for s in held:
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        except OSError:
            pass
        s.close()
    lst.close()
