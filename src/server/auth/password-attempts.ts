// Wrong passwords counted per account, whichever endpoint checks them (sign-in, the password re-entered in Better
// Auth's endpoints, account deletion): one counter per email, known or not, because an IP address can be forged.
// After 10 wrong passwords in 15 minutes the account answers 429 until the window ends; a right one clears the count
// (failure-budget.ts reserves each failure before the check).
import { createHash } from "node:crypto";
import { type Attempt, type AttemptOutcome, beginAttempt } from "@/server/auth/failure-budget";
import { verifyPassword } from "@/server/auth/password-hashing";
import type { Database } from "@/server/db";
import type { Count, CounterStore } from "@/server/rate-limit/counter-store";

export const PASSWORD_FAILURE_LIMIT = 10;
export const PASSWORD_FAILURE_WINDOW_MS = 15 * 60 * 1000;

/** The counter of wrong passwords for one account. */
export function failedPasswordKey(email: unknown): string | null {
  if (typeof email !== "string" || !email) return null;
  // Hashed: the counter store never holds the address itself.
  return `sign-in-failures:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`;
}

export type PasswordOutcome = AttemptOutcome;
export type PasswordAttempt = Attempt;

export const tooManyWrongPasswordsMessage = (retryAfterSeconds: number) =>
  `Too many wrong passwords. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`;

export function passwordAttempts(counters: CounterStore) {
  /** Reserves one failure for `email`'s account before its password is checked; settle it once the check is done. */
  function begin(email: unknown): Promise<PasswordAttempt> {
    return beginAttempt(counters, failedPasswordKey(email), {
      limit: PASSWORD_FAILURE_LIMIT,
      windowMs: PASSWORD_FAILURE_WINDOW_MS,
    });
  }

  /** One whole attempt, for a check made in one place: `throttled` when the account is over its limit (nothing checked). */
  async function check(
    email: unknown,
    isRight: () => Promise<boolean>,
  ): Promise<{ right: boolean } | { throttled: Count }> {
    const attempt = await begin(email);
    if (!attempt.allowed) return { throttled: attempt.count };
    let outcome: PasswordOutcome = "unchecked";
    try {
      outcome = (await isRight()) ? "right" : "wrong";
    } finally {
      await attempt.settle(outcome);
    }
    return { right: outcome === "right" };
  }

  return { begin, check };
}

/**
 * The signed-in user's own password entered again outside Better Auth's endpoints (account deletion), counted against
 * the same per-account limit as sign-in, so it is no side door for guessing. Throws PasswordHashingBusy (not counted)
 * when the hashing queue is full.
 */
export function checkOwnPassword(
  db: Pick<Database, "account">,
  counters: CounterStore,
  user: { id: string; email: string },
  password: string,
): Promise<{ right: boolean } | { throttled: Count }> {
  return passwordAttempts(counters).check(user.email, async () => {
    const credential = await db.account.findFirst({
      where: { userId: user.id, providerId: "credential" },
      select: { password: true },
    });
    return credential?.password ? verifyPassword({ hash: credential.password, password }) : false;
  });
}
