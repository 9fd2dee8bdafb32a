// Session operations for code outside Better Auth's endpoints (routers, services, the seed, test fixtures). They go
// through Better Auth's own adapter, so copies kept in Redis (when configured) change with the rows.
import { auth } from "@/server/auth";
import { forgetTrustedDevices } from "@/server/auth/second-factor";
import { db } from "@/server/db";
import { type SessionCookieFormat, sessionCookieName } from "@/server/auth/session-cookie-format";

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

/** Signs out the sessions with these tokens, wherever they are stored. */
export async function revokeSessions(tokens: string[]): Promise<void> {
  if (tokens.length) await (await auth.$context).internalAdapter.deleteSessions(tokens);
}

/** Signs `userId` out everywhere, and forgets the devices they trusted to skip the second factor. */
export async function revokeUserSessions(userId: string): Promise<void> {
  const ctx = await auth.$context;
  await ctx.internalAdapter.deleteUserSessions(userId);
  await forgetTrustedDevices(ctx, db, userId);
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
