// Better Auth plugin: the GET endpoints that spend a mailed token (a sign-in link, a change of address) answer only
// our own pages and clients that are no browser page. Our pages call them from a button press; a page on another
// site could otherwise make a visitor's browser spend a token its author holds: sign the visitor in to the author's
// account (login CSRF) and let them type their data into it.
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { MAGIC_LINK_VERIFY_PATH } from "@/server/auth/magic-link";
import { isSameSiteRequest } from "@/server/http/origin";

const TOKEN_SPENDING_PATHS: ReadonlySet<string> = new Set([MAGIC_LINK_VERIFY_PATH, "/verify-email"]);

export function sameSiteLinks(): BetterAuthPlugin {
  return {
    id: "same-site-links",
    hooks: {
      before: [
        {
          matcher: (ctx) => TOKEN_SPENDING_PATHS.has(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            if (ctx.headers && !isSameSiteRequest(ctx.headers)) {
              throw new APIError("FORBIDDEN", {
                code: "CROSS_SITE_REQUEST",
                message: "Open the link from your mail: it cannot be used from another site.",
              });
            }
          }),
        },
      ],
    },
  };
}
