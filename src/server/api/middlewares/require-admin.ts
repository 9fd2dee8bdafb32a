// An administrator, checked against the database on every call: a role in a token or a cache is not trusted.
import { TRPCError } from "@trpc/server";
import { middleware } from "@/server/api/trpc";
import { ADMIN_ONLY_MESSAGE, isUsableAdmin } from "@/server/services/user-administration";

export const requireAdmin = middleware(async ({ ctx, next }) => {
  if (!ctx.session || !(await isUsableAdmin(ctx.db, ctx.session.user.id))) {
    throw new TRPCError({ code: "FORBIDDEN", message: ADMIN_ONLY_MESSAGE });
  }
  return next();
});
