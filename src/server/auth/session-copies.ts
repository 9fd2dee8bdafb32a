// With Redis, Better Auth stores a copy of the user beside each session it caches. A change made to the user row
// outside Better Auth (role, ban, name, by the user router) rewrites those copies, or the sessions would go on
// carrying the old values: a demoted admin's next JWT would still say "admin".
import { auth } from "@/server/auth";

/** Rewrites the cached copies of `userId` in their sessions; nothing to do without Redis. */
export async function refreshSessionCopies(userId: string): Promise<void> {
  const ctx = await auth.$context;
  if (!ctx.options.secondaryStorage) return;
  const user = await ctx.internalAdapter.findUserById(userId);
  if (user) await ctx.internalAdapter.refreshUserSessions(user);
}
