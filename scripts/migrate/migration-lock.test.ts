// Several instances start at once, each running `npm run db:migrate` before it serves (runs when DATABASE_URL is set):
// one that finds another migrating waits for it, however long past the schema engine's own 10 s, within a bound.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminQuery, databaseUrl } from "@/test/postgres-admin";
import { MIGRATION_LOCK_KEY } from "./engine";

const serverUrl = process.env.DATABASE_URL;
const ROOT = path.resolve(import.meta.dirname, "../..");
const MIGRATIONS = readdirSync(path.join(ROOT, "prisma", "migrations"), { withFileTypes: true }).filter((e) =>
  e.isDirectory(),
);

type Run = { output: string; code: Promise<number | null> };

/** `db-migrate deploy` in its own process, as `prestart` runs it. */
function deploy(url: string, lockWaitMs: number): Run {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/db-migrate.ts", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, MIGRATION_LOCK_WAIT_MS: String(lockWaitMs) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const run: Run = { output: "", code: new Promise((resolve) => child.on("exit", resolve)) };
  child.stdout.on("data", (chunk: Buffer) => (run.output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (run.output += chunk.toString()));
  return run;
}

/** Resolves once every run has said it is waiting, or has ended (as it did when the engine gave up). */
async function untilWaitingOrEnded(runs: Run[]): Promise<void> {
  const ended = runs.map(() => false);
  runs.forEach((run, i) => void run.code.then(() => (ended[i] = true)));
  while (!runs.every((run, i) => ended[i] || /waiting for it/.test(run.output))) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!serverUrl)("migrations while another instance migrates", () => {
  let url: string;
  let holder: pg.Client;
  const database = `taskforge_test_migrate_${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    await adminQuery(serverUrl ?? "", `CREATE DATABASE ${database}`);
    url = databaseUrl(serverUrl ?? "", database);
    // Stands for an instance in the middle of a long migration: it holds the lock the schema engine takes.
    holder = new pg.Client({ connectionString: url });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end();
    await adminQuery(serverUrl ?? "", `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it("gives up with a clear error once the lock has been held longer than MIGRATION_LOCK_WAIT_MS", async () => {
    await holder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      const run = deploy(url, 1000);
      expect(await run.code).toBe(1);
      expect(run.output).toMatch(/another process has been migrating this database for over 1 s/);
    } finally {
      await holder.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  });

  it("two instances started on a fresh database while the lock is held past 10 s both wait, then succeed", async () => {
    await holder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    const runs = [deploy(url, 120_000), deploy(url, 120_000)];
    try {
      await untilWaitingOrEnded(runs);
      // Longer than the engine's own 10 s, counted from the moment both were waiting.
      await new Promise((resolve) => setTimeout(resolve, 11_000));
    } finally {
      await holder.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
    const codes = await Promise.all(runs.map((run) => run.code));
    expect(codes, runs.map((run) => run.output).join("\n---\n")).toEqual([0, 0]);
    for (const run of runs) expect(run.output).toMatch(/another process is migrating this database; waiting for it/);
    // One applied everything; the other, after the wait, found nothing left to do.
    expect(runs.filter((run) => /already up to date/.test(run.output))).toHaveLength(1);
    const { rows } = await holder.query<{ name: string }>(
      "SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    expect(rows.map((row) => row.name).sort()).toEqual(MIGRATIONS.map((e) => e.name).sort());
  }, 120_000);
});
