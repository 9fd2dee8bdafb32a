// Test helpers for bearer credentials: sign in over HTTP for a session token, mint JWTs, call tRPC with them,
// and check tokens with an independent verifier (fast-jwt, not the jose that signs them).
import { createPublicKey } from "node:crypto";
import { createVerifier } from "fast-jwt";
import { expect } from "vitest";
import { ACCESS_TOKEN } from "@/server/auth/token-plugins";
import { authRequest, nextClientIp, trpcRequest } from "@/test/http";

/** Signs in with email and password as a non-browser client: the session token comes in `set-auth-token`. */
export async function signInForSessionToken(user: { email: string; password: string }): Promise<string> {
  const response = await authRequest("/sign-in/email", {
    body: { email: user.email, password: user.password },
    ip: nextClientIp(),
  });
  expect(response.status).toBe(200);
  const token = response.headers.get("set-auth-token");
  if (!token) throw new Error("sign-in returned no set-auth-token header");
  return token;
}

/** GET /api/auth/token with the session token as the bearer credential; the status when refused. */
export async function mintAccessToken(sessionToken: string): Promise<string> {
  const response = await authRequest("/token", {
    headers: { authorization: `Bearer ${sessionToken}` },
    ip: nextClientIp(),
  });
  if (response.status !== 200) throw new Error(`minting a JWT failed with ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

type PublicJwk = { kid: string; kty: string; alg: string; crv?: string; x?: string; [member: string]: unknown };

/** The public keys published at GET /api/auth/jwks. */
export async function publishedKeys(): Promise<PublicJwk[]> {
  const response = await authRequest("/jwks");
  expect(response.status).toBe(200);
  return ((await response.json()) as { keys: PublicJwk[] }).keys;
}

/** The tRPC error code (or "OK") and HTTP status of calling a procedure with `Authorization: Bearer <token>`. */
export async function callWithBearer(
  token: string,
  path: string,
  { input, method = "GET" }: { input?: Record<string, unknown>; method?: "GET" | "POST" } = {},
): Promise<{ status: number; code: string }> {
  const headers = { authorization: `Bearer ${token}` };
  const response =
    method === "POST"
      ? await trpcRequest(path, { headers, body: { json: input } })
      : await trpcRequest(`${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers });
  if (response.ok) return { status: response.status, code: "OK" };
  const body = (await response.json()) as { error: { json: { data: { code: string } } } };
  return { status: response.status, code: body.error.json.data.code };
}

/**
 * Verifies like another service would: fetch the JWKS over HTTP, turn the key named by `kid` into a PEM with
 * node:crypto, and let fast-jwt check signature, algorithm, exp, nbf, iss and aud.
 */
export async function verifyIndependently(token: string): Promise<Record<string, unknown>> {
  const keys = await publishedKeys();
  const verify = createVerifier({
    algorithms: [ACCESS_TOKEN.algorithm],
    allowedIss: ACCESS_TOKEN.issuer,
    allowedAud: ACCESS_TOKEN.audience,
    key: async ({ header }: { header: { kid?: string } }) => {
      const jwk = keys.find((key) => key.kid === header.kid);
      if (!jwk) throw new Error(`no published key ${header.kid}`);
      return createPublicKey({ key: jwk, format: "jwk" }).export({ format: "pem", type: "spki" }).toString();
    },
  });
  return (await verify(token)) as Record<string, unknown>;
}
