// Behind PgBouncer in transaction mode, as managed PostgreSQL is usually reached: the app's queries work and the
// statement timeout holds (the server cancels a longer statement, SQLSTATE 57014) whether the pooler refuses the
// setting sent at connection start or drops it; the direct path is as before; migrations are refused through the
// pooler before they take any lock, and the mail outbox polls instead of listening there. Needs PostgreSQL
// (DATABASE_URL) and Debian's pgbouncer; each test works in a database of its own.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.LOG_LEVEL = "info";
});

import { applyMigrations, migrationStatus } from "../../../scripts/migrate/engine";
import { createDatabase, type Database, postgresAdapter } from "@/server/db";
import { holdStatementTimeoutForRole, PoolerConnection } from "@/server/db/pooler";
import type { Mail } from "@/server/email/messages";
import { createOutboxWorker, OUTBOX_CHANNEL } from "@/server/email/outbox-worker";
import { captureLogs } from "@/test/logs";
import { type PgBouncer, pgBouncerInstalled, startPgBouncer } from "@/test/pgbouncer";
import { adminQuery, databaseUrl } from "@/test/postgres-admin";

const serverUrl = process.env.DATABASE_URL ?? "";
const TIMEOUT_MS = 400;
/** Room for a busy machine; the SQLSTATE, not the time, tells the server's cancel from the client giving up. */
const SLACK_MS = 2500;

const logs = captureLogs();
const closers: Array<() => Promise<unknown>> = [];
const bouncers: PgBouncer[] = [];
const drops: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  // Clients first, then the poolers (whose server connections would hold the databases open), then the databases.
  for (const cleanups of [closers, [() => Promise.all(bouncers.map((bouncer) => bouncer.stop()))], drops])
    await Promise.all(cleanups.map((cleanup) => cleanup().catch(() => undefined)));
  logs.stop();
});

/** A database of its own (a copy of the migrated template, or empty), dropped at the end with its role settings. */
async function freshDatabase({ migrated = false } = {}): Promise<string> {
  const name = `taskforge_pooler_${randomBytes(5).toString("hex")}`;
  const template = migrated ? ` TEMPLATE ${inject("templateDatabase")}` : "";
  await adminQuery(serverUrl, `CREATE DATABASE ${name}${template}`);
  drops.push(() => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return databaseUrl(serverUrl, name);
}

function appDatabase(url: string): Database {
  const database = createDatabase(postgresAdapter(url, { statementTimeoutMs: TIMEOUT_MS, connectTimeoutMs: 3000 }));
  closers.push(() => database.$disconnect());
  return database;
}

async function rows<T>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The SQLSTATE of a failed query, and how long it took. */
async function failure(call: Promise<unknown>): Promise<{ code: unknown; ms: number }> {
  const started = performance.now();
  const error = await call.then(
    () => null,
    (e: unknown) => e as { meta?: { driverAdapterError?: { cause?: { code?: string } } } },
  );
  return { code: error?.meta?.driverAdapterError?.cause?.code ?? error, ms: performance.now() - started };
}

/** The role defaults stored for `url`'s database. */
const roleDefaults = (url: string) =>
  rows<{ setconfig: string[] }>(
    serverUrl,
    "SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1",
    [new URL(url).pathname.slice(1)],
  ).then((found) => found.flatMap((row) => row.setconfig));

describe.skipIf(!serverUrl || !pgBouncerInstalled)("behind PgBouncer in transaction mode", () => {
  const pooler = {} as Record<"refusing" | "dropping", PgBouncer>;
  beforeAll(async () => {
    [pooler.refusing, pooler.dropping] = await Promise.all([
      startPgBouncer(serverUrl),
      startPgBouncer(serverUrl, { ignoreStartupParameters: "statement_timeout" }),
    ]);
    bouncers.push(pooler.refusing, pooler.dropping);
  });

  describe.each([
    ["refuses the timeout sent at connection start (08P01)", "refusing"],
    ["drops the timeout sent at connection start (ignore_startup_parameters)", "dropping"],
  ] as const)("a pooler that %s", (_, which) => {
    it("serves the app's queries, and the server cancels a longer statement (57014), in a transaction too", async () => {
      const url = await freshDatabase();
      const pooled = pooler[which].through(url);
      const database = appDatabase(pooled);

      expect(await database.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
      const single = await failure(database.$queryRaw`SELECT pg_sleep(3)`);
      expect(single.code).toBe("57014");
      expect(single.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      const inTransaction = await failure(database.$transaction((tx) => tx.$queryRaw`SELECT pg_sleep(3)`));
      expect(inTransaction.code).toBe("57014");
      expect(await database.$queryRaw`SELECT 2 AS two`).toEqual([{ two: 2 }]);

      // The timeout is this role's default in this database: every server connection the pooler opens has it.
      expect(await roleDefaults(url)).toEqual([`statement_timeout=${TIMEOUT_MS}`]);
      const clients = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const client = new pg.Client({ connectionString: pooled });
          await client.connect();
          return client;
        }),
      );
      try {
        // Each inside an open transaction at once, so each holds a server connection of its own.
        await Promise.all(clients.map((client) => client.query("BEGIN")));
        const seen = await Promise.all(clients.map((client) => client.query("SHOW statement_timeout")));
        const pids = await Promise.all(clients.map((client) => client.query("SELECT pg_backend_pid() AS pid")));
        expect(new Set(pids.map((r) => r.rows[0].pid)).size).toBe(clients.length);
        expect(seen.map((r) => r.rows[0].statement_timeout)).toEqual(clients.map(() => `${TIMEOUT_MS}ms`));
      } finally {
        await Promise.all(clients.map((client) => client.end()));
      }
      const said = logs.lines().filter((line) => line.msg.includes("reached through a connection pooler"));
      expect(said.at(-1)).toMatchObject({ level: "info", statementTimeoutMs: TIMEOUT_MS });
    });
  });

  it("directly on the server, as before: the timeout goes at connection start and no role default is written", async () => {
    const url = await freshDatabase();
    const database = appDatabase(url);
    expect((await failure(database.$queryRaw`SELECT pg_sleep(3)`)).code).toBe("57014");
    expect(await roleDefaults(url)).toEqual([]);
  });

  it("refuses to migrate through the pooler before taking the lock; reads the history through it; migrates directly", async () => {
    const url = await freshDatabase();
    const pooled = pooler.refusing.through(url);
    await expect(applyMigrations({ kind: "postgres", url: pooled })).rejects.toBeInstanceOf(PoolerConnection);
    const name = new URL(url).pathname.slice(1);
    const locks = await rows(
      serverUrl,
      "SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = $1",
      [name],
    );
    expect(locks).toEqual([]);
    const before = await migrationStatus({ kind: "postgres", url: pooled });
    expect(before.pending.length).toBeGreaterThan(0);

    // The role's default (the app's timeout behind a pooler) does not reach the migrations' own session.
    await adminQuery(url, `ALTER ROLE CURRENT_USER IN DATABASE ${name} SET statement_timeout = 1`);
    const { applied } = await applyMigrations({ kind: "postgres", url });
    expect(applied).toEqual(before.pending);
    // A new session in this database has the 1 ms default too, which could cancel the RESET itself on a busy machine:
    // this one starts with no timeout (a startup parameter wins over the role's default).
    await adminQuery(
      `${url}?options=${encodeURIComponent("-c statement_timeout=0")}`,
      `ALTER ROLE CURRENT_USER IN DATABASE ${name} RESET statement_timeout`,
    );
    expect(await migrationStatus({ kind: "postgres", url: pooled })).toMatchObject({ pending: [], failed: [] });
  });

  it("the mail outbox listens on a session of its own, and behind the pooler polls instead, still sending", async () => {
    const url = await freshDatabase({ migrated: true });
    const pooled = pooler.refusing.through(url);
    const database = appDatabase(pooled);
    const sent: string[] = [];
    const deliver = async (mail: Mail) => void sent.push(mail.to);
    const queue = async (to: string) => {
      await database.emailOutbox.create({
        data: { recipient: to, template: "reset-password", subject: "s", text: "t", html: "h" },
      });
      await database.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
    };
    const arrived = async (to: string) => {
      for (let i = 0; i < 100 && !sent.includes(to); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      return sent.includes(to);
    };

    // Directly: woken by NOTIFY (it never polls in this test).
    const listening = createOutboxWorker({ db: database, deliver, listenUrl: url, pollMs: 3_600_000 });
    listening.start();
    closers.push(() => listening.stop());
    await vi.waitFor(async () => {
      const listeners = await rows(
        url,
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query = $1",
        [`LISTEN ${OUTBOX_CHANNEL}`],
      );
      expect(listeners.length).toBe(1);
    });
    const direct = `direct-${randomUUID()}@example.com`;
    await queue(direct);
    expect(await arrived(direct)).toBe(true);
    await listening.stop();

    // Through the pooler: LISTEN cannot work there, so it polls.
    const polling = createOutboxWorker({ db: database, deliver, listenUrl: pooled, pollWithoutListenMs: 200 });
    polling.start();
    closers.push(() => polling.stop());
    await vi.waitFor(() =>
      expect(logs.lines().some((line) => line.msg.includes("LISTEN connection reaches a connection pooler"))).toBe(
        true,
      ),
    );
    const throughPooler = `pooled-${randomUUID()}@example.com`;
    await queue(throughPooler);
    expect(await arrived(throughPooler)).toBe(true);
    await polling.stop();
  });
});

describe.skipIf(!serverUrl)("the statement timeout as the role's default", () => {
  it("is set once when several instances start at the same moment, each of them succeeding", async () => {
    const url = await freshDatabase();
    const clients = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        return client;
      }),
    );
    try {
      const results = await Promise.all(clients.map((client) => holdStatementTimeoutForRole(client, 700)));
      expect(results.some((result) => result.changed)).toBe(true);
      const seen = await Promise.all(clients.map((client) => client.query("SHOW statement_timeout")));
      expect(seen.map((r) => r.rows[0].statement_timeout)).toEqual(clients.map(() => "700ms"));
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
    expect(await roleDefaults(url)).toEqual(["statement_timeout=700"]);
  });
});
