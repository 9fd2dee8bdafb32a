// Retention: rows that only accumulate are deleted by every app process, hourly, in batches of short statements —
// audit events older than AUDIT_RETENTION_DAYS, mails the outbox finished with 30 days ago, and rate-limit counters
// (in the database without Redis, or while it is away) idle for RATE_LIMIT_RETENTION_HOURS, and the reasons sessions
// ended once their cookies have expired. Several instances may prune at once: a batch skips rows another is
// deleting (SKIP LOCKED), so none waits for another.
import { env } from "@/env";
import { AUTH_EVENT_TYPES } from "@/server/audit";
import type { Database } from "@/server/db";
import { logger } from "@/server/logger";

const BATCH = 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** Deletes the audit events created before `cutoff`; returns how many. */
export async function pruneAuthEvents(db: Database, cutoff: Date): Promise<number> {
  // `type = ANY(...)` lets the (type, created_at) index find them.
  const types = [...AUTH_EVENT_TYPES];
  return inBatches(
    () => db.$executeRaw`
      DELETE FROM auth_events WHERE id IN (
        SELECT id FROM auth_events WHERE type = ANY(${types}) AND created_at < ${cutoff}
        LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`,
  );
}

/** Deletes the rate-limit rows whose last request (or window start) is before `cutoffMs`; returns how many. */
export async function pruneRateLimits(db: Database, cutoffMs: number): Promise<number> {
  return inBatches(
    () => db.$executeRaw`
      DELETE FROM rate_limits WHERE id IN (
        SELECT id FROM rate_limits WHERE last_request < ${cutoffMs}
        LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`,
  );
}

/** How long the outbox keeps a mail it has finished with (sent, or given up), as the record of its fate. */
export const OUTBOX_RETENTION_DAYS = 30;

/** Deletes the outbox rows sent or given up before `cutoff`; returns how many. */
export async function pruneOutbox(db: Database, cutoff: Date): Promise<number> {
  return inBatches(
    () => db.$executeRaw`
      DELETE FROM email_outbox WHERE id IN (
        SELECT id FROM email_outbox WHERE status IN ('sent', 'failed') AND created_at < ${cutoff}
        LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`,
  );
}

/** Deletes the sign-out reasons no cookie can ask for any more (expired before `cutoff`); returns how many. */
export async function pruneSignOutReasons(db: Database, cutoff: Date): Promise<number> {
  return inBatches(
    () => db.$executeRaw`
      DELETE FROM signed_out_sessions WHERE token_hash IN (
        SELECT token_hash FROM signed_out_sessions WHERE expires_at < ${cutoff}
        LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`,
  );
}

async function inBatches(deleteBatch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (let deleted = BATCH; deleted === BATCH; total += deleted) deleted = await deleteBatch();
  return total;
}

/** One pass of every retention rule, as of `now`. */
export async function pruneExpiredRows(
  db: Database,
  now = Date.now(),
): Promise<{ authEvents: number; rateLimits: number; mails: number; signOutReasons: number }> {
  const authEvents = await pruneAuthEvents(db, new Date(now - env.AUDIT_RETENTION_DAYS * DAY));
  const rateLimits = await pruneRateLimits(db, now - env.RATE_LIMIT_RETENTION_HOURS * HOUR);
  const mails = await pruneOutbox(db, new Date(now - OUTBOX_RETENTION_DAYS * DAY));
  const signOutReasons = await pruneSignOutReasons(db, new Date(now));
  return { authEvents, rateLimits, mails, signOutReasons };
}

const globalForRetention = globalThis as unknown as { taskforgeRetention?: NodeJS.Timeout };

/** Prunes now (after a random delay, so instances started together spread out) and every hour; never keeps the process alive. */
export function startRetention(db: Database): void {
  if (globalForRetention.taskforgeRetention) return;
  const prune = () =>
    void pruneExpiredRows(db).then(
      (deleted) => {
        if (Object.values(deleted).some(Boolean)) logger.info(deleted, "retention: expired rows deleted");
      },
      (error: unknown) => logger.warn({ err: error }, "retention: pruning failed; trying again next hour"),
    );
  setTimeout(prune, Math.random() * 60_000).unref();
  globalForRetention.taskforgeRetention = setInterval(prune, PRUNE_EVERY_MS).unref();
}
