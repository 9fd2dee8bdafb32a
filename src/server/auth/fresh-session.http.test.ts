// Sensitive actions need a sign-in within the last 10 minutes; an older session is refused with a reason the UI
// turns into a prompt, and /reauthenticate (password, then a code when the account has a second factor) makes the
// same session fresh again.
import { describe, expect, it } from "vitest";
import { FRESH_SESSION_REQUIRED } from "@/lib/auth-requirements";
import { db } from "@/server/db";
import { codeOf, createUser, signIn, STRONG_PASSWORD, type TestUser, callerWithHeaders } from "@/test/fixtures";
import { enrolSecondFactor, totpCode } from "@/test/fixtures/second-factor";
import { accessTokenFor } from "@/test/fixtures/tokens";
import { authRequest, nextClientIp, trpcRequest } from "@/test/http";

const ELEVEN_MINUTES_AGO = () => new Date(Date.now() - 11 * 60 * 1000);

/** A session signed in to 11 minutes ago: valid, no longer fresh. */
async function staleSession(user: TestUser) {
  return (await signIn(user, { signedInAt: ELEVEN_MINUTES_AGO() })).headers.get("cookie") ?? "";
}

const reauthenticate = (cookie: string, password: string) =>
  authRequest("/reauthenticate", { body: { password }, headers: { cookie }, ip: nextClientIp() });

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { json: { data: { code: string; reason: string | null } } } }).error.json
    .data;
}

describe("a session signed in to more than 10 minutes ago", () => {
  it("still reads and changes ordinary things", async () => {
    const user = await createUser();
    const cookie = await staleSession(user);
    const caller = await callerWithHeaders(new Headers({ cookie }));
    expect(await codeOf(caller.task.create({ title: "Still works" }))).toBe("OK");
  });

  it("cannot change the password or turn a second factor on: 403 FRESH_SESSION_REQUIRED", async () => {
    const user = await createUser();
    const cookie = await staleSession(user);
    for (const [path, body] of [
      ["/change-password", { currentPassword: STRONG_PASSWORD, newPassword: "a-new-and-long-harbour-61" }],
      ["/two-factor/enable", { password: STRONG_PASSWORD }],
    ] as const) {
      const response = await authRequest(path, { body, headers: { cookie }, ip: nextClientIp() });
      expect(response.status, path).toBe(403);
      expect(((await response.json()) as { code: string }).code, path).toBe(FRESH_SESSION_REQUIRED);
    }
    expect(await db.twoFactor.count({ where: { userId: user.id } })).toBe(0);
  });

  it("cannot delete the account, by cookie or by JWT: FORBIDDEN with the reason in error.data", async () => {
    const user = await createUser();
    const cookie = await staleSession(user);
    const response = await trpcRequest("account.delete", {
      body: { json: { password: STRONG_PASSWORD } },
      headers: { cookie },
    });
    expect(await errorOf(response)).toMatchObject({ code: "FORBIDDEN", reason: FRESH_SESSION_REQUIRED });

    const jwt = await accessTokenFor(user);
    await db.session.updateMany({ where: { userId: user.id }, data: { createdAt: ELEVEN_MINUTES_AGO() } });
    const caller = await callerWithHeaders(new Headers({ authorization: `Bearer ${jwt}` }));
    expect(await codeOf(caller.account.delete({ password: STRONG_PASSWORD }))).toBe("FORBIDDEN");
    expect(await db.user.count({ where: { id: user.id } })).toBe(1);
  });

  it("cannot make admin changes, and can still read the admin pages", async () => {
    const admin = await createUser({ role: "admin" });
    const target = await createUser();
    const cookie = await staleSession(admin);
    const caller = await callerWithHeaders(new Headers({ cookie }));
    expect(await codeOf(caller.user.list({}))).toBe("OK");
    const response = await trpcRequest("user.ban", { body: { json: { userId: target.id } }, headers: { cookie } });
    expect(await errorOf(response)).toMatchObject({ code: "FORBIDDEN", reason: FRESH_SESSION_REQUIRED });
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).banned).toBe(false);
  });
});

describe("POST /reauthenticate", () => {
  it("with the password makes the same session fresh: same token, and the action goes through", async () => {
    const user = await createUser();
    const cookie = await staleSession(user);
    const [before] = await db.session.findMany({ where: { userId: user.id }, select: { token: true } });
    expect((await reauthenticate(cookie, "not-my-password-at-all")).status).toBe(400);
    const response = await reauthenticate(cookie, STRONG_PASSWORD);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ secondFactorRequired: false });
    expect(response.headers.getSetCookie()).toEqual([]);
    const [after] = await db.session.findMany({ where: { userId: user.id }, select: { token: true } });
    expect(after?.token).toBe(before?.token);
    expect(await db.authEvent.count({ where: { userId: user.id, type: "reauthenticated" } })).toBe(1);
    const changed = await authRequest("/change-password", {
      body: { currentPassword: STRONG_PASSWORD, newPassword: "a-new-and-long-harbour-61" },
      headers: { cookie },
    });
    expect(changed.status).toBe(200);
  });

  it("with a second factor takes the password, then a code; the password alone is not enough", async () => {
    const user = await createUser();
    const enrolled = await enrolSecondFactor(user);
    const cookie = await staleSession(user);
    const caller = await callerWithHeaders(new Headers({ cookie }));

    // A code alone (without the password first) does not make the session fresh.
    const alone = await authRequest("/two-factor/verify-backup-code", {
      body: { code: enrolled.backupCodes[0] ?? "" },
      headers: { cookie },
      ip: nextClientIp(),
    });
    expect(alone.status).toBe(200);
    expect(await codeOf(caller.account.delete({ password: STRONG_PASSWORD }))).toBe("FORBIDDEN");

    const password = await reauthenticate(cookie, STRONG_PASSWORD);
    expect(await password.json()).toEqual({ secondFactorRequired: true });
    expect(await codeOf(caller.account.delete({ password: STRONG_PASSWORD }))).toBe("FORBIDDEN");

    const code = await authRequest("/two-factor/verify-totp", {
      body: { code: await totpCode(enrolled.totpURI, 1) },
      headers: { cookie },
      ip: nextClientIp(),
    });
    expect(code.status).toBe(200);
    // Both sessions now say so: the enrolment's, and this one, re-authenticated with the code.
    expect(await db.session.findMany({ where: { userId: user.id }, select: { secondFactor: true } })).toEqual([
      { secondFactor: "totp" },
      { secondFactor: "totp" },
    ]);
    expect(await codeOf(caller.account.delete({ password: STRONG_PASSWORD }))).toBe("OK");
  });

  it("needs a session", async () => {
    const response = await authRequest("/reauthenticate", { body: { password: STRONG_PASSWORD } });
    expect(response.status).toBe(401);
  });
});
