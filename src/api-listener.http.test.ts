// The production listener over real TCP: a request refused before its body was read still gets its answer (not a
// connection reset), and the connection stays usable for the next request. Every method gets a prompt answer, and
// slow or surplus connections are cut without stopping the others (src/server/http/server-limits.ts).
import { Agent } from "node:http";
import { connect, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_BODY_BYTES } from "@/server/api/http-handler";
import { REQUEST_ID_HEADER } from "@/server/http/request-id";
import { logger } from "@/server/logger";
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
    [
      "a body past the limit, announced",
      { "content-type": "application/json", "content-length": String(LARGE.byteLength) },
      413,
      "PAYLOAD_TOO_LARGE",
    ],
    ["a body past the limit, chunked", { "content-type": "application/json" }, 413, "PAYLOAD_TOO_LARGE"],
  ])(
    "answers %s before reading it, and the same connection serves the next request",
    async (_, headers, status, code) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const refused = await rawRequest(server.url, {
          method: "POST",
          path: "/api/trpc/task.create",
          headers,
          body: LARGE,
          agent,
        });
        expect(refused.status).toBe(status);
        expect(codeOf(refused)).toBe(code);
        const next = await rawRequest(server.url, { path: "/api/trpc/health.check", agent });
        expect(next.status).toBe(200);
        expect(next.reusedSocket).toBe(true);
      } finally {
        agent.destroy();
      }
    },
  );

  it("survives a client that goes away halfway through a body, and serves the next one", async () => {
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(
      'POST /api/trpc/task.create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"json":',
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

/** A connection to `url`, open. */
async function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on("error", () => {}); // a reset by the server shows as `closed`
  socket.resume(); // read, so that the server's closing is seen
  await new Promise((resolve) => socket.once("connect", resolve));
  return socket;
}

/**
 * What the server sends on `socket` until it closes the connection, or until `timeoutMs` (then `closed` is false), with
 * the time it took; `send` writes the request (all at once, or a byte at a time).
 */
function exchange(socket: Socket, send: (socket: Socket) => void, timeoutMs = 2_000) {
  const started = performance.now();
  return new Promise<{ text: string; closed: boolean; ms: number }>((resolve) => {
    let text = "";
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed, ms: performance.now() - started });
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    socket.once("close", () => done(true));
    send(socket);
  });
}

/** Writes `text` a few bytes every `everyMs`, as a slow (or slowloris) client would, until the socket closes. */
function trickle(text: string, everyMs: number) {
  return (socket: Socket) => {
    let offset = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || offset >= text.length) return void clearInterval(timer);
      socket.write(text.slice(offset, (offset += 2)));
    }, everyMs);
  };
}

const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
const headerOf = (text: string, name: string) => new RegExp(`^${name}: (.*)$`, "im").exec(text)?.[1]?.trim();

describe("api listener: every method gets an answer", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  const consoleError = vi.spyOn(console, "error");
  afterEach(() => consoleError.mockClear());

  it.each([
    ["TRACE", "/api/trpc/health.check"],
    ["TRACE", "/api/auth/get-session"],
    ["TRACE", "/"],
    ["TRACE", "/tasks"],
    ["CONNECT", "example.com:443"],
  ])("%s %s: a prompt 405 with Allow, and nothing on the console", async (method, target) => {
    const request = `${method} ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`;
    const answer = await exchange(await openSocket(server.url), (socket) => socket.write(request));
    expect(statusOf(answer.text)).toBe(405);
    expect(headerOf(answer.text, "allow")).toBe("GET, HEAD, POST");
    expect(answer.closed).toBe(true);
    expect(consoleError).not.toHaveBeenCalled();
  });

  it("TRACK, a method Node's parser does not know: a prompt 400 from Node, and nothing on the console", async () => {
    const request = "TRACK /api/trpc/health.check HTTP/1.1\r\nHost: localhost\r\n\r\n";
    const answer = await exchange(await openSocket(server.url), (socket) => socket.write(request));
    expect(statusOf(answer.text)).toBe(400);
    expect(answer.closed).toBe(true);
    expect(consoleError).not.toHaveBeenCalled();
  });

  it.each([
    ["OPTIONS", "*", 204],
    ["GET", "*", 400],
    ["GET", "http://localhost:99999/", 400],
    ["GET", "http://[::1/", 400],
    ["GET", "ftp://localhost/", 400],
  ])(
    "%s %s, a target that is no path: %i from the listener, not left to Next (a 500 and a stack trace for some)",
    async (method, target, status) => {
      const request = `${method} ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`;
      const answer = await exchange(await openSocket(server.url), (socket) => socket.write(request));
      expect(statusOf(answer.text)).toBe(status);
      if (status === 204) expect(headerOf(answer.text, "allow")).toBe("GET, HEAD, POST");
      expect(consoleError).not.toHaveBeenCalled();
    },
  );

  it("the same connection serves the next request after a 405", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await rawRequest(server.url, { method: "TRACE", path: "/api/trpc/health.check", agent })).status).toBe(
        405,
      );
      const next = await rawRequest(server.url, { path: "/api/trpc/health.check", agent });
      expect(next.status).toBe(200);
      expect(next.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it.each([
    [
      "throws",
      () => {
        throw new Error("boom");
      },
    ],
    ["rejects", () => Promise.reject(new Error("boom"))],
  ])("a page handler that %s: a 500 with a request id, the error in the app's log only", async (_, fallback) => {
    const failing = await startTestServer(fallback);
    const logError = vi.spyOn(logger, "error");
    try {
      const response = await rawRequest(failing.url, { path: "/tasks" });
      expect(response.status).toBe(500);
      const requestId = response.headers[REQUEST_ID_HEADER];
      expect(requestId).toBeTruthy();
      expect(logError).toHaveBeenCalledWith(expect.objectContaining({ requestId, endpoint: "next" }), "request failed");
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      logError.mockRestore();
      await failing.close();
    }
  });
});

describe("api listener: slow clients are cut", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer(undefined, {
      headersTimeoutMs: 400,
      requestTimeoutMs: 800,
      timeoutCheckIntervalMs: 100,
    });
  });
  afterAll(() => server.close());

  it("headers sent a few bytes at a time (slowloris): 408 and closed once the headers timeout passes", async () => {
    const headers = `GET /api/trpc/health.check HTTP/1.1\r\nHost: localhost\r\n${"X-Padding: aaaaaaaaaaaaaaaa\r\n".repeat(50)}\r\n`;
    const slow = exchange(await openSocket(server.url), trickle(headers, 20));
    // Meanwhile, everyone else is served.
    expect((await rawRequest(server.url, { path: "/api/trpc/health.check" })).status).toBe(200);
    const answer = await slow;
    expect(answer.closed).toBe(true);
    expect(statusOf(answer.text)).toBe(408);
    expect(answer.ms).toBeGreaterThanOrEqual(350);
    expect(answer.ms).toBeLessThan(1_000);
  });

  it("a connection that sends nothing is closed once the headers timeout passes", async () => {
    const answer = await exchange(await openSocket(server.url), () => {});
    expect(answer.closed).toBe(true);
    expect(answer.ms).toBeLessThan(1_000);
  });

  it("a body sent a few bytes at a time: closed once the request timeout passes", async () => {
    const head =
      "POST /api/trpc/task.create HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n";
    const answer = await exchange(await openSocket(server.url), (socket) => {
      socket.write(head);
      trickle("x".repeat(10_000), 20)(socket);
    });
    expect(answer.closed).toBe(true);
    expect(answer.ms).toBeGreaterThanOrEqual(700);
    expect(answer.ms).toBeLessThan(1_500);
  });
});

describe("api listener: connections past the cap", () => {
  const MAX = 3;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeEach(async () => {
    server = await startTestServer(undefined, { maxConnections: MAX });
  });
  afterEach(() => server.close());
  const health = { path: "/api/trpc/health.check" };

  it("connections that send nothing make room: a new client is served, the oldest silent one is closed", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const silent: Socket[] = [];
    try {
      expect((await rawRequest(server.url, { ...health, agent })).status).toBe(200);
      for (let i = 1; i < MAX; i++) silent.push(await openSocket(server.url));
      const oldestClosed = new Promise((resolve) => silent[0]?.once("close", resolve));
      expect((await rawRequest(server.url, health)).status).toBe(200);
      await oldestClosed;
      expect(silent[1]?.destroyed).toBe(false);
      expect(await rawRequest(server.url, { ...health, agent })).toMatchObject({ status: 200, reusedSocket: true });
    } finally {
      agent.destroy();
      for (const socket of silent) socket.destroy();
    }
  });

  it("when every connection has sent a request, one more is closed at once and the open ones are still served", async () => {
    const agents = Array.from({ length: MAX }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    try {
      for (const agent of agents) expect((await rawRequest(server.url, { ...health, agent })).status).toBe(200);
      const request = "GET /api/trpc/health.check HTTP/1.1\r\nHost: localhost\r\n\r\n";
      const refused = await exchange(await openSocket(server.url), (socket) => socket.write(request));
      expect(refused).toMatchObject({ closed: true, text: "" });
      expect(refused.ms).toBeLessThan(300);
      for (const agent of agents) {
        expect(await rawRequest(server.url, { ...health, agent })).toMatchObject({ status: 200, reusedSocket: true });
      }
    } finally {
      for (const agent of agents) agent.destroy();
    }
  });
});
