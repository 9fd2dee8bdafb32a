// The Better Auth instance: options grouped by concern; plugins configured in src/server/auth/.
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { type Env, env } from "@/env";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/password-strength";
import { recordAuthEvent } from "@/server/audit";
import { adminPlugin, adminPluginPaths } from "@/server/auth/admin-plugin";
import { answerTimeFloor } from "@/server/auth/answer-time-floor";
import { auditHooks } from "@/server/auth/audit-hooks";
import {
  CONFIRMATION_LINK_LIFETIME_SECONDS,
  confirmationLink,
  emailConfirmation,
  roleForAddress,
} from "@/server/auth/email-confirmation";
import { emailChange, emailChangePage, isEmailChangeToken } from "@/server/auth/email-change";
import {
  DEVICE_APPROVE_PATH,
  DEVICE_CODE_PATH,
  DEVICE_TOKEN_PATH,
  deviceAuthorizationPlugins,
} from "@/server/auth/device-authorization";
import { emailLength } from "@/server/auth/email-length";
import { identityProviderPlugins, presetProviders, providerTokenPaths } from "@/server/auth/identity-providers";
import { newDeviceNotice } from "@/server/auth/new-device-notice";
import { MAGIC_LINK_REQUEST_PATH, MAGIC_LINK_VERIFY_PATH, magicLinkPlugins } from "@/server/auth/magic-link";
import { currentRequestId } from "@/server/auth/endpoint-request-id";
import { betterAuthLogger } from "@/server/auth/logging";
import { openApiPlugin, openApiPluginPaths } from "@/server/auth/openapi";
import { organizationPlugin } from "@/server/auth/organizations";
import { PASSKEY_SIGN_UP_PATH, passkeySignUp } from "@/server/auth/passkey-sign-up";
import { passkeyPlugins } from "@/server/auth/passkeys";
import { passwordPolicy } from "@/server/auth/password-policy";
import { hashPassword, verifyPassword } from "@/server/auth/password-hashing";
import { redisSecondaryStorage } from "@/server/auth/secondary-storage";
import { sessionLifetimeHooks } from "@/server/auth/session-lifetime";
import { signOutReasons } from "@/server/auth/sign-out-reasons";
import { passwordAttemptsPlugin } from "@/server/auth/password-attempts-plugin";
import { FRESH_SESSION_MAX_AGE_SECONDS } from "@/lib/auth-requirements";
import { freshSessions } from "@/server/auth/fresh-session";
import { sameSiteLinks } from "@/server/auth/same-site-links";
import { secondFactorDisabledPaths, secondFactorPlugins } from "@/server/auth/second-factor";
import { tokenPlugins } from "@/server/auth/token-plugins";
import { runInBackground } from "@/server/background-tasks";
import { type Database, db } from "@/server/db";
import { type Mail, messages } from "@/server/email/messages";
import { enqueueMail } from "@/server/email/outbox";
import { CLIENT_IP_HEADER } from "@/server/http/client-ip";
import { trustedOrigins } from "@/server/http/origin";
import type { CounterStore } from "@/server/rate-limit/counter-store";
import { counters, databaseCounters } from "@/server/rate-limit/counters";
import { redis, redisFailover } from "@/server/redis";
import type { RedisFailover } from "@/server/redis/failover";
import type Redis from "ioredis";

const MINUTE = 60;

/** Queues a mail from inside a Better Auth endpoint, naming the request that caused it. */
const queueMail = (mail: Mail) => enqueueMail(mail, { requestId: currentRequestId() });

/** What the auth instance is built from; the app passes its own (below), a test or script may pass others. */
export type AuthDependencies = {
  env: Pick<
    Env,
    | "BETTER_AUTH_URL"
    | "BETTER_AUTH_SECRET"
    | "NODE_ENV"
    | "REQUIRE_EMAIL_VERIFICATION"
    | "SESSION_IDLE_TIMEOUT"
    | "SESSION_UPDATE_AGE"
    | "IDENTITY_PROVIDERS"
  >;
  database: Database;
  /** Sessions and rate limits are kept in Redis when given, with the database standing in while it does not answer. */
  redis: { client: Redis; failover: RedisFailover } | null;
  /** The app's counters (wrong passwords per account), and the database's own for when Redis fails. */
  counters: { shared: CounterStore; database: CounterStore };
};

export function initAuth({ env, database, redis, counters }: AuthDependencies) {
  return betterAuth({
    appName: "Taskforge",
    baseURL: env.BETTER_AUTH_URL,
    secret: env.BETTER_AUTH_SECRET,
    trustedOrigins,
    telemetry: { enabled: false },
    // Administration goes through tRPC's user router; the admin plugin's own endpoints would bypass its rules.
    // Addresses are confirmed by /confirm-email, which asks who chose the password; GET /verify-email would not.
    // The OpenAPI plugin is used for its document only (openapi.ts).
    // GET /verify-email confirms a change of address only (email-change.ts).
    // Provider tokens are not kept (identity-providers.ts): the endpoints that would hand them out are off.
    disabledPaths: [...adminPluginPaths, ...secondFactorDisabledPaths, ...openApiPluginPaths, ...providerTokenPaths],
    // Better Auth's lines go to the app's log (LOG_LEVEL) with the request id. Unexpected errors are thrown on
    // to our HTTP handler, which logs them with the id and answers a JSON 500 carrying it; refusals
    // (APIErrors: 4xx, redirects) are still answered by Better Auth.
    logger: betterAuthLogger(),
    // An identity provider's refusal, or a callback that does not match its sign-in, ends on the sign-in page.
    onAPIError: { throw: true, errorURL: `${env.BETTER_AUTH_URL}/sign-in` },
    database: prismaAdapter(database, { provider: "postgresql", transaction: true }),

    // Email and password: argon2id, 8–128 characters, strength checked by the password-policy plugin.
    // autoSignIn off makes a sign-up with a taken email look exactly like a new one (the owner gets a mail).
    emailAndPassword: {
      enabled: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      password: { hash: hashPassword, verify: verifyPassword },
      requireEmailVerification: env.REQUIRE_EMAIL_VERIFICATION,
      autoSignIn: false,
      resetPasswordTokenExpiresIn: 60 * MINUTE,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: ({ user, url }) => queueMail(messages.resetPassword(user.email, user.name, url)),
      onPasswordReset: ({ user }, request) =>
        recordAuthEvent(database, { type: "password-reset", userId: user.id, headers: request?.headers }),
      onExistingUserSignUp: async ({ user }, request) => {
        await recordAuthEvent(database, { type: "sign-up-existing-email", userId: user.id, headers: request?.headers });
        // A sign-up never confirmed may be someone else's: the owner gets the confirmation link, where they may
        // replace the password it was made with.
        if (!user.emailVerified) {
          await queueMail(messages.verifyEmail(user.email, user.name, await confirmationLink(user)));
          return;
        }
        await queueMail(
          messages.existingAccount(
            user.email,
            user.name,
            `${env.BETTER_AUTH_URL}/sign-in`,
            `${env.BETTER_AUTH_URL}/forgot-password`,
          ),
        );
      },
      // The fake user returned for a taken email carries the admin plugin's fields like a real one.
      customSyntheticUser: ({ coreFields, additionalFields, id }) => ({
        ...coreFields,
        role: "user",
        banned: false,
        banReason: null,
        banExpires: null,
        ...additionalFields,
        id,
      }),
    },
    emailVerification: {
      sendOnSignUp: true,
      sendOnSignIn: true,
      autoSignInAfterVerification: true,
      expiresIn: CONFIRMATION_LINK_LIFETIME_SECONDS,
      // Better Auth waits for this one itself (resending it): it is queued after the answer like every other mail.
      // A change of address (email-change.ts) comes here too, with the new address as the user's.
      sendVerificationEmail: async ({ user, token }) =>
        runInBackground(
          isEmailChangeToken(token)
            ? queueMail(messages.confirmNewEmail(user.email, user.name, emailChangePage(env.BETTER_AUTH_URL, token)))
            : confirmationLink(user).then((link) => queueMail(messages.verifyEmail(user.email, user.name, link))),
        ),
      afterEmailVerification: (user, request) =>
        recordAuthEvent(database, { type: "email-verified", userId: user.id, headers: request?.headers }),
    },

    // Sessions live in the database (and in Redis when configured) and are looked up on every request (no cookie
    // cache), so a revoked session is refused at once; while Redis does not answer, the database copy does. Idle
    // timeout slides once per SESSION_UPDATE_AGE; the absolute cap is a hook.
    session: {
      expiresIn: env.SESSION_IDLE_TIMEOUT,
      updateAge: env.SESSION_UPDATE_AGE,
      cookieCache: { enabled: false },
      storeSessionInDatabase: true,
      // Better Auth's own fresh-session checks (unlinking an account) use the same 10 minutes as ours (fresh-session.ts).
      freshAge: FRESH_SESSION_MAX_AGE_SECONDS,
      // The second factor the session was made with (second-factor.ts), which admin procedures ask for.
      // And when it was last re-authenticated (fresh-session.ts).
      additionalFields: {
        secondFactor: { type: "string", required: false, input: false },
        reauthenticatedAt: { type: "date", required: false, input: false },
      },
    },
    // Identity providers (identity-providers.ts): an identity joins an existing account only when the provider vouches
    // for the email and the account's own is confirmed; no provider is trusted more.
    socialProviders: presetProviders(env.IDENTITY_PROVIDERS),
    // Unlinking the last way to sign in (passkeys count) is refused by identity-providers.ts.
    account: {
      accountLinking: { enabled: true, trustedProviders: [], requireLocalEmailVerified: true, allowUnlinkingAll: true },
    },
    // A new address takes effect once confirmed from it (email-change.ts).
    user: { changeEmail: { enabled: true } },
    secondaryStorage: redis ? redisSecondaryStorage(redis.client, redis.failover, counters.database) : undefined,
    // Verification values (reset links) in the database too, so they keep working while Redis does not answer.
    verification: { storeInDatabase: true },
    databaseHooks: {
      session: sessionLifetimeHooks,
      user: {
        create: {
          // ADMIN_EMAILS become admins once their address is confirmed (src/server/auth/email-confirmation.ts).
          async before(user) {
            return { data: { ...user, role: roleForAddress(user.email, user.emailVerified === true) } };
          },
          async after(user, ctx) {
            await recordAuthEvent(database, { type: "sign-up", userId: user.id, headers: ctx?.headers });
          },
        },
      },
    },

    // Rate limits hold in every environment, in shared storage (Redis, or the database) so they survive
    // restarts and count across instances. Windows are in seconds.
    rateLimit: {
      enabled: true,
      storage: redis ? "secondary-storage" : "database",
      window: MINUTE,
      max: 100,
      customRules: {
        "/sign-in/email": { window: 5 * MINUTE, max: 10 },
        "/sign-up/email": { window: 10 * MINUTE, max: 5 },
        [PASSKEY_SIGN_UP_PATH]: { window: 10 * MINUTE, max: 5 },
        "/request-password-reset": { window: 15 * MINUTE, max: 3 },
        [MAGIC_LINK_REQUEST_PATH]: { window: 15 * MINUTE, max: 3 },
        [MAGIC_LINK_VERIFY_PATH]: { window: 15 * MINUTE, max: 10 },
        "/reset-password": { window: 15 * MINUTE, max: 5 },
        "/send-verification-email": { window: 15 * MINUTE, max: 3 },
        "/change-password": { window: 15 * MINUTE, max: 5 },
        "/change-email": { window: 15 * MINUTE, max: 5 },
        "/confirm-email": { window: 15 * MINUTE, max: 10 },
        "/reauthenticate": { window: 15 * MINUTE, max: 10 },
        // Codes are also counted per account, whatever the address (second-factor.ts).
        "/two-factor/*": { window: MINUTE, max: 10 },
        // Device sign-in (device-authorization.ts): asking for codes, polling (every 5 s), and user codes typed in
        // the browser (a wrong one is answered 400; guessing one of 32^8 within its 10 minutes is out of reach).
        [DEVICE_CODE_PATH]: { window: 10 * MINUTE, max: 10 },
        [DEVICE_TOKEN_PATH]: { window: MINUTE, max: 20 },
        "/device": { window: 10 * MINUTE, max: 10 },
        [DEVICE_APPROVE_PATH]: { window: 15 * MINUTE, max: 10 },
        "/device/deny": { window: 15 * MINUTE, max: 10 },
      },
    },

    advanced: {
      // Cookies: httpOnly and SameSite=Lax always; Secure with the __Secure- prefix in production.
      useSecureCookies: env.NODE_ENV === "production",
      // Better Auth skips its Origin/CSRF check when NODE_ENV is "test"; tests must see what production does.
      disableOriginCheck: false,
      // The session and its user in one joined query: one round trip per cookie lookup.
      database: { joins: true },
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      // Mail is queued after the answer (and sent by the outbox worker), so no answer's time says whether an account
      // exists.
      backgroundTasks: { handler: runInBackground },
      // The route handler derives this header from X-Forwarded-For within TRUSTED_PROXY_HOPS.
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },

    plugins: [
      emailLength(),
      adminPlugin,
      passwordPolicy(),
      emailConfirmation(),
      passwordAttemptsPlugin(database, counters.shared),
      answerTimeFloor(),
      sameSiteLinks(),
      emailChange({ db: database, queueMail }),
      ...magicLinkPlugins({ db: database, baseUrl: env.BETTER_AUTH_URL, queueMail }),
      ...secondFactorPlugins({ db: database, counters: counters.shared, queueMail }),
      ...passkeyPlugins({ db: database, baseUrl: env.BETTER_AUTH_URL, queueMail }),
      passkeySignUp({ queueMail }),
      ...identityProviderPlugins({
        db: database,
        providers: env.IDENTITY_PROVIDERS,
        requireEmailVerification: env.REQUIRE_EMAIL_VERIFICATION,
      }),
      freshSessions(database),
      // A session's cookie lives as long as its idle timeout at most.
      signOutReasons({ db: database, cookieLifetimeSeconds: env.SESSION_IDLE_TIMEOUT }),
      auditHooks(database),
      // After every hook that records a sign-in.
      newDeviceNotice({ db: database, queueMail }),
      ...tokenPlugins(),
      organizationPlugin({ db: database, baseUrl: env.BETTER_AUTH_URL, queueMail }),
      ...deviceAuthorizationPlugins({ db: database }),
      openApiPlugin,
    ],
  });
}

export type Auth = ReturnType<typeof initAuth>;
export type AuthSession = NonNullable<Awaited<ReturnType<Auth["api"]["getSession"]>>>;

const globalForAuth = globalThis as unknown as { taskforgeAuth?: Auth };
export const auth: Auth = (globalForAuth.taskforgeAuth ??= initAuth({
  env,
  database: db,
  redis: redis && redisFailover ? { client: redis, failover: redisFailover } : null,
  counters: { shared: counters, database: databaseCounters },
}));
