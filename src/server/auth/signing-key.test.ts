import { describe, expect, it } from "vitest";
import { ensureSigningKey } from "@/server/auth/signing-key";
import { db } from "@/server/db";
import { createUser, signIn } from "@/test/fixtures";
import { authRequest, trpcRequest } from "@/test/http";

describe("JWT signing key at start-up", () => {
  it("with the key made at start-up, 30 concurrent first token requests share it, and every token works", async () => {
    await ensureSigningKey();
    const users = await Promise.all(Array.from({ length: 30 }, () => createUser()));
    const cookies = await Promise.all(users.map(async (user) => (await signIn(user)).headers.get("cookie") ?? ""));
    const tokens = await Promise.all(
      cookies.map(async (cookie, i) => {
        const response = await authRequest("/token", { headers: { cookie }, ip: `198.18.0.${i + 1}` });
        return ((await response.json()) as { token: string }).token;
      }),
    );
    expect(await db.jwks.count()).toBe(1);
    for (const token of tokens) {
      expect((await trpcRequest("user.me", { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    }
  });
});
