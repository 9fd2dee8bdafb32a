// Database migrations CLI: `deploy` | `create <name> [--create-only]` | `status`; PostgreSQL if DATABASE_URL is set
// (in the environment or .env), at DATABASE_DIRECT_URL when that is set too (DATABASE_URL is then a connection
// pooler), else PGlite. Through a pooler in transaction mode `deploy` only checks that nothing is pending: applying
// needs a session of its own for the migration lock. `--create-only` writes the migration without applying it (it
// may be empty), like `prisma migrate dev --create-only`: for SQL the schema cannot express (triggers, data
// changes), added to migration.sql before it runs.
import "./load-env";
import { readFileSync } from "node:fs";
import path from "node:path";
import { PoolerConnection } from "../src/server/db/pooler";
import {
  DEFAULT_MIGRATION_LOCK_WAIT_MS,
  applyMigrations,
  createMigration,
  migrationStatus,
  type MigrationTarget,
} from "./migrate/engine";

const USAGE = "usage: tsx scripts/db-migrate.ts deploy | create <name> [--create-only] | status";

type Target = { target: MigrationTarget; label: string; variable?: "DATABASE_URL" | "DATABASE_DIRECT_URL" };

function selectTarget(): Target {
  const direct = process.env.DATABASE_DIRECT_URL || undefined;
  const url = process.env.DATABASE_URL || undefined;
  if (direct && !url) throw new Error("DATABASE_DIRECT_URL is set without DATABASE_URL");
  if (url) {
    const variable = direct ? "DATABASE_DIRECT_URL" : "DATABASE_URL";
    const { hostname, port, pathname } = new URL(direct ?? url); // label without credentials
    return {
      target: { kind: "postgres", url: direct ?? url },
      label: `PostgreSQL ${hostname}${port ? `:${port}` : ""}${pathname}`,
      variable,
    };
  }
  const dataDir = process.env.PGLITE_DIR ?? ".data/pglite";
  return { target: { kind: "pglite", dataDir }, label: `PGlite ${dataDir}` };
}

const POOLER_HELP =
  'set DATABASE_DIRECT_URL to the server\'s own address (see "Behind a connection pooler" in docs/deployment.md)';

/** Explains a session refused by a pooler: DATABASE_DIRECT_URL must be the server itself, DATABASE_URL needs one. */
function poolerError({ variable }: Target, error: PoolerConnection): Error {
  return new Error(
    variable === "DATABASE_DIRECT_URL"
      ? `DATABASE_DIRECT_URL must be the server's own address, not a pooler: ${error.message}`
      : `DATABASE_URL: ${error.message}; migrations need a session of their own: ${POOLER_HELP}`,
  );
}

/** MIGRATION_LOCK_WAIT_MS: how long `deploy` waits for another instance migrating the same PostgreSQL database. */
function lockWaitMs(): number {
  const value = process.env.MIGRATION_LOCK_WAIT_MS;
  if (value === undefined || value === "") return DEFAULT_MIGRATION_LOCK_WAIT_MS;
  if (!/^\d+$/.test(value))
    throw new Error(`MIGRATION_LOCK_WAIT_MS must be a whole number of milliseconds, got "${value}"`);
  return Number(value);
}

async function deploy(selected: Target): Promise<void> {
  const { target, label } = selected;
  const started = performance.now();
  let applied: string[];
  try {
    ({ applied } = await applyMigrations(target, {
      lockWaitMs: lockWaitMs(),
      onLockWait: (waited) =>
        console.log(
          `${label}: another process is migrating this database; waiting for it (${Math.round(waited / 1000)} s so far)`,
        ),
    }));
  } catch (error) {
    if (!(error instanceof PoolerConnection)) throw error;
    if (selected.variable !== "DATABASE_URL") throw poolerError(selected, error);
    return checkThroughPooler(selected, error);
  }
  for (const name of applied) console.log(`applied ${name}`);
  const ms = Math.round(performance.now() - started);
  console.log(
    `${label}: ${applied.length ? `${applied.length} migration(s) applied` : "already up to date"} (${ms} ms)`,
  );
}

/**
 * `deploy` through a pooler without DATABASE_DIRECT_URL: the history is read (that works through a pooler) and start-up
 * goes on if nothing is pending, e.g. when migrations are applied by a release step that has the direct address.
 */
async function checkThroughPooler(selected: Target, error: PoolerConnection): Promise<void> {
  const { pending, failed } = await migrationStatus(selected.target);
  if (pending.length || failed.length) {
    const waiting = [...pending, ...failed.map((n) => `${n} (failed)`)].join(", ");
    throw new Error(`${poolerError(selected, error).message}. Not applied: ${waiting}`);
  }
  console.log(
    `${selected.label}: up to date (read through a connection pooler; migrations are applied only through DATABASE_DIRECT_URL)`,
  );
}

async function main(): Promise<void> {
  const [command, name, ...rest] = process.argv.slice(2);
  const selected = selectTarget();
  const { target, label } = selected;
  if (command === "deploy" && name === undefined) return deploy(selected);
  const createOnly = rest.length === 1 && rest[0] === "--create-only";
  if (command === "create" && name && (rest.length === 0 || createOnly)) {
    // The name becomes part of the folder name: keep it a plain identifier.
    if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`migration name must match [A-Za-z0-9_]+, got "${name}"`);
    const created = await createMigration(target, name, { draft: createOnly }).catch((error: unknown) => {
      throw error instanceof PoolerConnection ? poolerError(selected, error) : error;
    });
    if (created === null) {
      console.log("no schema changes: no migration created");
      return;
    }
    const file = `prisma/migrations/${created}/migration.sql`;
    console.log(`created ${file}`);
    // The engine heads destructive or risky migrations with a /* Warnings: ... */ block: show it before applying.
    const sql = readFileSync(path.join(import.meta.dirname, "..", file), "utf8");
    const warnings = /^\/\*\s*Warnings:[\s\S]*?\*\//.exec(sql);
    if (warnings) console.warn(warnings[0]);
    if (createOnly) {
      console.log(`not applied: edit it if needed, then run \`npm run db:migrate\``);
      return;
    }
    return deploy(selected);
  }
  if (command === "status" && name === undefined) {
    const { pending, notInDirectory, failed, edited } = await migrationStatus(target);
    const problems: Array<[string, string[]]> = [
      ["pending", pending],
      ["failed (resolve by hand)", failed],
      ["edited after being applied", edited],
      ["applied but missing from prisma/migrations", notInDirectory],
    ];
    for (const [what, names] of problems) for (const n of names) console.log(`${what}: ${n}`);
    const inSync = problems.every(([, names]) => names.length === 0);
    console.log(`${label}: ${inSync ? "up to date" : "not in sync with prisma/migrations"}`);
    if (!inSync) process.exitCode = 1;
    return;
  }
  console.error(USAGE);
  process.exitCode = 2;
}

main().catch((e: unknown) => {
  // Engine errors end with a Rust span trace ("   0: sql_schema_connector::…"); the lines before it say what failed.
  const message = (e instanceof Error ? e.message : String(e)).split(/\n\s+0: /)[0];
  console.error(`db-migrate failed: ${message}`);
  process.exit(1);
});
