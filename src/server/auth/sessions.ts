// Session operations for code outside Better Auth's endpoints (routers, services, the seed, test fixtures). They go
// through Better Auth's own adapter, so copies kept in Redis (when configured) change with the rows.
import { auth } from "@/server/auth";

/** A new session for `userId`, as a sign-in makes one: its token (the cookie carries it signed) and id. */
export async function createSession(userId: string): Promise<{ id: string; token: string }> {
  const session = await (await auth.$context).internalAdapter.createSession(userId);
  return { id: session.id, token: session.token };
}

/** Signs out the sessions with these tokens, wherever they are stored. */
export async function revokeSessions(tokens: string[]): Promise<void> {
  if (tokens.length) await (await auth.$context).internalAdapter.deleteSessions(tokens);
}

/** Signs `userId` out everywhere. */
export async function revokeUserSessions(userId: string): Promise<void> {
  await (await auth.$context).internalAdapter.deleteUserSessions(userId);
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
