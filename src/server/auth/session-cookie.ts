// The session behind a request's cookie, read the cheap way on every request: the cookie's HMAC checked in place
// and the session with its user read in one statement written once from Better Auth's own schema (or through its
// adapter from Redis, when set), without its endpoint machinery. Nothing is cached, so a revoked session fails on its
// very next request. Whatever is not the everyday case (an expired session whose cookie must be cleared, a session
// due for its sliding refresh and not yet at its absolute cap, a "remember me" off session) is left to Better Auth's
// getSession, which knows how to answer it. Two session cookies are no session (session-cookie-count.ts), and Better
// Auth is then not asked. A fast path: with FAST_PATHS=off Better Auth decides every request but the two-cookie one,
// and session-cookie.differential.test.ts holds the short way to Better Auth's answers, field by field.
import { createHmac, timingSafeEqual } from "node:crypto";
import { parseCookies } from "better-auth/cookies";
import { env } from "@/env";
import { Prisma } from "@/generated/prisma/client";
import { type AuthSession, auth } from "@/server/auth";
import { hasSeveralSessionCookies } from "@/server/auth/session-cookie-count";
import { absoluteExpiry } from "@/server/auth/session-lifetime";
import { db } from "@/server/db";

/** A signature as Better Auth writes it: 32 bytes of HMAC-SHA256 in standard base64, padded. */
const SIGNATURE = /^[A-Za-z0-9+/]{43}=$/;

/** The token of a cookie value `token.signature` whose signature is ours, otherwise null (as Better Auth checks it). */
export function verifiedToken(value: string, secret: string): string | null {
  const dot = value.lastIndexOf(".");
  if (dot < 1) return null;
  const token = value.slice(0, dot);
  const encoded = value.slice(dot + 1);
  // Node's base64 decoder would also read the base64url spelling ("-" and "_"), which Better Auth's atob refuses.
  if (!SIGNATURE.test(encoded)) return null;
  const signature = Buffer.from(encoded, "base64");
  const expected = createHmac("sha256", secret).update(token).digest();
  return signature.length === expected.length && timingSafeEqual(signature, expected) ? token : null;
}

type AuthContext = Awaited<typeof auth.$context>;
type Fields = AuthContext["tables"][string]["fields"];

/**
 * `s.expires_at AS "expiresAt", …`: a model's fields as Better Auth's adapter returns them (its own, its plugins' and
 * ours, none it never returns), each from its snake_case column (the schema's @map), named `prefix` + field.
 */
function selectList(table: string, fields: Fields, prefix: string): string[] {
  const names = ["id", ...Object.keys(fields).filter((name) => fields[name]?.returned !== false)];
  const column = (name: string) => (fields[name]?.fieldName ?? name).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return names.map((name) => `${table}.${column(name)} AS "${prefix}${name}"`);
}

let sessionSelect: Prisma.Sql | undefined;

/**
 * The session of `token` with its user, as Better Auth's `findSession` reads it from the database (one joined query)
 * but with a statement written once, not built from objects and filtered per request.
 */
async function sessionByToken(context: AuthContext, token: string): Promise<AuthSession | null> {
  sessionSelect ??= Prisma.raw(
    [
      ...selectList("s", context.tables.session?.fields ?? {}, ""),
      ...selectList("u", context.tables.user?.fields ?? {}, "user."),
    ].join(", "),
  );
  const [row] = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT ${sessionSelect} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token = ${token}`;
  if (!row) return null;
  const session: Record<string, unknown> = {};
  const user: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (name.startsWith("user.")) user[name.slice(5)] = value;
    else session[name] = value;
  }
  return { session, user } as unknown as AuthSession;
}

/**
 * The cookie's session: `null` when there is no valid one, `undefined` when Better Auth's getSession must decide
 * (and possibly write: clear the cookie, slide the expiry). With FAST_PATHS=off only the two-cookie rule is decided
 * here; everything else is `undefined`.
 */
export async function sessionFromCookie(headers: Headers): Promise<AuthSession | null | undefined> {
  if (hasSeveralSessionCookies(headers)) return null;
  return env.FAST_PATHS === "on" ? sessionFromCookieFastPath(headers) : undefined;
}

/** The short way itself, whatever FAST_PATHS says: what the differential test compares with Better Auth. */
export async function sessionFromCookieFastPath(headers: Headers): Promise<AuthSession | null | undefined> {
  const cookieHeader = headers.get("cookie");
  if (!cookieHeader || hasSeveralSessionCookies(headers)) return null;
  const context = await auth.$context;
  const cookies = parseCookies(cookieHeader);
  const value = cookies.get(context.authCookies.sessionToken.name);
  if (!value) return null;
  if (cookies.has(context.authCookies.dontRememberToken.name)) return undefined;
  const token = verifiedToken(value, context.secret);
  if (!token) return null;
  // With Redis, sessions are read where Better Auth keeps its copies; otherwise by hand, in one statement.
  const found = context.options.secondaryStorage
    ? await context.internalAdapter.findSession(token)
    : await sessionByToken(context, token);
  if (!found) return undefined;
  const { expiresIn, updateAge } = context.sessionConfig;
  const expiresAt = found.session.expiresAt.getTime();
  if (expiresAt <= Date.now()) return undefined;
  // A session whose expiry is already clamped to its absolute lifetime has nothing left to slide: Better Auth's
  // refresh would rewrite the same expiry (and the cookie) on every request of its last days.
  const atAbsoluteCap = expiresAt >= absoluteExpiry(new Date(found.session.createdAt)).getTime();
  if (!atAbsoluteCap && expiresAt - expiresIn * 1000 + updateAge * 1000 <= Date.now()) return undefined;
  // The adapter returns the rows Better Auth's getSession returns; its type is the generic one.
  return found as unknown as AuthSession;
}
