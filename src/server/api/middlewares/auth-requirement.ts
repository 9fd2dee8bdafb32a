// Refusals that ask the caller for something they can give (a fresh sign-in, a second factor): FORBIDDEN with a
// machine-readable reason in `error.data.reason` (error-formatter.ts), which the UI turns into a prompt.
import { TRPCError } from "@trpc/server";
import {
  type AuthRequirement,
  FRESH_SESSION_MESSAGE,
  FRESH_SESSION_REQUIRED,
  SECOND_FACTOR_MESSAGE,
} from "@/lib/auth-requirements";
import { isFreshSession } from "@/server/auth/fresh-session";
import type { Database } from "@/server/db";

export class AuthRequirementError extends Error {
  constructor(readonly reason: AuthRequirement) {
    super(reason);
  }
}

export function requirementNotMet(reason: AuthRequirement): TRPCError {
  const message = reason === FRESH_SESSION_REQUIRED ? FRESH_SESSION_MESSAGE : SECOND_FACTOR_MESSAGE;
  return new TRPCError({ code: "FORBIDDEN", message, cause: new AuthRequirementError(reason) });
}

/**
 * The caller's session as the database has it now (a JWT carries neither when its user last signed in nor how):
 * when it was last signed in to, with which second factor, and its user's role and ban. Null once it is revoked.
 */
export async function sessionStanding(db: Pick<Database, "session">, sessionId: string) {
  return db.session.findFirst({
    where: { id: sessionId, expiresAt: { gt: new Date() } },
    select: {
      createdAt: true,
      reauthenticatedAt: true,
      secondFactor: true,
      user: { select: { role: true, banned: true, banExpires: true } },
    },
  });
}

export { isFreshSession };
