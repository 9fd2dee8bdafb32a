// One request, one address: whatever spelling of an API path a client sends, and whichever server part answers it
// (the production listener, or Next with its route handlers), per-IP limits and the audit log count the address the
// request really came from, never one the client wrote into X-Forwarded-For or x-client-ip.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth } from "@/server/auth";
import { db } from "@/server/db";
import { CLIENT_IP_HEADER, clientIpFrom } from "@/server/http/client-ip";
import { createUser, signIn } from "@/test/fixtures";
import { BASE_URL, authRequest } from "@/test/http";
import { headersOf, nextApiRoutes, rawRequest, startTestServer } from "@/test/http-server";

/** Spellings of /api/auth/ that Next resolves to the same route handler, or that mean the same path. */
const AUTH_SPELLINGS = [
  "/./api/auth/",
  "/%2e/api/auth/",
  "/%2E%2e/api/auth/",
  "//api/auth/",
  "/api/./auth/",
  "/api/%2e/auth/",
  "/api//auth/",
  "/api/auth/./",
  "/api/x/../auth/",
  "/%61pi/auth/",
  "/api\\auth/",
  "http://attacker.example/api/auth/",
];

let hosts = 0;
/** A loopback address of its own for each client, so its per-IP counts start at zero. */
const nextLoopback = () => `127.0.0.${++hosts + 1}`;

/** Headers by which a client claims to be somewhere else. */
const forged = (n: number) => ({
  origin: BASE_URL,
  "content-type": "application/json",
  "x-forwarded-for": `198.51.100.${n % 250}`,
  [CLIENT_IP_HEADER]: `203.0.113.${n % 250}`,
});

describe("through the production listener, with Next's route handlers behind it", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer(nextApiRoutes);
  });
  afterAll(() => server.close());

  it.each(AUTH_SPELLINGS)(
    "%s… keeps the per-IP limit of the real address however X-Forwarded-For is forged",
    async (prefix) => {
      const localAddress = nextLoopback();
      const rules: Record<string, { max: number } | undefined> = auth.options.rateLimit.customRules;
      const max = rules["/request-password-reset"]?.max ?? 0;
      const statuses: number[] = [];
      for (let n = 0; n <= max; n++) {
        const body = Buffer.from(
          JSON.stringify({ email: `nobody-${randomUUID()}@example.com`, redirectTo: "/reset-password" }),
        );
        const response = await rawRequest(server.url, {
          method: "POST",
          path: `${prefix}request-password-reset`,
          headers: forged(n),
          body,
          localAddress,
        });
        statuses.push(response.status);
      }
      expect(statuses.slice(0, max).every((status) => status === 200)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
    },
  );

  it.each(["/./api/auth/", "/%2e/api/auth/", "//api/auth/"])(
    "%s… records the real address in the audit log and on the session",
    async (prefix) => {
      const localAddress = nextLoopback();
      const user = await createUser();
      const body = Buffer.from(JSON.stringify({ email: user.email, password: user.password }));
      const response = await rawRequest(server.url, {
        method: "POST",
        path: `${prefix}sign-in/email`,
        headers: forged(7),
        body,
        localAddress,
      });
      expect(response.status).toBe(200);
      const events = await db.authEvent.findMany({ where: { userId: user.id, type: "sign-in" }, select: { ip: true } });
      expect(events).toEqual([{ ip: localAddress }]);
      const sessions = await db.session.findMany({ where: { userId: user.id }, select: { ipAddress: true } });
      expect(sessions).toEqual([{ ipAddress: localAddress }]);
    },
  );

  it.each(["/./api/trpc/", "/%2e/api/trpc/", "//api/trpc/"])(
    "%s… records the real address of a tRPC call",
    async (prefix) => {
      const localAddress = nextLoopback();
      const user = await createUser();
      const { headers } = await signIn(user);
      const response = await rawRequest(server.url, {
        method: "POST",
        path: `${prefix}session.revokeOthers`,
        headers: { ...forged(9), cookie: headers.get("cookie") ?? "" },
        body: Buffer.from("{}"),
        localAddress,
      });
      expect(response.status).toBe(200);
      const events = await db.authEvent.findMany({
        where: { userId: user.id, type: "session-revoked" },
        select: { ip: true },
      });
      expect(events).toEqual([{ ip: localAddress }]);
    },
  );
});

describe("what the listener hands to Next", () => {
  it("carries the same trusted address as the API sees, and no client-sent x-client-ip", async () => {
    const seen: { clientIp: string | null; claimed: string | null }[] = [];
    const server = await startTestServer((req, res) => {
      const headers = headersOf(req);
      seen.push({ clientIp: clientIpFrom(headers), claimed: headers.get(CLIENT_IP_HEADER) });
      res.writeHead(200).end();
    });
    try {
      const localAddress = nextLoopback();
      for (const path of ["/tasks", "/./api/health", "/sign-in?callbackUrl=/tasks"]) {
        expect((await rawRequest(server.url, { path, headers: forged(3), localAddress })).status).toBe(200);
      }
      expect(seen).toEqual(Array(3).fill({ clientIp: localAddress, claimed: null }));
    } finally {
      await server.close();
    }
  });
});

describe("Next's route handlers called directly", () => {
  it("take the address from X-Forwarded-For within the trusted hops, never from a client-sent x-client-ip", async () => {
    const user = await createUser();
    const response = await authRequest("/sign-in/email", {
      body: { email: user.email, password: user.password },
      ip: "198.51.100.61",
      headers: { [CLIENT_IP_HEADER]: "203.0.113.61" },
    });
    expect(response.status).toBe(200);
    const events = await db.authEvent.findMany({ where: { userId: user.id, type: "sign-in" }, select: { ip: true } });
    expect(events).toEqual([{ ip: "198.51.100.61" }]);
  });
});
