// The outbox: every mail the app sends is a row first, written before anyone is told it is on its way (in the same
// transaction as the change that causes it, where there is one), then sent by the worker of whichever instance
// claims it (outbox-worker.ts). No answer waits on SMTP, and a mail server that is down loses nothing.
import type { Prisma } from "@/generated/prisma/client";
import { type Database, db as appDatabase } from "@/server/db";
import type { Mail } from "@/server/email/messages";
import { OUTBOX_CHANNEL, outboxWorker } from "@/server/email/outbox-worker";

type OutboxWriter = Pick<Database, "emailOutbox" | "$executeRaw">;

/**
 * Queues `mail`. `db`: the transaction of the change that causes it, so the mail exists exactly when the change does;
 * `requestId`: the request that caused it, which the log line of its sending names.
 */
export async function enqueueMail(
  mail: Mail,
  { db = appDatabase, requestId = null }: { db?: OutboxWriter; requestId?: string | null } = {},
): Promise<void> {
  await db.emailOutbox.create({
    data: {
      recipient: mail.to,
      template: mail.template,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      requestId,
      nextAttemptAt: new Date(),
    },
    select: { id: true },
  });
  // Other instances hear of it when the transaction commits (at once outside one); this one looks now.
  await db.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
  outboxWorker(appDatabase).wake();
}

/** What the admin view shows of a mail: never its text (links in it are credentials). */
export const outboxEntrySelect = {
  id: true,
  recipient: true,
  template: true,
  subject: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  lastError: true,
  createdAt: true,
} satisfies Prisma.EmailOutboxSelect;

/** Mails given up, and mails waiting for a retry (they failed at least once), newest first. */
export function troubledMails(db: Database, { limit }: { limit: number }) {
  return db.emailOutbox.findMany({
    where: { OR: [{ status: "failed" }, { status: "pending", attempts: { gt: 0 } }] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: outboxEntrySelect,
  });
}

/** Sends a given-up mail again from now (its attempts start over); false when there is no such failed mail. */
export async function retryMail(db: Database, id: string): Promise<boolean> {
  const { count } = await db.emailOutbox.updateMany({
    where: { id, status: "failed", text: { not: null } },
    data: { status: "pending", attempts: 0, nextAttemptAt: new Date(), lastError: null },
  });
  if (count) {
    await db.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
    outboxWorker(appDatabase).wake();
  }
  return count > 0;
}
