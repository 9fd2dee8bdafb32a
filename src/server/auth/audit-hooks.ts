// Better Auth plugin: writes the audit log for account events that pass through /api/auth.
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware, getSessionFromCtx, isAPIError } from "better-auth/api";
import { type AuthEventType, recordAuthEvent } from "@/server/audit";
import { DEVICE_TOKEN_PATH } from "@/server/auth/device-authorization";
import type { Database } from "@/server/db";

/** Events recorded after an endpoint succeeded, for the signed-in user of the request. */
const AFTER_SUCCESS: Record<string, AuthEventType> = {
  "/change-password": "password-changed",
  "/revoke-session": "session-revoked",
  "/revoke-sessions": "session-revoked",
  "/revoke-other-sessions": "session-revoked",
};

/** The passkey sign-in (passkeys.ts): already two factors, so never stopped at the second-factor step. */
export const PASSKEY_SIGN_IN_PATH = "/passkey/verify-authentication";

/** The first factors that sign in, and the method each is recorded as. */
export const SIGN_IN_METHODS: Readonly<Record<string, string>> = {
  "/sign-in/email": "password",
  "/magic-link/verify": "magic-link",
  [PASSKEY_SIGN_IN_PATH]: "passkey",
  [DEVICE_TOKEN_PATH]: "device",
};

/**
 * Sign-ins complete without the second-factor step: a passkey is two factors itself, and a device code was approved by
 * a person signed in in the browser with every factor their account has (device-authorization.ts).
 */
export const COMPLETE_SIGN_IN_PATHS: ReadonlySet<string> = new Set([PASSKEY_SIGN_IN_PATH, DEVICE_TOKEN_PATH]);

export function auditHooks(db: Database): BetterAuthPlugin {
  return {
    id: "audit-hooks",
    hooks: {
      before: [
        {
          // Recorded before the session is deleted, while we still know whose it is.
          matcher: (ctx) => ctx.path === "/sign-out",
          handler: createAuthMiddleware(async (ctx) => {
            const session = await getSessionFromCtx(ctx);
            if (session) await recordAuthEvent(db, { type: "sign-out", userId: session.user.id, headers: ctx.headers });
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => (ctx.path ?? "") in SIGN_IN_METHODS,
          handler: createAuthMiddleware(async (ctx) => {
            const returned = ctx.context.returned;
            const method = SIGN_IN_METHODS[ctx.path ?? ""] ?? "password";
            if (!isAPIError(returned)) {
              // An account with a second factor: second-factor.ts records the sign-in, or the step it stopped at
              // (a complete sign-in does not stop there).
              const user: { id: string; twoFactorEnabled?: unknown } | undefined = ctx.context.newSession?.user;
              if (user && (user.twoFactorEnabled !== true || COMPLETE_SIGN_IN_PATHS.has(ctx.path ?? ""))) {
                await recordAuthEvent(db, {
                  type: "sign-in",
                  userId: user.id,
                  headers: ctx.headers,
                  detail: { method },
                });
              }
              return;
            }
            // A link that did not work names no account.
            if (method !== "password") return;
            const email = String((ctx.body as { email?: unknown } | undefined)?.email ?? "").toLowerCase();
            const user = email ? await db.user.findUnique({ where: { email }, select: { id: true } }) : null;
            await recordAuthEvent(db, {
              type: "sign-in-failed",
              userId: user?.id,
              headers: ctx.headers,
              detail: { reason: String(returned.body?.code ?? returned.status) },
            });
          }),
        },
        {
          matcher: (ctx) => ctx.path === "/request-password-reset",
          handler: createAuthMiddleware(async (ctx) => {
            const email = String((ctx.body as { email?: unknown } | undefined)?.email ?? "").toLowerCase();
            const user = email ? await db.user.findUnique({ where: { email }, select: { id: true } }) : null;
            if (user)
              await recordAuthEvent(db, { type: "password-reset-requested", userId: user.id, headers: ctx.headers });
          }),
        },
        {
          matcher: (ctx) => Boolean(ctx.path && ctx.path in AFTER_SUCCESS),
          handler: createAuthMiddleware(async (ctx) => {
            const type = AFTER_SUCCESS[ctx.path ?? ""];
            const userId = ctx.context.session?.user.id;
            if (!type || !userId || isAPIError(ctx.context.returned)) return;
            await recordAuthEvent(db, { type, userId, headers: ctx.headers });
          }),
        },
      ],
    },
  };
}
