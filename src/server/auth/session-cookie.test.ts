// The cookie's short way to its session: taken for an ordinary session, never for one that is forged, revoked,
// expired, due for its sliding refresh or not remembered — those go to Better Auth, which refuses or refreshes them.
import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "@/env";
import { auth } from "@/server/auth";
import { sessionFromCookie, verifiedToken } from "@/server/auth/session-cookie";
import { callerWithHeaders, codeOf, createUser, signIn } from "@/test/helpers";
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
  });
});

describe("sessionFromCookie", () => {
  it("gives an ordinary session and its user straight away", async () => {
    const user = await createUser();
    const { headers } = await signIn(user);
    expect(await sessionFromCookie(headers)).toMatchObject({
      user: { id: user.id, email: user.email },
      session: { userId: user.id },
    });
  });

  it("gives nothing for no cookie, another cookie, or a forged one", async () => {
    const { headers } = await signIn(await createUser());
    const { name, value } = await cookieValue(headers);
    expect(await sessionFromCookie(new Headers())).toBeNull();
    expect(await sessionFromCookie(new Headers({ cookie: "theme=dark" }))).toBeNull();
    const forged = `${value.slice(0, value.indexOf("."))}x${value.slice(value.indexOf("."))}`;
    expect(await sessionFromCookie(new Headers({ cookie: `${name}=${encodeURIComponent(forged)}` }))).toBeNull();
  });

  it("leaves a revoked session to Better Auth, which refuses it on the next request", async () => {
    const { headers, token } = await signIn(await createUser());
    await (await auth.$context).internalAdapter.deleteSession(token);
    expect(await sessionFromCookie(headers)).toBeUndefined();
    expect(await codeOf((await callerWithHeaders(headers)).user.me())).toBe("UNAUTHORIZED");
  });

  it("leaves an idle-expired session to Better Auth, which refuses it", async () => {
    const { headers } = await signIn(await createUser());
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + env.SESSION_IDLE_TIMEOUT * 1000 + HOUR });
    expect(await sessionFromCookie(headers)).toBeUndefined();
    expect(await codeOf((await callerWithHeaders(headers)).user.me())).toBe("UNAUTHORIZED");
  });

  it("leaves a session due for its sliding refresh to Better Auth, which slides it and sends a new cookie", async () => {
    const { headers } = await signIn(await createUser());
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + env.SESSION_UPDATE_AGE * 1000 + HOUR });
    expect(await sessionFromCookie(headers)).toBeUndefined();
    const response = await trpcRequest("user.me", { headers: { cookie: headers.get("cookie") ?? "" } });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().some((cookie) => cookie.includes("session_token="))).toBe(true);
    // Slid: the ordinary way is taken again.
    expect(await sessionFromCookie(headers)).toMatchObject({ user: { email: expect.any(String) } });
  });

  it("takes a session already at its absolute cap the ordinary way: no refresh to do, so no write and no new cookie", async () => {
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
    const capped = await sessionFromCookie(headers);
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
  });

  it("leaves a session without “remember me” to Better Auth", async () => {
    const { headers } = await signIn(await createUser());
    const { dontRememberToken } = (await auth.$context).authCookies;
    const withFlag = new Headers({ cookie: `${headers.get("cookie")}; ${dontRememberToken.name}=x` });
    expect(await sessionFromCookie(withFlag)).toBeUndefined();
  });
});
