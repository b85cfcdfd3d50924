# nameless_client.py - connects and talks, but never sends the name: it
# greets the server with "hello server" and prints the answer.
#
# usage: python3 nameless_client.py [PORT]
import socket
import sys

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 59123

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(("127.0.0.1", PORT))
client.send(b"hello server\n")
print(client.recv(1024))
client.close()
