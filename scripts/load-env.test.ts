// `npm run db:migrate` and `npm run db:seed` use the database named in .env, as the server does: run as commands in
// a folder whose .env names a fresh database (PGlite, or PostgreSQL when DATABASE_URL is set), they migrate and
// seed that one.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteExtensions } from "@/server/db/pglite-extensions";
import { adminQuery, databaseUrl } from "@/test/postgres-admin";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "esm", "index.mjs");
const serverUrl = process.env.DATABASE_URL;

/** Runs a TypeScript file of the repository as `npm run` would, but from `cwd`, with only `.env` naming a database. */
async function runCommand(file: string, args: string[], cwd: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, TSX_TSCONFIG_PATH: path.join(ROOT, "tsconfig.json") };
  delete env.DATABASE_URL;
  delete env.PGLITE_DIR;
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", TSX, path.join(ROOT, file), ...args], {
    cwd,
    env,
    timeout: 90_000,
  });
  return stdout;
}

/** The database .env names, and a query against it. */
type Target = { dotenv: string; query: (sql: string) => Promise<Record<string, unknown>[]>; drop: () => Promise<void> };

async function freshTarget(dir: string): Promise<Target> {
  if (serverUrl) {
    const name = `taskforge_dotenv_${randomBytes(6).toString("hex")}`;
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
    const url = databaseUrl(serverUrl, name);
    return {
      dotenv: `DATABASE_URL=${url}\n`,
      query: async (sql) => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          return (await client.query(sql)).rows;
        } finally {
          await client.end();
        }
      },
      drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dataDir = path.join(dir, "named-in-dotenv", "pglite");
  return {
    dotenv: `PGLITE_DIR=${dataDir}\n`,
    query: async (sql) => {
      const pglite = new PGlite(dataDir, { extensions: pgliteExtensions });
      try {
        return (await pglite.query<Record<string, unknown>>(sql)).rows;
      } finally {
        await pglite.close();
      }
    },
    drop: async () => undefined,
  };
}

describe("db:migrate and db:seed read .env like the server", () => {
  let cwd: string;
  let target: Target;

  beforeAll(async () => {
    cwd = await fs.mkdtemp(path.join(os.tmpdir(), "taskforge-dotenv-"));
    target = await freshTarget(cwd);
    await fs.writeFile(path.join(cwd, ".env"), target.dotenv);
  });
  afterAll(async () => {
    await target.drop();
    await fs.rm(cwd, { recursive: true, force: true });
  });

  it("db:migrate applies every migration to the database named in .env", { timeout: 120_000 }, async () => {
    await runCommand("scripts/db-migrate.ts", ["deploy"], cwd);
    const expected = (await fs.readdir(path.join(ROOT, "prisma", "migrations"), { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    const rows = await target.query(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name",
    );
    expect(rows.map((row) => row.migration_name)).toEqual(expected.sort());
  });

  it(
    "db:seed writes its accounts to the same database and exits, also when run again",
    { timeout: 240_000 },
    async () => {
      expect(await runCommand("prisma/seed.ts", [], cwd)).toContain("seed: admin admin@example.com created");
      // The embedded database keeps timers alive after its client disconnects: the second run must end all the same.
      expect(await runCommand("prisma/seed.ts", [], cwd)).toContain(
        "seed: admin admin@example.com exists, kept as it is",
      );
      expect(await target.query("SELECT email, role FROM users ORDER BY email")).toEqual([
        { email: "admin@example.com", role: "admin" },
        { email: "demo@example.com", role: "user" },
      ]);
    },
  );
});
