// Better Auth plugin: the zxcvbn strength rule on every path that sets a password, a password change always
// signing out the other sessions and never keeping the current password, and on sign-up and profile updates the name held to the app's rule (Better Auth
// takes any string) and the fields a client may never set (role, ban, verification) dropped.
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { checkPasswordStrengthOffThread, StrengthCheckBusy } from "@/server/auth/password-strength-thread";
import { SAME_PASSWORD_MESSAGE } from "@/lib/validation/new-password";
import { userName } from "@/lib/validation/user";

const PROTECTED_USER_FIELDS = ["role", "banned", "banReason", "banExpires", "emailVerified"] as const;

type Body = Record<string, unknown>;
const text = (value: unknown) => (typeof value === "string" ? value : undefined);

/**
 * The request body when it is a JSON object. Hooks run before Better Auth validates the body, so it may be any JSON
 * value; anything else is left for that validation to refuse.
 */
const bodyOf = (ctx: { body?: unknown }): Body | null =>
  typeof ctx.body === "object" && ctx.body !== null && !Array.isArray(ctx.body) ? (ctx.body as Body) : null;

/**
 * Throws Better Auth's 400 with the reason and suggestions when `password` is too weak for this user, or a 503 with
 * Retry-After when too many checks are already waiting for the worker thread that runs them.
 */
export async function refuseWeakPassword(password: string, context: (string | undefined)[]): Promise<void> {
  const strength = await checkPasswordStrengthOffThread(password, context).catch((error: unknown) => {
    if (!(error instanceof StrengthCheckBusy)) throw error;
    throw new APIError(
      "SERVICE_UNAVAILABLE",
      { code: "TRY_AGAIN_LATER", message: error.message },
      { "Retry-After": String(error.retryAfterSeconds) },
    );
  });
  if (!strength.acceptable) {
    throw new APIError("BAD_REQUEST", {
      code: "PASSWORD_TOO_WEAK",
      message: `Password is too weak: ${strength.warning}`,
      suggestions: strength.suggestions,
    });
  }
}

export function passwordPolicy(): BetterAuthPlugin {
  return {
    id: "password-policy",
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === "/sign-up/email" || ctx.path === "/update-user",
          // In place: a hook's returned context is deep-merged into the request, which cannot remove keys.
          handler: createAuthMiddleware(async (ctx) => {
            const body = bodyOf(ctx);
            for (const field of PROTECTED_USER_FIELDS) delete body?.[field];
            // Sign-up without a name is refused by Better Auth's own validation; a profile update may leave it out.
            if (body?.name === undefined) return;
            const name = userName.safeParse(body.name);
            if (!name.success) {
              // Worded as Better Auth words its validation errors (and src/server/auth/http-handler.ts its own).
              throw new APIError("BAD_REQUEST", {
                code: "VALIDATION_ERROR",
                message: `[body.name] ${name.error.issues.map((issue) => issue.message).join("; ")}`,
              });
            }
            body.name = name.data;
          }),
        },
        {
          matcher: (ctx) => ctx.path === "/change-password",
          handler: createAuthMiddleware(async (ctx) => {
            const body = bodyOf(ctx);
            if (!body) return;
            body.revokeOtherSessions = true;
            // Refused before any hash is computed: the two strings the client sent are compared, nothing stored.
            if (typeof body.newPassword === "string" && body.newPassword === body.currentPassword) {
              throw new APIError("BAD_REQUEST", { code: "PASSWORD_UNCHANGED", message: SAME_PASSWORD_MESSAGE });
            }
          }),
        },
        {
          matcher: (ctx) => ["/sign-up/email", "/reset-password", "/change-password"].includes(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            const body = bodyOf(ctx) ?? {};
            const password = text(body.password) ?? text(body.newPassword);
            if (password === undefined) return;
            let context: (string | undefined)[] = [text(body.name), text(body.email)];
            if (ctx.path === "/change-password") {
              // Without a session Better Auth refuses the change: nothing to check.
              const session = await getSessionFromCtx(ctx);
              if (!session) return;
              context = [session.user.name, session.user.email];
            } else if (ctx.path === "/reset-password") {
              // The token first (from the body or the query, as Better Auth takes it): without a valid one Better Auth
              // refuses the reset, and no strength check is spent on it.
              const token = text(body.token) || text(ctx.query?.token);
              const verification = token
                ? await ctx.context.internalAdapter.findVerificationValue(`reset-password:${token}`)
                : null;
              if (!verification || verification.expiresAt < new Date()) return;
              const user = await ctx.context.internalAdapter.findUserById(verification.value);
              if (!user) return;
              context = [user.name, user.email];
            }
            await refuseWeakPassword(password, context);
          }),
        },
      ],
    },
  };
}
