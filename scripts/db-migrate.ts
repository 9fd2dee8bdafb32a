// Database migrations CLI: `deploy` | `create <name> [--create-only]` | `status`; PostgreSQL if DATABASE_URL is set
// (in the environment or .env), else PGlite. `--create-only` writes the migration without applying it (it may be
// empty), like `prisma migrate dev --create-only`: for SQL the schema cannot express (triggers, data changes), added
// to migration.sql before it runs.
import "./load-env";
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  DEFAULT_MIGRATION_LOCK_WAIT_MS,
  applyMigrations,
  createMigration,
  migrationStatus,
  type MigrationTarget,
} from "./migrate/engine";

const USAGE = "usage: tsx scripts/db-migrate.ts deploy | create <name> [--create-only] | status";

function selectTarget(): { target: MigrationTarget; label: string } {
  const url = process.env.DATABASE_URL;
  if (url) {
    const { hostname, port, pathname } = new URL(url); // label without credentials
    return { target: { kind: "postgres", url }, label: `PostgreSQL ${hostname}${port ? `:${port}` : ""}${pathname}` };
  }
  const dataDir = process.env.PGLITE_DIR ?? ".data/pglite";
  return { target: { kind: "pglite", dataDir }, label: `PGlite ${dataDir}` };
}

/** MIGRATION_LOCK_WAIT_MS: how long `deploy` waits for another instance migrating the same PostgreSQL database. */
function lockWaitMs(): number {
  const value = process.env.MIGRATION_LOCK_WAIT_MS;
  if (value === undefined || value === "") return DEFAULT_MIGRATION_LOCK_WAIT_MS;
  if (!/^\d+$/.test(value))
    throw new Error(`MIGRATION_LOCK_WAIT_MS must be a whole number of milliseconds, got "${value}"`);
  return Number(value);
}

async function deploy(target: MigrationTarget, label: string): Promise<void> {
  const started = performance.now();
  const { applied } = await applyMigrations(target, {
    lockWaitMs: lockWaitMs(),
    onLockWait: (waited) =>
      console.log(
        `${label}: another process is migrating this database; waiting for it (${Math.round(waited / 1000)} s so far)`,
      ),
  });
  for (const name of applied) console.log(`applied ${name}`);
  const ms = Math.round(performance.now() - started);
  console.log(
    `${label}: ${applied.length ? `${applied.length} migration(s) applied` : "already up to date"} (${ms} ms)`,
  );
}

async function main(): Promise<void> {
  const [command, name, ...rest] = process.argv.slice(2);
  const { target, label } = selectTarget();
  if (command === "deploy" && name === undefined) return deploy(target, label);
  const createOnly = rest.length === 1 && rest[0] === "--create-only";
  if (command === "create" && name && (rest.length === 0 || createOnly)) {
    // The name becomes part of the folder name: keep it a plain identifier.
    if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`migration name must match [A-Za-z0-9_]+, got "${name}"`);
    const created = await createMigration(target, name, { draft: createOnly });
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
    return deploy(target, label);
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
