// The server of `npm start` (createLimitedServer) answers a request Node cannot parse so that the client reads the
// answer: a head past Node's size limit gets its 431 even while the client is still sending it, where Node's own
// close reset the connection first (always, for Node 24's client).
import { request, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLimitedServer, NODE_TIMEOUTS } from "@/server/http/server-limits";

async function listen(refusalLingerMs?: number): Promise<{ server: Server; port: number }> {
  const server = createLimitedServer({ ...NODE_TIMEOUTS, maxConnections: 100, refusalLingerMs });
  server.on("request", (_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** The status node:http's client reads for a GET of `path` with `headers`, or the code of its connection error. */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, headers, agent: false });
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.end();
  });
}

/**
 * Opens a connection, writes `head`, then keeps writing `more` every 10 ms; resolves with what the server sent, how
 * long until the connection closed, and the connection's error if it was not closed gently (ECONNRESET). A client that
 * is `halfOpen` goes on sending after the server has closed its side.
 */
function keepSending(
  port: number,
  head: string,
  more: string,
  halfOpen = false,
): Promise<{ text: string; ms: number; error?: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1", allowHalfOpen: halfOpen });
    let text = "";
    let error: string | undefined;
    socket.on("error", (cause: NodeJS.ErrnoException) => (error ??= cause.code));
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    const timer = setInterval(() => socket.writable && socket.write(more), 10);
    socket.once("close", () => {
      clearInterval(timer);
      resolve({ text, ms: performance.now() - started, error });
    });
    socket.write(head);
  });
}

describe("a request Node cannot parse", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => ({ server, port } = await listen()));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each([20_000, 70_000, 300_000])(
    "a request line of %i bytes: 431, every time, not a reset; then the server serves the next request",
    async (length) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        expect(await get(port, `/?input=${"x".repeat(length)}`)).toBe(431);
      }
      expect(await get(port, "/")).toBe(200);
    },
  );

  it("headers of 300 KB: 431, not a reset", async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await get(port, "/", { "x-padding": "y".repeat(300_000) })).toBe(431);
    }
  });

  it("a malformed head followed by more bytes: 400, not a reset", async () => {
    const answer = await keepSending(
      port,
      `GET / HTTP/1.1\r\nBad Header: x\r\n${"z".repeat(300_000)}`,
      "z".repeat(64_000),
    );
    expect(answer.text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer.error).toBeUndefined();
  });
});

describe("a client that keeps sending after its refusal", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => ({ server, port } = await listen(300)));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("is read for the linger time, then cut", async () => {
    const answer = await keepSending(port, `GET /?input=${"x".repeat(20_000)}`, "x".repeat(16_000), true);
    expect(answer.text).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(answer.ms).toBeGreaterThanOrEqual(250);
    expect(answer.ms).toBeLessThan(3_000);
  });
});
