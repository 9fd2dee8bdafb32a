// `npx tsx bench/query-cost.ts`: what one task.list read costs the server's CPU, three ways, on a fresh PostgreSQL
// database (BENCH_POSTGRES_URL's server, dropped afterwards): the app's own `listTasks` (Prisma's client, the query
// compiler and the pg driver adapter), the same SQL through Prisma's `$queryRaw` (same client and adapter, no query
// building), and the same SQL as a named prepared statement on a bare `pg` pool (what bench/ceiling-server.ts does).
// Queries run one after another, so the CPU time per query is the process's own work, not waiting.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { taskListInput } from "../src/lib/validation/task";
import { listTasks } from "../src/server/api/routers/task-list";
import { createDatabase as createAppDatabase, postgresAdapter } from "../src/server/db";
import { createDatabase, migrate, seed } from "./fixture";

const serverUrl = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const QUERIES = Number(process.env.BENCH_QUERIES ?? 3000);
const SQL = `SELECT id, title, description, completed, priority, due_at AS "dueAt", created_at AS "createdAt",
  updated_at AS "updatedAt", version FROM tasks WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 21`;

type Way = { name: string; run: () => Promise<unknown> };

/** CPU and wall time per query of `way`, after a warm-up of a tenth as many. */
async function measure(way: Way) {
  for (let i = 0; i < QUERIES / 10; i++) await way.run();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < QUERIES; i++) await way.run();
  const wall = ((performance.now() - started) * 1000) / QUERIES;
  const used = process.cpuUsage(cpu);
  return { name: way.name, cpu: (used.user + used.system) / QUERIES, wall };
}

async function main() {
  const database = await createDatabase(serverUrl);
  try {
    await migrate(database.url);
    await seed(database.url, randomBytes(32).toString("base64url"), 1, 25);
    // The app's client as the app makes it (pool size, timeouts), on this database.
    const db = createAppDatabase(postgresAdapter(database.url));
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const { id: userId } = await db.user.findFirstOrThrow({ select: { id: true } });
      const input = taskListInput.parse({ limit: 20 });
      const ways: Way[] = [
        { name: "listTasks (Prisma client)", run: () => listTasks(db, { userId }, input) },
        { name: "the same SQL, Prisma $queryRawUnsafe", run: () => db.$queryRawUnsafe(SQL, userId) },
        {
          name: "the same SQL, prepared, bare pg",
          run: () => pool.query({ name: "list", text: SQL, values: [userId] }),
        },
      ];
      const results = [];
      // Twice, alternating, so neither way has the warmer process.
      for (let round = 0; round < 2; round++) for (const way of ways) results.push(await measure(way));
      const best = new Map<string, { cpu: number; wall: number }>();
      for (const r of results) {
        const seen = best.get(r.name);
        if (!seen || r.cpu < seen.cpu) best.set(r.name, r);
      }
      const floor = Math.min(...[...best.values()].map((r) => r.cpu));
      console.info(`\n${QUERIES} task.list reads each, one at a time (the better of two rounds):\n`);
      console.info("| way | CPU µs per query | × bare pg | wall µs per query |\n| --- | ---: | ---: | ---: |");
      for (const [name, r] of best) {
        console.info(`| ${name} | ${r.cpu.toFixed(0)} | ${(r.cpu / floor).toFixed(2)} | ${r.wall.toFixed(0)} |`);
      }
    } finally {
      await pool.end();
      await db.$disconnect();
    }
  } finally {
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error("query-cost failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
