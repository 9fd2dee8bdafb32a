// The ladder's floor: plain node:http answering what /api/ping answers. Prints its port on stdout once listening.
import http from "node:http";

const body = JSON.stringify({ status: "ok" });

const server = http.createServer((_request, response) => {
  response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") console.log(address.port);
});
