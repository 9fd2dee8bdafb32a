// Sign-in with identity providers (docs/identity-providers.md, docs/decisions/029-identity-provider-linking.md):
// any OpenID Connect issuer through Better Auth's genericOAuth plugin (discovery, authorization code flow with PKCE,
// `state` bound to this browser, `nonce` checked in the ID token, which must be verifiable against the issuer's
// keys), Google's preset among them (its discovery document); GitHub (OAuth 2.0) through Better Auth's own provider.
// The rules held here:
// - a provider identity joins an existing account only when the provider vouches for the email and the account's
//   email is confirmed (Better Auth's linking with no trusted providers); otherwise the sign-in is refused and the
//   sign-in page says how to link from settings;
// - linking from settings needs a fresh session (fresh-session.ts); unlinking the last way to sign in is refused;
// - provider tokens are not kept: the app never calls a provider's API for the user;
// - sign-ins, links, unlinks and refused links are in the audit log with the provider's id.
import type { BetterAuthOptions, BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { lastLoginMethod } from "better-auth/plugins";
import type { IdentityProviderConfig } from "@/env";
import { LAST_SIGN_IN_COOKIE } from "@/lib/identity-providers";
import { type AuthEventType, recordAuthEvent } from "@/server/audit";
import { LAST_SIGN_IN_METHOD } from "@/server/auth/passkeys";
import { signedInSession } from "@/server/auth/request-user";
import { hasOtherWayToSignIn } from "@/server/auth/sign-in-ways";
import type { Database } from "@/server/db";

/** Where a provider sends the browser back to: register `BETTER_AUTH_URL` + this with the provider. */
export const providerCallbackPath = (id: string) => `/api/auth/callback/${id}`;
/** Better Auth's endpoints: the provider's answer, linking from settings, unlinking. */
export const PROVIDER_CALLBACK_PATH = "/callback/:id";
export const LINK_PROVIDER_PATH = "/link-social";
export const UNLINK_PROVIDER_PATH = "/unlink-account";
/** Better Auth's endpoints that hand out or use a provider's tokens: none are kept, and none is ever answered. */
export const providerTokenPaths = ["/get-access-token", "/refresh-token", "/account-info"];

const LAST_PROVIDER_MESSAGE =
  "This provider is the only way left to sign in to your account. Set a password or add a passkey first.";

/**
 * Better Auth's own GitHub provider for the GitHub preset (Google's is an OpenID Connect issuer, below). Its address
 * is the profile's public email, else the primary one from GitHub's /user/emails API, and is vouched for when that
 * API says it is verified.
 */
export function presetProviders(providers: IdentityProviderConfig[]): BetterAuthOptions["socialProviders"] {
  const github = providers.find((provider) => provider.kind === "github");
  return github ? { github: { clientId: github.clientId, clientSecret: github.clientSecret } } : {};
}

/** The account a provider identity belongs to, read from where Better Auth's callback redirected. */
const errorOf = (location: string | null) => {
  if (!location) return null;
  try {
    return new URL(location, "http://localhost").searchParams.get("error");
  } catch {
    return null;
  }
};

export function identityProviderPlugins({
  db,
  providers,
  requireEmailVerification,
}: {
  db: Database;
  providers: IdentityProviderConfig[];
  /** REQUIRE_EMAIL_VERIFICATION: an account whose email nobody vouched for is not signed in. */
  requireEmailVerification: boolean;
}): BetterAuthPlugin[] {
  const audit = (type: AuthEventType, userId: string | null, headers: Headers | undefined, detail: object) =>
    recordAuthEvent(db, { type, userId, headers, detail: detail as Record<string, string> });
  const issuers = providers.filter((provider) => provider.kind === "oidc");
  // The provider of the account an unlink removes, read before it is gone (keyed by the request's context).
  const unlinking = new WeakMap<object, string>();

  const rules: BetterAuthPlugin = {
    id: "identity-provider-rules",
    init: () => ({
      options: {
        databaseHooks: {
          // Provider tokens are never stored (the app does not call providers' APIs on the user's behalf).
          account: {
            create: {
              async before(account) {
                if (account.providerId === "credential") return;
                return { data: { ...account, accessToken: null, refreshToken: null, idToken: null } };
              },
              async after(account, ctx) {
                if (account.providerId === "credential") return;
                await audit("provider-linked", account.userId, ctx?.headers, { provider: account.providerId });
              },
            },
            update: {
              async before(account) {
                return { data: { ...account, accessToken: null, refreshToken: null, idToken: null } };
              },
            },
          },
        },
      },
    }),
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === UNLINK_PROVIDER_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const id: unknown = (ctx.body as { accountId?: unknown } | undefined)?.accountId;
            const signedIn = await signedInSession(ctx);
            if (typeof id !== "string" || !signedIn) return; // the endpoint refuses it itself
            const userId = signedIn.user.id;
            const account = await db.account.findFirst({ where: { id, userId }, select: { providerId: true } });
            if (!account) return; // someone else's, or gone: the endpoint answers
            if (!(await hasOtherWayToSignIn(db, userId, { accountId: id })))
              throw new APIError("BAD_REQUEST", { code: LAST_SIGN_IN_METHOD, message: LAST_PROVIDER_MESSAGE });
            unlinking.set(ctx.context, account.providerId);
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => ctx.path === PROVIDER_CALLBACK_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const provider = String(ctx.params?.id ?? "");
            const made = ctx.context.newSession;
            if (made) {
              // An account with a second factor: second-factor.ts records the sign-in, or the step it stopped at.
              if ((made.user as { twoFactorEnabled?: unknown }).twoFactorEnabled !== true)
                await audit("sign-in", made.user.id, ctx.headers, { method: "provider", provider });
              return;
            }
            const returned = ctx.context.returned;
            const error = isAPIError(returned) ? errorOf(new Headers(returned.headers).get("location")) : null;
            if (
              error === "account_not_linked" ||
              error === "unable_to_link_account" ||
              error === "email_does_not_match"
            )
              // A link from settings names the signed-in account; a refused sign-in names none.
              await audit("provider-link-refused", (await signedInSession(ctx))?.user.id ?? null, ctx.headers, {
                provider,
                reason: error,
              });
          }),
        },
        {
          matcher: (ctx) => ctx.path === UNLINK_PROVIDER_PATH,
          handler: createAuthMiddleware(async (ctx) => {
            const user = ctx.context.session?.user;
            const provider = unlinking.get(ctx.context);
            unlinking.delete(ctx.context);
            if (!user || !provider || isAPIError(ctx.context.returned)) return;
            await audit("provider-unlinked", user.id, ctx.headers, { provider });
          }),
        },
      ],
    },
  };

  // The sign-in page marks the way this device signed in last (a cookie the page reads; not a secret).
  const lastMethod = lastLoginMethod({ cookieName: LAST_SIGN_IN_COOKIE });
  if (issuers.length === 0) return [rules, lastMethod];
  return [
    lastMethod,
    genericOAuth({
      config: issuers.map((issuer) => ({
        providerId: issuer.id,
        name: issuer.name,
        discoveryUrl: issuer.discoveryUrl,
        // No fallback to unverified ID tokens: the issuer's keys and its id are required.
        requireIdTokenVerification: true,
        clientId: issuer.clientId,
        clientSecret: issuer.clientSecret,
        scopes: issuer.scopes,
        pkce: true,
        requireEmailVerification,
      })),
    }),
    rules,
  ];
}
