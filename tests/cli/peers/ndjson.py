#!/usr/bin/env python3
"""ndjson.py - checks that a file is NDJSON and prints it flat.

usage: ndjson.py FILE

Every line must be one JSON object with a string "event" (exit 1 with the
offending line otherwise).  Prints one line per object:
  EVENT key=value key=value ...
keys sorted, values in JSON (ASCII only), so tests can grep them.
"""
import json
import sys


def main():
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    for i, raw in enumerate(data.split(b"\n"), 1):
        if not raw:
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            sys.exit("line %d is not JSON (%s): %r" % (i, e, raw))
        if not isinstance(obj, dict) or not isinstance(obj.get("event"), str):
            sys.exit("line %d is not an object with an event: %r" % (i, raw))
        keys = " ".join("%s=%s" % (k, json.dumps(obj[k]))
                        for k in sorted(obj) if k != "event")
        print(obj["event"], keys)
    if data and not data.endswith(b"\n"):
        sys.exit("the last line has no newline")


if __name__ == "__main__":
    main()
