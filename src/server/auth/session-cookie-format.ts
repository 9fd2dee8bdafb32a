// The session cookie as Better Auth names and signs it, for code that sets one without a sign-in (test fixtures, the
// benchmark, browser tests): the name from Better Auth's own cookie rules, the value `token.HMAC-SHA256(token)`.
import { getCookies } from "better-auth/cookies";
import { makeSignature } from "better-auth/crypto";

/** The session cookie's name: `__Secure-` prefixed when cookies are secure (production). */
export function sessionCookieName(secure: boolean): string {
  return getCookies({ advanced: { useSecureCookies: secure } }).sessionToken.name;
}

/** A session cookie: its name, its value as sent (URL-encoded), and `name=value` for a Cookie header. */
export type SessionCookie = { name: string; value: string; header: string };

/** What a session cookie is made with: the app's secret, and whether its cookies are secure (production). */
export type SessionCookieFormat = { secret: string; secure: boolean };

/** The cookie a browser holds for the session with `token`, signed with `secret`. */
export async function sessionCookie(token: string, { secret, secure }: SessionCookieFormat): Promise<SessionCookie> {
  const name = sessionCookieName(secure);
  const value = encodeURIComponent(`${token}.${await makeSignature(token, secret)}`);
  return { name, value, header: `${name}=${value}` };
}
