// An administrator, checked against the database on every call (a role in a token or a cache is not trusted): the
// session still stands and its user has the role admin and no ban in force. With REQUIRE_ADMIN_MFA the session must
// have been made with a second factor; a mutation also needs a fresh session (signed in within 10 minutes).
import { TRPCError } from "@trpc/server";
import { env } from "@/env";
import { FRESH_SESSION_REQUIRED, SECOND_FACTOR_REQUIRED } from "@/lib/auth-requirements";
import { isFreshSession, requirementNotMet, sessionStanding } from "@/server/api/middlewares/auth-requirement";
import { middleware } from "@/server/api/trpc";
import { ADMIN_ONLY_MESSAGE, isUsableAdminUser } from "@/server/services/user-administration";

export const requireAdmin = middleware(async ({ ctx, type, next }) => {
  const standing = ctx.session && (await sessionStanding(ctx.db, ctx.session.session.id));
  if (!standing || !isUsableAdminUser(standing.user)) {
    throw new TRPCError({ code: "FORBIDDEN", message: ADMIN_ONLY_MESSAGE });
  }
  if (env.REQUIRE_ADMIN_MFA && !standing.secondFactor) throw requirementNotMet(SECOND_FACTOR_REQUIRED);
  if (type === "mutation" && !isFreshSession(standing)) throw requirementNotMet(FRESH_SESSION_REQUIRED);
  return next();
});
