// Better Auth plugins for clients without cookies: `jwt` mints short-lived access tokens at /api/auth/token and
// publishes their public keys at /api/auth/jwks; `bearer` accepts the session token in `Authorization: Bearer`; the
// revocation plugin puts the access tokens of every deleted session on the deny list (access-token-revocation.ts).
import { bearer, jwt } from "better-auth/plugins";
import { env } from "@/env";
import { ACCESS_TOKEN_LIFETIME_SECONDS, accessTokenRevocation } from "@/server/auth/access-token-revocation";

const MINUTE = 60;
const DAY = 24 * 60 * MINUTE;

/** What every access token is: the signer below and the verifier in access-token.ts both follow it. */
export const ACCESS_TOKEN = {
  algorithm: "EdDSA",
  curve: "Ed25519",
  lifetimeSeconds: ACCESS_TOKEN_LIFETIME_SECONDS,
  issuer: env.BETTER_AUTH_URL,
  audience: env.BETTER_AUTH_URL,
} as const;

/**
 * A signing key expires after the rotation interval (the next token is signed with a new key); its public
 * key stays in the JWKS for the grace period, far longer than any token it signed can live.
 */
export const SIGNING_KEY_ROTATION = { intervalSeconds: 30 * DAY, gracePeriodSeconds: DAY } as const;

export function tokenPlugins() {
  return [
    jwt({
      jwks: {
        keyPairConfig: { alg: ACCESS_TOKEN.algorithm, crv: ACCESS_TOKEN.curve },
        rotationInterval: SIGNING_KEY_ROTATION.intervalSeconds,
        gracePeriod: SIGNING_KEY_ROTATION.gracePeriodSeconds,
        // Private keys stay encrypted with BETTER_AUTH_SECRET in the database (the default, stated here on purpose).
        disablePrivateKeyEncryption: false,
      },
      jwt: {
        issuer: ACCESS_TOKEN.issuer,
        audience: ACCESS_TOKEN.audience,
        expirationTime: `${ACCESS_TOKEN.lifetimeSeconds}s`,
        // Only what a client needs (the default would copy the whole user row); `sid` names the session it came from.
        definePayload: ({ user, session }) => ({
          email: user.email,
          name: user.name,
          role: typeof user.role === "string" ? user.role : "user",
          sid: session.id,
        }),
      },
      // Without this, every session lookup (each tRPC request) would sign a JWT nobody asked for.
      disableSettingJwtHeader: true,
    }),
    // Only the signed token from `set-auth-token` is accepted, as for the cookie.
    bearer({ requireSignature: true }),
    // A deleted session's access tokens are refused within a second on every instance.
    accessTokenRevocation(),
  ] as const;
}
