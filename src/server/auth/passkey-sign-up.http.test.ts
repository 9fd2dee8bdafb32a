// An account with passkeys and no password: POST /sign-up/passkey mails a confirmation link (the same answer for a
// taken address, whose owner is mailed instead); the link's page confirms with `passkey: true`, which removes whatever
// anyone set up before the address was proven and signs in fresh enough to add the passkey; from then on the passkey
// signs in.
import { describe, expect, it } from "vitest";
import { confirmationOffersPasskey } from "@/server/auth/email-confirmation";
import { db } from "@/server/db";
import { createUser, STRONG_PASSWORD } from "@/test/fixtures";
import { registerPasskey, signInWithPasskey } from "@/test/fixtures/passkeys";
import { authRequest, cookiesFrom, nextClientIp } from "@/test/http";
import { linkIn, mailTo, nthMailTo } from "@/test/mailbox";

const newAddress = () => `passkey-${crypto.randomUUID()}@example.com`;

const signUp = (body: Record<string, unknown>) => authRequest("/sign-up/passkey", { body, ip: nextClientIp() });

/** The token of the newest confirmation link mailed to `email`. */
async function confirmationToken(email: string, nth = 1) {
  const mail = await nthMailTo(email, /confirm your email address/, nth);
  return new URL(linkIn(mail, "http")).searchParams.get("token") ?? "";
}

const confirm = (body: Record<string, unknown>) => authRequest("/confirm-email", { body, ip: nextClientIp() });

describe("signing up with a passkey", () => {
  it("makes an account without a password, confirmed from the mailed link, then signs in with its passkey", async () => {
    const email = newAddress();
    const answer = await signUp({ name: "Pat Key", email: email.toUpperCase() });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: true });
    const user = await db.user.findUniqueOrThrow({ where: { email }, include: { accounts: true } });
    expect(user).toMatchObject({ name: "Pat Key", emailVerified: false, role: "user", accounts: [] });

    const token = await confirmationToken(email);
    expect(confirmationOffersPasskey(token)).toBe(true);
    const confirmed = await confirm({ token, passkey: true });
    expect(confirmed.status, await confirmed.clone().text()).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBe(true);

    // The confirmation's session is fresh: the passkey is added on it, and signs in from then on.
    const { authenticator } = await registerPasskey(cookiesFrom(confirmed), "This laptop");
    const signedIn = await signInWithPasskey(authenticator);
    expect(signedIn.status).toBe(200);
    expect(await db.account.count({ where: { userId: user.id } })).toBe(0);
    // Spent: the link does not confirm twice.
    expect((await confirm({ token, passkey: true })).status).toBe(400);
  });

  it("answers the same for a taken address, mails its owner and changes nothing", async () => {
    const owner = await createUser({ name: "Owner" });
    const before = await db.user.findUniqueOrThrow({ where: { id: owner.id }, include: { accounts: true } });
    const answer = await signUp({ name: "Intruder", email: owner.email });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: true });
    await mailTo(owner.email, /someone tried to sign up/);
    expect(await db.user.findUniqueOrThrow({ where: { id: owner.id }, include: { accounts: true } })).toEqual(before);
  });

  it("refuses bad input with 400 and creates nothing: no name, two lines, a bad address, a password, unknown keys", async () => {
    const email = newAddress();
    for (const body of [
      { email },
      { name: "Two\nLines", email },
      { name: "Pat", email: "not-an-address" },
      { name: "Pat", email: `${"a".repeat(250)}@example.com` },
      { name: "Pat", email, password: STRONG_PASSWORD },
      { name: "Pat", email, role: "admin" },
    ]) {
      expect((await signUp(body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("two sign-ups with one address at once make one account and the same answers", async () => {
    const email = newAddress();
    const answers = await Promise.all([signUp({ name: "One", email }), signUp({ name: "Two", email })]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(await Promise.all(answers.map((answer) => answer.json()))).toEqual([{ status: true }, { status: true }]);
    expect(await db.user.count({ where: { email } })).toBe(1);
  });
});

describe("confirming without a password", () => {
  it("removes the password a stranger signed up with, and the stranger's sessions", async () => {
    const email = newAddress();
    const strangers = await authRequest("/sign-up/email", {
      body: { name: "Stranger", email, password: STRONG_PASSWORD },
      ip: nextClientIp(),
    });
    expect(strangers.status).toBe(200);
    const confirmed = await confirm({ token: await confirmationToken(email), passkey: true });
    expect(confirmed.status).toBe(200);
    const user = await db.user.findUniqueOrThrow({ where: { email }, include: { accounts: true, sessions: true } });
    expect(user.accounts).toEqual([]);
    expect(user.sessions).toHaveLength(1);
    const strangerSignIn = await authRequest("/sign-in/email", {
      body: { email, password: STRONG_PASSWORD },
      ip: nextClientIp(),
    });
    expect(strangerSignIn.status).toBe(401);
  });

  it("takes exactly one way: a password and `passkey` together are refused", async () => {
    const email = newAddress();
    await signUp({ name: "Pat", email });
    const token = await confirmationToken(email);
    const both = await confirm({ token, passkey: true, newPassword: "a-new-and-long-harbour-61" });
    expect(both.status).toBe(400);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBe(false);
  });
});
