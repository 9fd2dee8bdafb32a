// The production listener over real TCP: a request refused before its body was read still gets its answer (not a
// connection reset), and the connection stays usable for the next request.
import { Agent } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "@/server/api/http-handler";
import { type RawResponse, rawRequest, startTestServer } from "@/test/http-server";

const LARGE = Buffer.alloc(8 * MAX_BODY_BYTES, "x");

describe("api listener", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const codeOf = (response: RawResponse) =>
    (JSON.parse(response.body) as { error: { json: { data: { code: string } } } }).error.json.data.code;

  it.each([
    ["a body of the wrong type", { "content-type": "text/plain" }, 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["a body past the limit, announced", { "content-type": "application/json", "content-length": String(LARGE.byteLength) }, 413, "PAYLOAD_TOO_LARGE"],
    ["a body past the limit, chunked", { "content-type": "application/json" }, 413, "PAYLOAD_TOO_LARGE"],
  ])("answers %s before reading it, and the same connection serves the next request", async (_, headers, status, code) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await rawRequest(server.url, { method: "POST", path: "/api/trpc/task.create", headers, body: LARGE, agent });
      expect(refused.status).toBe(status);
      expect(codeOf(refused)).toBe(code);
      const next = await rawRequest(server.url, { path: "/api/trpc/health.check", agent });
      expect(next.status).toBe(200);
      expect(next.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it("survives a client that goes away halfway through a body, and serves the next one", async () => {
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(
      "POST /api/trpc/task.create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"json\":",
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await rawRequest(server.url, { path: "/api/trpc/health.check" })).status).toBe(200);
  });

  it("still reads a body the handler wants, in pieces", async () => {
    const body = Buffer.from(JSON.stringify({ json: { title: "x".repeat(150) } }));
    const response = await rawRequest(server.url, {
      method: "POST",
      path: "/api/trpc/task.create",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(response.status).toBe(401); // read and parsed, then refused: no session
    expect(codeOf(response)).toBe("UNAUTHORIZED");
  });
});
