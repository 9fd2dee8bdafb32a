// Offline Prisma Migrate: runs Prisma's WebAssembly schema engine against PostgreSQL (adapter-pg) or PGlite.
import fsp from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import {
  DriverAdapterError,
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as wasmGlue from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList, SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm";
import { pgliteExtensions } from "../../src/server/db/pglite-extensions";
import { lockPgliteDir } from "../../src/server/db/pglite-lock";
import { requireOwnSession, sessionConfig } from "../../src/server/db/pooler";

/** Where to migrate. `dataDir` is a PGlite data directory (created if missing) or "memory://". */
export type MigrationTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

export type MigrationStatus = {
  /** In prisma/migrations, not yet applied. */
  pending: string[];
  /** Recorded in the database but missing from prisma/migrations. */
  notInDirectory: string[];
  /** Started but never finished (need manual resolution). */
  failed: string[];
  /** Applied, but migration.sql changed since (checksum mismatch). */
  edited: string[];
};

const ROOT = path.resolve(import.meta.dirname, "../..");
const SCHEMA_PATH = path.join(ROOT, "prisma", "schema.prisma");
const MIGRATIONS_DIR = path.join(ROOT, "prisma", "migrations");
const LOCKFILE = "migration_lock.toml";
const FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** The key of the engine's own advisory lock (`SELECT pg_advisory_lock(72707369)`, which it gives up after 10 s). */
export const MIGRATION_LOCK_KEY = 72707369;
export const DEFAULT_MIGRATION_LOCK_WAIT_MS = 300_000;
const LOCK_POLL_MS = 250;
const LOCK_LOG_EVERY_MS = 10_000;

export type ApplyOptions = {
  /** How long to wait for another process migrating the same PostgreSQL database before giving up. */
  lockWaitMs?: number;
  /** Told when the wait starts and every 10 s after, with the time waited so far. */
  onLockWait?: (waitedMs: number) => void;
};

/**
 * Applies pending migrations. On PostgreSQL the engine's advisory lock is taken first, on the engine's own session
 * (so its lock is granted at once), waiting up to `lockWaitMs` for another instance that holds it: the engine's
 * 10 s would crash-loop a second instance started during a long migration. The engine then finds what is still
 * pending, usually nothing. That needs a session of its own: through a connection pooler in transaction mode the lock
 * would stay with a pooled server connection, so PoolerConnection is thrown there before anything is done.
 */
export async function applyMigrations(
  target: MigrationTarget,
  { lockWaitMs = DEFAULT_MIGRATION_LOCK_WAIT_MS, onLockWait }: ApplyOptions = {},
): Promise<{ applied: string[] }> {
  const migrationsList = await readMigrations();
  return withEngine(
    target,
    async (engine) => {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: FILTERS });
      return { applied: appliedMigrationNames };
    },
    (conn) => conn.takeMigrationLock?.(lockWaitMs, onLockWait),
  );
}

/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql for the schema changes; null when there are none.
 * A draft is written even when there are none (an empty migration, for hand-written SQL).
 */
export async function createMigration(
  target: MigrationTarget,
  name: string,
  { draft = false } = {},
): Promise<string | null> {
  const [migrationsList, schema] = await Promise.all([readMigrations(), fsp.readFile(SCHEMA_PATH, "utf8")]);
  return withEngine(target, async (engine) => {
    // devDiagnostic fills the shadow-schema cache that createMigration reads, and detects drift.
    const { action } = await engine.devDiagnostic({ migrationsList, filters: FILTERS });
    if (action.tag === "reset") throw new Error(`the database does not match the migration history: ${action.reason}`);
    const out = await engine.createMigration({
      draft,
      migrationName: name,
      migrationsList,
      schema: { files: [{ path: SCHEMA_PATH, content: schema }] },
      filters: FILTERS,
    });
    if (out.migrationScript === null) return null;
    const dir = path.join(MIGRATIONS_DIR, out.generatedMigrationName);
    await fsp.mkdir(MIGRATIONS_DIR, { recursive: true });
    await fsp.mkdir(dir); // fails if it exists, like the Prisma CLI
    await fsp.writeFile(path.join(dir, `migration.${out.extension}`), out.migrationScript);
    // Same text as the Prisma CLI writes.
    await fsp.writeFile(
      path.join(MIGRATIONS_DIR, LOCKFILE),
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${out.connectorType}"\n`,
    );
    return out.generatedMigrationName;
  });
}

/** Reads the history only, so it works through a connection pooler too. */
export async function migrationStatus(target: MigrationTarget): Promise<MigrationStatus> {
  const migrationsList = await readMigrations();
  const task = async (engine: SchemaEngine): Promise<MigrationStatus> => {
    const d = await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: FILTERS });
    const h = d.history;
    return {
      pending: h && h.diagnostic !== "migrationsDirectoryIsBehind" ? h.unappliedMigrationNames : [],
      notInDirectory: h && h.diagnostic !== "databaseIsBehind" ? h.unpersistedMigrationNames : [],
      failed: d.failedMigrationNames,
      edited: d.editedMigrationNames,
    };
  };
  return withEngine(target, task, undefined, { ownSession: false });
}

/** The migrations folder in the shape the engine expects (same as the Prisma CLI builds it). */
async function readMigrations(): Promise<MigrationList> {
  const entries = await fsp.readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return [];
    throw e;
  });
  const directories = await Promise.all(
    entries
      .filter((e) => e.isDirectory())
      .map(async (e) => ({
        path: e.name,
        migrationFile: {
          path: "migration.sql",
          content: await fsp.readFile(path.join(MIGRATIONS_DIR, e.name, "migration.sql"), "utf8").then(
            (value) => ({ tag: "ok" as const, value }),
            (err: Error) => ({ tag: "error" as const, value: err.message }),
          ),
        },
      })),
  );
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: {
      path: LOCKFILE,
      content: await fsp.readFile(path.join(MIGRATIONS_DIR, LOCKFILE), "utf8").catch(() => null),
    },
    shadowDbInitScript: "",
    migrationDirectories: directories.sort((a, b) => a.path.localeCompare(b.path)),
  };
}

// ---- engine lifecycle ----

declare global {
  // Read by the wasm glue when the engine panics; without it a panic surfaces as an opaque TypeError.
  var PRISMA_WASM_PANIC_REGISTRY: { set_message(message: string): void };
}

let panicMessage: string | undefined;
let wasmReady: Promise<void> | undefined;
const engineTimers = new Set<NodeJS.Timeout>();

/** schema_engine.js imports the .wasm as an ES module, which Node cannot do: instantiate it with the glue ourselves. */
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (message) => void (panicMessage = message) };
    // The engine arms timers it never clears (a 10 s advisory-lock timeout on every apply), which would keep the
    // process alive; track them so withEngine can clear them once the engine is done.
    const setTimeoutImport = Object.keys(wasmGlue).find((name) => name.startsWith("__wbg_setTimeout_"));
    if (!setTimeoutImport) throw new Error("unexpected @prisma/schema-engine-wasm glue: no setTimeout import");
    const trackedSetTimeout = (callback: () => void, ms: number) => {
      const timer = setTimeout(() => {
        engineTimers.delete(timer);
        callback();
      }, ms >>> 0);
      engineTimers.add(timer);
      return timer;
    };
    const pkgDir = path.dirname(createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm"));
    const { instance } = await WebAssembly.instantiate(await fsp.readFile(path.join(pkgDir, "schema_engine_bg.wasm")), {
      "./schema_engine_bg.js": { ...wasmGlue, [setTimeoutImport]: trackedSetTimeout },
    });
    wasmGlue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return wasmReady;
}

/** Engine log lines are JSON; pass on warnings and errors only. */
function logEngine(line: string): void {
  try {
    const { level, fields } = JSON.parse(line) as { level?: string; fields?: { message?: string } };
    if (level === "WARN" || level === "ERROR")
      console.warn(`schema-engine ${level.toLowerCase()}: ${fields?.message ?? line}`);
  } catch {
    console.warn(`schema-engine: ${line}`);
  }
}

let engineQueue: Promise<unknown> = Promise.resolve();

/** One engine at a time: the wasm instance, its panic message and its timers are process-wide. */
function withEngine<T>(
  target: MigrationTarget,
  task: (engine: SchemaEngine) => Promise<T>,
  prepare?: (conn: Connection) => Promise<void> | undefined,
  options: ConnectOptions = {},
): Promise<T> {
  const run = engineQueue.then(() => runEngine(target, task, prepare, options));
  engineQueue = run.catch(() => undefined);
  return run;
}

async function runEngine<T>(
  target: MigrationTarget,
  task: (engine: SchemaEngine) => Promise<T>,
  prepare: ((conn: Connection) => Promise<void> | undefined) | undefined,
  options: ConnectOptions,
): Promise<T> {
  await loadWasm();
  const conn = await connect(target, options);
  try {
    await prepare?.(conn);
    const factory = bindMigrationAwareSqlAdapterFactory(conn.factory);
    const engine = await wasmGlue.SchemaEngine.new({ datamodels: undefined }, logEngine, factory);
    try {
      return await task(engine); // every engine call is awaited inside `task`, so free() cannot race one
    } finally {
      engine.free();
      for (const timer of engineTimers) clearTimeout(timer);
      engineTimers.clear();
    }
  } catch (e) {
    if (panicMessage !== undefined) throw new Error(`schema engine panicked: ${panicMessage}`, { cause: e });
    throw e;
  } finally {
    await conn.close();
  }
}

// ---- database connections ----

type Connection = {
  factory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
  /** PostgreSQL: holds the migration advisory lock on the engine's session until close, waiting at most `waitMs`. */
  takeMigrationLock?(waitMs: number, onWait?: (waitedMs: number) => void): Promise<void>;
};

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

/**
 * Both stock adapters run migration scripts wrongly: pglite-prisma-adapter does not await the script (a failing
 * migration is recorded as applied, then crashes the process), adapter-pg splits it on every ";" (breaks on a
 * semicolon inside a literal or function body). Send the script whole, as the native engine does: one simple-query
 * batch, which Postgres runs as a single transaction.
 */
function runScriptsWith(adapter: SqlDriverAdapter, exec: (script: string) => Promise<unknown>): SqlDriverAdapter {
  adapter.executeScript = async (script) => {
    try {
      await exec(script);
    } catch (e) {
      throw toAdapterError(e);
    }
  };
  return adapter;
}

/** Postgres errors (pg's and PGlite's DatabaseError) in the form the engine reports with code and message. */
function toAdapterError(e: unknown): unknown {
  if (!(e instanceof Error) || typeof (e as { code?: unknown }).code !== "string") return e;
  const d = e as Error & { code: string; severity?: string; detail?: string; column?: string; hint?: string };
  return new DriverAdapterError({
    kind: "postgres",
    code: d.code,
    severity: d.severity ?? "ERROR",
    message: d.message,
    detail: d.detail,
    column: d.column,
    hint: d.hint,
  });
}

/** adapter-pg cannot map Postgres's internal "char" type (OID 18), which the engine's catalog queries return: report it as text. */
function pgPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  const query = pool.query.bind(pool) as (config: pg.QueryConfig) => Promise<pg.QueryResult>;
  pool.query = (async (queryConfig: pg.QueryConfig) => {
    const result = await query(queryConfig);
    if (Array.isArray(result)) return result; // a multi-statement script: no rows for the adapter to map
    for (const field of result.fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  }) as typeof pool.query;
  return pool;
}

type ConnectOptions = {
  /**
   * PostgreSQL: a session of its own (the migration lock, and migrations without the app's statement timeout), the
   * default. Reading the history needs none.
   */
  ownSession?: boolean;
};

async function connect(target: MigrationTarget, options: ConnectOptions): Promise<Connection> {
  return target.kind === "postgres" ? connectPostgres(target.url, options) : connectPglite(target.dataDir);
}

async function connectPostgres(url: string, { ownSession = true }: ConnectOptions): Promise<Connection> {
  // Parsed fields, not { connectionString }: with a connection string, pg ignores the `database` override and the
  // "shadow" database would be the main one (adapter-pg's own connectToShadowDb has that bug). A session of its own
  // is asked for with no statement timeout (the app's may be this role's default: src/server/db/pooler.ts), sent at
  // connection start, where a pooler refuses or drops it.
  const config: pg.PoolConfig = {
    ...(ownSession ? sessionConfig(url, 0) : parseIntoClientConfig(url)),
    connectionTimeoutMillis: 15_000,
  };
  // One connection, like the native engine: the migration advisory lock and the migrations share one session, which
  // is never closed for being idle (that would release the lock).
  const pool = pgPool({ ...config, max: 1, idleTimeoutMillis: 0 });
  if (ownSession)
    await requireOwnSession(pool, 0).catch((error: unknown) => pool.end().then(() => Promise.reject(error)));
  const cleanups: Array<() => Promise<void>> = [];
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: async () => runScriptsWith(await new PrismaPg(pool).connect(), (s) => pool.query(s)),
    connectToShadowDb: async () => {
      const database = `prisma_migrate_shadow_db_${randomUUID()}`;
      await pool.query(`CREATE DATABASE "${database}"`);
      const shadowPool = pgPool({ ...config, database, max: 1 });
      const drop = once(async () => {
        await shadowPool.end();
        await pool.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      });
      cleanups.push(drop);
      const { rows } = await shadowPool.query<{ db: string }>("SELECT current_database() AS db");
      if (rows[0]?.db !== database) throw new Error(`shadow connection reached "${rows[0]?.db}", not "${database}"`);
      const adapter = runScriptsWith(await new PrismaPg(shadowPool).connect(), (s) => shadowPool.query(s));
      adapter.dispose = drop;
      return adapter;
    },
  };
  return {
    factory,
    close: async () => {
      for (const cleanup of cleanups) await cleanup(); // shadows the engine did not dispose (e.g. after an error)
      await pool.end(); // ends the session, and with it the migration lock
    },
    takeMigrationLock: async (waitMs, onWait) => {
      const started = performance.now();
      let toldAt = -Infinity;
      for (;;) {
        const { rows } = await pool.query<{ locked: boolean }>(
          `SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) AS locked`,
        );
        if (rows[0]?.locked) return;
        const waited = performance.now() - started;
        if (waited >= waitMs) {
          throw new Error(
            `another process has been migrating this database for over ${Math.round(waitMs / 1000)} s (it holds pg_advisory_lock(${MIGRATION_LOCK_KEY})); giving up`,
          );
        }
        if (waited - toldAt >= LOCK_LOG_EVERY_MS) {
          toldAt = waited;
          onWait?.(waited);
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(LOCK_POLL_MS, waitMs - waited)));
      }
    },
  };
}

async function connectPglite(dataDir: string): Promise<Connection> {
  if (!dataDir.startsWith("memory://")) {
    lockPgliteDir(dataDir); // refuses while a running app (or another migration) has the folder open
    await fsp.mkdir(dataDir, { recursive: true }); // PGlite needs it to exist
  }
  const db = new PGlite(dataDir, { extensions: pgliteExtensions });
  const shadows: Array<() => Promise<void>> = [];
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    connect: async () => runScriptsWith(await new PrismaPGlite(db).connect(), (s) => db.exec(s)),
    // The adapter's own shadow is a PGlite it never closes; use a fresh in-memory one and close it on dispose.
    connectToShadowDb: async () => {
      const shadow = new PGlite("memory://", { extensions: pgliteExtensions });
      const close = once(() => shadow.close());
      shadows.push(close);
      const adapter = runScriptsWith(await new PrismaPGlite(shadow).connect(), (s) => shadow.exec(s));
      adapter.dispose = close;
      return adapter;
    },
  };
  return {
    factory,
    close: async () => {
      for (const close of shadows) await close();
      await db.close();
    },
  };
}
