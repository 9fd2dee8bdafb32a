// The production build behind Debian's PgBouncer in transaction mode, as managed PostgreSQL is usually reached
// (Neon's pooled URL is PgBouncer): instance A with DATABASE_URL at PgBouncer and DATABASE_DIRECT_URL at the server,
// which migrates the fresh database through the direct address at start; instance B with the pooled address only,
// whose start-up only checks the migrations and whose mail outbox polls. On both: ready, sign-up with its confirmation
// mail, confirmation, sign-in, tasks; and the statement timeout holds on the pooler's server connections.
//
// PostgreSQL: a fresh database on RELIABILITY_POSTGRES_URL (default the local server), dropped at the end.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startMailCapture } from "../../src/test/mail-capture";
import { startPgBouncer } from "../../src/test/pgbouncer";
import { type AppClient, appClient, dataOf, replies, request, verifiedUser } from "./harness/client";
import { Report, countBy, formatCounts, kindOf, runScript } from "./harness/report";
import { appPort, createDatabase, onCleanup, sql, startApp } from "./harness/services";

const STATEMENT_TIMEOUT_MS = 1500;

const report = new Report("Behind PgBouncer in transaction mode (DATABASE_URL pooled, DATABASE_DIRECT_URL direct)");

/** Runs `text` on `count` connections through `url` at once, each inside an open transaction (so each holds a server connection of its own). */
async function onServerConnections<Row extends object>(url: string, count: number, text: string): Promise<Row[]> {
  const clients = Array.from({ length: count }, () => new pg.Client({ connectionString: url }));
  try {
    await Promise.all(clients.map((client) => client.connect()));
    await Promise.all(clients.map((client) => client.query("BEGIN")));
    return (await Promise.all(clients.map((client) => client.query<Row>(text)))).map((result) => result.rows[0]!);
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  }
}

await runScript(report, async () => {
  const postgresUrl = process.env.RELIABILITY_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const run = `${process.pid}_${randomBytes(3).toString("hex")}`;
  const directUrl = await createDatabase(postgresUrl, `taskforge_pool_${run}`);
  const bouncer = await startPgBouncer(postgresUrl);
  onCleanup("pgbouncer", bouncer.stop);
  const pooledUrl = bouncer.through(directUrl);
  const mail = await startMailCapture();
  onCleanup("mail capture", mail.close);

  const env = {
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64url"),
    SMTP_URL: mail.smtpUrl,
    DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
  };
  const [portA, portB] = [await appPort(), await appPort()];
  let started = performance.now();
  const instanceA = await startApp("instance A (pooled + direct)", portA, {
    ...env,
    BETTER_AUTH_URL: `http://127.0.0.1:${portA}`,
    DATABASE_URL: pooledUrl,
    DATABASE_DIRECT_URL: directUrl,
  });
  report.figure(
    "start-up A",
    `${((performance.now() - started) / 1000).toFixed(1)} s (migrations through the direct URL)`,
  );
  started = performance.now();
  const instanceB = await startApp("instance B (pooled only)", portB, {
    ...env,
    BETTER_AUTH_URL: `http://127.0.0.1:${portB}`,
    DATABASE_URL: pooledUrl,
  });
  report.figure("start-up B", `${((performance.now() - started) / 1000).toFixed(1)} s (migrations only checked)`);
  report.figure("addresses", `server ${new URL(directUrl).host}, PgBouncer :${bouncer.port}, A :${portA}, B :${portB}`);

  const migrated = await sql<{ n: number }>(
    directUrl,
    "SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL",
  );
  report.check(
    "A migrated the fresh database through DATABASE_DIRECT_URL at start",
    /PostgreSQL 127\.0\.0\.1:\d+\/taskforge_pool_\w+: \d+ migration\(s\) applied/.test(instanceA.log()) &&
      (migrated[0]?.n ?? 0) > 0,
    `${migrated[0]?.n ?? 0} migrations recorded`,
  );
  report.check(
    "B, with the pooled address only, found the migrations up to date through the pooler and started",
    instanceB.log().includes("up to date (read through a connection pooler"),
  );

  for (const [name, instance] of [
    ["A", instanceA],
    ["B", instanceB],
  ] as const) {
    const app: AppClient = appClient(instance.url, instance.url);
    const ready = await request(`${instance.url}/api/ready`);
    report.check(
      `${name}: /api/ready answers db ok through PgBouncer`,
      ready.status === 200 && ready.body.includes('"db":"ok"'),
      `${ready.status} ${ready.body}`,
    );

    // Sign-up, the confirmation mail (its token sent back as /verify-email does), sign-in, tasks.
    const user = await verifiedUser(app, mail.apiUrl).catch((error: Error) => error);
    const signedUp = !(user instanceof Error);
    report.check(
      `${name}: sign-up, confirmation mail, confirmation and sign-in work`,
      signedUp,
      signedUp ? user.email : user.message,
    );
    if (!signedUp) continue;
    const created = await app.mutate("task.create", { title: `behind the pooler on ${name}` }, user.cookie);
    const listed = await app.query("task.list", user.cookie, { limit: 20 });
    const titles = listed.status === 200 ? JSON.stringify(dataOf(listed)) : "";
    report.check(
      `${name}: a task is created and listed`,
      created.status === 200 && titles.includes(`behind the pooler on ${name}`),
      `create ${kindOf(created)}, list ${kindOf(listed)}`,
    );
  }

  const said = (instance: { log(): string }, text: string) => instance.log().includes(text);
  report.check(
    "both instances found the pooler and hold the statement timeout as the role's default in the database",
    [instanceA, instanceB].every((instance) => said(instance, "reached through a connection pooler")),
  );
  report.check(
    "B's mail outbox, with no direct address to LISTEN on, polls instead (A's listens on the direct address)",
    said(instanceB, "LISTEN connection reaches a connection pooler") &&
      !said(instanceA, "LISTEN connection reaches a connection pooler"),
  );

  // The statement timeout on the pooler's server connections: each one, opened by the app or not, carries it, and a
  // longer statement is cancelled by the server.
  const seen = await onServerConnections<{ statement_timeout: string }>(pooledUrl, 8, "SHOW statement_timeout");
  report.check(
    `every server connection behind PgBouncer has the ${STATEMENT_TIMEOUT_MS} ms statement timeout`,
    seen.every((row) => row.statement_timeout === `${STATEMENT_TIMEOUT_MS}ms`),
    formatCounts(countBy(seen, (row) => row.statement_timeout)),
  );
  const sleepStarted = performance.now();
  const sleep = await sql(pooledUrl, `SELECT pg_sleep(${(STATEMENT_TIMEOUT_MS + 3000) / 1000})`).then(
    () => "finished",
    (error: { code?: string }) => error.code ?? String(error),
  );
  const sleptMs = performance.now() - sleepStarted;
  report.check(
    `a pg_sleep longer than the timeout through PgBouncer is cancelled by the server (57014)`,
    sleep === "57014" && sleptMs < STATEMENT_TIMEOUT_MS + 2000,
    `${sleep} after ${Math.round(sleptMs)} ms`,
  );

  const serverErrors = replies.filter((reply) => reply.status >= 500 || reply.status === 0);
  report.check(
    "no 5xx and no unanswered request",
    serverErrors.length === 0,
    formatCounts(countBy(serverErrors, kindOf)),
  );
  report.figure("requests", `${replies.length} (${formatCounts(countBy(replies, (r) => String(r.status)))})`);
  report.figure("mails received", ((await (await fetch(mail.apiUrl)).json()) as unknown[]).length);
});
