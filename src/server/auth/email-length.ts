// Better Auth plugin: an email address is at most 254 characters (EMAIL_MAX_LENGTH) at every endpoint that
// takes one, refused before anything else is done with it. Better Auth bounds none of them; the browser's forms
// (src/lib/validation/account.ts) are no limit for other clients.
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { EMAIL_MAX_LENGTH } from "@/lib/validation/account";

/** The body fields that carry an address: `email` (sign-up, sign-in, reset, verification) and `newEmail`. */
const EMAIL_FIELDS = ["email", "newEmail"] as const;

export function emailLength(): BetterAuthPlugin {
  return {
    id: "email-length",
    hooks: {
      before: [
        {
          matcher: () => true,
          handler: createAuthMiddleware(async (ctx) => {
            const body: unknown = ctx.body;
            if (typeof body !== "object" || body === null) return;
            for (const field of EMAIL_FIELDS) {
              const value: unknown = Object.hasOwn(body, field) ? (body as Record<string, unknown>)[field] : undefined;
              if (typeof value === "string" && value.length > EMAIL_MAX_LENGTH) {
                // Worded as Better Auth words its validation errors.
                throw new APIError("BAD_REQUEST", {
                  code: "VALIDATION_ERROR",
                  message: `[body.${field}] Email is at most ${EMAIL_MAX_LENGTH} characters`,
                });
              }
            }
          }),
        },
      ],
    },
  };
}
