// Tokens for other clients: JWTs from /api/auth/token, the JWKS, and bearer credentials in the tRPC context.
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { symmetricDecrypt } from "better-auth/crypto";
import { beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { createTRPCContext } from "@/server/api/context";
import { auth } from "@/server/auth";
import { createAccessTokenVerifier } from "@/server/auth/access-token";
import { ACCESS_TOKEN } from "@/server/auth/token-plugins";
import { db } from "@/server/db";
import { createUser, signIn } from "@/test/fixtures";
import { authRequest } from "@/test/http";
import {
  callWithBearer,
  mintAccessToken,
  publishedKeys,
  signInForSessionToken,
  verifyIndependently,
} from "@/test/fixtures/tokens";

type Json = Record<string, unknown>;

const encode = (value: Json) => Buffer.from(JSON.stringify(value)).toString("base64url");
const decode = (part: string | undefined) => JSON.parse(Buffer.from(part ?? "", "base64url").toString()) as Json;

function decodeToken(token: string) {
  const [header, payload] = token.split(".");
  return { header: decode(header), payload: decode(payload) };
}

/** A JWT signed with node:crypto: what an attacker holding their own key (or none) can produce. */
function forge(header: Json, payload: Json, signWith: (input: Buffer) => Buffer = () => Buffer.alloc(0)): string {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${signWith(Buffer.from(input)).toString("base64url")}`;
}

const attackerKey = generateKeyPairSync("ed25519");
const signedByAttacker = (input: Buffer) => sign(null, input, attackerKey.privateKey);
const attackerJwk = attackerKey.publicKey.export({ format: "jwk" });

/** Signed with the app's real key through Better Auth's own signer, to test the claim checks one at a time. */
async function signWithAppKey(payload: Json): Promise<string> {
  return (await auth.api.signJWT({ body: { payload } })).token;
}

/** The app's current private key, decrypted with the secret as the signer does it. */
async function appPrivateKey(): Promise<Json> {
  const [row] = await db.jwks.findMany({ orderBy: { createdAt: "desc" }, take: 1 });
  if (!row) throw new Error("no signing key yet");
  const data = JSON.parse(row.privateKey) as string;
  return JSON.parse(await symmetricDecrypt({ key: (await auth.$context).secretConfig, data })) as Json;
}

/** Signed with the app's real key by node:crypto, with any header: only the header or claims are wrong. */
async function signWithDecryptedAppKey(header: Json, payload: Json): Promise<string> {
  const key = createPrivateKey({ key: { ...(await appPrivateKey()), kty: "OKP" }, format: "jwk" });
  return forge(header, payload, (input) => sign(null, input, key));
}

async function signedInUser(options: { role?: "user" | "admin" } = {}) {
  const user = await createUser(options);
  const sessionToken = await signInForSessionToken(user);
  return { user, sessionToken, jwt: await mintAccessToken(sessionToken) };
}

const now = () => Math.floor(Date.now() / 1000);

describe("GET /api/auth/token", () => {
  it("mints a JWT for the session token returned by sign-in (the bearer plugin)", async () => {
    const { user, jwt } = await signedInUser();
    expect(decodeToken(jwt).payload.sub).toBe(user.id);
  });

  it("mints a JWT for a browser's session cookie too", async () => {
    const user = await createUser();
    const { headers } = await signIn(user);
    const response = await authRequest("/token", { headers: { cookie: headers.get("cookie") ?? "" } });
    expect(response.status).toBe(200);
    expect(await verifyIndependently(((await response.json()) as { token: string }).token)).toMatchObject({
      sub: user.id,
    });
  });

  it("signs sub, email, name, role, iat, exp, iss and aud with EdDSA for at most 15 minutes, checked by fast-jwt", async () => {
    const { user, jwt } = await signedInUser();
    const { header, payload } = decodeToken(jwt);
    expect(header).toMatchObject({ alg: "EdDSA", kid: expect.any(String) });
    const claims = await verifyIndependently(jwt);
    expect(claims).toMatchObject({
      sub: user.id,
      email: user.email,
      name: user.name,
      role: "user",
      iss: ACCESS_TOKEN.issuer,
      aud: ACCESS_TOKEN.audience,
    });
    const lifetime = Number(claims.exp) - Number(claims.iat);
    expect(lifetime).toBe(ACCESS_TOKEN.lifetimeSeconds);
    expect(lifetime).toBeLessThanOrEqual(15 * 60);
    // Nothing else from the user row (ban reason, verification state…) leaks into the token.
    expect(Object.keys(payload).sort()).toEqual(["aud", "email", "exp", "iat", "iss", "name", "role", "sid", "sub"]);
  });

  it("is refused without a session, and for an unsigned session token", async () => {
    expect((await authRequest("/token")).status).toBe(401);
    const { token } = await signIn(await createUser()); // the raw token, without its signature
    expect((await authRequest("/token", { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});

describe("GET /api/auth/jwks", () => {
  it("publishes public Ed25519 keys only", async () => {
    await signedInUser();
    const keys = await publishedKeys();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", kid: expect.any(String) });
      for (const privatePart of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(key).not.toHaveProperty(privatePart);
    }
  });

  it("keeps private keys in the database encrypted with BETTER_AUTH_SECRET", async () => {
    await signedInUser();
    const ctx = await auth.$context;
    for (const row of await db.jwks.findMany()) {
      const stored = JSON.parse(row.privateKey) as unknown;
      expect(typeof stored).toBe("string"); // ciphertext, not a JWK object
      const privateJwk = JSON.parse(await symmetricDecrypt({ key: ctx.secretConfig, data: stored as string })) as Json;
      expect(typeof privateJwk.d).toBe("string");
      expect(row.privateKey).not.toContain(privateJwk.d as string);
      // The decrypted private key belongs to the published public key.
      const derived = createPublicKey({ key: privateJwk, format: "jwk" }).export({ format: "jwk" });
      expect(derived.x).toBe((JSON.parse(row.publicKey) as Json).x);
    }
  });
});

describe("tRPC with Authorization: Bearer <JWT>", () => {
  it("serves procedures as the token's user, from the claims alone", async () => {
    const { user, jwt } = await signedInUser();
    expect(await callWithBearer(jwt, "task.create", { input: { title: "from a JWT" }, method: "POST" })).toEqual({
      status: 200,
      code: "OK",
    });
    expect(await db.task.count({ where: { userId: user.id, title: "from a JWT" } })).toBe(1);

    const ctx = await createTRPCContext({ headers: new Headers({ authorization: `Bearer ${jwt}` }) });
    expect(ctx.authMethod).toBe("jwt");
    expect(ctx.session?.user).toEqual({ id: user.id, email: user.email, name: user.name, role: "user" });
  });

  it("reads neither the session nor the user from the database", async () => {
    const { user, jwt } = await signedInUser();
    // The key is cached from here on, and the deny list has answered for this session.
    await createTRPCContext({ headers: new Headers({ authorization: `Bearer ${jwt}` }) });
    await db.user.delete({ where: { id: user.id } }); // the user and their sessions are gone, behind the app's back
    onTestFinished(() => {
      vi.restoreAllMocks();
    });
    const getSession = vi.spyOn(auth.api, "getSession");
    const getJwks = vi.spyOn(auth.api, "getJwks");
    const ctx = await createTRPCContext({ headers: new Headers({ authorization: `Bearer ${jwt}` }) });
    expect(ctx.session?.user.id).toBe(user.id);
    expect(getSession).not.toHaveBeenCalled();
    expect(getJwks).not.toHaveBeenCalled();
  });

  it("wins over a cookie sent alongside: an invalid bearer token is not rescued by the cookie", async () => {
    const { headers } = await signIn(await createUser());
    headers.set("authorization", "Bearer not.a.jwt");
    const ctx = await createTRPCContext({ headers });
    expect(ctx.session).toBeNull();
    expect(ctx.authMethod).toBeNull();
  });

  describe("refuses forged and invalid tokens with UNAUTHORIZED", () => {
    type Fixture = { jwt: string; header: Json; payload: Json; claims: Json; publicKey: Json; otherJwt: string };
    let f: Fixture;

    beforeAll(async () => {
      const { jwt } = await signedInUser();
      const { header, payload } = decodeToken(jwt);
      const publicKey = (await publishedKeys()).find((key) => key.kid === header.kid) ?? {};
      const otherJwt = (await signedInUser()).jwt;
      f = { jwt, header, payload, claims: { ...payload, iat: now(), exp: now() + 300 }, publicKey, otherJwt };
    });

    const signature = (token: string) => token.split(".")[2];
    const publicPem = () =>
      createPublicKey({ key: { ...f.publicKey, kty: "OKP" }, format: "jwk" }).export({ format: "pem", type: "spki" });
    const hmacWith = (secret: string | Buffer) => (input: Buffer) =>
      createHmac("sha256", secret).update(input).digest();
    const kid = () => String(f.header.kid);

    const cases: Array<[string, () => Promise<string> | string]> = [
      [
        "tampered payload (role raised to admin, signature kept)",
        () => `${encode(f.header)}.${encode({ ...f.payload, role: "admin" })}.${signature(f.jwt)}`,
      ],
      [
        "tampered payload (sub changed, signature kept)",
        () => `${encode(f.header)}.${encode({ ...f.payload, sub: "someone-else" })}.${signature(f.jwt)}`,
      ],
      ["another token's signature", () => `${f.jwt.split(".").slice(0, 2).join(".")}.${signature(f.otherJwt)}`],
      ["alg: none without a signature", () => forge({ alg: "none", typ: "JWT" }, f.claims)],
      ["alg: none with the real kid", () => forge({ alg: "none", kid: kid() }, f.claims)],
      [
        "HS256 signed with the public key (PEM) as the HMAC secret",
        () => forge({ alg: "HS256", kid: kid() }, f.claims, hmacWith(publicPem())),
      ],
      [
        "HS256 signed with the raw public key bytes",
        () => forge({ alg: "HS256", kid: kid() }, f.claims, hmacWith(Buffer.from(String(f.publicKey.x), "base64url"))),
      ],
      ["expired (exp in the past)", () => signWithAppKey({ ...f.claims, iat: now() - 1200, exp: now() - 600 })],
      ["not yet valid (nbf in the future)", () => signWithAppKey({ ...f.claims, nbf: now() + 3600 })],
      ["wrong audience", () => signWithAppKey({ ...f.claims, aud: "https://other-service.example" })],
      ["wrong issuer", () => signWithAppKey({ ...f.claims, iss: "https://attacker.example" })],
      [
        "without exp (signed with the app's key)",
        () => signWithDecryptedAppKey({ alg: "EdDSA", kid: kid() }, { ...f.claims, exp: undefined }),
      ],
      [
        "unknown kid, signed with an attacker's key",
        () => forge({ alg: "EdDSA", kid: "attacker-key" }, f.claims, signedByAttacker),
      ],
      ["no kid, signed with an attacker's key", () => forge({ alg: "EdDSA" }, f.claims, signedByAttacker)],
      [
        "jku header pointing at the attacker's JWKS",
        () =>
          forge(
            { alg: "EdDSA", kid: "attacker-key", jku: "https://attacker.example/jwks.json" },
            f.claims,
            signedByAttacker,
          ),
      ],
      [
        "jwk header embedding the attacker's key",
        () => forge({ alg: "EdDSA", kid: kid(), jwk: attackerJwk }, f.claims, signedByAttacker),
      ],
      [
        "jwk header embedding the attacker's key, no kid",
        () => forge({ alg: "EdDSA", jwk: attackerJwk }, f.claims, signedByAttacker),
      ],
      [
        "jku header on a token signed with the app's key",
        () =>
          signWithDecryptedAppKey({ alg: "EdDSA", kid: kid(), jku: "https://attacker.example/jwks.json" }, f.claims),
      ],
      ["not a JWT", () => "eyJhbGciOiJFZERTQSJ9.bm90IGpzb24.c2ln"],
    ];

    it("accepts the genuine token and one signed the same way by the test (controls)", async () => {
      expect(await callWithBearer(f.jwt, "user.me")).toEqual({ status: 200, code: "OK" });
      const resigned = await signWithDecryptedAppKey({ alg: "EdDSA", kid: kid() }, f.claims);
      expect(await callWithBearer(resigned, "user.me")).toEqual({ status: 200, code: "OK" });
    });

    it.each(cases)("%s", async (_name, makeToken) => {
      expect(await callWithBearer(await makeToken(), "user.me")).toEqual({ status: 401, code: "UNAUTHORIZED" });
    });
  });

  it("a JWT that outlived its account is UNAUTHORIZED where the account is needed, never an internal error", async () => {
    const { user, jwt } = await signedInUser();
    await db.user.delete({ where: { id: user.id } });
    for (const [path, input] of [
      ["task.create", { title: "orphan" }],
      ["user.updateProfile", { name: "Ghost" }],
      ["session.revokeAll", undefined],
      ["account.export", undefined],
    ] as const) {
      expect(await callWithBearer(jwt, path, { input, method: "POST" }), path).toEqual({
        status: 401,
        code: "UNAUTHORIZED",
      });
    }
  });

  it("a demoted admin's still-valid JWT is FORBIDDEN on admin procedures", async () => {
    const { user, jwt } = await signedInUser({ role: "admin" });
    expect((await callWithBearer(jwt, "user.list", { input: {} })).code).toBe("OK");
    await db.user.update({ where: { id: user.id }, data: { role: "user" } });
    expect(decodeToken(jwt).payload.role).toBe("admin");
    expect(await callWithBearer(jwt, "user.list", { input: {} })).toEqual({ status: 403, code: "FORBIDDEN" });
  });

  it("a banned admin's still-valid JWT is FORBIDDEN on admin procedures", async () => {
    const { user, jwt } = await signedInUser({ role: "admin" });
    await db.user.update({ where: { id: user.id }, data: { banned: true } });
    expect((await callWithBearer(jwt, "user.list", { input: {} })).code).toBe("FORBIDDEN");
  });

  it("after sign-out no new JWT can be minted, and one already issued is refused (access-token-revocation.ts)", async () => {
    const { sessionToken, jwt } = await signedInUser();
    const signOut = await authRequest("/sign-out", { body: {}, headers: { authorization: `Bearer ${sessionToken}` } });
    expect(signOut.status).toBe(200);
    await expect(mintAccessToken(sessionToken)).rejects.toThrow(/401/);
    expect(await callWithBearer(jwt, "user.me")).toEqual({ status: 401, code: "UNAUTHORIZED" });
  });
});

describe("tRPC with Authorization: Bearer <session token>", () => {
  it("serves procedures and is refused at once after the session is revoked", async () => {
    const { sessionToken } = await signedInUser();
    expect(await callWithBearer(sessionToken, "user.me")).toEqual({ status: 200, code: "OK" });
    const ctx = await createTRPCContext({ headers: new Headers({ authorization: `Bearer ${sessionToken}` }) });
    expect(ctx.authMethod).toBe("session-token");

    const signOut = await authRequest("/sign-out", { body: {}, headers: { authorization: `Bearer ${sessionToken}` } });
    expect(signOut.status).toBe(200);
    expect(await callWithBearer(sessionToken, "user.me")).toEqual({ status: 401, code: "UNAUTHORIZED" });
  });

  it("refuses a session token without its signature", async () => {
    const { token } = await signIn(await createUser());
    expect((await callWithBearer(token, "user.me")).code).toBe("UNAUTHORIZED");
  });
});

describe("the public key cache", () => {
  const keyPair = generateKeyPairSync("ed25519");
  const jwk = (kid: string, key: KeyObject = keyPair.publicKey) => ({
    ...key.export({ format: "jwk" }),
    kid,
    alg: "EdDSA",
  });
  const token = (kid: string, exp = now() + 60) =>
    forge(
      { alg: "EdDSA", kid },
      {
        sub: "u1",
        sid: "s1",
        email: "a@example.com",
        name: "A",
        role: "user",
        iat: now(),
        exp,
        iss: "iss",
        aud: "aud",
      },
      (input) => sign(null, input, keyPair.privateKey),
    );

  /** A verifier trusting key k1, with `options` on top. */
  const verifierWith = (options: Partial<Parameters<typeof createAccessTokenVerifier>[0]> = {}) =>
    createAccessTokenVerifier({
      loadKeys: async () => ({ keys: [jwk("k1")] }),
      algorithm: "EdDSA",
      issuer: "iss",
      audience: "aud",
      ...options,
    });

  it("loads the keys once, and again only for an unknown kid, at most once per interval", async () => {
    let clock = Date.now();
    const loadKeys = vi.fn(async () => ({ keys: [jwk("k1")] }));
    const verify = verifierWith({ loadKeys, now: () => clock });

    expect(await verify(token("k1"))).toMatchObject({ sub: "u1" });
    expect(await verify(token("k1"))).toMatchObject({ sub: "u1" });
    expect(loadKeys).toHaveBeenCalledTimes(1);

    clock += 2000;
    expect(await verify(token("unknown-1"))).toBeNull();
    expect(await verify(token("unknown-2"))).toBeNull();
    expect(loadKeys).toHaveBeenCalledTimes(2); // the second unknown kid within the interval reads nothing

    loadKeys.mockResolvedValue({ keys: [jwk("k1"), jwk("k2")] });
    clock += 2000;
    expect(await verify(token("k2"))).toMatchObject({ sub: "u1" }); // a newly rotated key is picked up
    expect(loadKeys).toHaveBeenCalledTimes(3);
  });

  describe("remembering verified tokens", () => {
    it("still refuses a remembered token once it expires", async () => {
      let clock = Date.now();
      const verify = verifierWith({ now: () => clock });
      const shortLived = token("k1", Math.floor(clock / 1000) + 5);
      expect(await verify(shortLived)).toMatchObject({ sub: "u1" });
      clock += 4_000;
      expect(await verify(shortLived)).toMatchObject({ sub: "u1" });
      clock += 1_000;
      expect(await verify(shortLived)).toBeNull();
    });

    it("still refuses a remembered token once its key is no longer published", async () => {
      let clock = Date.now();
      const loadKeys = vi.fn(async () => ({ keys: [jwk("k1")] }));
      const verify = verifierWith({ loadKeys, maxKeyAgeMs: 1_000, now: () => clock });
      const t = token("k1");
      expect(await verify(t)).toMatchObject({ sub: "u1" });
      loadKeys.mockResolvedValue({ keys: [jwk("k2")] });
      clock += 1_500;
      expect(await verify(t)).toBeNull();
    });

    const tokenFor = (sub: string, exp: number, name = "A") =>
      forge(
        { alg: "EdDSA", kid: "k1" },
        { sub, sid: "s1", email: "a@example.com", name, role: "user", iat: exp - 60, exp, iss: "iss", aud: "aud" },
        (input) => sign(null, input, keyPair.privateKey),
      );

    it("keeps within its size: large tokens push out the oldest, and every token still verifies", async () => {
      const verify = verifierWith({ cacheBytes: 50_000 });
      const tokens = Array.from({ length: 40 }, (_, i) => tokenFor(`u${i}`, now() + 300, "n".repeat(4_000)));
      for (const t of tokens) expect(await verify(t)).toMatchObject({ name: "n".repeat(4_000) });
      const { tokens: count, bytes } = verify.remembered();
      expect(bytes).toBeLessThanOrEqual(50_000);
      expect(bytes).toBeGreaterThan(40_000);
      expect(count).toBeLessThan(10);
      for (const t of tokens) expect(await verify(t)).toMatchObject({ sub: expect.stringMatching(/^u/) });
    });

    it("drops tokens that expired even when nobody sends them again", async () => {
      let clock = Date.now();
      const verify = verifierWith({ sweepIntervalMs: 60_000, now: () => clock });
      const seconds = () => Math.floor(clock / 1000);
      for (let i = 0; i < 20; i++) expect(await verify(tokenFor(`short-${i}`, seconds() + 30))).not.toBeNull();
      const longLived = tokenFor("long", seconds() + 600);
      expect(await verify(longLived)).not.toBeNull();
      expect(verify.remembered().tokens).toBe(21);
      clock += 61_000;
      expect(await verify(tokenFor("next", seconds() + 600))).not.toBeNull();
      expect(verify.remembered().tokens).toBe(2);
    });

    it("does not remember a token by anything but its exact bytes", async () => {
      const verify = verifierWith();
      const t = token("k1");
      expect(await verify(t)).toMatchObject({ sub: "u1" });
      const [header, payload, sig = ""] = t.split(".");
      const tampered = `${header}.${payload}.${sig.startsWith("A") ? "B" : "A"}${sig.slice(1)}`;
      expect(await verify(tampered)).toBeNull();
    });
  });

  it("ignores published keys of another algorithm", async () => {
    const loadKeys = async () => ({ keys: [{ ...jwk("k1"), alg: "ES256" }] });
    const verify = verifierWith({ loadKeys });
    expect(await verify(token("k1"))).toBeNull();
  });
});
