// client.js - the Node.js tutorial client: connect to localhost, send the
// name, print the answer and end.  Node tries every address "localhost"
// has (::1 and 127.0.0.1) since version 20.
//
// usage: node client.js [PORT [NAME]]
const net = require("net");
const os = require("os");

const PORT = Number(process.argv[2] || 59123);
const NAME = process.argv[3] || os.userInfo().username;

const client = net.connect({ port: PORT, host: "localhost" }, () => {
  client.write(`${NAME}\n`);
});
client.on("data", (data) => {
  console.log(data.toString().trim());
  client.end();
});
client.on("error", (err) => {
  console.error(`cannot talk to the server: ${err.message}`);
  process.exitCode = 1;
});
