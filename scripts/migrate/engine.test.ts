// The migration runner (engine.ts drives Prisma's WebAssembly schema engine, because the native one cannot be
// downloaded here) against the plain way of applying migrations: each prisma/migrations/*/migration.sql run in order
// on a second fresh database. The two must end with the same catalog (tables, columns with their types and defaults,
// indexes, constraints, triggers, functions, enums, sequences, extensions), and the runner's `_prisma_migrations`
// rows must be the ones `prisma migrate deploy` writes: one finished row per migration whose checksum is the sha256
// of its file. On PGlite, and on PostgreSQL too when DATABASE_URL is set. There is no other offline runner to compare
// with, so this is the runner's differential test.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { pgliteExtensions } from "@/server/db/pglite-extensions";
import { adminQuery, databaseUrl } from "@/test/postgres-admin";
import { applyMigrations } from "./engine";

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

type Migration = { name: string; sql: string };

async function migrations(): Promise<Migration[]> {
  const entries = await fs.readdir(MIGRATIONS_DIR, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      sql: await fs.readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8"),
    })),
  );
}

/** One line per object of the public schema (and each extension), sorted: what a migration leaves behind. */
const CATALOG = `
  SELECT 'table ' || c.relname || ' ' || c.relkind::text || c.relpersistence::text AS line
    FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
  UNION ALL
  SELECT 'column ' || table_name || '.' || column_name || ' #' || ordinal_position || ' ' || udt_name
      || coalesce('(' || character_maximum_length || ')', '') || coalesce(' precision ' || numeric_precision, '')
      || coalesce(' scale ' || numeric_scale, '') || ' nullable=' || is_nullable
      || coalesce(' default ' || column_default, '') || ' identity=' || is_identity
      || coalesce(' generated ' || generation_expression, '')
    FROM information_schema.columns WHERE table_schema = 'public'
  UNION ALL
  SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL
  SELECT 'constraint ' || conrelid::regclass::text || '.' || conname || ': ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'trigger ' || tgrelid::regclass::text || '.' || tgname || ': ' || pg_get_triggerdef(oid)
    FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL
  SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || '): ' || pg_get_functiondef(p.oid)
    FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  UNION ALL
  SELECT 'enum ' || t.typname || ': ' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = 'public'::regnamespace
    GROUP BY t.typname
  UNION ALL
  SELECT 'sequence ' || sequence_name || ' ' || data_type || ' start ' || start_value || ' by ' || increment
    FROM information_schema.sequences WHERE sequence_schema = 'public'
  UNION ALL
  SELECT 'extension ' || extname || ' ' || extversion || ' in ' || extnamespace::regnamespace::text FROM pg_extension
  ORDER BY 1`;

type MigrationRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
};
const MIGRATION_ROWS = `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs
  FROM _prisma_migrations ORDER BY migration_name`;

/** The catalog with the runner's own bookkeeping table left out (the plain way has none). */
const withoutBookkeeping = (lines: string[]) => lines.filter((line) => !/_prisma_migrations\b/.test(line));

/** Two fresh databases of one kind: `query` reads from one, `plain` runs SQL on the other. */
type Pair = {
  migrate: () => Promise<unknown>;
  runnerQuery: <T>(sql: string) => Promise<T[]>;
  plainExec: (sql: string) => Promise<void>;
  plainQuery: <T>(sql: string) => Promise<T[]>;
  close: () => Promise<void>;
};

async function pglitePair(): Promise<Pair> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "taskforge-migrate-"));
  const dataDir = path.join(dir, "data");
  const plain = new PGlite("memory://", { extensions: pgliteExtensions });
  let runner: PGlite | undefined;
  return {
    migrate: async () => {
      await applyMigrations({ kind: "pglite", dataDir });
      runner = new PGlite(dataDir, { extensions: pgliteExtensions });
    },
    runnerQuery: async <T>(sql: string) => ((await runner?.query<T>(sql))?.rows ?? []) as T[],
    plainExec: async (sql) => void (await plain.exec(sql)),
    plainQuery: async <T>(sql: string) => (await plain.query<T>(sql)).rows,
    close: async () => {
      await Promise.all([runner?.close(), plain.close()]);
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresPair(serverUrl: string): Promise<Pair> {
  const suffix = randomBytes(4).toString("hex");
  const [runnerDb, plainDb] = [`taskforge_test_runner_${suffix}`, `taskforge_test_plain_${suffix}`];
  await adminQuery(serverUrl, `CREATE DATABASE ${runnerDb}`);
  await adminQuery(serverUrl, `CREATE DATABASE ${plainDb}`);
  const runner = new pg.Client({ connectionString: databaseUrl(serverUrl, runnerDb) });
  const plain = new pg.Client({ connectionString: databaseUrl(serverUrl, plainDb) });
  await Promise.all([runner.connect(), plain.connect()]);
  return {
    migrate: () => applyMigrations({ kind: "postgres", url: databaseUrl(serverUrl, runnerDb) }),
    runnerQuery: async <T>(sql: string) => (await runner.query(sql)).rows as T[],
    // A whole file as one simple query, which PostgreSQL runs as one transaction (as `psql -1 -f` would).
    plainExec: async (sql) => void (await plain.query(sql)),
    plainQuery: async <T>(sql: string) => (await plain.query(sql)).rows as T[],
    close: async () => {
      await Promise.all([runner.end(), plain.end()]);
      for (const db of [runnerDb, plainDb]) await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    },
  };
}

const serverUrl = process.env.DATABASE_URL;
const kinds: [string, () => Promise<Pair>][] = [
  ["PGlite", pglitePair],
  ...(serverUrl ? [["PostgreSQL", () => postgresPair(serverUrl)] as [string, () => Promise<Pair>]] : []),
];

describe.each(kinds)("the migration runner on %s against each migration.sql applied in order", (_, open) => {
  const opened: Pair[] = [];
  afterAll(() => Promise.all(opened.map((pair) => pair.close())));

  it("leaves the same catalog, and the rows prisma migrate deploy writes", async () => {
    const pair = await open();
    opened.push(pair);
    const files = await migrations();
    await pair.migrate();
    for (const file of files) await pair.plainExec(file.sql);

    const lines = async (query: <T>(sql: string) => Promise<T[]>) =>
      (await query<{ line: string }>(CATALOG)).map((row) => row.line);
    const viaRunner = await lines(pair.runnerQuery);
    const plain = await lines(pair.plainQuery);
    expect(plain.length).toBeGreaterThan(50);
    expect(withoutBookkeeping(viaRunner)).toEqual(plain);

    const rows = await pair.runnerQuery<MigrationRow>(MIGRATION_ROWS);
    expect(
      rows.map(({ migration_name, checksum, applied_steps_count, logs, rolled_back_at }) => ({
        migration_name,
        checksum,
        applied_steps_count,
        logs,
        rolled_back_at,
      })),
    ).toEqual(
      files.map((file) => ({
        migration_name: file.name,
        checksum: createHash("sha256").update(file.sql).digest("hex"),
        applied_steps_count: 1,
        logs: null,
        rolled_back_at: null,
      })),
    );
    for (const row of rows) expect(row.finished_at).toBeInstanceOf(Date);
  }, 180_000); // PGlite starts a WebAssembly PostgreSQL per database: 10–30 s on two busy cores
});
