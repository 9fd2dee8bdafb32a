// One request, one identity: a request carrying two session cookies is signed in as nobody on every path (tRPC,
// Better Auth's endpoints, the production listener, the proxy), and nothing answers it by writing either cookie back.
import { stripSecureCookiePrefix } from "better-auth/cookies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth } from "@/server/auth";
import { SESSION_COOKIE_NAME, sessionCookieCount } from "@/server/auth/session-cookie-count";
import { db } from "@/server/db";
import { createUser, signIn } from "@/test/fixtures";
import { authRequest, trpcRequest } from "@/test/http";
import { rawRequest, startTestServer } from "@/test/http-server";

/** The `name=value` of a fresh session cookie for a new user, and that session's id. */
async function sessionCookie(): Promise<{ pair: string; value: string; token: string; sessionId: string }> {
  const { cookie, token, sessionId } = await signIn(await createUser());
  return { pair: cookie.header, value: cookie.value, token, sessionId };
}

/**
 * Puts a session where Better Auth would refresh it (its sliding expiry is due), and rewrite its cookie; through
 * Better Auth, so a copy in Redis is due too.
 */
async function makeDueForRefresh(token: string): Promise<void> {
  const { internalAdapter } = await auth.$context;
  await internalAdapter.updateSession(token, { expiresAt: new Date(Date.now() + 5 * 24 * 3600 * 1000) });
}

/**
 * Cookie headers with two session cookies: alice's and bob's under one name, or under the plain and prefixed names.
 * Both sessions are due for a refresh, so a reader that picked one would also write its cookie back.
 */
async function twoSessions() {
  const [alice, bob] = [await sessionCookie(), await sessionCookie()];
  await makeDueForRefresh(alice.token);
  await makeDueForRefresh(bob.token);
  return {
    alice,
    bob,
    headers: {
      "the same name twice": `${alice.pair}; theme=dark; ${bob.pair}`,
      "the same session twice": `${alice.pair}; ${alice.pair}`,
      "plain and __Secure-": `${alice.pair}; __Secure-${SESSION_COOKIE_NAME}=${bob.value}`,
      "__Host- and plain": `__Host-${SESSION_COOKIE_NAME}=${bob.value}; ${alice.pair}`,
    },
  };
}

/** Sends each Cookie header of `headers`; every answer is a 401 that sets no cookie. */
async function expectEachRefused(headers: Record<string, string>, send: (cookie: string) => Promise<Response>) {
  for (const [way, cookie] of Object.entries(headers)) {
    const response = await send(cookie);
    expect({ way, status: response.status }).toEqual({ way, status: 401 });
    expect(response.headers.getSetCookie()).toEqual([]);
  }
}

const setCookieNames = (response: Response) => response.headers.getSetCookie().map((cookie) => cookie.split("=")[0]);

describe("counting session cookies", () => {
  it("uses the name Better Auth gives the session cookie", async () => {
    const context = await auth.$context;
    expect(stripSecureCookiePrefix(context.authCookies.sessionToken.name)).toBe(SESSION_COOKIE_NAME);
  });

  it("counts every session cookie by name, with or without a prefix, and nothing else", () => {
    const name = SESSION_COOKIE_NAME;
    expect(sessionCookieCount(null)).toBe(0);
    expect(sessionCookieCount(`${name}=a`)).toBe(1);
    expect(sessionCookieCount(` ${name}=a;${name}=b`)).toBe(2);
    expect(sessionCookieCount(`__Secure-${name}=a; __Host-${name}=b; ${name}=`)).toBe(3);
    expect(sessionCookieCount(`x${name}=a; ${name}x=b; __secure-${name}=c; ${name}; other=${name}=d`)).toBe(0);
    // A pair without "=" is no cookie, even one whose text starts with the name.
    expect(sessionCookieCount(`${name}=a; ${name}x`)).toBe(1);
  });
});

describe("tRPC with two session cookies", () => {
  it("answers user.me UNAUTHORIZED for each way of sending two, and sets no cookie", async () => {
    const { bob, headers } = await twoSessions();
    await expectEachRefused(headers, (cookie) => trpcRequest("user.me", { headers: { cookie } }));
    // Each cookie on its own still signs in.
    expect((await trpcRequest("user.me", { headers: { cookie: bob.pair } })).status).toBe(200);
  });
});

describe("Better Auth's endpoints with two session cookies", () => {
  it("get-session answers 401 for each way of sending two, and rewrites no cookie even when a refresh is due", async () => {
    const { alice, headers } = await twoSessions();
    await expectEachRefused(headers, (cookie) => authRequest("/get-session", { headers: { cookie } }));
    const own = await authRequest("/get-session", { headers: { cookie: alice.pair } });
    expect(own.status).toBe(200);
    expect(setCookieNames(own)).toContain(SESSION_COOKIE_NAME); // the refresh, for one cookie
  });

  it("token refuses to mint a JWT for either session", async () => {
    const { headers } = await twoSessions();
    const response = await authRequest("/token", { headers: { cookie: headers["the same name twice"] } });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('token":');
  });

  it("sign-out ends neither session and clears no cookie", async () => {
    const { alice, bob, headers } = await twoSessions();
    const response = await authRequest("/sign-out", { body: {}, headers: { cookie: headers["the same name twice"] } });
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await db.session.count({ where: { id: { in: [alice.sessionId, bob.sessionId] } } })).toBe(2);
  });
});

describe("the production listener with two session cookies", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("answers 401 on tRPC and on get-session, in one Cookie header or in two", async () => {
    const { alice, bob, headers } = await twoSessions();
    for (const cookie of [headers["the same name twice"], [alice.pair, bob.pair]]) {
      for (const path of ["/api/trpc/user.me", "/api/auth/get-session"]) {
        const response = await rawRequest(server.url, { path, headers: { cookie } });
        expect({ path, cookie, status: response.status }).toEqual({ path, cookie, status: 401 });
        expect(response.headers["set-cookie"]).toBeUndefined();
      }
    }
  });
});
