// An account belongs to whoever proves the email: a password chosen before the address was confirmed does not
// survive its confirmation by someone who only holds the mailbox, and ADMIN_EMAILS count only once confirmed.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { STRONG_PASSWORD } from "@/test/fixtures";
import { authRequest, BASE_URL, cookiesFrom, nextClientIp } from "@/test/http";
import { linkIn, mailTo, nthMailTo } from "@/test/mailbox";

// An admin address of this file's own: mail to the shared test configuration's one may come from other files.
const ADMIN_EMAIL = "confirmed-admin@example.com";
vi.hoisted(() => {
  process.env.ADMIN_EMAILS = "confirmed-admin@example.com";
});

const STRANGER_PASSWORD = "stranger-Quiet-harbor-58";
const OWNER_PASSWORD = "owner-lantern-meadow-73";

const uniqueEmail = (tag: string) => `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;

const signUp = (email: string, password: string, name = "Someone") =>
  authRequest("/sign-up/email", { body: { email, name, password }, ip: nextClientIp() });
const signInWith = (email: string, password: string) =>
  authRequest("/sign-in/email", { body: { email, password }, ip: nextClientIp() });
const confirm = (body: Record<string, unknown>) => authRequest("/confirm-email", { body, ip: nextClientIp() });

/** The token of the nth confirmation mail to `email`, from the /verify-email page link it carries. */
async function confirmationToken(email: string, nth = 1): Promise<string> {
  const link = new URL(linkIn(await nthMailTo(email, /confirm your email/, nth), `${BASE_URL}/verify-email?token=`));
  return link.searchParams.get("token") ?? "";
}

async function sessionEmail(cookie: string): Promise<string | null> {
  const body = (await (await authRequest("/get-session", { headers: { cookie }, ip: nextClientIp() })).json()) as {
    user?: { email: string };
  } | null;
  return body?.user?.email ?? null;
}

describe("confirming an address someone else signed up with", () => {
  it("the stranger's password does not survive the owner's confirmation", async () => {
    const email = uniqueEmail("squatted");
    // A stranger signs up first with the owner's address and a password of their choosing.
    expect((await signUp(email, STRANGER_PASSWORD, "Stranger")).status).toBe(200);
    // Their sign-in is refused (unconfirmed), which mails the owner a confirmation link.
    expect((await signInWith(email, STRANGER_PASSWORD)).status).toBe(403);
    const token = await confirmationToken(email, 2);

    // The owner does not know that password: a guess confirms nothing.
    const guess = await confirm({ token, password: OWNER_PASSWORD });
    expect(guess.status).toBe(401);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBe(false);

    // Choosing a new password confirms the address and signs the owner in.
    const confirmed = await confirm({ token, newPassword: OWNER_PASSWORD });
    expect(confirmed.status).toBe(200);
    expect(await sessionEmail(cookiesFrom(confirmed))).toBe(email);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBe(true);

    expect((await signInWith(email, STRANGER_PASSWORD)).status).toBe(401);
    expect((await signInWith(email, OWNER_PASSWORD)).status).toBe(200);
  });

  it("a later sign-up by the owner mails them the confirmation link, not a note that the account exists", async () => {
    const email = uniqueEmail("second-sign-up");
    await signUp(email, STRANGER_PASSWORD, "Stranger");
    await mailTo(email, /confirm your email/);
    expect((await signUp(email, OWNER_PASSWORD, "Owner")).status).toBe(200);
    const token = await confirmationToken(email, 2);
    expect((await confirm({ token, newPassword: OWNER_PASSWORD })).status).toBe(200);
    expect((await signInWith(email, STRANGER_PASSWORD)).status).toBe(401);
  });

  it("Better Auth's confirm-on-click endpoint, which would keep the earlier password, is gone", async () => {
    const email = uniqueEmail("click");
    await signUp(email, STRANGER_PASSWORD);
    const token = await confirmationToken(email);
    const response = await authRequest(`/verify-email?token=${encodeURIComponent(token)}&callbackURL=/`, {
      ip: nextClientIp(),
    });
    expect(response.status).toBe(404);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBe(false);
  });

  it("the person who signed up confirms with their own password and is signed in", async () => {
    const email = uniqueEmail("owner");
    await signUp(email, OWNER_PASSWORD, "Owner");
    const token = await confirmationToken(email);
    const response = await confirm({ token, password: OWNER_PASSWORD });
    expect(response.status).toBe(200);
    expect(await sessionEmail(cookiesFrom(response))).toBe(email);
    expect(await db.authEvent.count({ where: { user: { email }, type: "email-verified" } })).toBe(1);
  });

  it("a confirmed link is spent: it neither signs in again nor sets a password", async () => {
    const email = uniqueEmail("spent");
    await signUp(email, OWNER_PASSWORD);
    const token = await confirmationToken(email);
    expect((await confirm({ token, password: OWNER_PASSWORD })).status).toBe(200);
    for (const body of [
      { token, password: OWNER_PASSWORD },
      { token, newPassword: "another-Quiet-harbor-58" },
    ]) {
      const replay = await confirm(body);
      expect(replay.status).toBe(400);
      expect(((await replay.json()) as { code: string }).code).toBe("ALREADY_CONFIRMED");
    }
    expect((await signInWith(email, OWNER_PASSWORD)).status).toBe(200);
  });

  it("a forged, altered or foreign token confirms nothing", async () => {
    const email = uniqueEmail("forged");
    await signUp(email, OWNER_PASSWORD);
    const token = await confirmationToken(email);
    const [header, payload] = token.split(".");
    const otherPayload = Buffer.from(JSON.stringify({ email, userId: "someone-else" })).toString("base64url");
    for (const forged of [
      `${token}x`,
      `${header}.${otherPayload}.${token.split(".")[2]}`,
      "forged.token.value",
      `${header}.${payload}.`,
    ]) {
      const response = await confirm({ token: forged, newPassword: "another-Quiet-harbor-58" });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { code: string }).code).toBe("INVALID_TOKEN");
    }
    expect((await db.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBe(false);
  });

  it("a new password is held to the sign-up rule, and asks for exactly one of the two", async () => {
    const email = uniqueEmail("weak");
    await signUp(email, OWNER_PASSWORD, "Wendy");
    const token = await confirmationToken(email);
    const weak = await confirm({ token, newPassword: "password1" });
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { code: string }).code).toBe("PASSWORD_TOO_WEAK");
    expect((await confirm({ token })).status).toBe(400);
    expect((await confirm({ token, password: OWNER_PASSWORD, newPassword: STRONG_PASSWORD })).status).toBe(400);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBe(false);
  });
});

describe("ADMIN_EMAILS", () => {
  it("an address listed there is an admin only once it is confirmed", async () => {
    const email = ADMIN_EMAIL;
    await signUp("Confirmed-Admin@Example.com", STRANGER_PASSWORD, "Stranger");
    expect((await db.user.findUniqueOrThrow({ where: { email } })).role).toBe("user");
    const token = await confirmationToken(email);
    expect((await confirm({ token, newPassword: OWNER_PASSWORD })).status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).role).toBe("admin");
  });
});
