// Better Auth plugin: every endpoint that checks a password counts its wrong passwords per account, in the counter
// sign-in uses (password-attempts.ts). The failure is reserved before the endpoint runs and settled after it answers.
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { decodeJwt } from "jose";
import { recordAuthEvent } from "@/server/audit";
import {
  type PasswordAttempt,
  type PasswordOutcome,
  passwordAttempts,
  tooManyWrongPasswordsMessage,
} from "@/server/auth/password-attempts";
import { signedInSession } from "@/server/auth/request-user";
import type { Database } from "@/server/db";
import { type CounterStore, retryAfterSeconds } from "@/server/rate-limit/counter-store";

/** Better Auth's answers to a wrong password (at sign-in, also to an unknown email, which must look the same). */
const WRONG_PASSWORD_CODES: ReadonlySet<unknown> = new Set(["INVALID_EMAIL_OR_PASSWORD", "INVALID_PASSWORD"]);

function outcomeOf(returned: unknown): PasswordOutcome {
  if (!isAPIError(returned)) return "right";
  return WRONG_PASSWORD_CODES.has(returned.body?.code) ? "wrong" : "unchecked";
}

type EndpointContext = Parameters<typeof signedInSession>[0];

type Body = Record<string, unknown>;
/** Whose account a password attempt counts against: its email, known or not (null when there is none). */
type AccountOf = (ctx: EndpointContext, body: Body) => unknown;

const emailInBody: AccountOf = (_, body) => body.email;
const signedInUser: AccountOf = async (ctx) => (await signedInSession(ctx))?.user.email ?? null;
/** The address a confirmation link was made for (the endpoint checks its signature; a forged one is answered unchecked). */
const emailInConfirmationToken: AccountOf = (_, body) => {
  try {
    return typeof body.token === "string" ? decodeJwt(body.token).email : null;
  } catch {
    return null;
  }
};

/**
 * Every Better Auth endpoint that checks a password: the body field carrying it, and whose account it counts against.
 * password-attempts-plugin.test.ts walks Better Auth's endpoints and fails on one that takes a password and is missing here.
 */
export const PASSWORD_CHECKING_ENDPOINTS: Readonly<Record<string, { field: string; account: AccountOf }>> = {
  "/sign-in/email": { field: "password", account: emailInBody },
  "/verify-password": { field: "password", account: signedInUser },
  "/change-password": { field: "currentPassword", account: signedInUser },
  "/confirm-email": { field: "password", account: emailInConfirmationToken },
  "/reauthenticate": { field: "password", account: signedInUser },
  "/two-factor/enable": { field: "password", account: signedInUser },
  "/two-factor/disable": { field: "password", account: signedInUser },
  "/two-factor/generate-backup-codes": { field: "password", account: signedInUser },
  // Switched off here (user.deleteUser is not enabled: 404 before any check); counted should it be switched on.
  "/delete-user": { field: "password", account: signedInUser },
};

const checkedAt = (path: string | undefined) => (path ? PASSWORD_CHECKING_ENDPOINTS[path] : undefined);

export function passwordAttemptsPlugin(db: Database, counters: CounterStore): BetterAuthPlugin {
  const attempts = passwordAttempts(counters);
  // The attempt a request reserved, from its before hook to its after hook (keyed by the request's own context).
  const pending = new WeakMap<object, PasswordAttempt & { allowed: true }>();
  const matcher = (ctx: { path?: string }) => checkedAt(ctx.path) !== undefined;
  return {
    id: "password-attempts",
    hooks: {
      before: [
        {
          matcher,
          handler: createAuthMiddleware(async (ctx) => {
            const endpoint = checkedAt(ctx.path);
            const body: unknown = ctx.body;
            if (!endpoint || typeof body !== "object" || body === null) return;
            const fields = body as Body;
            // No password given, none checked (Better Auth refuses the body, or skips the check when it is optional).
            if (typeof fields[endpoint.field] !== "string") return;
            const email = await endpoint.account(ctx, fields);
            const attempt = await attempts.begin(email);
            if (attempt.allowed) {
              pending.set(ctx.context, attempt);
              return;
            }
            if (ctx.path === "/sign-in/email") {
              await recordAuthEvent(db, {
                type: "sign-in-throttled",
                headers: ctx.headers,
                detail: { failures: attempt.count.count - 1 },
              });
            }
            const retryAfter = retryAfterSeconds(attempt.count);
            throw new APIError(
              "TOO_MANY_REQUESTS",
              { code: "TOO_MANY_ATTEMPTS", message: tooManyWrongPasswordsMessage(retryAfter) },
              { "Retry-After": String(retryAfter) },
            );
          }),
        },
      ],
      after: [
        {
          matcher,
          handler: createAuthMiddleware(async (ctx) => {
            const attempt = pending.get(ctx.context);
            if (!attempt) return;
            pending.delete(ctx.context);
            // A wrong password keeps its reservation; a success clears the count; any other answer (unverified email,
            // banned, invalid body, no session) was no failed guess and gives it back.
            await attempt.settle(outcomeOf(ctx.context.returned));
          }),
        },
      ],
    },
  };
}
