// `npm run test:shutdown`: SIGTERM to the production server (`npm start`, on a fresh PostgreSQL database) while
// it is under load, then while requests that never finish are open. Fails (exit 1) unless:
//   under load (SHUTDOWN_WORKERS keep-alive clients, default 256, each sending task.list with a cookie,
//   task.create, task.list with a JWT in turn; the signal comes once every client has been answered, then
//   SHUTDOWN_LOAD_SECONDS, default 5) — every request sent before the signal is answered 2xx; after it, every
//   request is answered 2xx or not taken by the server (refused, or a new connection reset before the server
//   accepted it), and a client stops at the first one; none is cut on a connection the server had; no
//   task.create the client saw fail was written anyway, and every one answered was; the server process exits
//   with code 0 within 10 s; it closed its PostgreSQL connections itself (none left while the process exits,
//   none after);
//   with stuck requests (headers that never end, a body that never arrives) — the process is gone within 10 s,
//   having cut both connections, and closed its PostgreSQL connections.
// Builds nothing: run `npm run build` first.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import {
  cleanUp,
  clientBackends,
  createDatabase,
  isRunning,
  newSecret,
  queryPath,
  requireBuild,
  ROOT,
  seedUsers,
  setting,
  startServer,
  type Database,
  type Server,
} from "./load-server";
import { mintJwts } from "../../src/test/fixtures/served-jwts";

const settings = {
  /** Concurrent keep-alive clients, each sending its next request as soon as the last is answered. */
  workers: setting("SHUTDOWN_WORKERS", 256),
  loadSeconds: setting("SHUTDOWN_LOAD_SECONDS", 5),
  users: 200,
  deadlineMs: 10_000,
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

type Claim = { claim: string; measured: string; pass: boolean };
type Probe = { code: number; exitAt: number; backends: number; tries: number; error?: string };

function serverEnv(probeFile: string): Record<string, string> {
  rmSync(probeFile, { force: true });
  return {
    MUTATION_RATE_LIMIT: "1000000000",
    SHUTDOWN_PROBE_FILE: probeFile,
    NODE_OPTIONS: `--import ${path.join(ROOT, "test", "reliability", "exit-probe.mjs")}`,
  };
}

function readProbe(file: string): Probe | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Probe) : undefined;
}

/** Milliseconds from `since` until `pid` no longer exists (polled every 5 ms), or undefined past `capMs`. */
async function waitGone(pid: number, since: number, capMs: number): Promise<number | undefined> {
  while (performance.now() - since < capMs) {
    if (!isRunning(pid)) return performance.now() - since;
    await sleep(5);
  }
  return undefined;
}

// ---- the load: keep-alive clients, each in a loop --------------------------------------------------------------

type Kind = "task.list cookie" | "task.list JWT" | "task.create";
type Outcome = {
  kind: Kind;
  start: number;
  end: number;
  status?: number;
  error?: string;
  reused: boolean;
  title?: string;
};

/**
 * Not taken by the server: the connection was refused, or reset before anything came back on a new connection
 * (the kernel had queued it, and the listening socket closed before the server accepted it).
 */
const refused = (o: Outcome) => o.error === "ECONNREFUSED" || (o.error === "ECONNRESET" && !o.reused);

function startLoad(server: Server, cookies: string[], jwts: string[]) {
  const { hostname, port } = new URL(server.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: settings.workers });
  const outcomes: Outcome[] = [];
  let inFlight = 0;
  let stopped = false;
  let next = 0;
  const list = queryPath("task.list", { limit: 50 });

  function send(kind: Kind): Promise<Outcome> {
    const user = next++ % cookies.length;
    const title = kind === "task.create" ? `Shutdown ${randomBytes(8).toString("hex")}` : undefined;
    const body = title
      ? JSON.stringify({ json: { title, description: "Written while the server stops." } })
      : undefined;
    const headers: Record<string, string> =
      kind === "task.list JWT" ? { authorization: `Bearer ${jwts[user]}` } : { cookie: cookies[user] ?? "" };
    if (body)
      Object.assign(headers, {
        "content-type": "application/json",
        origin: server.origin,
        "content-length": String(Buffer.byteLength(body)),
      });
    const start = performance.now();
    inFlight++;
    return new Promise<Outcome>((resolve) => {
      const request = http.request(
        { hostname, port, agent, method: body ? "POST" : "GET", path: body ? "/api/trpc/task.create" : list, headers },
        (response) => {
          response.resume();
          response.on("end", () =>
            resolve({
              kind,
              start,
              end: performance.now(),
              status: response.statusCode,
              reused: request.reusedSocket,
              title,
            }),
          );
          response.on("error", (error: NodeJS.ErrnoException) =>
            resolve({
              kind,
              start,
              end: performance.now(),
              error: `response ${error.code ?? error.message}`,
              reused: request.reusedSocket,
              title,
            }),
          );
        },
      );
      request.on("error", (error: NodeJS.ErrnoException) =>
        resolve({
          kind,
          start,
          end: performance.now(),
          error: error.code ?? error.message,
          reused: request.reusedSocket,
          title,
        }),
      );
      request.end(body);
    }).then((outcome) => {
      inFlight--;
      outcomes.push(outcome);
      return outcome;
    });
  }

  const kinds: Kind[] = ["task.list cookie", "task.create", "task.list JWT"];
  let served = 0;
  async function worker(index: number): Promise<void> {
    let answered = false;
    for (let i = index; !stopped; i++) {
      const outcome = await send(kinds[i % kinds.length] as Kind);
      if (!answered && outcome.status !== undefined) {
        answered = true;
        served++;
      }
      // The server no longer takes connections: a client stops sending (and would try another instance).
      if (refused(outcome)) stopped = true;
    }
  }
  const done = Promise.all(Array.from({ length: settings.workers }, (_, i) => worker(i))).then(() => {
    agent.destroy();
    return outcomes;
  });
  return { done, inFlight: () => inFlight, served: () => served, stop: () => (stopped = true) };
}

async function tasksWithTitles(database: Database, titles: string[]): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ title: string }>("SELECT title FROM tasks WHERE title = ANY($1::text[])", [
      titles,
    ]);
    return new Set(rows.map((row) => row.title));
  } finally {
    await client.end();
  }
}

const countBy = <T>(items: T[], key: (item: T) => string) =>
  [...items.reduce((map, item) => map.set(key(item), (map.get(key(item)) ?? 0) + 1), new Map<string, number>())]
    .map(([k, n]) => `${k}: ${n}`)
    .join(", ") || "none";

async function underLoad(database: Database, secret: string, cookies: string[]): Promise<Claim[]> {
  const probeFile = path.join(os.tmpdir(), `taskforge-shutdown-probe-${process.pid}-1.json`);
  const server = await startServer(database, secret, serverEnv(probeFile));
  const jwts = await mintJwts(server.base, cookies);
  console.info(
    `under load: server pid ${server.pid} on ${server.base}; ${settings.workers} keep-alive clients for ${settings.loadSeconds} s, then SIGTERM`,
  );

  const load = startLoad(server, cookies, jwts);
  // Steady state first: every client's connection accepted and answered at least once, none waiting in the
  // kernel's accept queue (a burst of new connections to a busy server can wait there for seconds).
  const rampStart = performance.now();
  while (load.served() < settings.workers && performance.now() - rampStart < 60_000) await sleep(100);
  const rampSeconds = (performance.now() - rampStart) / 1000;
  await sleep(settings.loadSeconds * 1000);
  const backendsUnderLoad = await clientBackends(database);
  const inFlightAtSignal = load.inFlight();
  const signalAt = performance.now();
  const signalEpoch = Date.now();
  process.kill(server.pid, "SIGTERM");

  const goneAfter = await waitGone(server.pid, signalAt, settings.deadlineMs + 5_000);
  // Should the clients never be refused (they are, once the server has stopped listening), stop them anyway.
  const safety = setTimeout(load.stop, 5_000);
  const outcomes = await load.done;
  clearTimeout(safety);
  const npmCode = await Promise.race([server.exited, sleep(5_000).then(() => "still running")]);
  const backendsAfter = await clientBackends(database);
  const probe = readProbe(probeFile);
  rmSync(probeFile, { force: true });

  const before = outcomes.filter((o) => o.start < signalAt);
  const after = outcomes.filter((o) => o.start >= signalAt);
  const ok = (o: Outcome) => o.status !== undefined && o.status >= 200 && o.status < 300;
  const beforeFailed = before.filter((o) => !ok(o));
  const afterAnswered = after.filter(ok);
  const afterRefused = after.filter(refused);
  const afterOther = after.filter((o) => !ok(o) && !refused(o));
  const describe = (o: Outcome) => `${o.kind} ${o.status ?? o.error}${o.reused ? " (reused connection)" : ""}`;

  const creates = outcomes.filter((o) => o.title !== undefined);
  const written = await tasksWithTitles(
    database,
    creates.map((o) => o.title as string),
  );
  const answeredNotWritten = creates.filter((o) => ok(o) && !written.has(o.title as string));
  const failedButWritten = creates.filter((o) => !ok(o) && written.has(o.title as string));
  const lastAnswer = Math.max(...outcomes.filter(ok).map((o) => o.end)) - signalAt;
  const exitAt = probe ? probe.exitAt - signalEpoch : Number.NaN;

  console.info(
    `  all ${settings.workers} clients answered after ${rampSeconds.toFixed(1)} s, then ${settings.loadSeconds} s of load; ` +
      `${outcomes.length} requests: ${before.length} sent before SIGTERM (${inFlightAtSignal} in flight at the signal), ${after.length} after; ` +
      `last answer ${seconds(lastAnswer)} after the signal; process called exit at ${seconds(exitAt)}, gone at ${goneAfter === undefined ? "never" : seconds(goneAfter)}`,
  );
  return [
    {
      claim: "under load: every request sent before SIGTERM answered 2xx",
      measured: `${before.length - beforeFailed.length} of ${before.length} (${inFlightAtSignal} in flight at the signal); failed: ${countBy(beforeFailed, describe)}`,
      pass: load.served() === settings.workers && beforeFailed.length === 0,
    },
    {
      claim:
        "under load: after SIGTERM, each request answered 2xx or not taken (refused, or reset before accept), none cut",
      measured: `${afterAnswered.length} answered, not taken: ${countBy(afterRefused, describe)}; cut or failed: ${countBy(afterOther, describe)}`,
      pass: afterOther.length === 0,
    },
    {
      claim: "under load: no task.create written that the client saw fail; every one answered is written",
      measured: `${creates.length} sent, ${written.size} written; failed but written: ${failedButWritten.length}; answered but missing: ${answeredNotWritten.length}`,
      pass: failedButWritten.length === 0 && answeredNotWritten.length === 0,
    },
    {
      claim: "under load: exit code 0",
      measured: `server process ${probe?.code ?? "unknown"}, npm ${npmCode}`,
      pass: probe?.code === 0 && npmCode === 0,
    },
    {
      claim: `under load: process gone within ${settings.deadlineMs / 1000} s of SIGTERM`,
      measured: goneAfter === undefined ? "still running" : seconds(goneAfter),
      pass: goneAfter !== undefined && goneAfter <= settings.deadlineMs,
    },
    {
      claim: "under load: the app closed its PostgreSQL connections (none as the process exits, none after)",
      measured: `${backendsUnderLoad} client backends under load; ${probe ? (probe.error ? `probe failed: ${probe.error}` : probe.backends) : "no probe"} as it exits; ${backendsAfter} after`,
      pass: backendsUnderLoad > 0 && probe?.backends === 0 && backendsAfter === 0,
    },
  ];
}

// ---- a request that never finishes -------------------------------------------------------------------------------

/** A raw connection that sends `text` and nothing more; resolves `closed` (ms since `since()`) when the server cuts it. */
function stuckConnection(server: Server, text: string, since: () => number) {
  const { hostname, port } = new URL(server.base);
  const socket = net.connect(Number(port), hostname);
  socket.setNoDelay(true);
  socket.on("connect", () => socket.write(text));
  let received = "";
  socket.on("data", (chunk) => (received += chunk.toString()));
  const closed = new Promise<number>((resolve) => {
    socket.on("close", () => resolve(performance.now() - since()));
    socket.on("error", () => undefined);
  });
  return { closed, received: () => received, socket };
}

async function withStuckRequests(database: Database, secret: string, cookies: string[]): Promise<Claim[]> {
  const probeFile = path.join(os.tmpdir(), `taskforge-shutdown-probe-${process.pid}-2.json`);
  const server = await startServer(database, secret, serverEnv(probeFile));
  console.info(`stuck requests: server pid ${server.pid} on ${server.base}`);
  const { host } = new URL(server.base);
  let signalAt = Number.POSITIVE_INFINITY;
  const since = () => signalAt;
  // Headers that never end, and a mutation whose body never arrives (the handler is waiting to read it).
  const headers = stuckConnection(server, `GET /api/ping HTTP/1.1\r\nHost: ${host}\r\nX-Unfinished: `, since);
  const body = stuckConnection(
    server,
    `POST /api/trpc/task.create HTTP/1.1\r\nHost: ${host}\r\nCookie: ${cookies[0]}\r\nOrigin: ${server.origin}\r\n` +
      `Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"json":{"title":"Never`,
    since,
  );
  await sleep(1_000);
  const openAtSignal = [headers, body].filter((c) => !c.socket.destroyed && c.socket.readyState === "open").length;
  signalAt = performance.now();
  const signalEpoch = Date.now();
  process.kill(server.pid, "SIGTERM");
  const goneAfter = await waitGone(server.pid, signalAt, settings.deadlineMs + 5_000);
  const npmCode = await Promise.race([server.exited, sleep(5_000).then(() => "still running")]);
  const cut = await Promise.race([Promise.all([headers.closed, body.closed]), sleep(1_000).then(() => undefined)]);
  const probe = readProbe(probeFile);
  rmSync(probeFile, { force: true });
  const backendsAfter = await clientBackends(database);
  const exitAt = probe ? probe.exitAt - signalEpoch : Number.NaN;
  const deadlineLine = server.log.find((line) => line.includes("still open at the deadline"));
  console.info(
    `  process called exit at ${seconds(exitAt)} (code ${probe?.code ?? "?"}), gone at ${goneAfter === undefined ? "never" : seconds(goneAfter)}`,
  );
  return [
    {
      claim: `stuck requests: process gone within ${settings.deadlineMs / 1000} s of SIGTERM`,
      measured:
        `${openAtSignal} stuck connections open at the signal; gone at ${goneAfter === undefined ? "never" : seconds(goneAfter)}, ` +
        `exit code ${probe?.code ?? "unknown"} (npm ${npmCode})${deadlineLine ? `; server log: "${deadlineLine.trim()}"` : ""}`,
      pass: openAtSignal === 2 && goneAfter !== undefined && goneAfter <= settings.deadlineMs,
    },
    {
      claim: "stuck requests: both connections cut by the server",
      measured: cut
        ? `unfinished headers cut at ${seconds(cut[0])}, unfinished body at ${seconds(cut[1])}`
        : "not both closed",
      pass: cut !== undefined,
    },
    {
      claim: "stuck requests: the app closed its PostgreSQL connections",
      measured: `${probe ? (probe.error ? `probe failed: ${probe.error}` : probe.backends) : "no probe"} as it exits; ${backendsAfter} after`,
      pass: probe?.backends === 0 && backendsAfter === 0,
    },
  ];
}

async function main(): Promise<boolean> {
  requireBuild();
  const secret = newSecret();
  const database = await createDatabase("shutdown");
  const cookies = await seedUsers(database, secret, settings.users, 25);
  const claims = [
    ...(await underLoad(database, secret, cookies)),
    ...(await withStuckRequests(database, secret, cookies)),
  ];
  console.info("");
  for (const c of claims) console.info(`${c.pass ? "ok  " : "FAIL"}  ${c.claim}: ${c.measured}`);
  return claims.every((c) => c.pass);
}

main()
  .then(async (ok) => {
    await cleanUp();
    process.exit(ok ? 0 : 1);
  })
  .catch(async (error: unknown) => {
    console.error("shutdown check failed:", error instanceof Error ? error.message : error);
    await cleanUp();
    process.exit(1);
  });
