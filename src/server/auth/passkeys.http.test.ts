// Passkeys through the real endpoints, answered by a software authenticator (src/test/fixtures/authenticator.ts):
// adding needs a fresh session and is mailed and audited; a passkey sign-in is not stopped at the second factor and
// its session counts as made with one; a cloned authenticator (a counter that did not grow) is refused; the last way
// to sign in cannot be removed.
import { describe, expect, it } from "vitest";
import { FRESH_SESSION_REQUIRED } from "@/lib/auth-requirements";
import { LAST_SIGN_IN_METHOD, PASSKEY_OF_ANOTHER_ACCOUNT } from "@/server/auth/passkeys";
import { db } from "@/server/db";
import { createUser, signIn, type TestUser } from "@/test/fixtures";
import { registerPasskey, signInWithPasskey } from "@/test/fixtures/passkeys";
import { enrolSecondFactor } from "@/test/fixtures/second-factor";
import { authRequest, cookiesFrom, nextClientIp } from "@/test/http";
import { mailTo } from "@/test/mailbox";

const ELEVEN_MINUTES_AGO = () => new Date(Date.now() - 11 * 60 * 1000);

/** Adds a passkey named `name` from a new session of `user`, as the settings page does. */
async function addPasskey(user: TestUser, name = "Laptop") {
  const cookie = (await signIn(user)).headers.get("cookie") ?? "";
  return { ...(await registerPasskey(cookie, name)), cookie };
}

async function sessionOf(response: Response) {
  const cookie = cookiesFrom(response);
  const session = await authRequest("/get-session", { headers: { cookie }, ip: nextClientIp() });
  return (await session.json()) as { session: { id: string; secondFactor: string | null } } | null;
}

describe("adding a passkey", () => {
  it("needs a fresh session: a sign-in older than 10 minutes gets 403 FRESH_SESSION_REQUIRED", async () => {
    const user = await createUser();
    const cookie = (await signIn(user, { signedInAt: ELEVEN_MINUTES_AGO() })).headers.get("cookie") ?? "";
    const response = await authRequest("/passkey/generate-register-options", {
      headers: { cookie },
      ip: nextClientIp(),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe(FRESH_SESSION_REQUIRED);
  });

  it("needs a session", async () => {
    const response = await authRequest("/passkey/generate-register-options", { ip: nextClientIp() });
    expect(response.status).toBe(401);
  });

  it("stores it for this relying party, mails the owner and records it", async () => {
    const user = await createUser();
    const { id } = await addPasskey(user, "Work laptop");
    expect(await db.passkey.findUniqueOrThrow({ where: { id } })).toMatchObject({
      userId: user.id,
      name: "Work laptop",
    });
    expect((await mailTo(user.email, /a passkey was added/)).text).toContain('"Work laptop"');
    expect(await db.authEvent.count({ where: { userId: user.id, type: "passkey-added" } })).toBe(1);
  });
});

describe("signing in with a passkey", () => {
  it("signs in an account with a second factor without a code; the session counts as made with two", async () => {
    const user = await createUser();
    await enrolSecondFactor(user);
    const { authenticator, id } = await addPasskey(user);
    const response = await signInWithPasskey(authenticator);
    expect(response.status).toBe(200);
    expect(await response.clone().json()).not.toHaveProperty("twoFactorRedirect");
    expect((await sessionOf(response))?.session.secondFactor).toBe("passkey");
    const signIns = await db.authEvent.findMany({
      where: { userId: user.id, type: "sign-in" },
      select: { detail: true },
    });
    expect(signIns.map((event) => event.detail)).toContainEqual({ method: "passkey" });
    expect((await db.passkey.findUniqueOrThrow({ where: { id } })).lastUsedAt).not.toBeNull();
  });

  it("refuses a cloned authenticator: a signature counter that did not grow", async () => {
    const user = await createUser();
    const { authenticator } = await addPasskey(user);
    const copy = authenticator.clone();
    expect((await signInWithPasskey(authenticator)).status).toBe(200);
    const replayed = await signInWithPasskey(copy);
    expect(replayed.status).toBe(400);
    expect(replayed.headers.getSetCookie().join()).not.toMatch(/session_token=[^;]/);
  });
});

describe("removing a passkey", () => {
  it("is mailed and recorded when another way to sign in is left", async () => {
    const user = await createUser();
    const { id, cookie } = await addPasskey(user, "Old phone");
    const response = await authRequest("/passkey/delete-passkey", {
      body: { id },
      headers: { cookie },
      ip: nextClientIp(),
    });
    expect(response.status).toBe(200);
    expect(await db.passkey.count({ where: { id } })).toBe(0);
    expect((await mailTo(user.email, /a passkey was removed/)).text).toContain('"Old phone"');
    expect(await db.authEvent.count({ where: { userId: user.id, type: "passkey-removed" } })).toBe(1);
  });

  it("is refused for the only passkey of an account without a password or another account", async () => {
    const user = await createUser();
    const { id, cookie } = await addPasskey(user);
    await db.account.updateMany({ where: { userId: user.id }, data: { password: null } });
    const response = await authRequest("/passkey/delete-passkey", {
      body: { id },
      headers: { cookie },
      ip: nextClientIp(),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: LAST_SIGN_IN_METHOD });
    expect(await db.passkey.count({ where: { id } })).toBe(1);

    // With a second passkey, the first may go.
    const second = await addPasskey(user, "Second");
    const again = await authRequest("/passkey/delete-passkey", {
      body: { id },
      headers: { cookie },
      ip: nextClientIp(),
    });
    expect(again.status).toBe(200);
    expect(await db.passkey.count({ where: { id: second.id } })).toBe(1);
  });
});

describe("confirming it is you with a passkey", () => {
  it("replaces the device's old session with a fresh one that may do what needs a recent sign-in", async () => {
    const user = await createUser();
    const { authenticator } = await addPasskey(user);
    const stale = await signIn(user, { signedInAt: ELEVEN_MINUTES_AGO() });
    const staleCookie = stale.headers.get("cookie") ?? "";
    const refused = await authRequest("/passkey/generate-register-options", {
      headers: { cookie: staleCookie },
      ip: nextClientIp(),
    });
    expect(refused.status).toBe(403);

    const again = await signInWithPasskey(authenticator, staleCookie);
    expect(again.status).toBe(200);
    expect(await db.session.count({ where: { id: stale.sessionId } })).toBe(0);
    const fresh = await authRequest("/passkey/generate-register-options", {
      headers: { cookie: cookiesFrom(again) },
      ip: nextClientIp(),
    });
    expect(fresh.status).toBe(200);
  });

  it("refuses another account's passkey on a signed-in device: nobody is signed in as someone else", async () => {
    const [user, other] = [await createUser(), await createUser()];
    const { authenticator } = await addPasskey(other);
    const mine = await signIn(user);
    const sessionsOfOther = await db.session.count({ where: { userId: other.id } });

    const response = await signInWithPasskey(authenticator, mine.headers.get("cookie") ?? "");
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: PASSKEY_OF_ANOTHER_ACCOUNT });
    expect(response.headers.getSetCookie().join()).not.toMatch(/session_token=[^;]/);
    expect(await db.session.count({ where: { id: mine.sessionId } })).toBe(1);
    expect(await db.session.count({ where: { userId: other.id } })).toBe(sessionsOfOther);
  });
});

describe("a passkey's name", () => {
  it("is one line of at most 100 characters, whichever client names it", async () => {
    const user = await createUser();
    const { id, cookie } = await addPasskey(user, "Laptop");
    for (const name of ["x".repeat(101), "Two\nlines"]) {
      const response = await authRequest("/passkey/update-passkey", {
        body: { id, name },
        headers: { cookie },
        ip: nextClientIp(),
      });
      expect(response.status, name).toBe(400);
    }
    expect((await db.passkey.findUniqueOrThrow({ where: { id } })).name).toBe("Laptop");
  });
});
