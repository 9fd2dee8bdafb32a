// The outbox worker, one in every app process: claims due mails with FOR UPDATE SKIP LOCKED (so two instances never
// take the same one), sends them, and retries a failure with exponential backoff and jitter until it gives up. It
// wakes when this process queues a mail, on PostgreSQL's NOTIFY from any instance (LISTEN on DATABASE_DIRECT_URL, or
// on DATABASE_URL without it), and by polling, which also finds retries that have come due. A connection pooler in
// transaction mode cannot deliver NOTIFY: a LISTEN connection that reaches one is given up for polling every second.
// A claim is a lease: a mail whose sender died is claimed again once its lease runs out, so a mail can be sent twice
// only if a process dies between the mail server's acceptance and the row's update.
import pg from "pg";
import { env } from "@/env";
import type { Database } from "@/server/db";
import { PoolerConnection, refusedStartupSetting, requireOwnSession, sessionConfig } from "@/server/db/pooler";
import { deliverMail, Undeliverable } from "@/server/email/mailer";
import type { Mail } from "@/server/email/messages";
import { type Logger, logger as appLogger } from "@/server/logger";

export const OUTBOX_CHANNEL = "email_outbox";

type Deliver = (mail: Mail, options: { log: Logger }) => Promise<void>;

export type OutboxWorkerOptions = {
  db: Database;
  deliver?: Deliver;
  log?: Logger;
  /** PostgreSQL to LISTEN on for new mail; without it the worker relies on being woken here and on polling. */
  listenUrl?: string;
  /** How often it looks for due mail: 5 s beside LISTEN, 1 s without. */
  pollMs?: number;
  /** How often it looks once the LISTEN connection turned out to reach a connection pooler. */
  pollWithoutListenMs?: number;
  batchSize?: number;
  /** Attempts before a mail is given up (status failed; an admin may retry it). */
  maxAttempts?: number;
  /** How long a claimed mail is this worker's before another may take it. */
  leaseMs?: number;
  /** The wait before attempt `attempt + 1`. */
  retryDelayMs?: (attempt: number) => number;
};

/** 2 s, 4 s, 8 s … up to 10 minutes, each drawn from its upper half so instances that failed together spread out. */
export function backoffWithJitter(attempt: number, random = Math.random): number {
  const ceiling = Math.min(2_000 * 2 ** (attempt - 1), 10 * 60_000);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

type ClaimedMail = Mail & { id: string; attempts: number; requestId: string | null };

/** An error as the outbox keeps it: one line, no link (a mail server may quote the message), bounded. */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split("\n")[0] ?? "").replace(/https?:\/\/\S+/g, "[link]").slice(0, 300);
}

export function createOutboxWorker({
  db,
  deliver = deliverMail,
  log = appLogger,
  listenUrl,
  pollMs = listenUrl ? 5_000 : 1_000,
  pollWithoutListenMs = 1_000,
  batchSize = 10,
  maxAttempts = 8,
  leaseMs = 120_000,
  retryDelayMs = backoffWithJitter,
}: OutboxWorkerOptions) {
  let running: Promise<void> | null = null;
  let again = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let listener: pg.Client | null = null;
  let relisten: NodeJS.Timeout | undefined;
  const inFlight = new Set<string>();

  async function claim(): Promise<ClaimedMail[]> {
    return db.$queryRaw<ClaimedMail[]>`
      UPDATE email_outbox SET
        status = 'sending',
        attempts = attempts + 1,
        locked_until = (now() AT TIME ZONE 'UTC') + make_interval(secs => ${leaseMs / 1000}::double precision)
      WHERE id IN (
        SELECT id FROM email_outbox
        WHERE (status = 'pending' AND next_attempt_at <= (now() AT TIME ZONE 'UTC'))
           OR (status = 'sending' AND locked_until < (now() AT TIME ZONE 'UTC'))
        ORDER BY next_attempt_at
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, recipient AS "to", template, subject, text, html, attempts, request_id AS "requestId"`;
  }

  async function send(mail: ClaimedMail): Promise<void> {
    inFlight.add(mail.id);
    // Still this worker's claim: not handed back at shutdown, nor claimed again (which counts another attempt).
    const mine = { id: mail.id, status: "sending", attempts: mail.attempts };
    try {
      await deliver(mail, { log: mail.requestId ? log.child({ requestId: mail.requestId }) : log });
      // Sent: the body goes (its links are credentials), the row stays as the record that it was sent.
      await db.emailOutbox.updateMany({
        where: mine,
        data: { status: "sent", sentAt: new Date(), text: null, html: null, lockedUntil: null, lastError: null },
      });
    } catch (error) {
      const lastError = describeFailure(error);
      const fields = { outboxId: mail.id, template: mail.template, attempts: mail.attempts, error: lastError };
      if (error instanceof Undeliverable || mail.attempts >= maxAttempts) {
        await db.emailOutbox.updateMany({ where: mine, data: { status: "failed", lockedUntil: null, lastError } });
        log.error(fields, "a mail was given up");
      } else {
        const wait = retryDelayMs(mail.attempts);
        await db.emailOutbox.updateMany({
          where: mine,
          data: { status: "pending", nextAttemptAt: new Date(Date.now() + wait), lockedUntil: null, lastError },
        });
        log.warn({ ...fields, retryInMs: wait }, "a mail was not sent; it will be tried again");
      }
    } finally {
      inFlight.delete(mail.id);
    }
  }

  /** Claims and sends until nothing is due; calls made meanwhile make it look once more. */
  function run(): Promise<void> {
    if (stopping) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const mails = await claim();
          await Promise.all(mails.map(send));
          if (mails.length === batchSize) again = true;
        } catch (error) {
          log.warn({ err: error }, "the mail outbox could not be read; trying again shortly");
        }
      } while (again && !stopping);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  function poll(everyMs: number): void {
    clearInterval(timer);
    timer = setInterval(() => void run(), everyMs).unref();
  }

  async function listen(url: string): Promise<void> {
    // A session of its own: a pooler refuses or drops the setting sessionConfig sends at connection start.
    const client = new pg.Client(sessionConfig(url));
    client.on("notification", () => void run());
    client.on("error", (error) => {
      log.warn({ err: error }, "mail outbox: LISTEN connection lost; polling until it is back");
      listener = null;
      void client.end().catch(() => undefined);
      if (!stopping) relisten = setTimeout(() => void listen(url), 5_000).unref();
    });
    try {
      await client.connect();
      await requireOwnSession(client);
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      listener = client;
      if (stopping) await client.end();
    } catch (error) {
      if (!(error instanceof PoolerConnection || refusedStartupSetting(error))) return void client.emit("error", error);
      await client.end().catch(() => undefined);
      if (stopping) return;
      poll(pollWithoutListenMs);
      log.info(
        { pollMs: pollWithoutListenMs },
        "mail outbox: the LISTEN connection reaches a connection pooler, which cannot deliver NOTIFY; looking for new mail by polling instead (set DATABASE_DIRECT_URL to the server's own address to be woken at once)",
      );
    }
  }

  return {
    start(): void {
      poll(pollMs);
      if (listenUrl) void listen(listenUrl);
      void run();
    },
    /** Looks for due mail now (a mail was queued in this process). */
    wake(): void {
      void run();
    },
    /** Resolves once nothing is being sent and nothing due is left unclaimed (for tests). */
    async settled(): Promise<void> {
      while (running) await running;
    },
    /**
     * Stops claiming, lets the mails being sent finish within `deadlineMs`, and hands back the ones that did not, so
     * another instance sends them at once instead of after their lease.
     */
    async stop(deadlineMs = 5_000): Promise<void> {
      stopping = true;
      clearInterval(timer);
      clearTimeout(relisten);
      await listener?.end().catch(() => undefined);
      if (running) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, deadlineMs))]);
      const unfinished = [...inFlight];
      if (unfinished.length) {
        await db.emailOutbox.updateMany({
          where: { id: { in: unfinished }, status: "sending" },
          data: { status: "pending", lockedUntil: null },
        });
      }
    },
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;

const globalForWorker = globalThis as unknown as { taskforgeOutboxWorker?: OutboxWorker };

/** This process's worker, started on first use. */
export function outboxWorker(db: Database): OutboxWorker {
  let worker = globalForWorker.taskforgeOutboxWorker;
  if (!worker) {
    // LISTEN needs a session of its own, which a pooler's DATABASE_URL cannot give: the direct address when there is one.
    worker = createOutboxWorker({ db, listenUrl: env.DATABASE_DIRECT_URL ?? env.DATABASE_URL });
    globalForWorker.taskforgeOutboxWorker = worker;
    worker.start();
  }
  return worker;
}

/** Stops this process's worker, if it started (graceful shutdown); a mail queued after this starts a new one. */
export async function stopOutboxWorker(deadlineMs: number): Promise<void> {
  const worker = globalForWorker.taskforgeOutboxWorker;
  globalForWorker.taskforgeOutboxWorker = undefined;
  await worker?.stop(deadlineMs);
}
