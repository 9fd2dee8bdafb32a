// Who is signed in on a request, as a before hook sees it (before Better Auth's bearer plugin has turned
// `Authorization: Bearer` into the session cookie), without leaving a session cached for the endpoint to trust.
import { getSessionFromCtx } from "better-auth/api";
import { setRequestCookie } from "better-auth/cookies";

type EndpointContext = Parameters<typeof getSessionFromCtx>[0];
type SignedIn = NonNullable<Awaited<ReturnType<typeof getSessionFromCtx>>>;

function decodedToken(token: string): string {
  try {
    return decodeURIComponent(token);
  } catch {
    return token;
  }
}

/** The session the endpoint will use: a bearer session token first (as the bearer plugin does), then the cookie. */
export async function signedInSession(ctx: EndpointContext): Promise<SignedIn | null> {
  // On a copy of the request's context, so this lookup leaves no session cached for the endpoint to trust.
  const sessionWith = async (headers: Headers | undefined) =>
    getSessionFromCtx({ ...ctx, headers, context: { ...ctx.context, session: null } }, { disableRefresh: true });
  const bearer = /^bearer (.+)$/i.exec(ctx.headers?.get("authorization") ?? "")?.[1]?.trim();
  if (bearer) {
    const headers = new Headers(ctx.headers);
    setRequestCookie(headers, ctx.context.authCookies.sessionToken.name, decodedToken(bearer));
    const session = await sessionWith(headers);
    if (session) return session;
  }
  return sessionWith(ctx.headers);
}
