// One request, one identity: a request carrying more than one session cookie (the same name twice, or the name with
// and without a __Secure- or __Host- prefix) is signed in as nobody, on every path that reads the cookie. Better
// Auth would take the first, a Map the last; which one a browser puts first is up to whoever set it. No imports: the
// Next proxy uses this too.

/** Better Auth's session cookie name before the prefix production adds (src/server/auth/index.ts keeps its default). */
export const SESSION_COOKIE_NAME = "better-auth.session_token";

const PREFIXES = ["", "__Secure-", "__Host-"];

/** How many session cookies a Cookie header carries, counted by name as the parsers split it ("a=1; a=2" is two). */
export function sessionCookieCount(cookieHeader: string | null): number {
  if (!cookieHeader) return 0;
  return cookieHeader.split(";").filter((pair) => {
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    return eq !== -1 && PREFIXES.some((prefix) => name === `${prefix}${SESSION_COOKIE_NAME}`);
  }).length;
}

/** True when `headers` carry two or more session cookies: such a request has no identity. */
export function hasSeveralSessionCookies(headers: Headers): boolean {
  return sessionCookieCount(headers.get("cookie")) > 1;
}
