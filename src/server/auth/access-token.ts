// Bearer credentials: access tokens (JWTs from /api/auth/token) verified in memory against Better Auth's JWKS, and
// session tokens, told apart here. Public keys are cached; only an unknown key id reloads them.
import { type CryptoKey, decodeProtectedHeader, errors, importJWK, type JWK, type JWTPayload, jwtVerify } from "jose";
import { z } from "zod";
import { auth } from "@/server/auth";
import { ACCESS_TOKEN } from "@/server/auth/token-plugins";

/** The claims this app signs into every access token (see token-plugins.ts). */
const claimsSchema = z.object({
  sub: z.string().min(1),
  sid: z.string().min(1),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  iat: z.number(),
  exp: z.number(),
});
export type AccessTokenClaims = z.infer<typeof claimsSchema>;

/** The session a procedure sees for a JWT: what the token says, read from no database. */
export type AccessTokenSession = {
  user: { id: string; email: string; name: string; role: string };
  session: { id: string; userId: string; expiresAt: Date };
};

export function sessionFromAccessToken(claims: AccessTokenClaims): AccessTokenSession {
  return {
    user: { id: claims.sub, email: claims.email, name: claims.name, role: claims.role },
    session: { id: claims.sid, userId: claims.sub, expiresAt: new Date(claims.exp * 1000) },
  };
}

/** `Authorization: Bearer <token>`: a JWT has three dot-separated parts, a signed session token two. */
export function bearerCredential(headers: Headers): { kind: "jwt" | "session-token"; token: string } | null {
  const match = /^Bearer +(\S+) *$/i.exec(headers.get("authorization") ?? "");
  if (!match?.[1]) return null;
  const token = match[1];
  return { kind: token.split(".").length === 3 ? "jwt" : "session-token", token };
}

/** Header parameters that let a token's author choose the key it is checked with; our signer never sets them. */
const KEY_CHOOSING_HEADERS = ["jku", "jwk", "x5u", "x5c"];

type VerifierOptions = {
  /** A JSON Web Key Set with the public keys currently trusted. */
  loadKeys: () => Promise<{ keys: JWK[] }>;
  algorithm: string;
  issuer: string;
  audience: string;
  /** After a reload that did not find a key id, the next one waits this long, so forged key ids cannot flood the database. */
  reloadIntervalMs?: number;
  /** Keys are reloaded when older than this, so a key removed from the JWKS stops being trusted. */
  maxKeyAgeMs?: number;
  /** How many verified tokens are remembered (a client sends the same token until it expires). */
  cacheSize?: number;
  /** And how much they may take: the characters of the tokens and their claims, about as many bytes. */
  cacheBytes?: number;
  /** How often remembered tokens that have expired are dropped, even if nobody sends them again. */
  sweepIntervalMs?: number;
  now?: () => number;
};

/** A remembered token's share of the memory: the token and its claims (the key id is in the token). */
const rememberedSize = (token: string, claims: AccessTokenClaims) => token.length + JSON.stringify(claims).length;

export function createAccessTokenVerifier({
  loadKeys,
  algorithm,
  issuer,
  audience,
  reloadIntervalMs = 1000,
  maxKeyAgeMs = 60 * 60 * 1000,
  cacheSize = 10_000,
  cacheBytes = 8 * 1024 * 1024,
  sweepIntervalMs = 60_000,
  now = Date.now,
}: VerifierOptions) {
  // The signature check is the costly step; a token already verified is only checked again for expiry and for its
  // key still being trusted. Keyed by the whole token, so a changed byte is a different, unverified token. Bounded
  // by count and by size (oldest first out), and swept of expired tokens.
  const verified = new Map<string, { claims: AccessTokenClaims; kid: string; size: number }>();
  let verifiedBytes = 0;
  let sweptAt = now();
  let keys = new Map<string, CryptoKey | Uint8Array>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let missedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | null = null;

  async function load(): Promise<void> {
    const next = new Map<string, CryptoKey | Uint8Array>();
    for (const jwk of (await loadKeys()).keys) {
      // The allow-list: keys for any other algorithm are never used.
      if (jwk.kid && jwk.alg === algorithm) next.set(jwk.kid, await importJWK(jwk, algorithm));
    }
    keys = next;
    loadedAt = now();
  }

  async function keyFor(kid: string) {
    const unknown = !keys.has(kid);
    if (now() - loadedAt > maxKeyAgeMs || (unknown && now() - missedAt >= reloadIntervalMs)) {
      loading ??= load().finally(() => (loading = null));
      await loading;
      if (unknown && !keys.has(kid)) missedAt = now();
    }
    return keys.get(kid);
  }

  function forget(token: string): void {
    const entry = verified.get(token);
    if (!entry) return;
    verified.delete(token);
    verifiedBytes -= entry.size;
  }

  function remember(token: string, claims: AccessTokenClaims, kid: string): void {
    const nowSeconds = Math.floor(now() / 1000);
    if (now() - sweptAt >= sweepIntervalMs) {
      sweptAt = now();
      for (const [key, entry] of verified) if (entry.claims.exp <= nowSeconds) forget(key);
    }
    const size = rememberedSize(token, claims);
    if (size > cacheBytes) return;
    for (const oldest of verified.keys()) {
      if (verified.size < cacheSize && verifiedBytes + size <= cacheBytes) break;
      forget(oldest);
    }
    verified.set(token, { claims, kid, size });
    verifiedBytes += size;
  }

  /** The token's claims when it is valid for this app, otherwise null. */
  async function verifyAccessToken(token: string): Promise<AccessTokenClaims | null> {
    const known = verified.get(token);
    if (known) {
      if (known.claims.exp > Math.floor(now() / 1000) && (await keyFor(known.kid))) return known.claims;
      forget(token);
      return null;
    }
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return null;
    }
    if (header.alg !== algorithm || !header.kid || KEY_CHOOSING_HEADERS.some((name) => name in header)) return null;
    const key = await keyFor(header.kid);
    if (!key) return null;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: [algorithm],
        issuer,
        audience,
        requiredClaims: ["exp", "iat", "sub"],
        currentDate: new Date(now()),
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return null;
    remember(token, claims.data, header.kid);
    return claims.data;
  }

  /** What is remembered: how many tokens, and their size as counted against `cacheBytes`. */
  const remembered = () => ({ tokens: verified.size, bytes: verifiedBytes });
  return Object.assign(verifyAccessToken, { remembered });
}

/** The app's verifier: keys from Better Auth's JWKS (the same set /api/auth/jwks publishes). */
export const verifyAccessToken = createAccessTokenVerifier({
  loadKeys: () => auth.api.getJwks(),
  algorithm: ACCESS_TOKEN.algorithm,
  issuer: ACCESS_TOKEN.issuer,
  audience: ACCESS_TOKEN.audience,
});
