// Signing key rotation: a new key after the rotation interval, the previous one still trusted for the grace period.
// Its own file, so the in-memory key cache starts empty and sees the rotation as a new process would.
import { describe, expect, it } from "vitest";
import { SIGNING_KEY_ROTATION } from "@/server/auth/token-plugins";
import { db } from "@/server/db";
import { createUser } from "@/test/fixtures";
import {
  callWithBearer,
  mintAccessToken,
  publishedKeys,
  signInForSessionToken,
  verifyIndependently,
} from "@/test/fixtures/tokens";

const kidOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString()) as { kid: string }).kid;

/** Moves a key's expiry into the past, as if the rotation interval had run out `secondsAgo` seconds ago. */
const expireKey = (kid: string, secondsAgo: number) =>
  db.jwks.update({ where: { id: kid }, data: { expiresAt: new Date(Date.now() - secondsAgo * 1000) } });

describe("signing key rotation", () => {
  it("gives keys an expiry of the rotation interval", async () => {
    const token = await mintAccessToken(await signInForSessionToken(await createUser()));
    const key = await db.jwks.findUniqueOrThrow({ where: { id: kidOf(token) } });
    const lifetime = (key.expiresAt?.getTime() ?? 0) - key.createdAt.getTime();
    expect(Math.round(lifetime / 1000)).toBe(SIGNING_KEY_ROTATION.intervalSeconds);
  });

  it("signs with a new key once the old one expires; tokens from the old key verify during the grace period", async () => {
    const sessionToken = await signInForSessionToken(await createUser());
    const before = await mintAccessToken(sessionToken);
    expect((await callWithBearer(before, "user.me")).code).toBe("OK");

    await expireKey(kidOf(before), 60);
    const after = await mintAccessToken(sessionToken);
    expect(kidOf(after)).not.toBe(kidOf(before));

    const published = (await publishedKeys()).map((key) => key.kid);
    expect(published).toEqual(expect.arrayContaining([kidOf(before), kidOf(after)]));
    for (const token of [before, after]) {
      expect(await callWithBearer(token, "user.me")).toEqual({ status: 200, code: "OK" });
      expect(await verifyIndependently(token)).toMatchObject({ sub: expect.any(String) });
    }
  });

  it("stops publishing the previous key once the grace period is over", async () => {
    const token = await mintAccessToken(await signInForSessionToken(await createUser()));
    await expireKey(kidOf(token), SIGNING_KEY_ROTATION.gracePeriodSeconds + 60);
    expect((await publishedKeys()).map((key) => key.kid)).not.toContain(kidOf(token));
    await expect(verifyIndependently(token)).rejects.toMatchObject({ code: "FAST_JWT_KEY_FETCHING_ERROR" });
  });
});
