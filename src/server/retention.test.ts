// Retention: audit events and rate-limit rows past their configured age are deleted, in batches; newer ones stay.
import { describe, expect, it } from "vitest";
import { env } from "@/env";
import { db } from "@/server/db";
import { OUTBOX_RETENTION_DAYS, pruneExpiredRows } from "@/server/retention";
import { createUser } from "@/test/fixtures";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

describe("retention", () => {
  it(`deletes audit events older than AUDIT_RETENTION_DAYS (${env.AUDIT_RETENTION_DAYS}) and keeps the rest`, async () => {
    const now = Date.now();
    const old = new Date(now - (env.AUDIT_RETENTION_DAYS + 1) * DAY);
    const recent = new Date(now - (env.AUDIT_RETENTION_DAYS - 1) * DAY);
    await db.$executeRaw`
      INSERT INTO auth_events (id, type, user_agent, created_at)
      SELECT gen_random_uuid(), 'sign-in-failed', repeat('x', 500), ${old} FROM generate_series(1, 2500)`;
    await db.authEvent.create({ data: { type: "sign-in-failed", createdAt: recent } });
    await db.authEvent.create({ data: { type: "role-changed", createdAt: old } });

    const deleted = await pruneExpiredRows(db, now);
    expect(deleted.authEvents).toBe(2501);
    expect(await db.authEvent.count()).toBe(1);
    expect(await db.authEvent.count({ where: { createdAt: recent } })).toBe(1);
  });

  it(`deletes rate-limit rows idle for RATE_LIMIT_RETENTION_HOURS (${env.RATE_LIMIT_RETENTION_HOURS}) and keeps live ones`, async () => {
    const now = Date.now();
    const expired = BigInt(now - (env.RATE_LIMIT_RETENTION_HOURS + 1) * HOUR);
    await db.$executeRaw`
      INSERT INTO rate_limits (id, key, count, last_request)
      SELECT gen_random_uuid()::text, 'ip:' || n, 3, ${expired} FROM generate_series(1, 1500) AS n`;
    await db.rateLimit.create({
      data: { id: "live", key: "account:live", count: 1, lastRequest: BigInt(now - 60_000) },
    });

    const deleted = await pruneExpiredRows(db, now);
    expect(deleted.rateLimits).toBe(1500);
    expect(await db.rateLimit.findMany({ select: { key: true } })).toEqual([{ key: "account:live" }]);
  });

  it(`deletes mails sent or given up over ${OUTBOX_RETENTION_DAYS} days ago, and never a mail still to send`, async () => {
    const now = Date.now();
    const old = new Date(now - (OUTBOX_RETENTION_DAYS + 1) * DAY);
    const mail = { recipient: "r@example.com", template: "verify-email", subject: "s", createdAt: old };
    await db.emailOutbox.createMany({
      data: [
        { ...mail, status: "sent" },
        { ...mail, status: "failed" },
        { ...mail, status: "pending", text: "still to send" },
        { ...mail, status: "sent", createdAt: new Date(now - DAY) },
      ],
    });

    const deleted = await pruneExpiredRows(db, now);
    expect(deleted.mails).toBe(2);
    expect(
      (await db.emailOutbox.findMany({ select: { status: true }, orderBy: { status: "asc" } })).map(
        (row) => row.status,
      ),
    ).toEqual(["pending", "sent"]);
  });

  it("deletes why a session ended once its cookie has expired, and keeps it while the cookie may be around", async () => {
    const now = Date.now();
    const { id: userId } = await createUser();
    await db.signedOutSession.createMany({
      data: [
        { tokenHash: "gone", userId, reason: "expired", expiresAt: new Date(now - 1000) },
        { tokenHash: "kept", userId, reason: "banned", expiresAt: new Date(now + DAY) },
      ],
    });

    const deleted = await pruneExpiredRows(db, now);
    expect(deleted.signOutReasons).toBe(1);
    expect(await db.signedOutSession.findMany({ select: { tokenHash: true } })).toEqual([{ tokenHash: "kept" }]);
  });
});
