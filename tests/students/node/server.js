// server.js - the Node.js tutorial server: net.createServer, a "data"
// handler that answers "Hello, NAME", listening on 127.0.0.1.
//
// usage: node server.js [PORT]
const net = require("net");

const PORT = Number(process.argv[2] || 59123);

const server = net.createServer((socket) => {
  socket.on("data", (data) => {
    const name = data.toString().trim();
    console.log(`${socket.remoteAddress} says ${name}`);
    socket.write(`Hello, ${name}\n`);
  });
  socket.on("error", (err) => console.log(`client error: ${err.message}`));
});

server.listen(PORT, "127.0.0.1", () => {
  console.log(`listening on 127.0.0.1:${PORT}`);
});
