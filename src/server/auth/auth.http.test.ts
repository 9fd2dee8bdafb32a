// Sign-up and sign-in through the real /api/auth route handler and a real database.
import { describe, expect, it } from "vitest";
import { checkPasswordStrength } from "@/lib/password-strength";
import { db } from "@/server/db";
import { STRONG_PASSWORD, appSessionCookieName, createUser, signIn } from "@/test/fixtures";
import { authRequest, cookiesFrom } from "@/test/http";

let ipCounter = 0;
/** A fresh client address, so per-IP rate limits do not couple unrelated tests. */
const nextIp = () => `198.51.100.${++ipCounter}`;

function signUp(body: Record<string, unknown>, ip = nextIp()) {
  return authRequest("/sign-up/email", { body: { name: "New Person", password: STRONG_PASSWORD, ...body }, ip });
}

function signInEmail(email: string, password: string, extra: Record<string, unknown> = {}, ip = nextIp()) {
  return authRequest("/sign-in/email", { body: { email, password, ...extra }, ip });
}

describe("sign-up", () => {
  it("creates an unverified user with an argon2id hash and a lower-cased email", async () => {
    const email = `Mixed.Case-${Date.now()}@Example.com`;
    const response = await signUp({ email });
    expect(response.status).toBe(200);
    const user = await db.user.findUniqueOrThrow({
      where: { email: email.toLowerCase() },
      include: { accounts: true },
    });
    expect(user.emailVerified).toBe(false);
    expect(user.role).toBe("user");
    expect(user.accounts[0]?.password).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(response.headers.getSetCookie()).toEqual([]); // no session before the email is verified
  });

  it("refuses a password built from the user's own name and email, with the reason and suggestions, and creates nothing", async () => {
    const name = "Quorra Vantablick";
    const email = `quorra.vantablick+${Date.now()}@example.com`;
    const password = "QuorraVantablick!";
    // Strong for zxcvbn on its own: only the name and email as context make it weak.
    expect(checkPasswordStrength(password).acceptable).toBe(true);
    const response = await signUp({ email, name, password });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; message: string; suggestions: string[] };
    expect(body.code).toBe("PASSWORD_TOO_WEAK");
    expect(body.message).toBe("Password is too weak: There should not be any personal or page related data.");
    expect(body.suggestions).toContain("Add more words that are less common.");
    expect(await db.user.count({ where: { email } })).toBe(0);
    // The same password is fine for someone else.
    expect(
      (await signUp({ email: `someone-else-${Date.now()}@example.com`, name: "Someone Else", password })).status,
    ).toBe(200);
  });

  it("refuses passwords under 8 or over 128 characters", async () => {
    expect((await signUp({ email: `short-${Date.now()}@example.com`, password: "aB3$xyz" })).status).toBe(400);
    expect((await signUp({ email: `long-${Date.now()}@example.com`, password: "a".repeat(129) })).status).toBe(400);
  });

  it("ignores role, emailVerified and banned sent by the client", async () => {
    const email = `sneaky-${Date.now()}@example.com`;
    const response = await signUp({ email, role: "admin", emailVerified: true, banned: false });
    expect(response.status).toBe(200);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ role: "user", emailVerified: false });
  });

  it.each([
    ["empty", ""],
    ["only spaces", "   "],
    ["101 characters", "x".repeat(101)],
  ])("refuses a name that is %s with a 400 naming the field, and creates nothing", async (_, name) => {
    const email = `bad-name-${Date.now()}@example.com`;
    const response = await signUp({ email, name });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /\[body\.name\] Name (is required|is at most 100 characters)/,
    );
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("stores the name trimmed", async () => {
    const email = `trimmed-${Date.now()}@example.com`;
    expect((await signUp({ email, name: "  Spaced Out  " })).status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).name).toBe("Spaced Out");
  });

  it("gives an email listed in ADMIN_EMAILS no admin role before it is confirmed", async () => {
    expect((await signUp({ email: "Root@Example.com" })).status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { email: "root@example.com" } })).role).toBe("user");
  });

  it("with a taken email looks like a new sign-up and leaves the account unchanged", async () => {
    const owner = await createUser({ name: "Owner" });
    const before = await db.user.findUniqueOrThrow({ where: { id: owner.id }, include: { accounts: true } });

    const fresh = await signUp({ email: `fresh-${Date.now()}@example.com`, name: "Someone" });
    const taken = await signUp({ email: owner.email, name: "Someone", password: "another-Quiet-harbor-58" });
    expect(taken.status).toBe(fresh.status);
    const shape = (body: Record<string, unknown>) =>
      JSON.stringify(body, (key, value) =>
        ["id", "email", "createdAt", "updatedAt"].includes(key) ? typeof value : value,
      );
    expect(shape((await taken.json()) as Record<string, unknown>)).toBe(
      shape((await fresh.json()) as Record<string, unknown>),
    );
    expect(taken.headers.getSetCookie()).toEqual(fresh.headers.getSetCookie());

    const after = await db.user.findUniqueOrThrow({ where: { id: owner.id }, include: { accounts: true } });
    expect(after).toEqual(before);
  });
});

describe("profile update (/update-user)", () => {
  const updateUser = async (user: { id: string }, body: Record<string, unknown>) =>
    authRequest("/update-user", {
      body,
      headers: { cookie: (await signIn(user)).headers.get("cookie") ?? "" },
      ip: nextIp(),
    });

  it.each([
    ["empty", ""],
    ["only spaces", "   "],
    ["101 characters", "x".repeat(101)],
  ])("refuses a name that is %s with a 400 naming the field, and changes nothing", async (_, name) => {
    const user = await createUser({ name: "Kept Name" });
    const response = await updateUser(user, { name });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /\[body\.name\] Name (is required|is at most 100 characters)/,
    );
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("Kept Name");
  });

  it("stores a good name trimmed", async () => {
    const user = await createUser({ name: "Old Name" });
    expect((await updateUser(user, { name: "  New Name  " })).status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("New Name");
  });

  it("ignores role, ban and emailVerified sent by the client", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { emailVerified: false } });
    const protectedFields = {
      role: true,
      banned: true,
      banReason: true,
      banExpires: true,
      emailVerified: true,
    } as const;
    const before = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: protectedFields });
    const response = await updateUser(user, {
      name: "Still Me",
      role: "admin",
      emailVerified: true,
      banned: true,
      banReason: "self-inflicted",
      banExpires: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(response.status).toBe(200);
    const after = await db.user.findUniqueOrThrow({
      where: { id: user.id },
      select: { ...protectedFields, name: true },
    });
    expect(after).toEqual({ ...before, name: "Still Me" });
  });
});

describe("sign-in", () => {
  it("is refused until the email is verified", async () => {
    const email = `unverified-${Date.now()}@example.com`;
    await signUp({ email });
    const response = await signInEmail(email, STRONG_PASSWORD);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { code: string }).code).toBe("EMAIL_NOT_VERIFIED");
  });

  it("sets an httpOnly, SameSite=Lax session cookie that lasts 7 days with remember-me", async () => {
    const user = await createUser();
    const response = await signInEmail(user.email, user.password);
    expect(response.status).toBe(200);
    const name = await appSessionCookieName();
    const cookie = response.headers.getSetCookie().find((value) => value.startsWith(`${name}=`));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=604800/);
  });

  it("without remember-me gives a browser-session cookie (no Max-Age or Expires)", async () => {
    const user = await createUser();
    const response = await signInEmail(user.email, user.password, { rememberMe: false });
    const name = await appSessionCookieName();
    const cookie = response.headers.getSetCookie().find((value) => value.startsWith(`${name}=`));
    expect(cookie).toBeDefined();
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
  });

  it("issues a new session token at every sign-in", async () => {
    const user = await createUser();
    const first = cookiesFrom(await signInEmail(user.email, user.password));
    const second = cookiesFrom(await signInEmail(user.email, user.password));
    expect(first).not.toBe(second);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(2);
  });

  it("answers an unknown email and a wrong password identically", async () => {
    const user = await createUser();
    // Error bodies name their request id: sent the same id, the two answers must be the same byte for byte.
    const signInAs = (email: string) =>
      authRequest("/sign-in/email", {
        body: { email, password: "not-the-Password-77" },
        ip: nextIp(),
        headers: { "x-request-id": "enumeration-probe" },
      });
    const wrong = await signInAs(user.email);
    const unknown = await signInAs(`nobody-${Date.now()}@example.com`);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(wrong.status);
    expect(await unknown.text()).toBe(await wrong.text());
  });

  it("is refused for a banned user", async () => {
    const user = await createUser();
    await db.user.update({ where: { id: user.id }, data: { banned: true, banReason: "abuse" } });
    const response = await signInEmail(user.email, user.password);
    expect(response.status).toBe(403);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("is rate limited per client IP with 429 and Retry-After", async () => {
    const ip = nextIp();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 11; i++) {
      const response = await signInEmail(`nobody@example.com`, "not-the-Password-77", {}, ip);
      statuses.push(response.status);
      retryAfter ??= response.headers.get("retry-after");
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

describe("cross-site requests to /api/auth", () => {
  it("a sign-in posted from another origin is refused", async () => {
    const user = await createUser();
    const response = await authRequest("/sign-in/email", {
      body: { email: user.email, password: user.password },
      headers: { origin: "https://evil.example", cookie: `${await appSessionCookieName()}=x` },
      ip: nextIp(),
    });
    expect(response.status).toBe(403);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("sign-out", () => {
  it("deletes the session on the server", async () => {
    const user = await createUser();
    const cookie = cookiesFrom(await signInEmail(user.email, user.password));
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    const response = await authRequest("/sign-out", { body: {}, headers: { cookie } });
    expect(response.status).toBe(200);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    const session = await authRequest("/get-session", { headers: { cookie } });
    expect(await session.json()).toBeNull();
  });
});
