// The production listener's fast path (the API straight from node:http) against the API through Next's route
// handlers (FAST_PATHS=off: the listener hands every request to Next), on the same requests over real TCP: tRPC
// queries, mutations and batches, auth endpoints, paths that are no endpoint, odd spellings of API paths, duplicated
// headers, oversized bodies, every method. Each request goes to both servers, each with its own signed-in user and
// client address, so their state stays alike; status, headers and body must match once ids, times and tokens are
// replaced by placeholders.
import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/env";
import { createUser, signIn, type TestUser } from "@/test/fixtures";
import { type RawResponse, nextApiRoutes, startTestServer } from "@/test/http-server";

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** What a request's cookie carries: nothing, the user's session, or that session with something else. */
const COOKIES = ["none", "session", "twoSessions", "sessionAndThemeOnTwoLines", "twoSessionsOnTwoLines"] as const;
type Cookie = (typeof COOKIES)[number];

type Probe = {
  method: string;
  path: string;
  cookie: Cookie;
  headers: Record<string, string | string[]>;
  body?: string;
};

type Side = {
  name: "fast path" | "route handlers";
  server: Server;
  user: TestUser;
  /** This side's part of the loopback network: 127.<net>.x.y, one address per request. */
  net: number;
};

let fast: Side;
let plain: Side;
let requests = 0;

beforeAll(async () => {
  const [fastServer, plainServer, fastUser, plainUser] = await Promise.all([
    startTestServer(nextApiRoutes, {}, { fastPaths: true }),
    startTestServer(nextApiRoutes, {}, { fastPaths: false }),
    createUser({ name: "Listener Probe" }),
    createUser({ name: "Listener Probe" }),
  ]);
  fast = { name: "fast path", server: fastServer, user: fastUser, net: 11 };
  plain = { name: "route handlers", server: plainServer, user: plainUser, net: 12 };
});
afterAll(() => Promise.all([fast.server.close(), plain.server.close()]));

async function cookieHeader(cookie: Cookie, user: TestUser): Promise<string | string[] | undefined> {
  if (cookie === "none") return undefined;
  const session = (await signIn(user)).headers.get("cookie") ?? "";
  switch (cookie) {
    case "session":
      return session;
    case "twoSessions":
      return `${session}; ${(await signIn(user)).headers.get("cookie")}`;
    case "sessionAndThemeOnTwoLines":
      return [session, "theme=dark"];
    case "twoSessionsOnTwoLines":
      return [session, (await signIn(user)).headers.get("cookie") ?? ""];
  }
}

/**
 * Ids, times, tokens and addresses that differ between two equal answers, replaced by what they are; and stack traces
 * (error bodies carry them outside production), whose frames differ by the way in.
 */
function normalised(text: string, side: Side): string {
  return (
    text
      .replace(/"stack":"(?:[^"\\]|\\.)*"/g, '"stack":"<stack trace>"')
      // A page's cursor encodes the last row's time and id, which differ between the two sides' users.
      .replace(/"nextCursor":"[^"]*"/g, '"nextCursor":"<cursor>"')
      .replaceAll(side.user.id, "<user id>")
      .replaceAll(side.user.email, "<user email>")
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, "<time>")
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<uuid>")
      .replace(/\b[A-Za-z0-9]{32}\b/g, "<id>")
      .replace(/session_token=[^;]+/g, "session_token=<token>")
      .replace(/127\.\d+\.\d+\.\d+:\d+/g, "<origin>")
      .replace(/127\.\d+\.\d+\.\d+/g, "<address>")
  );
}

/** Headers that describe the connection or the moment, not the answer. */
const TRANSPORT_HEADERS = new Set(["date", "connection", "keep-alive", "content-length", "transfer-encoding"]);

function answer(response: RawResponse, side: Side) {
  const headers = Object.fromEntries(
    Object.entries(response.headers)
      .filter(([name]) => !TRANSPORT_HEADERS.has(name))
      .map(([name, value]) => [name, normalised([value ?? []].flat().join("\n"), side)])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
  return { status: response.status, headers, body: normalised(response.body, side) };
}

/**
 * Sends one request as bytes on a new connection (Node's client would join two Cookie headers into one line), from
 * `localAddress`, and reads the answer until the server closes the connection.
 */
async function exchange(
  url: string,
  localAddress: string,
  { method, path, headers, body }: { method: string; path: string; headers: [string, string][]; body?: Buffer },
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const head = [
    `${method} ${path} HTTP/1.1`,
    `host: ${hostname}:${port}`,
    "connection: close",
    ...headers.map(([name, value]) => `${name}: ${value}`),
    ...(body ? [`content-length: ${body.byteLength}`] : []),
  ];
  const socket = connect({ host: hostname, port: Number(port), localAddress });
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  socket.on("error", () => {}); // a reset after the answer (a body left unread) ends the exchange like a close
  socket.write(Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`), body ?? Buffer.alloc(0)]));
  await new Promise((resolve) => socket.once("close", resolve));
  const raw = Buffer.concat(chunks);
  const end = raw.indexOf("\r\n\r\n");
  const [statusLine = "", ...lines] = raw.subarray(0, end).toString("latin1").split("\r\n");
  const responseHeaders: Record<string, string[]> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    (responseHeaders[line.slice(0, colon).toLowerCase()] ??= []).push(line.slice(colon + 1).trim());
  }
  let responseBody: Buffer = raw.subarray(end + 4);
  if (responseHeaders["transfer-encoding"]?.includes("chunked")) responseBody = unchunked(responseBody);
  return {
    status: Number(statusLine.split(" ")[1]),
    headers: responseHeaders,
    body: responseBody.toString(),
    reusedSocket: false,
  };
}

/** A chunked body's data. */
function unchunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length;) {
    const lineEnd = body.indexOf("\r\n", at);
    const size = parseInt(body.subarray(at, lineEnd).toString(), 16);
    if (!size) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

async function send(probe: Probe, side: Side) {
  const n = ++requests;
  const cookie = await cookieHeader(probe.cookie, side.user);
  const headers = Object.entries({ ...probe.headers, ...(cookie ? { cookie } : {}) }).flatMap(([name, value]) =>
    [value].flat().map((item): [string, string] => [name, item]),
  );
  const response = await exchange(side.server.url, `127.${side.net}.${(n >> 8) & 255}.${n & 255 || 1}`, {
    method: probe.method,
    path: probe.path,
    headers,
    body: probe.body === undefined ? undefined : bodyBytes(probe.body),
  });
  return answer(response, side);
}

/** The probe sent to the fast path, then to Next's route handlers: the same answer. */
async function expectSameAnswer(probe: Probe): Promise<void> {
  const viaFastPath = await send(probe, fast);
  const viaRouteHandlers = await send(probe, plain);
  expect(viaFastPath, `${probe.method} ${probe.path}`).toEqual(viaRouteHandlers);
}

const json = { "content-type": "application/json" };
const sameSite = { ...json, origin: env.BETTER_AUTH_URL };
const input = (value: unknown) => encodeURIComponent(JSON.stringify(value));
/** Stands for a body past every limit (300 KiB), so that a failing request prints short. */
const BIG = "<300 KiB>";
const bodyBytes = (body: string) => Buffer.from(body === BIG ? "x".repeat(300 * 1024) : body);

/** Requests as clients send them, one of each kind. */
const EXAMPLES: [string, Probe][] = [
  ["a query", { method: "GET", path: "/api/trpc/health.check", cookie: "none", headers: {} }],
  ["a signed-in query", { method: "GET", path: "/api/trpc/user.me", cookie: "session", headers: {} }],
  [
    "a query with input",
    {
      method: "GET",
      path: `/api/trpc/task.list?input=${input({ json: { limit: 5 } })}`,
      cookie: "session",
      headers: {},
    },
  ],
  [
    "a batch",
    {
      method: "GET",
      path: `/api/trpc/health.check,user.me,task.stats?batch=1&input=${input({})}`,
      cookie: "session",
      headers: {},
    },
  ],
  [
    "a batch past the cap",
    {
      method: "GET",
      path: `/api/trpc/${Array(11).fill("health.check").join(",")}?batch=1&input=${input({})}`,
      cookie: "none",
      headers: {},
    },
  ],
  [
    "a mutation",
    {
      method: "POST",
      path: "/api/trpc/task.create",
      cookie: "session",
      headers: sameSite,
      body: JSON.stringify({ json: { title: "Probe", priority: "high", dueAt: "2030-01-01T00:00:00.000Z" } }),
    },
  ],
  [
    "a cross-site mutation",
    {
      method: "POST",
      path: "/api/trpc/task.create",
      cookie: "session",
      headers: { ...json, origin: "https://evil.example" },
      body: JSON.stringify({ json: { title: "Forged" } }),
    },
  ],
  [
    "a batch of mutations",
    {
      method: "POST",
      path: "/api/trpc/task.create,task.create?batch=1",
      cookie: "session",
      headers: sameSite,
      body: JSON.stringify({ 0: { json: { title: "A" } }, 1: { json: { title: "" } } }),
    },
  ],
  ["an unknown procedure", { method: "GET", path: "/api/trpc/nope.nothing", cookie: "none", headers: {} }],
  ["malformed input", { method: "GET", path: "/api/trpc/task.list?input=%7Bbad", cookie: "session", headers: {} }],
  ["a malformed escape", { method: "GET", path: "/api/trpc/%E0%A4%A", cookie: "none", headers: {} }],
  ["a session lookup", { method: "GET", path: "/api/auth/get-session", cookie: "session", headers: {} }],
  ["an anonymous session lookup", { method: "GET", path: "/api/auth/get-session", cookie: "none", headers: {} }],
  ["the key set", { method: "GET", path: "/api/auth/jwks", cookie: "none", headers: {} }],
  ["an unknown auth path", { method: "GET", path: "/api/auth/nope", cookie: "none", headers: {} }],
  [
    "a wrong password",
    {
      method: "POST",
      path: "/api/auth/sign-in/email",
      cookie: "none",
      headers: sameSite,
      body: JSON.stringify({ email: "nobody@example.com", password: "not-the-password-1" }),
    },
  ],
  ["a sign-out", { method: "POST", path: "/api/auth/sign-out", cookie: "session", headers: sameSite, body: "{}" }],
  [
    "text the database cannot store",
    {
      method: "POST",
      path: "/api/auth/request-password-reset",
      cookie: "none",
      headers: sameSite,
      body: JSON.stringify({ email: "a\u0000@example.com" }),
    },
  ],
  ["the API's root", { method: "GET", path: "/api/trpc", cookie: "none", headers: {} }],
  ["a look-alike path", { method: "GET", path: "/api/trpcx/health.check", cookie: "none", headers: {} }],
  ["a page", { method: "GET", path: "/tasks", cookie: "session", headers: {} }],
  ["a doubled slash", { method: "GET", path: "/api//trpc/health.check", cookie: "none", headers: {} }],
  ["a dot-dot into auth", { method: "GET", path: "/api/trpc/../auth/get-session", cookie: "session", headers: {} }],
  ["an escaped letter", { method: "GET", path: "/%61pi/trpc/health.check", cookie: "none", headers: {} }],
  ["a backslash", { method: "GET", path: "/api\\trpc/health.check", cookie: "none", headers: {} }],
  [
    "an absolute target",
    { method: "GET", path: "http://example.com/api/trpc/health.check", cookie: "none", headers: {} },
  ],
  ["an asterisk", { method: "OPTIONS", path: "*", cookie: "none", headers: {} }],
  [
    "two Content-Type headers",
    {
      method: "POST",
      path: "/api/trpc/task.create",
      cookie: "session",
      headers: { ...sameSite, "content-type": ["application/json", "text/plain"] },
      body: JSON.stringify({ json: { title: "Two types" } }),
    },
  ],
  [
    "two Cookie headers",
    { method: "GET", path: "/api/trpc/user.me", cookie: "sessionAndThemeOnTwoLines", headers: {} },
  ],
  [
    "two sessions on two Cookie headers",
    { method: "GET", path: "/api/auth/get-session", cookie: "twoSessionsOnTwoLines", headers: {} },
  ],
  [
    "two sessions in one Cookie header",
    { method: "GET", path: "/api/trpc/user.me", cookie: "twoSessions", headers: {} },
  ],
  [
    "two Authorization headers",
    {
      method: "GET",
      path: "/api/trpc/user.me",
      cookie: "none",
      headers: { authorization: ["Bearer a.b.c", "Bearer d.e.f"] },
    },
  ],
  [
    "two Origin headers",
    {
      method: "POST",
      path: "/api/trpc/task.create",
      cookie: "session",
      headers: { ...json, origin: [env.BETTER_AUTH_URL, "https://evil.example"] },
      body: JSON.stringify({ json: { title: "Two origins" } }),
    },
  ],
  [
    "two request ids",
    { method: "GET", path: "/api/trpc/health.check", cookie: "none", headers: { "x-request-id": ["a-1", "b-2"] } },
  ],
  [
    "a tRPC body past the limit",
    { method: "POST", path: "/api/trpc/task.create", cookie: "session", headers: sameSite, body: BIG },
  ],
  [
    "an auth body past the limit",
    { method: "POST", path: "/api/auth/sign-in/email", cookie: "none", headers: sameSite, body: BIG },
  ],
  ["HEAD", { method: "HEAD", path: "/api/trpc/health.check", cookie: "none", headers: {} }],
  ["PUT", { method: "PUT", path: "/api/trpc/task.create", cookie: "session", headers: sameSite, body: "{}" }],
  ["DELETE", { method: "DELETE", path: "/api/auth/sign-out", cookie: "session", headers: sameSite }],
  ["OPTIONS", { method: "OPTIONS", path: "/api/trpc/health.check", cookie: "none", headers: {} }],
  ["TRACE", { method: "TRACE", path: "/api/trpc/health.check", cookie: "none", headers: {} }],
];

/** Requests put together from parts: a method, a spelling of an API path, an endpoint, headers and a body. */
const generatedProbe: fc.Arbitrary<Probe> = fc
  .record({
    method: fc.constantFrom("GET", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"),
    prefix: fc.constantFrom("/api/", "/api//", "/./api/", "/api/x/../", "/%61pi/", "//api/", "/api\\", "/API/"),
    endpoint: fc.constantFrom(
      "trpc/health.check",
      "trpc/user.me",
      "trpc/task.list",
      "trpc/task.create",
      "trpc/health.check,user.me",
      "trpc/nope",
      "trpc/",
      "auth/get-session",
      "auth/ok",
      "auth/sign-out",
      "auth/nope",
      "trpc/../auth/ok",
      "auth/../trpc/health.check",
    ),
    query: fc.constantFrom("", "?batch=1&input=%7B%7D", `?input=${input({ json: { limit: 1 } })}`, "?input=%7B"),
    cookie: fc.constantFrom(...COOKIES),
    contentType: fc.constantFrom(undefined, "application/json", "text/plain", ["application/json", "text/plain"]),
    origin: fc.constantFrom(undefined, env.BETTER_AUTH_URL, "https://evil.example"),
    forwardedFor: fc.constantFrom(undefined, "198.51.100.7"),
    body: fc.constantFrom(undefined, "{}", JSON.stringify({ json: { title: "Generated" } }), "{not json", BIG),
  })
  .map(({ method, prefix, endpoint, query, cookie, contentType, origin, forwardedFor, body }) => ({
    method,
    path: `${prefix}${endpoint}${query}`,
    cookie,
    headers: {
      ...(contentType ? { "content-type": contentType } : {}),
      ...(origin ? { origin } : {}),
      ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
    },
    body: method === "GET" || method === "HEAD" ? undefined : body,
  }));

describe("the API through the listener's fast path and through Next's route handlers", () => {
  it.each(EXAMPLES)("%s: the same answer", async (_, probe) => {
    await expectSameAnswer(probe);
  });

  it("the same answers to generated requests", async () => {
    await fc.assert(fc.asyncProperty(generatedProbe, expectSameAnswer), { numRuns: 60 });
  });
});
