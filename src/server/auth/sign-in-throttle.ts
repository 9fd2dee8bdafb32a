// Better Auth plugin: failed sign-ins counted per account (by email, known or not), because an IP can be forged.
// After 10 failures in 15 minutes that email answers 429 until the window ends; a successful sign-in clears it.
// Each attempt reserves its failure before the password is checked (one atomic increment), so parallel attempts
// cannot all pass a count read before any of them failed; an attempt that did not fail gives its reservation back.
import { createHash } from "node:crypto";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { recordAuthEvent } from "@/server/audit";
import type { Database } from "@/server/db";
import { type CounterStore, retryAfterSeconds } from "@/server/rate-limit/counter-store";

export const SIGN_IN_FAILURE_LIMIT = 10;
export const SIGN_IN_FAILURE_WINDOW_MS = 15 * 60 * 1000;

/** The counter of wrong passwords for one account: sign-in and every password re-entry share it. */
export function failedPasswordKey(email: unknown): string | null {
  if (typeof email !== "string" || !email) return null;
  // Hashed: the counter store never holds the address itself.
  return `sign-in-failures:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`;
}

const isSignIn = (ctx: { path?: string }) => ctx.path === "/sign-in/email";

export function signInThrottle(db: Database, counters: CounterStore): BetterAuthPlugin {
  return {
    id: "sign-in-throttle",
    hooks: {
      before: [
        {
          matcher: isSignIn,
          handler: createAuthMiddleware(async (ctx) => {
            const key = failedPasswordKey((ctx.body as { email?: unknown } | undefined)?.email);
            if (!key) return;
            const reserved = await counters.hit(key, SIGN_IN_FAILURE_WINDOW_MS);
            if (reserved.count <= SIGN_IN_FAILURE_LIMIT) return;
            // Refused unchecked, so no failure to count: the counter keeps counting failures (and attempts in flight).
            await counters.release(key, SIGN_IN_FAILURE_WINDOW_MS);
            await recordAuthEvent(db, { type: "sign-in-throttled", headers: ctx.headers, detail: { failures: reserved.count - 1 } });
            const retryAfter = retryAfterSeconds(reserved);
            throw new APIError(
              "TOO_MANY_REQUESTS",
              { code: "TOO_MANY_ATTEMPTS", message: `Too many failed sign-ins. Try again in ${Math.ceil(retryAfter / 60)} minutes.` },
              { "Retry-After": String(retryAfter) },
            );
          }),
        },
      ],
      after: [
        {
          matcher: isSignIn,
          handler: createAuthMiddleware(async (ctx) => {
            const key = failedPasswordKey((ctx.body as { email?: unknown } | undefined)?.email);
            if (!key) return;
            const returned = ctx.context.returned;
            // A wrong password keeps its reservation; a success clears the count; any other answer (unverified email,
            // banned, invalid body) was no failed guess and gives it back.
            if (!isAPIError(returned)) await counters.reset(key);
            else if (returned.statusCode !== 401) await counters.release(key, SIGN_IN_FAILURE_WINDOW_MS);
          }),
        },
      ],
    },
  };
}
