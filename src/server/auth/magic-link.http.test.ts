// Sign-in links through the real handlers and the real SMTP capture: only accounts get one, each works once and for
// 10 minutes, a link to an unconfirmed address takes the account back from whoever signed up with it, the second
// factor still applies, requests are limited per address, and the token never reaches the log.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createUser, STRONG_PASSWORD, type TestUser } from "@/test/fixtures";
import { enrolSecondFactor, totpCode } from "@/test/fixtures/second-factor";
import { authRequest, cookiesFrom, nextClientIp, trpcRequest } from "@/test/http";
import { captureLogs } from "@/test/logs";
import { linkIn, mailTo, nthMailTo } from "@/test/mailbox";

const SUBJECT = /your sign-in link/;

function requestLink(email: string, ip = nextClientIp()) {
  return authRequest("/sign-in/magic-link", { body: { email }, ip });
}

/** The token of the n-th sign-in link mailed to `email`, from the page it links to. */
async function mailedToken(email: string, nth = 1): Promise<string> {
  const link = new URL(linkIn(await nthMailTo(email, SUBJECT, nth), "http"));
  expect(link.pathname).toBe("/sign-in/email-link");
  return link.searchParams.get("token") ?? "";
}

/** What the sign-in page does with the token: Better Auth's verify endpoint, answering JSON. */
function spendLink(token: string, headers: Record<string, string> = { "sec-fetch-site": "same-origin" }) {
  return authRequest(`/magic-link/verify?token=${encodeURIComponent(token)}`, { ip: nextClientIp(), headers });
}

async function linkFor(user: TestUser): Promise<string> {
  expect((await requestLink(user.email)).status).toBe(200);
  return mailedToken(user.email);
}

const me = (cookie: string) => trpcRequest("user.me", { headers: { cookie } });
const signInEvents = (userId: string) =>
  db.authEvent.findMany({ where: { userId, type: "sign-in" }, select: { detail: true } });

describe("asking for a link", () => {
  it("answers an address without an account exactly as one with, and mails only the account", async () => {
    const user = await createUser();
    const nobody = `nobody-link-${Date.now()}@example.com`;
    const [known, unknown] = [await requestLink(user.email), await requestLink(nobody)];
    expect(known.status).toBe(unknown.status);
    expect(await known.text()).toBe(await unknown.text());
    await mailTo(user.email, SUBJECT);
    expect(await db.emailOutbox.count({ where: { recipient: nobody } })).toBe(0);
  });

  it("mails no link to a banned account", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { banned: true } });
    expect((await requestLink(user.email)).status).toBe(200);
    const other = await createUser();
    await linkFor(other); // mail of later requests has arrived by now
    expect(await db.emailOutbox.count({ where: { recipient: user.email, template: "magic-link" } })).toBe(0);
  });

  it("is limited per client address like a password reset, with Retry-After", async () => {
    const user = await createUser();
    const ip = nextClientIp();
    for (let i = 0; i < 3; i++) expect((await requestLink(user.email, ip)).status).toBe(200);
    const limited = await requestLink(user.email, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("using a link", () => {
  it("signs in once: the session works, the sign-in is audited as a link, and the link is spent", async () => {
    const user = await createUser();
    const token = await linkFor(user);
    const used = await spendLink(token);
    expect(used.status).toBe(200);
    expect((await me(cookiesFrom(used))).status).toBe(200);
    expect(await signInEvents(user.id)).toEqual([{ detail: { method: "magic-link" } }]);

    const again = await spendLink(token);
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toContain("error=INVALID_TOKEN");
    expect(cookiesFrom(again)).not.toContain("session_token=");
  });

  it("stops working after 10 minutes", async () => {
    const user = await createUser();
    const token = await linkFor(user);
    await db.verification.updateMany({
      where: { identifier: { startsWith: "magic-link:" }, value: { contains: user.email } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const late = await spendLink(token);
    expect(late.status).toBe(302);
    expect(late.headers.get("location")).toContain("error=INVALID_TOKEN");
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("keeps only a hash of the token, and writes none of it to the log", async () => {
    const user = await createUser();
    const logs = captureLogs();
    try {
      const token = await linkFor(user);
      const stored = await db.verification.findMany({ where: { identifier: { startsWith: "magic-link:" } } });
      expect(stored.some((row) => row.identifier.includes(token) || row.value.includes(token))).toBe(false);
      expect((await spendLink(token)).status).toBe(200);
      expect(logs.raw.join("\n")).not.toContain(token);
    } finally {
      logs.stop();
    }
  });

  it("stops at the second factor of an account that has one", async () => {
    const user = await createUser();
    const { totpURI } = await enrolSecondFactor(user);
    const before = await db.session.count({ where: { userId: user.id } });
    const step = await spendLink(await linkFor(user));
    expect(step.status).toBe(200);
    expect(await step.json()).toMatchObject({ twoFactorRedirect: true });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(before);
    expect((await me(cookiesFrom(step))).status).toBe(401);
    const done = await authRequest("/two-factor/verify-totp", {
      body: { code: await totpCode(totpURI, 1) },
      headers: { cookie: cookiesFrom(step) },
      ip: nextClientIp(),
    });
    expect(done.status).toBe(200);
    expect((await me(cookiesFrom(done))).status).toBe(200);
    expect(
      await db.authEvent.findMany({
        where: { userId: user.id, type: "second-factor-required" },
        select: { detail: true },
      }),
    ).toContainEqual({ detail: { method: "magic-link" } });
  });

  it("to an unconfirmed address: confirms it, and what a stranger set up before is gone", async () => {
    // A stranger signs up first with the owner's address and a password of their own.
    const email = `taken-by-link-${Date.now()}@example.com`;
    const stranger = await authRequest("/sign-up/email", {
      body: { email, name: "Stranger", password: STRONG_PASSWORD },
      ip: nextClientIp(),
    });
    expect(stranger.status).toBe(200);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    await db.session.create({
      data: { id: `s-${user.id}`, token: `t-${user.id}`, userId: user.id, expiresAt: new Date(Date.now() + 60_000) },
    });

    expect((await requestLink(email)).status).toBe(200);
    const used = await spendLink(await mailedToken(email));
    expect(used.status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).emailVerified).toBe(true);
    // The stranger's password and session are gone; only the owner's new session remains.
    expect(await db.account.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.session.findUnique({ where: { token: `t-${user.id}` } })).toBeNull();
    const strangerSignIn = await authRequest("/sign-in/email", {
      body: { email, password: STRONG_PASSWORD },
      ip: nextClientIp(),
    });
    expect(strangerSignIn.status).toBe(401);
    expect((await me(cookiesFrom(used))).status).toBe(200);
    expect(await db.authEvent.count({ where: { userId: user.id, type: "email-verified" } })).toBe(1);
  });

  it("is spent once when used twice at once", async () => {
    const user = await createUser();
    const token = await linkFor(user);
    const answers = await Promise.all([spendLink(token), spendLink(token), spendLink(token)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 302, 302]);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("is not spent by a page on another site (no login CSRF)", async () => {
    const user = await createUser();
    const token = await linkFor(user);
    const crossSite: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { origin: "https://elsewhere.example" },
    ];
    for (const headers of crossSite) {
      const refused = await spendLink(token, headers);
      expect(refused.status).toBe(403);
      expect(cookiesFrom(refused)).not.toContain("session_token=");
    }
    expect((await spendLink(token)).status).toBe(200);
  });

  it("signs in no banned account", async () => {
    const user = await createUser();
    const token = await linkFor(user);
    await db.user.update({ where: { id: user.id }, data: { banned: true } });
    const refused = await spendLink(token);
    expect(refused.status).not.toBe(200);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });
});
