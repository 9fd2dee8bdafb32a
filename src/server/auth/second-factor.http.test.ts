// The second factor through the real handlers: enrolment, the sign-in step nothing gets past, codes accepted once,
// wrong codes limited per account, backup codes, trusted devices, and the seam that holds every first factor to it.
import { describe, expect, it } from "vitest";
import { confirmationLink } from "@/server/auth/email-confirmation";
import { db } from "@/server/db";
import { createUser, STRONG_PASSWORD, signIn, type TestUser } from "@/test/fixtures";
import { enrolSecondFactor, passwordStep, totpCode } from "@/test/fixtures/second-factor";
import { authRequest, cookiesFrom, nextClientIp, trpcRequest } from "@/test/http";
import { PUBLIC_PROCEDURES } from "@/test/access-policy";
import { appRouter } from "@/server/api/root";

type Json = Record<string, unknown>;

const sessionsOf = (userId: string) => db.session.findMany({ where: { userId }, select: { secondFactor: true } });
const mailsTo = (email: string, template: string) => db.emailOutbox.count({ where: { recipient: email, template } });
const eventsOf = (userId: string, type: string) => db.authEvent.findMany({ where: { userId, type } });

async function verify(path: "verify-totp" | "verify-backup-code", cookie: string, code: string, extra: Json = {}) {
  return authRequest(`/two-factor/${path}`, { body: { code, ...extra }, headers: { cookie }, ip: nextClientIp() });
}

async function me(cookie: string) {
  return trpcRequest("user.me", { headers: { cookie } });
}

async function enrolledUser(): Promise<TestUser & Awaited<ReturnType<typeof enrolSecondFactor>>> {
  const user = await createUser();
  return { ...user, ...(await enrolSecondFactor(user)) };
}

/** A signed-in user who asked to turn the factor on (password given), before the first code. */
async function startEnrolment() {
  const user = await createUser();
  const cookie = (await signIn(user)).headers.get("cookie") ?? "";
  const enabled = await authRequest("/two-factor/enable", { body: { password: STRONG_PASSWORD }, headers: { cookie } });
  expect(enabled.status).toBe(200);
  return { user, cookie, ...((await enabled.json()) as { totpURI: string; backupCodes: string[] }) };
}

describe("enrolment", () => {
  it("shows a secret and 10 backup codes, and turns the factor on only after a right code", async () => {
    const { user, cookie, totpURI, backupCodes } = await startEnrolment();
    expect(totpURI).toMatch(/^otpauth:\/\/totp\/Taskforge:.+\?secret=[A-Z2-7]+/);
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);

    const wrong = await verify("verify-totp", cookie, "000000" === (await totpCode(totpURI)) ? "111111" : "000000");
    expect(wrong.status).toBe(401);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorEnabled).toBe(false);

    const right = await verify("verify-totp", cookie, await totpCode(totpURI));
    expect(right.status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorEnabled).toBe(true);
    // The renewed session was made with the factor; the user is told, and it is audited.
    expect(await sessionsOf(user.id)).toEqual([{ secondFactor: "totp" }]);
    expect(await mailsTo(user.email, "two-factor-enabled")).toBe(1);
    expect(await eventsOf(user.id, "two-factor-enabled")).toHaveLength(1);
    // The secret is stored encrypted, never as the base32 the app showed.
    const stored = await db.twoFactor.findUniqueOrThrow({ where: { userId: user.id } });
    expect(stored.secret).not.toContain(new URL(totpURI).searchParams.get("secret"));
    for (const code of backupCodes) expect(stored.backupCodes).not.toContain(code);
  });

  it("needs the password", async () => {
    const user = await createUser();
    const cookie = (await signIn(user)).headers.get("cookie") ?? "";
    const response = await authRequest("/two-factor/enable", {
      body: { password: "not-the-password" },
      headers: { cookie },
    });
    expect(response.status).toBe(400);
    expect(await db.twoFactor.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("sign-in of an enrolled account", () => {
  it("stops after the password: no session exists until the code is given", async () => {
    const user = await enrolledUser();
    const before = await db.session.count({ where: { userId: user.id } });
    const step = await passwordStep(user);
    expect(step.response.status).toBe(200);
    expect(step.body).toMatchObject({ twoFactorRedirect: true });
    expect(step.body).not.toHaveProperty("token");
    expect(step.response.headers.get("set-auth-token")).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(before);
    expect(await eventsOf(user.id, "second-factor-required")).toHaveLength(1);
  });

  it("reaches nothing of the account from the half-finished sign-in: no procedure, no JWT, no session", async () => {
    const user = await enrolledUser();
    const { cookie } = await passwordStep(user);
    expect((await (await authRequest("/get-session", { headers: { cookie } })).json()) ?? null).toBeNull();
    expect((await authRequest("/token", { headers: { cookie } })).status).toBe(401);
    // Every procedure that is not public refuses the caller as anonymous (a JSON body any procedure accepts or refuses).
    for (const path of Object.keys(appRouter._def.procedures)) {
      if (PUBLIC_PROCEDURES.includes(path)) continue;
      const type = (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[path]?._def
        .type;
      const response =
        type === "query"
          ? await trpcRequest(path, { headers: { cookie } })
          : await trpcRequest(path, { headers: { cookie }, body: {} });
      const { error } = (await response.json()) as { error?: { json?: { data?: { code?: string } } } };
      expect(error?.json?.data?.code, path).toBe("UNAUTHORIZED");
    }
    // The challenge cookie is no bearer credential either.
    const challenge = /two_factor=([^;]+)/.exec(cookie)?.[1] ?? "";
    const bearer = await trpcRequest("user.me", {
      headers: { authorization: `Bearer ${decodeURIComponent(challenge)}` },
    });
    expect(bearer.status).toBe(401);
  });

  it("finishes with a right code: a session made with the second factor", async () => {
    const user = await enrolledUser();
    const step = await passwordStep(user);
    const done = await verify("verify-totp", step.cookie, await totpCode(user.totpURI, 1));
    expect(done.status).toBe(200);
    const cookie = cookiesFrom(done);
    expect((await me(cookie)).status).toBe(200);
    expect(await sessionsOf(user.id)).toContainEqual({ secondFactor: "totp" });
    const signIns = await eventsOf(user.id, "sign-in");
    expect(signIns.at(-1)?.detail).toEqual({ secondFactor: "totp" });
    // A JWT for the finished session is issued as for any other.
    expect((await authRequest("/token", { headers: { cookie } })).status).toBe(200);
  });
});

describe("each code is accepted once", () => {
  it("the code that turned the factor on does not sign in", async () => {
    const { user, cookie, totpURI } = await startEnrolment();
    const code = await totpCode(totpURI);
    expect((await verify("verify-totp", cookie, code)).status).toBe(200);

    const step = await passwordStep(user);
    const replay = await verify("verify-totp", step.cookie, code);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as Json).code).toBe("CODE_ALREADY_USED");
  });

  it("a code that signed in once is refused in a second sign-in within its window", async () => {
    const user = await enrolledUser();
    const code = await totpCode(user.totpURI, 1);
    expect((await verify("verify-totp", (await passwordStep(user)).cookie, code)).status).toBe(200);
    const again = await verify("verify-totp", (await passwordStep(user)).cookie, code);
    expect(again.status).toBe(401);
    expect(cookiesFrom(again)).not.toMatch(/session_token=[^;]/);
  });

  it("the same code sent twice at once signs in once", async () => {
    const user = await enrolledUser();
    const [first, second] = [await passwordStep(user), await passwordStep(user)];
    const code = await totpCode(user.totpURI, 1);
    const answers = await Promise.all([
      verify("verify-totp", first.cookie, code),
      verify("verify-totp", second.cookie, code),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
  });

  it("a backup code signs in once, and is then spent", async () => {
    const user = await enrolledUser();
    const [code] = user.backupCodes;
    const first = await verify("verify-backup-code", (await passwordStep(user)).cookie, code ?? "");
    expect(first.status).toBe(200);
    expect(await sessionsOf(user.id)).toContainEqual({ secondFactor: "backup-code" });
    const again = await verify("verify-backup-code", (await passwordStep(user)).cookie, code ?? "");
    expect(again.status).toBe(401);
    // The other nine still work.
    expect(
      (await verify("verify-backup-code", (await passwordStep(user)).cookie, user.backupCodes[1] ?? "")).status,
    ).toBe(200);
  });
});

describe("wrong codes", () => {
  it("at most 5 per account, from any number of addresses at once; then 429 with Retry-After, even for a right code", async () => {
    const user = await enrolledUser();
    // A challenge each (Better Auth also limits one challenge to 5 tries), each from its own address.
    const challenges = [];
    for (let i = 0; i < 12; i++) challenges.push(await passwordStep(user));
    for (const step of challenges) expect(step.body).toMatchObject({ twoFactorRedirect: true });
    const right = await totpCode(user.totpURI);
    const wrongCode = (i: number) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, "0");
    const answers = await Promise.all(challenges.map((step, i) => verify("verify-totp", step.cookie, wrongCode(i))));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
    const refused = answers.find((answer) => answer.status === 429);
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);

    const fresh = await passwordStep(user);
    const withRightCode = await verify("verify-totp", fresh.cookie, right);
    expect(withRightCode.status).toBe(429);
    expect(await eventsOf(user.id, "second-factor-failed")).toHaveLength(5);
  });

  it("a right code clears the count", async () => {
    const user = await enrolledUser();
    const step = await passwordStep(user);
    // Not the code of the step before, which the enrolment used.
    const right = await totpCode(user.totpURI, 1);
    const wrong = right === "123456" ? "654321" : "123456";
    for (let i = 0; i < 4; i++) expect((await verify("verify-totp", step.cookie, wrong)).status).toBe(401);
    const done = await verify("verify-totp", step.cookie, right);
    expect(done.status, await done.clone().text()).toBe(200);
    for (let i = 0; i < 4; i++) {
      expect((await verify("verify-totp", (await passwordStep(user)).cookie, wrong)).status).toBe(401);
    }
  });
});

describe("trusted devices", () => {
  async function trustedSignIn(user: Awaited<ReturnType<typeof enrolledUser>>) {
    const step = await passwordStep(user);
    const done = await verify("verify-totp", step.cookie, await totpCode(user.totpURI, 1), { trustDevice: true });
    expect(done.status).toBe(200);
    return /[\w.-]*trust_device=[^;]+/.exec(cookiesFrom(done))?.[0] ?? "";
  }

  it("skip the code for 30 days on that device only, and the session says so", async () => {
    const user = await enrolledUser();
    const trust = await trustedSignIn(user);
    expect(trust).not.toBe("");
    const trusted = await passwordStep(user, { cookie: trust });
    expect(trusted.body).not.toHaveProperty("twoFactorRedirect");
    expect((await me(trusted.cookie)).status).toBe(200);
    expect(await sessionsOf(user.id)).toContainEqual({ secondFactor: "trusted-device" });
    // Another device is asked for the code.
    expect((await passwordStep(user)).body).toMatchObject({ twoFactorRedirect: true });
  });

  it("are forgotten when the user signs out everywhere", async () => {
    const user = await enrolledUser();
    const trust = await trustedSignIn(user);
    const cookie = (await signIn(user)).headers.get("cookie") ?? "";
    expect((await trpcRequest("session.revokeAll", { headers: { cookie }, body: {} })).status).toBe(200);
    expect((await passwordStep(user, { cookie: trust })).body).toMatchObject({ twoFactorRedirect: true });
  });

  it("are forgotten when the password changes", async () => {
    const user = await enrolledUser();
    const trust = await trustedSignIn(user);
    const cookie = user.headers.get("cookie") ?? "";
    const changed = await authRequest("/change-password", {
      body: { currentPassword: STRONG_PASSWORD, newPassword: "another-quiet-harbour-58" },
      headers: { cookie },
    });
    expect(changed.status).toBe(200);
    const step = await passwordStep({ ...user, password: "another-quiet-harbour-58" }, { cookie: trust });
    expect(step.body).toMatchObject({ twoFactorRedirect: true });
  });
});

describe("every first factor is held to the second", () => {
  it("a confirmation link that signs in stops at the second factor too", async () => {
    const user = await enrolledUser();
    await db.user.update({ where: { id: user.id }, data: { emailVerified: false } });
    const token = new URL(await confirmationLink(user)).searchParams.get("token");
    const before = await db.session.count({ where: { userId: user.id } });
    const confirmed = await authRequest("/confirm-email", { body: { token, password: STRONG_PASSWORD } });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ twoFactorRedirect: true });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(before);
    const done = await verify("verify-totp", cookiesFrom(confirmed), await totpCode(user.totpURI, 1));
    expect(done.status).toBe(200);
    expect((await me(cookiesFrom(done))).status).toBe(200);
  });
});

describe("turning it off and new backup codes", () => {
  it("disable needs the password, forgets trusted devices, and tells the user", async () => {
    const user = await enrolledUser();
    const cookie = user.headers.get("cookie") ?? "";
    expect(
      (await authRequest("/two-factor/disable", { body: { password: "wrong-password-1" }, headers: { cookie } }))
        .status,
    ).toBe(400);
    const disabled = await authRequest("/two-factor/disable", {
      body: { password: STRONG_PASSWORD },
      headers: { cookie },
    });
    expect(disabled.status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorEnabled).toBe(false);
    expect(await mailsTo(user.email, "two-factor-disabled")).toBe(1);
    expect(await eventsOf(user.id, "two-factor-disabled")).toHaveLength(1);
    expect((await passwordStep(user)).body).not.toHaveProperty("twoFactorRedirect");
  });

  it("regenerated backup codes replace the old ones", async () => {
    const user = await enrolledUser();
    const cookie = user.headers.get("cookie") ?? "";
    const regenerated = await authRequest("/two-factor/generate-backup-codes", {
      body: { password: STRONG_PASSWORD },
      headers: { cookie },
    });
    expect(regenerated.status).toBe(200);
    const { backupCodes } = (await regenerated.json()) as { backupCodes: string[] };
    expect(
      (await verify("verify-backup-code", (await passwordStep(user)).cookie, user.backupCodes[0] ?? "")).status,
    ).toBe(401);
    expect((await verify("verify-backup-code", (await passwordStep(user)).cookie, backupCodes[0] ?? "")).status).toBe(
      200,
    );
    expect(await mailsTo(user.email, "backup-codes-regenerated")).toBe(1);
  });
});
