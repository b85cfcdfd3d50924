#!/bin/sh
# socat-hello.sh PORT - the hello server as a socat one-liner: a fork and
# a shell per client, on 127.0.0.1.  Prints "port N" once socat runs.
echo "port $1"
exec socat TCP-LISTEN:"$1",bind=127.0.0.1,fork,reuseaddr,backlog=4096 \
	SYSTEM:'read -r n; echo "Hello, $n!"'
