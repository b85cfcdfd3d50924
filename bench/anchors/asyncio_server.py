#!/usr/bin/env python3
"""asyncio_server.py - the asyncio streams hello server, on 127.0.0.1.
usage: asyncio_server.py [PORT]; prints "port N" once listening."""
import asyncio
import sys


async def hello(reader, writer):
    while line := await reader.readline():
        writer.write(b"Hello, " + line.rstrip(b"\r\n") + b"!\n")
        await writer.drain()
    writer.close()


async def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    s = await asyncio.start_server(hello, "127.0.0.1", port, backlog=4096)
    print("port %d" % s.sockets[0].getsockname()[1], flush=True)
    await s.serve_forever()


asyncio.run(main())
