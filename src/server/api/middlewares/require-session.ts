// A valid session, or UNAUTHORIZED; after it, `ctx.session` is set and `ctx.user` is the signed-in user.
import { TRPCError } from "@trpc/server";
import { middleware } from "@/server/api/trpc";

const SIGN_IN_MESSAGE = "Sign in to continue.";

/**
 * A JWT is checked without a database read, so it outlives a deleted account until it expires: a call that then
 * fails inside because its user is gone (a foreign key, a missing row) answers UNAUTHORIZED, like any other caller
 * without an account. The check costs a query only on that failure path.
 */
export const requireSession = middleware(async ({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: SIGN_IN_MESSAGE });
  const userId = ctx.session.user.id;
  const result = await next({ ctx: { session: ctx.session, user: ctx.session.user } });
  if (!result.ok && result.error.code === "INTERNAL_SERVER_ERROR") {
    const account = await ctx.db.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (!account) throw new TRPCError({ code: "UNAUTHORIZED", message: SIGN_IN_MESSAGE, cause: result.error });
  }
  return result;
});
