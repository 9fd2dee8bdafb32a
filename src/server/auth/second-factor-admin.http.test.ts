// REQUIRE_ADMIN_MFA: admin procedures refuse a session made without a second factor (by cookie or JWT), with a
// reason the admin pages turn into "turn on two-factor authentication"; and an admin can reset a user's factor.
import { describe, expect, it, vi } from "vitest";
import { SECOND_FACTOR_REQUIRED } from "@/lib/auth-requirements";
import { db } from "@/server/db";
import { callerWithHeaders, codeOf, createUser } from "@/test/fixtures";
import { enrolSecondFactor, passwordStep, totpCode } from "@/test/fixtures/second-factor";
import { accessTokenFor } from "@/test/fixtures/tokens";
import { authRequest, cookiesFrom, nextClientIp, trpcRequest } from "@/test/http";

// Before the app's modules load: they read the configuration once.
vi.hoisted(() => {
  process.env.REQUIRE_ADMIN_MFA = "true";
});

describe("REQUIRE_ADMIN_MFA", () => {
  it("refuses an admin session made with the password alone, with SECOND_FACTOR_REQUIRED", async () => {
    const admin = await createUser({ role: "admin" });
    const { cookie } = await passwordStep(admin);
    const response = await trpcRequest("user.list", { headers: { cookie } });
    const { error } = (await response.json()) as { error: { json: { data: { code: string; reason: string } } } };
    expect(error.json.data).toMatchObject({ code: "FORBIDDEN", reason: SECOND_FACTOR_REQUIRED });
    // A JWT of such a session is refused the same way.
    const jwtCaller = await callerWithHeaders(new Headers({ authorization: `Bearer ${await accessTokenFor(admin)}` }));
    expect(await codeOf(jwtCaller.user.list({}))).toBe("FORBIDDEN");
  });

  it("lets an admin who signed in with a code administer", async () => {
    const admin = await createUser({ role: "admin" });
    const enrolled = await enrolSecondFactor(admin);
    const step = await passwordStep(admin);
    const done = await authRequest("/two-factor/verify-totp", {
      body: { code: await totpCode(enrolled.totpURI, 1) },
      headers: { cookie: step.cookie },
      ip: nextClientIp(),
    });
    const caller = await callerWithHeaders(new Headers({ cookie: cookiesFrom(done) }));
    expect(await codeOf(caller.user.list({}))).toBe("OK");
    // The session the enrolment renewed was made with the factor too.
    expect(await codeOf((await callerWithHeaders(enrolled.headers)).user.list({}))).toBe("OK");
  });
});

describe("user.resetSecondFactor", () => {
  it("turns a user's factor off, forgets their trusted devices, audits who did it and mails the user", async () => {
    const admin = await createUser({ role: "admin" });
    const adminCaller = await callerWithHeaders((await enrolSecondFactor(admin)).headers);
    const user = await createUser();
    const enrolled = await enrolSecondFactor(user);
    const trusted = await authRequest("/two-factor/verify-totp", {
      body: { code: await totpCode(enrolled.totpURI, 1), trustDevice: true },
      headers: { cookie: (await passwordStep(user)).cookie },
      ip: nextClientIp(),
    });
    expect(cookiesFrom(trusted)).toMatch(/trust_device=/);

    const result = await adminCaller.user.resetSecondFactor({ userId: user.id });
    expect(result).toMatchObject({ id: user.id, twoFactorEnabled: false });
    expect(await db.twoFactor.count({ where: { userId: user.id } })).toBe(0);
    expect(
      await db.verification.count({ where: { value: user.id, identifier: { startsWith: "trust-device-" } } }),
    ).toBe(0);
    const [event] = await db.authEvent.findMany({ where: { userId: user.id, type: "two-factor-reset" } });
    expect(event?.detail).toEqual({ by: admin.id });
    expect(await db.emailOutbox.count({ where: { recipient: user.email, template: "two-factor-reset" } })).toBe(1);
    // The password alone signs them in again.
    expect((await passwordStep(user)).body).not.toHaveProperty("twoFactorRedirect");
  });

  it("is for admins only, and not for one's own factor", async () => {
    const admin = await createUser({ role: "admin" });
    const enrolled = await enrolSecondFactor(admin);
    const adminCaller = await callerWithHeaders(enrolled.headers);
    expect(await codeOf(adminCaller.user.resetSecondFactor({ userId: admin.id }))).toBe("BAD_REQUEST");
    const user = await createUser();
    const other = await createUser();
    await enrolSecondFactor(other);
    const userCaller = await callerWithHeaders((await enrolSecondFactor(user)).headers);
    expect(await codeOf(userCaller.user.resetSecondFactor({ userId: other.id }))).toBe("FORBIDDEN");
    expect(await db.twoFactor.count({ where: { userId: other.id } })).toBe(1);
  });
});
