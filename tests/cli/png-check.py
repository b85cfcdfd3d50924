#!/usr/bin/env python3
"""png-check.py PNG [MIN_COLOURS]

Decodes a PNG with the standard library only (zlib + struct) and prints
"width=W height=H colours=N nonblank=yes|no".  nonblank is yes when the
image holds at least MIN_COLOURS (default 8) distinct colours.  Exit 0 when
nonblank, 1 when blank, 2 when the file is not a PNG this reads
(8-bit grey, grey+alpha, RGB, RGBA or palette; not interlaced).
"""
import struct
import sys
import zlib

CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunks(data):
    pos = 8
    while pos + 8 <= len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        yield kind, data[pos + 8:pos + 8 + n]
        pos += 12 + n


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(raw, width, height, bpp):
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    pos = 0
    for _ in range(height):
        ftype, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                line[i] = (line[i] + paeth(a, b, c)) & 255
        rows.append(bytes(line))
        prev = line
    return rows


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    idat = []
    for kind, body in chunks(data):
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, inter = \
                struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    if depth != 8 or inter != 0 or ctype not in CHANNELS:
        raise ValueError("unsupported PNG (depth %d, type %d, interlace %d)"
                         % (depth, ctype, inter))
    bpp = CHANNELS[ctype]
    rows = unfilter(zlib.decompress(b"".join(idat)), width, height, bpp)
    return width, height, bpp, rows


def colours(rows, bpp, limit=4096):
    seen = set()
    for row in rows:
        for i in range(0, len(row), bpp):
            seen.add(row[i:i + bpp])
        if len(seen) >= limit:
            break
    return len(seen)


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    need = int(sys.argv[2]) if len(sys.argv) == 3 else 8
    try:
        width, height, bpp, rows = decode(sys.argv[1])
    except (OSError, ValueError, zlib.error, UnboundLocalError) as exc:
        print("png-check: %s: %s" % (sys.argv[1], exc), file=sys.stderr)
        return 2
    n = colours(rows, bpp)
    ok = n >= need
    print("width=%d height=%d colours=%d nonblank=%s"
          % (width, height, n, "yes" if ok else "no"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
