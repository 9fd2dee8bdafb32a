// Session operations for code outside Better Auth's endpoints (routers, services, the seed, test fixtures). They go
// through Better Auth's own adapter, so copies kept in Redis (when configured) change with the rows.
import { parseCookies } from "better-auth/cookies";
import type { SignOutReason } from "@/lib/sign-out-reasons";
import { auth } from "@/server/auth";
import { forgetTrustedDevices } from "@/server/auth/second-factor";
import { verifiedToken } from "@/server/auth/session-cookie";
import { hasSeveralSessionCookies } from "@/server/auth/session-cookie-count";
import { type SessionCookieFormat, sessionCookieName } from "@/server/auth/session-cookie-format";
import { recordedSignOutReason, withSignOutReason } from "@/server/auth/sign-out-reasons";
import { db } from "@/server/db";

/**
 * A new session for `userId`, as a sign-in makes one: its token (the cookie carries it signed) and id. `signedInAt`
 * backdates the sign-in (a test of what a session may do some time after it).
 */
export async function createSession(
  userId: string,
  { signedInAt }: { signedInAt?: Date } = {},
): Promise<{ id: string; token: string }> {
  const adapter = (await auth.$context).internalAdapter;
  const session = signedInAt
    ? await adapter.createSession(userId, false, { createdAt: signedInAt }, true)
    : await adapter.createSession(userId);
  return { id: session.id, token: session.token };
}

/** Signs out the sessions with these tokens, wherever they are stored; their devices are told `reason`. */
export async function revokeSessions(tokens: string[], reason: SignOutReason): Promise<void> {
  if (!tokens.length) return;
  const adapter = (await auth.$context).internalAdapter;
  await withSignOutReason(reason, () => adapter.deleteSessions(tokens));
}

/**
 * Signs `userId` out everywhere, and forgets the devices they trusted to skip the second factor; the devices are
 * told `reason`.
 */
export async function revokeUserSessions(userId: string, reason: SignOutReason): Promise<void> {
  const ctx = await auth.$context;
  await withSignOutReason(reason, () => ctx.internalAdapter.deleteUserSessions(userId));
  await forgetTrustedDevices(ctx, db, userId);
}

/**
 * Why the session in this request's cookie ended, for the sign-in page: null unless the cookie is one we signed
 * (so only a device that held the session learns anything) and its session ended for a reason it did not choose.
 */
export async function signOutReason(headers: Headers): Promise<SignOutReason | null> {
  const cookieHeader = headers.get("cookie");
  if (!cookieHeader || hasSeveralSessionCookies(headers)) return null;
  const ctx = await auth.$context;
  const value = parseCookies(cookieHeader).get(ctx.authCookies.sessionToken.name);
  const token = value ? verifiedToken(value, ctx.secret) : null;
  if (!token) return null;
  const found = await ctx.internalAdapter.findSession(token);
  if (found) return found.session.expiresAt.getTime() <= Date.now() ? "expired" : null;
  return recordedSignOutReason(db, token);
}

/** Forgets the devices `userId` trusted to skip the second factor (a second factor reset by an admin). */
export async function forgetUserTrustedDevices(userId: string): Promise<void> {
  await forgetTrustedDevices(await auth.$context, db, userId);
}

/**
 * With Redis, Better Auth stores a copy of the user beside each session it caches. A change made to the user row
 * outside Better Auth (role, ban, name) rewrites those copies, or the sessions would go on carrying the old values:
 * a demoted admin's next JWT would still say "admin". Nothing to do without Redis.
 */
export async function refreshSessionCopies(userId: string): Promise<void> {
  const ctx = await auth.$context;
  if (!ctx.options.secondaryStorage) return;
  const user = await ctx.internalAdapter.findUserById(userId);
  if (user) await ctx.internalAdapter.refreshUserSessions(user);
}

/**
 * How this instance signs and names its session cookie: its secret, and whether the cookie is secure (`__Secure-`
 * prefixed, in production). `sessionCookie` in session-cookie-format.ts makes the cookie from these, for test
 * fixtures that sign a user in without the sign-in form.
 */
export async function sessionCookieFormat(): Promise<SessionCookieFormat> {
  const ctx = await auth.$context;
  const { name } = ctx.authCookies.sessionToken;
  // A cookie prefix or name set in the options would need session-cookie-format.ts to follow it.
  if (name !== sessionCookieName(true) && name !== sessionCookieName(false)) {
    throw new Error(`The session cookie is named ${name}, which session-cookie-format.ts does not know.`);
  }
  return { secret: ctx.secret, secure: name === sessionCookieName(true) };
}
