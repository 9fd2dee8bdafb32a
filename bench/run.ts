// `npm run bench`: the benchmark ladder. Starts the production build (`npm start`) on a fresh PostgreSQL database
// with many signed-in users, measures each step with autocannon, and writes bench/RESULTS.md and bench/ladder.svg.
// Builds nothing: run `npm run build` first.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { ladderChart } from "./chart";
import { createDatabase, migrate, seed } from "./fixture";

const ROOT = path.resolve(import.meta.dirname, "..");
const settings = {
  serverUrl: process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  users: Number(process.env.BENCH_USERS ?? 200),
  tasksPerUser: Number(process.env.BENCH_TASKS_PER_USER ?? 25),
  connections: 32,
  warmupSeconds: Number(process.env.BENCH_WARMUP ?? 3),
  durationSeconds: Number(process.env.BENCH_DURATION ?? 10),
  runs: Number(process.env.BENCH_RUNS ?? 3),
  /** Only the steps whose name matches (e.g. BENCH_STEPS="JWT" with BENCH_SERVER_NODE_ARGS=--cpu-prof to profile one). */
  only: new RegExp(process.env.BENCH_STEPS ?? ""),
};

type Step = {
  name: string;
  /** What this step adds to the one before. */
  adds: string;
  path: string;
  method?: "GET" | "POST";
  body?: string;
  headers?: Record<string, string>;
  /** One header whose value changes with every request, so each request is a different signed-in user. */
  rotate?: { header: string; values: string[] };
};

type Measured = { step: Step; runs: autocannon.Result[]; requestsPerSecond: number; p50: number; p99: number; errors: number };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Starts a process in its own group, so stopping it also stops what it started (npm → next). */
function start(command: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "inherit"] });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(-child.pid, "SIGTERM");
  return exited;
}

async function startRawServer(): Promise<{ child: ChildProcess; base: string }> {
  const child = start(process.execPath, ["--import", "tsx", "bench/raw-server.ts"], {});
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once("exit", (code) => reject(new Error(`the raw node:http server exited with ${code}`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

/** How the app is served: `npm start`'s server (src/serve.ts), or `next start` (every request through Next). */
type Server = "serve" | "next";

async function startApp(
  server: Server,
  databaseUrl: string,
  secret: string,
): Promise<{ child: ChildProcess; base: string; origin: string }> {
  const port = await freePort();
  // Extra node flags for the server process only (e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof").
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const entry = server === "serve" ? ["--import", "tsx", "src/serve.ts"] : ["node_modules/next/dist/bin/next", "start"];
  const child = start(process.execPath, [...nodeArgs, ...entry], {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    BETTER_AUTH_SECRET: secret,
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    BETTER_AUTH_URL: `http://localhost:${port}`,
    // Measured, not hit: every mutation still counts against the limit (one database write), it just never refuses.
    MUTATION_RATE_LIMIT: "1000000000",
    // Each seeded user mints its JWT from its own address (X-Forwarded-For), as if behind one proxy, so Better
    // Auth's per-IP limit (100 a minute) does not refuse the 101st user.
    TRUSTED_PROXY_HOPS: "1",
  });
  child.stdout?.resume();
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the ${server} server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/ping`)).ok) return { child, base, origin: `http://localhost:${port}` };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the ${server} server did not answer /api/ping within 60 s`);
}

/** An access token per session, from GET /api/auth/token as a client would mint it. */
async function mintJwts(base: string, cookies: string[]): Promise<string[]> {
  async function mint(cookie: string, index: number): Promise<string> {
    const response = await fetch(`${base}/api/auth/token`, {
      headers: { cookie, "x-forwarded-for": `10.${index >> 16}.${(index >> 8) & 255}.${index & 255}` },
    });
    if (!response.ok) throw new Error(`GET /api/auth/token answered ${response.status}: ${await response.text()}`);
    const { token } = (await response.json()) as { token: string };
    return token;
  }
  // The first mint alone: concurrent first mints each create a signing key, and past 100 keys the JWKS (and
  // so our verifier) leaves some out, refusing tokens the app itself signed.
  const [first = "", ...rest] = cookies;
  return [await mint(first, 0), ...(await Promise.all(rest.map((cookie, index) => mint(cookie, index + 1))))];
}

function autocannonOptions(base: string, step: Step, durationSeconds: number): autocannon.Options {
  const { rotate } = step;
  let next = 0;
  return {
    url: `${base}${step.path}`,
    method: step.method ?? "GET",
    body: step.body,
    headers: step.headers,
    connections: settings.connections,
    pipelining: 1,
    duration: durationSeconds,
    requests: rotate && [
      {
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, [rotate.header]: rotate.values[next++ % rotate.values.length] },
        }),
      },
    ],
  };
}

/** One request per credential first: a step that does not answer 200 fails the benchmark instead of measuring errors. */
async function check(base: string, step: Step): Promise<void> {
  for (const value of step.rotate?.values ?? [""]) {
    const headers = { ...step.headers, ...(step.rotate && { [step.rotate.header]: value }) };
    const response = await fetch(`${base}${step.path}`, { method: step.method ?? "GET", body: step.body, headers });
    if (response.status !== 200) throw new Error(`${step.name}: ${response.status} ${await response.text()}`);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function measure(base: string, step: Step): Promise<Measured> {
  await check(base, step);
  await autocannon(autocannonOptions(base, step, settings.warmupSeconds));
  const runs: autocannon.Result[] = [];
  for (let run = 0; run < settings.runs; run++) runs.push(await autocannon(autocannonOptions(base, step, settings.durationSeconds)));
  const measured = {
    step,
    runs,
    requestsPerSecond: median(runs.map((r) => r.requests.total / r.duration)),
    p50: median(runs.map((r) => r.latency.p50)),
    p99: median(runs.map((r) => r.latency.p99)),
    errors: runs.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0),
  };
  console.info(
    `${step.name.padEnd(28)} ${measured.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${measured.p50} ms  p99 ${measured.p99} ms  errors ${measured.errors}`,
  );
  return measured;
}

function ladder(raw: string, app: string, origin: string, cookies: string[], jwts: string[]): Array<[string, Step]> {
  const list = `/api/trpc/task.list?input=${encodeURIComponent(JSON.stringify({ json: { limit: 20 } }))}`;
  const cookie = { header: "cookie", values: cookies };
  return [
    [raw, { name: "raw node:http", adds: "the floor: node:http answering the same JSON", path: "/" }],
    [app, { name: "Next route handler", adds: "Next.js (`next start`): GET /api/ping", path: "/api/ping" }],
    [app, { name: "tRPC health.check", adds: "tRPC fetch adapter, superjson, context (no session), `SELECT 1`", path: "/api/trpc/health.check" }],
    [app, { name: "task.list, cookie", adds: "session cookie read from the database, 20 tasks queried", path: list, rotate: cookie }],
    [
      app,
      {
        name: "task.list, JWT",
        adds: "bearer JWT verified in memory instead of the session read",
        path: list,
        rotate: { header: "authorization", values: jwts.map((jwt) => `Bearer ${jwt}`) },
      },
    ],
    [
      app,
      {
        name: "task.create, cookie",
        adds: "POST with Origin: CSRF check, mutation counter, an INSERT",
        path: "/api/trpc/task.create",
        method: "POST",
        body: JSON.stringify({ json: { title: "Benchmark task" } }),
        headers: { "content-type": "application/json", origin },
        rotate: cookie,
      },
    ],
  ];
}

const format = (value: number, digits = 0) => value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function report(results: Measured[], started: Date, seconds: number): string {
  const [raw, bare] = results;
  const rows = results.map(
    (r) =>
      `| ${r.step.name} | ${format(r.requestsPerSecond)} | ${r.p50} | ${r.p99} | ${r.errors} | ${format(r.requestsPerSecond / (raw?.requestsPerSecond ?? 1), 3)} | ${format(r.requestsPerSecond / (bare?.requestsPerSecond ?? 1), 2)} |`,
  );
  const runs = results.map((r) => `| ${r.step.name} | ${r.runs.map((run) => format(run.requests.total / run.duration)).join(" / ")} | ${r.step.adds} |`);
  const cpus = os.cpus();
  return `# Benchmark ladder

Written by \`npm run bench\` (after \`npm run build\`) on ${started.toISOString().slice(0, 10)}; the whole run took ${Math.round(seconds)} s.

- Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; Node ${process.version}.
- Load: autocannon, ${settings.connections} connections, keep-alive, no pipelining; per step a ${settings.warmupSeconds} s warm-up, then ${settings.runs} runs of ${settings.durationSeconds} s; the median run figure is quoted. autocannon runs in the same machine as the server (one core each, roughly).
- Data: a fresh PostgreSQL database on 127.0.0.1, migrated with \`npm run db:migrate\`; ${settings.users} users with ${settings.tasksPerUser} tasks and one session each. Authenticated steps rotate over all ${settings.users} users' cookies or JWTs, a different user on every request. The database is dropped at the end.
- Server: \`npm start\` (production build, NODE_ENV=production). \`MUTATION_RATE_LIMIT\` is raised so \`task.create\` is never refused (the counter is still written on every mutation); \`TRUSTED_PROXY_HOPS=1\` so each user mints its JWT from its own X-Forwarded-For address.

| step | req/s | p50 ms | p99 ms | errors | × raw node:http | × Next route handler |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join("\n")}

![The ladder](ladder.svg)

## Each run, and what each step adds

| step | req/s per run | adds |
| --- | --- | --- |
${runs.join("\n")}
`;
}

async function main() {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("No production build in .next: run `npm run build` first (the benchmark builds nothing itself).");
  }
  const started = new Date();
  const secret = randomBytes(32).toString("base64url");
  const database = await createDatabase(settings.serverUrl);
  const children: ChildProcess[] = [];
  try {
    await migrate(database.url);
    const cookies = await seed(database.url, secret, settings.users, settings.tasksPerUser);
    const raw = await startRawServer();
    children.push(raw.child);
    const app = await startApp("serve", database.url, secret);
    children.push(app.child);
    const jwts = await mintJwts(app.base, cookies);
    const results: Measured[] = [];
    for (const [base, step] of ladder(raw.base, app.base, app.origin, cookies, jwts)) {
      if (settings.only.test(step.name)) results.push(await measure(base, step));
    }

    const seconds = (Date.now() - started.getTime()) / 1000;
    const markdown = report(results, started, seconds);
    const subtitle = `${os.cpus().length} cores, Node ${process.version}, ${settings.connections} connections, ${started.toISOString().slice(0, 10)}`;
    const svg = await ladderChart(
      results.map((r) => ({ step: r.step.name, requestsPerSecond: Math.round(r.requestsPerSecond), p99: r.p99 })),
      subtitle,
    );
    await fs.writeFile(path.join(ROOT, "bench", "RESULTS.md"), markdown);
    await fs.writeFile(path.join(ROOT, "bench", "ladder.svg"), svg);
    console.info("wrote bench/RESULTS.md and bench/ladder.svg");
  } finally {
    for (const child of children) await stop(child);
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error("bench failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
