// The second factor: Better Auth's twoFactor plugin (TOTP from an authenticator app, 10 single-use backup codes, a
// device trusted for 30 days), and the rules this app holds it to (docs/decisions/023-second-factor.md):
// - every code is accepted once, on every instance: it is claimed in the shared counter store before it is checked;
// - at most SECOND_FACTOR_FAILURE_LIMIT wrong codes per account per window, from one address or many, then 429 with
//   Retry-After (failure-budget.ts reserves each failure before the check, so a parallel burst gets no more);
// - every endpoint that makes a session without one (a sign-in, by any first factor) stops at the second-factor step
//   when the account has one: Better Auth's own hook covers the password, `requireSecondFactor` any other;
// - except a passkey's, which is already two factors (passkeys.ts);
// - the session records the second factor it was made with (totp, backup-code, trusted-device, passkey), which admin
//   procedures ask for (REQUIRE_ADMIN_MFA), and a right code completes a re-authentication (fresh-session.ts).
import { createHash } from "node:crypto";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { deleteSessionCookie } from "better-auth/cookies";
import { generateRandomString } from "better-auth/crypto";
import { twoFactor } from "better-auth/plugins/two-factor";
import { type AuthEventType, recordAuthEvent } from "@/server/audit";
import { COMPLETE_SIGN_IN_PATHS, SIGN_IN_METHODS } from "@/server/auth/audit-hooks";
import { beginAttempt, type Attempt } from "@/server/auth/failure-budget";
import { completeReauthentication } from "@/server/auth/fresh-session";
import { signedInSession } from "@/server/auth/request-user";
import type { Database } from "@/server/db";
import { type Mail, messages } from "@/server/email/messages";
import { type CounterStore, retryAfterSeconds } from "@/server/rate-limit/counter-store";

export const SECOND_FACTOR_FAILURE_LIMIT = 5;
export const SECOND_FACTOR_FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const TRUSTED_DEVICE_SECONDS = 30 * 24 * 60 * 60;
/** A TOTP code is accepted in its 30 s step and the steps either side: claimed codes are remembered longer. */
const CODE_CLAIM_MS = 3 * 60 * 1000;
/** How long a sign-in waits at the second-factor step (Better Auth's two_factor cookie and challenge). */
const CHALLENGE_SECONDS = 10 * 60;

/** The endpoints that check a code, and the second factor each proves. */
export const CODE_ENDPOINTS: Readonly<Record<string, SecondFactor>> = {
  "/two-factor/verify-totp": "totp",
  "/two-factor/verify-backup-code": "backup-code",
};
export type SecondFactor = "totp" | "backup-code" | "trusted-device" | "passkey";

/** The plugin's endpoints this app does not offer: codes by mail or SMS (not configured), the secret after enrolment. */
export const secondFactorDisabledPaths = ["/two-factor/get-totp-uri", "/two-factor/send-otp", "/two-factor/verify-otp"];

/** Better Auth's answers to a wrong code, and ours to a code already used. */
const WRONG_CODE: ReadonlySet<unknown> = new Set(["INVALID_CODE", "INVALID_BACKUP_CODE", "CODE_ALREADY_USED"]);

/** Where Better Auth's own hook stops a sign-in at the second factor (and honours a trusted device). */
const PASSWORD_SIGN_IN_PATHS: ReadonlySet<string> = new Set(["/sign-in/email"]);

/** An identity provider's answer (identity-providers.ts): it redirects, so its challenge does too. */
const PROVIDER_CALLBACK_PATH = "/callback/:id";
export const SECOND_FACTOR_PAGE = "/sign-in/second-factor";

/** The first factor a sign-in used, for the audit log. */
const firstFactorOf = (ctx: { path?: string; params?: unknown }): Record<string, string> =>
  ctx.path === PROVIDER_CALLBACK_PATH
    ? { method: "provider", provider: String((ctx.params as { id?: unknown } | undefined)?.id ?? "") }
    : { method: SIGN_IN_METHODS[ctx.path ?? ""] ?? ctx.path ?? "unknown" };
const hashed = (value: string) => createHash("sha256").update(value).digest("hex");
const failuresKey = (userId: string) => `second-factor-failures:${userId}`;
const claimKey = (userId: string, code: string) => `second-factor-code:${userId}:${hashed(code)}`;

type Hooked = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];
type NewSession = NonNullable<Hooked["context"]["newSession"]>;
const hasSecondFactor = (user: object) => (user as { twoFactorEnabled?: unknown }).twoFactorEnabled === true;

/**
 * Forgets every device `userId` trusted to skip the second factor (Better Auth keeps each as a verification value,
 * also in Redis when configured, so they go through its adapter): with their sessions, and when the password changes.
 */
export async function forgetTrustedDevices(
  context: { internalAdapter: { deleteVerificationByIdentifier(identifier: string): Promise<unknown> } },
  db: Database,
  userId: string,
): Promise<void> {
  const trusted = await db.verification.findMany({
    where: { identifier: { startsWith: "trust-device-" }, value: userId },
    select: { identifier: true },
  });
  for (const { identifier } of trusted) await context.internalAdapter.deleteVerificationByIdentifier(identifier);
}

/** Changes that end trusted devices or concern the second factor, and what follows each once it succeeded. */
const AFTER_CHANGE: Readonly<
  Record<
    string,
    {
      forget: boolean;
      event?: AuthEventType;
      mail?: "twoFactorDisabled" | "backupCodesRegenerated" | "passwordChanged";
    }
  >
> = {
  "/change-password": { forget: true, mail: "passwordChanged" },
  "/reset-password": { forget: true, mail: "passwordChanged" },
  "/two-factor/disable": { forget: true, event: "two-factor-disabled", mail: "twoFactorDisabled" },
  "/two-factor/generate-backup-codes": {
    forget: false,
    event: "backup-codes-regenerated",
    mail: "backupCodesRegenerated",
  },
};

export type SecondFactorDependencies = {
  db: Database;
  counters: CounterStore;
  queueMail: (mail: Mail) => Promise<unknown>;
};

export function secondFactorPlugins({ db, counters, queueMail }: SecondFactorDependencies): BetterAuthPlugin[] {
  const audit = (type: AuthEventType, userId: string, ctx: Hooked, detail?: Record<string, string>) =>
    recordAuthEvent(db, { type, userId, headers: ctx.headers, detail });

  // A code check in flight, from its before hook to its after hook (keyed by the request's own context).
  type Check = { attempt: Attempt & { allowed: true }; claim: string; userId: string; signedIn: boolean };
  const checks = new WeakMap<object, Check>();
  // The account of a first factor that made a session, noted before Better Auth's hook may turn it into a challenge.
  const firstFactors = new WeakMap<object, NewSession>();
  // Whose password a reset link sets, read before the endpoint spends the link.
  const resets = new WeakMap<object, string>();

  /** The account a code is for: the signed-in user's, or the one a sign-in's challenge (two_factor cookie) names. */
  async function codeAccount(ctx: Hooked): Promise<{ userId: string; signedIn: boolean } | null> {
    const signedIn = await signedInSession(ctx);
    if (signedIn) return { userId: signedIn.user.id, signedIn: true };
    const cookie = ctx.context.createAuthCookie("two_factor");
    const identifier = await ctx.getSignedCookie(cookie.name, ctx.context.secret);
    if (!identifier) return null;
    const challenge = await ctx.context.internalAdapter.findVerificationValue(identifier);
    return challenge && challenge.expiresAt > new Date() ? { userId: challenge.value, signedIn: false } : null;
  }

  /** Stops a sign-in by any other first factor as Better Auth's hook stops a password sign-in. */
  async function challenge(ctx: Hooked, made: NewSession) {
    deleteSessionCookie(ctx, true);
    await ctx.context.internalAdapter.deleteSession(made.session.token);
    ctx.context.setNewSession(null);
    const identifier = `2fa-${generateRandomString(20)}`;
    const expiresAt = new Date(Date.now() + CHALLENGE_SECONDS * 1000);
    await ctx.context.internalAdapter.createVerificationValue({ value: made.user.id, identifier, expiresAt });
    await ctx.context.internalAdapter.createVerificationValue({
      value: "0",
      identifier: `2fa-attempts-${identifier}`,
      expiresAt,
    });
    const cookie = ctx.context.createAuthCookie("two_factor", { maxAge: CHALLENGE_SECONDS });
    await ctx.setSignedCookie(cookie.name, identifier, ctx.context.secret, cookie.attributes);
    // A browser sent back by an identity provider goes to the second-factor page; a fetch is told to.
    if (ctx.path === PROVIDER_CALLBACK_PATH) throw ctx.redirect(new URL(SECOND_FACTOR_PAGE, ctx.context.baseURL).href);
    return ctx.json({ twoFactorRedirect: true, twoFactorMethods: ["totp"] });
  }

  const firstStep: BetterAuthPlugin = {
    id: "second-factor-first-step",
    hooks: {
      before: [
        {
          matcher: (ctx) => (ctx.path ?? "") in CODE_ENDPOINTS,
          handler: createAuthMiddleware(async (ctx) => {
            const code: unknown = (ctx.body as { code?: unknown } | undefined)?.code;
            if (typeof code !== "string" || !code.trim()) return; // Better Auth refuses the body
            const account = await codeAccount(ctx);
            if (!account) return; // nothing to check a code against: Better Auth answers 401
            const attempt = await beginAttempt(counters, failuresKey(account.userId), {
              limit: SECOND_FACTOR_FAILURE_LIMIT,
              windowMs: SECOND_FACTOR_FAILURE_WINDOW_MS,
            });
            if (!attempt.allowed) {
              const retryAfter = retryAfterSeconds(attempt.count);
              throw new APIError(
                "TOO_MANY_REQUESTS",
                {
                  code: "TOO_MANY_ATTEMPTS",
                  message: `Too many wrong codes. Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
                },
                { "Retry-After": String(retryAfter) },
              );
            }
            const claim = claimKey(account.userId, code.trim());
            if ((await counters.hit(claim, CODE_CLAIM_MS)).count > 1) {
              // Used before (or being used now): refused unchecked, and counted like a wrong code.
              await counters.release(claim, CODE_CLAIM_MS);
              await attempt.settle("wrong");
              throw new APIError("UNAUTHORIZED", {
                code: "CODE_ALREADY_USED",
                message: "This code has already been used. Wait for the next one in your app.",
              });
            }
            checks.set(ctx.context, { attempt, claim, ...account });
          }),
        },
        {
          matcher: (ctx) => ctx.path === "/reset-password",
          handler: createAuthMiddleware(async (ctx) => {
            const token: unknown = (ctx.body as { token?: unknown } | undefined)?.token;
            if (typeof token !== "string") return;
            const link = await ctx.context.internalAdapter.findVerificationValue(`reset-password:${token}`);
            if (link) resets.set(ctx.context, link.value);
          }),
        },
      ],
      after: [
        {
          // Before Better Auth's hook: which account a first factor signed in, even if the session is then withdrawn.
          matcher: () => true,
          handler: createAuthMiddleware(async (ctx) => {
            const made = ctx.context.newSession;
            // A passkey is already two factors (its session stands, marked by passkeys.ts); a device code was approved
            // by a fully signed-in person.
            const firstFactor =
              !ctx.context.session &&
              !((ctx.path ?? "") in CODE_ENDPOINTS) &&
              !COMPLETE_SIGN_IN_PATHS.has(ctx.path ?? "");
            if (made && firstFactor && hasSecondFactor(made.user)) firstFactors.set(ctx.context, made);
          }),
        },
      ],
    },
  };

  const lastStep: BetterAuthPlugin = {
    id: "second-factor-last-step",
    hooks: {
      after: [
        {
          matcher: (ctx) => (ctx.path ?? "") in CODE_ENDPOINTS,
          handler: createAuthMiddleware(async (ctx) => {
            const check = checks.get(ctx.context);
            if (!check) return;
            checks.delete(ctx.context);
            const returned = ctx.context.returned;
            const method = CODE_ENDPOINTS[ctx.path ?? ""] ?? "totp";
            const outcome = !isAPIError(returned)
              ? "right"
              : WRONG_CODE.has(returned.body?.code)
                ? "wrong"
                : "unchecked";
            await check.attempt.settle(outcome);
            // A code that did not work stays usable (it may be typed again within its step); a right one is spent.
            if (outcome !== "right") await counters.release(check.claim, CODE_CLAIM_MS);
            if (outcome === "wrong") await audit("second-factor-failed", check.userId, ctx, { method });
            if (outcome !== "right") return;
            const made = ctx.context.newSession;
            if (made) {
              // A finished sign-in, or the first code of an enrolment (Better Auth then renews the session).
              await ctx.context.internalAdapter.updateSession(made.session.token, { secondFactor: method });
              if (check.signedIn) {
                await audit("two-factor-enabled", check.userId, ctx);
                await queueMail(messages.twoFactorEnabled(made.user.email, made.user.name));
              } else {
                await audit("sign-in", check.userId, ctx, { secondFactor: method });
              }
              return;
            }
            const current = await signedInSession(ctx);
            if (current && (await completeReauthentication(ctx.context, current.session, method))) {
              await audit("reauthenticated", check.userId, ctx, { secondFactor: method });
            }
          }),
        },
        {
          matcher: (ctx) => (ctx.path ?? "") in AFTER_CHANGE,
          handler: createAuthMiddleware(async (ctx) => {
            const change = AFTER_CHANGE[ctx.path ?? ""];
            const user = ctx.context.session?.user;
            const userId = user?.id ?? resets.get(ctx.context);
            resets.delete(ctx.context);
            if (!change || !userId || isAPIError(ctx.context.returned)) return;
            if (change.forget) await forgetTrustedDevices(ctx.context, db, userId);
            if (change.event) await audit(change.event, userId, ctx);
            // A reset is made signed out: its account is the one the link was for.
            const owner =
              user ?? (await db.user.findUnique({ where: { id: userId }, select: { email: true, name: true } }));
            if (change.mail && owner) await queueMail(messages[change.mail](owner.email, owner.name));
          }),
        },
        {
          matcher: () => true,
          handler: createAuthMiddleware(async (ctx) => {
            const first = firstFactors.get(ctx.context);
            if (!first) return;
            firstFactors.delete(ctx.context);
            const made = ctx.context.newSession;
            if (!made) {
              await audit("second-factor-required", first.user.id, ctx, firstFactorOf(ctx));
              return;
            }
            if (PASSWORD_SIGN_IN_PATHS.has(ctx.path ?? "")) {
              // Better Auth let the session stand: the device is trusted (its cookie and record checked).
              await ctx.context.internalAdapter.updateSession(made.session.token, { secondFactor: "trusted-device" });
              await audit("sign-in", made.user.id, ctx, { secondFactor: "trusted-device" });
              return;
            }
            await audit("second-factor-required", made.user.id, ctx, firstFactorOf(ctx));
            return challenge(ctx, made);
          }),
        },
      ],
    },
  };

  return [
    firstStep,
    twoFactor({
      issuer: "Taskforge",
      trustDeviceMaxAge: TRUSTED_DEVICE_SECONDS,
      twoFactorCookieMaxAge: CHALLENGE_SECONDS,
      backupCodeOptions: { amount: 10, length: 10, storeBackupCodes: "encrypted" },
      // Wrong codes are counted per account by firstStep (burst-proof, with Retry-After) instead.
      accountLockout: { enabled: false },
    }),
    lastStep,
  ];
}
