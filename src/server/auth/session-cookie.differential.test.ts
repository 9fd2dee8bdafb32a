// The cookie's short way (session-cookie.ts, a fast path) against Better Auth's own getSession on the same generated
// requests: valid cookies in every spelling a client may send, forged signatures, duplicated cookies, expired
// sessions, sessions due for their sliding refresh or at their absolute cap, "remember me" off, revoked sessions,
// banned users, unknown tokens and garbage. Whenever the short way decides (a session, or null), Better Auth must
// decide the same: the same session of the same user, or none. The one intended difference is the two-cookie rule:
// a request with two session cookies is nobody, whichever one Better Auth would have taken (decision 013). The
// suite runs with the embedded database, and with PostgreSQL and Redis (sessions then read from Redis).
import { randomBytes, randomUUID } from "node:crypto";
import { makeSignature } from "better-auth/crypto";
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { env } from "@/env";
import { type AuthSession, auth } from "@/server/auth";
import { sessionFromCookie, sessionFromCookieFastPath } from "@/server/auth/session-cookie";
import { hasSeveralSessionCookies } from "@/server/auth/session-cookie-count";
import { refreshSessionCopies } from "@/server/auth/sessions";
import { db } from "@/server/db";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Context = Awaited<typeof auth.$context>;
let ctx: Context;
let sessionCookie: string;
let dontRememberCookie: string;

beforeAll(async () => {
  ctx = await auth.$context;
  sessionCookie = ctx.authCookies.sessionToken.name;
  dontRememberCookie = ctx.authCookies.dontRememberToken.name;
});

afterEach(() => {
  vi.useRealTimers();
});

/** Where a session stands when the request comes: each state is reached through Better Auth, so Redis copies agree. */
const STATES = ["fresh", "due", "expired", "atCap", "pastCap", "revoked", "unknown"] as const;
type State = (typeof STATES)[number];

/** How far the clock has moved since the session was made, for each state. */
function clockOffset(state: State): number {
  switch (state) {
    case "due":
      return env.SESSION_UPDATE_AGE * 1000 + HOUR;
    case "expired":
      return env.SESSION_IDLE_TIMEOUT * 1000 + HOUR;
    case "atCap":
      return env.SESSION_ABSOLUTE_LIFETIME * 1000 - 2 * DAY;
    case "pastCap":
      return env.SESSION_ABSOLUTE_LIFETIME * 1000 + HOUR;
    default:
      return 0;
  }
}

/** A new user (no password: none is needed) with a session in `state`; banned after its session was made if asked. */
async function sessionIn(state: State, banned: boolean): Promise<{ token: string; userId: string }> {
  const user = await ctx.internalAdapter.createUser(
    { email: `cookie-${randomUUID()}@example.com`, name: "Cookie Test", emailVerified: true },
    { method: "admin" },
  );
  if (state === "unknown") return { token: randomBytes(24).toString("base64url").slice(0, 32), userId: user.id };
  const session = await ctx.internalAdapter.createSession(user.id);
  if (state === "atCap" || state === "pastCap") {
    // Slid until its expiry met the absolute lifetime (what weeks of daily use do).
    const cap = new Date(new Date(session.createdAt).getTime() + env.SESSION_ABSOLUTE_LIFETIME * 1000);
    await ctx.internalAdapter.updateSession(session.token, { expiresAt: cap });
  }
  if (state === "revoked") await ctx.internalAdapter.deleteSession(session.token);
  if (banned) {
    // A ban through the user router also revokes every session; one set in the database leaves them alive.
    await db.user.update({ where: { id: user.id }, data: { banned: true, banReason: "test" } });
    await refreshSessionCopies(user.id);
  }
  return { token: session.token, userId: user.id };
}

const signed = async (value: string, secret = ctx.secret) => `${value}.${await makeSignature(value, secret)}`;

/** What a client may send as the session cookie's value, made from the session's token. */
const COOKIE_VALUES = {
  encoded: async (token: string) => encodeURIComponent(await signed(token)),
  raw: async (token: string) => signed(token),
  quoted: async (token: string) => `"${encodeURIComponent(await signed(token))}"`,
  lowercaseEscapes: async (token: string) => encodeURIComponent(await signed(token)).replace(/%3D/g, "%3d"),
  doubleEncoded: async (token: string) => encodeURIComponent(encodeURIComponent(await signed(token))),
  otherSecret: async (token: string) => encodeURIComponent(await signed(token, `${ctx.secret}x`)),
  otherToken: async (token: string) => {
    const value = await signed(token);
    return encodeURIComponent(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}${value.slice(token.length)}`);
  },
  flippedSignature: async (token: string) => {
    const value = await signed(token);
    const at = token.length + 1;
    return encodeURIComponent(`${value.slice(0, at)}${value[at] === "A" ? "B" : "A"}${value.slice(at + 1)}`);
  },
  base64urlSignature: async (token: string) =>
    encodeURIComponent(`${token}.${(await makeSignature(token, ctx.secret)).replace(/\+/g, "-").replace(/\//g, "_")}`),
  unpaddedSignature: async (token: string) => encodeURIComponent((await signed(token)).replace(/=$/, "")),
  tokenOnly: async (token: string) => token,
  emptySignature: async (token: string) => `${token}.`,
  trailingGarbage: async (token: string) => `${encodeURIComponent(await signed(token))}x`,
} satisfies Record<string, (token: string) => Promise<string>>;
type CookieValue = keyof typeof COOKIE_VALUES;

/** A second session cookie beside the first: the two-cookie rule. */
const DUPLICATES = ["none", "same", "otherSession", "secure", "host", "forged"] as const;
const DONT_REMEMBER = ["none", "signed", "unsigned"] as const;
/** Cookie pairs as they are joined; ", " is what two Cookie header lines become when appended to one Headers. */
const JOINERS = ["; ", ";", " ; ", ", "] as const;

/** Characters of a cookie header, the awkward ones included (no control characters: a Headers refuses them). */
const cookieText = fc.string({
  unit: fc.constantFrom(...'ab=;,. \t"\\%3D+/_-:', "better-auth.session_token", "__Secure-", "=="),
  maxLength: 30,
});
const otherCookie = fc.oneof(
  fc.constantFrom("theme=dark", "a=1", "=", "x", "better-auth.session_tokenx=1", " better-auth.session_token"),
  cookieText,
);

/** One of `values`, the first (the everyday case) about half the time, so that many requests have a session. */
const mostly = <T>(values: readonly T[]) =>
  fc.oneof({ arbitrary: fc.constant(values[0] as T), weight: values.length }, fc.constantFrom(...values));

const requestShape = fc.record({
  state: mostly(STATES),
  banned: fc.boolean(),
  value: mostly(Object.keys(COOKIE_VALUES) as CookieValue[]),
  duplicate: mostly(DUPLICATES),
  dontRemember: mostly(DONT_REMEMBER),
  others: fc.oneof(fc.constant([]), fc.array(otherCookie, { maxLength: 3 })),
  joiner: mostly(JOINERS),
  order: fc.nat(),
});
type RequestShape = typeof requestShape extends fc.Arbitrary<infer T> ? T : never;

async function cookieHeader(shape: RequestShape, token: string): Promise<string> {
  const pairs = [`${sessionCookie}=${await COOKIE_VALUES[shape.value](token)}`];
  const second = await (async () => {
    switch (shape.duplicate) {
      case "same":
        return pairs[0];
      case "otherSession":
        return `${sessionCookie}=${await COOKIE_VALUES.encoded((await sessionIn("fresh", false)).token)}`;
      case "secure":
        return `__Secure-${pairs[0]}`;
      case "host":
        return `__Host-${pairs[0]}`;
      case "forged":
        return `${sessionCookie}=${await COOKIE_VALUES.otherSecret(token)}`;
      default:
        return null;
    }
  })();
  if (second) pairs.push(second);
  if (shape.dontRemember === "signed") pairs.push(`${dontRememberCookie}=${encodeURIComponent(await signed("true"))}`);
  if (shape.dontRemember === "unsigned") pairs.push(`${dontRememberCookie}=true`);
  pairs.push(...shape.others);
  // A rotation keeps the generated order shrinkable while moving the session cookie anywhere.
  const shift = shape.order % pairs.length;
  return [...pairs.slice(shift), ...pairs.slice(0, shift)].join(shape.joiner);
}

/**
 * What a decision says: the session and its user as they are stored, every field Better Auth returns (the short way
 * reads them by hand). `updatedAt` may move between the reads: Better Auth's getSession comes last, and rewrites a
 * session at its absolute cap that the short way rightly leaves alone.
 */
function identity(found: AuthSession | null) {
  if (!found) return null;
  const { session, user } = found;
  return { session: { ...session, updatedAt: undefined }, user: { ...user, updatedAt: undefined } };
}

type Outcome = {
  fastPath: AuthSession | null | undefined;
  lookup: AuthSession | null | undefined;
  library: AuthSession | null;
};

/** The short way, the app's lookup (which follows FAST_PATHS) and Better Auth, in that order, on one request. */
async function decide(headers: Headers, offset: number): Promise<Outcome> {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + offset });
  try {
    const fastPath = await sessionFromCookieFastPath(headers);
    const lookup = await sessionFromCookie(headers);
    // Last: Better Auth may write (slide the expiry, delete an expired session).
    const library = await auth.api.getSession({ headers });
    return { fastPath, lookup, library };
  } finally {
    vi.useRealTimers();
  }
}

/** The short way agrees with Better Auth whenever it decides; the app's lookup is the short way, or defers when off. */
function expectAgreement({ fastPath, lookup, library }: Outcome, severalSessionCookies: boolean): void {
  if (severalSessionCookies) {
    // The security rule, stricter than Better Auth on purpose, holds with the fast paths on or off.
    expect(fastPath).toBeNull();
    expect(lookup).toBeNull();
    return;
  }
  if (fastPath !== undefined) expect(identity(fastPath)).toEqual(identity(library));
  if (env.FAST_PATHS === "on") expect(identity(lookup ?? null)).toEqual(identity(fastPath ?? null));
  else expect(lookup).toBeUndefined();
}

describe("the cookie's short way against Better Auth's getSession", () => {
  it("decides every generated request as Better Auth does, or leaves it to Better Auth", async () => {
    const seen = { decided: 0, deferred: 0, sessions: 0 };
    await fc.assert(
      fc.asyncProperty(requestShape, async (shape) => {
        const { token } = await sessionIn(shape.state, shape.banned);
        const headers = new Headers({ cookie: await cookieHeader(shape, token) });
        const outcome = await decide(headers, clockOffset(shape.state));
        if (shape.duplicate !== "none" && shape.joiner !== ", ") expect(hasSeveralSessionCookies(headers)).toBe(true);
        expectAgreement(outcome, hasSeveralSessionCookies(headers));
        if (outcome.fastPath === undefined) seen.deferred++;
        else seen.decided++;
        if (outcome.fastPath) seen.sessions++;
      }),
      { numRuns: 300 },
    );
    // The generator reaches every kind of answer, not only refusals.
    expect(seen.sessions).toBeGreaterThan(10);
    expect(seen.deferred).toBeGreaterThan(10);
  }, 180_000); // 300 requests each looked up both ways: about 10 s alone, several times that beside other files

  it("decides garbage Cookie headers as Better Auth does", async () => {
    const { token } = await sessionIn("fresh", false);
    const valid = await COOKIE_VALUES.encoded(token);
    const garbage = fc.array(
      fc.oneof(cookieText, fc.constant(`${sessionCookie}=${valid}`), fc.constant(`${sessionCookie}=`)),
      { minLength: 1, maxLength: 4 },
    );
    await fc.assert(
      fc.asyncProperty(garbage, fc.constantFrom(...JOINERS), async (parts, joiner) => {
        const headers = new Headers({ cookie: parts.join(joiner) });
        expectAgreement(await decide(headers, 0), hasSeveralSessionCookies(headers));
      }),
      { numRuns: 300 },
    );
  }, 180_000);

  it.each(Object.keys(COOKIE_VALUES) as CookieValue[])(
    "a fresh session's cookie spelt %s is decided alike",
    async (value) => {
      let { token } = await sessionIn("fresh", false);
      // A signature with a "+" or "/", so that its base64url spelling differs (three in four have one).
      while (value === "base64urlSignature" && !/[+/]/.test(await makeSignature(token, ctx.secret))) {
        ({ token } = await sessionIn("fresh", false));
      }
      const headers = new Headers({ cookie: `${sessionCookie}=${await COOKIE_VALUES[value](token)}` });
      expectAgreement(await decide(headers, 0), false);
    },
  );

  it("answers a request without a Cookie header as Better Auth does", async () => {
    expectAgreement(await decide(new Headers(), 0), false);
  });

  it.each(STATES)("a session %s, sent the ordinary way, is decided alike", async (state) => {
    for (const banned of [false, true]) {
      const { token } = await sessionIn(state, banned);
      const headers = new Headers({ cookie: `${sessionCookie}=${await COOKIE_VALUES.encoded(token)}` });
      expectAgreement(await decide(headers, clockOffset(state)), false);
    }
  });
});
