// A sensitive action (deleting the account): the session must have been signed in to within the last 10 minutes,
// as the database says, or FORBIDDEN with the reason FRESH_SESSION_REQUIRED.
import { TRPCError } from "@trpc/server";
import { FRESH_SESSION_REQUIRED } from "@/lib/auth-requirements";
import { isFreshSession, requirementNotMet, sessionStanding } from "@/server/api/middlewares/auth-requirement";
import { middleware } from "@/server/api/trpc";

export const requireFreshSession = middleware(async ({ ctx, next }) => {
  const standing = ctx.session && (await sessionStanding(ctx.db, ctx.session.session.id));
  if (!standing) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  if (!isFreshSession(standing)) throw requirementNotMet(FRESH_SESSION_REQUIRED);
  return next();
});
