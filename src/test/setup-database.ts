// Runs before each test file: a private copy of the migrated database becomes the app's `db` (its SQL statements
// countable with src/test/statement-counter.ts).
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import Redis from "ioredis";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, inject } from "vitest";
import { PrismaClient } from "@/generated/prisma/client";
import { pgliteExtensions } from "@/server/db/pglite-extensions";
import { adminQuery, databaseUrl } from "@/test/postgres-admin";
import { countingAdapter } from "@/test/statement-counter";

const globals = globalThis as unknown as { taskforgeDb?: PrismaClient; taskforgeAuth?: unknown };

async function openDatabase(): Promise<{ client: PrismaClient; close: () => Promise<void> }> {
  const template = inject("templateDatabase");
  const serverUrl = process.env.DATABASE_URL;
  if (template && serverUrl) {
    const name = `taskforge_test_${randomBytes(6).toString("hex")}`;
    await adminQuery(serverUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
    const adapter = countingAdapter(new PrismaPg({ connectionString: databaseUrl(serverUrl, name), max: 5 }));
    const client = new PrismaClient({ adapter });
    return {
      client,
      close: async () => {
        await client.$disconnect();
        await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  }
  const snapshot = inject("pgliteSnapshot");
  if (!snapshot) throw new Error("The global test setup did not prepare a database.");
  const pglite = new PGlite({ loadDataDir: new Blob([await fs.readFile(snapshot)]), extensions: pgliteExtensions });
  const client = new PrismaClient({ adapter: countingAdapter(new PrismaPGlite(pglite)) });
  return {
    client,
    close: async () => {
      await client.$disconnect();
      await pglite.close();
    },
  };
}

// With REDIS_URL set, every test file gets its own key prefix, so files running in parallel share no counters.
const redisPrefix = `taskforge-test-${randomBytes(6).toString("hex")}:`;
process.env.REDIS_KEY_PREFIX = redisPrefix;

async function clearRedis(): Promise<void> {
  if (!process.env.REDIS_URL) return;
  const redis = new Redis(process.env.REDIS_URL);
  const keys = await redis.keys(`${redisPrefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
}

const database = await openDatabase();
globals.taskforgeDb = database.client;
globals.taskforgeAuth = undefined;

afterAll(async () => {
  await database.close();
  await clearRedis();
});
