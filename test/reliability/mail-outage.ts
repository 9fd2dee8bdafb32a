// The mail server is down for a minute while people sign up and ask for password resets on two app instances: every
// answer still comes at once, every mail acknowledged arrives exactly once after the mail server is back, and the two
// instances, sending from one outbox, never send one mail twice.
//
// PostgreSQL: a fresh database on RELIABILITY_POSTGRES_URL (default the local server), dropped at the end.
import { randomBytes } from "node:crypto";
import { type CapturedMail, startMailCapture } from "../../src/test/mail-capture";
import { appClient, uniqueEmail, verifiedUser } from "./harness/client";
import { Report, percentile, runScript } from "./harness/report";
import { appPort, createDatabase, onCleanup, sql, startApp } from "./harness/services";

const OUTAGE_MS = Number(process.env.RELIABILITY_MAIL_OUTAGE_MS ?? 60_000);
const REQUEST_EVERY_MS = 1_500;
const DRAIN_DEADLINE_MS = 180_000;

const report = new Report("The mail server down for a minute (two instances, one outbox)");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

await runScript(report, async () => {
  const postgresUrl = process.env.RELIABILITY_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const run = `${process.pid}_${randomBytes(3).toString("hex")}`;
  const databaseUrl = await createDatabase(postgresUrl, `taskforge_mail_${run}`);
  const mail = await startMailCapture();
  onCleanup("mail capture", mail.close);

  const [portA, portB] = [await appPort(), await appPort()];
  const publicUrl = `http://127.0.0.1:${portA}`;
  const env = {
    DATABASE_URL: databaseUrl,
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64url"),
    BETTER_AUTH_URL: publicUrl,
    TRUSTED_PROXY_HOPS: "1",
    SMTP_URL: mail.smtpUrl,
  };
  const [instanceA, instanceB] = await Promise.all([
    startApp("instance A", portA, env),
    startApp("instance B", portB, env),
  ]);
  const apps = [appClient(instanceA.url, publicUrl), appClient(instanceB.url, publicUrl)] as const;
  const members = await Promise.all(
    [0, 1, 2, 3].map((i) => verifiedUser(apps[i % 2] as (typeof apps)[number], mail.apiUrl)),
  );
  const mailsBefore = (await capturedMails(mail.apiUrl)).length;

  // The outage: every request alternates between the instances; what each acknowledged is what must arrive.
  await mail.stopSmtp();
  const expected = new Map<string, number>();
  const expect = (to: string, subject: string) =>
    expected.set(`${to} ${subject}`, (expected.get(`${to} ${subject}`) ?? 0) + 1);
  const answerMs: number[] = [];
  let refused = 0;
  const outageStarted = Date.now();
  for (let i = 0; Date.now() - outageStarted < OUTAGE_MS; i++) {
    const app = apps[i % 2] as (typeof apps)[number];
    const next = Date.now() + REQUEST_EVERY_MS;
    if (i % 2 === 0) {
      const email = uniqueEmail("outage");
      const reply = await app.signUp(email);
      answerMs.push(reply.ms);
      if (reply.status === 200) expect(email, "Taskforge: confirm your email address");
      else refused++;
    } else {
      const member = members[(i >> 1) % members.length] as (typeof members)[number];
      const reply = await app.requestPasswordReset(member.email);
      answerMs.push(reply.ms);
      if (reply.status === 200) expect(member.email, "Taskforge: reset your password");
      else refused++;
    }
    await sleep(Math.max(0, next - Date.now()));
  }
  const acknowledged = [...expected.values()].reduce((sum, count) => sum + count, 0);
  const waiting = await sql<{ count: string; tried: string }>(
    databaseUrl,
    `SELECT count(*)::text AS count, count(*) FILTER (WHERE attempts > 0)::text AS tried
     FROM email_outbox WHERE status <> 'sent'`,
  );
  report.check("every request during the outage was answered 200", refused === 0, `${refused} refused`);
  report.check(
    "nothing was delivered while the mail server was down",
    (await capturedMails(mail.apiUrl)).length === mailsBefore,
  );
  report.check(
    "the acknowledged mails wait in the outbox, tried and kept for later",
    Number(waiting[0]?.count) === acknowledged && Number(waiting[0]?.tried) > 0,
    `${waiting[0]?.count} waiting (${waiting[0]?.tried} tried at least once) for ${acknowledged} acknowledged`,
  );
  report.figure("outage", `${(OUTAGE_MS / 1000).toFixed(0)} s, ${acknowledged} mails acknowledged`);
  report.figure(
    "answers during the outage",
    `p50 ${percentile(answerMs, 50).toFixed(0)} ms, p99 ${percentile(answerMs, 99).toFixed(0)} ms`,
  );

  // Back up: everything acknowledged arrives, once.
  await mail.startSmtp();
  const backAt = Date.now();
  let arrived = new Map<string, number>();
  while (Date.now() - backAt < DRAIN_DEADLINE_MS) {
    arrived = countByRecipient((await capturedMails(mail.apiUrl)).slice(mailsBefore));
    if ([...expected].every(([key, count]) => (arrived.get(key) ?? 0) >= count)) break;
    await sleep(1_000);
  }
  const drainedMs = Date.now() - backAt;
  await sleep(10_000); // time enough for a second copy, if one were on its way
  arrived = countByRecipient((await capturedMails(mail.apiUrl)).slice(mailsBefore));
  const missing = [...expected].filter(([key, count]) => (arrived.get(key) ?? 0) < count);
  const extra = [...arrived].filter(([key, count]) => count > (expected.get(key) ?? 0));
  report.check(
    "every acknowledged mail arrived after the mail server came back",
    missing.length === 0,
    missing.map(([key]) => key).join(", "),
  );
  report.check(
    "no mail arrived twice, and none that was not acknowledged",
    extra.length === 0,
    extra.map(([key]) => key).join(", "),
  );
  const rows = await sql<{ status: string; count: string }>(
    databaseUrl,
    "SELECT status, count(*)::text AS count FROM email_outbox GROUP BY status ORDER BY status",
  );
  report.check(
    "the outbox holds every mail as sent, with its body cleared",
    rows.length === 1 &&
      rows[0]?.status === "sent" &&
      Number(
        (
          await sql<{ n: string }>(databaseUrl, "SELECT count(*)::text AS n FROM email_outbox WHERE text IS NOT NULL")
        )[0]?.n,
      ) === 0,
    rows.map((row) => `${row.status} ${row.count}`).join(", "),
  );
  const retriesBy = [instanceA, instanceB].map(
    (instance) => `${instance.name}: ${(instance.log().match(/a mail was not sent/g) ?? []).length}`,
  );
  report.figure(
    "after the mail server came back",
    `all ${acknowledged} delivered within ${(drainedMs / 1000).toFixed(0)} s`,
  );
  report.figure("failed attempts logged", retriesBy.join(", "));
});

async function capturedMails(apiUrl: string): Promise<CapturedMail[]> {
  return (await (await fetch(apiUrl)).json()) as CapturedMail[];
}

function countByRecipient(mails: CapturedMail[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const mail of mails)
    for (const to of mail.to) counts.set(`${to} ${mail.subject}`, (counts.get(`${to} ${mail.subject}`) ?? 0) + 1);
  return counts;
}
