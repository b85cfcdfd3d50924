# user_line_client.py - sends the name inside a longer message, one
# "key: value" line among others ("user: alice\n"), then prints the answer.
#
# usage: python3 user_line_client.py [PORT [NAME]]
import getpass
import socket
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 59123
NAME = sys.argv[2] if len(sys.argv) > 2 else getpass.getuser()

message = f"HELLO lab/1.0\nuser: {NAME}\nlang: python\n\n"
with socket.create_connection(("127.0.0.1", PORT), timeout=5) as s:
    s.sendall(message.encode("utf-8"))
    print("sent", len(message), "bytes")
    print("server says:", s.recv(1024).decode("utf-8", "replace").strip())
