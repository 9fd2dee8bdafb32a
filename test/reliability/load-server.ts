// Shared by the soak and shutdown checks: a fresh PostgreSQL database with signed-in users, the production server
// (`npm start`) on it, the pid of the server's own node process, and clean-up that runs whatever happens.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { migrate, seed } from "../../bench/fixture";
import { adminQuery, databaseUrl } from "../../src/test/postgres-admin";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const POSTGRES_URL = process.env.RELIABILITY_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** A number from the environment, or the default. */
export function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

export function requireBuild(): void {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID")))
    throw new Error("No production build in .next: run `npm run build` first.");
}

// Clean-up steps, newest first; run at the end, on an error, and on Ctrl-C.
const cleanups: Array<() => Promise<unknown>> = [];
export function onCleanup(step: () => Promise<unknown>): void {
  cleanups.unshift(step);
}
export async function cleanUp(): Promise<void> {
  for (const step of cleanups.splice(0))
    await step().catch((error: unknown) => console.error("clean-up step failed:", error));
}
process.once("SIGINT", () => void cleanUp().then(() => process.exit(130)));

export type Database = { name: string; url: string };

/** `<prefix>_<pid>`, migrated; dropped (WITH (FORCE)) at clean-up. */
export async function createDatabase(prefix: string): Promise<Database> {
  const name = `${prefix}_${process.pid}`;
  await adminQuery(POSTGRES_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(POSTGRES_URL, `CREATE DATABASE ${name}`);
  onCleanup(() => adminQuery(POSTGRES_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = databaseUrl(POSTGRES_URL, name);
  await migrate(url);
  return { name, url };
}

/** Verified users with tasks and one session each; the Cookie header of each session. */
export async function seedUsers(
  database: Database,
  secret: string,
  users: number,
  tasksPerUser: number,
): Promise<string[]> {
  return (await seed(database.url, secret, users, tasksPerUser)).cookies;
}

/** Client backends connected to the database (the app's pool, while it is up). */
export async function clientBackends(database: Database): Promise<number> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'",
      [database.name],
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

/** A free TCP port in 3400–3499 on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const offset = Math.floor(Math.random() * 100);
  for (let i = 0; i < 100; i++) {
    const port = 3400 + ((offset + i) % 100);
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("no free port in 3400–3499");
}

export type Server = {
  /** `npm start`, our child, leader of its own process group. */
  npm: ChildProcess;
  /** The node process running src/serve.ts (npm → sh → node). */
  pid: number;
  base: string;
  /** The origin the app trusts (BETTER_AUTH_URL), for Origin headers on cookie mutations. */
  origin: string;
  /** npm's exit code (the server's, passed through sh and npm), once it has exited. */
  exited: Promise<number | null>;
  log: string[];
};

function children(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …; comm may contain spaces and parentheses, so read from the last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** The descendant of `root` whose command line runs src/serve.ts. */
export function findServerPid(root: number): number | undefined {
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (path.basename(argv[0] ?? "") === "node" && argv.some((arg) => arg.endsWith("src/serve.ts"))) return pid;
    } catch {
      // gone
    }
    queue.push(...children(pid));
  }
  return undefined;
}

/** Resident set size of a process in KiB (VmRSS), or undefined once it has exited. */
export function rssKiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) of a process in clock ticks (1/100 s on Linux). */
export function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After "pid (comm) ", field 0 is state; utime and stime are fields 14 and 15 of stat, so 11 and 12 here.
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm start` on the database, answering /api/ping. Stopped (its whole process group) at clean-up. */
export async function startServer(
  database: Database,
  secret: string,
  env: Record<string, string> = {},
): Promise<Server> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const log: string[] = [];
  const npm = spawn("npm", ["start", "--silent"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      BETTER_AUTH_SECRET: secret,
      BETTER_AUTH_URL: origin,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      // Each seeded user mints its JWT from its own X-Forwarded-For address, as if behind one proxy, so Better
      // Auth's per-IP limit (100 a minute) does not refuse the 101st user.
      TRUSTED_PROXY_HOPS: "1",
      ...env,
    },
  });
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) log.push(line);
    if (log.length > 2_000) log.splice(0, log.length - 2_000);
  };
  npm.stdout?.on("data", keep);
  npm.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
  onCleanup(async () => {
    if (npm.exitCode !== null || npm.signalCode !== null || npm.pid === undefined) return;
    try {
      process.kill(-npm.pid, "SIGKILL");
    } catch {
      // already gone
    }
    await exited;
  });

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (npm.exitCode !== null) throw new Error(`npm start exited with ${npm.exitCode}:\n${log.slice(-20).join("\n")}`);
    try {
      if ((await fetch(`${base}/api/ping`)).ok) {
        const pid = npm.pid === undefined ? undefined : findServerPid(npm.pid);
        if (pid === undefined)
          throw new Error("npm start answers, but no node process running src/serve.ts was found under it");
        return { npm, pid, base, origin, exited, log };
      }
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("npm start answers")) throw error;
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("npm start did not answer /api/ping within 90 s");
}

export const newSecret = () => randomBytes(32).toString("base64url");

/** tRPC GET URL for a query with superjson input. */
export function queryPath(procedure: string, input?: unknown): string {
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  return `/api/trpc/${procedure}${query}`;
}

/** Nearest-rank percentile of unsorted values (sorted copy). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
