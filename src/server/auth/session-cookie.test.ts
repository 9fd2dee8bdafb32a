// The cookie's short way to its session: taken for an ordinary session, never for one that is forged, revoked,
// expired, due for its sliding refresh or not remembered — those go to Better Auth, which refuses or refreshes them.
// The short way is a fast path: with FAST_PATHS=off the lookup leaves every request to Better Auth but the two-cookie
// one (session-cookie.differential.test.ts compares the two on generated requests).
import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "@/env";
import { auth } from "@/server/auth";
import { sessionFromCookie, sessionFromCookieFastPath, verifiedToken } from "@/server/auth/session-cookie";
import { callerWithHeaders, codeOf, createUser, signIn } from "@/test/fixtures";
import { trpcRequest } from "@/test/http";
import { statementsDuring } from "@/test/statement-counter";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

afterEach(() => {
  vi.useRealTimers();
});

async function cookieValue(headers: Headers): Promise<{ name: string; value: string }> {
  const { name } = (await auth.$context).authCookies.sessionToken;
  const value = decodeURIComponent(headers.get("cookie")?.split("=").slice(1).join("=") ?? "");
  return { name, value };
}

describe("verifiedToken", () => {
  it("accepts our signature and nothing else", async () => {
    const { headers, token } = await signIn(await createUser());
    const { value } = await cookieValue(headers);
    const { secret } = await auth.$context;
    expect(verifiedToken(value, secret)).toBe(token);
    expect(verifiedToken(value, `${secret}x`)).toBeNull();
    expect(verifiedToken(`x${value}`, secret)).toBeNull();
    // A changed first character of the signature (the last one's low bits are base64 padding, which decoders ignore).
    const dot = value.lastIndexOf(".");
    const tampered = `${value.slice(0, dot + 1)}${value[dot + 1] === "A" ? "B" : "A"}${value.slice(dot + 2)}`;
    expect(verifiedToken(tampered, secret)).toBeNull();
    expect(verifiedToken(token, secret)).toBeNull();
    expect(verifiedToken(`${token}.`, secret)).toBeNull();
    // The same bytes in base64url: Better Auth refuses that spelling, so does the short way.
    const base64url = value.replace(/\+/g, "-").replace(/\//g, "_");
    if (base64url !== value) expect(verifiedToken(base64url, secret)).toBeNull();
  });
});

describe("the short way (sessionFromCookieFastPath)", () => {
  it("gives an ordinary session and its user straight away", async () => {
    const user = await createUser();
    const { headers } = await signIn(user);
    expect(await sessionFromCookieFastPath(headers)).toMatchObject({
      user: { id: user.id, email: user.email },
      session: { userId: user.id },
    });
  });

  it("gives nothing for no cookie, another cookie, or a forged one", async () => {
    const { headers } = await signIn(await createUser());
    const { name, value } = await cookieValue(headers);
    expect(await sessionFromCookieFastPath(new Headers())).toBeNull();
    expect(await sessionFromCookieFastPath(new Headers({ cookie: "theme=dark" }))).toBeNull();
    const forged = `${value.slice(0, value.indexOf("."))}x${value.slice(value.indexOf("."))}`;
    expect(
      await sessionFromCookieFastPath(new Headers({ cookie: `${name}=${encodeURIComponent(forged)}` })),
    ).toBeNull();
  });

  it("leaves a revoked session to Better Auth, which refuses it on the next request", async () => {
    const { headers, token } = await signIn(await createUser());
    await (await auth.$context).internalAdapter.deleteSession(token);
    expect(await sessionFromCookieFastPath(headers)).toBeUndefined();
    expect(await codeOf((await callerWithHeaders(headers)).user.me())).toBe("UNAUTHORIZED");
  });

  it("leaves an idle-expired session to Better Auth, which refuses it", async () => {
    const { headers } = await signIn(await createUser());
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + env.SESSION_IDLE_TIMEOUT * 1000 + HOUR });
    expect(await sessionFromCookieFastPath(headers)).toBeUndefined();
    expect(await codeOf((await callerWithHeaders(headers)).user.me())).toBe("UNAUTHORIZED");
  });

  it("leaves a session due for its sliding refresh to Better Auth, which slides it and sends a new cookie", async () => {
    const { headers, cookie } = await signIn(await createUser());
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + env.SESSION_UPDATE_AGE * 1000 + HOUR });
    expect(await sessionFromCookieFastPath(headers)).toBeUndefined();
    const response = await trpcRequest("user.me", { headers: { cookie: cookie.header } });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().some((set) => set.startsWith(`${cookie.name}=`))).toBe(true);
    // Slid: the ordinary way is taken again.
    expect(await sessionFromCookieFastPath(headers)).toMatchObject({ user: { email: expect.any(String) } });
  });

  // With the fast paths off Better Auth answers, and rewrites the same expiry (and the cookie) on each request.
  it.skipIf(env.FAST_PATHS === "off")(
    "takes a session already at its absolute cap the ordinary way: no refresh to do, so no write and no new cookie",
    async () => {
      const { headers } = await signIn(await createUser());
      const cookie = headers.get("cookie") ?? "";
      const started = Date.now();
      vi.useFakeTimers({ toFake: ["Date"], now: started });
      const lastDays = started + env.SESSION_ABSOLUTE_LIFETIME * 1000 - 2 * DAY;
      // Used every few days until its expiry is clamped to the absolute lifetime.
      while (Date.now() < lastDays - 3 * DAY) {
        vi.setSystemTime(Math.min(Date.now() + 3 * DAY, lastDays));
        expect((await trpcRequest("user.me", { headers: { cookie } })).status).toBe(200);
      }
      vi.setSystemTime(lastDays);
      const capped = await sessionFromCookieFastPath(headers);
      expect(capped).toBeDefined();
      const { createdAt, expiresAt } = capped?.session ?? { createdAt: new Date(0), expiresAt: new Date(0) };
      expect(expiresAt.getTime() - createdAt.getTime()).toBe(env.SESSION_ABSOLUTE_LIFETIME * 1000);
      for (let i = 0; i < 2; i++) {
        let response: Response | undefined;
        const statements = await statementsDuring(async () => {
          response = await trpcRequest("user.me", { headers: { cookie } });
        });
        expect(response?.status).toBe(200);
        expect(response?.headers.getSetCookie()).toEqual([]);
        expect(statements.filter(({ sql }) => /^\s*(UPDATE|INSERT|DELETE)/i.test(sql))).toEqual([]);
      }
    },
  );

  it("leaves a session without “remember me” to Better Auth", async () => {
    const { headers } = await signIn(await createUser());
    const { dontRememberToken } = (await auth.$context).authCookies;
    const withFlag = new Headers({ cookie: `${headers.get("cookie")}; ${dontRememberToken.name}=x` });
    expect(await sessionFromCookieFastPath(withFlag)).toBeUndefined();
  });
});

describe("sessionFromCookie", () => {
  it("takes the short way with FAST_PATHS=on, and leaves the request to Better Auth with FAST_PATHS=off", async () => {
    const user = await createUser();
    const { headers } = await signIn(user);
    const found = await sessionFromCookie(headers);
    if (env.FAST_PATHS === "on") expect(found).toMatchObject({ user: { id: user.id } });
    else expect(found).toBeUndefined();
  });

  it("gives nothing for two session cookies, with the fast paths on or off", async () => {
    const { headers } = await signIn(await createUser());
    const { headers: other } = await signIn(await createUser());
    const twice = new Headers({ cookie: `${headers.get("cookie")}; ${other.get("cookie")}` });
    expect(await sessionFromCookie(twice)).toBeNull();
  });
});
