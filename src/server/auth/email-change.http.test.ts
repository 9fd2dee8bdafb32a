// Changing the email address through the real handlers and the real SMTP capture: a fresh session to ask, the new
// address confirmed before it counts, a taken address answered like any other, the old address told, sessions kept.
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createUser, signIn, type TestUser } from "@/test/fixtures";
import { authRequest, nextClientIp, trpcRequest } from "@/test/http";
import { linkIn, mailTo } from "@/test/mailbox";

const newAddress = (label: string) =>
  `new-${label}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;

async function askFor(user: TestUser, newEmail: string, signedInAt?: Date) {
  const { headers } = await signIn(user, { signedInAt });
  const cookie = headers.get("cookie") ?? "";
  const response = await authRequest("/change-email", { body: { newEmail }, headers: { cookie }, ip: nextClientIp() });
  return { response, cookie };
}

/** The token of the confirmation mailed to the new address, from the page it links to. */
async function confirmationToken(newEmail: string): Promise<string> {
  const link = new URL(linkIn(await mailTo(newEmail, /confirm your new email address/), "http"));
  expect(link.pathname).toBe("/change-email");
  return link.searchParams.get("token") ?? "";
}

/** What the /change-email page does when the person presses the button. */
const confirm = (token: string, cookie = "") =>
  authRequest(`/verify-email?token=${encodeURIComponent(token)}`, { headers: { cookie }, ip: nextClientIp() });

const emailOf = async (userId: string) => (await db.user.findUniqueOrThrow({ where: { id: userId } })).email;
const eventsOf = (userId: string, type: string) => db.authEvent.count({ where: { userId, type } });

describe("changing the email address", () => {
  it("takes effect only once the new address confirms it; the old one is told; sessions stay", async () => {
    const user = await createUser();
    const newEmail = newAddress("ok");
    const { response, cookie } = await askFor(user, newEmail);
    expect(response.status).toBe(200);
    expect(await emailOf(user.id)).toBe(user.email);
    expect(await eventsOf(user.id, "email-change-requested")).toBe(1);

    const token = await confirmationToken(newEmail);
    const confirmed = await confirm(token);
    expect(confirmed.status).toBe(200);
    expect(await emailOf(user.id)).toBe(newEmail);
    expect(await eventsOf(user.id, "email-changed")).toBe(1);

    const notice = await mailTo(user.email, /your email address was changed/);
    expect(notice.text).toContain("reply to this message");
    expect(notice.text).not.toContain(newEmail); // shown masked, not in full
    expect(notice.text).toContain(`@example.com`);
    // The session that asked still works, and now shows the new address.
    const me = await trpcRequest("user.me", { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(JSON.stringify(await me.json())).toContain(newEmail);

    // The link is spent: the account's address is no longer the one it was made for.
    const again = await confirm(token);
    expect(again.status).toBe(400);
  });

  it("needs a fresh session", async () => {
    const user = await createUser();
    const newEmail = newAddress("stale");
    const { response } = await askFor(user, newEmail, new Date(Date.now() - 20 * 60 * 1000));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "FRESH_SESSION_REQUIRED" });
    expect(await db.emailOutbox.count({ where: { recipient: newEmail } })).toBe(0);
  });

  it("answers an address of another account exactly as a free one, and changes nothing", async () => {
    const [user, other] = [await createUser(), await createUser()];
    const taken = await askFor(user, other.email);
    const free = await askFor(await createUser(), newAddress("free"));
    expect(taken.response.status).toBe(free.response.status);
    expect(await taken.response.text()).toBe(await free.response.text());
    expect(await db.emailOutbox.count({ where: { recipient: other.email, template: "confirm-new-email" } })).toBe(0);
    expect(await emailOf(user.id)).toBe(user.email);
    expect(await emailOf(other.id)).toBe(other.email);
  });

  it("refuses the confirmation of an address another account took meanwhile", async () => {
    const user = await createUser();
    const newEmail = newAddress("race");
    await askFor(user, newEmail);
    const token = await confirmationToken(newEmail);
    const first = await createUser({ email: newEmail });
    const refused = await confirm(token);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: "EMAIL_TAKEN" });
    expect(await emailOf(user.id)).toBe(user.email);
    expect(await emailOf(first.id)).toBe(newEmail);
  });

  it("is not confirmed from a page on another site", async () => {
    const user = await createUser();
    const newEmail = newAddress("cross-site");
    await askFor(user, newEmail);
    const token = await confirmationToken(newEmail);
    const refused = await authRequest(`/verify-email?token=${encodeURIComponent(token)}`, {
      headers: { "sec-fetch-site": "cross-site" },
      ip: nextClientIp(),
    });
    expect(refused.status).toBe(403);
    expect(await emailOf(user.id)).toBe(user.email);
  });

  it("is not served to a forged token, nor to a sign-up confirmation", async () => {
    const user = await createUser();
    const forged = await new SignJWT({
      email: user.email,
      updateTo: newAddress("forged"),
      userId: user.id,
      requestType: "change-email-verification",
    })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("not-the-secret-of-this-app-at-all-0123456789"));
    expect((await confirm(forged)).status).toBe(404);
    expect(await emailOf(user.id)).toBe(user.email);
  });
});
