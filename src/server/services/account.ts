// The account is the user's: everything we hold about them as one document, or all of it deleted.
import { TRPCError } from "@trpc/server";
import { RetryLater, tooManyRequests } from "@/server/retry-later";
import { authEventSelect, recordAuthEvent } from "@/server/audit";
import { checkOwnPassword, tooManyWrongPasswordsMessage } from "@/server/auth/password-attempts";
import { PasswordHashingBusy } from "@/server/auth/password-hashing";
import { revokeUserTokens } from "@/server/auth/access-token-revocation";
import { hasPassword } from "@/server/auth/sign-in-ways";
import { revokeUserSessions } from "@/server/auth/sessions";
import type { Database } from "@/server/db";
import { profileSelect, sessionSelect, taskSelect } from "@/server/db/selects";
import { counters } from "@/server/rate-limit/counters";
import { keepAnAdmin } from "@/server/services/user-administration";

type Owner = { id: string; email: string; headers: Headers };

/** Profile, tasks, sessions and audit events; no hash, token or secret. The export itself is audited. */
export async function exportAccount(db: Database, owner: Owner) {
  const userId = owner.id;
  const [profile, tasks, sessions, authEvents] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: userId }, select: profileSelect }),
    db.task.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: taskSelect }),
    db.session.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: sessionSelect }),
    db.authEvent.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: authEventSelect }),
  ]);
  await recordAuthEvent(db, { type: "account-exported", userId, headers: owner.headers });
  return { exportedAt: new Date(), profile, tasks, sessions, authEvents };
}

/**
 * Deletes the account, its tasks and sessions, after the password is entered again (counted per account, as at
 * sign-in) when the account has one; the procedure asks for a recent sign-in either way. The last usable admin cannot
 * leave: the app keeps an admin, as with demotions and bans.
 */
export async function deleteAccount(db: Database, owner: Owner, password?: string): Promise<{ id: string }> {
  if (await hasPassword(db, owner.id)) {
    if (password === undefined) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "Enter your password to delete your account." });
    }
    await checkPasswordToDelete(db, owner, password);
  }
  // The rows (tasks, accounts and sessions cascade) and the audit row together, under the admins' lock, so two
  // admins leaving at once cannot both go; then every session through Better Auth, so copies in Redis go too.
  await db.$transaction(async (tx) => {
    await keepAnAdmin(tx, { targetId: owner.id });
    await tx.user.delete({ where: { id: owner.id } });
    await recordAuthEvent(tx, { type: "account-deleted", headers: owner.headers, detail: { userId: owner.id } });
  });
  await revokeUserSessions(owner.id, "signed-out-everywhere");
  // The sessions went with the user row, out of sight of the hook that revokes a deleted session's access tokens.
  await revokeUserTokens(owner.id);
  return { id: owner.id };
}

/** The password entered to delete the account, checked and counted per account as at sign-in. */
async function checkPasswordToDelete(db: Database, owner: Owner, password: string): Promise<void> {
  const attempt = await checkOwnPassword(db, counters, owner, password).catch((error: unknown) => {
    // A full hashing queue is a busy server, not a wrong password (the attempt is not counted).
    if (!(error instanceof PasswordHashingBusy)) throw error;
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: error.message,
      cause: new RetryLater(error.retryAfterSeconds),
    });
  });
  if ("throttled" in attempt) throw tooManyRequests(attempt.throttled, tooManyWrongPasswordsMessage);
  if (!attempt.right) throw new TRPCError({ code: "BAD_REQUEST", message: "The password is not right." });
}
