// Cross-site request forgery: a mutation authenticated by a cookie must come from one of our origins.
import { TRPCError } from "@trpc/server";
import { middleware } from "@/server/api/trpc";
import { isSameSiteRequest } from "@/server/http/origin";

export const sameSiteMutations = middleware(({ ctx, type, next }) => {
  if (type === "mutation" && ctx.authMethod === "cookie" && !isSameSiteRequest(ctx.headers)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Cross-site requests cannot change anything." });
  }
  return next();
});
