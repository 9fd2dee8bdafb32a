// Who is calling: the session behind a request's credentials, the one lookup tRPC's context (and anything else that
// serves a request) makes. `Authorization: Bearer` wins over a cookie sent alongside:
// - a JWT is verified in memory (signature, algorithm, exp, nbf, iss, aud) and checked against the deny list of
//   revoked sessions and users, with no database read unless the list's channel is down (access-token-revocation.ts);
// - a session token, like the cookie, is read from the database on every request (no cookie cache), so a revoked
//   session stops working at once. The cookie takes the short way (session-cookie.ts) unless Better Auth must write
//   something, e.g. a refreshed session cookie, which goes back in `resHeaders`.
import { type AuthSession, auth } from "@/server/auth";
import {
  type AccessTokenSession,
  bearerCredential,
  sessionFromAccessToken,
  verifyAccessToken,
} from "@/server/auth/access-token";
import { tokenRevocation } from "@/server/auth/access-token-revocation";
import { sessionFromCookie } from "@/server/auth/session-cookie";
import { withClientIp } from "@/server/http/client-ip";
import { REQUEST_ID_HEADER } from "@/server/http/request-id";

/** How the caller proved who they are; null for anonymous callers. */
export type AuthMethod = "cookie" | "session-token" | "jwt" | null;

/** A Better Auth session (cookie or session token), or what a verified JWT says (id, email, name, role). */
export type RequestSession = AuthSession | AccessTokenSession;

/** The headers Better Auth is given: the trusted client IP, and the request id its log lines carry. */
function headersForAuth(headers: Headers, requestId: string): Headers {
  const copy = withClientIp(headers);
  copy.set(REQUEST_ID_HEADER, requestId);
  return copy;
}

export async function getRequestSession(
  headers: Headers,
  { requestId, resHeaders }: { requestId: string; resHeaders?: Headers },
): Promise<{ session: RequestSession | null; authMethod: AuthMethod }> {
  const bearer = bearerCredential(headers);
  if (bearer?.kind === "jwt") {
    const claims = await verifyAccessToken(bearer.token);
    if (!claims) return { session: null, authMethod: "jwt" };
    // Answered in memory (true or false), or a promise of the database's answer while the channel is down.
    const allowed = tokenRevocation.allows(claims);
    if (allowed === false || (allowed !== true && !(await allowed))) return { session: null, authMethod: "jwt" };
    return { session: sessionFromAccessToken(claims), authMethod: "jwt" };
  }
  if (bearer?.kind === "session-token") {
    // Better Auth's bearer plugin reads the token from the Authorization header; the cookie must not count.
    const bearerHeaders = headersForAuth(headers, requestId);
    bearerHeaders.delete("cookie");
    return { session: await auth.api.getSession({ headers: bearerHeaders }), authMethod: "session-token" };
  }
  const session = await sessionFromCookie(headers);
  if (session !== undefined) return { session, authMethod: "cookie" };
  const result = await auth.api.getSession({ headers: headersForAuth(headers, requestId), returnHeaders: true });
  for (const cookie of result.headers.getSetCookie()) resHeaders?.append("set-cookie", cookie);
  return { session: result.response, authMethod: "cookie" };
}
