// The outbox: a queued mail is sent once over real SMTP (the test run's capture), whichever of several workers claims
// it; a failure is tried again later and given up after its last attempt, visibly; a sender that died is replaced.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.LOG_LEVEL = "info";
});

import { db } from "@/server/db";
import { deliverMail } from "@/server/email/mailer";
import type { Mail } from "@/server/email/messages";
import { enqueueMail, retryMail, troubledMails } from "@/server/email/outbox";
import {
  backoffWithJitter,
  createOutboxWorker,
  describeFailure,
  type OutboxWorkerOptions,
  stopOutboxWorker,
} from "@/server/email/outbox-worker";
import { mailTo } from "@/test/mailbox";
import { captureLogs } from "@/test/logs";

const logs = captureLogs();
afterAll(() => logs.stop());

const mailFor = (to: string, link = "http://localhost:3000/reset-password?token=secret-123"): Mail => ({
  to,
  template: "reset-password",
  subject: "Taskforge: reset your password",
  text: `Choose a new password: ${link}`,
  html: `<a href="${link}">Choose a new password</a>`,
});

/** A row as enqueueMail writes it, without waking this process's own worker (the tests run workers of their own). */
async function queue(mail: Mail): Promise<string> {
  const row = await db.emailOutbox.create({
    data: { recipient: mail.to, template: mail.template, subject: mail.subject, text: mail.text, html: mail.html },
    select: { id: true },
  });
  return row.id;
}

/** A worker that never polls by itself: the test says when it looks. */
const worker = (options: Partial<OutboxWorkerOptions> = {}) =>
  createOutboxWorker({ db, pollMs: 3_600_000, retryDelayMs: () => 0, ...options });

async function runOnce(options: Partial<OutboxWorkerOptions> = {}) {
  const w = worker(options);
  w.wake();
  await w.settled();
  return w;
}

const rowOf = (id: string) => db.emailOutbox.findUniqueOrThrow({ where: { id } });

describe("a queued mail", () => {
  it("is sent over SMTP once, and its body (with the link) is cleared once it is sent", async () => {
    const to = `outbox-${randomUUID()}@example.com`;
    const id = await queue(mailFor(to));
    await runOnce();
    const mail = await mailTo(to, /reset your password/);
    expect(mail.text).toContain("token=secret-123");
    expect(await rowOf(id)).toMatchObject({ status: "sent", attempts: 1, text: null, html: null, lastError: null });
    await runOnce();
    expect(await db.emailOutbox.count({ where: { recipient: to } })).toBe(1);
  });

  it("is sent by one of two workers sharing the outbox, never by both", async () => {
    const ids = await Promise.all(
      Array.from({ length: 30 }, (_, i) => queue(mailFor(`pair-${i}-${randomUUID()}@example.com`))),
    );
    const sentBy = new Map<string, string[]>();
    const counting =
      (name: string): OutboxWorkerOptions["deliver"] =>
      async (mail, options) => {
        sentBy.set(mail.to, [...(sentBy.get(mail.to) ?? []), name]);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await deliverMail(mail, options);
      };
    const [a, b] = [worker({ deliver: counting("a"), batchSize: 4 }), worker({ deliver: counting("b"), batchSize: 4 })];
    a.wake();
    b.wake();
    await Promise.all([a.settled(), b.settled()]);
    expect(sentBy.size).toBe(30);
    expect([...sentBy.values()].filter((senders) => senders.length !== 1)).toEqual([]);
    const rows = await db.emailOutbox.findMany({ where: { id: { in: ids } }, select: { status: true } });
    expect(rows.every((row) => row.status === "sent")).toBe(true);
  });
});

describe("a mail the mail server refuses", () => {
  const refusing: OutboxWorkerOptions["deliver"] = async () => {
    throw new Error("421 try later: http://localhost:3000/reset-password?token=leaked\nsecond line");
  };

  it("is tried again after a wait, with the error kept without its links", async () => {
    const id = await queue(mailFor(`retry-${randomUUID()}@example.com`));
    const before = Date.now();
    await runOnce({ deliver: refusing, retryDelayMs: () => 60_000 });
    const row = await rowOf(id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "421 try later: [link]" });
    expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 59_000);
    // Not due yet: nobody claims it.
    await runOnce();
    expect((await rowOf(id)).attempts).toBe(1);
  });

  it("is given up after its last attempt, logged, listed for admins, and sent when an admin retries it", async () => {
    const to = `given-up-${randomUUID()}@example.com`;
    const id = await queue(mailFor(to));
    for (let attempt = 1; attempt <= 3; attempt++) await runOnce({ deliver: refusing, maxAttempts: 3 });
    expect(await rowOf(id)).toMatchObject({ status: "failed", attempts: 3 });
    const line = logs.lines().find((entry) => entry.outboxId === id && entry.msg === "a mail was given up");
    expect(line).toMatchObject({ level: "error", template: "reset-password", attempts: 3 });
    expect(logs.raw.join("")).not.toContain("token=leaked");
    const listed = await troubledMails(db, { limit: 100 });
    expect(listed.find((entry) => entry.id === id)).toMatchObject({ recipient: to, status: "failed", attempts: 3 });
    expect(listed[0]).not.toHaveProperty("text");

    // A retry wakes this process's worker, which sends the mail from its first attempt again.
    expect(await retryMail(db, id)).toBe(true);
    expect(await retryMail(db, randomUUID())).toBe(false);
    await expect.poll(async () => (await rowOf(id)).status).toBe("sent");
    expect((await rowOf(id)).attempts).toBe(1);
    await stopOutboxWorker(1_000);
    expect((await mailTo(to, /reset your password/)).to).toEqual([to]);
  });
});

describe("a sender that stops", () => {
  it("hands back what it had not sent, and a claim whose lease ran out is taken again", async () => {
    const to = `lease-${randomUUID()}@example.com`;
    const id = await queue(mailFor(to));
    let release: () => void = () => undefined;
    const stuck = worker({ deliver: () => new Promise<void>((resolve) => (release = resolve)) });
    stuck.wake();
    await expect.poll(async () => (await rowOf(id)).status).toBe("sending");
    await stuck.stop(50);
    expect(await rowOf(id)).toMatchObject({ status: "pending", lockedUntil: null });
    // Its send ends after all: the row is no longer its claim, so it is not marked sent by it.
    release();
    await stuck.settled();
    expect(await rowOf(id)).toMatchObject({ status: "pending" });

    // A claim left by a process that died: its lease is over, another worker takes it.
    await db.emailOutbox.update({
      where: { id },
      data: { status: "sending", lockedUntil: new Date(Date.now() - 1_000) },
    });
    await runOnce();
    expect(await rowOf(id)).toMatchObject({ status: "sent" });
    await mailTo(to, /reset your password/);
  });
});

describe("the wait between attempts", () => {
  it("doubles from 2 s up to 10 minutes, drawn from the upper half of each step", () => {
    expect(backoffWithJitter(1, () => 0)).toBe(1_000);
    expect(backoffWithJitter(1, () => 1)).toBe(2_000);
    expect(backoffWithJitter(4, () => 1)).toBe(16_000);
    expect(backoffWithJitter(30, () => 1)).toBe(600_000);
    expect(backoffWithJitter(30, () => 0)).toBe(300_000);
  });

  it("keeps one line of an error, without links, at most 300 characters", () => {
    expect(describeFailure(new Error("a https://x.example/t?token=1 b\nstack"))).toBe("a [link] b");
    expect(describeFailure("x".repeat(400))).toHaveLength(300);
  });
});

describe("enqueueMail", () => {
  it("queues the mail and this process's worker sends it at once", async () => {
    const to = `enqueue-${randomUUID()}@example.com`;
    await enqueueMail(mailFor(to));
    await mailTo(to, /reset your password/);
    await expect
      .poll(async () => (await db.emailOutbox.findFirstOrThrow({ where: { recipient: to } })).status)
      .toBe("sent");
    await stopOutboxWorker(1_000);
  });
});
