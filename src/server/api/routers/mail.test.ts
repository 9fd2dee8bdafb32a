// The mail outbox for admins: mails that failed are listed without their text, and a given-up one can be sent again.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { stopOutboxWorker } from "@/server/email/outbox-worker";
import { codeOf, createTestCaller, createUser, type TestCaller } from "@/test/fixtures";
import { mailTo } from "@/test/mailbox";

let admin: TestCaller;
let user: TestCaller;

beforeAll(async () => {
  admin = await createTestCaller(await createUser({ role: "admin" }));
  user = await createTestCaller(await createUser());
});
afterAll(() => stopOutboxWorker(1_000));

const failedMail = (to: string, status = "failed") =>
  db.emailOutbox.create({
    data: {
      recipient: to,
      template: "reset-password",
      subject: "Taskforge: reset your password",
      text: "Choose a new password: http://localhost:3000/reset-password?token=secret-in-the-outbox",
      html: "<p>secret-in-the-outbox</p>",
      status,
      attempts: 8,
      lastError: "connect ECONNREFUSED 127.0.0.1:25",
    },
  });

describe("mail.troubled", () => {
  it("lists mails given up and mails waiting for a retry, never their text; admins only", async () => {
    const given = await failedMail(`given-${randomUUID()}@example.com`);
    const waiting = await failedMail(`waiting-${randomUUID()}@example.com`, "pending");
    await db.emailOutbox.update({
      where: { id: waiting.id },
      data: { nextAttemptAt: new Date(Date.now() + 3_600_000) },
    });
    const listed = await admin.mail.troubled({});
    const ids = listed.map((mail) => mail.id);
    expect(ids).toEqual(expect.arrayContaining([given.id, waiting.id]));
    expect(listed.find((mail) => mail.id === given.id)).toMatchObject({
      status: "failed",
      attempts: 8,
      lastError: "connect ECONNREFUSED 127.0.0.1:25",
    });
    expect(JSON.stringify(listed)).not.toContain("secret-in-the-outbox");
    expect(await codeOf(user.mail.troubled({}))).toBe("FORBIDDEN");
  });
});

describe("mail.retry", () => {
  it("sends a given-up mail again, once, and records who asked", async () => {
    const to = `retry-${randomUUID()}@example.com`;
    const mail = await failedMail(to);
    await expect(admin.mail.retry({ id: mail.id })).resolves.toEqual({ id: mail.id });
    expect((await mailTo(to, /reset your password/)).text).toContain("secret-in-the-outbox");
    await expect
      .poll(async () => (await db.emailOutbox.findUniqueOrThrow({ where: { id: mail.id } })).status)
      .toBe("sent");
    expect(
      await db.authEvent.count({ where: { type: "mail-retried", detail: { path: ["outboxId"], equals: mail.id } } }),
    ).toBe(1);
    // Sent now: there is nothing to retry.
    expect(await codeOf(admin.mail.retry({ id: mail.id }))).toBe("NOT_FOUND");
  });

  it("refuses a mail that was not given up, an unknown id, and anyone but an admin", async () => {
    const pending = await failedMail(`pending-${randomUUID()}@example.com`, "pending");
    await db.emailOutbox.update({
      where: { id: pending.id },
      data: { nextAttemptAt: new Date(Date.now() + 3_600_000) },
    });
    expect(await codeOf(admin.mail.retry({ id: pending.id }))).toBe("NOT_FOUND");
    expect(await codeOf(admin.mail.retry({ id: randomUUID() }))).toBe("NOT_FOUND");
    expect(await codeOf(admin.mail.retry({ id: "not-a-uuid" }))).toBe("BAD_REQUEST");
    const failed = await failedMail(`forbidden-${randomUUID()}@example.com`);
    expect(await codeOf(user.mail.retry({ id: failed.id }))).toBe("FORBIDDEN");
    expect((await db.emailOutbox.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("failed");
  });
});
