// The Prisma client and its driver adapter: PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { env } from "@/env";
import { PrismaClient } from "@/generated/prisma/client";
import { pgliteExtensions } from "@/server/db/pglite-extensions";
import { lockPgliteDir } from "@/server/db/pglite-lock";
import { PoolerAwarePool } from "@/server/db/pooler";
import { logger } from "@/server/logger";

export type Database = PrismaClient;

/** Opens PGlite on the first query, so importing this module (e.g. during `next build`) touches no files. */
function lazyPglite(dataDir: string): SqlDriverAdapterFactory {
  return {
    provider: "postgres",
    adapterName: "pglite",
    async connect() {
      lockPgliteDir(dataDir);
      return new PrismaPGlite(new PGlite(dataDir, { extensions: pgliteExtensions })).connect();
    },
  };
}

/**
 * A pool of PostgreSQL connections whose every wait is bounded, so a database that is down or silent fails calls
 * within seconds instead of holding them: the wait for a connection, the statement on the server, and the wait for
 * the server's answer (a second longer, so the server's own cancel normally comes first and the connection is kept).
 * The statement timeout is sent at connection start; behind a connection pooler in transaction mode, which refuses or
 * drops that, it is held as the role's default in the database instead (src/server/db/pooler.ts).
 */
export function postgresAdapter(
  connectionString: string,
  {
    poolSize = env.DATABASE_POOL_SIZE,
    connectTimeoutMs = env.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs = env.DATABASE_STATEMENT_TIMEOUT_MS,
  } = {},
): PrismaPg {
  const pool = new PoolerAwarePool(
    {
      connectionString,
      max: poolSize,
      connectionTimeoutMillis: connectTimeoutMs,
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + 1000,
    },
    logger,
  );
  return new PrismaPg(pool, { disposeExternalPool: true });
}

export function createDatabase(adapter?: SqlDriverAdapterFactory): Database {
  return new PrismaClient({
    adapter: adapter ?? (env.DATABASE_URL ? postgresAdapter(env.DATABASE_URL) : lazyPglite(env.PGLITE_DIR)),
  });
}

// One client per process; kept on globalThis so dev-mode reloads (and test setup) reuse it.
const globalForDb = globalThis as unknown as { taskforgeDb?: Database };
export const db: Database = (globalForDb.taskforgeDb ??= createDatabase());
