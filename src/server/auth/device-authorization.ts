// Device authorization (RFC 8628) for the command line, with Better Auth's deviceAuthorization plugin, and the rules this
// app holds it to (docs/decisions/031-device-authorization.md):
// - only the CLI's client id may ask for a code; a code lives 10 minutes, is polled at most every 5 s (faster gets
//   `slow_down`), and gives one session once approved (the plugin consumes it atomically);
// - a code is bound to whoever opens it signed in, never to a user the client names (`user_id` is refused), and only
//   that person can approve or deny it; approving needs a fresh session (fresh-session.ts), denying does not;
// - the session it gives the CLI is a sign-in by the approving person, who passed every factor their account has in
//   the browser: it does not stop at the second-factor step (second-factor.ts), and is audited with method "device";
// - the session token handed to the CLI is signed as the bearer plugin requires (`token.signature`), like the
//   `set-auth-token` of a password sign-in;
// - approvals and denials are audited with the client id.
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { makeSignature } from "better-auth/crypto";
import { deviceAuthorization } from "better-auth/plugins";
import { CLI_CLIENT_ID, DEVICE_PAGE } from "@/lib/device-authorization";
import { recordAuthEvent } from "@/server/audit";
import { signedInSession } from "@/server/auth/request-user";
import type { Database } from "@/server/db";

export const DEVICE_CODE_PATH = "/device/code";
export const DEVICE_TOKEN_PATH = "/device/token";
export const DEVICE_APPROVE_PATH = "/device/approve";
const DEVICE_DENY_PATH = "/device/deny";
export const DEVICE_CODE_LIFETIME_SECONDS = 10 * 60;
const POLLING_INTERVAL_SECONDS = 5;

/** The plugin's user codes are upper-case letters and digits; a person may type them with a dash or in lower case. */
const normalisedUserCode = (value: unknown) => (typeof value === "string" ? value.replace(/[^a-z0-9]/gi, "") : "");

export function deviceAuthorizationPlugins({ db }: { db: Database }): BetterAuthPlugin[] {
  const rules: BetterAuthPlugin = {
    id: "device-authorization-rules",
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === DEVICE_CODE_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const body = (ctx.body ?? {}) as Record<string, unknown>;
            // A form-encoded body is read by the plugin itself: look at the raw request too.
            const form = ctx.request?.headers.get("content-type")?.includes("application/x-www-form-urlencoded")
              ? new URLSearchParams(await ctx.request.clone().text())
              : null;
            if ((body.user_id ?? "") !== "" || form?.getAll("user_id").some(Boolean)) {
              throw new APIError("BAD_REQUEST", {
                error: "invalid_request",
                error_description: "user_id is not accepted: a code belongs to whoever approves it.",
              });
            }
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => ctx.path === DEVICE_APPROVE_PATH || ctx.path === DEVICE_DENY_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            if (isAPIError(ctx.context.returned)) return;
            const session = await signedInSession(ctx);
            const userCode = normalisedUserCode((ctx.body as { userCode?: unknown } | undefined)?.userCode);
            const code = userCode
              ? await db.deviceCode.findUnique({
                  where: { userCode: userCode.toUpperCase() },
                  select: { clientId: true },
                })
              : null;
            await recordAuthEvent(db, {
              type: ctx.path === DEVICE_APPROVE_PATH ? "device-approved" : "device-denied",
              userId: session?.user.id,
              headers: ctx.headers,
              detail: { clientId: code?.clientId ?? "" },
            });
          }),
        },
        {
          matcher: (ctx) => ctx.path === DEVICE_TOKEN_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const returned = ctx.context.returned as { access_token?: unknown } | undefined;
            if (isAPIError(returned) || typeof returned?.access_token !== "string") return;
            const token = returned.access_token;
            return ctx.json({
              ...returned,
              access_token: `${token}.${await makeSignature(token, ctx.context.secret)}`,
            });
          }),
        },
      ],
    },
  };

  return [
    deviceAuthorization({
      expiresIn: `${DEVICE_CODE_LIFETIME_SECONDS}s`,
      interval: `${POLLING_INTERVAL_SECONDS}s`,
      validateClient: (clientId) => clientId === CLI_CLIENT_ID,
      verificationUri: DEVICE_PAGE,
    }),
    rules,
  ];
}
