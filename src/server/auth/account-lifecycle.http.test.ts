// The account lifecycle over HTTP, with real mail over SMTP: verification, reset, password change, audit.
import { describe, expect, it, vi } from "vitest";
import { env } from "@/env";
import { db } from "@/server/db";
import { STRONG_PASSWORD, createUser, signIn } from "@/test/fixtures";
import { authRequest, BASE_URL, cookiesFrom, nextClientIp } from "@/test/http";
import { linkIn, mailTo, nthMailTo } from "@/test/mailbox";
import { SAME_PASSWORD_MESSAGE } from "@/lib/validation/new-password";

const uniqueEmail = (tag: string) => `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;

async function get(url: string, headers: Record<string, string> = {}) {
  const { pathname, search } = new URL(url);
  return authRequest(`${pathname.replace(/^\/api\/auth/, "")}${search}`, { headers, ip: nextClientIp() });
}

async function sessionOf(cookie: string) {
  return (await authRequest("/get-session", { headers: { cookie }, ip: nextClientIp() })).json();
}

describe("email verification", () => {
  it("mails a link over SMTP (text and HTML, from EMAIL_FROM) to the page that confirms the address", async () => {
    const email = uniqueEmail("verify");
    const signUp = await authRequest("/sign-up/email", {
      body: { email, name: "Vera", password: STRONG_PASSWORD },
      ip: nextClientIp(),
    });
    expect(signUp.status).toBe(200);
    const mail = await mailTo(email, /confirm your email/);
    expect(mail.html).toContain("<a href=");
    const token = new URL(linkIn(mail, `${BASE_URL}/verify-email?token=`)).searchParams.get("token");

    const response = await authRequest("/confirm-email", {
      body: { token, password: STRONG_PASSWORD },
      ip: nextClientIp(),
    });
    expect(response.status).toBe(200);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerified).toBe(true);
    expect(await db.authEvent.count({ where: { userId: user.id, type: "email-verified" } })).toBe(1);
  });

  it("the mail sent when an unconfirmed user signs in links to the same page", async () => {
    const email = uniqueEmail("verify-on-sign-in");
    await authRequest("/sign-up/email", {
      body: { email, name: "Vera", password: STRONG_PASSWORD },
      ip: nextClientIp(),
    });
    await mailTo(email, /confirm your email/);
    const signInAttempt = await authRequest("/sign-in/email", {
      body: { email, password: STRONG_PASSWORD, callbackURL: "/settings" },
      ip: nextClientIp(),
    });
    expect(signInAttempt.status).toBe(403);
    const link = new URL(linkIn(await nthMailTo(email, /confirm your email/, 2), `${BASE_URL}/verify-email?token=`));
    expect([...link.searchParams.keys()]).toEqual(["token"]);
  });

  it("resending is limited to 3 per 15 minutes per client", async () => {
    const email = uniqueEmail("resend");
    await authRequest("/sign-up/email", {
      body: { email, name: "Rae", password: STRONG_PASSWORD },
      ip: nextClientIp(),
    });
    const ip = nextClientIp();
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await authRequest("/send-verification-email", { body: { email }, ip })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("a sign-up with a taken email mails the owner instead", async () => {
    const owner = await createUser();
    await authRequest("/sign-up/email", {
      body: { email: owner.email, name: "Intruder", password: "another-Quiet-harbor-58" },
      ip: nextClientIp(),
    });
    const mail = await mailTo(owner.email, /tried to sign up/);
    expect(mail.text).toContain("Nothing was changed");
    expect(await db.authEvent.count({ where: { userId: owner.id, type: "sign-up-existing-email" } })).toBe(1);
  });
});

describe("password reset", () => {
  async function requestReset(email: string, ip = nextClientIp()) {
    return authRequest("/request-password-reset", { body: { email, redirectTo: "/reset-password" }, ip });
  }

  async function resetToken(email: string): Promise<string> {
    const link = linkIn(await mailTo(email, /reset your password/), `${BASE_URL}/api/auth/reset-password/`);
    const redirect = await get(link);
    const location = new URL(redirect.headers.get("location") ?? "", BASE_URL);
    const token = location.searchParams.get("token");
    if (!token) throw new Error(`no token in ${location}`);
    return token;
  }

  it("answers an unknown email exactly like a known one", async () => {
    const user = await createUser();
    const known = await requestReset(user.email);
    const unknown = await requestReset(uniqueEmail("nobody"));
    expect(unknown.status).toBe(known.status);
    expect(await unknown.text()).toBe(await known.text());
  });

  it("sets a new password with a single-use token and signs out every session", async () => {
    const user = await createUser();
    const { headers } = await signIn(user);
    await requestReset(user.email);
    const token = await resetToken(user.email);
    const newPassword = "velvet-Lantern-orbit-204";

    const reset = await authRequest("/reset-password", { body: { newPassword, token }, ip: nextClientIp() });
    expect(reset.status).toBe(200);
    expect(await sessionOf(headers.get("cookie") ?? "")).toBeNull();
    expect(await db.authEvent.count({ where: { userId: user.id, type: "password-reset" } })).toBe(1);

    const again = await authRequest("/reset-password", {
      body: { newPassword: "other-Velvet-orbit-205", token },
      ip: nextClientIp(),
    });
    expect(again.status).toBe(400);
    const signInResponse = await authRequest("/sign-in/email", {
      body: { email: user.email, password: newPassword },
      ip: nextClientIp(),
    });
    expect(signInResponse.status).toBe(200);
  });

  it("refuses a weak new password and keeps the token usable", async () => {
    const user = await createUser();
    await requestReset(user.email);
    const token = await resetToken(user.email);
    const weak = await authRequest("/reset-password", {
      body: { newPassword: "password123", token },
      ip: nextClientIp(),
    });
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { code: string }).code).toBe("PASSWORD_TOO_WEAK");
    const strong = await authRequest("/reset-password", {
      body: { newPassword: "velvet-Lantern-orbit-204", token },
      ip: nextClientIp(),
    });
    expect(strong.status).toBe(200);
  });

  it("a token expires within an hour (the test moves the clock)", async () => {
    const tryAfter = async (minutes: number) => {
      const user = await createUser();
      await requestReset(user.email);
      const token = await resetToken(user.email);
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + minutes * 60_000 });
      try {
        return (
          await authRequest("/reset-password", {
            body: { newPassword: "velvet-Lantern-orbit-204", token },
            ip: nextClientIp(),
          })
        ).status;
      } finally {
        vi.useRealTimers();
      }
    };
    expect(await tryAfter(50)).toBe(200);
    expect(await tryAfter(61)).toBe(400);
  });
});

describe("change password", () => {
  async function changePassword(cookie: string, body: Record<string, unknown>) {
    return authRequest("/change-password", { body, headers: { cookie }, ip: nextClientIp() });
  }

  it("needs the current password", async () => {
    const user = await createUser();
    const { headers } = await signIn(user);
    const response = await changePassword(headers.get("cookie") ?? "", {
      currentPassword: "not-the-Password-77",
      newPassword: "velvet-Lantern-orbit-204",
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
  });

  it("signs out every other session, even when the client asks not to, and keeps this one", async () => {
    const user = await createUser();
    const mine = (await signIn(user)).headers.get("cookie") ?? "";
    const other = (await signIn(user)).headers.get("cookie") ?? "";
    const response = await changePassword(mine, {
      currentPassword: user.password,
      newPassword: "velvet-Lantern-orbit-204",
      revokeOtherSessions: false,
    });
    expect(response.status).toBe(200);
    const current = cookiesFrom(response) || mine;
    expect(await sessionOf(current)).not.toBeNull();
    expect(await sessionOf(other)).toBeNull();
    expect(await db.authEvent.count({ where: { userId: user.id, type: "password-changed" } })).toBe(1);
  });

  it("refuses the current password as the new one, and the password stays", async () => {
    const user = await createUser();
    const { headers } = await signIn(user);
    const response = await changePassword(headers.get("cookie") ?? "", {
      currentPassword: user.password,
      newPassword: user.password,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "PASSWORD_UNCHANGED", message: SAME_PASSWORD_MESSAGE });
    expect(await db.authEvent.count({ where: { userId: user.id, type: "password-changed" } })).toBe(0);
  });

  it("refuses a weak new password", async () => {
    const user = await createUser({ name: "Carol Jones" });
    const { headers } = await signIn(user);
    const response = await changePassword(headers.get("cookie") ?? "", {
      currentPassword: user.password,
      newPassword: "caroljones1",
    });
    expect(response.status).toBe(400);
  });
});

describe("audit log", () => {
  it("records sign-in, failed sign-in and sign-out with IP and user agent, and never a secret", async () => {
    const user = await createUser();
    const ip = nextClientIp();
    const headers = { "user-agent": "AuditTest/1.0" };
    await authRequest("/sign-in/email", { body: { email: user.email, password: "wrong-Password-000" }, ip, headers });
    const ok = await authRequest("/sign-in/email", {
      body: { email: user.email, password: user.password },
      ip,
      headers,
    });
    await authRequest("/sign-out", { body: {}, ip, headers: { ...headers, cookie: cookiesFrom(ok) } });

    const events = await db.authEvent.findMany({
      where: { userId: user.id, type: { not: "sign-up" } },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((event) => event.type)).toEqual(["sign-in-failed", "sign-in", "sign-out"]);
    for (const event of events) expect(event).toMatchObject({ ip, userAgent: "AuditTest/1.0" });
    const everything = JSON.stringify(await db.authEvent.findMany());
    expect(everything).not.toContain(user.password);
    expect(everything).not.toContain("wrong-Password-000");
    expect(everything).not.toMatch(/\$argon2id\$/);
    for (const session of await db.session.findMany()) expect(everything).not.toContain(session.token);
  });

  it("records a sign-up", async () => {
    const email = uniqueEmail("audit-signup");
    await authRequest("/sign-up/email", {
      body: { email, name: "Sam", password: STRONG_PASSWORD },
      ip: nextClientIp(),
    });
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(await db.authEvent.count({ where: { userId: user.id, type: "sign-up" } })).toBe(1);
  });
});

describe("configuration", () => {
  it("requires a verified email by default", () => {
    expect(env.REQUIRE_EMAIL_VERIFICATION).toBe(true);
  });
});
