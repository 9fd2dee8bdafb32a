// Fresh sessions for sensitive actions: a session counts as fresh within FRESH_SESSION_MAX_AGE_SECONDS of its last
// sign-in (its createdAt) or re-authentication (reauthenticatedAt; Better Auth keeps createdAt as it was). Better Auth's sensitive endpoints listed here are refused (403, FRESH_SESSION_REQUIRED)
// outside that time, as tRPC's requireFreshSession refuses sensitive procedures; POST /reauthenticate makes the
// session fresh again with the password, and with a second-factor code when the account has one (second-factor.ts
// completes it), without a new session: the cookie, the bearer token and the device's place in the session list stay.
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthEndpoint, createAuthMiddleware, sessionMiddleware } from "better-auth/api";
import { z } from "zod";
import { FRESH_SESSION_MAX_AGE_SECONDS, FRESH_SESSION_MESSAGE, FRESH_SESSION_REQUIRED } from "@/lib/auth-requirements";
import { PASSWORD_MAX_LENGTH } from "@/lib/password-limits";
import { recordAuthEvent } from "@/server/audit";
import { DEVICE_APPROVE_PATH } from "@/server/auth/device-authorization";
import { LINK_PROVIDER_PATH, UNLINK_PROVIDER_PATH } from "@/server/auth/identity-providers";
import { PASSKEY_REGISTRATION_PATHS } from "@/server/auth/passkeys";
import { signedInSession } from "@/server/auth/request-user";
import type { Database } from "@/server/db";

/** Better Auth's endpoints that need a fresh session (tRPC's are marked by their middleware). */
export const FRESH_SESSION_ENDPOINTS: ReadonlySet<string> = new Set([
  "/change-password",
  "/change-email",
  "/two-factor/enable",
  "/two-factor/disable",
  "/two-factor/generate-backup-codes",
  ...PASSKEY_REGISTRATION_PATHS,
  LINK_PROVIDER_PATH,
  UNLINK_PROVIDER_PATH,
  // Approving a device code hands a session to another device (device-authorization.ts).
  DEVICE_APPROVE_PATH,
  // Deleting an organization deletes its tasks (organizations.ts).
  "/organization/delete",
]);

/** How long a password re-entered at /reauthenticate waits for its second-factor code. */
const CODE_AFTER_PASSWORD_SECONDS = 5 * 60;

export function isFreshSession(
  session: { createdAt: Date | string; reauthenticatedAt?: Date | string | null },
  now = Date.now(),
): boolean {
  const proven = Math.max(new Date(session.createdAt).getTime(), new Date(session.reauthenticatedAt ?? 0).getTime());
  return now - proven < FRESH_SESSION_MAX_AGE_SECONDS * 1000;
}

const reauthenticationKey = (sessionId: string) => `reauthenticate-${sessionId}`;

type AuthContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0]["context"];

/**
 * After a right second-factor code on a signed-in session: when the password was re-entered for it at
 * /reauthenticate within the last minutes, the session becomes fresh and records the factor. False otherwise.
 */
export async function completeReauthentication(
  context: AuthContext,
  session: { id: string; token: string },
  secondFactor: string,
): Promise<boolean> {
  const pending = await context.internalAdapter.consumeVerificationValue(reauthenticationKey(session.id));
  if (!pending) return false;
  await context.internalAdapter.updateSession(session.token, { reauthenticatedAt: new Date(), secondFactor });
  return true;
}

export function freshSessions(db: Database) {
  return {
    id: "fresh-sessions",
    hooks: {
      before: [
        {
          matcher: (ctx) => FRESH_SESSION_ENDPOINTS.has(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            const signedIn = await signedInSession(ctx);
            // Without a session the endpoint answers 401 itself.
            if (signedIn && !isFreshSession(signedIn.session)) {
              throw new APIError("FORBIDDEN", { code: FRESH_SESSION_REQUIRED, message: FRESH_SESSION_MESSAGE });
            }
          }),
        },
      ],
    },
    endpoints: {
      reauthenticate: createAuthEndpoint(
        "/reauthenticate",
        {
          method: "POST",
          body: z.object({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH) }).strict(),
          use: [sessionMiddleware],
        },
        async (ctx) => {
          const { session, user } = ctx.context.session;
          // Throws INVALID_PASSWORD (counted per account by password-attempts-plugin.ts) when it is wrong.
          await ctx.context.password.checkPassword(user.id, ctx);
          if (user.twoFactorEnabled) {
            await ctx.context.internalAdapter.createVerificationValue({
              identifier: reauthenticationKey(session.id),
              value: user.id,
              expiresAt: new Date(Date.now() + CODE_AFTER_PASSWORD_SECONDS * 1000),
            });
            return ctx.json({ secondFactorRequired: true });
          }
          await ctx.context.internalAdapter.updateSession(session.token, { reauthenticatedAt: new Date() });
          await recordAuthEvent(db, { type: "reauthenticated", userId: user.id, headers: ctx.headers });
          return ctx.json({ secondFactorRequired: false });
        },
      ),
    },
  } satisfies BetterAuthPlugin;
}
