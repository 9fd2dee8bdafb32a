// Security notices through the real handlers and the real SMTP capture: a changed or reset password, and a sign-in
// from a device the account has not used before (device and rough time, the address only in part).
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createUser, STRONG_PASSWORD, signIn, type TestUser } from "@/test/fixtures";
import { authRequest } from "@/test/http";
import { mailTo } from "@/test/mailbox";

const CHROME_LINUX =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";
const CHROME_LINUX_NEWER = CHROME_LINUX.replace("Chrome/142", "Chrome/143");
const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

const newDeviceMails = (email: string) => db.emailOutbox.count({ where: { recipient: email, template: "new-device" } });

let addresses = 0;
async function signInFrom(user: TestUser, userAgent: string) {
  const ip = `198.51.100.${++addresses}`;
  const response = await authRequest("/sign-in/email", {
    body: { email: user.email, password: STRONG_PASSWORD },
    headers: { "user-agent": userAgent },
    ip,
  });
  expect(response.status).toBe(200);
  return ip;
}

describe("a sign-in from a new device", () => {
  it("is told once, with the device and part of the address; known devices and updates are not", async () => {
    const user = await createUser();
    await signInFrom(user, CHROME_LINUX); // the account's first sign-in: nothing to compare with
    await signInFrom(user, CHROME_LINUX);
    await signInFrom(user, CHROME_LINUX_NEWER); // a browser update is the same device
    expect(await newDeviceMails(user.email)).toBe(0);

    const ip = await signInFrom(user, FIREFOX_WINDOWS);
    const mail = await mailTo(user.email, /a sign-in from a new device/);
    expect(mail.text).toContain("Firefox on Windows");
    expect(mail.text).toContain("198.51.100.x");
    expect(mail.text).not.toContain(ip);
    expect(mail.text).toMatch(/about \d\d:\d0 UTC/);

    await signInFrom(user, FIREFOX_WINDOWS);
    expect(await newDeviceMails(user.email)).toBe(1);
  });
});

describe("a changed password", () => {
  it("is told to the owner when changed in settings", async () => {
    const user = await createUser();
    const cookie = (await signIn(user)).headers.get("cookie") ?? "";
    const changed = await authRequest("/change-password", {
      body: { currentPassword: STRONG_PASSWORD, newPassword: `${STRONG_PASSWORD}-renewed`, revokeOtherSessions: true },
      headers: { cookie },
    });
    expect(changed.status).toBe(200);
    expect((await mailTo(user.email, /your password was changed/)).text).toContain("every other device was signed out");
  });

  it("is told to the owner when reset from a link", async () => {
    const user = await createUser();
    expect((await authRequest("/request-password-reset", { body: { email: user.email } })).status).toBe(200);
    const link = await db.verification.findFirstOrThrow({
      where: { identifier: { startsWith: "reset-password:" }, value: user.id },
    });
    const token = link.identifier.slice("reset-password:".length);
    const reset = await authRequest("/reset-password", { body: { token, newPassword: `${STRONG_PASSWORD}-again` } });
    expect(reset.status).toBe(200);
    await mailTo(user.email, /your password was changed/);
  });
});
